/// A firmware image (OVMF, or a Coconut-SVSM binary) as QEMU maps it: its last byte just below
/// `endGPA` (4 GiB for OVMF's flash, the start of OVMF_VARS for an SVSM), with its footer table and
/// SEV metadata parsed.
public struct FirmwareImage: Sendable {
    /// The name used in error messages (usually the path).
    public let name: String
    public let bytes: [UInt8]
    /// Guest-physical address of the first byte.
    public let gpa: UInt64
    public let table: FirmwareFooterTable
    public let metadata: SEVMetadata

    public static let fourGiB: UInt64 = 1 << 32

    public init(bytes: [UInt8], name: String, endGPA: UInt64 = fourGiB) throws(MeasurementError) {
        guard UInt64(bytes.count) <= endGPA else {
            throw .layout("\(name): \(bytes.count) bytes do not fit below \(hex(endGPA))")
        }
        self.name = name
        self.bytes = bytes
        gpa = endGPA - UInt64(bytes.count)
        table = try FirmwareFooterTable(image: bytes, name: name)
        metadata = try SEVMetadata(image: bytes, table: table, name: name)
    }

    /// The APs' reset EIP from `SEV_ES_RESET_BLOCK_GUID` (QEMU `pc_system_ovmf_table_find`;
    /// the BSP always starts at 0xFFFFFFF0).
    public func sevESResetEIP() throws(MeasurementError) -> UInt32 {
        guard let eip = try table.uint32(.sevESResetBlock, name: name, entry: "SEV_ES_RESET_BLOCK_GUID") else {
            throw .missingFooterEntry(image: name, entry: "SEV_ES_RESET_BLOCK_GUID (\(FirmwareGUID.sevESResetBlock))")
        }
        return eip
    }

    /// The SVSM entry point: `SVSM_INFO_GUID`'s first 4 bytes plus the image's base (Coconut QEMU
    /// `target/i386/sev.c`).
    public func svsmEntryPoint() throws(MeasurementError) -> UInt64 {
        guard let offset = try table.uint32(.svsmInfo, name: name, entry: "SVSM_INFO_GUID") else {
            throw .missingFooterEntry(image: name, entry: "SVSM_INFO_GUID (\(FirmwareGUID.svsmInfo))")
        }
        return UInt64(offset) + gpa
    }

    /// The GPA of QEMU's SEV hash table (`SEV_HASH_TABLE_RV_GUID`), nil when absent.
    public func sevHashTableGPA() throws(MeasurementError) -> UInt32? {
        try table.uint32(.sevHashTable, name: name, entry: "SEV_HASH_TABLE_RV_GUID")
    }

    /// Whether QEMU can place kernel hashes in this firmware in SEV and SEV-ES modes: the hash
    /// table entry is present with a non-zero address.
    public func supportsSEVHashTable() throws(MeasurementError) -> Bool {
        guard let address = try sevHashTableGPA() else { return false }
        return address != 0
    }
}
