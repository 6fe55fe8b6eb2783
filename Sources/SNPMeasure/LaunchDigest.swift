import SNPABI

/// The SEV-SNP launch digest as the AMD secure processor computes it during `SNP_LAUNCH_UPDATE`
/// (AMD #56860 "SEV Secure Nested Paging Firmware ABI Specification" §8.17 SNP_LAUNCH_UPDATE,
/// Table "PAGE_INFO"): for every page, the new digest is SHA-384 of a 0x70-byte PAGE_INFO:
///
/// ```
/// 0x00 DIGEST_CUR[48]   the digest so far
/// 0x30 CONTENTS[48]     SHA-384 of the page (normal and VMSA pages); zero for the other types
/// 0x60 LENGTH (u16)     0x70
/// 0x62 PAGE_TYPE (u8)   see PageType
/// 0x63 IMI_PAGE (u8)    0
/// 0x64 VMPL3_PERMS, VMPL2_PERMS, VMPL1_PERMS (u8 each) 0, then one reserved byte
/// 0x68 GPA (u64)
/// ```
/// The final value is the report's MEASUREMENT (ATTESTATION_REPORT @0x090).
public struct LaunchDigest: Sendable {
    /// `PAGE_TYPE` values of SNP_LAUNCH_UPDATE (AMD #56860 Table "Page Types").
    public enum PageType: UInt8, Sendable {
        case normal = 1
        case vmsa = 2
        case zero = 3
        case unmeasured = 4
        case secrets = 5
        case cpuid = 6
    }

    public static let byteCount = 48
    static let pageInfoLength = 0x70
    /// The GPA every VMSA page is measured with: (u64)-1 page-aligned with the bits above the
    /// guest-physical address width cleared, as KVM's launch records it (sev-snp-measure `VMSA_GPA`).
    static let vmsaGPA: UInt64 = 0xFFFF_FFFF_F000
    public static let pageSize = 4096

    public private(set) var value: [UInt8]
    let hashing: any LaunchDigestHashing

    /// Starts from `seed` (48 zero bytes at launch start, or a precomputed firmware digest).
    public init(seed: [UInt8] = [UInt8](repeating: 0, count: byteCount), hashing: any LaunchDigestHashing) throws(MeasurementError) {
        guard seed.count == Self.byteCount else {
            throw .invalidInput(what: "launch digest seed", reason: "\(seed.count) bytes, expected 48 (SHA-384)")
        }
        value = seed
        self.hashing = hashing
    }

    /// One PAGE_INFO step.
    mutating func update(_ type: PageType, gpa: UInt64, contents: [UInt8]) throws(MeasurementError) {
        var info = ByteWriter(count: Self.pageInfoLength)
        info.put(value, at: 0x00)
        info.put(contents, at: 0x30)
        info.put(UInt16(Self.pageInfoLength), at: 0x60)
        info.put(type.rawValue, at: 0x62)
        info.put(gpa, at: 0x68)
        value = try hashing.sha384(of: info.bytes[...])
    }

    /// `data` (a whole number of pages) launched as normal pages from `gpa` on.
    public mutating func updateNormalPages(gpa: UInt64, data: ArraySlice<UInt8>) throws(MeasurementError) {
        guard data.count % Self.pageSize == 0 else {
            throw .invalidInput(what: "normal pages at \(hex(gpa))", reason: "\(data.count) bytes is not a whole number of 4 KiB pages")
        }
        var offset = 0
        while offset < data.count {
            let start = data.startIndex + offset
            let contents = try hashing.sha384(of: data[start..<(start + Self.pageSize)])
            try update(.normal, gpa: gpa + UInt64(offset), contents: contents)
            offset += Self.pageSize
        }
    }

    /// `byteCount` bytes from `gpa` launched as pages of a type without contents (zero, unmeasured).
    public mutating func updateEmptyPages(_ type: PageType, gpa: UInt64, byteCount: Int) throws(MeasurementError) {
        let zeros = [UInt8](repeating: 0, count: Self.byteCount)
        var offset = 0
        while offset < byteCount {
            try update(type, gpa: gpa + UInt64(offset), contents: zeros)
            offset += Self.pageSize
        }
    }

    /// A VMSA page (exactly 4 KiB).
    public mutating func updateVMSA(_ page: [UInt8]) throws(MeasurementError) {
        precondition(page.count == Self.pageSize, "a VMSA is one page")
        try update(.vmsa, gpa: Self.vmsaGPA, contents: try hashing.sha384(of: page[...]))
    }
}
