import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The Linux implementations against the real `/usr/bin/systemctl` in offline mode (`--root`):
/// unit states, masks, and a whole deny/undo cycle on a tree.
@Suite struct SystemctlServiceManagerTests {
    static func unitTree() -> TemporaryFileTree {
        let tree = TemporaryFileTree()
        tree.write("/lib/systemd/system/qemu-guest-agent.service", "[Unit]\nDescription=QEMU Guest Agent\n[Service]\nExecStart=-/usr/sbin/qemu-ga\n[Install]\n")
        tree.write("/lib/systemd/system/debug-shell.service", "[Unit]\nDescription=Early root shell\n[Service]\nExecStart=/bin/bash\n[Install]\nWantedBy=sysinit.target\n")
        tree.symlink("/etc/systemd/system/sysinit.target.wants/debug-shell.service", to: "/lib/systemd/system/debug-shell.service")
        return tree
    }

    @Test func statesMaskAndUnmask() throws {
        let tree = Self.unitTree()
        let manager = SystemctlServiceManager(root: tree.root)
        #expect(!manager.isOnline)
        #expect(try manager.unitFileState("qemu-guest-agent.service") == .static)
        #expect(try manager.unitFileState("debug-shell.service") == .enabled)
        #expect(try manager.unitFileState("hv-kvp-daemon.service") == .notFound)
        #expect(try manager.isActive("debug-shell.service") == false)
        try manager.mask(["qemu-guest-agent.service", "hv-kvp-daemon.service"])
        #expect(try tree.fileSystem.readLink("/etc/systemd/system/qemu-guest-agent.service") == "/dev/null")
        #expect(try manager.unitFileState("qemu-guest-agent.service") == .masked)
        #expect(try manager.unitFileState("hv-kvp-daemon.service") == .masked)
        try manager.unmask(["qemu-guest-agent.service", "hv-kvp-daemon.service"])
        #expect(try manager.unitFileState("qemu-guest-agent.service") == .static)
        #expect(try manager.unitFileState("hv-kvp-daemon.service") == .notFound)
        // Names that are options or paths never reach systemctl.
        for bad in ["--root=/", "../../etc/passwd", "a b.service", "-x.service", "nodot"] {
            #expect(throws: PlatformError.self) { try manager.unitFileState(bad) }
        }
    }

    @Test func skippingAbsentUnitsAgreesWithSystemctl() throws {
        let tree = Self.unitTree()
        tree.write("/lib/systemd/system/serial-getty@.service", "[Unit]\nDescription=Serial Getty on %I\n[Service]\nExecStart=-/sbin/agetty - $TERM\n[Install]\nWantedBy=getty.target\n")
        tree.write("/lib/systemd/system/open-vm-tools.service", "[Unit]\nDescription=vmtoolsd\n[Service]\nExecStart=/usr/bin/vmtoolsd\n[Install]\nAlias=vmtoolsd.service\nWantedBy=multi-user.target\n")
        tree.symlink("/etc/systemd/system/vmtoolsd.service", to: "/lib/systemd/system/open-vm-tools.service")
        let manager = SystemctlServiceManager(root: tree.root)
        for unit in ["serial-getty@ttyS0.service", "serial-getty@.service", "vmtoolsd.service", "open-vm-tools.service", "hv-kvp-daemon.service", "getty@tty1.service"] {
            let asked = try ProgramRunner().run("/usr/bin/systemctl", ["--root=\(tree.root)", "is-enabled", "--", unit])
            let word = asked.standardOutput.split(separator: "\n").first.map(String.init)
            #expect(try manager.unitFileState(unit) == word.map(UnitFileState.init(systemctlWord:)) ?? .notFound, "\(unit): systemctl says \(word ?? asked.standardError)")
        }
    }

    @Test func denyAndUndoOnATreeWithTheRealSystemctl() throws {
        let tree = Self.unitTree()
        tree.write("/proc/sys/kernel/sysrq", "438\n")
        tree.write("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n")
        let files = OfflineTreeFileSystem(root: tree.root)
        let services = SystemctlServiceManager(root: tree.root)
        let before = TreeSnapshot(files, skipping: ["/var"])
        let planner = DenyPlanner(files: files, services: services)
        let executor = DenyExecutor(files: files, services: services)
        let plan = try planner.plan(policy: .standard)
        #expect(plan.text.contains("unit debug-shell.service: enabled → mask"))
        #expect(plan.text.contains("sysctl kernel.sysrq: 438 → 0"))
        try executor.apply(plan, at: Timestamp(seconds: 1_700_000_000))
        #expect(try planner.plan(policy: .standard).isEmpty)
        #expect(try services.unitFileState("debug-shell.service") == .masked)
        #expect(try files.readText("/sys/kernel/security/lockdown") == "none integrity [confidentiality]\n")
        let undone = try executor.undo()
        #expect(undone.irreversible.map(\.change.subject) == ["/sys/kernel/security/lockdown"])
        let after = TreeSnapshot(files, skipping: ["/var", "/sys/kernel/security/lockdown"])
        #expect(after == TreeSnapshot(from: before, removing: ["/sys/kernel/security/lockdown"]), "\(after.differences(TreeSnapshot(from: before, removing: ["/sys/kernel/security/lockdown"])))")
        #expect(try services.unitFileState("debug-shell.service") == .enabled)
    }

    @Test func programRunnerPassesArgumentsVerbatimAndReportsStatus() throws {
        let runner = ProgramRunner()
        let echoed = try runner.run("/bin/sh", ["-c", "printf '%s|' \"$@\"; echo err >&2; exit 3", "sh", "a b", "$HOME", ";"])
        #expect(echoed.standardOutput == "a b|$HOME|;|")
        #expect(echoed.standardError == "err\n")
        #expect(echoed.status == 3)
        let environment = try runner.run("/usr/bin/env", [])
        #expect(environment.standardOutput.split(separator: "\n").map(String.init) == ProgramRunner.environment)
        #expect(throws: PlatformError.self) { try runner.run("/nonexistent/program", []) }
    }
}
