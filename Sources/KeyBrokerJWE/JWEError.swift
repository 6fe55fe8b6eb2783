import GuestGuardCrypto
import KeyBrokerProtocol

/// Why a KBS resource response could not be decrypted, or a resource could not be encrypted for a
/// `tee-pubkey`. Every case names the member at fault (`field`). Decryption never returns partial
/// plaintext: any error means no plaintext at all.
public enum JWEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A member of the flattened JWE (RFC 7516 §7.2.2) or of its protected header.
    public enum Field: String, Hashable, Sendable, CustomStringConvertible {
        case body = "(response body)"
        case protected
        case alg = "protected.alg"
        case enc = "protected.enc"
        case epk = "protected.epk"
        case epkKty = "protected.epk.kty"
        case epkCrv = "protected.epk.crv"
        case epkX = "protected.epk.x"
        case epkY = "protected.epk.y"
        case kid = "protected.kid"
        case encryptedKey = "encrypted_key"
        case iv
        case ciphertext
        case tag
        case aad
        /// The resource given to `JWEEncrypter`.
        case plaintext = "(plaintext)"

        public var description: String { rawValue }
    }

    /// The body is not a KBS `Response`: not JSON, a member missing or of the wrong type, or not
    /// strict base64url. `KeyBrokerProtocolError.field` names the member.
    case malformedResponse(KeyBrokerProtocolError)
    /// The body, ciphertext or plaintext exceeds the configured bound.
    case tooLarge(Field, limit: Int, actual: Int)
    /// `alg` or `enc` is not one guestguard implements (`ECDH-ES+A256KW` or `RSA-OAEP-256`, with
    /// `A256GCM`). Compared byte for byte.
    case unsupportedAlgorithm(Field, String)
    /// `alg` is a supported algorithm, but not the one for the recipient's key type.
    case algorithmKeyMismatch(alg: String, expected: String)
    /// A member Trustee never sends and that guestguard does not accept (`zip`, `crit`, `kid`,
    /// `apu`, `aad` …); `name` is the member.
    case unexpectedMember(Field, name: String)
    /// A required member is absent (`epk` for ECDH-ES).
    case missingMember(Field)
    /// A member has the wrong type or value (`epk.kty` not `EC`, `epk.crv` not `P-256`, `epk.x`
    /// not base64url …).
    case invalidMember(Field, reason: String)
    /// A decoded member has the wrong size (IV 12 bytes, tag 16, wrapped CEK 40, RSA-OAEP CEK the
    /// modulus size, `epk` coordinates 32).
    case invalidLength(Field, expected: Int, actual: Int)
    /// `epk` is not a point on P-256.
    case invalidEphemeralKey(CipherError)
    /// Authentication failed: the key unwrap or RSA-OAEP decoding of `encrypted_key`, or the GCM
    /// `tag` (which covers `protected`, `iv` and `ciphertext`).
    case decryptionFailed(Field, CipherError)
    /// The `tee-pubkey` given to `JWEEncrypter` is not one guestguard encrypts to.
    /// `KeyBrokerProtocolError.field` is `tee-pubkey.<member>`.
    case invalidRecipientKey(KeyBrokerProtocolError)
    /// libcrypto failed for a reason other than authentication (allocation, RNG …).
    case cryptoFailure(Field, CipherError)
    /// Generating an ephemeral key failed.
    case keyGenerationFailed(KeyError)

    /// The member at fault, as a path (`protected.epk.x`, `encrypted_key`, `tee-pubkey.n` …).
    public var field: String {
        switch self {
        case .malformedResponse(let error), .invalidRecipientKey(let error): error.field
        case .tooLarge(let field, _, _), .unsupportedAlgorithm(let field, _), .unexpectedMember(let field, _),
            .missingMember(let field), .invalidMember(let field, _), .invalidLength(let field, _, _),
            .decryptionFailed(let field, _), .cryptoFailure(let field, _):
            field.rawValue
        case .algorithmKeyMismatch: Field.alg.rawValue
        case .invalidEphemeralKey: Field.epk.rawValue
        case .keyGenerationFailed: ""
        }
    }

    public var description: String {
        switch self {
        case .malformedResponse(let error): "malformed response: \(error)"
        case .tooLarge(let field, let limit, let actual): "\(field) is \(actual) bytes, more than the limit of \(limit)"
        case .unsupportedAlgorithm(let field, let value): "\(field) \"\(value)\" is not supported"
        case .algorithmKeyMismatch(let alg, let expected): "\(Field.alg) \"\(alg)\" does not match the recipient key (\(expected))"
        case .unexpectedMember(let field, let name): "\(field): unexpected member \"\(name)\""
        case .missingMember(let field): "\(field) is missing"
        case .invalidMember(let field, let reason): "\(field): \(reason)"
        case .invalidLength(let field, let expected, let actual): "\(field) is \(actual) bytes, expected \(expected)"
        case .invalidEphemeralKey(let error): "\(Field.epk): \(error)"
        case .decryptionFailed(let field, let error): "\(field): \(error)"
        case .invalidRecipientKey(let error): "invalid recipient key: \(error)"
        case .cryptoFailure(let field, let error): "\(field): \(error)"
        case .keyGenerationFailed(let error): "ephemeral key generation failed: \(error)"
        }
    }
}
