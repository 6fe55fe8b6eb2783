import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPSimulator
import Synchronization
import Testing

/// Root and data volumes in one boot with one attestation (issue 17): two real LUKS2 images whose
/// keys are two resources of a real broker (in-process, real JWE); `AttestedKeys` over the real
/// `KeyBrokerClient`; a transport that counts the broker's `/attest` requests.
@Suite(.serialized) struct SeveralVolumesTests {
    let disks = LUKSTestVolumes()
    var files: HostFileSystem { disks.tree.fileSystem }
    static let root = "default/disk/root", data = "default/disk/data"
    let dataKey: [UInt8] = (0..<64).map { UInt8(($0 * 13 + 5) & 0xFF) }

    /// Passes requests to the broker and counts them by path.
    final class CountingTransport: KBSTransport {
        let inner: LocalTransport
        let paths = Mutex<[String]>([])
        init(_ service: KeyBrokerService) { inner = LocalTransport(service: service) }
        func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
            paths.withLock { $0.append(request.path) }
            return try inner.send(request, to: broker)
        }
        var attests: Int { paths.withLock { $0.filter { $0 == "/kbs/v0/attest" }.count } }
    }

    /// The broker of the harness, also holding the data volume's key under `data` with the same policy.
    func broker() throws -> BrokerHarness {
        let broker = try BrokerHarness(jwe: true)
        let data = try #require(ResourceID(Self.data))
        try #require(broker.store).storeKey(SecretBytes(copying: dataKey), for: data)
        try #require(broker.store).storePolicy(broker.simulator.examplePolicy, for: data)
        return broker
    }

    func volume(_ name: String, number: String, key: [UInt8], resource: String) async throws -> String {
        disks.tree.write("/sys/class/block/\(name)/dev", number + "\n")
        disks.tree.write("/sys/class/block/\(name)/size", "65536\n")
        let path = disks.blankFile("/dev/\(name)")
        let format = VolumeFormat(volumes: disks.volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
        return try await format.format(device: path, token: GuestGuardToken(keyslot: 0, resource: resource), machineKey: { SecretBytes(copying: key) },
                                       recoveryPassphrase: nil).uuid
    }

    func plan(_ expected: [ExpectedVolume]) -> UnlockPlan {
        UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: disks.tree.root, logger: disks.logger)),
                   unlock: disks.unlocker(), deviceRoot: disks.tree.root, expected: expected, mode: .boot)
    }

    func client(_ broker: BrokerHarness, _ transport: CountingTransport) -> KeyBrokerClient {
        KeyBrokerClient(brokers: ["https://kbs.example"], transport: transport, reports: SimulatedReportProvider(processor: broker.simulator),
                        clock: SystemClock(), random: GetrandomSource(), retry: .once) { try EphemeralKeyPair() }
    }

    /// The boot's wiring (BootUnlockCommand): each volume's configured resource, from one AttestedKeys per attempt.
    func attempt(_ plan: UnlockPlan, _ expected: [ExpectedVolume], fetchAll: @escaping @Sendable ([String]) throws -> [SecretBytes]) -> [VolumeUnlockResult] {
        let keys = AttestedKeys(resources: expected.compactMap(\.resource), fetchAll: fetchAll)
        return plan.run(naming: .verifyOnly) { volume in
            .broker { _ in try keys.key(for: expected.first { $0.matches(uuid: volume.uuid) }?.resource ?? "?") }
        }
    }

    @Test func rootAndDataVolumesUnlockWithOneAttestationAndTwoReleases() async throws {
        let broker = try broker()
        let rootUUID = try await volume("vda", number: "254:0", key: broker.diskKey, resource: Self.root)
        let dataUUID = try await volume("vdb", number: "254:16", key: dataKey, resource: Self.data)
        let expected = [ExpectedVolume(uuid: rootUUID, name: "root", resource: Self.root), ExpectedVolume(uuid: dataUUID, name: "data", resource: Self.data)]
        let transport = CountingTransport(broker.service)
        let client = client(broker, transport)
        let results = attempt(plan(expected), expected) { try client.fetchReleasing(resources: $0).released.map(\.secret) }
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.succeeded }, "\(results.map(\.status))")
        #expect(transport.attests == 1, "one attestation for both volumes")
        #expect(transport.paths.withLock { $0 } == ["/kbs/v0/auth", "/kbs/v0/attest", "/kbs/v0/resource/\(Self.root)", "/kbs/v0/resource/\(Self.data)"])
        let releases = broker.audit.all.filter { $0.decision == .release }
        #expect(releases.map(\.resource) == [Self.root, Self.data])
        #expect(Set(releases.map(\.session)).count == 1, "both releases in the one attested session")
    }

    /// The keys are not swapped: each volume opens only with its own resource's key (a wiring that
    /// handed the root key to every volume, or took the token's resource, fails here).
    @Test func eachVolumeGetsItsOwnResourcesKey() async throws {
        let broker = try broker()
        let rootUUID = try await volume("vda", number: "254:0", key: broker.diskKey, resource: Self.root)
        // The data volume's token (host-writable) names the root resource: the configuration's resource wins.
        let dataUUID = try await volume("vdb", number: "254:16", key: dataKey, resource: Self.root)
        let expected = [ExpectedVolume(uuid: rootUUID, resource: Self.root), ExpectedVolume(uuid: dataUUID, resource: Self.data)]
        let transport = CountingTransport(broker.service)
        let client = client(broker, transport)
        let results = attempt(plan(expected), expected) { try client.fetchReleasing(resources: $0).released.map(\.secret) }
        #expect(results.allSatisfy { $0.succeeded }, "\(results.map(\.status))")
        // Swapped, neither opens.
        let swapped = [ExpectedVolume(uuid: rootUUID, resource: Self.data), ExpectedVolume(uuid: dataUUID, resource: Self.root)]
        let refused = attempt(plan(swapped), swapped) { try client.fetchReleasing(resources: $0).released.map(\.secret) }
        #expect(refused.count == 2)
        #expect(refused.allSatisfy { !$0.succeeded })
    }

    /// A broker that refuses one of the resources fails the attempt for every volume, with one
    /// attestation, and the next attempt attests once again: never one attestation per volume.
    @Test func aRefusedResourceFailsTheAttemptWithOneAttestationPerAttempt() async throws {
        let broker = try BrokerHarness(jwe: true)  // holds no data key
        let rootUUID = try await volume("vda", number: "254:0", key: broker.diskKey, resource: Self.root)
        let dataUUID = try await volume("vdb", number: "254:16", key: dataKey, resource: Self.data)
        let expected = [ExpectedVolume(uuid: rootUUID, resource: Self.root), ExpectedVolume(uuid: dataUUID, resource: Self.data)]
        let transport = CountingTransport(broker.service)
        let client = client(broker, transport)
        let lines = Mutex<[String]>([])
        let boot = BootUnlock(retries: RetryPolicy(attempts: 2, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1)), clock: SystemClock(),
                              power: RecordingPower(), console: { line in lines.withLock { $0.append(line) } })
        let plan = plan(expected)
        let outcome = await boot.run {
            attempt(plan, expected) { try client.fetchReleasing(resources: $0).released.map(\.secret) }
        }
        guard case .poweredOff(let attempts, _) = outcome else { Issue.record("unlocked without the data key"); return }
        #expect(attempts == 2)
        #expect(transport.attests == 2, "one attestation per attempt, not per volume")
        let failures = lines.withLock { $0 }.filter { $0.hasPrefix("guestguard: attempt") }
        #expect(failures.count == 4, "each volume's failure is reported in each attempt: \(failures)")
        #expect(failures.allSatisfy { $0.contains(Self.data) }, "the reason names the refused resource: \(failures)")
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 2, "the root key was released once per attempt, the data key never")
    }
}

/// Power-off recorded instead of done.
final class RecordingPower: PowerControl {
    let count = Mutex(0)
    func powerOff() -> PlatformError? { count.withLock { $0 += 1 }; return nil }
}
