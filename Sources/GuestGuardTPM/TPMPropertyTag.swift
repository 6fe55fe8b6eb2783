/// TPM_PT values of the fixed group (TPM 2.0 Part 2, §6.13; PT_FIXED = 0x100). Spelled out
/// because tss2's compound macros (`TPM2_PT_FIXED + 5`) do not import into Swift.
enum TPMPropertyTag {
    static let manufacturer: UInt32 = 0x105
    static let vendorString1: UInt32 = 0x106
    static let firmwareVersion1: UInt32 = 0x10B
    static let firmwareVersion2: UInt32 = 0x10C
}
