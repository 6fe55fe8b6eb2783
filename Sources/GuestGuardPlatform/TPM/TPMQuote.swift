/// What TPM2_Quote returns, in the TPM's own big-endian encodings.
public struct TPMQuote: Sendable, Hashable {
    /// TPMS_ATTEST (the body of TPM2B_ATTEST, without its size): exactly the signed bytes.
    public var attest: [UInt8]
    /// TPMT_SIGNATURE, marshalled.
    public var signature: [UInt8]
    /// The attestation key's TPMT_PUBLIC (its public area), marshalled. Its digest with the key's
    /// nameAlg is the key's TPM Name.
    public var attestationKeyPublic: [UInt8]

    public init(attest: [UInt8], signature: [UInt8], attestationKeyPublic: [UInt8]) {
        self.attest = attest
        self.signature = signature
        self.attestationKeyPublic = attestationKeyPublic
    }
}
