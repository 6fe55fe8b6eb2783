import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import KDSCollateral
import KeyBrokerClient
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// Evidence without `cert_chain`: the broker fetches the VCEK (with its chain and CRL) from a
/// loopback stand-in for AMD's KDS, caches it in its store, and verifies as usual.
@Suite struct BrokerKDSTests {
    /// A broker KDS source toward `baseURL` (short timeouts, one retry); it serves the CRLs of
    /// AMD's ARKs and of `revocationIssuers`.
    static func kds(_ baseURL: String, revocationIssuers: [X509Certificate] = []) -> (any BrokerStorage) throws -> BrokerKDS {
        { storage in
            try BrokerKDS(configuration: KDSConfiguration(baseURL: baseURL, requestTimeout: .seconds(2),
                                                          retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(20)),
                                                          burst: 100, requestsPerSecond: 100, maximumWaitSeconds: 2),
                          storage: storage, product: nil, clock: SystemClock(), random: GetrandomSource(), revocationIssuers: revocationIssuers)
        }
    }

    /// An attestation as a guest on a host without imported certificates builds it: no cert_chain.
    static func attestation(nonce: String, from simulator: SimulatedSecureProcessor) throws -> Attestation {
        let reportData = try RuntimeDataBinding.reportData(nonce: nonce, teePubkey: BrokerHarness.teeKey, additionalEvidence: "") {
            (try? HashFunction.sha384.hash($0)) ?? []
        }
        let (report, _) = try simulator.attestation(reportData: reportData, vmpl: 0)
        return Attestation(runtimeData: RuntimeData(nonce: nonce, teePubkey: BrokerHarness.teeKey),
                           teeEvidence: try CompositeEvidence(snp: try SNPEvidence(reportBytes: report, certChain: nil)))
    }

    /// /auth, /attest without cert_chain from `simulator`, and /resource when attested, against `service`.
    static func handshake(_ service: KeyBrokerService, _ simulator: SimulatedSecureProcessor) async throws
        -> (attest: BrokerResponse, resource: BrokerResponse?)
    {
        let auth = await service.handle(BrokerRequest(method: "POST", path: "/kbs/v0/auth", body: try Request().jsonBytes()))
        let cookie = auth.headers.first { $0.name == "Set-Cookie" }!.value
        let id = String(cookie.dropFirst("kbs-session-id=".count).prefix(while: { $0 != ";" }))
        let challenge = try Challenge(jsonBytes: auth.body)
        let headers = [(name: "Cookie", value: "kbs-session-id=\(id)")]
        let body = try attestation(nonce: challenge.nonce, from: simulator).jsonBytes()
        let attest = await service.handle(BrokerRequest(method: "POST", path: "/kbs/v0/attest", headers: headers, body: body))
        guard attest.status == 200 else { return (attest, nil) }
        return (attest, await service.handle(BrokerRequest(method: "GET", path: "/kbs/v0/resource/default/disk/root", headers: headers)))
    }

    @Test(arguments: BrokerBackend.allCases) func releasesToAReportWithoutCertChainAndCachesAcrossARestart(backend: BrokerBackend) async throws {
        let kds = try await KDSStandIn.start()
        let simulator = try KDSSimulator.processor()
        try KDSSimulator.serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7))
        let broker = try await backend.harness(policy: { _ in simulator.examplePolicy }, kds: Self.kds(kds.baseURL))
        let first = try await Self.handshake(broker.service, simulator)
        #expect(first.attest.status == 200, "\(String(decoding: first.attest.body, as: UTF8.self))")
        #expect(first.resource?.status == 200)
        #expect(broker.sealer.released.withLock { $0.map { $0.key } } == [broker.diskKey])
        #expect(kds.totalRequests == 3, "the chain, the VCEK and the CRL, once each")
        // A second guest on the same chip: memory, no request.
        _ = try await Self.handshake(broker.service, simulator)
        #expect(kds.totalRequests == 3)
        // Restart: a new broker process over the same store, with KDS gone. The store has it all.
        await kds.stop()
        let storage = backend == .embedded ? BrokerHarness.embedded(broker.tree) : broker.storage
        let restarted = KeyBrokerService(storage: storage, trustFiles: broker.tree.fileSystem, sealer: broker.sealer, audit: broker.audit,
                                         clock: broker.clock, random: GetrandomSource(), kds: try Self.kds(kds.baseURL)(storage))
        let after = try await Self.handshake(restarted, simulator)
        #expect(after.attest.status == 200, "\(String(decoding: after.attest.body, as: UTF8.self))")
        #expect(after.resource?.status == 200)
        #expect(broker.sealer.released.withLock { $0.count } == 3)
    }

    /// A boot storm on one chip whose VCEK nobody has yet: one request per document reaches KDS.
    @Test func concurrentHandshakesFromOneChipFetchEachDocumentOnce() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let simulator = try KDSSimulator.processor()
        try KDSSimulator.serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7))
        let path = KDSDocument.vcek(try KDSSimulator.identity()).path
        kds.set(path, .slow(milliseconds: 500, simulator.vcek.derBytes))
        let broker = try await BrokerBackend.embedded.harness(policy: { _ in simulator.examplePolicy }, kds: Self.kds(kds.baseURL))
        let service = broker.service
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<16 { group.addTask { try await Self.handshake(service, simulator).resource?.status } }
            var all: [Int?] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses == Array(repeating: 200, count: 16))
        #expect(kds.requests(path) == 1)
        #expect(kds.totalRequests == 3)
    }

    @Test func garbageFromKDSIsRefusedWithTheReasonAndNothingIsReleased() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let simulator = try KDSSimulator.processor()
        try KDSSimulator.serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7))
        kds.set(KDSDocument.vcek(try KDSSimulator.identity()).path, .serve((0..<900).map { UInt8($0 & 0xFF) }))
        let broker = try await BrokerBackend.embedded.harness(policy: { _ in simulator.examplePolicy }, kds: Self.kds(kds.baseURL))
        let outcome = try await Self.handshake(broker.service, simulator)
        #expect(outcome.attest.status == 401)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
        let refusal = broker.audit.all.last { $0.decision == .refusal }
        #expect(refusal?.reasons.contains { $0.contains("no usable VCEK from KDS") && $0.contains("not a DER certificate") } == true)
    }

    @Test func aRevokedASKIsRefused() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let simulator = try KDSSimulator.processor()
        let serial = "0x" + simulator.ask.serialNumber.magnitude.hexString
        try KDSSimulator.serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7, revoking: [serial]))
        let broker = try await BrokerBackend.embedded.harness(policy: { _ in simulator.examplePolicy }, kds: Self.kds(kds.baseURL))
        let outcome = try await Self.handshake(broker.service, simulator)
        #expect(outcome.attest.status == 401)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
        #expect(broker.audit.lines.contains("revoked by the CRL of ARK-Milan"))
    }

    /// KDS down: a retryable 503 with Retry-After, an audited refusal naming KDS, nothing released.
    @Test func aKDSThatIsDownGivesARetryableRefusal() async throws {
        let kds = try await KDSStandIn.start()
        let simulator = try KDSSimulator.processor()
        await kds.stop()
        let broker = try await BrokerBackend.embedded.harness(policy: { _ in simulator.examplePolicy }, kds: Self.kds(kds.baseURL))
        let outcome = try await Self.handshake(broker.service, simulator)
        #expect(outcome.attest.status == 503)
        #expect(outcome.attest.headers.contains { $0.name == "Retry-After" })
        #expect(try ProblemDetails(jsonBytes: outcome.attest.body).detail.contains("KDS"))
        #expect(broker.sealer.released.withLock { $0.isEmpty })
        #expect(broker.audit.lines.contains("KDS is unavailable"))
        #expect(broker.service.metrics.value("kds", "unavailable") == 1)
    }

    /// The store's cache keeps what it is given under the name, and a name is never a path.
    @Test(arguments: BrokerBackend.allCases) func theStoreCachesByNameAndRefusesPathNames(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == nil)
        try await broker.storage.storeKDSDocument([1, 2, 3], named: "crl-Milan")
        try await broker.storage.storeKDSDocument([4, 5], named: "crl-Milan")
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == [4, 5])
        if backend == .embedded {
            for name in ["../key-id.secret", "a/b", "", ".hidden"] {
                await #expect(throws: BrokerStoreError.self) { try await broker.storage.storeKDSDocument([1], named: name) }
            }
        }
    }

    /// Without KDS configured, evidence without cert_chain is refused as before, and says why.
    @Test func withoutKDSEvidenceWithoutCertChainIsRefused() async throws {
        let simulator = try KDSSimulator.processor()
        let broker = try await BrokerBackend.embedded.harness(policy: { _ in simulator.examplePolicy })
        let outcome = try await Self.handshake(broker.service, simulator)
        #expect(outcome.attest.status == 401)
        #expect(broker.audit.lines.contains("KDS fetching is off"))
    }
}
