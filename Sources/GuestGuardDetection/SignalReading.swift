import CanonicalJSON
import SNPABI

/// What one source said.
public struct SignalReading: Sendable, Hashable {
    /// Whether the source could be read, and what that means.
    public enum Status: String, Sendable, Hashable {
        /// Read, and it says something.
        case observed
        /// Looked for and not there (which by itself proves nothing: a module may not be loaded).
        case absent
        /// Could not be read (permission, missing driver); the summary says how to get it.
        case unavailable
        /// Read, but the contents are not what the kernel writes there: unknown, never a guess.
        case malformed
    }

    public let source: SignalSource
    public let trust: TrustLevel
    public let status: Status
    /// The mode this source states is active; nil when it says nothing about the mode.
    public let impliedMode: MemoryEncryptionMode?
    /// One line for humans.
    public let summary: String
    /// Raw facts for the JSON output (register values, flag names, file contents).
    public let values: [String: JSONValue]
    /// vTOM (paravisor) mode, when this source can tell.
    public let vTOM: Bool?
    /// An SVSM or paravisor below the guest, when this source can tell.
    public let svsm: Bool?
    /// A non-AMD confidential guest this source recognised (for example "intel-tdx").
    public let otherTEE: String?

    public init(
        source: SignalSource, trust: TrustLevel, status: Status, impliedMode: MemoryEncryptionMode? = nil,
        summary: String, values: [String: JSONValue] = [:], vTOM: Bool? = nil, svsm: Bool? = nil, otherTEE: String? = nil
    ) {
        self.source = source
        self.trust = trust
        self.status = status
        self.impliedMode = impliedMode
        self.summary = summary
        self.values = values
        self.vTOM = vTOM
        self.svsm = svsm
        self.otherTEE = otherTEE
    }
}

extension SignalReading {
    /// One entry of `sources` in `guestguard.detect/v1`.
    public var json: JSONValue {
        .object([
            "id": .string(source.rawValue),
            "label": .string(source.label),
            "trust": .string(trust.rawValue),
            "status": .string(status.rawValue),
            "mode": .optional(impliedMode?.rawValue),
            "summary": .string(summary),
            "values": .object(values),
        ])
    }
}

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
