/// The `exitinfo2` field of `struct snp_guest_request_ioctl` (`<linux/sev-guest.h>`): bits 31:0
/// hold the SEV firmware status, bits 63:32 the VMM (hypervisor) error.
///
/// The driver presets it to 0xff and copies it back to user space only when non-zero, so 0xff
/// after a failure means the request never reached the hypervisor (`snp_guest_ioctl`).
public struct GuestRequestExitInfo: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// `SNP_GUEST_VMM_ERR_INVALID_LEN`: the certificate buffer was too small.
    public static let vmmInvalidLength: UInt32 = 1
    /// `SNP_GUEST_VMM_ERR_BUSY`: the host throttled the request.
    public static let vmmBusy: UInt32 = 2
    /// `SNP_GUEST_VMM_ERR_GENERIC` values proposed for KVM (`BIT(31)` and `~0U`).
    public static let vmmGenericValues: Set<UInt32> = [0x8000_0000, 0xFFFF_FFFF]
    /// The driver's preset, left in place when the request was rejected before reaching the host.
    public static let notSent = GuestRequestExitInfo(rawValue: 0xff)
    /// No error.
    public static let none = GuestRequestExitInfo(rawValue: 0)

    /// `SNP_GUEST_VMM_ERR(code)`: a VMM error in the high 32 bits.
    public static func vmm(_ code: UInt32) -> GuestRequestExitInfo { GuestRequestExitInfo(rawValue: UInt64(code) << 32) }
    /// A firmware status in the low 32 bits.
    public static func firmware(_ status: SEVFirmwareStatus) -> GuestRequestExitInfo { GuestRequestExitInfo(rawValue: UInt64(status.rawValue)) }

    /// Bits 31:0 (`fw_error`, `SNP_GUEST_FW_ERR_MASK`).
    public var firmwareStatus: SEVFirmwareStatus { SEVFirmwareStatus(rawValue: UInt32(truncatingIfNeeded: rawValue)) }
    /// Bits 63:32 (`vmm_error`, `SNP_GUEST_VMM_ERR_SHIFT`).
    public var vmmError: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }

    /// `INVALID_LEN`, `BUSY`, `GENERIC`, or `VMM error 0x…`; nil when zero.
    public var vmmErrorName: String? {
        switch vmmError {
        case 0: return nil
        case Self.vmmInvalidLength: return "INVALID_LEN"
        case Self.vmmBusy: return "BUSY"
        case let code where Self.vmmGenericValues.contains(code): return "GENERIC"
        case let code: return "VMM error 0x" + String(code, radix: 16)
        }
    }

    /// For example `exitinfo2 0x100000000 (VMM INVALID_LEN)` or `exitinfo2 0x16 (firmware INVALID_PARAM (0x16))`.
    public var description: String {
        let hex = "exitinfo2 0x" + String(rawValue, radix: 16)
        if self == .notSent { return hex + " (request did not reach the hypervisor)" }
        var parts: [String] = []
        if let vmm = vmmErrorName { parts.append("VMM \(vmm)") }
        if firmwareStatus != .success { parts.append("firmware \(firmwareStatus)") }
        return parts.isEmpty ? hex : hex + " (" + parts.joined(separator: ", ") + ")"
    }
}
