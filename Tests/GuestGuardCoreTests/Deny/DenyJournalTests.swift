import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The journal document: round trip, and damaged journals named with their path and entry.
@Suite struct DenyJournalTests {
    @Test func roundTripKeepsBytesModesAndStates() throws {
        let tree = TemporaryFileTree()
        let journal = DenyJournal(entries: [
            .init(time: Timestamp(seconds: 1_700_000_000), step: DenyStep(itemIDs: ["sysrq", "kdump"], change: .file(
                path: "/etc/sysctl.d/99-zz-guestguard.conf", before: [0, 0xFF, 0x0A], beforeMode: 0o600, after: nil, mode: 0o644, createdDirectories: ["/etc/sysctl.d"]))),
            .init(time: Timestamp(seconds: 1_700_000_001), step: DenyStep(itemIDs: ["debug-shell"], change: .unit(name: "debug-shell.service", before: .maskedRuntime, wasActive: true))),
            .init(time: Timestamp(seconds: 1_700_000_002), step: DenyStep(itemIDs: ["sysrq"], change: .sysctl(key: "kernel.sysrq", before: "438", after: "0"))),
            .init(time: Timestamp(seconds: 1_700_000_003), step: DenyStep(itemIDs: ["kernel-lockdown"], change: .attribute(path: "/sys/kernel/security/lockdown", before: "none", after: "confidentiality"))),
        ])
        try journal.save("/var/lib/guestguard/deny-journal.json", files: tree.fileSystem)
        #expect(try tree.fileSystem.status("/var/lib/guestguard/deny-journal.json")?.permissions == 0o600)
        #expect(try tree.fileSystem.status("/var/lib/guestguard")?.permissions == 0o700)
        #expect(try DenyJournal.load("/var/lib/guestguard/deny-journal.json", files: tree.fileSystem) == journal)
    }

    @Test(arguments: [
        ("{\"schema\":\"other/v1\",\"entries\":[]}", "journal /j.json: not a guestguard.deny-journal/v1 document"),
        ("{\"schema\":\"guestguard.deny-journal/v1\",\"entries\":[{\"time\":\"2026-01-01T00:00:00Z\",\"kind\":\"file\",\"path\":\"/x\",\"before\":\"***\",\"mode\":420}]}", "journal /j.json: entry 0: before is not base64"),
        ("{\"schema\":\"guestguard.deny-journal/v1\",\"entries\":[{\"time\":\"2026-01-01T00:00:00Z\",\"kind\":\"socket\"}]}", "journal /j.json: entry 0: unknown kind socket"),
        ("[", "journal /j.json: "),
    ])
    func damagedJournalsAreNamed(text: String, message: String) {
        let tree = TemporaryFileTree()
        tree.write("/j.json", text)
        #expect {
            _ = try DenyJournal.load("/j.json", files: tree.fileSystem)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
