/// A failure the CLI reports as `error: …` followed by one `because: …` line per cause.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    var causes: [String] = []
    var exitCode: Int32 = 1

    var description: String {
        ([message] + causes.map { "because: \($0)" }).joined(separator: "\n")
    }
}
