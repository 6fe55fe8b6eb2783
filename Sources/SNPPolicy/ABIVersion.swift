/// A firmware ABI version MAJOR.MINOR, as in POLICY.ABI_MAJOR / ABI_MINOR (0x008 bits 15:8 and 7:0).
public struct ABIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt8
    public let minor: UInt8

    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// "1.51".
    public var description: String { "\(major).\(minor)" }
}
