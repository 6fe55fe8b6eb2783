/// Whole-buffer decoders for X.509 extension values (`extnValue` contents): each requires the
/// buffer to hold exactly one element, as the AMD VCEK/VLEK extensions do.
extension DERReader {
    /// Decodes an extension value that is a single non-negative INTEGER (`blSPL`, `structVersion`…).
    public static func unsignedInteger(from bytes: [UInt8]) throws(DERError) -> UInt64 {
        var reader = DERReader(bytes)
        let value = try reader.readUnsignedInteger()
        try reader.expectEnd()
        return value
    }

    /// Decodes an extension value that is a single IA5String (`productName`, `cspID`).
    public static func ia5String(from bytes: [UInt8]) throws(DERError) -> String {
        var reader = DERReader(bytes)
        let value = try reader.readIA5String()
        try reader.expectEnd()
        return value
    }

    /// Decodes an extension value of `count` bytes that is either raw (no inner tag, as AMD's
    /// KDS encodes `hwID`) or wrapped in a DER OCTET STRING (`04 40 …`, which trustee also
    /// accepts). The form is decided by length alone, never by guessing from the content.
    public static func rawOrOctetStringWrapped(_ bytes: [UInt8], count: Int) throws(DERError) -> [UInt8] {
        if bytes.count == count { return bytes }
        var reader = DERReader(bytes)
        guard let tag = reader.peekTag(), tag == Tag.octetString else {
            throw .unexpectedLength(expectedCount: count, actual: bytes.count)
        }
        let contents = try reader.readOctetString()
        try reader.expectEnd()
        guard contents.count == count else { throw .unexpectedLength(expectedCount: count, actual: contents.count) }
        return Array(contents)
    }
}
