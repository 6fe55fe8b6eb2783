import CanonicalJSON

/// `Attestation.tee-evidence` (kbs-types `CompositeEvidence`, snake_case members;
/// KT `src/lib.rs:174-185`).
public struct CompositeEvidence: Codable, Hashable, Sendable {
    /// The primary TEE's evidence; for `snp` the JSON form of `SNPEvidence`.
    public var primaryEvidence: JSONValue
    /// `""` without additional devices; otherwise the JSON *text* of a `{tee: evidence}` map
    /// (GC `evidence_provider/native.rs:67-71`). It is bound in REPORT_DATA as a string.
    public var additionalEvidence: String

    public init(primaryEvidence: JSONValue, additionalEvidence: String = "") {
        self.primaryEvidence = primaryEvidence
        self.additionalEvidence = additionalEvidence
    }

    /// Wraps SNP evidence in its JSON form.
    public init(snp evidence: SNPEvidence, additionalEvidence: String = "") throws(KeyBrokerProtocolError) {
        do {
            primaryEvidence = try JSONValueEncoder().encode(evidence)
        } catch {
            throw KeyBrokerProtocolError(error).prefixed(with: CodingKeys.primaryEvidence.rawValue)
        }
        self.additionalEvidence = additionalEvidence
    }

    enum CodingKeys: String, CodingKey {
        case primaryEvidence = "primary_evidence"
        case additionalEvidence = "additional_evidence"
    }

    /// Decodes `primaryEvidence` as SNP evidence and checks that it re-encodes to a report
    /// (`SNPEvidence.reportBytes()`). Error fields start with `primary_evidence`.
    public func snpEvidence() throws(KeyBrokerProtocolError) -> SNPEvidence {
        let evidence: SNPEvidence
        do {
            evidence = try SNPEvidence(json: primaryEvidence)
        } catch {
            throw error.prefixed(with: CodingKeys.primaryEvidence.rawValue)
        }
        do {
            _ = try evidence.reportBytes()
        } catch {
            throw KeyBrokerProtocolError(
                .invalidEvidence, field: error.field.map { "attestation_report.\($0)" } ?? "attestation_report",
                reason: error.description, underlying: .evidence(error)
            ).prefixed(with: CodingKeys.primaryEvidence.rawValue)
        }
        return evidence
    }
}
