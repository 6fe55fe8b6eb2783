/// A TPMS_ATTEST that holds a TPMS_QUOTE_INFO (TPM 2.0 Part 2, §10.12.12 and §10.12.4): what
/// TPM2_Quote signs. Parsed strictly: magic, type, and no trailing bytes.
public struct TPMAttest: Sendable, Hashable {
    /// TPM_GENERATED_VALUE: the TPM puts it in every structure it signs, and a restricted key
    /// refuses to sign external data that starts with it.
    public static let generatedValue: UInt32 = 0xff54_4347
    /// TPM_ST_ATTEST_QUOTE.
    public static let quoteType: UInt16 = 0x8018

    /// The bytes as received: exactly what the signature covers.
    public let signedBytes: [UInt8]
    /// qualifiedSigner (TPM2B_NAME): the signing key's qualified name.
    public let qualifiedSigner: [UInt8]
    /// extraData (TPM2B_DATA): the verifier's nonce, copied from qualifyingData.
    public let extraData: [UInt8]
    /// clockInfo (TPMS_CLOCK_INFO).
    public let clock: UInt64
    public let resetCount: UInt32
    public let restartCount: UInt32
    public let safe: Bool
    public let firmwareVersion: UInt64
    /// pcrSelect (TPML_PCR_SELECTION): per bank (TPM_ALG_ID), the selected PCR indices ascending.
    public let pcrSelection: [(hash: UInt16, indices: [Int])]
    /// pcrDigest (TPM2B_DIGEST): the hash of the selected PCR values, concatenated in selection order.
    public let pcrDigest: [UInt8]

    public init(bytes: [UInt8]) throws(TPMEvidenceError) {
        var reader = TPMReader(bytes, structure: "TPMS_ATTEST")
        let magic = try reader.read(UInt32.self, "magic")
        guard magic == Self.generatedValue else { throw .notTPMGenerated(magic: magic) }
        let type = try reader.read(UInt16.self, "type")
        guard type == Self.quoteType else { throw .notAQuote(type: type) }
        qualifiedSigner = try reader.readSized("qualifiedSigner", maximum: 2 + 64)
        extraData = try reader.readSized("extraData", maximum: 64)
        clock = try reader.read(UInt64.self, "clockInfo.clock")
        resetCount = try reader.read(UInt32.self, "clockInfo.resetCount")
        restartCount = try reader.read(UInt32.self, "clockInfo.restartCount")
        safe = try reader.read(UInt8.self, "clockInfo.safe") != 0
        firmwareVersion = try reader.read(UInt64.self, "firmwareVersion")
        let count = try reader.read(UInt32.self, "attested.quote.pcrSelect.count")
        guard count <= 16 else {
            throw .fieldTooLarge(structure: "TPMS_ATTEST", field: "attested.quote.pcrSelect.count", offset: reader.offset - 4,
                                 size: Int(count), maximum: 16)
        }
        var selection: [(hash: UInt16, indices: [Int])] = []
        for _ in 0..<count {
            let hash = try reader.read(UInt16.self, "attested.quote.pcrSelect.hash")
            let size = Int(try reader.read(UInt8.self, "attested.quote.pcrSelect.sizeofSelect"))
            guard size <= 4 else {
                throw .fieldTooLarge(structure: "TPMS_ATTEST", field: "attested.quote.pcrSelect.sizeofSelect", offset: reader.offset - 1,
                                     size: size, maximum: 4)
            }
            let bitmap = try reader.readBytes(size, "attested.quote.pcrSelect.pcrSelect")
            let indices = (0..<(size * 8)).filter { bitmap[$0 / 8] & (1 << ($0 % 8)) != 0 }
            selection.append((hash, indices))
        }
        pcrSelection = selection
        pcrDigest = try reader.readSized("attested.quote.pcrDigest", maximum: 64)
        try reader.expectEnd()
        signedBytes = bytes
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.signedBytes == rhs.signedBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(signedBytes) }
}
