/// `Attestation.runtime-data` (kbs-types `RuntimeData`, kebab-case): the challenge nonce and
/// the guest's ephemeral key, both bound in REPORT_DATA.
public struct RuntimeData: Codable, Hashable, Sendable {
    /// The challenge nonce, verbatim.
    public var nonce: String
    public var teePubkey: EphemeralPublicKey

    public init(nonce: String, teePubkey: EphemeralPublicKey) {
        self.nonce = nonce
        self.teePubkey = teePubkey
    }

    enum CodingKeys: String, CodingKey {
        case nonce
        case teePubkey = "tee-pubkey"
    }
}
