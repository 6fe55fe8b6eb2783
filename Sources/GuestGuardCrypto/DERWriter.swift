/// Minimal DER encoders for the values the simulated AMD secure processor puts into VCEK/VLEK
/// extensions (`extnValue` contents): INTEGER, IA5String and OCTET STRING. The inverse of
/// ``DERReader``'s whole-buffer decoders.
public enum DERWriter {
    /// A non-negative INTEGER in minimal form (a leading 00 only when the top bit is set).
    public static func unsignedInteger(_ value: UInt64) -> [UInt8] {
        var magnitude = withUnsafeBytes(of: value.bigEndian, Array.init).drop { $0 == 0 }
        if magnitude.isEmpty { magnitude = [0] }
        if let first = magnitude.first, first & 0x80 != 0 { magnitude.insert(0, at: magnitude.startIndex) }
        return element(tag: DERReader.Tag.integer, contents: Array(magnitude))
    }

    /// An IA5String; `text` must be 7-bit ASCII.
    public static func ia5String(_ text: String) -> [UInt8] {
        precondition(text.utf8.allSatisfy { $0 < 0x80 }, "IA5String must be ASCII")
        return element(tag: DERReader.Tag.ia5String, contents: Array(text.utf8))
    }

    /// An OCTET STRING.
    public static func octetString(_ bytes: [UInt8]) -> [UInt8] {
        element(tag: DERReader.Tag.octetString, contents: bytes)
    }

    /// Tag, minimal definite length, contents.
    public static func element(tag: UInt8, contents: [UInt8]) -> [UInt8] {
        var out = [tag]
        if contents.count < 0x80 {
            out.append(UInt8(contents.count))
        } else {
            let length = withUnsafeBytes(of: UInt64(contents.count).bigEndian, Array.init).drop { $0 == 0 }
            out.append(0x80 | UInt8(length.count))
            out.append(contentsOf: length)
        }
        return out + contents
    }
}
