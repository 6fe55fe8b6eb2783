import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol

/// The KBS JWE sealer (ECDH-ES+A256KW or RSA-OAEP-256, with A256GCM), with the `key-id` as `kid`.
public struct JWEResourceSealer: ResourceSealer {
    public init() {}
    public func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response {
        try JWEEncrypter(recipient: key).encrypt(plaintext, keyID: keyID)
    }
}
