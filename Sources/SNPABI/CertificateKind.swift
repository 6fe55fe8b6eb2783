/// What a certificate-table entry holds, decided by its GUID (`docs/snp-abi.md` §4.4).
public enum CertificateKind: Sendable, Hashable, CaseIterable {
    /// AMD Root Key (``GUID/ark``).
    case ark
    /// AMD SEV Key or ASVK (``GUID/ask``).
    case ask
    /// VCEK (``GUID/vcek``).
    case vcek
    /// VLEK (``GUID/vlek``).
    case vlek
    /// Certificate revocation list (``GUID/crl``).
    case crl
    /// Any other GUID (the entry's ``CertificateTable/Entry/guid`` says which).
    case other

    /// The kind for `guid`.
    public init(guid: GUID) {
        switch guid {
        case .ark: self = .ark
        case .ask: self = .ask
        case .vcek: self = .vcek
        case .vlek: self = .vlek
        case .crl: self = .crl
        default: self = .other
        }
    }

    /// The well-known GUID of this kind; nil for ``other``.
    public var guid: GUID? {
        switch self {
        case .ark: return .ark
        case .ask: return .ask
        case .vcek: return .vcek
        case .vlek: return .vlek
        case .crl: return .crl
        case .other: return nil
        }
    }
}
