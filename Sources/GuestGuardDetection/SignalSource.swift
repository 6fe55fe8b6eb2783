/// Every source `guestguard detect` consults, with a stable identifier used in the JSON schema.
public enum SignalSource: String, Sendable, Hashable, CaseIterable {
    /// CPUID Fn8000_001F (and the vendor / hypervisor leaves).
    case cpuid = "cpuid"
    /// SEV_STATUS MSR 0xC001_0131 through /dev/cpu/0/msr.
    case sevStatusMSR = "sev-status-msr"
    /// /sys/devices/platform/sev-guest (the platform device the SNP guest driver binds to).
    case sevGuestPlatformDevice = "sysfs-sev-guest"
    /// /dev/sev-guest (the SNP guest request device).
    case sevGuestDevice = "dev-sev-guest"
    /// /sys/kernel/config/tsm/report and its provider.
    case configfsTSM = "configfs-tsm"
    /// /proc/cpuinfo flags.
    case cpuinfoFlags = "cpuinfo-flags"
    /// The kernel's "Memory Encryption Features active" and "SEV: Status:" lines.
    case kernelLog = "kernel-log"
    /// /sys/kernel/security/secrets/coco (efi_secret: an injected SEV/SEV-ES launch secret).
    case cocoSecrets = "coco-secrets"
    /// /sys/devices/system/cpu/sev/vmpl (SNP guests, kernel ≥ 6.10).
    case sevVMPL = "sysfs-sev-vmpl"

    /// Human label.
    public var label: String {
        switch self {
        case .cpuid: return "CPUID 0x8000001F"
        case .sevStatusMSR: return "SEV_STATUS MSR 0xC0010131"
        case .sevGuestPlatformDevice: return "/sys/devices/platform/sev-guest"
        case .sevGuestDevice: return "/dev/sev-guest"
        case .configfsTSM: return "/sys/kernel/config/tsm/report"
        case .cpuinfoFlags: return "/proc/cpuinfo flags"
        case .kernelLog: return "kernel log"
        case .cocoSecrets: return "/sys/kernel/security/secrets/coco"
        case .sevVMPL: return "/sys/devices/system/cpu/sev/vmpl"
        }
    }
}
