import ArgumentParser
import GuestGuardLinux
import KeyBrokerServer

/// `--data DIR`: the broker's key store.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The broker's data directory (keys and policies, mode 0700).", valueName: "DIR"))
    var data: String

    /// Relative paths are taken from the working directory.
    var directory: String { HostFileSystem.absolutePath(data) }

    var store: BrokerStore { BrokerStore(files: HostFileSystem(), root: directory) }

    static func resource(_ text: String) throws -> ResourceID {
        guard let id = ResourceID(text) else {
            throw ValidationError("\(String(reflecting: text)) is not REPO/TYPE/TAG (each 1–64 of A-Z a-z 0-9 . _ -)")
        }
        return id
    }
}

/// A failure printed as `error: …` with `because: …` lines.
struct BrokerCLIError: Error, CustomStringConvertible {
    let message: String
    var causes: [String] = []
    var description: String { ([message] + causes.map { "because: \($0)" }).joined(separator: "\n") }
}
