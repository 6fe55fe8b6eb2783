import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// `/sys/kernel/security/secrets/coco`: created by `efi_secret` when OVMF's launch-secret area
/// holds a table the guest owner injected (SEV / SEV-ES, after checking LAUNCH_MEASURE).
public struct CocoSecretsProbe: EncryptionSignalProbe {
    public let source = SignalSource.cocoSecrets
    static let directory = "/sys/kernel/security/secrets/coco"
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let files = environment.files
        guard let kind = files.kind(Self.directory) else {
            let securityfs = files.kind("/sys/kernel/security") == .directory
            return SignalReading(source: source, trust: .kernelReported, status: .absent,
                                 summary: securityfs ? "no injected launch secret (efi_secret not loaded, or no secret area)"
                                     : "securityfs not mounted at /sys/kernel/security")
        }
        guard kind == .directory else {
            return SignalReading(source: source, trust: .kernelReported, status: .malformed, summary: "\(Self.directory) is not a directory")
        }
        let entries = (try? files.listDirectory(Self.directory)) ?? []
        return SignalReading(source: source, trust: .kernelReported, status: .observed, impliedMode: .sev,
                             summary: "launch-secret area present with \(entries.count) entr\(entries.count == 1 ? "y" : "ies"): memory encryption at least SEV",
                             values: ["entries": .array(entries.map { .string($0) })])
    }
}
