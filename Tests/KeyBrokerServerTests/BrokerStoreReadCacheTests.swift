import CanonicalJSON
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import Testing

/// The embedded store serves the files it reads on every handshake (policy generation, policy,
/// key) from memory while `stat` finds them unchanged. A writer with its own store over the same
/// directory (`guestguard-broker key|policy …` is another process) changes them under the running
/// broker: the very next handshake must see the change, never the remembered bytes.
@Suite struct BrokerStoreReadCacheTests {
    /// One full handshake: the `/resource` status (or `/attest`'s when that refused) and the key released, if any.
    func handshake(_ broker: BrokerHarness) async throws -> (status: Int, key: [UInt8]?) {
        let before = broker.sealer.released.withLock { $0.count }
        let (session, challenge) = try await broker.auth()
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        guard attested.status == 200 else { return (attested.status, nil) }
        let released = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        let sealed = broker.sealer.released.withLock { $0 }
        return (released.status, sealed.count > before ? sealed.last?.key : nil)
    }

    @Test func keyPolicyAndDeletionByAnotherWriterAreSeenByTheNextHandshake() async throws {
        let broker = try BrokerHarness()
        let other = BrokerStore(files: broker.tree.fileSystem, root: "/data")
        // Twice: the second handshake is served from the remembered files.
        for _ in 0..<2 { #expect(try await handshake(broker).key == broker.diskKey) }

        let newKey: [UInt8] = (0..<64).map { UInt8(255 - $0) }
        try other.storeKey(SecretBytes(copying: newKey), for: broker.resource, replace: true)
        #expect(try await handshake(broker).key == newKey)
        #expect(try await handshake(broker).key == newKey)

        let refusing = broker.simulator.examplePolicy.replacingOccurrences(of: Hex.encode(broker.simulator.settings.measurement),
                                                                           with: String(repeating: "ab", count: 48))
        try other.storePolicy(refusing, for: broker.resource)
        let refused = try await handshake(broker)
        #expect(refused.status == 401 && refused.key == nil)
        try other.storePolicy(broker.simulator.examplePolicy, for: broker.resource)
        #expect(try await handshake(broker).key == newKey)

        try other.delete(broker.resource)
        let afterDelete = try await handshake(broker)
        #expect(afterDelete.status == 401 && afterDelete.key == nil)
        #expect(broker.sealer.released.withLock { $0.count } == 5)
    }

    @Test func aPolicyEditedInPlaceWithADifferentSizeIsSeenAtOnce() async throws {
        let broker = try BrokerHarness()
        #expect(try await handshake(broker).key == broker.diskKey)
        // By hand, bypassing `policy set` (no rename, no generation bump): `/resource` reads it anew.
        let refusing = broker.simulator.examplePolicy.replacingOccurrences(of: Hex.encode(broker.simulator.settings.measurement),
                                                                           with: String(repeating: "ab", count: 48)) + "\n# edited\n"
        try broker.tree.fileSystem.writeAttribute("/data/resources/default/disk/root/policy.toml", bytes: Array(refusing.utf8))
        let refused = try await handshake(broker)
        #expect(refused.status == 401 && refused.key == nil)
    }

    @Test func theStoreReadsTheSameBytesAgainWhileTheFilesAreUnchanged() throws {
        let tree = TemporaryFileTree(prefix: "guestguard-store-cache")
        let store = BrokerStore(files: tree.fileSystem, root: "/data")
        let id = ResourceID("default/disk/root")!
        let key: [UInt8] = (0..<32).map { UInt8($0) }
        try store.storeKey(SecretBytes(copying: key), for: id)
        let first = try store.key(for: id), second = try store.key(for: id)
        #expect(first.withUnsafeBytes { Array($0) } == key && second.withUnsafeBytes { Array($0) } == key)
        #expect(first !== second, "every caller gets its own locked copy")
        #expect(try store.policyGeneration() == "0")
        #expect(throws: BrokerStoreError.self) { try store.policyText(for: id) }
        try BrokerStore(files: tree.fileSystem, root: "/data").storeKey(SecretBytes(copying: key.reversed()), for: id, replace: true)
        #expect(try store.key(for: id).withUnsafeBytes { Array($0) } == key.reversed())
    }
}
