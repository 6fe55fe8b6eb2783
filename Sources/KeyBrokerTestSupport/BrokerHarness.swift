import CanonicalJSON
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import SNPABI
import SNPSimulator
import Synchronization

/// Audit lines kept in memory; `failure`, when set, is thrown instead (a full or read-only log).
public final class MemoryAudit: AuditSink {
    public init() {}
    let events = Mutex<[AuditEvent]>([])
    public let failure = Mutex<PlatformError?>(nil)
    public func record(_ event: AuditEvent) throws(PlatformError) {
        if let failure = failure.withLock({ $0 }) { throw failure }
        events.withLock { $0.append(event) }
    }
    public var all: [AuditEvent] { events.withLock { $0 } }
    public var lines: String { all.map(\.line).joined(separator: "\n") }
}

/// Records what the service asked to seal, and "seals" it as a recognisable envelope so tests
/// can see which key was released to which public key. JWE itself is tested in KeyBrokerJWETests.
public final class RecordingSealer: ResourceSealer {
    public init() {}
    public let released = Mutex<[(key: [UInt8], to: EphemeralPublicKey, keyID: String?)]>([])
    public func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response {
        released.withLock { $0.append((plaintext.withUnsafeBytes { Array($0) }, key, keyID)) }
        let header = Base64URL.encode(Array(#"{"alg":"ECDH-ES+A256KW","enc":"A256GCM"}"#.utf8))
        return try Response(json: ["protected": .string(header), "encrypted_key": .string(Base64URL.encode([UInt8](repeating: 1, count: 40))),
                                   "iv": .string(Base64URL.encode([UInt8](repeating: 2, count: 12))), "ciphertext": .string(Base64URL.encode([3])),
                                   "tag": .string(Base64URL.encode([UInt8](repeating: 4, count: 16)))])
    }
}

/// Test support for the key broker and its clients: a broker with a data directory, a simulated secure processor, and one resource whose policy
/// trusts the simulator and its measurement.
public struct BrokerHarness {
    public let tree = TemporaryFileTree(prefix: "guestguard-broker")
    public let simulator: SimulatedSecureProcessor
    public let service: KeyBrokerService
    /// Where the service keeps keys, policies and sessions (embedded by default).
    public let storage: any BrokerStorage
    public let audit = MemoryAudit()
    /// The recording sealer when the harness was built with `jwe: false` (decision-logic tests).
    public let sealer = RecordingSealer()
    /// Moved by hand; inside the simulated chain's validity.
    public let clock = RecordingClock(now: Timestamp(seconds: 1_795_500_000))
    public let resource = ResourceID("default/disk/root")!
    public let diskKey: [UInt8] = (0..<64).map { UInt8(($0 * 7 + 3) & 0xFF) }

    /// The embedded store's files and sessions (nil for another storage).
    public var store: BrokerStore? { (storage as? EmbeddedBrokerStorage)?.files }
    public var sessions: BrokerSessionStore? { (storage as? EmbeddedBrokerStorage)?.sessions }

    /// - Parameters:
    ///   - jwe: seal with the real KBS JWE (end-to-end tests) instead of the recording sealer.
    ///   - policy: the resource policy; default: the simulator's example policy.
    ///   - sessions, limits: the service's session table and per-client rate limits.
    public init(jwe: Bool = false, sessions: BrokerSessionStore = BrokerSessionStore(), limits: BrokerLimits = BrokerLimits(),
                policy: ((SimulatedSecureProcessor) -> String)? = nil) throws {
        simulator = try SharedSimulator.processor(files: tree.fileSystem)
        let store = BrokerStore(files: tree.fileSystem, root: "/data")
        try store.storeKey(SecretBytes(copying: diskKey), for: resource)
        try store.storePolicy(policy?(simulator) ?? simulator.examplePolicy, for: resource)
        storage = EmbeddedBrokerStorage(files: store, sessions: sessions)
        service = KeyBrokerService(storage: storage, trustFiles: tree.fileSystem, sealer: jwe ? JWEResourceSealer() as any ResourceSealer : sealer,
                                   audit: audit, clock: clock, random: GetrandomSource(), sessionLifetime: sessions.lifetime,
                                   maxSessions: sessions.capacity, limits: limits)
    }

    /// A broker over `storage` (e.g. PostgreSQL), seeded with the resource's key and policy.
    /// `storage` is made from the harness's file tree (for the embedded store's directory).
    /// `kds`: where VCEKs for evidence without `cert_chain` come from (given the storage), if anywhere.
    /// `revocation`: whether evidence with its own `cert_chain` needs a current CRL.
    public init(storage make: (TemporaryFileTree) async throws -> any BrokerStorage, jwe: Bool = false, maxSessions: Int = 100_000,
                limits: BrokerLimits = BrokerLimits(), policy: ((SimulatedSecureProcessor) -> String)? = nil,
                kds: ((any BrokerStorage) throws -> BrokerKDS)? = nil, revocation: RevocationMode = .bestEffort) async throws {
        simulator = try SharedSimulator.processor(files: tree.fileSystem)
        storage = try await make(tree)
        try await storage.storeKey(SecretBytes(copying: diskKey), for: resource, replace: false)
        try await storage.storePolicy(policy?(simulator) ?? simulator.examplePolicy, for: resource)
        service = KeyBrokerService(storage: storage, trustFiles: tree.fileSystem, sealer: jwe ? JWEResourceSealer() as any ResourceSealer : sealer,
                                   audit: audit, clock: clock, random: GetrandomSource(), maxSessions: maxSessions, limits: limits,
                                   kds: try kds?(storage), revocation: revocation)
    }

    /// The embedded storage for `tree` (`/data`), as `init(storage:)` takes it.
    public static func embedded(_ tree: TemporaryFileTree) -> any BrokerStorage {
        EmbeddedBrokerStorage(files: BrokerStore(files: tree.fileSystem, root: "/data"))
    }

    /// - Parameter client: the rate-limit key of the client (`HTTPRemoteAddress.rateLimitKey`); nil is not limited.
    public func post(_ path: String, _ body: [UInt8], cookie: String? = nil, client: String? = nil) async -> BrokerResponse {
        await service.handle(BrokerRequest(method: "POST", path: path, headers: cookie.map { [("Cookie", "kbs-session-id=\($0)")] } ?? [], body: body,
                                           client: client, rateLimitKey: client))
    }

    public func get(_ path: String, cookie: String?) async -> BrokerResponse {
        await service.handle(BrokerRequest(method: "GET", path: path, headers: cookie.map { [("Cookie", "kbs-session-id=\($0)")] } ?? []))
    }

    /// `/auth`: the session id and the challenge.
    public func auth(client: String? = nil) async throws -> (String, Challenge) {
        let response = await post("/kbs/v0/auth", try Request().jsonBytes(), client: client)
        precondition(response.status == 200, String(decoding: response.body, as: UTF8.self))
        let cookie = response.headers.first { $0.name == "Set-Cookie" }!.value
        let id = String(cookie.dropFirst("kbs-session-id=".count).prefix(while: { $0 != ";" }))
        return (id, try Challenge(jsonBytes: response.body))
    }

    public static let teeKey = EphemeralPublicKey.p256(x: [UInt8](repeating: 0x11, count: 32), y: [UInt8](repeating: 0x22, count: 32))

    /// An attestation as a guest builds it: REPORT_DATA = SHA-384(JCS(runtime data)).
    public func attestation(nonce: String, key: EphemeralPublicKey = teeKey, reportDataOverride: [UInt8]? = nil,
                     from processor: SimulatedSecureProcessor? = nil) throws -> Attestation
    {
        let runtime = RuntimeData(nonce: nonce, teePubkey: key)
        let reportData = try reportDataOverride ?? RuntimeDataBinding.reportData(nonce: nonce, teePubkey: key, additionalEvidence: "") {
            (try? HashFunction.sha384.hash($0)) ?? []
        }
        let (report, table) = try (processor ?? simulator).attestation(reportData: reportData, vmpl: 0)
        let certificates = try CertificateTable(bytes: table)
        let chain: [SNPEvidence.CertTableEntry] = [
            .init(certType: .ark, data: certificates.certificate(.ark)!),
            .init(certType: .ask, data: certificates.certificate(.ask)!),
            .init(certType: .vcek, data: certificates.certificate(.vcek)!),
        ]
        let evidence = try SNPEvidence(reportBytes: report, certChain: chain)
        return Attestation(runtimeData: runtime, teeEvidence: try CompositeEvidence(snp: evidence))
    }
}

/// One simulator per test process (minting RSA-4096 keys takes seconds), copied into each tree.
public enum SharedSimulator {
    static let directory: TemporaryFileTree = TemporaryFileTree(prefix: "guestguard-shared-sim")
    static let once: Mutex<SimulatedSecureProcessor?> = Mutex(nil)

    public static func processor(files: any FileSystem) throws -> SimulatedSecureProcessor {
        try once.withLock { cached in
            if let cached { return cached }
            let made = try SimulatedSecureProcessor.initialize(directory: "/sim", settings: SimulatorSettings(), files: directory.fileSystem,
                                                               random: GetrandomSource(), now: 1_795_000_000)
            cached = made
            return made
        }
    }

    /// A second, unrelated simulator (another "chip" and ARK).
    static let other: Mutex<SimulatedSecureProcessor?> = Mutex(nil)
    public static func otherProcessor() throws -> SimulatedSecureProcessor {
        try other.withLock { cached in
            if let cached { return cached }
            var settings = SimulatorSettings()
            settings.chipID = [UInt8](repeating: 0x5A, count: 64)
            let made = try SimulatedSecureProcessor.initialize(directory: "/other", settings: settings, files: directory.fileSystem,
                                                               random: GetrandomSource(), now: 1_795_000_000)
            cached = made
            return made
        }
    }
}

extension KeyBrokerService {
    /// ``handle(_:)`` from synchronous code: the tests' in-process `KBSTransport`s (the guest's client is
    /// synchronous, the broker service is not).
    public func handleBlocking(_ request: BrokerRequest) -> BrokerResponse {
        awaitingFromSyncCode { await self.handle(request) }
    }
}
