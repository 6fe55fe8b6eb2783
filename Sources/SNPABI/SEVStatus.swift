/// The SEV_STATUS MSR (`MSR_AMD64_SEV`, 0xC001_0131), as the guest reads it.
///
/// Hardware-enforced for SEV-ES and SEV-SNP guests: the read is satisfied from the guest's
/// VMSA and is not intercepted by the hypervisor (AMD APM Vol 2 §15.34.10). Bits 3 and up mirror
/// the VMSA `SEV_FEATURES` field the hypervisor chose at launch. Bit names follow Linux
/// `arch/x86/include/asm/msr-index.h` and the names `sev_show_status()` prints
/// (`arch/x86/coco/sev/core.c`); see `docs/snp-abi.md` §1.2.
public struct SEVStatus: Sendable, Hashable {
    /// The MSR address.
    public static let msrAddress: UInt32 = 0xC001_0131

    /// The raw 64-bit value.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// One defined bit of SEV_STATUS.
    public struct Bit: Sendable, Hashable {
        /// Bit position (0…63).
        public let position: Int
        /// Linux macro, e.g. `MSR_AMD64_SEV_SNP_ENABLED`.
        public let macro: String
        /// The short name Linux prints in "SEV: Status: …" (empty for reserved bits).
        public let name: String
        /// What it means.
        public let meaning: String
    }

    /// Every bit listed in `snp-abi.md` §1.2, in order. Bits 13, 15 and 19–22 are reserved.
    public static let definedBits: [Bit] = [
        Bit(position: 0, macro: "MSR_AMD64_SEV_ENABLED", name: "SEV", meaning: "SEV active for this guest"),
        Bit(position: 1, macro: "MSR_AMD64_SEV_ES_ENABLED", name: "SEV-ES", meaning: "SEV-ES active (encrypted register state)"),
        Bit(position: 2, macro: "MSR_AMD64_SEV_SNP_ENABLED", name: "SEV-SNP", meaning: "SEV-SNP active (integrity-protected memory)"),
        Bit(position: 3, macro: "MSR_AMD64_SNP_VTOM", name: "vTom", meaning: "virtual Top-Of-Memory mode (paravisor guest)"),
        Bit(position: 4, macro: "MSR_AMD64_SNP_REFLECT_VC", name: "ReflectVC", meaning: "#VC reflected to a more-privileged VMPL"),
        Bit(position: 5, macro: "MSR_AMD64_SNP_RESTRICTED_INJ", name: "RI", meaning: "Restricted Injection"),
        Bit(position: 6, macro: "MSR_AMD64_SNP_ALT_INJ", name: "AI", meaning: "Alternate Injection"),
        Bit(position: 7, macro: "MSR_AMD64_SNP_DEBUG_SWAP", name: "DebugSwap", meaning: "debug registers swapped"),
        Bit(position: 8, macro: "MSR_AMD64_SNP_PREVENT_HOST_IBS", name: "NoHostIBS", meaning: "host IBS prevented"),
        Bit(position: 9, macro: "MSR_AMD64_SNP_BTB_ISOLATION", name: "BTBIsol", meaning: "branch-target-buffer isolation"),
        Bit(position: 10, macro: "MSR_AMD64_SNP_VMPL_SSS", name: "VmplSSS", meaning: "VMPL supervisor shadow stack"),
        Bit(position: 11, macro: "MSR_AMD64_SNP_SECURE_TSC", name: "SecureTSC", meaning: "Secure TSC"),
        Bit(position: 12, macro: "MSR_AMD64_SNP_VMGEXIT_PARAM", name: "VMGExitParam", meaning: "VMGEXIT parameter"),
        Bit(position: 13, macro: "MSR_AMD64_SNP_RESERVED_BIT13", name: "", meaning: "reserved"),
        Bit(position: 14, macro: "MSR_AMD64_SNP_IBS_VIRT", name: "IBSVirt", meaning: "IBS virtualization"),
        Bit(position: 15, macro: "MSR_AMD64_SNP_RESERVED_BIT15", name: "", meaning: "reserved"),
        Bit(position: 16, macro: "MSR_AMD64_SNP_VMSA_REG_PROT", name: "VMSARegProt", meaning: "VMSA register protection"),
        Bit(position: 17, macro: "MSR_AMD64_SNP_SMT_PROT", name: "SMTProt", meaning: "SMT protection"),
        Bit(position: 18, macro: "MSR_AMD64_SNP_SECURE_AVIC", name: "SecureAVIC", meaning: "Secure AVIC"),
        Bit(position: 23, macro: "MSR_AMD64_SNP_IBPB_ON_ENTRY", name: "IBPBOnEntry", meaning: "IBPB on entry"),
    ]

    /// Positions that are reserved (MBZ as of the reference): 13, 15, 19–22, 24–63.
    public static let reservedMask: UInt64 = {
        var mask: UInt64 = ~0 << 24
        for bit in [13, 15, 19, 20, 21, 22] { mask |= 1 << UInt64(bit) }
        return mask
    }()

    public func isSet(_ position: Int) -> Bool { rawValue & (1 << UInt64(position)) != 0 }

    /// Bit 0: SEV active.
    public var sevEnabled: Bool { isSet(0) }
    /// Bit 1: SEV-ES active.
    public var sevESEnabled: Bool { isSet(1) }
    /// Bit 2: SEV-SNP active.
    public var snpEnabled: Bool { isSet(2) }
    /// Bit 3: vTOM (paravisor) mode.
    public var vTOM: Bool { isSet(3) }
    /// Bit 4: ReflectVC (a more-privileged VMPL handles #VC: a paravisor or SVSM sits below the guest).
    public var reflectVC: Bool { isSet(4) }

    /// The named bits that are set, in bit order (reserved bits excluded).
    public var setBits: [Bit] { Self.definedBits.filter { isSet($0.position) && !$0.name.isEmpty } }

    /// Reserved bits that are set (a newer CPU or a value that is not SEV_STATUS at all).
    public var reservedBitsSet: UInt64 { rawValue & Self.reservedMask }

    /// The mode the MSR states: SNP implies ES implies SEV on real hardware.
    public var mode: MemoryEncryptionMode {
        if snpEnabled { return .sevSNP }
        if sevESEnabled { return .sevES }
        if sevEnabled { return .sev }
        return .none
    }

    /// True when the bits are self-consistent (SNP ⇒ ES ⇒ SEV; feature bits only with SNP).
    public var isConsistent: Bool {
        if snpEnabled && !(sevESEnabled && sevEnabled) { return false }
        if sevESEnabled && !sevEnabled { return false }
        if !snpEnabled && rawValue & ~UInt64(0b111) != 0 { return false }
        return true
    }
}
