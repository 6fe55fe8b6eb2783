/// The kind of versioned endorsement key certificate, from its common name.
public enum VEKKind: String, Sendable, Hashable, CustomStringConvertible {
    /// Versioned Chip Endorsement Key (`CN=SEV-VCEK`), chip-unique, issued by an ASK.
    case vcek = "VCEK"
    /// Versioned Loaded Endorsement Key (`CN=SEV-VLEK`), a cloud provider's, issued by an ASVK.
    case vlek = "VLEK"

    public init?(commonName: String?) {
        switch commonName {
        case "SEV-VCEK": self = .vcek
        case "SEV-VLEK": self = .vlek
        default: return nil
        }
    }

    public var description: String { rawValue }
}
