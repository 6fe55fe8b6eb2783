/// What `systemctl is-enabled UNIT` says about a unit file (systemctl(1), "is-enabled" table).
///
/// Only the distinction guestguard acts on is kept: a unit masked in `/etc` (persistent), a
/// runtime mask in `/run` (gone after reboot), a unit that is installed in some other state, and
/// one that does not exist at all.
public enum UnitFileState: String, Sendable, Hashable, CaseIterable {
    /// `masked`: linked to `/dev/null` (or an empty file) in `/etc/systemd/system`.
    case masked
    /// `masked-runtime`: masked in `/run/systemd/system`; does not survive a reboot.
    case maskedRuntime = "masked-runtime"
    /// `enabled`, `enabled-runtime`, `linked`, `alias`, `indirect`, `generated`, `transient`:
    /// something can start the unit without a further admin action.
    case enabled
    /// `static`: no `[Install]` section; started by dependencies or udev `SYSTEMD_WANTS`.
    case `static`
    /// `disabled`: installed, not enabled (udev or a socket may still start it).
    case disabled
    /// `bad` or any word this version does not know.
    case other
    /// No unit file by that name ("No such file or directory").
    case notFound = "not-found"

    /// Maps the first word `systemctl is-enabled` prints.
    public init(systemctlWord word: String) {
        switch word {
        case "masked": self = .masked
        case "masked-runtime": self = .maskedRuntime
        case "enabled", "enabled-runtime", "linked", "linked-runtime", "alias", "indirect", "generated", "transient": self = .enabled
        case "static": self = .static
        case "disabled": self = .disabled
        case "not-found": self = .notFound
        default: self = .other
        }
    }

    /// True when the unit is installed (any state but `notFound`).
    public var isInstalled: Bool { self != .notFound }
}
