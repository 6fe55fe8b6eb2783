import KeyBrokerClient
import KeyBrokerJWE

/// What `get-resource` tunes in the broker exchange; the defaults are what unlock, boot-unlock,
/// enroll and format use. (Its own file: GuestGuardCore has a `RetryPolicy` of its own, for boot.)
struct BrokerTuning {
    var requestTimeout: Duration = .seconds(60)
    var retry = RetryPolicy()
    var keyType: EphemeralKeyPair.KeyType = .p256
    var additionalEvidence: (any AdditionalEvidenceProvider)? = nil
}
