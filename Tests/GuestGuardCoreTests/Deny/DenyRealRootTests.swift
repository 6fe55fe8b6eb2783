import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The acceptance check on this machine: planning against the real root (as
/// `guestguard deny --dry-run` does) and running the built binary with `--dry-run` leave /etc
/// exactly as it was.
@Suite(.serialized) struct DenyRealRootTests {
    @Test func plannerOnTheRealRootWritesNothing() throws {
        let files = RecordingFileSystem(HostFileSystem(), forbidWrites: true)
        let before = TreeSnapshot(files, under: "/etc")
        let plan = try DenyPlanner(files: files, services: SystemctlServiceManager()).plan(policy: .standard)
        #expect(!plan.text.isEmpty)
        #expect(files.mutations.isEmpty)
        #expect(TreeSnapshot(files, under: "/etc") == before)
    }

    /// The built `guestguard`, next to the test bundle.
    static var binary: String {
        String(CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")) + "/guestguard"
    }

    @Test func binaryDryRunLeavesEtcUnchanged() throws {
        let binary = Self.binary
        let host = HostFileSystem()
        try #require(host.exists(binary), "build the guestguard product first (swift build --build-tests builds it)")
        let before = TreeSnapshot(host, under: "/etc")
        let journalBefore = host.exists(DenyJournal.defaultPath)
        let outcome = try ProgramRunner().run(binary, ["deny", "--dry-run"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("change") || outcome.standardOutput.contains("no changes"))
        let after = TreeSnapshot(host, under: "/etc")
        #expect(after == before, "changed: \(after.differences(before))")
        #expect(host.exists(DenyJournal.defaultPath) == journalBefore)
    }

    @Test func binaryAppliesIdempotentlyAndUndoesOnATree() throws {
        try #require(HostFileSystem().exists(Self.binary))
        let tree = SystemctlServiceManagerTests.unitTree()
        tree.write("/proc/sys/kernel/sysrq", "438\n")
        tree.write("/etc/qemu/qemu-ga.conf", "[general]\nverbose=true\n")
        let before = TreeSnapshot(tree.fileSystem, skipping: ["/var"])
        let runner = ProgramRunner()
        let dry = try runner.run(Self.binary, ["deny", "--root", tree.root, "--dry-run"])
        #expect(dry.status == 0, "\(dry.standardError)")
        #expect(dry.standardOutput.contains("--- /etc/qemu/qemu-ga.conf\n+++ /etc/qemu/qemu-ga.conf (mode 644)  [qemu-guest-agent]\n+# Written by guestguard deny (P01)"))
        #expect(dry.standardOutput.contains("\n [general]\n+block-rpcs=guest-file-open,"))
        #expect(dry.standardOutput.contains("\n-verbose=true\n"))
        #expect(dry.standardOutput.contains("unit debug-shell.service: enabled → mask  [debug-shell]"))
        #expect(TreeSnapshot(tree.fileSystem) == before && !tree.fileSystem.exists("/var"), "--dry-run wrote something")
        let applied = try runner.run(Self.binary, ["deny", "--root", tree.root])
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(applied.standardOutput.contains("applied "))
        let again = try runner.run(Self.binary, ["deny", "--root", tree.root])
        #expect(again.standardOutput.contains("no changes: the system matches the policy"), "\(again.standardOutput)")
        let undone = try runner.run(Self.binary, ["deny", "--root", tree.root, "--undo"])
        #expect(undone.status == 0, "\(undone.standardError)")
        #expect(TreeSnapshot(tree.fileSystem, skipping: ["/var"]) == before)
    }
}
