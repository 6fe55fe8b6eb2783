/// The options of `boot-unlock`, one definition for both executables: `guestguard boot-unlock` declares them
/// to ArgumentParser with these names and help texts; `guestguard-boot` parses them here, because
/// ArgumentParser links FoundationEssentials (its JSON help dump), which would be most of that binary.
extension BootUnlockCommand {
    public enum Option: String, CaseIterable, Sendable {
        case config = "--config"
        case expectRoot = "--expect-root"
        case expectRootFromCommandLine = "--expect-root-from-cmdline"
        case headerCopies = "--header-copies"
        case onFailure = "--on-failure"
        case listFiles = "--list-files"
        case networkPlan = "--network-plan"

        /// The value's name in the help; nil for a flag.
        public var valueName: String? {
            switch self {
            case .config: "FILE"
            case .expectRoot: "DEVICE"
            case .headerCopies: "DIR"
            case .onFailure: "ACTION"
            case .expectRootFromCommandLine, .listFiles, .networkPlan: nil
            }
        }

        public var help: String {
            switch self {
            case .config: "The configuration file."
            case .expectRoot: "The root device the initramfs will mount: it must be /dev/mapper/<a name unlocked here>."
            case .expectRootFromCommandLine:
                "As --expect-root, with the last root= of /proc/cmdline (a systemd initrd, which has no $ROOT); no root= powers off."
            case .headerCopies: "Directory (tmpfs) for the validated header copies."
            case .onFailure: "poweroff (boot) or exit with status 1 (tests on a host)."
            case .listFiles:
                "Only check the configuration and print the files it refers to (for the initramfs hook), one per line; directories end in '/'; 'tss2' when [tpm] needs the TPM libraries."
            case .networkPlan:
                "Only check the configuration and print its [network] as the local-top script reads it (one 'key value...' line each)."
            }
        }
    }

    /// What the command line asked for.
    public enum Parsed: Sendable {
        case run(BootUnlockCommand)
        case help
        case version
    }

    /// A command line that does not parse: exit status 64 (EX_USAGE), as ArgumentParser's.
    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `arguments` (without the program name): `[boot-unlock] [--option VALUE | --option=VALUE]…`,
    /// `--help`/`-h`, `--version`. Each option at most once.
    public static func parse(_ arguments: [String]) throws(UsageError) -> Parsed {
        var command = BootUnlockCommand()
        var seen: Set<Option> = []
        var rest = arguments[...]
        if rest.first == "boot-unlock" { rest = rest.dropFirst() }
        while let argument = rest.popFirst() {
            if argument == "--help" || argument == "-h" || argument == "help" { return .help }
            if argument == "--version" { return .version }
            let (name, inline) = argument.firstIndex(of: "=").map { (String(argument[..<$0]), String(argument[argument.index(after: $0)...])) } ?? (argument, nil)
            guard let option = Option(rawValue: name) else { throw UsageError(description: "unknown argument '\(argument)'") }
            guard seen.insert(option).inserted else { throw UsageError(description: "\(name) given twice") }
            guard let valueName = option.valueName else {
                guard inline == nil else { throw UsageError(description: "\(name) takes no value") }
                switch option {
                case .listFiles: command.listFiles = true
                case .networkPlan: command.networkPlan = true
                default: command.expectRootFromCommandLine = true
                }
                continue
            }
            guard let value = inline ?? rest.popFirst(), !value.isEmpty else { throw UsageError(description: "missing value for \(name) <\(valueName.lowercased())>") }
            switch option {
            case .config: command.config = value
            case .expectRoot: command.expectRoot = value
            case .headerCopies: command.headerCopies = value
            case .onFailure:
                guard let action = FailureAction(rawValue: value) else {
                    throw UsageError(description: "the value '\(value)' is invalid for \(name) <\(valueName.lowercased())>: \(FailureAction.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                command.onFailure = action
            case .expectRootFromCommandLine, .listFiles, .networkPlan: break
            }
        }
        return .run(command)
    }

    /// `guestguard-boot --help`.
    public static func usage(program: String) -> String {
        var text = "OVERVIEW: \(abstract)\n\n\(discussion)\n\nUSAGE: \(program) [boot-unlock] [<options>]\n\nOPTIONS:\n"
        for option in Option.allCases {
            let left = "  " + option.rawValue + (option.valueName.map { " <\($0.lowercased())>" } ?? "")
            text += left.padding(toLength: max(left.count + 2, 34)) + option.help + "\n"
        }
        text += "  --version".padding(toLength: 34) + "Show the version.\n" + "  -h, --help".padding(toLength: 34) + "Show help information.\n"
        return text
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String { count >= length ? self : self + String(repeating: " ", count: length - count) }
}
