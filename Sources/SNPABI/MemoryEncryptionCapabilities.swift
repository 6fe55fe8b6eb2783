/// CPUID Fn8000_001F "Encrypted Memory Capabilities" (`docs/snp-abi.md` §1.1).
///
/// In a guest these are the values the hypervisor chose to expose: under SEV the instruction is
/// intercepted, under SEV-ES the kernel asks the hypervisor through the GHCB, under SNP the kernel
/// answers from the PSP-checked (but unmeasured) CPUID page. Never trust them alone.
public struct MemoryEncryptionCapabilities: Sendable, Hashable {
    /// The CPUID leaf.
    public static let leaf: UInt32 = 0x8000_001F

    public let eax: UInt32
    public let ebx: UInt32
    public let ecx: UInt32
    public let edx: UInt32

    public init(eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32) {
        self.eax = eax
        self.ebx = ebx
        self.ecx = ecx
        self.edx = edx
    }

    private func bit(_ n: UInt32) -> Bool { eax & (1 << n) != 0 }

    /// EAX bit 0: SME supported (`sme`).
    public var sme: Bool { bit(0) }
    /// EAX bit 1: SEV supported (`sev`).
    public var sev: Bool { bit(1) }
    /// EAX bit 2: VM Page Flush MSR.
    public var vmPageFlush: Bool { bit(2) }
    /// EAX bit 3: SEV-ES supported (`sev_es`).
    public var sevES: Bool { bit(3) }
    /// EAX bit 4: SEV-SNP supported (`sev_snp`).
    public var sevSNP: Bool { bit(4) }
    /// EAX bit 5: VMPL supported.
    public var vmpl: Bool { bit(5) }
    /// EAX bit 8: SNP Secure TSC.
    public var secureTSC: Bool { bit(8) }
    /// EAX bit 14: DebugSwap.
    public var debugSwap: Bool { bit(14) }
    /// EAX bit 28: SVSM present (`svsm`; Linux-synthetic).
    public var svsmPresent: Bool { bit(28) }
    /// EBX bits 5:0: C-bit position in page-table entries.
    public var cBitPosition: Int { Int(ebx & 0x3F) }
    /// EBX bits 11:6: physical-address bit reduction.
    public var physicalAddressReduction: Int { Int((ebx >> 6) & 0x3F) }
    /// EBX bits 15:12: number of VMPLs supported.
    public var vmplCount: Int { Int((ebx >> 12) & 0xF) }

    /// The highest mode these bits advertise (a capability, not proof that it is active).
    public var advertisedMode: MemoryEncryptionMode {
        if sevSNP { return .sevSNP }
        if sevES { return .sevES }
        if sev { return .sev }
        return .none
    }

    /// Names of the advertised EAX features, as /proc/cpuinfo spells them where it does.
    public var featureNames: [String] {
        var names: [String] = []
        let table: [(UInt32, String)] = [
            (0, "sme"), (1, "sev"), (2, "vm_page_flush"), (3, "sev_es"), (4, "sev_snp"), (5, "vmpl"),
            (8, "secure_tsc"), (9, "v_tsc_aux"), (10, "sme_coherent"), (11, "64bit_host_only"),
            (12, "restricted_injection"), (13, "alternate_injection"), (14, "debug_swap"),
            (15, "prevent_host_ibs"), (16, "vte"), (28, "svsm"), (29, "nested_virt_snp_msr"),
        ]
        for (position, name) in table where bit(position) { names.append(name) }
        return names
    }
}
