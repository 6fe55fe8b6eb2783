/// The init system's unit control: what guestguard needs to deny a service and to undo that.
///
/// On Linux this is `SystemctlServiceManager` (runs `/usr/bin/systemctl`); tests use a fake
/// that keeps unit states in memory. Masking is persistent (`/etc/systemd/system/UNIT →
/// /dev/null`), survives package upgrades (`deb-systemd-helper unmask` only removes its own
/// masks) and beats `udev SYSTEMD_WANTS`, which `disable` does not (channels.md §1 item 2).
public protocol ServiceManager: Sendable {
    /// The unit file state (`systemctl is-enabled UNIT`). Read-only.
    func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState
    /// Whether the unit is running (`systemctl is-active UNIT` says `active`, `activating`,
    /// `reloading` or `deactivating`). False when no service manager runs (offline or a chroot).
    /// Read-only.
    func isActive(_ unit: String) throws(PlatformError) -> Bool
    /// `systemctl mask UNIT…`: persistent masks in `/etc/systemd/system`.
    func mask(_ units: [String]) throws(PlatformError)
    /// `systemctl unmask UNIT…`.
    func unmask(_ units: [String]) throws(PlatformError)
    /// `systemctl stop UNIT…` (a no-op when no service manager runs).
    func stop(_ units: [String]) throws(PlatformError)
    /// `systemctl start UNIT…` (a no-op when no service manager runs).
    func start(_ units: [String]) throws(PlatformError)
}
