import ArgumentParser
import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import Logging
import Synchronization

extension GuestGuard {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock LUKS2 volumes with a key released against SNP evidence (or an injected SEV launch secret).",
            discussion: """
                The header is copied into /run/guestguard (tmpfs) and validated from that copy before any key is \
                requested: cipher allow-list, no cipher_null, KDF bounds, keyslot areas inside the header, one crypt \
                segment, the guestguard token naming only its own keyslot. The key is then fetched from the brokers \
                of --broker (with --broker-pin or --broker-ca) or of --config (default /etc/guestguard/guestguard.toml), never \
                from brokers the token names: its header is host-writable (or the key is taken from the efi_secret launch \
                secret with --launch-secret), the token's keyslot \
                is opened through the validated copy, and the copy is removed. The process is non-dumpable and the key \
                stays in locked memory. Without DEVICE, every block device whose LUKS2 header carries a guestguard \
                token is unlocked as luks-<UUID> (or verified with --verify-only) if --volume names its LUKS2 UUID, and \
                refused (named, with its UUID) otherwise; a mapping that already has the name counts only when its dm \
                uuid and lower device prove it is that volume's. One line per device; the exit status is non-zero if \
                any failed.
                """
        )

        @Argument(help: "The LUKS2 device or image (default: every block device with a guestguard token).")
        var device: String?

        @Option(help: "Device-mapper name to activate (without DEVICE: only with exactly one --volume; default luks-<UUID>).")
        var name: String?

        @Option(name: .customLong("volume"), help: ArgumentHelp(
            "A LUKS2 UUID to unlock (repeatable). Without DEVICE: these volumes (default: the [[volume]] tables of --config), every other device with a guestguard token is refused; with DEVICE, DEVICE must be that volume.",
            valueName: "UUID"))
        var volumes: [String] = []

        @Flag(name: .customLong("verify-only"), help: "Only check that the key opens the volume (no device-mapper needed).")
        var verifyOnly = false

        @Flag(name: .customLong("launch-secret"), help: "Use the SEV/SEV-ES launch secret 736869e5-… from /sys/kernel/security/secrets/coco.")
        var launchSecret = false

        @OptionGroup var broker: BrokerOptions

        @Option(name: .customLong("header-copies"), help: ArgumentHelp("Directory (tmpfs) for the validated header copy.", valueName: "DIR"))
        var headerCopies: String = "/run/guestguard"

        @Option(name: .customLong("root"), help: ArgumentHelp("Without DEVICE: discover block devices under DIR (its sys/class/block and dev) instead of / (tests).",
                                                           valueName: "DIR", visibility: .hidden))
        var root: String = ""

        @Flag(help: "Print how long each phase took to standard error (attest, broker round trips, header check, keyslot open). No secrets.")
        var timings = false

        @OptionGroup var source: ReportSourceOptions

        @OptionGroup var tpm: TPMArguments

        func validate() throws {
            if let bad = volumes.first(where: { !ExpectedVolume.isUUID($0) }) { throw ValidationError("--volume \(bad): not a LUKS2 UUID (8-4-4-4-12 hex digits)") }
            if device != nil, volumes.count > 1 { throw ValidationError("with DEVICE, give at most one --volume (the volume DEVICE must be)") }
            if device != nil {
                guard verifyOnly != (name != nil) else { throw ValidationError("give --name NAME to activate, or --verify-only") }
            } else {
                guard !(verifyOnly && name != nil) else { throw ValidationError("give --name or --verify-only, not both") }
                guard !launchSecret else { throw ValidationError("--launch-secret needs DEVICE (the launch secret is one key, used once)") }
            }
        }

        func run() async throws {
            try ProcessHardening.setNondumpable()
            let started = ContinuousClock.now
            let logger = VolumeLogger.standard
            let files = HostFileSystem()
            if !verifyOnly, !DeviceMapperSupport.isAvailable(files: files) {
                throw CLIError(message: "cannot activate: the kernel has no device-mapper (no device-mapper in /proc/misc; load dm_mod)",
                               causes: ["use --verify-only to check the key without activating"])
            }
            let unlock = VolumeUnlock(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck(), files: files,
                                      random: GetrandomSource(), copyDirectory: CLIFiles.absolute(headerCopies))
            let phases = timings ? BrokerPhaseTimer() : nil
            let measured = try UnlockTPMMeasurement(options: tpm.options, directory: CLIFiles.absolute(headerCopies))
            let keySource: VolumeUnlock.KeySource
            if launchSecret {
                keySource = .launchSecret(LaunchSecret(files: files))
            } else {
                let reports = measured.recording(try source.provider())
                // Brokers given on the command line must be right at once; without them, a missing or bad
                // configuration is reported per volume, naming the brokers its token claims (never used).
                if !broker.brokers.isEmpty { _ = try broker.trust() }
                let trust = broker.resolved()
                keySource = .broker { token in
                    switch trust {
                    case .success(let trust):
                        if let note = trust.ignoredTokenBrokers(token.untrustedBrokers) { FileHandleStandardError.write("guestguard: note: \(note)\n") }
                        return try BrokerKey.fetch(trust: trust, resource: token.resource, reports: reports, warn: Self.warn,
                                                              phases: phases, measured: measured)
                    case .failure(let error):
                        let named = token.untrustedBrokers.isEmpty ? [] : ["the token names \(token.untrustedBrokers.joined(separator: ", ")): host-written, never trusted"]
                        throw CLIError(message: error.message, causes: error.causes + named)
                    }
                }
            }
            if let device {
                do {
                    let outcome = try unlock.unlock(device: CLIFiles.absolute(device), name: verifyOnly ? nil : name, keySource: keySource,
                                                          expected: expectedVolumes.first)
                    let slot = outcome.keyslot.map { "keyslot \($0)" } ?? "a keyslot"
                    print(verifyOnly ? "\(device): the key opens \(slot) (verified, not activated)" : "\(device): unlocked \(slot) as /dev/mapper/\(name!)")
                    if timings { Self.printTimings(outcome.timings, phases: phases, since: started) }
                } catch {
                    throw CLIError(message: "\(device) not unlocked", causes: [error.description])
                }
                if let line = try measured.extendAfterUnlock() { print(line) }
                return
            }
            try measured.afterUnlocking { try unlockAll(unlock: unlock, logger: logger, keySource: keySource, phases: phases, started: started) }
        }

        /// Without DEVICE: every block device whose LUKS2 header carries a guestguard token.
        func unlockAll(unlock: VolumeUnlock, logger: Logger, keySource: VolumeUnlock.KeySource,
                       phases: BrokerPhaseTimer?, started: ContinuousClock.Instant) throws
        {
            let expected = volumes.isEmpty ? try broker.configuredVolumes() : expectedVolumes
            guard !expected.isEmpty else {
                throw CLIError(message: "without DEVICE, name the volumes to unlock with --volume UUID or [[volume]] in \(broker.config)",
                               causes: ["every other block device with a guestguard token is refused (`guestguard format` and `enroll` print the UUID)"])
            }
            let root = self.root.isEmpty ? "" : CLIFiles.absolute(self.root)
            let discovery = TokenVolumeDiscovery(files: HostFileSystem(root: root), probe: CryptsetupDeviceProbe(root: root, logger: logger))
            let plan = UnlockPlan(discovery: discovery, unlock: unlock, deviceRoot: HostFileSystem(root: root).root, expected: expected)
            let naming: UnlockPlan.Naming
            if verifyOnly {
                naming = .verifyOnly
            } else if let name {
                guard expected.count == 1 else {
                    throw CLIError(message: "--name \(name) names one volume, but \(expected.count) are expected", causes: expected.map(\.description))
                }
                naming = .custom { _ in name }
            } else {
                naming = .systemd
            }
            let results = plan.run(naming: naming, keySource: keySource)
            guard !results.isEmpty else { throw CLIError(message: "no block device carries a guestguard token") }
            for result in results {
                switch result.status {
                case .unlocked(let outcome):
                    let slot = outcome.keyslot.map { "keyslot \($0)" } ?? "a keyslot"
                    print(result.name.map { "\(result.device): unlocked \(slot) as /dev/mapper/\($0)" } ?? "\(result.device): the key opens \(slot) (verified, not activated)")
                    if timings { Self.printTimings(outcome.timings, phases: phases, since: started) }
                case .alreadyActive:
                    print("\(result.device): already active as /dev/mapper/\(result.name ?? "?")")
                case .failed(let error):
                    FileHandleStandardError.write("error: \(result.device) not unlocked\nbecause: \(error)\n")
                }
            }
            let failed = results.filter { !$0.succeeded }.count
            if failed > 0 { throw ExitCode(1) }
        }

        /// Warnings (the test-only plain http switch) on standard error, every time.
        static func warn(_ line: String) { FileHandleStandardError.write("guestguard: WARNING: \(line)\n") }

        /// The volumes `--volume` names (without DEVICE and without `--volume`: the configuration's `[[volume]]` tables).
        var expectedVolumes: [ExpectedVolume] { volumes.map { ExpectedVolume(uuid: $0) } }

        /// `timing: <phase> <milliseconds> ms` lines on standard error.
        static func printTimings(_ timings: UnlockTimings, phases: BrokerPhaseTimer?, since started: ContinuousClock.Instant) {
            var lines = [("header-copy", timings.headerCopy), ("header-check", timings.headerCheck)]
            if let phases {
                let measured = phases.totals
                lines += [("attest", measured.attest), ("broker", measured.broker)]
            }
            lines += [("key-fetch", timings.keyFetch), ("keyslot-open", timings.keyslotOpen), ("run", ContinuousClock.now - started)]
            var text = ""
            for (phase, duration) in lines { text += "timing: \(phase) \(UnlockTimings.milliseconds(duration)) ms\n" }
            if let phases { text += "timing: broker-round-trips \(phases.totals.roundTrips)\n" }
            FileHandleStandardError.write(text)
        }
    }
}
