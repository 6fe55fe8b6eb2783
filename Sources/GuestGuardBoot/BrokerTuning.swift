import GuestGuardCore
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE

/// What `get-resource` tunes in the broker exchange; the defaults are what unlock, enroll and format
/// use; boot-unlock takes the timeouts from the configuration's `[network]` (``init(network:)``).
public struct BrokerTuning {
    public var requestTimeout: Duration
    /// Each TCP connect (name resolution included).
    public var connectTimeout: Duration = .seconds(10)
    /// One whole handshake with one broker (`KeyBrokerClient.brokerDeadline`); nil: only the per-request timeout.
    public var brokerDeadline: Duration?
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

    /// The defaults with the connect timeout and per-broker deadline of the boot configuration's `[network]`.
    public init(network: BootNetwork) {
        self.init(requestTimeout: network.brokerDeadline)
        connectTimeout = network.connectTimeout
        brokerDeadline = network.brokerDeadline
    }
}
