import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// SEV_STATUS (MSR 0xC001_0131) through `/dev/cpu/0/msr`.
///
/// Hardware-enforced when it states SEV-ES or SEV-SNP (the read comes from the encrypted VMSA);
/// for "none" or plain SEV the hypervisor can intercept RDMSR, so such a reading is only
/// hypervisor-reported.
public struct SEVStatusProbe: EncryptionSignalProbe {
    public let source = SignalSource.sevStatusMSR
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let raw: UInt64
        do {
            raw = try environment.msr.readMSR(SEVStatus.msrAddress, cpu: 0)
        } catch {
            return SignalReading(source: source, trust: .hardwareEnforced, status: .unavailable,
                                 summary: Self.explain(error), values: ["error": .string(error.description)])
        }
        let status = SEVStatus(rawValue: raw)
        var values: [String: JSONValue] = [
            "raw": .string(hex64(raw)),
            "bits": .array(status.setBits.map { .string($0.name) }),
        ]
        if status.reservedBitsSet != 0 { values["reservedBitsSet"] = .string(hex64(status.reservedBitsSet)) }
        guard status.isConsistent else {
            return SignalReading(source: source, trust: .hypervisorReported, status: .malformed,
                                 summary: "value \(hex64(raw)) is not a valid SEV_STATUS (feature bits without the mode bits they need)",
                                 values: values)
        }
        let mode = status.mode
        let trust: TrustLevel = mode >= .sevES ? .hardwareEnforced : .hypervisorReported
        let names = status.setBits.map(\.name)
        var summary = names.isEmpty ? "\(hex64(raw)): no SEV bit set" : "\(hex64(raw)): \(names.joined(separator: " "))"
        if status.reservedBitsSet != 0 { summary += " (reserved bits \(hex64(status.reservedBitsSet)) set: newer CPU?)" }
        if trust == .hypervisorReported { summary += "; without SEV-ES the hypervisor can intercept this read" }
        return SignalReading(source: source, trust: trust, status: .observed, impliedMode: mode, summary: summary,
                             values: values, vTOM: mode == .sevSNP ? status.vTOM : nil,
                             svsm: mode == .sevSNP && status.reflectVC ? true : nil)
    }

    /// How to get the MSR when it cannot be read.
    static func explain(_ error: PlatformError) -> String {
        switch error.errno {
        case ErrnoName.ENOENT, ErrnoName.ENODEV, ErrnoName.ENXIO:
            return "/dev/cpu/0/msr missing: load the msr driver (`modprobe msr`; kernel option CONFIG_X86_MSR)"
        case ErrnoName.EACCES, ErrnoName.EPERM:
            return "/dev/cpu/0/msr not readable: needs root with CAP_SYS_RAWIO"
        case ErrnoName.EIO:
            return "reading MSR 0xC0010131 faulted (#GP): this CPU or hypervisor does not implement SEV_STATUS"
        default:
            return "cannot read MSR 0xC0010131: \(error)"
        }
    }
}
