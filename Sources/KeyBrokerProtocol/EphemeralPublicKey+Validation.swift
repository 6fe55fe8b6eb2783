import CanonicalJSON

extension EphemeralPublicKey {
    /// The decoded key material of a key that passed `validate()`.
    public enum Material: Hashable, Sendable {
        /// Curve name and big-endian affine coordinates of the coordinate size of the curve.
        case ec(crv: String, x: [UInt8], y: [UInt8])
        /// Big-endian modulus and exponent.
        case rsa(modulus: [UInt8], exponent: [UInt8])
    }

    /// Applies the checks Trustee makes before wrapping a resource for this key
    /// (TR `kbs/src/jwe/mod.rs:25-47, 119-161, 337-351`), with guestguard's narrowing:
    ///
    /// * EC: `alg` exactly `ECDH-ES+A256KW`; `crv` exactly `P-256` (32-byte coordinates) or
    ///   `P-521` (66-byte); `x`/`y` strict base64url of exactly that length. Whether the point is
    ///   on the curve is left to the crypto layer.
    /// * RSA: `alg` exactly `RSA-OAEP-256` (Trustee also takes the deprecated `RSA1_5`;
    ///   guestguard does not); `n` at least 2048 bits without a leading zero byte; `e` non-empty.
    ///
    /// Errors name the member (`crv`, `alg`, `x`, …) relative to the key.
    @discardableResult
    public func validate() throws(KeyBrokerProtocolError) -> Material {
        switch self {
        case .ec(let crv, let alg, let x, let y):
            try Self.require(alg, equals: Self.ecdhESA256KW, field: "alg")
            let size: Int
            if crv.utf8.elementsEqual("P-256".utf8) {
                size = 32
            } else if crv.utf8.elementsEqual("P-521".utf8) {
                size = 66
            } else {
                throw KeyBrokerProtocolError(.invalidKey, field: "crv", reason: "curve \"\(crv)\" is not P-256 or P-521")
            }
            return .ec(
                crv: crv, x: try Self.decode(x, field: "x", count: size), y: try Self.decode(y, field: "y", count: size))
        case .rsa(let alg, let n, let e):
            try Self.require(alg, equals: Self.rsaOAEP256, field: "alg")
            let modulus = try Self.decode(n, field: "n", count: nil)
            guard modulus.first != 0, modulus.count >= 256 else {
                throw KeyBrokerProtocolError(
                    .invalidKey, field: "n", reason: "RSA modulus must be at least 2048 bits without leading zeros")
            }
            let exponent = try Self.decode(e, field: "e", count: nil)
            guard exponent.first.map({ $0 != 0 }) ?? false else {
                throw KeyBrokerProtocolError(.invalidKey, field: "e", reason: "RSA exponent is empty or has a leading zero")
            }
            return .rsa(modulus: modulus, exponent: exponent)
        }
    }

    private static func require(_ value: String, equals expected: String, field: String) throws(KeyBrokerProtocolError) {
        guard value.utf8.elementsEqual(expected.utf8) else {
            throw KeyBrokerProtocolError(.invalidKey, field: field, reason: "\"\(value)\" is not \"\(expected)\"")
        }
    }

    private static func decode(_ text: String, field: String, count: Int?) throws(KeyBrokerProtocolError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try Base64URL.decode(text)
        } catch {
            throw KeyBrokerProtocolError(.invalidKey, field: field, reason: "not base64url: \(error)", underlying: .base64(error))
        }
        if let count, bytes.count != count {
            throw KeyBrokerProtocolError(.invalidKey, field: field, reason: "expected \(count) bytes, found \(bytes.count)")
        }
        return bytes
    }
}
