import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol

/// The JWE ephemeral key is the client's key pair.
extension EphemeralKeyPair: ResourceKeyPair {
    public func open(_ response: Response) throws -> SecretBytes { try decrypt(response) }
}
