import COpenSSL

extension PublicKeyAlgorithm {
    /// Whether this is a NIST P-256 (prime256v1 / secp256r1) key.
    public var isP256: Bool {
        if case .ellipticCurve(let group) = self { return OBJ_sn2nid(group) == NID_X9_62_prime256v1 || group == "P-256" }
        return false
    }
}
