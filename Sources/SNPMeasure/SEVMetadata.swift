/// OVMF's SEV metadata (edk2 `OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm`), located through the
/// footer table's `OVMF_SEV_METADATA_GUID` entry (its first 4 bytes: the offset of the header from
/// the end of the image). QEMU (`sev_snp_launch_update_ovmf_metadata`-era code in
/// `target/i386/sev.c`) walks the sections in order and launches each with its page type.
///
/// ```
/// 0x00 "ASEV"  0x04 UINT32 size (header + descriptors)  0x08 UINT32 version (1)  0x0C UINT32 count
/// 0x10 count × { UINT32 gpa, UINT32 size, UINT32 type }
/// ```
public struct SEVMetadata: Sendable, Hashable {
    /// `OvmfSevMetadataSectionDesc.Type`.
    public enum SectionType: UInt32, Sendable, Hashable, CustomStringConvertible {
        /// `OVMF_SECTION_TYPE_SNP_SEC_MEM`: pre-validated memory the firmware uses early; launched as
        /// zero pages (GCE: unmeasured pages).
        case snpSecMem = 1
        /// `OVMF_SECTION_TYPE_SNP_SECRETS`: the SNP secrets page.
        case snpSecrets = 2
        /// `OVMF_SECTION_TYPE_CPUID`: the SNP CPUID page.
        case cpuid = 3
        /// `OVMF_SECTION_TYPE_SVSM_CAA`: the SVSM calling area; zero pages.
        case svsmCAA = 4
        /// `OVMF_SECTION_TYPE_KERNEL_HASHES` (0x10): the page holding QEMU's SEV hash table;
        /// normal page with the table when kernel hashes are on, zero page otherwise.
        case snpKernelHashes = 0x10

        public var description: String {
            switch self {
            case .snpSecMem: "SNP_SEC_MEM"
            case .snpSecrets: "SNP_SECRETS"
            case .cpuid: "CPUID"
            case .svsmCAA: "SVSM_CAA"
            case .snpKernelHashes: "SNP_KERNEL_HASHES"
            }
        }
    }

    /// `OvmfSevMetadataSectionDesc`.
    public struct Section: Sendable, Hashable {
        public let gpa: UInt32
        public let size: UInt32
        public let type: SectionType
    }

    public static let signature: [UInt8] = Array("ASEV".utf8)
    static let headerSize = 16
    static let descriptorSize = 12

    public let sections: [Section]

    /// The sections of `image` given its footer `table`; no sections when the table has no
    /// metadata entry (pre-SNP OVMF builds).
    public init(image: [UInt8], table: FirmwareFooterTable, name: String) throws(MeasurementError) {
        guard let offsetFromEnd = try table.uint32(.sevMetadata, name: name, entry: "OVMF_SEV_METADATA_GUID") else {
            sections = []
            return
        }
        let start = image.count - Int(offsetFromEnd)
        guard start >= 0, start + Self.headerSize <= image.count else {
            throw .sevMetadata(image: name, offset: max(start, 0), reason: "offset \(hex(offsetFromEnd)) from the end leaves no room for the 16-byte header")
        }
        guard Array(image[start..<(start + 4)]) == Self.signature else {
            throw .sevMetadata(image: name, offset: start, reason: "signature is not \"ASEV\"")
        }
        let size = Int(littleEndianUInt32(image, at: start + 4))
        let version = littleEndianUInt32(image, at: start + 8)
        let count = Int(littleEndianUInt32(image, at: start + 12))
        guard version == 1 else {
            throw .sevMetadata(image: name, offset: start + 8, reason: "version \(version), expected 1")
        }
        guard size >= Self.headerSize, start + size <= image.count else {
            throw .sevMetadata(image: name, offset: start + 4, reason: "size \(size) does not fit between the header and the end of the image")
        }
        guard count <= (size - Self.headerSize) / Self.descriptorSize else {
            throw .sevMetadata(image: name, offset: start + 12, reason: "\(count) sections do not fit in \(size - Self.headerSize) descriptor bytes")
        }
        var parsed: [Section] = []
        for index in 0..<count {
            let offset = start + Self.headerSize + index * Self.descriptorSize
            let gpa = littleEndianUInt32(image, at: offset)
            let length = littleEndianUInt32(image, at: offset + 4)
            let rawType = littleEndianUInt32(image, at: offset + 8)
            guard let type = SectionType(rawValue: rawType) else {
                throw .metadataSection(image: name, index: index, offset: offset, reason: "unknown section type \(hex(rawType))")
            }
            guard gpa % 4096 == 0, length % 4096 == 0 else {
                throw .metadataSection(image: name, index: index, offset: offset, reason: "\(type) at \(hex(gpa)) size \(hex(length)) is not made of whole 4 KiB pages")
            }
            guard UInt64(gpa) + UInt64(length) <= 1 << 32 else {
                throw .metadataSection(image: name, index: index, offset: offset, reason: "\(type) at \(hex(gpa)) size \(hex(length)) ends above 4 GiB")
            }
            parsed.append(Section(gpa: gpa, size: length, type: type))
        }
        sections = parsed
    }

    /// Whether a section of `type` is present.
    public func contains(_ type: SectionType) -> Bool { sections.contains { $0.type == type } }
}
