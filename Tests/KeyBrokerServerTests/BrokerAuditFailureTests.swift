import GuestGuardPlatform
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import Testing

/// A broker that cannot write its audit log releases nothing: the audit sink fails (a full disk,
/// a read-only file) and `/resource` answers 503 with no sealed key in it; `/attest` likewise leaves the
/// session unattested. The real file sink against /dev/full is in the CLI tests.
@Suite struct BrokerAuditFailureTests {
    static let full = PlatformError(operation: "write", target: "audit log /var/log/guestguard/audit.log", errno: 28)

    @Test func aReleaseThatCannotBeAuditedIsNotMade() async throws {
        let broker = try BrokerHarness()
        let (session, challenge) = try await broker.auth()
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        #expect(attested.status == 200, "\(String(decoding: attested.body, as: UTF8.self))")
        broker.audit.failure.withLock { $0 = Self.full }
        let refused = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(refused.status == 503)
        #expect(refused.headers.contains { $0.name == "Retry-After" })
        #expect(try ProblemDetails(jsonBytes: refused.body).detail.contains("audit log"))
        // The key was sealed (the audit line names its key-id) but the JWE never leaves the broker.
        let body = String(decoding: refused.body, as: UTF8.self)
        #expect(!body.contains("ciphertext") && !body.contains("encrypted_key"), "nothing released without an audit line: \(body)")
        #expect(broker.audit.all.allSatisfy { $0.decision != .release })
        #expect(broker.service.metrics.value("resource", "released") == 0)
        #expect(broker.service.metrics.value("resource", "refused") == 1)

        // Once the log is writable again, the same session gets its key, audited.
        broker.audit.failure.withLock { $0 = nil }
        let released = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(released.status == 200)
        _ = try Response(jsonBytes: released.body)
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
        #expect(broker.service.metrics.value("resource", "released") == 1)
    }

    @Test func anAttestationThatCannotBeAuditedLeavesTheSessionUnattested() async throws {
        let broker = try BrokerHarness()
        let (session, challenge) = try await broker.auth()
        broker.audit.failure.withLock { $0 = Self.full }
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session)
        #expect(attested.status == 503)
        broker.audit.failure.withLock { $0 = nil }
        let resource = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(resource.status == 401, "the session never counted as attested")
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }
}
