import AMDCertificateProfile
import Foundation
import GuestGuardLinuxProcesses
import GuestGuardCrypto
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardTestSupport
import KDSCollateral
import KeyBrokerTestSupport
import SNPABI
import Testing

/// Fetching from a loopback stand-in serving AMD's real certificates at KDS's real paths.
@Suite struct KDSRealCertificateTests {
    static let milanTCB: UInt64 = 0x4405_0000_0000_0002

    func milanIdentity(tcb: UInt64 = milanTCB) throws -> VCEKIdentity {
        let report = try AttestationReport(bytes: try Fixture.bytes("milan-attestation.bin"))
        return try VCEKIdentity(generation: .milan, chipID: report.chipID, reportedTCB: tcb)
    }

    @Test func milanVCEKAtTheRightTCBIsServedAndCheckedAgainstTheRealASK() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let identity = try milanIdentity()
        kds.set("/vcek/v1/Milan/cert_chain", .serve(try Fixture.bytes("milan-cert_chain.pem")))
        kds.set(KDSDocument.vcek(identity).path, .serve(try Fixture.bytes("milan-vcek.der")))
        let provider = try makeProvider(kds.baseURL)
        let chain = try await provider.certificateChain(.milan)
        #expect(chain.ask.subjectCommonName == "SEV-Milan" && chain.ark.subjectCommonName == "ARK-Milan")
        let vcek = try await provider.vcek(for: identity, issuedBy: chain.ask)
        #expect(vcek.derBytes == (try Fixture.bytes("milan-vcek.der")))
        // The wrong TCB is another URL: KDS (and the stand-in) answer 404, which is final.
        let wrong = try milanIdentity(tcb: 0x4405_0000_0000_0003)
        await #expect(throws: KDSError.notFound(.vcek(wrong))) { try await provider.vcek(for: wrong, issuedBy: chain.ask) }
        #expect(kds.requests(KDSDocument.vcek(wrong).path) == 1)
    }

    @Test func genoaV3AndTurinVCEKsAreNamedAndCheckedByTheirProducts() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let genoa = try VCEKIdentity(report: try AttestationReport(bytes: try Fixture.bytes("genoa-report-v3.bin")))
        kds.set("/vcek/v1/Genoa/cert_chain", .serve(try Fixture.bytes("genoa-cert_chain.pem")))
        kds.set(KDSDocument.vcek(genoa).path, .serve(try Fixture.bytes("genoa-vcek.der")))
        let turinTCB = TCBVersion(bootLoader: 0, tee: 0, snp: 0, microcode: 9, fmc: 0, generation: .turin)
        let turin = try VCEKIdentity(generation: .turin, chipID: Hex.decode("1e550a8ee5cf9f4d")!, reportedTCB: turinTCB.rawValue)
        kds.set("/vcek/v1/Turin/cert_chain", .serve(try Fixture.bytes("turin-cert_chain.pem")))
        kds.set("/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=00&blSPL=00&teeSPL=00&snpSPL=00&ucodeSPL=09", .serve(try Fixture.bytes("turin-vcek.der")))
        let provider = try makeProvider(kds.baseURL)
        let genoaChain = try await provider.certificateChain(.genoa)
        #expect(try await provider.vcek(for: genoa, issuedBy: genoaChain.ask).derBytes == (try Fixture.bytes("genoa-vcek.der")))
        let turinChain = try await provider.certificateChain(.turin)
        #expect(try await provider.vcek(for: turin, issuedBy: turinChain.ask).derBytes == (try Fixture.bytes("turin-vcek.der")))
    }

    /// A mirror serving garbage, another chip's VCEK or a chain of the wrong product: refused, not cached.
    @Test func garbageAndWrongDocumentsAreRefusedAndNeverCached() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let identity = try milanIdentity()
        let path = KDSDocument.vcek(identity).path
        let cache = InMemoryKDSCache()
        kds.set("/vcek/v1/Milan/cert_chain", .serve(try Fixture.bytes("milan-cert_chain.pem")))
        kds.set("/vcek/v1/Genoa/cert_chain", .serve(try Fixture.bytes("milan-cert_chain.pem")))
        kds.set(path, .serve(Array("<html>surprise</html>".utf8)))
        let provider = try makeProvider(kds.baseURL, cache: cache)
        let chain = try await provider.certificateChain(.milan)
        for _ in 0..<2 {
            await #expect { try await provider.vcek(for: identity, issuedBy: chain.ask) } throws: { error in
                guard case KDSError.malformed(.vcek(identity), _) = error else { return false }
                return !(error as! KDSError).isRetryable
            }
        }
        #expect(kds.requests(path) == 2)
        #expect(cache.documents.withLock { $0[KDSDocument.vcek(identity).cacheName] } == nil)
        // Another chip's real VCEK at this chip's path: its hwID gives it away.
        kds.set(path, .serve(try Fixture.bytes("genoa-vcek.der")))
        await #expect { try await provider.vcek(for: identity, issuedBy: chain.ask) } throws: { error in
            if case KDSError.malformed(_, let reason) = error { return reason.contains("hwID") }
            return false
        }
        await #expect { try await provider.certificateChain(.genoa) } throws: { error in
            if case KDSError.malformed(.certificateChain(.genoa), _) = error { return true }
            return false
        }
    }

    @Test func tooManyRequestsIsHonouredThenServed() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        kds.set("/vcek/v1/Milan/cert_chain", .tooManyRequests(retryAfter: 1, times: 1, then: try Fixture.bytes("milan-cert_chain.pem")))
        let provider = try makeProvider(kds.baseURL)
        let chain = try await provider.certificateChain(.milan)
        #expect(chain.ark.subjectCommonName == "ARK-Milan")
        #expect(kds.requests("/vcek/v1/Milan/cert_chain") == 2)
        #expect(provider.client.requestCount == 2)
    }

    /// A Retry-After beyond what one handshake may wait: no retry, and the caller learns when to come back.
    @Test func aLongRetryAfterEndsTheFetchAsRetryableWithThatDelay() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        kds.set("/vcek/v1/Genoa/cert_chain", .tooManyRequests(retryAfter: 3_600, times: 10, then: []))
        let provider = try makeProvider(kds.baseURL, attempts: 3)
        await #expect { try await provider.certificateChain(.genoa) } throws: { error in
            guard let error = error as? KDSError else { return false }
            return error.isRetryable && error.retryAfterSeconds == 3_600
        }
        #expect(kds.requests("/vcek/v1/Genoa/cert_chain") == 1)
        // The hold-off applies to every document: the next request does not even go out.
        await #expect(throws: KDSError.self) { try await provider.certificateChain(.milan) }
        #expect(kds.requests("/vcek/v1/Milan/cert_chain") == 0)
    }

    @Test func aSlowKDSTimesOutAsRetryable() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        kds.set("/vcek/v1/Milan/cert_chain", .slow(milliseconds: 3_000, try Fixture.bytes("milan-cert_chain.pem")))
        let provider = try makeProvider(kds.baseURL, attempts: 1, timeout: .milliseconds(300))
        await #expect { try await provider.certificateChain(.milan) } throws: { ($0 as? KDSError)?.isRetryable == true }
    }

    @Test func aKDSThatIsDownIsRetryable() async throws {
        let kds = try await KDSStandIn.start()
        let base = kds.baseURL
        await kds.stop()
        let provider = try makeProvider(base, attempts: 2)
        await #expect { try await provider.certificateChain(.milan) } throws: { ($0 as? KDSError)?.isRetryable == true }
    }

    /// N concurrent requests for one VCEK: one request reaches KDS, all get the VCEK.
    @Test func concurrentRequestsForOneVCEKFetchOnce() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let identity = try milanIdentity()
        let path = KDSDocument.vcek(identity).path
        let cache = InMemoryKDSCache()
        kds.set("/vcek/v1/Milan/cert_chain", .serve(try Fixture.bytes("milan-cert_chain.pem")))
        kds.set(path, .slow(milliseconds: 500, try Fixture.bytes("milan-vcek.der")))
        let provider = try makeProvider(kds.baseURL, cache: cache)
        let chain = try await provider.certificateChain(.milan)
        let results = await withTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<32 { group.addTask { try? await provider.vcek(for: identity, issuedBy: chain.ask).derBytes } }
            var all: [[UInt8]?] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32 && results.allSatisfy { $0 == (try? Fixture.bytes("milan-vcek.der")) })
        #expect(kds.requests(path) == 1)
        #expect(cache.documents.withLock { $0[KDSDocument.vcek(identity).cacheName] } != nil)
        // A new process (new provider) with the same cache does not ask KDS again.
        await kds.stop()
        let restarted = try makeProvider(kds.baseURL, cache: cache, attempts: 1)
        let again = try await restarted.vcek(for: identity, issuedBy: try await restarted.certificateChain(.milan).ask)
        #expect(again.derBytes == (try Fixture.bytes("milan-vcek.der")))
    }
}

/// The CRL: signed by the ARK (RSASSA-PSS, by the Python peer), current, and revoking the ASK or not.
@Suite struct KDSRevocationTests {
    func serve(_ kds: KDSStandIn, crl: [UInt8]) throws -> VCEKIdentity {
        try KDSSimulator.serve(kds, crl: crl)
        return try KDSSimulator.identity()
    }

    @Test func aCurrentCRLThatRevokesNothingPasses() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let identity = try serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7, revoking: ["0x424242"]))
        let collateral = try await makeProvider(kds.baseURL).collateral(for: identity)
        #expect(collateral.vcek.derBytes == (try KDSSimulator.processor().vcek.derBytes))
        #expect(collateral.revocationList.nextUpdate != nil)
    }

    @Test func aCRLThatRevokesTheASKRefuses() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let serial = "0x" + (try KDSSimulator.processor().ask.serialNumber.magnitude.hexString)
        let identity = try serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7, revoking: [serial]))
        await #expect(throws: KDSError.revoked(certificate: "SEV-Milan", by: "ARK-Milan")) { try await makeProvider(kds.baseURL).collateral(for: identity) }
    }

    @Test func aForgedOrStaleCRLCannotClearAnything() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let forger = KDSSimulator.tree.root + "/forger.pem"
        _ = KDSSimulator.tree.write("/forger.pem", try RSAPrivateKey(bits: 2048).pkcs8PEM())
        let identity = try serve(kds, crl: try KDSSimulator.revocationList(daysValid: 7, signedWith: forger))
        await #expect { try await makeProvider(kds.baseURL).collateral(for: identity) } throws: { error in
            if case KDSError.revocationUnverifiable(let reason) = error { return reason.contains("signature") }
            return false
        }
        kds.set("/vcek/v1/Milan/crl", .serve(try KDSSimulator.revocationList(daysValid: -1)))
        await #expect { try await makeProvider(kds.baseURL).collateral(for: identity) } throws: { error in
            if case KDSError.revocationUnverifiable(let reason) = error { return reason.contains("not current") }
            return false
        }
        // Signed by the right ARK key, but with PKCS#1 v1.5: outside AMD's profile, so not accepted.
        kds.set("/vcek/v1/Milan/crl", .serve(try KDSSimulator.revocationList(daysValid: 7, pkcs1: true)))
        await #expect { try await makeProvider(kds.baseURL).collateral(for: identity) } throws: { error in
            if case KDSError.revocationUnverifiable(let reason) = error { return reason.contains("not RSASSA-PSS") }
            return false
        }
        kds.set("/vcek/v1/Milan/crl", .serve([0x30, 0x03, 0x02, 0x01, 0x00]))
        await #expect { try await makeProvider(kds.baseURL).collateral(for: identity) } throws: { error in
            if case KDSError.malformed(.revocationList(.milan), _) = error { return true }
            return false
        }
    }
}

extension KDSRevocationTests {
    /// The cache holds a stale CRL; KDS answers with a current one of a later thisUpdate but a
    /// lower cRLNumber: refused as a rollback naming both, and not cached. A higher number is taken.
    @Test func aFetchedCRLWithALowerNumberThanTheCachedOneIsRefused() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let lower = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 1, number: 3)
        let identity = try serve(kds, crl: lower)
        let cache = InMemoryKDSCache()
        let stale = try KDSSimulator.revocationList(daysValid: -1, issuedDaysAgo: 5, number: 9)
        try await cache.storeKDSDocument(stale, named: "crl-Milan")
        let expected = KDSError.revocationRollback(.revocationList(.milan), held: try X509RevocationList(derEncoded: stale).version,
                                                   offered: try X509RevocationList(derEncoded: lower).version)
        await #expect(throws: expected) { try await makeProvider(kds.baseURL, cache: cache).collateral(for: identity) }
        #expect(expected.description.contains("CRL number 9") && expected.description.contains("CRL number 3"))
        #expect(try await cache.cachedKDSDocument(named: "crl-Milan") == stale)
        let higher = try KDSSimulator.revocationList(daysValid: 7, issuedDaysAgo: 1, number: 10)
        kds.set("/vcek/v1/Milan/crl", .serve(higher))
        #expect(try await makeProvider(kds.baseURL, cache: cache).collateral(for: identity).revocationList.number == [10])
        #expect(try await cache.cachedKDSDocument(named: "crl-Milan") == higher)
    }
}

/// An https KDS is reached with normal CA verification: the server's chain must verify to the CA
/// bundle and name the host; any other server is not talked to.
@Suite struct KDSTransportTests {
    /// A self-signed certificate for 127.0.0.1 (its own CA) and its key, by the openssl CLI.
    static func identity(_ name: String) throws -> (certificate: String, key: String) {
        let directory = TemporaryFileTree.shared.directory("kds-tls")
        let (certificate, key) = (directory + "/\(name).pem", directory + "/\(name).key")
        let made = try ProgramRunner(timeout: .seconds(120)).run(
            "/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate,
                                 "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1"])
        guard made.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: made.standardError]) }
        return (certificate, key)
    }

    @Test func httpsNeedsTheServerToChainToTheCABundle() async throws {
        let server = try Self.identity("kds")
        let kds = try await KDSStandIn.start(tls: try TLSServerConfiguration(certificateChainFile: server.certificate, privateKeyFile: server.key))
        defer { Task { await kds.stop() } }
        kds.set("/vcek/v1/Milan/cert_chain", .serve(try Fixture.bytes("milan-cert_chain.pem")))
        #expect(kds.baseURL.hasPrefix("https://"))
        let trusted = KDSCollateralProvider(
            client: try KDSClient(configuration: KDSConfiguration(baseURL: kds.baseURL, caFile: server.certificate, retry: .once),
                                  clock: SystemClock(), random: GetrandomSource()), cache: nil, clock: SystemClock())
        #expect(try await trusted.certificateChain(.milan).ark.subjectCommonName == "ARK-Milan")
        let other = try Self.identity("other")
        let untrusting = KDSCollateralProvider(
            client: try KDSClient(configuration: KDSConfiguration(baseURL: kds.baseURL, caFile: other.certificate, retry: .once),
                                  clock: SystemClock(), random: GetrandomSource()), cache: nil, clock: SystemClock())
        await #expect { try await untrusting.certificateChain(.milan) } throws: { error in
            guard case KDSError.unavailable(_, let reason, _) = error else { return false }
            return reason.lowercased().contains("certificate") || reason.lowercased().contains("verif")
        }
        #expect(kds.requests("/vcek/v1/Milan/cert_chain") == 1, "the untrusted handshake never sent the request")
        #expect(throws: KDSError.self) {
            try KDSClient(configuration: KDSConfiguration(baseURL: kds.baseURL, caFile: "/nonexistent/ca.pem"), clock: SystemClock(), random: GetrandomSource())
        }
    }
}
