import GuestGuardCore
import CanonicalJSON

/// The kernel command line (channels.md §1 item 4, §7): host-supplied unless measured, and it
/// beats every on-disk setting. Red-flag tokens fail the item; a line that lacks the recommended
/// hardening tokens warns. guestguard cannot change it from inside (`require`).
public struct KernelCommandLineItem: PostureItem {
    public let id = "kernel-cmdline"
    public let title = "kernel command line"
    public let channel: String? = "P31"
    public let defaultMode = DenyMode.require
    public init() {}

    /// Tokens that fail when present exactly.
    static let redFlags: Set<String> = [
        "rd.break", "rdbreak", "rd.shell", "rd.shell=1", "rdshell", "break", "single", "s", "S", "1", "-s", "-b", "emergency", "rescue",
        "systemd.unit=rescue.target", "systemd.unit=emergency.target", "systemd.crash_shell", "systemd.confirm_spawn",
        "systemd.debug_shell", "rd.systemd.debug_shell", "cloud-init=enabled", "sysrq_always_enabled", "mitigations=off", "nokaslr",
        "selinux=0", "apparmor=0", "lockdown=none", "iommu=off", "ignore_loglevel",
    ]
    /// Prefixes (including `=`) that fail whatever the value.
    static let redFlagPrefixes = [
        "init=", "rdinit=", "rd.break=", "break=", "rd.systemd.unit=", "systemd.debug_shell=", "rd.systemd.debug_shell=",
        "systemd.setenv=SYSTEMD_SULOGIN_FORCE", "systemd.run=", "systemd.wants=", "rd.systemd.wants=", "systemd.mask=",
        "systemd.set_credential=", "ds=", "crashkernel=", "efivar_ssdt=", "acpi_rsdp=", "modprobe.blacklist=", "module_blacklist=",
    ]
    /// The measured line channels.md §10 recommends.
    static let recommended = [
        "lockdown=confidentiality", "module.sig_enforce=1", "systemd.getty_auto=0", "systemd.import_credentials=false", "rd.shell=0",
        "rd.emergency=reboot", "panic=-1", "nohibernate", "debugfs=off", "efi_pstore.pstore_disable=1",
    ]

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let text: String
        do { text = try context.files.readText("/proc/cmdline", limit: 64 * 1024) } catch {
            return finding(.unknown, "cannot read /proc/cmdline: \(error)")
        }
        let tokens = KernelCommandLine(text).tokens
        let flagged = tokens.filter { token in Self.redFlags.contains(token) || Self.redFlagPrefixes.contains { token.hasPrefix($0) } }
        let missing = Self.recommended.filter { !tokens.contains($0) }
        let details: [String: JSONValue] = ["redFlags": .array(flagged.map { .string($0) }), "missing": .array(missing.map { .string($0) })]
        if !flagged.isEmpty { return finding(.fail, "red-flag tokens: \(flagged.joined(separator: " "))", details) }
        if !missing.isEmpty { return finding(.warn, "lacks \(missing.joined(separator: " "))", details) }
        return finding(.ok, "measured-line hardening tokens present", details)
    }
}
