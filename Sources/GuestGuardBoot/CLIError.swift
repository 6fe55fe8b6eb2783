/// A failure the CLI reports as `error: …` followed by one `because: …` line per cause.
public struct CLIError: Error, CustomStringConvertible {
    public let message: String
    public var causes: [String]
    public var exitCode: Int32

    public init(message: String, causes: [String] = [], exitCode: Int32 = 1) {
        self.message = message
        self.causes = causes
        self.exitCode = exitCode
    }

    public var description: String {
        ([message] + causes.map { "because: \($0)" }).joined(separator: "\n")
    }
}
