/// The kernel command line (`/proc/cmdline`) as whitespace-separated tokens. Host-controlled:
/// read only to check what the boot will do with it, never to decide whom to trust.
public struct KernelCommandLine: Sendable, Hashable {
    public let tokens: [String]

    public init(_ text: String) {
        tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
    }

    /// The value of the last `key=value` token (the kernel, initramfs-tools' /init and systemd's
    /// generators all let the last one win); nil when there is none. Quotes are kept: a quoted
    /// `root="…"` never names `/dev/mapper/<name>`, so it is refused rather than interpreted.
    public func lastValue(of key: String) -> String? {
        let prefix = key + "="
        return tokens.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}

extension KernelCommandLine {
    /// Parameters a systemd initrd (dracut) honours that would mount, run or mask something the
    /// unlock does not check: `mount.usr=` and `systemd.mount-extra=` (fstab-generator: /usr or any
    /// mount from a host disk), `systemd.mask=`/`systemd.wants=` (debug-generator: mask
    /// guestguard-unlock.service, pull in anything), `systemd.run=` (run-generator: run a command),
    /// `rd.systemd.unit=` (another target), `systemd.setenv=` (every unit's environment),
    /// `rd.cmdline=` (dracut asks the console for more parameters). Each, with or without `rd.`, is
    /// a reason for `boot-unlock --expect-root-from-cmdline` to power off. The dracut module also
    /// masks the generators; this check does not depend on that.
    public static let refusedInSystemdInitrd = [
        "mount.usr=", "mount.usrfstype=", "mount.usrflags=", "systemd.mount-extra=", "systemd.swap-extra=",
        "systemd.mask=", "systemd.wants=", "systemd.run=", "systemd.run_success_action=", "systemd.run_failure_action=",
        "systemd.setenv=", "rd.systemd.unit=", "rd.cmdline=",
    ]

    /// The tokens of this command line a systemd initrd must not honour (see ``refusedInSystemdInitrd``).
    public var refusedTokensForSystemdInitrd: [String] {
        tokens.filter { token in
            let bare = token.hasPrefix("rd.") && !token.hasPrefix("rd.systemd.unit=") && !token.hasPrefix("rd.cmdline=") ? String(token.dropFirst(3)) : token
            return Self.refusedInSystemdInitrd.contains { bare.hasPrefix($0) }
        }
    }
}
