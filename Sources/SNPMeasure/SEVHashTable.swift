import SNPABI

/// QEMU's SEV hash table (`target/i386/sev.c`: `SevHashTable`, `PaddedSevHashTable`), which QEMU
/// writes at the firmware's `SEV_HASH_TABLE_RV_GUID` address when kernel hashes are on, and which
/// OVMF (`OvmfPkg/Library/BlobVerifierLib/BlobVerifierSevHashes.c`) checks the blobs against:
///
/// ```
/// 0x00 GUID SEV_HASH_TABLE_HEADER_GUID  0x10 UINT16 length (0xA8)
/// 0x12 { GUID SEV_CMDLINE_ENTRY_GUID, UINT16 0x32, SHA-256[32] }
/// 0x44 { GUID SEV_INITRD_ENTRY_GUID,  UINT16 0x32, SHA-256[32] }
/// 0x76 { GUID SEV_KERNEL_ENTRY_GUID,  UINT16 0x32, SHA-256[32] }
/// 0xA8 zero padding to a multiple of 16 (0xB0 bytes in all)
/// ```
public struct SEVHashTable: Sendable, Hashable {
    /// SHA-256 of the kernel image.
    public let kernel: [UInt8]
    /// SHA-256 of the initrd (of no bytes when there is none).
    public let initrd: [UInt8]
    /// SHA-256 of the command line's UTF-8 bytes followed by one NUL (just the NUL when empty).
    public let cmdline: [UInt8]

    static let entrySize = 16 + 2 + 32
    static let tableSize = 16 + 2 + 3 * entrySize
    /// The padded table's size: QEMU measures and copies `PaddedSevHashTable`.
    public static let paddedSize = (tableSize + 15) & ~15

    /// A table from the three digests (32 bytes each).
    public init(kernel: [UInt8], initrd: [UInt8], cmdline: [UInt8]) throws(MeasurementError) {
        for (name, digest) in [("kernel", kernel), ("initrd", initrd), ("cmdline", cmdline)] where digest.count != 32 {
            throw .invalidInput(what: "\(name) hash", reason: "\(digest.count) bytes, expected 32 (SHA-256)")
        }
        self.kernel = kernel
        self.initrd = initrd
        self.cmdline = cmdline
    }

    /// The bytes QEMU hashes for `-append text`: its UTF-8 bytes and a terminating NUL.
    public static func commandLineBytes(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    /// The padded table.
    public var bytes: [UInt8] {
        var writer = ByteWriter(count: Self.paddedSize)
        writer.put(FirmwareGUID.hashTableHeader.efiBytes, at: 0)
        writer.put(UInt16(Self.tableSize), at: 16)
        var offset = 18
        for (guid, digest) in [(FirmwareGUID.cmdlineEntry, cmdline), (.initrdEntry, initrd), (.kernelEntry, kernel)] {
            writer.put(guid.efiBytes, at: offset)
            writer.put(UInt16(Self.entrySize), at: offset + 16)
            writer.put(digest, at: offset + 18)
            offset += Self.entrySize
        }
        return writer.bytes
    }

    /// The SNP_KERNEL_HASHES page: the table at `offsetInPage` (the table GPA's low 12 bits), zeros
    /// elsewhere.
    public func page(offsetInPage: Int, image: String) throws(MeasurementError) -> [UInt8] {
        guard offsetInPage + Self.paddedSize <= LaunchDigest.pageSize else {
            throw .layout("\(image): the SEV hash table at page offset \(hex(offsetInPage)) does not fit in its page (\(Self.paddedSize) bytes)")
        }
        var writer = ByteWriter(count: LaunchDigest.pageSize)
        writer.put(bytes, at: offsetInPage)
        return writer.bytes
    }
}
