import GuestGuardCrypto
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// `/metrics` counts each refusal under exactly its reason (`guestguard_broker_refusals_total`),
/// on both stores, and renders label values escaped (swift-prometheus).
@Suite struct BrokerRefusalMetricsTests {
    /// Every `guestguard_broker_refusals_total` series with a non-zero value, as "endpoint/reason" → count.
    static func refusals(_ broker: BrokerHarness) async -> [String: Int] {
        let text = String(decoding: await broker.service.handle(BrokerRequest(method: "GET", path: "/metrics")).body, as: UTF8.self)
        var found: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("guestguard_broker_refusals_total{") {
            let labels = line.dropFirst("guestguard_broker_refusals_total{".count).prefix { $0 != "}" }
            let pairs = labels.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: ["\""]) } }
            let endpoint = pairs.first { $0[0] == "endpoint" }?[1] ?? "?", reason = pairs.first { $0[0] == "reason" }?[1] ?? "?"
            if let value = Int(line.split(separator: " ").last ?? ""), value > 0 { found["\(endpoint)/\(reason)"] = value }
        }
        return found
    }

    /// An attestation whose report was altered after signing (one measurement byte), chain intact.
    static func tampered(_ broker: BrokerHarness, nonce: String) throws -> Attestation {
        let genuine = try broker.attestation(nonce: nonce)
        let snp = try genuine.snpEvidence()
        var report = snp.attestationReport.bytes
        report[0x90] ^= 0x01
        return Attestation(runtimeData: genuine.runtimeData, teeEvidence: try CompositeEvidence(snp: try SNPEvidence(reportBytes: report, certChain: snp.certChain)))
    }

    enum Case: String, CaseIterable { case replayedNonce, badSignature, untrustedRoot, bindingMismatch, noSession, policyMismatch, unknownResource }

    @Test(arguments: BrokerBackend.allCases, Case.allCases) func eachRefusalCountsUnderExactlyItsReason(backend: BrokerBackend, refusal: Case) async throws {
        let broker = try await backend.harness { simulator in
            refusal == .policyMismatch
                ? simulator.examplePolicy.replacingOccurrences(of: Hex.encode(simulator.settings.measurement), with: String(repeating: "ab", count: 48))
                : simulator.examplePolicy
        }
        let (session, challenge) = try await broker.auth()
        let good = try broker.attestation(nonce: challenge.nonce).jsonBytes()
        let expected: String
        switch refusal {
        case .replayedNonce:
            #expect(await broker.post("/kbs/v0/attest", good, cookie: session).status == 200)
            #expect(await broker.post("/kbs/v0/attest", good, cookie: session).status == 401)
            expected = "attest/replayed_nonce"
        case .badSignature:
            #expect(await broker.post("/kbs/v0/attest", try Self.tampered(broker, nonce: challenge.nonce).jsonBytes(), cookie: session).status == 401)
            #expect(broker.audit.all.last?.reasons.contains { $0.contains("signature") } == true, "\(broker.audit.all.last?.reasons ?? [])")
            expected = "attest/bad_signature"
        case .untrustedRoot:
            let foreign = try broker.attestation(nonce: challenge.nonce, from: SharedSimulator.otherProcessor())
            #expect(await broker.post("/kbs/v0/attest", try foreign.jsonBytes(), cookie: session).status == 401)
            expected = "attest/bad_signature"
        case .bindingMismatch:
            var attestation = try broker.attestation(nonce: challenge.nonce)
            attestation.runtimeData.teePubkey = .p256(x: [UInt8](repeating: 0x33, count: 32), y: [UInt8](repeating: 0x44, count: 32))
            #expect(await broker.post("/kbs/v0/attest", try attestation.jsonBytes(), cookie: session).status == 401)
            expected = "attest/binding_mismatch"
        case .noSession:
            #expect(await broker.post("/kbs/v0/attest", good, cookie: "0123456789abcdef0123456789abcdef").status == 401)
            expected = "attest/no_session"
        case .policyMismatch:
            #expect(await broker.post("/kbs/v0/attest", good, cookie: session).status == 200)
            #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 401)
            expected = "resource/policy_mismatch"
        case .unknownResource:
            #expect(await broker.post("/kbs/v0/attest", good, cookie: session).status == 200)
            #expect(await broker.get("/kbs/v0/resource/default/disk/nothing", cookie: session).status == 401)
            expected = "resource/unknown_resource"
        }
        #expect(await Self.refusals(broker) == [expected: 1], "\(refusal)")
        #expect(broker.service.metrics.refusals(String(expected.prefix { $0 != "/" }), RefusalReason(rawValue: String(expected.split(separator: "/")[1]))!) == 1)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }

    /// Label values are escaped as the exposition format requires (backslash, quote, line feed):
    /// a value cannot end its label or forge another series.
    @Test func labelValuesAreEscaped() {
        let metrics = BrokerMetrics()
        metrics.count("we\"ird\\end\npoint", "ok:fine")
        let text = metrics.prometheusText(sessions: 3, expired: 2)
        #expect(text.contains(#"guestguard_broker_requests_total{endpoint="we\"ird\\end\npoint",outcome="ok:fine"} 1"#), "\(text)")
        #expect(!text.contains("\npoint"))
        #expect(text.contains("guestguard_broker_sessions 3"))
        #expect(text.contains("guestguard_broker_sessions_expired_total 2"))
        // A running total from the store is added once, not again at the next scrape.
        #expect(metrics.prometheusText(sessions: 0, expired: 2).contains("guestguard_broker_sessions_expired_total 2"))
        #expect(metrics.prometheusText(sessions: 0, expired: 5).contains("guestguard_broker_sessions_expired_total 5"))
    }
}

/// AMD's CRL on the `cert_chain` path: a CRL in the store (signed by the ARK with Python's
/// `cryptography`) that lists the chain's ASK refuses the evidence, on both stores; one that does
/// not list it, or is not signed by the chain's ARK, does not.
@Suite struct BrokerCertChainRevocationTests {
    enum Listed: String, CaseIterable { case ask, neither, forged }

    @Test(arguments: BrokerBackend.allCases, Listed.allCases) func aCRLInTheStoreIsCheckedOnTheCertChainPath(backend: BrokerBackend, listed: Listed) async throws {
        let simulator = try KDSSimulator.processor()
        let broker = try await backend.harness(policy: { _ in simulator.examplePolicy })
        let serial: [String]
        switch listed {
        case .ask: serial = ["0x" + simulator.ask.serialNumber.magnitude.hexString]
        case .neither: serial = ["0x7777"]
        case .forged: serial = ["0x" + simulator.ask.serialNumber.magnitude.hexString]
        }
        var forger: String?
        if listed == .forged {
            forger = KDSSimulator.tree.root + "/forger-cert-chain.pem"
            _ = KDSSimulator.tree.write("/forger-cert-chain.pem", try RSAPrivateKey(bits: 2048).pkcs8PEM())
        }
        let crl = try KDSSimulator.revocationList(daysValid: 7, revoking: serial, signedWith: forger)
        try await broker.storage.storeKDSDocument(crl, named: KDSDocument.revocationList(simulator.settings.generation).cacheName)
        let (session, challenge) = try await broker.auth()
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce, from: simulator).jsonBytes(), cookie: session)
        switch listed {
        case .ask:
            #expect(attested.status == 401)
            #expect(broker.audit.all.last?.reasons.first?.contains("the evidence's SEV-Milan is revoked by the CRL of ARK-Milan") == true,
                    "\(broker.audit.all.last?.reasons ?? [])")
            #expect(broker.service.metrics.refusals("attest", .revoked) == 1)
            #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 401)
            #expect(broker.sealer.released.withLock { $0.isEmpty })
        case .neither, .forged:
            #expect(attested.status == 200, "\(String(decoding: attested.body, as: UTF8.self))")
            #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 200)
        }
    }
}
