import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol

/// The guest's ephemeral key pair for one KBS session: its public half is sent as
/// `runtime-data.tee-pubkey` (and bound into REPORT_DATA), and the broker encrypts resources to it.
///
/// P-256 (`ECDH-ES+A256KW`) is the default, as in guest-components; RSA (`RSA-OAEP-256`,
/// 2048 bits by default) is the alternative Trustee also accepts. The private key never leaves
/// this object.
public final class EphemeralKeyPair: Sendable {
    /// The kind of key to generate.
    public enum KeyType: Hashable, Sendable {
        /// NIST P-256 for `ECDH-ES+A256KW`.
        case p256
        /// RSA with a 2048-, 3072- or 4096-bit modulus for `RSA-OAEP-256`.
        case rsa(bits: Int)

        /// RSA-2048, guest-components' size (`RSA_PUBKEY_LENGTH`, GC `asymmetric.rs:31`).
        public static let rsa2048 = KeyType.rsa(bits: 2048)
    }

    enum PrivateKey: Sendable {
        case p256(P256PrivateKey)
        case rsa(RSAPrivateKey, modulusByteCount: Int)
    }

    let privateKey: PrivateKey
    /// The key management algorithm responses for this key must use.
    public let algorithm: JWEAlgorithm
    /// The public key as the KBS expects it in `runtime-data.tee-pubkey`.
    public let publicKey: EphemeralPublicKey

    /// Generates a fresh key pair.
    public convenience init(_ keyType: KeyType = .p256) throws(JWEError) {
        switch keyType {
        case .p256:
            let key: P256PrivateKey
            do { key = try P256PrivateKey() } catch { throw .keyGenerationFailed(error) }
            try self.init(p256: key)
        case .rsa(let bits):
            guard PublicKey.supportedRSAModulusBits.contains(bits) else {
                throw .invalidRecipientKey(Self.unsupportedModulus(CipherError.unsupportedRSAModulusSize(bits: bits)))
            }
            let key: RSAPrivateKey
            do { key = try RSAPrivateKey(bits: bits) } catch { throw .keyGenerationFailed(error) }
            try self.init(rsa: key)
        }
    }

    /// Wraps an existing P-256 key (e.g. one imported for a test vector).
    /// The public half is read from the key (no `EVP_PKEY` export and re-import).
    public init(p256 key: P256PrivateKey) throws(JWEError) {
        privateKey = .p256(key)
        algorithm = .ecdhESA256KW
        publicKey = .p256(x: key.publicPoint.x, y: key.publicPoint.y)
    }

    /// Wraps an existing RSA key; its modulus must be 2048, 3072 or 4096 bits.
    public init(rsa key: RSAPrivateKey) throws(JWEError) {
        let publicHalf: PublicKey
        do { publicHalf = try key.publicKey() } catch { throw .keyGenerationFailed(error) }
        let components: (modulus: [UInt8], exponent: [UInt8])
        do {
            components = try publicHalf.rsaComponents()
            // The same checks JWEEncrypter applies to a received tee-pubkey.
            _ = try PublicKey(rsaModulus: components.modulus, exponent: components.exponent)
        } catch {
            throw .invalidRecipientKey(Self.unsupportedModulus(error))
        }
        privateKey = .rsa(key, modulusByteCount: components.modulus.count)
        algorithm = .rsaOAEP256
        publicKey = .rsaOAEP256(modulus: components.modulus, exponent: components.exponent)
    }

    private static func unsupportedModulus(_ error: CipherError) -> KeyBrokerProtocolError {
        KeyBrokerProtocolError(.invalidKey, field: "tee-pubkey.n", reason: error.description)
    }

    /// Decrypts a resource response encrypted to this key (see `JWEDecrypter`).
    public func decrypt(
        _ response: Response, maximumCiphertextByteCount: Int = JWEDecrypter.defaultMaximumCiphertextByteCount
    ) throws(JWEError) -> SecretBytes {
        try JWEDecrypter(recipient: self, maximumCiphertextByteCount: maximumCiphertextByteCount).decrypt(response)
    }
}
