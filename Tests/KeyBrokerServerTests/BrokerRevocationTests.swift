import AMDCertificateProfile
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import KDSCollateral
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// AMD's CRL on the `cert_chain` path: the evidence carries its ASK and VCEK; the broker checks the
/// ASK against the product's CRL from its store (`crl import`) or, when that one is missing or
/// stale, from a loopback stand-in for KDS. CRLs are signed by Python's `cryptography` with the
/// simulator's ARK key (or a forger's).
@Suite struct BrokerRevocationTests {
    /// A broker trusting the KDS simulator, its clock at the real time (the CRLs are made now).
    static func broker(_ backend: BrokerBackend = .embedded, kds baseURL: String? = nil, revocation: RevocationMode) async throws -> BrokerHarness {
        let simulator = try KDSSimulator.processor()
        let broker = try await backend.harness(policy: { _ in simulator.examplePolicy }, kds: try baseURL.map { BrokerKDSTests.kds($0, revocationIssuers: [try KDSSimulator.processor().ark]) }, revocation: revocation)
        broker.clock.advance(by: .seconds(SystemClock().now().seconds - broker.clock.now().seconds))
        return broker
    }

    /// /auth, /attest with the simulator's cert_chain (ARK, ASK, VCEK), /resource when attested.
    static func handshake(_ broker: BrokerHarness) async throws -> (attest: BrokerResponse, resource: BrokerResponse?) {
        let (id, challenge) = try await broker.auth()
        let attestation = try broker.attestation(nonce: challenge.nonce, from: try KDSSimulator.processor())
        let attest = await broker.post("/kbs/v0/attest", try attestation.jsonBytes(), cookie: id)
        guard attest.status == 200 else { return (attest, nil) }
        return (attest, await broker.get("/kbs/v0/resource/default/disk/root", cookie: id))
    }

    static func import_(_ crl: [UInt8], into broker: BrokerHarness) async throws {
        try await RevocationListImport.run(crl, product: nil, ark: try KDSSimulator.processor().ark, into: broker.storage, now: broker.clock.now().seconds)
    }

    static var askSerial: String { get throws { "0x" + (try KDSSimulator.processor()).ask.serialNumber.magnitude.hexString } }

    static func forger() throws -> String {
        let path = KDSSimulator.tree.root + "/revocation-forger.pem"
        _ = KDSSimulator.tree.write("/revocation-forger.pem", try RSAPrivateKey(bits: 2048).pkcs8PEM())
        return path
    }

    /// AMD's CRL lists ASKs (what the ARK issued); a VCEK under a revoked ASK is refused, on either store.
    @Test(arguments: BrokerBackend.allCases) func aVCEKUnderARevokedASKIsRefused(backend: BrokerBackend) async throws {
        let broker = try await Self.broker(backend, revocation: .bestEffort)
        try await Self.import_(try KDSSimulator.revocationList(daysValid: 7, revoking: [try Self.askSerial]), into: broker)
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 401)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
        #expect(broker.audit.lines.contains("SEV-Milan is revoked by the CRL of ARK-Milan"))
        #expect(broker.service.metrics.refusals("attest", .revoked) == 1)
    }

    /// The same CRL without the ASK on it: released, with revocation required.
    @Test(arguments: BrokerBackend.allCases) func aCurrentCRLThatDoesNotListTheASKReleases(backend: BrokerBackend) async throws {
        let broker = try await Self.broker(backend, revocation: .required)
        try await Self.import_(try KDSSimulator.revocationList(daysValid: 7, revoking: ["0x4242"]), into: broker)
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 200, "\(String(decoding: outcome.attest.body, as: UTF8.self))")
        #expect(outcome.resource?.status == 200)
        #expect(broker.sealer.released.withLock { $0.map { $0.key } } == [broker.diskKey])
    }

    /// A stored CRL past its nextUpdate is fetched again from KDS; the fresh one (which lists the
    /// ASK) decides, and replaces the stale one in the store.
    @Test func aStaleCRLIsFetchedAgain() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let fresh = try KDSSimulator.revocationList(daysValid: 7, revoking: [try Self.askSerial])
        try KDSSimulator.serve(kds, crl: fresh)
        let broker = try await Self.broker(kds: kds.baseURL, revocation: .required)
        try await broker.storage.storeKDSDocument(try KDSSimulator.revocationList(daysValid: -1), named: "crl-Milan")
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 401)
        #expect(broker.audit.lines.contains("is revoked by the CRL of ARK-Milan"))
        #expect(kds.requests("/vcek/v1/Milan/crl") == 1)
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == fresh)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }

    /// A CRL not signed by the ARK: `crl import` refuses it; one in the store (or from KDS) is not
    /// believed — required revocation answers 503 and releases nothing; best effort ignores its
    /// "revocation" (it proves nothing) and counts the handshake as unchecked.
    @Test func aForgedCRLIsRefused() async throws {
        let forged = try KDSSimulator.revocationList(daysValid: 7, revoking: [try Self.askSerial], signedWith: try Self.forger())
        let required = try await Self.broker(revocation: .required)
        await #expect { try await Self.import_(forged, into: required) } throws: { "\($0)".contains("signature") }
        #expect(try await required.storage.kdsDocument(named: "crl-Milan") == nil)
        try await required.storage.storeKDSDocument(forged, named: "crl-Milan")
        let refused = try await Self.handshake(required)
        #expect(refused.attest.status == 503)
        #expect(refused.attest.headers.contains { $0.name == "Retry-After" })
        #expect(required.audit.lines.contains("signature does not verify"))
        #expect(required.service.metrics.refusals("attest", .revocationUnavailable) == 1)
        #expect(required.sealer.released.withLock { $0.isEmpty })

        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        try KDSSimulator.serve(kds, crl: forged)
        let fromKDS = try await Self.broker(kds: kds.baseURL, revocation: .required)
        #expect(try await Self.handshake(fromKDS).attest.status == 503)
        #expect(fromKDS.sealer.released.withLock { $0.isEmpty })

        let bestEffort = try await Self.broker(kds: kds.baseURL, revocation: .bestEffort)
        let outcome = try await Self.handshake(bestEffort)
        #expect(outcome.resource?.status == 200)
        #expect(bestEffort.service.metrics.value("attest", "revocation_unchecked") == 1)
    }

    /// `crl import` refuses an expired CRL and keeps what the store held.
    @Test func anExpiredCRLIsNotImported() async throws {
        let broker = try await Self.broker(revocation: .required)
        let current = try KDSSimulator.revocationList(daysValid: 7)
        try await Self.import_(current, into: broker)
        await #expect { try await Self.import_(try KDSSimulator.revocationList(daysValid: -1), into: broker) } throws: { "\($0)".contains("not current") }
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == current)
    }

    /// `crl import` refuses a CRL older than the stored one — an earlier thisUpdate, or a lower
    /// cRLNumber — with both versions named, and keeps the stored one; a newer one replaces it.
    /// On either store.
    @Test(arguments: BrokerBackend.allCases) func anOlderCRLIsNotImported(backend: BrokerBackend) async throws {
        let broker = try await Self.broker(backend, revocation: .required)
        let held = try KDSSimulator.revocationList(daysValid: 7, revoking: [try Self.askSerial], issuedDaysAgo: 2, number: 5)
        try await Self.import_(held, into: broker)
        let heldVersion = try X509RevocationList(derEncoded: held).version
        let earlier = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 3, number: 6)
        let lowerNumber = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 1, number: 4)
        for older in [earlier, lowerNumber] {
            let offered = try X509RevocationList(derEncoded: older).version
            await #expect(throws: RevocationImportError.older(product: "Milan", held: heldVersion, offered: offered)) { try await Self.import_(older, into: broker) }
            #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == held)
        }
        let message = RevocationImportError.older(product: "Milan", held: heldVersion, offered: try X509RevocationList(derEncoded: lowerNumber).version).description
        #expect(message.contains("CRL number 5") && message.contains("CRL number 4") && message.contains("thisUpdate \(heldVersion.thisUpdate)"), "\(message)")
        // The stored CRL (which revokes the ASK) still decides.
        #expect(try await Self.handshake(broker).attest.status == 401)
        let newer = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 1, number: 7)
        try await Self.import_(newer, into: broker)
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == newer)
    }

    /// A stale CRL in the store and a KDS (or mirror) answering with an older one that is still
    /// inside its own validity: refused and not stored, so with revocation required there is no
    /// current CRL (503, nothing released; taken, it would have let the key out). On either store.
    @Test(arguments: BrokerBackend.allCases) func anOlderCRLFromKDSIsRefusedAndNotStored(backend: BrokerBackend) async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let older = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 20, number: 8)
        try KDSSimulator.serve(kds, crl: older)
        let broker = try await Self.broker(backend, kds: kds.baseURL, revocation: .required)
        let stale = try KDSSimulator.revocationList(daysValid: -1, issuedDaysAgo: 10, number: 9)
        try await broker.storage.storeKDSDocument(stale, named: "crl-Milan")
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 503, "\(String(decoding: outcome.attest.body, as: UTF8.self))")
        #expect(kds.requests("/vcek/v1/Milan/crl") == 1)
        #expect(broker.audit.lines.contains("is older than the one held"), "\(broker.audit.lines)")
        #expect(try await broker.storage.kdsDocument(named: "crl-Milan") == stale)
        #expect(broker.sealer.released.withLock { $0.isEmpty })
    }

    /// KDS down, a current CRL in the store: revocation is checked and the key released.
    @Test func kdsDownWithAStoredCurrentCRLStillReleases() async throws {
        let kds = try await KDSStandIn.start()
        await kds.stop()
        let broker = try await Self.broker(kds: kds.baseURL, revocation: .required)
        try await Self.import_(try KDSSimulator.revocationList(daysValid: 7), into: broker)
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 200, "\(String(decoding: outcome.attest.body, as: UTF8.self))")
        #expect(outcome.resource?.status == 200)
        #expect(broker.service.metrics.value("kds", "unavailable") == 0)
    }

    /// KDS down and no CRL: required revocation gives a retryable 503 naming the CRL, nothing
    /// released; once KDS is back (after the Retry-After) the guest's retry succeeds. Best effort goes on.
    @Test func kdsDownAndNoCRLWithRevocationRequiredIsRetryable() async throws {
        let kds = try await KDSStandIn.start()
        await kds.stop()
        let broker = try await Self.broker(kds: kds.baseURL, revocation: .required)
        let outcome = try await Self.handshake(broker)
        #expect(outcome.attest.status == 503)
        let retry = outcome.attest.headers.first { $0.name == "Retry-After" }.flatMap { Int($0.value) }
        #expect(retry != nil)
        #expect(try ProblemDetails(jsonBytes: outcome.attest.body).detail.contains("CRL"))
        #expect(broker.audit.lines.contains("KDS unavailable"))
        #expect(broker.service.metrics.refusals("attest", .revocationUnavailable) == 1)
        #expect(broker.sealer.released.withLock { $0.isEmpty })

        let bestEffort = try await Self.broker(kds: kds.baseURL, revocation: .bestEffort)
        #expect(try await Self.handshake(bestEffort).resource?.status == 200)
        #expect(bestEffort.service.metrics.value("attest", "revocation_unchecked") == 1)
    }
}
