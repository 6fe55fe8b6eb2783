import ArgumentParser
import GuestGuardBoot

extension GuestGuard {
    /// `guestguard boot-unlock`: the options and code of `guestguard-boot` (GuestGuardBoot's ``BootUnlockCommand``),
    /// plus the test-only simulated secure processor loaded from a directory (`simulator` in [test-only]).
    struct BootUnlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "boot-unlock", abstract: BootUnlockCommand.abstract,
                                                        discussion: BootUnlockCommand.discussion)

        @Option(help: ArgumentHelp(BootUnlockCommand.Option.config.help, valueName: "FILE"))
        var config: String = BootUnlockCommand().config

        @Option(name: .customLong("expect-root"), help: ArgumentHelp(BootUnlockCommand.Option.expectRoot.help, valueName: "DEVICE"))
        var expectRoot: String?

        @Flag(name: .customLong("expect-root-from-cmdline"), help: ArgumentHelp(BootUnlockCommand.Option.expectRootFromCommandLine.help))
        var expectRootFromCommandLine = false

        @Option(name: .customLong("header-copies"), help: ArgumentHelp(BootUnlockCommand.Option.headerCopies.help, valueName: "DIR"))
        var headerCopies: String = BootUnlockCommand().headerCopies

        @Option(name: .customLong("on-failure"), help: ArgumentHelp(BootUnlockCommand.Option.onFailure.help, valueName: "ACTION"))
        var onFailure: BootUnlockCommand.FailureAction = .poweroff

        @Flag(name: .customLong("list-files"), help: ArgumentHelp(BootUnlockCommand.Option.listFiles.help))
        var listFiles = false

        @Flag(name: .customLong("network-plan"), help: ArgumentHelp(BootUnlockCommand.Option.networkPlan.help))
        var networkPlan = false

        func run() async throws {
            var command = BootUnlockCommand()
            (command.config, command.expectRoot, command.expectRootFromCommandLine) = (config, expectRoot, expectRootFromCommandLine)
            (command.headerCopies, command.onFailure, command.listFiles, command.networkPlan) = (headerCopies, onFailure, listFiles, networkPlan)
            do { try command.run(loadSimulator: ReportSourceOptions.loadSimulator) } catch is BootUnlockCommand.PoweredOff { throw ExitCode(1) }
        }
    }
}

extension BootUnlockCommand.FailureAction: ExpressibleByArgument {}
