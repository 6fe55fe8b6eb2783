import SNPABI

/// Edits of real vectors for negative tests. Offsets are ATTESTATION_REPORT offsets.
enum ReportMutation {
    static func edited(_ vector: ReportVector, _ edit: (inout [UInt8]) -> Void) throws -> [UInt8] {
        var bytes = try vector.load()
        edit(&bytes)
        return bytes
    }

    static func setLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<(T.bitWidth / 8) {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        var value: T = 0
        for index in 0..<(T.bitWidth / 8) { value |= T(bytes[offset + index]) << (8 * index) }
        return value
    }

    static let launchMitigationVector: UInt64 = 0x0000_0000_0000_0013
    static let currentMitigationVector: UInt64 = 0x8000_0000_0000_0007

    /// A version-5 report derived from the Genoa v3 vector: VERSION 5 plus the two mitigation
    /// vectors at 0x1F8 / 0x200 (its signature no longer verifies; the parser does not check it).
    static func derivedVersion5() throws -> [UInt8] {
        try edited(.trusteeGenoaV3) { bytes in
            setLittleEndian(UInt32(5), at: 0x000, in: &bytes)
            setLittleEndian(launchMitigationVector, at: 0x1F8, in: &bytes)
            setLittleEndian(currentMitigationVector, at: 0x200, in: &bytes)
        }
    }

    /// Must-be-zero byte ranges of a version-2 report.
    static let version2ZeroRanges: [Range<Int>] = [
        0x04C..<0x050, 0x188..<0x1A0, 0x1EB..<0x1EC, 0x1EF..<0x1F0, 0x1F8..<0x2A0,
        0x2D0..<0x2E8, 0x318..<0x330, 0x330..<0x4A0,
    ]
    /// Must-be-zero byte ranges of a version-3 report (CPUID bytes at 0x188..<0x18B).
    static let version3ZeroRanges: [Range<Int>] = [
        0x04C..<0x050, 0x18B..<0x1A0, 0x1EB..<0x1EC, 0x1EF..<0x1F0, 0x1F8..<0x2A0,
        0x2D0..<0x2E8, 0x318..<0x330, 0x330..<0x4A0,
    ]
    /// Must-be-zero byte ranges of a version-5 report (mitigation vectors at 0x1F8..<0x208).
    static let version5ZeroRanges: [Range<Int>] = [
        0x04C..<0x050, 0x18B..<0x1A0, 0x1EB..<0x1EC, 0x1EF..<0x1F0, 0x208..<0x2A0,
        0x2D0..<0x2E8, 0x318..<0x330, 0x330..<0x4A0,
    ]
}
