/// Byte offsets of the 1184-byte SNP attestation report as sev's `Encoder` writes it back
/// (spec §1.8; AMD SEV-SNP ABI, ATTESTATION_REPORT). Integers are little-endian.
enum SNPReportLayout {
    static let byteCount = 0x4A0
    static let version = 0x000
    static let guestSVN = 0x004
    static let policy = 0x008
    static let familyID = 0x010
    static let imageID = 0x020
    static let vmpl = 0x030
    static let sigAlgo = 0x034
    static let currentTCB = 0x038
    static let platformInfo = 0x040
    static let keyInfo = 0x048
    static let reportData = 0x050
    static let measurement = 0x090
    static let hostData = 0x0C0
    static let idKeyDigest = 0x0E0
    static let authorKeyDigest = 0x110
    static let reportID = 0x140
    static let reportIDMA = 0x160
    static let reportedTCB = 0x180
    static let cpuidFamID = 0x188
    static let cpuidModID = 0x189
    static let cpuidStep = 0x18A
    static let chipID = 0x1A0
    static let committedTCB = 0x1E0
    static let currentVersion = 0x1E8
    static let committedVersion = 0x1EC
    static let launchTCB = 0x1F0
    static let launchMitVector = 0x1F8
    static let currentMitVector = 0x200
    static let signatureR = 0x2A0
    static let signatureS = 0x2E8
    static let signatureEnd = 0x330

    /// Reserved ranges that must be zero, for a report `version` (2…5).
    static func reservedRanges(version: UInt32) -> [Range<Int>] {
        var ranges: [Range<Int>] = [0x04C..<0x050]
        ranges.append(version == 2 ? 0x188..<0x1A0 : 0x18B..<0x1A0)
        ranges.append(0x1EB..<0x1EC)
        ranges.append(0x1EF..<0x1F0)
        ranges.append(version >= 5 ? 0x208..<0x2A0 : 0x1F8..<0x2A0)
        return ranges
    }
}

/// Which 8-byte TCB_VERSION layout a report uses (spec §1.3): Milan and Genoa
/// `[bootloader, tee, 0,0,0,0, snp, microcode]`, Turin `[fmc, bootloader, tee, snp, 0,0,0, microcode]`.
enum SNPTCBLayout: Hashable {
    case legacy
    case turin

    /// sev's rule (SEV7 `snp.rs:366-378, 561-570`; `src/lib.rs:263-285`): version 2 has no
    /// CPUID, so a CHIP_ID whose bytes 8…63 are zero means Turin (all-zero is an error);
    /// version ≥ 3 uses CPUID family/model.
    static func forReport(version: UInt32, cpuidFamID: UInt8?, cpuidModID: UInt8?, chipID: [UInt8]) throws(SNPEvidenceError) -> Self {
        if version == 2 {
            guard chipID.contains(where: { $0 != 0 }) else { throw .maskedChipID }
            return chipID.dropFirst(8).allSatisfy { $0 == 0 } ? .turin : .legacy
        }
        guard let family = cpuidFamID else { throw .missingField("cpuid_fam_id") }
        guard let model = cpuidModID else { throw .missingField("cpuid_mod_id") }
        switch (family, model) {
        case (0x19, 0x00...0x0F), (0x19, 0x10...0x1F), (0x19, 0xA0...0xAF): return .legacy  // Milan, Genoa
        case (0x1A, 0x00...0x11): return .turin
        default: throw .unknownCPU(family: family, model: model)
        }
    }
}

/// Little-endian reads and writes at fixed offsets of a report buffer.
extension Array where Element == UInt8 {
    func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + index]) }
        return value
    }

    func bytes(at offset: Int, count: Int) -> [UInt8] { Array(self[offset..<offset + count]) }

    mutating func putLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<MemoryLayout<T>.size { self[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    mutating func put(_ bytes: [UInt8], at offset: Int) {
        replaceSubrange(offset..<offset + bytes.count, with: bytes)
    }
}
