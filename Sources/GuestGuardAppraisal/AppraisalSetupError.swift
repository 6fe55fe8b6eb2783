import SNPVerifier

/// Why an appraiser could not be built from a policy.
public enum AppraisalSetupError: Error, Sendable, CustomStringConvertible {
    /// AMD's embedded roots failed their pinned fingerprints (a corrupted binary).
    case amdRoots(TrustStoreError)
    /// A configured ARK is not a valid self-signed AMD-profile root.
    case untrustworthyRoot(TrustStoreError)
    /// An ARK whose common name is not "ARK-<Milan|Genoa|Turin>".
    case unknownGeneration(String)

    public var description: String {
        switch self {
        case .amdRoots(let error): return "AMD's embedded roots: \(error)"
        case .untrustworthyRoot(let error): return "configured root: \(error)"
        case .unknownGeneration(let name): return "ARK \(name): not ARK-Milan, ARK-Genoa or ARK-Turin"
        }
    }
}
