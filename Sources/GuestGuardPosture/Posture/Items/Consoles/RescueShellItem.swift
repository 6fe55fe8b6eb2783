/// Rescue and emergency shells (channels.md C4): `systemd-sulogin-shell` gives a shell without a
/// password when `SYSTEMD_SULOGIN_FORCE` is set (a host-supplied `systemd.setenv=` does that).
/// Drop-ins pin it to 0 in the units' own environment, which overrides the manager's. A root
/// password still lets whoever types at the emulated console in: reported, not changed
/// (`passwd -l root` is the admin's call).
public struct RescueShellItem: PostureItem {
    public let id = "rescue-shell"
    public let title = "rescue and emergency shells"
    public let channel: String? = "P12"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let dropIn = "# Written by guestguard deny (P12).\n[Service]\nEnvironment=SYSTEMD_SULOGIN_FORCE=0\n"

    public var rules: [DenyRule] {
        [.ownedFile(path: "/etc/systemd/system/emergency.service.d/guestguard.conf", contents: Self.dropIn),
         .ownedFile(path: "/etc/systemd/system/rescue.service.d/guestguard.conf", contents: Self.dropIn)]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            guard let shadow = try? context.files.readText("/etc/shadow", limit: 4 << 20) else { return }
            let root = shadow.split(separator: "\n").first { $0.hasPrefix("root:") }?.split(separator: ":", omittingEmptySubsequences: false)
            guard let root, root.count > 1 else { return }
            let field = root[1]
            if field.isEmpty { check.failures.append("root has an empty password") }
            else if !field.hasPrefix("!") && !field.hasPrefix("*") { check.warnings.append("root has a password: sulogin accepts it at the console") }
        }
    }
}
