/// One declarative enforcement step of a posture item. The planner turns the rules of every
/// enforced item into concrete changes (`DenyChange`) against the current state, so a rule that
/// already holds yields no change.
public enum DenyRule: Sendable, Hashable {
    /// Persistent `systemctl mask` of each unit (installed or not: a pre-placed mask also blocks a
    /// later install), stopping it when it runs.
    case maskUnits([String])
    /// `KEY = VALUE` in `/etc/sysctl.d/99-zz-guestguard.conf` plus a runtime write to
    /// `/proc/sys/KEY` (dots become slashes), skipped when the kernel lacks the key.
    case sysctl(key: String, value: String)
    /// `install MODULE /bin/false` in `/etc/modprobe.d/guestguard.conf` (an explicit `modprobe`,
    /// an alias such as `net-pf-40` and udev autoloading all fail).
    case blockModules([String])
    /// A file whose whole content guestguard owns (mode 0644), e.g. a systemd drop-in.
    case ownedFile(path: String, contents: String)
    /// A file that must exist; created empty with `mode` when absent, never overwritten
    /// (`/root/.ssh/authorized_keys` stops systemd's `f^` provisioning line).
    case ensureFile(path: String, mode: UInt32)
    /// A one-way kernel attribute (`sig_enforce`, the lockdown level): written once, cannot be
    /// reverted by `--undo`. For bracketed multiple-choice files the selected word is compared.
    case kernelAttribute(path: String, value: String)

    /// Where each rule kind writes.
    public static let sysctlDropIn = "/etc/sysctl.d/99-zz-guestguard.conf"
    public static let modprobeFile = "/etc/modprobe.d/guestguard.conf"

    /// `/proc/sys/kernel/sysrq` for `kernel.sysrq`.
    public static func procPath(sysctl key: String) -> String {
        "/proc/sys/" + key.split(separator: ".").joined(separator: "/")
    }

    /// The value an attribute file currently selects: the bracketed word of
    /// `none [integrity] confidentiality`, otherwise the trimmed text.
    public static func selectedValue(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        if let chosen = words.first(where: { $0.hasPrefix("[") && $0.hasSuffix("]") }) { return String(chosen.dropFirst().dropLast()) }
        return words.joined(separator: " ")
    }

    /// Sysctl values compared word by word (`kernel.printk` reads back `3\t4\t1\t3`).
    public static func sameSysctlValue(_ lhs: String, _ rhs: String) -> Bool {
        lhs.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) == rhs.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    }
}
