import GuestGuardConfig
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

/// `boot-unlock`: what `guestguard boot-unlock` and `guestguard-boot` run (the same code; each executable
/// parses the same options its own way, see ``BootUnlockCommand/Option``). Only `guestguard` can load the
/// test-only simulated secure processor from a directory.
public struct BootUnlockCommand: Sendable {
    public static let abstract = "Unlock the root volume(s) at boot, with the initramfs configuration; power off on failure."
    public static let discussion = """
        Reads the configuration baked into the initramfs (brokers, broker pin or CA, resource, retries), then \
        unlocks the volumes its [[volume]] tables name (LUKS2 UUID, volume-key digest) and refuses every other \
        block device whose LUKS2 header carries a guestguard token, and any device-mapper mapping that exists \
        before it runs; the brokers and pins come only from the configuration (the token, like the kernel command \
        line, is host-controlled). Each failure prints one console line with its reason; failed attempts are \
        retried with exponential backoff; when the budget is spent (or the header is refused, or --expect-root \
        names something guestguard did not unlock) the machine is powered off. It never starts a shell.
        """

    public enum FailureAction: String, CaseIterable, Sendable { case poweroff, exit }

    /// `--config FILE`
    public var config: String = BootConfig.defaultPath
    /// `--expect-root DEVICE`
    public var expectRoot: String?
    /// `--expect-root-from-cmdline`
    public var expectRootFromCommandLine = false
    /// `--header-copies DIR`
    public var headerCopies: String = "/run/guestguard"
    /// `--on-failure ACTION`
    public var onFailure: FailureAction = .poweroff
    /// `--list-files`
    public var listFiles = false
    /// `--network-plan`
    public var networkPlan = false

    public init() {}

    /// Thrown after power-off was requested (or, with `--on-failure exit`, instead of it): exit status 1.
    public struct PoweredOff: Error, CustomStringConvertible {
        public var description: String { "the root volume was not unlocked" }
    }

    /// Unlocks, or powers off and throws ``PoweredOff``; `loadSimulator` serves the test-only `simulator` directory setting.
    public func run(loadSimulator: ReportSource.SimulatorLoader?) throws {
        if listFiles || networkPlan {
            let settings: BootConfig
            do {
                settings = try BootConfig(parsing: String(decoding: try CLIFiles.read(config, option: "--config", limit: 1 << 20), as: UTF8.self), fileName: config)
            } catch let error as ConfigError {
                throw CLIError(message: "invalid configuration", causes: [error.description])
            }
            if networkPlan {
                print(settings.network.plan, terminator: "")
                return
            }
            // The hook runs this when the initramfs is built: the test-only switch is announced there too.
            if let warning = settings.brokerTrust.warning { FileHandleStandardError.write("guestguard: WARNING: \(warning) (baked into the initramfs)\n") }
            for path in [settings.brokerCA, settings.simulator.map { CLIFiles.absolute(String($0.reversed().drop(while: { $0 == "/" }).reversed())) + "/" }].compactMap({ $0 }) { print(path) }
            // The vTPM's libraries are loaded with dlopen() (CTSS2): the hook copies them only when told.
            if settings.tpmTCTI != nil { print("tss2") }
            return
        }
        let power: any PowerControl = onFailure == .poweroff ? RebootPowerControl() : ExitInsteadOfPowerOff()
        let console: @Sendable (String) -> Void = { FileHandleStandardOutput.writeLine($0) }
        do { try ProcessHardening.setNondumpable() } catch {
            console("guestguard: \(error)")
            try stop(power: power, console: console)
        }
        let settings: BootConfig
        do {
            let bytes = try CLIFiles.files.readFile(CLIFiles.absolute(config), limit: 1 << 20)
            settings = try BootConfig(parsing: String(decoding: bytes, as: UTF8.self), fileName: config)
        } catch {
            console("guestguard: configuration \(config): \(error)")
            try stop(power: power, console: console)
        }
        let reports: any AttestationReportProvider
        do {
            if let simulator = settings.simulator ?? settings.simulatorPort {
                console("guestguard: TEST ONLY: the SIMULATED secure processor \(settings.simulator == nil ? "on the host, port" : "in") \(simulator) (not AMD; never in production)")
            }
            reports = try ReportSource.provider(simulatorDirectory: settings.simulator, simulatorPort: settings.simulatorPort, loadSimulator: loadSimulator)
        } catch {
            console("guestguard: \(error)".replacingNewlines())
            try stop(power: power, console: console)
        }
        let files = HostFileSystem()
        var expectRoot = self.expectRoot
        if expectRootFromCommandLine {
            // The systemd initrd mounts what root= names (fstab-generator), or with none a discoverable GPT partition (gpt-auto): only root=/dev/mapper/<ours> boots.
            let commandLine = KernelCommandLine((try? files.readText("/proc/cmdline", limit: 64 << 10)) ?? "")
            let refused = commandLine.refusedTokensForSystemdInitrd
            if !refused.isEmpty {
                console("guestguard: the kernel command line has \(refused.joined(separator: " ")), which would go around the unlock")
                try stop(power: power, console: console)
            }
            guard let root = commandLine.lastValue(of: "root") else {
                console("guestguard: the kernel command line names no root=; refusing to boot whatever the initrd would find")
                try stop(power: power, console: console)
            }
            expectRoot = root
        }
        let logger = VolumeLogger.standard
        let unlock = VolumeUnlock(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck(), files: files,
                                  random: GetrandomSource(), copyDirectory: CLIFiles.absolute(headerCopies))
        let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: "", logger: logger)), unlock: unlock,
                              expected: settings.volumes, mode: .boot)
        let tpm = TPMOptions(tcti: settings.tpmTCTI, pcr: settings.tpmPCR)
        do { try tpm.validate() } catch {
            console("guestguard: configuration \(config): [tpm]: \(error)".replacingNewlines())
            try stop(power: power, console: console)
        }
        let naming = UnlockPlan.Naming.custom { settings.mappingName(for: $0) }
        let copies = CLIFiles.absolute(headerCopies)
        let lastAttempt = AttemptMeasurement()
        let boot = BootUnlock(retries: settings.retries, clock: SystemClock(), power: power, console: console)
        let outcome = boot.run(expectedRoot: expectRoot) {
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
            // One attestation per attempt: the first volume's key request fetches the keys of every volume the configuration names.
            let keys = AttestedKeys(resources: settings.resources) { resources in
                try BrokerKey.fetch(trust: settings.brokerTrust, resources: resources, reports: recorded,
                                          warn: { console("guestguard: WARNING: \($0)") }, measured: measured,
                                          tuning: BrokerTuning(network: settings.network))
            }
            return plan.run(naming: naming) { volume in
                .broker { token in
                    // Brokers, their trust and the resource from the measured configuration; only the keyslot from the token.
                    if let ignored = settings.brokerTrust.ignoredTokenBrokers(token.untrustedBrokers) { console("guestguard: note: \(ignored)") }
                    return try keys.key(for: settings.resource(for: volume))
                }
            }
        }
        if case .unlocked = outcome, let measured = lastAttempt.get() {
            do {
                if let line = try measured.extendAfterUnlock() { console("guestguard: \(line)".replacingNewlines()) }
            } catch {
                console("guestguard: \(error)".replacingNewlines())
                try stop(power: power, console: console)
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
            throw PoweredOff()
        }
    }

    /// Configuration problems are not retried: straight to power-off (or exit 1 in tests).
    func stop(power: any PowerControl, console: @Sendable (String) -> Void) throws -> Never {
        console("guestguard: cannot unlock the root volume; powering off")
        if let error = power.powerOff() { console("guestguard: power-off failed: \(error)") }
        throw PoweredOff()
    }

    /// The TPM measurement of the latest attempt (extended only after a successful unlock).
    final class AttemptMeasurement: Sendable {
        private let current = Mutex<UnlockTPMMeasurement?>(nil)
        func set(_ measurement: UnlockTPMMeasurement) { current.withLock { $0 = measurement } }
        func get() -> UnlockTPMMeasurement? { current.withLock { $0 } }
    }

    /// `--on-failure exit`: report instead of powering off (host tests, never the initramfs).
    struct ExitInsteadOfPowerOff: PowerControl {
        func powerOff() -> PlatformError? { nil }
    }
}
