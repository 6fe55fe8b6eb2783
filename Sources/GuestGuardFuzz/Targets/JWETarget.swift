import CanonicalJSON
import GuestGuardCrypto
import KeyBrokerJWE
import KeyBrokerProtocol

/// A JWE resource response through the real `JWEDecrypter` with fixed recipient keys (the P-256
/// key of vector jwe-1 and the RSA-2048 key of jwe-3 in Tests/KeyBrokerJWETests/Fixtures). An input
/// starting with `{` is the flattened JSON serialization (what Trustee sends); anything else is
/// read as the compact serialization `protected.encrypted_key.iv.ciphertext.tag` (RFC 7516 §7.1),
/// whose five members become the flattened body the decrypter reads.
enum JWETarget {
    static let target = FuzzTarget(name: "jwe", summary: "JWE (flattened and compact) through JWEDecrypter, fixed P-256 and RSA keys") { input in
        let body = input.first == UInt8(ascii: "{") ? input : flattened(compact: input)
        for decrypter in decrypters {
            do {
                let plaintext = try decrypter.decrypt(responseBody: body)
                fuzzCheck(plaintext.count <= decrypter.maximumCiphertextByteCount, "plaintext larger than the ciphertext bound")
            } catch {
                _ = "\(error)"
            }
        }
    }

    /// The recipient keys, held here as plain class references: `EphemeralKeyPair` keeps its key in
    /// a multi-payload enum whose tag bits hide the pointer from LeakSanitizer (a false "direct leak").
    static let keys: (p256: P256PrivateKey, rsa: RSAPrivateKey) = {
        do { return (try P256PrivateKey(pkcs8PEM: JWEKeys.p256PKCS8), try RSAPrivateKey(pkcs8PEM: JWEKeys.rsa2048PKCS8)) } catch {
            fatalError("cannot load the fixed JWE recipient keys: \(error)")
        }
    }()

    static let decrypters: [JWEDecrypter] = {
        do {
            return [JWEDecrypter(recipient: try EphemeralKeyPair(p256: keys.p256), maximumCiphertextByteCount: 4096),
                    JWEDecrypter(recipient: try EphemeralKeyPair(rsa: keys.rsa), maximumCiphertextByteCount: 4096)]
        } catch {
            fatalError("cannot wrap the fixed JWE recipient keys: \(error)")
        }
    }()

    /// The compact serialization's five dot-separated members as a flattened JSON body (members
    /// beyond five are dropped, missing ones are empty: the decrypter judges the result).
    static func flattened(compact input: [UInt8]) -> [UInt8] {
        var parts = input.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        parts += Array(repeating: "", count: max(0, 5 - parts.count))
        let names = ["protected", "encrypted_key", "iv", "ciphertext", "tag"]
        var members: [String: JSONValue] = [:]
        for (name, part) in zip(names, parts) { members[name] = .string(part) }
        return (try? JSONValue.object(members).serializedBytes()) ?? []
    }
}
