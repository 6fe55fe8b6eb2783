/// A TCB_VERSION (u64 little-endian): the security patch levels of the AMD-SP firmware parts
/// (`docs/snp-abi.md` §3.3).
///
/// The byte layout depends on the processor generation:
/// - Milan / Genoa (legacy): byte 0 BOOT_LOADER, 1 TEE, 2-5 reserved, 6 SNP, 7 MICROCODE.
/// - Turin: byte 0 FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 4-6 reserved, 7 MICROCODE.
///
/// With `generation == nil` the legacy layout is used for decoding (a caller that needs
/// certainty must check ``generation`` first).
public struct TCBVersion: Sendable, Hashable {
    /// The raw 64-bit value as stored in the report.
    public let rawValue: UInt64
    /// The generation whose layout decodes ``rawValue``; nil when undecidable.
    public let generation: ProcessorGeneration?

    public init(rawValue: UInt64, generation: ProcessorGeneration?) {
        self.rawValue = rawValue
        self.generation = generation
    }

    /// Encodes components into a TCB_VERSION with the layout of `generation`.
    /// `fmc` is only representable on Turin; it is ignored for other layouts.
    public init(bootLoader: UInt8, tee: UInt8, snp: UInt8, microcode: UInt8, fmc: UInt8? = nil, generation: ProcessorGeneration?) {
        let value = Self.rawValue(bootLoader: bootLoader, tee: tee, snp: snp, microcode: microcode, fmc: fmc,
                                  layout: generation?.tcbLayout ?? .legacy)
        self.init(rawValue: value, generation: generation)
    }

    /// The raw TCB_VERSION for components in `layout` (reserved bytes zero). `fmc` is only
    /// representable in the Turin layout; it is ignored for the legacy one.
    public static func rawValue(bootLoader: UInt8, tee: UInt8, snp: UInt8, microcode: UInt8, fmc: UInt8?, layout: TCBLayout) -> UInt64 {
        let value = UInt64(microcode) << 56
        switch layout {
        case .turin: return value | UInt64(fmc ?? 0) | UInt64(bootLoader) << 8 | UInt64(tee) << 16 | UInt64(snp) << 24
        case .legacy: return value | UInt64(bootLoader) | UInt64(tee) << 8 | UInt64(snp) << 48
        }
    }

    private var isTurin: Bool { generation?.usesTurinTCBLayout == true }

    private func byte(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt64(index))) }

    /// BOOT_LOADER security patch level (KDS `blSPL`).
    public var bootLoader: UInt8 { byte(isTurin ? 1 : 0) }
    /// TEE (PSP OS) security patch level (KDS `teeSPL`).
    public var tee: UInt8 { byte(isTurin ? 2 : 1) }
    /// SNP firmware security patch level (KDS `snpSPL`).
    public var snp: UInt8 { byte(isTurin ? 3 : 6) }
    /// Microcode security patch level (KDS `ucodeSPL`), byte 7 in both layouts.
    public var microcode: UInt8 { byte(7) }
    /// FMC (firmware mini-loader) security patch level (KDS `fmcSPL`); Turin only, else nil.
    public var fmc: UInt8? { isTurin ? byte(0) : nil }

    /// The reserved bytes of the layout (legacy: 2-5, Turin: 4-6), as a mask over ``rawValue``.
    public var reservedMask: UInt64 { (generation?.tcbLayout ?? .legacy).reservedMask }

    /// Bits of ``rawValue`` set inside the reserved bytes (zero on all known firmware).
    public var reservedBits: UInt64 { rawValue & reservedMask }
}

/// The byte layout of a TCB_VERSION (`docs/snp-abi.md` §3.3). Milan and Genoa share one, so a report
/// can have a known layout without a known generation (a version-2 report with a full CHIP_ID).
public enum TCBLayout: Sendable, Hashable {
    /// Milan / Genoa: byte 0 BOOT_LOADER, 1 TEE, 2-5 reserved, 6 SNP, 7 MICROCODE.
    case legacy
    /// Turin: byte 0 FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 4-6 reserved, 7 MICROCODE.
    case turin

    /// The reserved bytes of the layout (legacy: 2-5, Turin: 4-6), as a mask over a raw TCB_VERSION.
    public var reservedMask: UInt64 { self == .turin ? 0x00FF_FFFF_0000_0000 : 0x0000_FFFF_FFFF_0000 }
}

extension TCBVersion: CustomStringConvertible {
    /// `bl 2 tee 0 snp 5 ucode 68` (plus `fmc N` first on Turin).
    public var description: String {
        let prefix = fmc.map { "fmc \($0) " } ?? ""
        return prefix + "bl \(bootLoader) tee \(tee) snp \(snp) ucode \(microcode)"
    }
}
