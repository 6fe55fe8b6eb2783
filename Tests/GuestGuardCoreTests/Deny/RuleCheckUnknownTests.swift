import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// What a rule check cannot read is `unknown`: an unreadable `/proc/modules` is not "no module
/// loaded", a unit whose run state cannot be asked or a `/proc` that cannot be listed is not "not running".
@Suite struct RuleCheckUnknownTests {
    /// A service manager that knows unit files (from `states`) but cannot say whether a unit runs
    /// (systemd's bus gone, `systemctl` killed).
    struct RunStateUnavailable: ServiceManager {
        let states: InMemoryServiceManager
        func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState { try states.unitFileState(unit) }
        func isActive(_ unit: String) throws(PlatformError) -> Bool {
            throw PlatformError(operation: "systemctl is-active", target: unit, errno: ErrnoName.EIO)
        }
        func mask(_ units: [String]) throws(PlatformError) { try states.mask(units) }
        func unmask(_ units: [String]) throws(PlatformError) { try states.unmask(units) }
        func stop(_ units: [String]) throws(PlatformError) { try states.stop(units) }
        func start(_ units: [String]) throws(PlatformError) { try states.start(units) }
    }

    /// The tree after `guestguard deny` enforced `item`: every rule holds.
    static func denied(_ item: String, services: InMemoryServiceManager) throws -> TemporaryFileTree {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", DenyEnforcementTests.mountinfo)
        try DenyExecutor(files: tree.fileSystem, services: services, journalPath: "/var/lib/guestguard/j.json")
            .apply(try DenyPlanner(files: tree.fileSystem, services: services).plan(policy: DenyEnforcementTests.only(item)), at: Timestamp(seconds: 1))
        return tree
    }

    static func evaluate(_ id: String, _ tree: TemporaryFileTree, _ services: InMemoryServiceManager) throws -> PostureFinding {
        let item = try #require(PostureCatalog.all.first { $0.id == id })
        return item.evaluate(DenyEnforcementTests.context(tree.fileSystem, services))
    }

    @Test func anUnreadableModuleListIsUnknownNotNoModules() throws {
        let services = InMemoryServiceManager()
        let tree = try Self.denied("host-shared-filesystems", services: services)
        #expect(try Self.evaluate("host-shared-filesystems", tree, services).state == .ok, "the control: every rule holds")
        tree.makeDirectory("/proc/modules")  // read(2) fails with EISDIR
        let finding = try Self.evaluate("host-shared-filesystems", tree, services)
        #expect(finding.state == .unknown, "\(finding.reason)")
        #expect(finding.reason.contains("cannot read /proc/modules"), "\(finding.reason)")
    }

    @Test func aLoadedModuleStillFailsAndAnAbsentListIsAKernelWithoutModules() throws {
        let services = InMemoryServiceManager()
        let tree = try Self.denied("host-shared-filesystems", services: services)
        tree.write("/proc/modules", "virtiofs 40960 0 - Live 0x0000000000000000\n")
        let loaded = try Self.evaluate("host-shared-filesystems", tree, services)
        #expect(loaded.state == .fail && loaded.reason.contains("module virtiofs is loaded"), "\(loaded.reason)")
        tree.remove("/proc/modules")
        #expect(try Self.evaluate("host-shared-filesystems", tree, services).state == .ok)
    }

    @Test func aUnitWhoseRunStateCannotBeAskedIsUnknownNotStopped() throws {
        let services = InMemoryServiceManager()
        services.install("qemu-guest-agent.service", .static, running: false)
        let tree = try Self.denied("qemu-guest-agent", services: services)
        #expect(try Self.evaluate("qemu-guest-agent", tree, services).state == .ok, "the control: masked and stopped")
        let item = try #require(PostureCatalog.all.first { $0.id == "qemu-guest-agent" })
        let base = DenyEnforcementTests.context(tree.fileSystem, services)
        let finding = item.evaluate(PostureContext(files: base.files, detection: base.detection, services: RunStateUnavailable(states: services)))
        #expect(finding.state == .unknown, "\(finding.reason)")
        #expect(finding.reason.contains("qemu-guest-agent.service: cannot tell whether it runs"), "\(finding.reason)")
    }

    @Test func aProcessListThatCannotBeReadIsUnknownNotNothingRuns() throws {
        let services = InMemoryServiceManager()
        services.install("qemu-guest-agent.service", .static, running: false)
        let tree = try Self.denied("qemu-guest-agent", services: services)
        #expect(try Self.evaluate("qemu-guest-agent", tree, services).state == .ok, "the control: masked, stopped, no qemu-ga in /proc")
        tree.remove("/proc")
        tree.write("/proc", "not a directory\n")  // listing /proc fails with ENOTDIR
        let finding = try Self.evaluate("qemu-guest-agent", tree, services)
        #expect(finding.state == .unknown, "\(finding.reason)")
        #expect(finding.reason.contains("cannot tell whether qemu-ga runs: cannot list /proc"), "\(finding.reason)")
    }
}
