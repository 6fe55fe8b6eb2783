/// A TPMT_SIGNATURE (TPM 2.0 Part 2, §11.3.4): ECDSA (r, s) or RSASSA / RSAPSS, with its hash.
public struct TPMSignature: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case ecdsa(r: [UInt8], s: [UInt8])
        case rsassa([UInt8])
        case rsapss([UInt8])
    }

    /// sigAlg (TPMI_ALG_SIG_SCHEME).
    public let signatureAlgorithm: UInt16
    /// hash (TPMI_ALG_HASH) the signer used over TPMS_ATTEST.
    public let hashAlgorithm: UInt16
    public let value: Value

    public init(bytes: [UInt8]) throws(TPMEvidenceError) {
        var reader = TPMReader(bytes, structure: "TPMT_SIGNATURE")
        signatureAlgorithm = try reader.read(UInt16.self, "sigAlg")
        hashAlgorithm = try reader.read(UInt16.self, "signature.hash")
        switch signatureAlgorithm {
        case TPMAlgorithm.ecdsa:
            let r = try reader.readSized("signature.ecdsa.signatureR", maximum: 66)
            let s = try reader.readSized("signature.ecdsa.signatureS", maximum: 66)
            value = .ecdsa(r: r, s: s)
        case TPMAlgorithm.rsassa:
            value = .rsassa(try reader.readSized("signature.rsassa.sig", maximum: 512))
        case TPMAlgorithm.rsapss:
            value = .rsapss(try reader.readSized("signature.rsapss.sig", maximum: 512))
        default:
            throw .unsupportedAlgorithm(structure: "TPMT_SIGNATURE", field: "sigAlg", algorithm: signatureAlgorithm)
        }
        try reader.expectEnd()
    }
}
