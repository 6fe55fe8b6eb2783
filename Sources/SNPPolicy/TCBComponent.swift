import SNPABI

/// One security patch level inside a TCB_VERSION (`docs/snp-abi.md` §3.3).
public enum TCBComponent: String, Sendable, Hashable, CaseIterable {
    case bootLoader = "bootloader"
    case tee
    case snp
    case microcode
    /// Turin and later only.
    case fmc

    /// The spec name: BOOT_LOADER, TEE, SNP, MICROCODE, FMC.
    public var specName: String {
        switch self {
        case .bootLoader: return "BOOT_LOADER"
        case .tee: return "TEE"
        case .snp: return "SNP"
        case .microcode: return "MICROCODE"
        case .fmc: return "FMC"
        }
    }

    /// The level in `tcb`; nil for ``fmc`` when the TCB layout has none (before Turin).
    public func value(in tcb: TCBVersion) -> UInt8? {
        switch self {
        case .bootLoader: return tcb.bootLoader
        case .tee: return tcb.tee
        case .snp: return tcb.snp
        case .microcode: return tcb.microcode
        case .fmc: return tcb.fmc
        }
    }
}
