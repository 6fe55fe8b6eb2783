import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// What the planner leaves alone, saying why: links it could not restore exactly, and admin unit
/// files `systemctl mask` would refuse to replace.
@Suite struct DenyPlannerRefusalTests {
    @Test func linksAndAdminUnitFilesAreNotedNotChanged() throws {
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        tree.write("/srv/shared-qga.conf", "[general]\n")
        tree.symlink("/etc/qemu/qemu-ga.conf", to: "/srv/shared-qga.conf")
        tree.write("/etc/systemd/system/qemu-guest-agent.service", "[Service]\nExecStart=/usr/sbin/qemu-ga -m vsock-listen\n")
        services.install("qemu-guest-agent.service", .enabled)
        let files = RecordingFileSystem(tree.fileSystem)
        let plan = try DenyPlanner(files: files, services: services).plan(policy: DenyEnforcementTests.only("qemu-guest-agent"))
        #expect(plan.isEmpty)
        #expect(plan.notes.contains("/etc/qemu/qemu-ga.conf is a symbolic link: qemu-guest-agent leaves it alone"))
        #expect(plan.notes.contains { $0.hasPrefix("/etc/systemd/system/qemu-guest-agent.service is a unit file of its own") })
        // The posture still says the channel is open.
        #expect(QemuGuestAgentItem().evaluate(DenyEnforcementTests.context(files, services)).state == .fail)
    }
}
