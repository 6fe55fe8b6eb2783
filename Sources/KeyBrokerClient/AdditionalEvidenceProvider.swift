import CanonicalJSON
import KeyBrokerProtocol

/// Evidence from devices beside the SNP processor (a vTPM), sent as `additional_evidence`.
/// `binding` is the additional-device runtime binding for this handshake,
/// `RuntimeDataBinding.additionalEvidenceNonce`: the provider must make its evidence fresh with it.
public protocol AdditionalEvidenceProvider: Sendable {
    func evidence(binding: [UInt8]) throws -> [Tee: JSONValue]
}
