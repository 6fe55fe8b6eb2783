import SwiftASN1

/// A DER value could not be decoded. The codec is apple/swift-asn1, strict as DER requires
/// (minimal lengths and integers, no indefinite lengths, no unconsumed bytes); its reason is kept.
public enum DERError: Error, Hashable, Sendable, CustomStringConvertible {
    /// swift-asn1 refused the bytes: `reason` is its `ASN1Error` text (code and reason).
    case malformed(reason: String)
    /// A value that is neither the raw form nor the OCTET STRING-wrapped form of `expectedCount` bytes.
    case unexpectedLength(expectedCount: Int, actual: Int)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed DER: \(reason)"
        case .unexpectedLength(let expectedCount, let actual):
            "value is \(actual) bytes, expected \(expectedCount) raw bytes or an OCTET STRING of \(expectedCount) bytes"
        }
    }

    /// Runs a swift-asn1 decode and keeps its error, typed.
    static func decoding<T>(_ body: () throws -> T) throws(DERError) -> T {
        do { return try body() } catch { throw .malformed(reason: "\(error)") }
    }
}
