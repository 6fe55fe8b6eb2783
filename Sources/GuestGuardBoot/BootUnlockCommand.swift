import ArgumentParser
import GuestGuardConfig
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

extension GuestGuard {
    struct BootUnlockCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "boot-unlock",
            abstract: "Unlock the root volume(s) at boot, with the initramfs configuration; power off on failure.",
            discussion: """
                Reads the configuration baked into the initramfs (brokers, broker pin or CA, resource, retries), then \
                unlocks the volumes its [[volume]] tables name (LUKS2 UUID, volume-key digest) and refuses every other \
                block device whose LUKS2 header carries a guestguard token, and any device-mapper mapping that exists \
                before it runs; the brokers and pins come only from the configuration (the token, like the kernel command \
                line, is host-controlled). Each failure prints one console line with its reason; failed attempts are \
                retried with exponential backoff; when the budget is spent (or the header is refused, or --expect-root \
                names something guestguard did not unlock) the machine is powered off. It never starts a shell.
                """
        )

        @Option(help: ArgumentHelp("The configuration file.", valueName: "FILE"))
        var config: String = BootConfig.defaultPath

        @Option(name: .customLong("expect-root"), help: ArgumentHelp("The root device the initramfs will mount: it must be /dev/mapper/<a name unlocked here>.", valueName: "DEVICE"))
        var expectRoot: String?

        @Flag(name: .customLong("expect-root-from-cmdline"), help: "As --expect-root, with the last root= of /proc/cmdline (a systemd initrd, which has no $ROOT); no root= powers off.")
        var expectRootFromCommandLine = false

        @Option(name: .customLong("header-copies"), help: ArgumentHelp("Directory (tmpfs) for the validated header copies.", valueName: "DIR"))
        var headerCopies: String = "/run/guestguard"

        enum FailureAction: String, ExpressibleByArgument, CaseIterable { case poweroff, exit }

        @Option(name: .customLong("on-failure"), help: ArgumentHelp("poweroff (boot) or exit with status 1 (tests on a host).", valueName: "ACTION"))
        var onFailure: FailureAction = .poweroff

        @Flag(name: .customLong("list-files"), help: "Only check the configuration and print the files it refers to (for the initramfs hook), one per line; directories end in '/'.")
        var listFiles = false

        func run() async throws {
            if listFiles {
                let settings: BootConfig
                do {
                    settings = try BootConfig(parsing: String(decoding: try CLIFiles.read(config, option: "--config", limit: 1 << 20), as: UTF8.self), fileName: config)
                } catch let error as ConfigError {
                    throw CLIError(message: "invalid configuration", causes: [error.description])
                }
                // The hook runs this when the initramfs is built: the test-only switch is announced there too.
                if let warning = settings.brokerTrust.warning { Unlock.warn(warning + " (baked into the initramfs)") }
                for path in [settings.brokerCA, settings.simulator.map { CLIFiles.absolute(String($0.reversed().drop(while: { $0 == "/" }).reversed())) + "/" }].compactMap({ $0 }) { print(path) }
                return
            }
            guestguard_set_nondumpable_checked()
            let power: any PowerControl = onFailure == .poweroff ? RebootPowerControl() : ExitInsteadOfPowerOff()
            let console: @Sendable (String) -> Void = { print($0) }
            let settings: BootConfig
            do {
                let bytes = try CLIFiles.files.readFile(CLIFiles.absolute(config), limit: 1 << 20)
                settings = try BootConfig(parsing: String(decoding: bytes, as: UTF8.self), fileName: config)
            } catch {
                console("guestguard: configuration \(config): \(error)")
                try await Self.stop(power: power, console: console)
            }
            let reports: any AttestationReportProvider
            do {
                var source = ReportSourceOptions()
                source.simulatorDirectory = settings.simulator
                source.simulatorPort = settings.simulatorPort
                if let simulator = settings.simulator ?? settings.simulatorPort {
                    console("guestguard: TEST ONLY: the SIMULATED secure processor \(settings.simulator == nil ? "on the host, port" : "in") \(simulator) (not AMD; never in production)")
                }
                reports = try source.provider()
            } catch {
                console("guestguard: \(error)".replacingNewlines())
                try await Self.stop(power: power, console: console)
            }
            let files = HostFileSystem()
            var expectRoot = self.expectRoot
            if expectRootFromCommandLine {
                // The systemd initrd mounts what root= names (fstab-generator), or with none a discoverable GPT partition (gpt-auto): only root=/dev/mapper/<ours> boots.
                let commandLine = KernelCommandLine((try? files.readText("/proc/cmdline", limit: 64 << 10)) ?? "")
                let refused = commandLine.refusedTokensForSystemdInitrd
                if !refused.isEmpty {
                    console("guestguard: the kernel command line has \(refused.joined(separator: " ")), which would go around the unlock")
                    try await Self.stop(power: power, console: console)
                }
                guard let root = commandLine.lastValue(of: "root") else {
                    console("guestguard: the kernel command line names no root=; refusing to boot whatever the initrd would find")
                    try await Self.stop(power: power, console: console)
                }
                expectRoot = root
            }
            let logger = GuestGuard.volumeLogger
            let unlock = VolumeUnlock(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck(), files: files,
                                      random: GetrandomSource(), copyDirectory: CLIFiles.absolute(headerCopies))
            let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: "", logger: logger)), unlock: unlock,
                                  expected: settings.volumes, mode: .boot)
            var tpmOptions = TPMOptions()
            (tpmOptions.tcti, tpmOptions.pcr) = (settings.tpmTCTI, settings.tpmPCR)
            let tpm = tpmOptions
            do { try tpm.validate() } catch {
                console("guestguard: configuration \(config): [tpm]: \(error)".replacingNewlines())
                try await Self.stop(power: power, console: console)
            }
            let naming = UnlockPlan.Naming.custom { settings.mappingName(for: $0) }
            let copies = CLIFiles.absolute(headerCopies)
            let lastAttempt = AttemptMeasurement()
            let boot = BootUnlock(retries: settings.retries, clock: SystemClock(), power: power, console: console)
            let outcome = await boot.run(expectedRoot: expectRoot) {
                guard DeviceMapperSupport.isAvailable(files: files) else {
                    return [VolumeUnlockResult(device: "device-mapper", uuid: nil, name: nil,
                                               status: .failed(.metadata(device: "device-mapper", reason: "not in /proc/misc (load dm_mod, dm_crypt)")))]
                }
                // A fresh measurement per attempt: only the keys of the attempt that unlocked are measured.
                let measured: UnlockTPMMeasurement
                do { measured = try UnlockTPMMeasurement(options: tpm, directory: copies) } catch {
                    return [VolumeUnlockResult(device: "tpm", uuid: nil, name: nil, status: .failed(.key("\(error)".replacingNewlines())))]
                }
                lastAttempt.set(measured)
                let recorded = measured.recording(reports)
                let keySource = VolumeUnlock.KeySource.broker { token in
                    // Brokers, their trust and the resource from the measured configuration; only the keyslot from the token.
                    if let ignored = settings.brokerTrust.ignoredTokenBrokers(token.untrustedBrokers) { console("guestguard: note: \(ignored)") }
                    return try await GuestGuard.brokerKey(trust: settings.brokerTrust, resource: settings.resource, reports: recorded,
                                                          warn: { console("guestguard: WARNING: \($0)") }, measured: measured)
                }
                return await plan.run(naming: naming, keySource: keySource)
            }
            if case .unlocked = outcome, let measured = lastAttempt.get() {
                do {
                    if let line = try measured.extendAfterUnlock() { console("guestguard: \(line)".replacingNewlines()) }
                } catch {
                    console("guestguard: \(error)".replacingNewlines())
                    try await Self.stop(power: power, console: console)
                }
            }
            switch outcome {
            case .unlocked(let attempts, let results):
                for result in results {
                    let slot: String
                    if case .unlocked(let done) = result.status, let keyslot = done.keyslot { slot = " (keyslot \(keyslot))" } else { slot = "" }
                    console("guestguard: \(result.device) unlocked as /dev/mapper/\(result.name ?? "?")\(slot) after \(attempts) attempt\(attempts == 1 ? "" : "s")")
                }
            case .poweredOff:
                throw ExitCode(1)
            }
        }

        /// Configuration problems are not retried: straight to power-off (or exit 1 in tests).
        static func stop(power: any PowerControl, console: @Sendable (String) -> Void) async throws -> Never {
            console("guestguard: cannot unlock the root volume; powering off")
            if let error = await power.powerOff() { console("guestguard: power-off failed: \(error)") }
            throw ExitCode(1)
        }
    }

    /// The TPM measurement of the latest attempt (extended only after a successful unlock).
    final class AttemptMeasurement: Sendable {
        private let current = Mutex<UnlockTPMMeasurement?>(nil)
        func set(_ measurement: UnlockTPMMeasurement) { current.withLock { $0 = measurement } }
        func get() -> UnlockTPMMeasurement? { current.withLock { $0 } }
    }

    /// `--on-failure exit`: report instead of powering off (host tests, never the initramfs).
    struct ExitInsteadOfPowerOff: PowerControl {
        func powerOff() async -> PlatformError? { nil }
    }
}

extension String {
    /// One console line.
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
