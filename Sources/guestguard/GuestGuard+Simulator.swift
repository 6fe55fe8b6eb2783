import ArgumentParser
import GuestGuardBoot
import GuestGuardCrypto
import GuestGuardLinux
import SNPABI
import SNPSimulator

extension GuestGuard {
    struct Simulator: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The SIMULATED AMD secure processor (not AMD): test keys that sign real-format reports.",
            subcommands: [Initialize.self, Serve.self]
        )

        struct Initialize: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "init",
                abstract: "Create a simulated secure processor in DIR: test ARK/ASK/VCEK, settings, and an example policy.",
                discussion: """
                    Writes DIR/simulator.toml, ark.pem, ask.pem, vcek.pem, cert_chain.pem, vcek-key.pem (0600) and \
                    policy.toml, a verification policy that trusts this ARK (by fingerprint) and the configured \
                    measurement. Reports from it verify only against a policy naming its ARK, never against AMD's roots.
                    """
            )

            @Argument(help: "Directory to create or overwrite.")
            var directory: String

            @Option(help: ArgumentHelp("Launch measurement (48 bytes hex). Default: SHA-384 of \"guestguard simulated guest\".", valueName: "HEX"))
            var measurement: String?

            @Option(help: ArgumentHelp("Guest policy (hex u64; bit 17 must be set).", valueName: "HEX"))
            var policy: String = "0x30000"

            @Option(help: ArgumentHelp("TCB: bl=N,tee=N,snp=N,ucode=N[,fmc=N].", valueName: "LIST"))
            var tcb: String = "bl=3,tee=0,snp=8,ucode=115"

            @Option(help: "Processor generation: milan, genoa or turin.")
            var generation: String = "milan"

            @Option(name: .customLong("report-version"), help: "Report format version, 3 or 5.")
            var reportVersion: UInt32 = 3

            @Option(name: .customLong("host-data"), help: ArgumentHelp("HOST_DATA (32 bytes hex).", valueName: "HEX"))
            var hostData: String?

            func run() throws {
                var settings = SimulatorSettings()
                guard let parsedGeneration = ProcessorGeneration(rawValue: generation) else {
                    throw ValidationError("--generation: expected milan, genoa or turin, got \(String(reflecting: generation))")
                }
                settings.generation = parsedGeneration
                settings.reportVersion = reportVersion
                if let measurement {
                    settings.measurement = try HexArgument.decode(measurement, option: "--measurement", count: 48...48)
                } else {
                    settings.measurement = try HashFunction.sha384.hash(Array("guestguard simulated guest".utf8))
                }
                let digits = policy.hasPrefix("0x") ? String(policy.dropFirst(2)) : policy
                guard let parsedPolicy = UInt64(digits, radix: 16) else { throw ValidationError("--policy: \(String(reflecting: policy)) is not a hex u64") }
                settings.policy = parsedPolicy
                if let hostData { settings.hostData = try HexArgument.decode(hostData, option: "--host-data", count: 32...32) }
                try Self.apply(tcb: tcb, to: &settings)
                var chipID = try GetrandomSource().bytes(64)
                if parsedGeneration == .turin { for index in 8..<64 { chipID[index] = 0 } }
                settings.chipID = chipID
                let now = SystemClock().now().seconds
                let processor: SimulatedSecureProcessor
                do {
                    processor = try SimulatedSecureProcessor.initialize(directory: CLIFiles.absolute(directory), settings: settings,
                                                                        files: HostFileSystem(), random: GetrandomSource(), now: now)
                } catch {
                    throw CLIError(message: "cannot create the simulator in \(directory)", causes: [error.description])
                }
                print("simulated secure processor (NOT AMD) in \(directory): \(parsedGeneration.kdsProductName), report v\(reportVersion)")
                print("ARK SHA-256: \(processor.arkFingerprint)")
                print("measurement: \(HexArgument.encode(settings.measurement))")
                print("example policy: \(directory)/policy.toml")
            }

            static func apply(tcb text: String, to settings: inout SimulatorSettings) throws {
                for item in text.split(separator: ",") {
                    let parts = item.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, let value = UInt8(parts[1]) else {
                        throw ValidationError("--tcb: \(String(reflecting: String(item))) is not NAME=0…255")
                    }
                    switch parts[0] {
                    case "bl": settings.bootLoader = value
                    case "tee": settings.tee = value
                    case "snp": settings.snp = value
                    case "ucode": settings.microcode = value
                    case "fmc": settings.fmc = value
                    default: throw ValidationError("--tcb: unknown component \(String(reflecting: String(parts[0]))) (bl, tee, snp, ucode, fmc)")
                    }
                }
            }
        }
    }
}
