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

/// Audit lines kept in memory.
final class MemoryAudit: AuditSink {
    let events = Mutex<[AuditEvent]>([])
    func record(_ event: AuditEvent) { events.withLock { $0.append(event) } }
    var all: [AuditEvent] { events.withLock { $0 } }
    var lines: String { all.map(\.line).joined(separator: "\n") }
}

/// A clock tests move by hand.
final class ManualClock: Clock, @unchecked Sendable {
    let seconds = Mutex<Int64>(1_795_500_000)
    func now() -> Timestamp { Timestamp(seconds: seconds.withLock { $0 }) }
    func sleep(nanoseconds: UInt64) async throws {}
    func advance(_ delta: Int64) { seconds.withLock { $0 += delta } }
}

/// A broker with a data directory, a simulated secure processor, and one resource whose policy
/// trusts the simulator and its measurement.
struct BrokerHarness {
    let tree = TemporaryFileTree(prefix: "guestguard-broker")
    let simulator: SimulatedSecureProcessor
    let service: KeyBrokerService
    let audit = MemoryAudit()
    let sealer = JWEResourceSealer()
    let clock = ManualClock()
    let resource = ResourceID("default/disk/root")!
    let diskKey: [UInt8] = (0..<64).map { UInt8(($0 * 7 + 3) & 0xFF) }

    init(policy: ((SimulatedSecureProcessor) -> String)? = nil) throws {
        simulator = try SharedSimulator.processor(files: tree.fileSystem)
        let store = BrokerStore(files: tree.fileSystem, root: "/data")
        try store.storeKey(SecretBytes(copying: diskKey), for: resource)
        try store.storePolicy(policy?(simulator) ?? simulator.examplePolicy, for: resource)
        service = KeyBrokerService(store: store, sealer: sealer, audit: audit, clock: clock, random: GetrandomSource())
    }

    func post(_ path: String, _ body: [UInt8], cookie: String? = nil) async -> BrokerResponse {
        await service.handle(BrokerRequest(method: "POST", path: path, headers: cookie.map { [("Cookie", "kbs-session-id=\($0)")] } ?? [], body: body))
    }

    func get(_ path: String, cookie: String?) async -> BrokerResponse {
        await service.handle(BrokerRequest(method: "GET", path: path, headers: cookie.map { [("Cookie", "kbs-session-id=\($0)")] } ?? []))
    }

    /// `/auth`: the session id and the challenge.
    func auth() async throws -> (String, Challenge) {
        let response = await post("/kbs/v0/auth", try Request().jsonBytes())
        precondition(response.status == 200, String(decoding: response.body, as: UTF8.self))
        let cookie = response.headers.first { $0.name == "Set-Cookie" }!.value
        let id = String(cookie.dropFirst("kbs-session-id=".count).prefix(while: { $0 != ";" }))
        return (id, try Challenge(jsonBytes: response.body))
    }

    static let teeKey = EphemeralPublicKey.p256(x: [UInt8](repeating: 0x11, count: 32), y: [UInt8](repeating: 0x22, count: 32))

    /// An attestation as a guest builds it: REPORT_DATA = SHA-384(JCS(runtime data)).
    func attestation(nonce: String, key: EphemeralPublicKey = teeKey, reportDataOverride: [UInt8]? = nil,
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
enum SharedSimulator {
    static let directory: TemporaryFileTree = TemporaryFileTree(prefix: "guestguard-shared-sim")
    static let once: Mutex<SimulatedSecureProcessor?> = Mutex(nil)

    static func processor(files: any FileSystem) throws -> SimulatedSecureProcessor {
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
    static func otherProcessor() throws -> SimulatedSecureProcessor {
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
