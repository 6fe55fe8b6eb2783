import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// Each enforceable item on a fake root: exposed → plan → apply → ok → empty second plan →
/// undo → the tree and the units exactly as before.
@Suite struct DenyEnforcementTests {
    static let enforceable = PostureCatalog.all.filter { !$0.rules.isEmpty }.map(\.id)
    static let mountinfo = "22 27 0:21 / /proc rw,relatime - proc proc rw\n27 1 253:1 / / rw,relatime - ext4 /dev/mapper/root rw\n"

    /// Everything the item's rules guard, in its exposed state.
    static func expose(_ item: any PostureItem, tree: TemporaryFileTree, services: InMemoryServiceManager) {
        tree.write("/proc/self/mountinfo", mountinfo)
        // The one item whose exposure is not one of its own rules: a cloud-IAM keys command.
        tree.write("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nAuthorizedKeysCommand /usr/bin/google_authorized_keys\n")
        for rule in item.rules {
            switch rule {
            case .maskUnits(let units):
                for (index, unit) in units.enumerated() { services.install(unit, index.isMultiple(of: 2) ? .enabled : .static, running: index == 0) }
            case .sysctl(let key, let value):
                tree.write(DenyRule.procPath(sysctl: key), value == "1" ? "0\n" : "1\n")
            case .blockModules:
                tree.write("/etc/modprobe.d/admin.conf", "options snd slots=1\n")
            case .ownedFile(let path, _):
                tree.write(path, bytes: Array("# the admin's own\n".utf8), mode: 0o640)
            case .ensureFile:
                break
            case .kernelAttribute(let path, _):
                tree.write(path, path.hasSuffix("lockdown") ? "[none] integrity confidentiality\n" : "N\n")
            }
        }
    }

    static func context(_ files: any FileSystem, _ services: InMemoryServiceManager) -> PostureContext {
        let env = DetectionEnvironment(cpuid: ScriptedCPUID.amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR([SEVStatus.msrAddress: .value(7)]),
                                       files: files, kernelLog: ScriptedKernelLog([]))
        return PostureContext(files: files, detection: EncryptionModeDetector().detect(env), services: services)
    }

    /// Only `id` enforced; every other item off.
    static func only(_ id: String) -> DenyPolicy {
        DenyPolicy(modes: Dictionary(uniqueKeysWithValues: PostureCatalog.all.map { ($0.id, $0.id == id ? DenyMode.enforce : .off) }))
    }

    @Test(arguments: enforceable)
    func enforceThenUndo(id: String) throws {
        let item = try #require(PostureCatalog.all.first { $0.id == id })
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        Self.expose(item, tree: tree, services: services)
        let files = RecordingFileSystem(tree.fileSystem)
        let policy = Self.only(id)
        let journal = "/var/lib/guestguard/deny-journal.json"
        let treeBefore = TreeSnapshot(files, skipping: ["/var"])  // the journal's own directory is not part of the plan
        let unitsBefore = services.snapshot
        let stateBefore = item.evaluate(Self.context(files, services)).state
        #expect(stateBefore != .ok, "\(id) exposed should not be ok")

        let plan = try DenyPlanner(files: files, services: services).plan(policy: policy)
        #expect(!plan.isEmpty)
        #expect(plan.steps.allSatisfy { $0.itemIDs == [id] })
        try DenyExecutor(files: files, services: services, journalPath: journal).apply(plan, at: Timestamp(seconds: 1_700_000_000))

        let after = item.evaluate(Self.context(files, services))
        #expect(after.state == .ok, "\(id) after deny: \(after.reason)")
        #expect(try DenyPlanner(files: files, services: services).plan(policy: policy).isEmpty, "second run must be empty")
        #expect(try files.status(journal)?.permissions == 0o600)

        let undone = try DenyExecutor(files: files, services: services, journalPath: journal).undo()
        #expect(!undone.restored.isEmpty || !undone.irreversible.isEmpty)
        // One-way kernel settings stay; everything else is back, byte for byte and mode for mode.
        let oneWay = Set(undone.irreversible.map { step -> String in
            if case .sysctl(let key, _, _) = step.change { return DenyRule.procPath(sysctl: key) }
            return step.change.subject
        })
        let treeAfter = TreeSnapshot(files, skipping: oneWay.union(["/var"]))
        #expect(treeAfter == TreeSnapshot(from: treeBefore, removing: oneWay), "differs: \(treeAfter.differences(TreeSnapshot(from: treeBefore, removing: oneWay)))")
        #expect(services.snapshot == unitsBefore)
        #expect(!files.exists(journal))
    }

    @Test func dryRunPlanWritesNothingOnAFakeRoot() throws {
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        for item in PostureCatalog.all { Self.expose(item, tree: tree, services: services) }
        let files = RecordingFileSystem(tree.fileSystem, forbidWrites: true)
        let before = TreeSnapshot(files)
        let plan = try DenyPlanner(files: files, services: services).plan(policy: .standard)
        #expect(plan.steps.count > 40)
        #expect(files.mutations.isEmpty)
        #expect(services.mutatingCalls.isEmpty)
        #expect(TreeSnapshot(files) == before)
    }

    @Test func sharedFilesCollectEveryEnforcedItemAndShrinkWhenOneIsTurnedOff() throws {
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        let files = RecordingFileSystem(tree.fileSystem)
        let executor = DenyExecutor(files: files, services: services, journalPath: "/var/lib/guestguard/journal.json")
        try executor.apply(try DenyPlanner(files: files, services: services).plan(policy: .standard), at: Timestamp(seconds: 1))
        let modprobe = try files.readText(DenyRule.modprobeFile)
        for module in ["hv_sock", "vmw_vsock_vmci_transport", "uio_hv_generic", "qemu_fw_cfg", "9p", "9pnet_virtio", "virtiofs", "efi_pstore"] {
            #expect(modprobe.contains("install \(module) /bin/false\n"), "\(module)")
        }
        #expect(try files.readText(DenyRule.sysctlDropIn).contains("kernel.sysrq = 0\n"))
        #expect(try files.status("/root/.ssh")?.permissions == 0o700)

        var modes = DenyPolicy.standard.modes
        modes["vsock-transports"] = .off
        let smaller = try DenyPlanner(files: files, services: services).plan(policy: DenyPolicy(modes: modes))
        #expect(smaller.steps.map(\.change.subject) == [DenyRule.modprobeFile])
        #expect(smaller.text.contains("-install hv_sock /bin/false"))
        #expect(smaller.text.contains(" install efi_pstore /bin/false"))
    }
}

