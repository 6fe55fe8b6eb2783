import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol

/// Broker side of the KBS 0.4.0 resource response (spec §3; TR `kbs/src/jwe/mod.rs`): encrypts a
/// resource to the verified `tee-pubkey` as Trustee does, with a fresh CEK and IV (and, for
/// ECDH-ES, a fresh ephemeral P-256 key) per response.
///
/// The protected header bytes are exactly Trustee's:
/// `{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":…,"y":…}}` or
/// `{"alg":"RSA-OAEP-256","enc":"A256GCM"}`; `aad` is never set. With a `keyID` the header gains a
/// last member `"kid"` (RFC 7516 §4.1.6), authenticated with the rest as the GCM AAD. Members stay
/// in sorted order (`alg`, `enc`, `epk`, `kid`), so a client that re-serializes the parsed header
/// for the AAD as guest-components does (spec §3.3) computes the same bytes.
public struct JWEEncrypter: Sendable {
    /// The same bound the guest applies (`JWEDecrypter.defaultMaximumCiphertextByteCount`), so
    /// every response this produces is one a guestguard guest accepts.
    public static let defaultMaximumPlaintextByteCount = JWEDecrypter.defaultMaximumCiphertextByteCount

    /// The key the response is encrypted to.
    public let recipient: EphemeralPublicKey
    /// `ECDH-ES+A256KW` for an EC key, `RSA-OAEP-256` for an RSA key.
    public let algorithm: JWEAlgorithm
    public let maximumPlaintextByteCount: Int
    /// The validated recipient key: a P-256 point for ECDH-ES, an `EVP_PKEY` for RSA-OAEP.
    enum RecipientKey: Sendable {
        case p256(P256PublicPoint)
        case rsa(PublicKey)
    }
    let recipientKey: RecipientKey

    /// Validates `recipient` (the `tee-pubkey` from the verified attestation token; spec §3.6):
    /// `alg` must match its type exactly; EC keys must be P-256 with 32-byte coordinates on the
    /// curve; RSA keys 2048, 3072 or 4096 bits with an odd exponent above 2^16.
    /// Errors are `invalidRecipientKey` with the field `tee-pubkey.<member>`.
    public init(
        recipient: EphemeralPublicKey, maximumPlaintextByteCount: Int = Self.defaultMaximumPlaintextByteCount
    ) throws(JWEError) {
        let material: EphemeralPublicKey.Material
        do {
            material = try recipient.validate()
        } catch {
            throw .invalidRecipientKey(
                KeyBrokerProtocolError(error.code, field: "tee-pubkey." + error.field, reason: error.reason, underlying: error.underlying))
        }
        switch material {
        case .ec(let crv, let x, let y):
            guard crv.utf8.elementsEqual("P-256".utf8) else {
                throw Self.invalidRecipient("crv", "curve \(crv) is not supported (only P-256)")
            }
            do { recipientKey = .p256(try P256PublicPoint(x: x, y: y)) } catch { throw Self.invalidRecipient("x", error.description) }
            algorithm = .ecdhESA256KW
        case .rsa(let modulus, let exponent):
            do {
                recipientKey = .rsa(try PublicKey(rsaModulus: modulus, exponent: exponent))
            } catch .unsupportedRSAModulusSize(let bits) {
                throw Self.invalidRecipient("n", "RSA-\(bits) is not supported (2048, 3072 or 4096 bits)")
            } catch {
                throw Self.invalidRecipient("e", error.description)
            }
            algorithm = .rsaOAEP256
        }
        precondition(maximumPlaintextByteCount >= 0, "negative plaintext bound")
        self.recipient = recipient
        self.maximumPlaintextByteCount = maximumPlaintextByteCount
    }

    private static func invalidRecipient(_ member: String, _ reason: String) -> JWEError {
        .invalidRecipientKey(KeyBrokerProtocolError(.invalidKey, field: "tee-pubkey." + member, reason: reason))
    }

    /// Encrypts `plaintext` with a fresh random 32-byte CEK, 12-byte IV and (ECDH-ES) ephemeral key.
    /// - Parameter keyID: sent as the protected header's `kid`; nil sends Trustee's exact header.
    public func encrypt(_ plaintext: SecretBytes, keyID: String? = nil) throws(JWEError) -> Response {
        let contentEncryptionKey = try SecretBytes.filling(count: JWEAlgorithm.contentEncryptionKeyByteCount) {
            (buffer) throws(JWEError) in
            do throws(OpenSSLError) { try SecureRandom.fill(buffer) } catch { throw .cryptoFailure(.encryptedKey, .openSSL(error)) }
        }
        let iv: [UInt8]
        do { iv = try SecureRandom.bytes(count: AESGCM.nonceByteCount) } catch { throw .cryptoFailure(.iv, .openSSL(error)) }
        var ephemeralKey: P256PrivateKey? = nil
        if algorithm == .ecdhESA256KW {
            do { ephemeralKey = try P256PrivateKey() } catch { throw .keyGenerationFailed(error) }
        }
        return try encrypt(plaintext, contentEncryptionKey: contentEncryptionKey, iv: iv, ephemeralKey: ephemeralKey, keyID: keyID)
    }

    /// Encrypts with the given CEK, IV and ephemeral key instead of fresh ones, so that a test can
    /// reproduce a known response byte for byte. Outside tests this is a catastrophe waiting to
    /// happen (a repeated CEK and IV breaks GCM); use `encrypt(_:)`.
    @_spi(FixedRandomness)
    public func encrypt(
        _ plaintext: SecretBytes, contentEncryptionKey: SecretBytes, iv: [UInt8], ephemeralKey: P256PrivateKey?, keyID: String? = nil
    ) throws(JWEError) -> Response {
        precondition(contentEncryptionKey.count == JWEAlgorithm.contentEncryptionKeyByteCount, "A256GCM needs a 32-byte CEK")
        precondition(iv.count == AESGCM.nonceByteCount, "A256GCM needs a 12-byte IV")
        precondition((ephemeralKey != nil) == (algorithm == .ecdhESA256KW), "an ephemeral key exactly for ECDH-ES")
        guard plaintext.count <= maximumPlaintextByteCount else {
            throw .tooLarge(.plaintext, limit: maximumPlaintextByteCount, actual: plaintext.count)
        }
        var header: ProtectedHeader
        let encryptedKey: [UInt8]
        switch (recipientKey, ephemeralKey) {
        case (.p256(let peer), let ephemeralKey?):
            (header, encryptedKey) = try wrapForECDHES(contentEncryptionKey, ephemeralKey: ephemeralKey, peer: peer)
        case (.rsa(let peer), nil):
            header = ProtectedHeader(alg: algorithm.headerValue, enc: JWEAlgorithm.contentEncryption)
            do {
                encryptedKey = try contentEncryptionKey.withBytes { (cek) throws(CipherError) in try peer.encryptRSAOAEPSHA256(cek) }
            } catch {
                throw .cryptoFailure(.encryptedKey, error)
            }
        default:
            preconditionFailure("an ephemeral key exactly for ECDH-ES")
        }
        if let keyID { header.otherFields[ProtectedHeader.keyIDMember] = .string(keyID) }
        var response: Response
        do {
            response = try Response(header: header, encryptedKey: encryptedKey, iv: iv, ciphertext: [], tag: [])
        } catch {
            throw .invalidMember(.protected, reason: error.description)
        }
        let aad = response.additionalAuthenticatedData
        let sealed: AESGCMSealedBox
        do {
            sealed = try contentEncryptionKey.withBytes { (cek) throws(CipherError) in
                try plaintext.withBytes { (plaintext) throws(CipherError) in
                    try AESGCM.seal(plaintext, using: cek, nonce: iv, authenticating: aad)
                }
            }
        } catch {
            throw .cryptoFailure(.ciphertext, error)
        }
        response.ciphertext = sealed.ciphertext
        response.tag = sealed.tag
        return response
    }

    /// ECDH-ES+A256KW: KEK from the ephemeral key and the recipient, CEK wrapped under it, and the
    /// header carrying the ephemeral public key as `epk` (spec §3.4 steps 2–5).
    private func wrapForECDHES(
        _ contentEncryptionKey: SecretBytes, ephemeralKey: P256PrivateKey, peer: P256PublicPoint
    ) throws(JWEError) -> (ProtectedHeader, [UInt8]) {
        let coordinates = ephemeralKey.publicPoint
        let wrapped: [UInt8]
        do throws(CipherError) {
            let kek = try ECDHESKeyAgreement.keyEncryptionKey(privateKey: ephemeralKey, peer: peer)
            wrapped = try kek.withBytes { (kek) throws(CipherError) in
                try contentEncryptionKey.withBytes { (cek) throws(CipherError) in try AESKeyWrap.wrap(cek, using: kek) }
            }
        } catch {
            throw .cryptoFailure(.encryptedKey, error)
        }
        let epk: JSONValue = [
            "crv": "P-256", "kty": "EC", "x": .string(Base64URL.encode(coordinates.x)), "y": .string(Base64URL.encode(coordinates.y)),
        ]
        return (ProtectedHeader(alg: algorithm.headerValue, enc: JWEAlgorithm.contentEncryption, otherFields: ["epk": epk]), wrapped)
    }
}
