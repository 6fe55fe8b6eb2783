/// The guest mode being measured (`--mode`).
public enum GuestMode: String, Sendable, Hashable, CaseIterable {
    /// SEV: SHA-256 over the firmware (and the kernel hash table).
    case sev
    /// SEV-ES: as SEV, then every vCPU's VMSA.
    case seves
    /// SEV-SNP: SNP_LAUNCH_UPDATE digest over firmware pages, metadata sections and VMSAs.
    case snp
    /// SEV-SNP's firmware-only digest, to be passed later as a precomputed seed.
    case snpOVMFHash = "snp:ovmf-hash"
    /// SEV-SNP with Coconut-SVSM below OVMF_VARS.
    case snpSVSM = "snp:svsm"
}
