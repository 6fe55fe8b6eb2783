/// An AMD-SP firmware version MAJOR.MINOR.BUILD (report offsets 0x1E8-0x1EA current,
/// 0x1EC-0x1EE committed; stored BUILD, MINOR, MAJOR).
public struct FirmwareVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt8
    public let minor: UInt8
    public let build: UInt8

    public init(major: UInt8, minor: UInt8, build: UInt8) {
        self.major = major
        self.minor = minor
        self.build = build
    }

    /// Ordered by major, then minor, then build.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.build) < (rhs.major, rhs.minor, rhs.build)
    }

    /// "1.55.29".
    public var description: String { "\(major).\(minor).\(build)" }
}
