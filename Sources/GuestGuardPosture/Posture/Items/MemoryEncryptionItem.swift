import GuestGuardCore
import CanonicalJSON
import SNPABI

/// The memory-encryption mode from `guestguard detect`: SNP is ok; SEV-ES lacks integrity and
/// runtime attestation (warn); SEV exposes register state and none exposes everything (fail).
public struct MemoryEncryptionItem: PostureItem {
    public let id = "memory-encryption"
    public let title = "memory encryption"
    public let channel: String? = "P32"
    public let defaultMode = DenyMode.require
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let detection = context.detection
        var details: [String: JSONValue] = [
            "mode": .string(detection.mode.rawValue),
            "basis": .optional(detection.basis?.rawValue),
            "consistent": .bool(detection.isConsistent),
        ]
        if let vTOM = detection.vTOM { details["vtom"] = .bool(vTOM) }
        if let svsm = detection.svsm { details["svsm"] = .bool(svsm) }
        if let other = detection.otherTEE {
            details["otherTEE"] = .string(other)
            return finding(.unknown, "\(other) guest: not supported by guestguard", details)
        }
        if let first = detection.inconsistencies.first {
            return finding(.fail, first, details)
        }
        let basis = detection.basis.map { " (\($0.rawValue))" } ?? ""
        switch detection.mode {
        case .sevSNP:
            if detection.basis == .hypervisorReported {
                return finding(.warn, "SEV-SNP claimed only by hypervisor-reported sources", details)
            }
            return finding(.ok, "SEV-SNP active\(basis)", details)
        case .sevES:
            return finding(.warn, "SEV-ES active\(basis): no memory integrity, no runtime attestation", details)
        case .sev:
            return finding(.fail, "plain SEV\(basis): register state is visible to the hypervisor", details)
        case .none:
            return finding(.fail, "no memory encryption: the hypervisor can read all guest memory", details)
        }
    }
}
