/// A quote whose signature, nonce and PCR digest verified.
public struct VerifiedTPMQuote: Sendable, Hashable {
    public let attest: TPMAttest
    public let attestationKey: TPMPublicArea
    /// The quoted SHA-256 PCR values, by index: these, and only these, the quote vouches for.
    public let pcrValues: [Int: [UInt8]]

    public init(attest: TPMAttest, attestationKey: TPMPublicArea, pcrValues: [Int: [UInt8]]) {
        self.attest = attest
        self.attestationKey = attestationKey
        self.pcrValues = pcrValues
    }
}
