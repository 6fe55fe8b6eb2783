import SNPABI

/// The GUIDs of OVMF's footer table and QEMU's SEV hash table. EFI stores a GUID with its first
/// three groups little-endian (`EFI_GUID`), unlike the RFC 4122 order ``GUID`` keeps, so each
/// constant carries both forms.
public struct FirmwareGUID: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes as they appear in the firmware image (EFI order).
    public let efiBytes: [UInt8]

    /// From the canonical text form. - Precondition: `text` is a valid GUID (constants only).
    init(_ text: String) {
        guard let guid = GUID(string: text) else { preconditionFailure("bad GUID constant \(text)") }
        self.init(rfc4122: guid.bytes)
    }

    /// From 16 bytes in RFC 4122 order.
    init(rfc4122 b: [UInt8]) {
        efiBytes = [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]] + b[8..<16]
    }

    /// From 16 bytes read out of an image (EFI order).
    init(efiBytes: some Collection<UInt8>) { self.efiBytes = Array(efiBytes) }

    /// The canonical lower-case text form.
    public var description: String {
        let b = efiBytes
        return GUID(bytes: [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]] + b[8..<16])?.description ?? Hex.encode(b)
    }

    // MARK: OVMF footer table (edk2 OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm)

    /// `OVMF_TABLE_FOOTER_GUID`: ends the table, 32 bytes before the end of the image.
    public static let footer = FirmwareGUID("96b582de-1fb2-45f7-baea-a366c55a082d")
    /// `SEV_ES_RESET_BLOCK_GUID`: the APs' reset vector (first 4 bytes: EIP).
    public static let sevESResetBlock = FirmwareGUID("00f771de-1a7e-4fcb-890e-68c77e2fb44e")
    /// `SEV_HASH_TABLE_RV_GUID`: where QEMU writes the kernel hashes (first 4 bytes: GPA, then size).
    public static let sevHashTable = FirmwareGUID("7255371f-3a3b-4b04-927b-1da6efa8d454")
    /// `OVMF_SEV_METADATA_GUID`: first 4 bytes: offset of the `ASEV` metadata from the image's end.
    public static let sevMetadata = FirmwareGUID("dc886566-984a-4798-a75e-5585a7bf67cc")
    /// Coconut-SVSM's `SVSM_INFO_GUID`: first 4 bytes: the SVSM entry point, relative to its base.
    public static let svsmInfo = FirmwareGUID("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd")

    // MARK: QEMU's SEV hash table (target/i386/sev.c, `SevHashTable`)

    /// `SEV_HASH_TABLE_HEADER_GUID`.
    public static let hashTableHeader = FirmwareGUID("9438d606-4f22-4cc9-b479-a793d411fd21")
    /// `SEV_KERNEL_ENTRY_GUID`.
    public static let kernelEntry = FirmwareGUID("4de79437-abd2-427f-b835-d5b172d2045b")
    /// `SEV_INITRD_ENTRY_GUID`.
    public static let initrdEntry = FirmwareGUID("44baf731-3a2f-4bd7-9af1-41e29169781d")
    /// `SEV_CMDLINE_ENTRY_GUID`.
    public static let cmdlineEntry = FirmwareGUID("97d02dd8-bd20-4c94-aa78-e7714d36ab2a")
}
