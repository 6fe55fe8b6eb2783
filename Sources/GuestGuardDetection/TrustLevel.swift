/// How far a signal about the encryption mode can be trusted inside the guest.
public enum TrustLevel: String, Sendable, Hashable, CaseIterable {
    /// Enforced by the CPU: the hypervisor cannot change what the guest reads
    /// (SEV_STATUS in an SEV-ES or SEV-SNP guest).
    case hardwareEnforced = "hardware-enforced"
    /// Derived by the guest kernel at boot from hardware-enforced state (drivers that probe only in an
    /// SNP guest, the kernel's own boot message). As good as the kernel image, which the tenant measures.
    case kernelReported = "kernel-reported"
    /// Chosen by the hypervisor (CPUID answers, /proc/cpuinfo flags, SEV_STATUS of a guest without
    /// SEV-ES whose register state the hypervisor controls).
    case hypervisorReported = "hypervisor-reported"

    /// Higher wins when sources disagree.
    var rank: Int {
        switch self {
        case .hardwareEnforced: return 3
        case .kernelReported: return 2
        case .hypervisorReported: return 1
        }
    }
}
