import CanonicalJSON

/// `POST /kbs/v0/attest` body (kbs-types `Attestation`, kebab-case; KT `src/lib.rs:197-203`):
///
/// ```
/// {"init-data": <InitData|null>,
///  "runtime-data": {"nonce": …, "tee-pubkey": <JWK>},
///  "tee-evidence": {"primary_evidence": <SNP evidence>, "additional_evidence": ""}}
/// ```
///
/// `init-data` is written as `null` when absent (as guest-components sends it) and accepted
/// absent or `null`.
public struct Attestation: KBSMessage, Hashable {
    public var initData: InitData?
    public var runtimeData: RuntimeData
    public var teeEvidence: CompositeEvidence

    public init(initData: InitData? = nil, runtimeData: RuntimeData, teeEvidence: CompositeEvidence) {
        self.initData = initData
        self.runtimeData = runtimeData
        self.teeEvidence = teeEvidence
    }

    enum CodingKeys: String, CodingKey {
        case initData = "init-data"
        case runtimeData = "runtime-data"
        case teeEvidence = "tee-evidence"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        initData = try container.decodeIfPresent(InitData.self, forKey: .initData)
        runtimeData = try container.decode(RuntimeData.self, forKey: .runtimeData)
        teeEvidence = try container.decode(CompositeEvidence.self, forKey: .teeEvidence)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(initData, forKey: .initData)
        try container.encode(runtimeData, forKey: .runtimeData)
        try container.encode(teeEvidence, forKey: .teeEvidence)
    }

    /// The SNP evidence, decoded and checked (`CompositeEvidence.snpEvidence()`); error fields
    /// start with `tee-evidence.primary_evidence`.
    public func snpEvidence() throws(KeyBrokerProtocolError) -> SNPEvidence {
        do {
            return try teeEvidence.snpEvidence()
        } catch {
            throw error.prefixed(with: CodingKeys.teeEvidence.rawValue)
        }
    }

    /// REPORT_DATA this attestation must carry: `RuntimeDataBinding.reportData` over its own
    /// nonce, key and additional evidence. A verifier must use the *session's* nonce instead
    /// and compare it with `runtimeData.nonce` separately.
    public func expectedReportData(hash: (_ bytes: [UInt8]) -> [UInt8]) throws(KeyBrokerProtocolError) -> [UInt8] {
        try RuntimeDataBinding.reportData(
            nonce: runtimeData.nonce, teePubkey: runtimeData.teePubkey, additionalEvidence: teeEvidence.additionalEvidence,
            hash: hash)
    }
}
