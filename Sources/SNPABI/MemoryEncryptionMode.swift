/// The AMD memory-encryption mode a guest runs in.
public enum MemoryEncryptionMode: String, Sendable, Hashable, CaseIterable, Comparable {
    /// No memory encryption.
    case none
    /// SEV: memory encrypted, register state visible to the hypervisor.
    case sev = "sev"
    /// SEV-ES: memory and register state encrypted.
    case sevES = "sev-es"
    /// SEV-SNP: SEV-ES plus integrity (RMP) and attestation reports.
    case sevSNP = "sev-snp"

    /// Human name as AMD writes it.
    public var displayName: String {
        switch self {
        case .none: return "none"
        case .sev: return "SEV"
        case .sevES: return "SEV-ES"
        case .sevSNP: return "SEV-SNP"
        }
    }

    private var rank: Int {
        switch self {
        case .none: return 0
        case .sev: return 1
        case .sevES: return 2
        case .sevSNP: return 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
