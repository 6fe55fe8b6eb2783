import GuestGuardCrypto

/// The ARKs a verifier trusts. The default (``AMDRootCertificates/trustStore()``) holds AMD's
/// pinned roots only; a caller adds other roots explicitly with ``add(_:)``.
public struct TrustStore: Sendable {
    public private(set) var roots: [TrustedRoot]

    public init(roots: [TrustedRoot] = []) {
        self.roots = roots
    }

    /// Trusts one more root.
    public mutating func add(_ root: TrustedRoot) {
        roots.append(root)
    }

    /// A copy that also trusts `root`.
    public func adding(_ root: TrustedRoot) -> TrustStore {
        var copy = self
        copy.add(root)
        return copy
    }

    /// The roots whose subject name is `certificate`'s issuer name.
    func roots(issuing certificate: X509Certificate) -> [TrustedRoot] {
        roots.filter { certificate.isIssuerName(of: $0.ark) }
    }

    /// The pre-verified intermediates whose subject name is `certificate`'s issuer name, with their root.
    func intermediates(issuing certificate: X509Certificate) -> [(intermediate: X509Certificate, root: TrustedRoot)] {
        roots.flatMap { root in
            root.intermediates.filter { certificate.isIssuerName(of: $0) }.map { ($0, root) }
        }
    }
}
