import Foundation
import CanonicalJSON
import KeyBrokerProtocol
import KeyBrokerServer
import SNPABI
import KeyBrokerTestSupport
import KeyBrokerPostgresTestSupport
import GuestGuardPlatform
import Testing

/// The broker's decisions, driven in-process with real simulated reports: one release for the
/// right evidence; a named refusal and nothing released for every hostile variant.
@Suite struct KeyBrokerServiceTests {
    func problem(_ response: BrokerResponse) throws -> ProblemDetails { try ProblemDetails(jsonBytes: response.body) }

    @Test(arguments: BrokerBackend.allCases) func releasesTheKeyOnceAfterAValidAttestation(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        #expect(challenge.nonce.count == 44, "32 random bytes, standard base64")
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        #expect(attested.status == 200, "\(String(decoding: attested.body, as: UTF8.self))")
        _ = try TokenResponse(jsonBytes: attested.body)
        let released = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(released.status == 200)
        _ = try Response(jsonBytes: released.body)
        let sealed = broker.sealer.released.withLock { $0 }
        #expect(sealed.count == 1)
        #expect(sealed.first?.key == broker.diskKey)
        #expect(sealed.first?.to == BrokerHarness.teeKey)
        let decisions = broker.audit.all.map(\.decision)
        #expect(decisions.filter { $0 == .release }.count == 1)
        #expect(!broker.audit.lines.lowercased().contains(Hex.encode(broker.diskKey)), "the key never reaches the audit log")
        #expect(broker.service.metrics.value("resource", "released") == 1)
    }

    @Test(arguments: BrokerBackend.allCases) func replayedNonceIsRefused(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        let body = try broker.attestation(nonce: challenge.nonce).jsonBytes()
        #expect(await broker.post("/kbs/v0/attest", body, cookie: session).status == 200)
        // The same evidence again on the same session, and on a fresh session.
        let again = await broker.post("/kbs/v0/attest", body, cookie: session)
        #expect(again.status == 401)
        #expect(try problem(again).detail.contains("nonce already used"))
        let (fresh, _) = try await broker.auth()
        let replay = await broker.post("/kbs/v0/attest", body, cookie: fresh)
        #expect(replay.status == 401)
        #expect(broker.audit.all.last?.reasons.first?.contains("not this session's nonce") == true)
    }

    @Test(arguments: BrokerBackend.allCases) func failedAttemptConsumesTheNonce(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", Array("{".utf8), cookie: session).status == 401)
        let late = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        #expect(late.status == 401)
    }

    @Test(arguments: BrokerBackend.allCases) func expiredSessionIsRefused(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        broker.clock.advance(by: .seconds(301))
        let response = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        #expect(response.status == 401)
        #expect(try problem(response).detail.contains("expired"))
    }

    @Test(arguments: BrokerBackend.allCases) func reportDataNotBindingTheKeyIsRefused(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        // The report binds one key; the runtime data claims another (a host swapping in its own key).
        var attestation = try broker.attestation(nonce: challenge.nonce)
        attestation.runtimeData.teePubkey = .p256(x: [UInt8](repeating: 0x33, count: 32), y: [UInt8](repeating: 0x44, count: 32))
        let response = await broker.post("/kbs/v0/attest", try attestation.jsonBytes(), cookie: session)
        #expect(response.status == 401)
        #expect(broker.audit.all.last?.reasons.first?.contains("REPORT_DATA does not bind") == true)
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 401)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }

    @Test(arguments: BrokerBackend.allCases, [
        (#"{"version":"0.3.0","tee":"snp","extra-params":""}"#, "0.3.0"),
        (#"{"version":"0.4.0","tee":"tdx","extra-params":""}"#, "tdx"),
        (#"{"version":"0.4.0","tee":"snp""#, "malformed"),
        ("not json", "malformed"),
    ])
    func badAuthRequests(backend: BrokerBackend, request: (String, String)) async throws {
        let (body, mention) = request
        let broker = try await backend.harness()
        let response = await broker.post("/kbs/v0/auth", Array(body.utf8))
        #expect(response.status == 401)
        #expect(try problem(response).type.hasSuffix("AttestationError"))
        #expect(broker.audit.all.last?.decision == .refusal)
        #expect(broker.audit.all.last?.reasons.joined().lowercased().contains(mention.lowercased()) == true, "\(broker.audit.all.last?.reasons ?? [])")
    }

    @Test(arguments: BrokerBackend.allCases) func policyViolationsAreRefusedWithEveryReason(backend: BrokerBackend) async throws {
        let broker = try await backend.harness { simulator in
            simulator.examplePolicy.replacingOccurrences(of: Hex.encode(simulator.settings.measurement), with: String(repeating: "ab", count: 48))
                .replacingOccurrences(of: "snp = 8", with: "snp = 9")
        }
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        let response = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(response.status == 401)
        #expect(try problem(response).type.hasSuffix("PolicyDeny"))
        let reasons = broker.audit.all.last?.reasons ?? []
        #expect(reasons.contains { $0.contains("measurements") })
        #expect(reasons.contains { $0.contains("minimum-tcb") })
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }

    @Test(arguments: BrokerBackend.allCases) func evidenceFromAnUntrustedSimulatorIsRefusedAtAttest(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        let foreign = try broker.attestation(nonce: challenge.nonce, from: SharedSimulator.otherProcessor())
        let response = await broker.post("/kbs/v0/attest", try foreign.jsonBytes(), cookie: session)
        #expect(response.status == 401)
        #expect(broker.audit.all.last?.reasons.contains { $0.contains("FAIL") } == true)
    }

    @Test(arguments: BrokerBackend.allCases) func resourceRequestsNeedAnAttestedSessionAndAValidPath(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: nil).status == 401)
        let (session, _) = try await broker.auth()
        let unattested = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(unattested.status == 401)
        #expect(try problem(unattested).type.hasSuffix("TokenNotFound"))
        #expect(await broker.get("/kbs/v0/resource/../../etc/passwd", cookie: session).status == 404)
        #expect(await broker.get("/kbs/v0/resource/default/disk", cookie: session).status == 404)
        #expect(await broker.get("/kbs/v0/nonsense", cookie: session).status == 404)
        #expect(await broker.service.handle(BrokerRequest(method: "DELETE", path: "/kbs/v0/auth")).status == 405)
    }

    @Test(arguments: BrokerBackend.allCases) func unknownResourceIsRefusedAfterAttestation(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        let response = await broker.get("/kbs/v0/resource/default/disk/other", cookie: session)
        #expect(response.status == 401)
        #expect(broker.audit.all.last?.reasons.first?.contains("no policy") == true)
    }

    @Test(arguments: BrokerBackend.allCases) func healthAndMetrics(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        #expect(await broker.service.handle(BrokerRequest(method: "GET", path: "/healthz")).status == 200)
        _ = try await broker.auth()
        let metrics = await broker.service.handle(BrokerRequest(method: "GET", path: "/metrics"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("guestguard_broker_requests_total{endpoint=\"auth\",outcome=\"ok\"} 1"))
        #expect(text.contains("guestguard_broker_sessions 1"))
        #expect(text.contains("guestguard_broker_request_duration_seconds_count{endpoint=\"auth\"} 1"))
        #expect(text.contains("guestguard_broker_request_duration_seconds_bucket{endpoint=\"auth\",le=\"+Inf\"} 1"))
    }
}

@Suite struct KeyBrokerPerResourceTrustTests {
    @Test(arguments: BrokerBackend.allCases) func aResourceWhosePolicyDoesNotTrustTheAnchorIsRefused(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        // A second resource whose policy trusts only AMD's roots (no [trust] section).
        let amdOnly = "version = 1\n[report]\nmeasurements = [\"\(Hex.encode(broker.simulator.settings.measurement))\"]\nminimum-tcb = \"any\"\n"
        let other = ResourceID("default/disk/amd-only")!
        try await broker.storage.storeKey(SecretBytes(copying: [UInt8](repeating: 7, count: 32)), for: other, replace: false)
        try await broker.storage.storePolicy(amdOnly, for: other)
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        let refused = await broker.get("/kbs/v0/resource/default/disk/amd-only", cookie: session)
        #expect(refused.status == 401)
        #expect(broker.audit.all.last?.reasons.first?.contains("does not trust") == true)
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 200)
        #expect(broker.sealer.released.withLock { $0.count } == 1)
    }
}
