import ArgumentParser
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture

extension GuestGuard {
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide the memory-encryption mode (none / SEV / SEV-ES / SEV-SNP) from every source.",
            discussion: """
                Each source is labelled with how far it can be trusted: hardware-enforced (SEV_STATUS in an \
                SEV-ES/SNP guest), kernel-reported, or hypervisor-reported (CPUID). Sources that disagree are \
                reported. Exit status: 0 when sources agree, 1 when they are inconsistent, 3 for an unsupported \
                (non-AMD) confidential guest. Local detection is advisory: only a verified attestation report \
                proves the mode to a remote party. JSON schema: guestguard.detect/v1 (docs/schemas.md).
                """
        )

        @Flag(help: "Print the guestguard.detect/v1 JSON document.")
        var json = false

        @OptionGroup var environment: EnvironmentOptions

        func run() throws {
            let report = EncryptionModeDetector().detect(try environment.detectionEnvironment())
            if json { try Output.json(report.json) } else { print(report.text) }
            if !report.isSupported { throw ExitCode(3) }
            if !report.isConsistent { throw ExitCode(1) }
        }
    }
}
