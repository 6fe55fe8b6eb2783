import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE

/// What `get-resource` tunes in the broker exchange; the defaults are what unlock, boot-unlock,
/// enroll and format use.
public struct BrokerTuning {
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var keyType: EphemeralKeyPair.KeyType
    public var additionalEvidence: (any AdditionalEvidenceProvider)?

    public init(requestTimeout: Duration = .seconds(60), retry: RetryPolicy = .brokerRounds, keyType: EphemeralKeyPair.KeyType = .p256,
                additionalEvidence: (any AdditionalEvidenceProvider)? = nil)
    {
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.keyType = keyType
        self.additionalEvidence = additionalEvidence
    }
}
