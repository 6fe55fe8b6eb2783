import SwiftASN1

/// The DER values of the AMD VCEK/VLEK extensions (`extnValue` contents), decoded and encoded with
/// apple/swift-asn1: INTEGER, IA5String, OCTET STRING. Each decoder requires the buffer to hold
/// exactly one element (swift-asn1 refuses trailing data), as the AMD extensions do.
public enum DERValue {
    /// A single non-negative INTEGER that fits 64 bits (`blSPL`, `structVersion`…).
    public static func unsignedInteger(from bytes: [UInt8]) throws(DERError) -> UInt64 {
        try DERError.decoding("INTEGER") { try UInt64(derEncoded: bytes) }
    }

    /// A single IA5String (`productName`, `cspID`).
    public static func ia5String(from bytes: [UInt8]) throws(DERError) -> String {
        try DERError.decoding("IA5String") { String(try ASN1IA5String(derEncoded: bytes)) }
    }

    /// A value of `count` bytes that is either raw (no inner tag, as AMD's KDS encodes `hwID`) or
    /// wrapped in a DER OCTET STRING (`04 40 …`, which trustee also accepts). The form is decided by
    /// length alone, never by guessing from the content.
    public static func rawOrOctetStringWrapped(_ bytes: [UInt8], count: Int) throws(DERError) -> [UInt8] {
        if bytes.count == count { return bytes }
        guard bytes.first == 0x04 else { throw .unexpectedLength(expectedCount: count, actual: bytes.count) }
        let contents = try DERError.decoding("OCTET STRING") { try ASN1OctetString(derEncoded: bytes).bytes }
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

/// A DER value could not be decoded. The codec is apple/swift-asn1, strict as DER requires (definite,
/// minimal lengths; minimal integers; no bytes after the value); the error names what was being
/// decoded and keeps swift-asn1's error code and reason.
public enum DERError: Error, Hashable, Sendable, CustomStringConvertible {
    /// swift-asn1 refused the bytes of `what` (`AlgorithmIdentifier`, `CertificateList`, `INTEGER`…):
    /// `code` is its `ASN1Error.ErrorCode`, `reason` its explanation.
    case malformed(what: String, code: String, reason: String)
    /// A value that is neither the raw form nor the OCTET STRING-wrapped form of `expectedCount` bytes.
    case unexpectedLength(expectedCount: Int, actual: Int)

    public var description: String {
        switch self {
        case .malformed(let what, let code, let reason): "\(what) is not valid DER (\(code)): \(reason)"
        case .unexpectedLength(let expectedCount, let actual):
            "value is \(actual) bytes, expected \(expectedCount) raw bytes or an OCTET STRING of \(expectedCount) bytes"
        }
    }

    /// Runs a swift-asn1 decode of `what` and turns its error into a typed ``DERError``.
    static func decoding<T>(_ what: String, _ body: () throws -> T) throws(DERError) -> T {
        do { return try body() } catch let error as ASN1Error {
            throw .malformed(what: what, code: "\(error.code)", reason: reason(error))
        } catch {
            throw .malformed(what: what, code: "unknown", reason: "\(error)")
        }
    }

    /// swift-asn1 exposes the reason only inside its description (`ASN1Error.code: reason file:line`);
    /// the source location of the library is no help to the reader, so it is cut off.
    private static func reason(_ error: ASN1Error) -> String {
        var text = Substring(error.description)
        if let colon = text.firstIndex(of: ":") { text = text[text.index(after: colon)...] }
        if let space = text.lastIndex(of: " ") { text = text[..<space] }
        let reason = text.drop(while: { $0 == " " })
        if !reason.isEmpty { return String(reason) }
        return switch error.code {
        case .truncatedASN1Field: "the bytes end inside an element (a length runs past the end)"
        default: "\(error.code)"
        }
    }
}
