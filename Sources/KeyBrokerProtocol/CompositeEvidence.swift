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
            primaryEvidence = try evidence.json()
        } catch {
            throw error.prefixed(with: CodingKeys.primaryEvidence.rawValue)
        }
        self.additionalEvidence = additionalEvidence
    }

    enum CodingKeys: String, CodingKey {
        case primaryEvidence = "primary_evidence"
        case additionalEvidence = "additional_evidence"
    }

    /// Decodes `primaryEvidence` as SNP evidence: the members, then the report they make, parsed
    /// by SNPABI (`SNPEvidence.init(json:)`). Error fields start with `primary_evidence`.
    public func snpEvidence() throws(KeyBrokerProtocolError) -> SNPEvidence {
        do {
            return try SNPEvidence(json: primaryEvidence)
        } catch {
            throw error.prefixed(with: CodingKeys.primaryEvidence.rawValue)
        }
    }
}
