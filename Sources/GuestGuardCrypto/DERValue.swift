import SwiftASN1

/// The DER values of the AMD VCEK/VLEK extensions (`extnValue` contents), decoded and encoded with
/// apple/swift-asn1: INTEGER, IA5String, OCTET STRING. Each decoder requires the buffer to hold
/// exactly one element (swift-asn1 rejects trailing data), as the AMD extensions do.
public enum DERValue {
    /// A single non-negative INTEGER that fits 64 bits (`blSPL`, `structVersion`…).
    public static func unsignedInteger(from bytes: [UInt8]) throws(DERError) -> UInt64 {
        try DERError.decoding { try UInt64(derEncoded: bytes) }
    }

    /// A single IA5String (`productName`, `cspID`).
    public static func ia5String(from bytes: [UInt8]) throws(DERError) -> String {
        try DERError.decoding { String(try ASN1IA5String(derEncoded: bytes)) }
    }

    /// A value of `count` bytes that is either raw (no inner tag, as AMD's KDS encodes `hwID`) or
    /// wrapped in a DER OCTET STRING (`04 40 …`, which trustee also accepts). The form is decided by
    /// length alone, never by guessing from the content.
    public static func rawOrOctetStringWrapped(_ bytes: [UInt8], count: Int) throws(DERError) -> [UInt8] {
        if bytes.count == count { return bytes }
        guard bytes.first == 0x04 else { throw .unexpectedLength(expectedCount: count, actual: bytes.count) }
        let contents = try DERError.decoding { try ASN1OctetString(derEncoded: bytes).bytes }
        guard contents.count == count else { throw .unexpectedLength(expectedCount: count, actual: contents.count) }
        return Array(contents)
    }

    /// A non-negative INTEGER in minimal form.
    public static func encodeUnsignedInteger(_ value: UInt64) -> [UInt8] { serialized(value) }

    /// An IA5String; `text` must be 7-bit ASCII (a programmer error otherwise).
    public static func encodeIA5String(_ text: String) -> [UInt8] {
        guard let string = try? ASN1IA5String(text) else { preconditionFailure("IA5String must be ASCII: \(text)") }
        return serialized(string)
    }

    /// An OCTET STRING.
    public static func encodeOctetString(_ bytes: [UInt8]) -> [UInt8] { serialized(ASN1OctetString(contentBytes: bytes[...])) }

    private static func serialized(_ value: some DERSerializable) -> [UInt8] {
        var serializer = DER.Serializer()
        // Serializing these primitive values cannot fail.
        guard (try? serializer.serialize(value)) != nil else { preconditionFailure("DER serialization of \(value) failed") }
        return serializer.serializedBytes
    }
}
