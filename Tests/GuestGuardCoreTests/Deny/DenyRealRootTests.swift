import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
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

    @Test func binaryDryRunLeavesEtcUnchanged() throws {
        let binary = String(CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")) + "/guestguard"
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
}
