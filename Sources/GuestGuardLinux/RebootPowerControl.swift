import CGuestGuardLinux
import GuestGuardPlatform

/// `sync()` then `reboot(RB_POWER_OFF)`: the machine stops here. Needs CAP_SYS_BOOT (root in the
/// initramfs). The corresponding C functions are `sync` and `reboot`.
public struct RebootPowerControl: PowerControl {
    public init() {}

    public func powerOff() -> PlatformError? {
        let result = guestguard_power_off()
        return PlatformError(operation: "reboot(RB_POWER_OFF)", errno: result < 0 ? -result : 0,
                             detail: result < 0 ? nil : "returned without powering off")
    }
}
