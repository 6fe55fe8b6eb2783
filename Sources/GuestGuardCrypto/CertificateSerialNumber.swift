/// A certificate serial number as big-endian magnitude bytes (AMD VCEK/VLEK use serial 0,
/// which RFC 5280 forbids but which we must accept).
public struct CertificateSerialNumber: Sendable, Hashable, CustomStringConvertible {
    /// Minimal big-endian magnitude; empty for zero.
    public let magnitude: [UInt8]
    public let isNegative: Bool

    public init(magnitude: [UInt8], isNegative: Bool = false) {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        self.magnitude = trimmed
        self.isNegative = isNegative && !trimmed.isEmpty
    }

    public var isZero: Bool { magnitude.isEmpty }

    /// The value if it fits in 64 bits and is not negative.
    public var uint64Value: UInt64? {
        guard !isNegative, magnitude.count <= 8 else { return nil }
        return magnitude.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String {
        if let value = uint64Value { return String(value) }
        return (isNegative ? "-0x" : "0x") + magnitude.hexString
    }
}

extension Collection<UInt8> {
    /// Lower-case hex, two digits per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
