import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol

/// Encrypts a released resource to the key the guest bound into its report (KBS JWE: ECDH-ES+A256KW
/// or RSA-OAEP-256 with A256GCM).
public protocol ResourceSealer: Sendable {
    /// - Parameter keyID: the broker's `key-id` of `plaintext` (``KeyFingerprinter``), sent as the
    ///   protected header's `kid`.
    func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response
}

/// The KBS JWE sealer (ECDH-ES+A256KW or RSA-OAEP-256, with A256GCM), with the `key-id` as `kid`.
public struct JWEResourceSealer: ResourceSealer {
    public init() {}
    public func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response {
        try JWEEncrypter(recipient: key).encrypt(plaintext, keyID: keyID)
    }
}
