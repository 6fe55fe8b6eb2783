import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// `/sys/devices/system/cpu/sev/vmpl`: present only in SEV-SNP guests (kernel ≥ 6.10); the VMPL
/// the kernel runs at. Above 0 means an SVSM or paravisor runs below it at VMPL 0.
public struct SEVVMPLProbe: EncryptionSignalProbe {
    public let source = SignalSource.sevVMPL
    static let path = "/sys/devices/system/cpu/sev/vmpl"
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        guard environment.files.exists(Self.path) else {
            return SignalReading(source: source, trust: .kernelReported, status: .absent, summary: "\(Self.path) absent")
        }
        let text: String
        do { text = try environment.files.readText(Self.path, limit: 64) } catch {
            if error.errno == ErrnoName.EFBIG {
                return SignalReading(source: source, trust: .kernelReported, status: .malformed, summary: "\(Self.path) is longer than a VMPL number")
            }
            return SignalReading(source: source, trust: .kernelReported, status: .unavailable, summary: "cannot read \(Self.path): \(error)")
        }
        guard let vmpl = Int(text.trimmingWhitespace()), (0...3).contains(vmpl) else {
            return SignalReading(source: source, trust: .kernelReported, status: .malformed,
                                 summary: "\(Self.path) holds \(String(reflecting: String(text.prefix(32)))), not a VMPL 0–3")
        }
        return SignalReading(source: source, trust: .kernelReported, status: .observed, impliedMode: .sevSNP,
                             summary: "SNP guest running at VMPL \(vmpl)\(vmpl > 0 ? " (an SVSM or paravisor runs at VMPL 0)" : "")",
                             values: ["vmpl": .integer(Int64(vmpl))], svsm: vmpl > 0)
    }
}
