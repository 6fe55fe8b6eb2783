import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// What the channel items see beyond their own rules (mounts, processes, credentials, the command
/// line, the shadow file), on a fake root where every rule already holds.
@Suite struct ChannelItemDetectionTests {
    struct Case: Sendable, CustomStringConvertible {
        let item: String
        let files: [String: String]
        let state: PostureState
        let reasonContains: String
        var description: String { "\(item) \(state) \(reasonContains)" }
    }

    static let mountinfo = DenyEnforcementTests.mountinfo

    static let cases: [Case] = [
        Case(item: "host-shared-filesystems", files: ["/proc/self/mountinfo": mountinfo + "40 27 0:50 / /mnt/share rw - 9p hostshare rw\n"], state: .fail, reasonContains: "9p hostshare mounted at /mnt/share"),
        Case(item: "host-shared-filesystems", files: ["/proc/self/mountinfo": mountinfo + "40 27 0:50 / /mnt rw - virtiofs tag0 rw\n"], state: .fail, reasonContains: "virtiofs tag0"),
        Case(item: "debugfs", files: ["/proc/self/mountinfo": mountinfo + "41 27 0:7 / /sys/kernel/debug rw - debugfs debugfs rw\n"], state: .fail, reasonContains: "debugfs mounted at /sys/kernel/debug"),
        Case(item: "debugfs", files: [:], state: .ok, reasonContains: "denied"),
        Case(item: "credential-injection", files: ["/run/credentials/@system/ssh.authorized_keys.root": "ssh-ed25519 AAAA host\n"], state: .fail, reasonContains: "ssh.authorized_keys.root"),
        Case(item: "credential-injection", files: ["/sys/firmware/dmi/entries/11-0/raw": "\u{0B}\u{05}io.systemd.credential:passwd.plaintext-password.root=x\u{0}"], state: .fail, reasonContains: "SMBIOS 11-0"),
        Case(item: "kernel-cmdline", files: ["/proc/cmdline": "BOOT_IMAGE=/vmlinuz root=/dev/mapper/root ro rd.break quiet\n"], state: .fail, reasonContains: "rd.break"),
        Case(item: "kernel-cmdline", files: ["/proc/cmdline": "root=/dev/vda1 systemd.setenv=SYSTEMD_SULOGIN_FORCE=1 systemd.unit=emergency.target\n"], state: .fail, reasonContains: "systemd.setenv=SYSTEMD_SULOGIN_FORCE=1 systemd.unit=emergency.target"),
        Case(item: "kernel-cmdline", files: ["/proc/cmdline": "root=/dev/mapper/root ro quiet\n"], state: .warn, reasonContains: "lacks lockdown=confidentiality"),
        Case(item: "kernel-cmdline", files: ["/proc/cmdline": "root=/dev/mapper/root lockdown=confidentiality module.sig_enforce=1 systemd.getty_auto=0 systemd.import_credentials=false rd.shell=0 rd.emergency=reboot panic=-1 nohibernate debugfs=off efi_pstore.pstore_disable=1\n"], state: .ok, reasonContains: "present"),
        Case(item: "kdump", files: ["/sys/kernel/kexec_crash_loaded": "1\n"], state: .fail, reasonContains: "crash kernel is loaded"),
        Case(item: "rescue-shell", files: ["/etc/shadow": "root:$y$j9T$abc$def:19000:0:99999:7:::\n"], state: .warn, reasonContains: "root has a password"),
        Case(item: "rescue-shell", files: ["/etc/shadow": "root::19000:0:99999:7:::\n"], state: .fail, reasonContains: "empty password"),
        Case(item: "rescue-shell", files: ["/etc/shadow": "root:!$y$j9T$abc$def:19000:0:99999:7:::\n"], state: .ok, reasonContains: "denied"),
        Case(item: "keyboard-input", files: ["/sys/bus/serio/drivers/atkbd/serio0/uevent": "", "/sys/bus/serio/drivers/atkbd/bind": ""], state: .warn, reasonContains: "atkbd/serio0"),
        Case(item: "keyboard-input", files: ["/sys/bus/serio/drivers/atkbd/bind": ""], state: .ok, reasonContains: "no keyboard"),
        Case(item: "qemu-guest-agent", files: ["/proc/812/comm": "qemu-ga\n"], state: .fail, reasonContains: "process qemu-ga runs"),
        Case(item: "cloud-agents", files: ["/proc/90/comm": "google_guest_ag\n"], state: .fail, reasonContains: "google_guest_agent"),
        Case(item: "ssh-authorized-keys-command", files: ["/etc/ssh/sshd_config": "AuthorizedKeysCommand /usr/bin/google_authorized_keys\n"], state: .ok, reasonContains: "pinned"),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: Case) throws {
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        tree.write("/proc/self/mountinfo", Self.mountinfo)
        let files = RecordingFileSystem(tree.fileSystem)
        var modes = DenyPolicy.standard.modes
        modes["ssh-authorized-keys-command"] = .enforce
        try DenyExecutor(files: files, services: services, journalPath: "/var/lib/guestguard/j.json")
            .apply(try DenyPlanner(files: files, services: services).plan(policy: DenyPolicy(modes: modes)), at: Timestamp(seconds: 1))
        for (path, contents) in testCase.files { tree.write(path, contents) }
        let item = try #require(PostureCatalog.all.first { $0.id == testCase.item })
        let finding = item.evaluate(DenyEnforcementTests.context(files, services))
        #expect(finding.state == testCase.state, "\(finding.reason)")
        #expect(finding.reason.contains(testCase.reasonContains), "\(finding.reason)")
    }

    @Test func reportModeCapsAFailureAtWarnAndOffOmitsTheItem() throws {
        let tree = TemporaryFileTree()
        tree.write("/proc/cmdline", "root=/dev/vda1 init=/bin/sh\n")
        let services = InMemoryServiceManager()
        let context = DenyEnforcementTests.context(tree.fileSystem, services)
        let items: [any PostureItem] = [KernelCommandLineItem(), DebugShellItem()]
        let report = StatusReport.evaluate(items, policy: DenyPolicy(modes: ["kernel-cmdline": .report, "debug-shell": .off]), context: context, at: Timestamp(seconds: 0))
        #expect(report.findings.map(\.id) == ["kernel-cmdline"])
        #expect(report.findings[0].state == .warn)
        #expect(report.json["items"]?.arrayValue?.first?["mode"] == "report")
        #expect(report.json["items"]?.arrayValue?.first?["channel"] == "P31")
        let plain = StatusReport.evaluate(items, context: context, at: Timestamp(seconds: 0))
        #expect(plain.findings[0].state == .fail)
        #expect(plain.json["items"]?.arrayValue?.first?["mode"] == nil)
    }
}
