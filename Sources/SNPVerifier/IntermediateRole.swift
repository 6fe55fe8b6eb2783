/// What an AMD intermediate signs, from its common name: `SEV-<product>` is an ASK (signs
/// VCEKs), `SEV-VLEK-<product>` an ASVK (signs VLEKs). AMD's certificates carry no other marker.
public enum IntermediateRole: String, Sendable, Hashable, CustomStringConvertible {
    /// AMD SEV Signing Key.
    case ask = "ASK"
    /// AMD SEV VLEK Signing Key.
    case asvk = "ASVK"

    public init?(commonName: String?) {
        guard let commonName, commonName.hasPrefix("SEV-"), commonName.count > 4 else { return nil }
        if commonName.hasPrefix("SEV-VLEK-") {
            self = .asvk
        } else if commonName == "SEV-VLEK" || commonName == "SEV-VCEK" {
            return nil
        } else {
            self = .ask
        }
    }

    /// The role that may sign a VEK of `kind`.
    public init(signing kind: VEKKind) {
        self = kind == .vcek ? .ask : .asvk
    }

    public var description: String { rawValue }
}
