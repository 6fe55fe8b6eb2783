import COpenSSL

/// What kind of key an `EVP_PKEY` holds.
public enum PublicKeyAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// RSA (rsaEncryption or RSASSA-PSS-restricted) with its modulus size.
    case rsa(bits: Int)
    /// An elliptic-curve key on the named group (`secp384r1`…).
    case ellipticCurve(group: String)
    /// Anything else, by its OpenSSL short name.
    case other(String)

    /// Whether this is a NIST P-384 (secp384r1) key.
    public var isP384: Bool {
        if case .ellipticCurve(let group) = self { return OBJ_sn2nid(group) == NID_secp384r1 || group == "P-384" }
        return false
    }

    public var description: String {
        switch self {
        case .rsa(let bits): "RSA-\(bits)"
        case .ellipticCurve(let group): "EC \(group)"
        case .other(let name): name
        }
    }

    /// Classifies `key`.
    /// The corresponding C functions are `EVP_PKEY_get_base_id`, `EVP_PKEY_get_bits` and `EVP_PKEY_get_group_name`.
    init(of key: OpaquePointer) {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS:
            self = .rsa(bits: Int(EVP_PKEY_get_bits(key)))
        case EVP_PKEY_EC:
            var buffer = [CChar](repeating: 0, count: 64)
            var length = 0
            if EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1 {
                self = .ellipticCurve(group: String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            } else {
                ERR_clear_error()
                self = .ellipticCurve(group: "unknown")
            }
        case let id:
            let name = OBJ_nid2sn(id).map { String(cString: $0) } ?? "NID \(id)"
            self = .other(name)
        }
    }
}

extension PublicKeyAlgorithm {
    /// Whether this is a NIST P-256 (prime256v1 / secp256r1) key.
    public var isP256: Bool {
        if case .ellipticCurve(let group) = self { return OBJ_sn2nid(group) == NID_X9_62_prime256v1 || group == "P-256" }
        return false
    }
}
