import CanonicalJSON

/// `POST /kbs/v0/auth` response (kbs-types `Challenge`, KT `src/lib.rs:81-86`):
/// `{"nonce":"<base64 of 32 random bytes>","extra-params":""}`.
public struct Challenge: KBSMessage, Hashable {
    /// Copy verbatim into `RuntimeData.nonce` and the REPORT_DATA preimage; never decode and
    /// re-encode it (the KBS compares strings, TR `backend.rs:346`).
    public var nonce: String
    /// `""` from Trustee for every TEE but `se` (TR `kbs/src/attestation/mod.rs:42-77`).
    public var extraParams: JSONValue

    public init(nonce: String, extraParams: JSONValue = "") {
        self.nonce = nonce
        self.extraParams = extraParams
    }

    enum CodingKeys: String, CodingKey {
        case nonce
        case extraParams = "extra-params"
    }

    /// The runtime-data hash algorithm a guest-components client would use for this challenge
    /// (`HashAlgorithm.selected(byChallengeExtraParams:)`).
    public func hashAlgorithm() throws(HashAlgorithm.SelectionError) -> HashAlgorithm {
        try HashAlgorithm.selected(byChallengeExtraParams: extraParams)
    }
}
