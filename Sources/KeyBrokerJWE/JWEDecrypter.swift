import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol

/// Guest side of the KBS 0.4.0 resource response (spec §3): checks a flattened JWE strictly and
/// decrypts it with the session's `EphemeralKeyPair` into `SecretBytes`.
///
/// Accepted, and nothing else:
/// * `alg` exactly the recipient's algorithm (`ECDH-ES+A256KW` for P-256, `RSA-OAEP-256` for RSA),
///   `enc` exactly `A256GCM`;
/// * protected header members `alg`, `enc` and (ECDH-ES only, required) `epk`, an object with
///   exactly `kty` `EC`, `crv` `P-256` and 32-byte `x`/`y` on the curve; optionally `kid`, the
///   guestguard broker's `key-id` (a short string; `ProtectedHeader.keyID`);
/// * `iv` 12 bytes, `tag` 16, `encrypted_key` 40 (key wrap) or the modulus size (RSA-OAEP),
///   `ciphertext` at most `maximumCiphertextByteCount`; no `aad` member (Trustee never sends one,
///   and kbs-types' handling of it differs from RFC 7516).
///
/// The GCM AAD is the `protected` string exactly as received, never a re-serialization.
/// Every CEK, KEK and Z lives in `SecretBytes`; any failure throws a `JWEError` naming the member
/// and releases no plaintext.
public struct JWEDecrypter: Sendable {
    /// 1 MiB: far more than any disk key or credential, far less than the 2 MiB request limit.
    public static let defaultMaximumCiphertextByteCount = 1 << 20

    public let recipient: EphemeralKeyPair
    public let maximumCiphertextByteCount: Int

    public init(recipient: EphemeralKeyPair, maximumCiphertextByteCount: Int = Self.defaultMaximumCiphertextByteCount) {
        precondition(maximumCiphertextByteCount >= 0, "negative ciphertext bound")
        self.recipient = recipient
        self.maximumCiphertextByteCount = maximumCiphertextByteCount
    }

    /// The largest response body accepted: the base64url ciphertext plus 64 KiB for the rest.
    public var maximumResponseBodyByteCount: Int { (maximumCiphertextByteCount + 2) / 3 * 4 + 64 * 1024 }

    /// Parses a `GET /kbs/v0/resource/…` body (strict JSON, duplicate members rejected, strict
    /// base64url) and decrypts it.
    public func decrypt(responseBody: [UInt8]) throws(JWEError) -> SecretBytes {
        let limit = maximumResponseBodyByteCount
        guard responseBody.count <= limit else { throw .tooLarge(.body, limit: limit, actual: responseBody.count) }
        let response: Response
        do {
            response = try Response(jsonBytes: responseBody, limits: JSONParser.Limits(maxBytes: limit, maxDepth: 8, maxStringBytes: limit))
        } catch {
            throw .malformedResponse(error)
        }
        return try decrypt(response)
    }

    /// Checks and decrypts a parsed response.
    public func decrypt(_ response: Response) throws(JWEError) -> SecretBytes {
        if response.aad != nil { throw .unexpectedMember(.aad, name: "aad") }
        let ephemeralPublicKey = try checkHeader(response.header)
        try checkSizes(response)
        let contentEncryptionKey = try recoverContentEncryptionKey(response, ephemeralPublicKey: ephemeralPublicKey)
        return try SecretBytes.filling(count: response.ciphertext.count) { (plaintext) throws(JWEError) in
            do throws(CipherError) {
                try contentEncryptionKey.withBytes { (key) throws(CipherError) in
                    try AESGCM.open(
                        ciphertext: response.ciphertext, tag: response.tag, using: key, nonce: response.iv,
                        authenticating: response.additionalAuthenticatedData, into: plaintext)
                }
            } catch .authenticationFailed {
                throw .decryptionFailed(.tag, .authenticationFailed)
            } catch {
                throw .cryptoFailure(.ciphertext, error)
            }
        }
    }

    /// `iv`, `tag`, `encrypted_key` and `ciphertext` sizes, before any cryptography.
    private func checkSizes(_ response: Response) throws(JWEError) {
        guard response.iv.count == AESGCM.nonceByteCount else {
            throw .invalidLength(.iv, expected: AESGCM.nonceByteCount, actual: response.iv.count)
        }
        guard response.tag.count == AESGCM.tagByteCount else {
            throw .invalidLength(.tag, expected: AESGCM.tagByteCount, actual: response.tag.count)
        }
        let wrappedKeyByteCount =
            switch recipient.privateKey {
            case .p256: ECDHESKeyAgreement.wrappedKeyByteCount
            case .rsa(_, let modulusByteCount): modulusByteCount
            }
        guard response.encryptedKey.count == wrappedKeyByteCount else {
            throw .invalidLength(.encryptedKey, expected: wrappedKeyByteCount, actual: response.encryptedKey.count)
        }
        guard response.ciphertext.count <= maximumCiphertextByteCount else {
            throw .tooLarge(.ciphertext, limit: maximumCiphertextByteCount, actual: response.ciphertext.count)
        }
    }

    /// Unwraps (ECDH-ES+A256KW) or decrypts (RSA-OAEP-256) the 32-byte CEK.
    private func recoverContentEncryptionKey(
        _ response: Response, ephemeralPublicKey: P256PublicPoint?
    ) throws(JWEError) -> SecretBytes {
        let cekByteCount = JWEAlgorithm.contentEncryptionKeyByteCount
        switch recipient.privateKey {
        case .p256(let privateKey):
            guard let ephemeralPublicKey else { preconditionFailure("checkHeader returns epk for ECDH-ES") }
            let kek: SecretBytes
            do throws(CipherError) {
                kek = try ECDHESKeyAgreement.keyEncryptionKey(privateKey: privateKey, peer: ephemeralPublicKey)
            } catch .pointNotOnCurve {
                throw .invalidEphemeralKey(.pointNotOnCurve)
            } catch {
                throw .cryptoFailure(.epk, error)
            }
            return try SecretBytes.filling(count: cekByteCount) { (cek) throws(JWEError) in
                do throws(CipherError) {
                    try kek.withBytes { (kek) throws(CipherError) in try AESKeyWrap.unwrap(response.encryptedKey, using: kek, into: cek) }
                } catch .keyUnwrapIntegrityCheckFailed {
                    throw .decryptionFailed(.encryptedKey, .keyUnwrapIntegrityCheckFailed)
                } catch {
                    throw .cryptoFailure(.encryptedKey, error)
                }
            }
        case .rsa(let privateKey, _):
            return try SecretBytes.filling(count: cekByteCount) { (cek) throws(JWEError) in
                let length: Int
                do throws(CipherError) {
                    length = try privateKey.decryptRSAOAEPSHA256(response.encryptedKey, into: cek)
                } catch .rsaDecryptionFailed {
                    throw .decryptionFailed(.encryptedKey, .rsaDecryptionFailed)
                } catch .inputTooLarge(.output, _, let actual) {
                    throw .decryptionFailed(.encryptedKey, .invalidLength(.plaintext, expected: cekByteCount, actual: actual))
                } catch {
                    throw .cryptoFailure(.encryptedKey, error)
                }
                guard length == cekByteCount else {
                    throw .decryptionFailed(.encryptedKey, .invalidLength(.plaintext, expected: cekByteCount, actual: length))
                }
            }
        }
    }
}
