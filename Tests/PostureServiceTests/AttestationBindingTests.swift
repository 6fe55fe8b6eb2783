import CanonicalJSON
import GuestGuardAppraisal
import GuestGuardCore
import GuestGuardPosture
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import PostureService
import SNPABI
import SNPPolicy
import Testing

/// `/v1/attestation` against the simulated secure processor: the tenant's verifier accepts the
/// genuine answer and catches every tampering.
@Suite(.serialized) struct AttestationBindingTests {
    static let verifyTime: Int64 = 1_795_000_100

    struct Fetched {
        let body: [UInt8]
        let nonce: [UInt8]
        let verifier: PostureAttestationVerifier
        let snapshot: PostureSnapshot
    }

    /// One genuine exchange with a daemon serving `states`.
    static func fetch(_ states: [PostureState] = [.ok, .ok], accepting: PostureState = .ok) async throws -> Fetched {
        let snapshot = PostureSnapshot(report: PostureFixtures.report(states))
        let daemon = try await TestDaemon(source: InMemoryPostureSource(snapshot))
        let policy = try SNPVerificationPolicy(parsing: daemon.processor.examplePolicy, fileName: "simulator-policy.toml")
        let verifier = PostureAttestationVerifier(appraiser: try ReportAppraiser(policy: policy), acceptedPosture: accepting)
        let nonce = try GetrandomSource().bytes(32)
        let client = try HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(20)))
        let url = try HTTPURL(daemon.baseURL + PostureEndpointPaths.attestation(base: "/", nonce: nonce))
        let response = try await client.execute(HTTPClientRequest(method: .get, url: url))
        client.shutdown()
        try await daemon.stop()
        #expect(response.status == .ok)
        #expect(response.headers["content-type"] == "application/json")
        return Fetched(body: response.body, nonce: nonce, verifier: verifier, snapshot: snapshot)
    }

    static func failed(_ result: PostureVerification) -> Set<String> { Set(result.checks.filter { !$0.passed }.map(\.name)) }

    @Test func genuineResponseVerifies() async throws {
        let fetched = try await Self.fetch()
        let result = fetched.verifier.verify(body: fetched.body, nonce: fetched.nonce, at: Self.verifyTime)
        #expect(result.passed, "\(result.lines)")
        #expect(result.appraisal?.passed == true)
        #expect(Set(result.checks.map(\.name)) == ["nonce", "binding", "document", "posture"])
        let response = try PostureAttestationResponse(parsing: fetched.body)
        #expect(response.document == (try fetched.snapshot.document.canonicalBytes()))
        #expect(response.provider == "simulator")
        #expect(response.certificateTable != nil)
        #expect(result.json["verified"]?.boolValue == true)
    }

    @Test func reportDataMatchesAnIndependentComputation() async throws {
        let fetched = try await Self.fetch()
        let response = try PostureAttestationResponse(parsing: fetched.body)
        let report = try AttestationReport(bytes: response.report)
        let script = """
            import hashlib, sys
            nonce = bytes.fromhex(sys.argv[1]); document = sys.stdin.buffer.read()
            print((hashlib.sha384(nonce + hashlib.sha384(document).digest()).digest() + bytes(16)).hex())
            """
        let expected = try PythonPeer.run(script, arguments: [Hex.encode(fetched.nonce)], input: response.document)
        #expect(Hex.encode(report.reportData) == expected.filter { !$0.isWhitespace })
        #expect(try AttestationBinding.reportData(nonce: fetched.nonce, document: response.document) == report.reportData)
    }

    @Test func anotherNonceIsCaught() async throws {
        let fetched = try await Self.fetch()
        var other = fetched.nonce
        other[0] ^= 1
        let result = fetched.verifier.verify(body: fetched.body, nonce: other, at: Self.verifyTime)
        #expect(!result.passed)
        #expect(Self.failed(result) == ["nonce", "binding"])
        #expect(result.appraisal?.passed == true)  // the report itself is genuine
    }

    @Test func anAlteredDocumentIsCaught() async throws {
        let fetched = try await Self.fetch([.ok, .fail], accepting: .fail)
        let original = try PostureAttestationResponse(parsing: fetched.body)
        // The hypervisor rewrites the document to claim a clean posture (still canonical JSON).
        var document = try JSONParser.parse(original.document)
        guard case .object(var members) = document else { Issue.record("document is not an object"); return }
        members["overall"] = "ok"
        document = .object(members)
        let forged = PostureAttestationResponse(nonce: original.nonce, report: original.report, certificateTable: original.certificateTable,
                                                provider: original.provider, document: try document.canonicalBytes())
        let body = try forged.json(documentDigest: try AttestationBinding.documentDigest(forged.document)).canonicalBytes()
        let result = fetched.verifier.verify(body: body, nonce: fetched.nonce, at: Self.verifyTime)
        #expect(!result.passed)
        #expect(Self.failed(result) == ["binding"])
        // Unaltered, the same response passes when a failing posture is accepted.
        #expect(fetched.verifier.verify(body: fetched.body, nonce: fetched.nonce, at: Self.verifyTime).passed)
    }

    @Test func anAlteredReportIsCaught() async throws {
        let fetched = try await Self.fetch()
        let original = try PostureAttestationResponse(parsing: fetched.body)
        var report = original.report
        report[0x90] ^= 0xFF  // MEASUREMENT
        let forged = PostureAttestationResponse(nonce: original.nonce, report: report, certificateTable: original.certificateTable,
                                                provider: original.provider, document: original.document)
        let body = try forged.json(documentDigest: try AttestationBinding.documentDigest(original.document)).canonicalBytes()
        let result = fetched.verifier.verify(body: body, nonce: fetched.nonce, at: Self.verifyTime)
        #expect(!result.passed)
        #expect(result.appraisal?.passed == false)
        #expect(result.lines.contains { $0.hasPrefix("FAIL report-signature") })
    }

    @Test func aFailingPostureFailsUnlessAccepted() async throws {
        let fetched = try await Self.fetch([.ok, .warn])
        let result = fetched.verifier.verify(body: fetched.body, nonce: fetched.nonce, at: Self.verifyTime)
        #expect(Self.failed(result) == ["posture"])
        #expect(result.checks.first { $0.name == "posture" }?.detail.contains("item-1: warn") == true)
        let lenient = PostureAttestationVerifier(appraiser: fetched.verifier.appraiser, acceptedPosture: .warn)
        #expect(lenient.verify(body: fetched.body, nonce: fetched.nonce, at: Self.verifyTime).passed)
    }

    @Test(arguments: ["", "{}", "[1]", "{\"schema\":\"guestguard.posture-attestation/v1\",\"nonce\":\"A=\"}", "not json"])
    func unreadableResponsesFail(body: String) {
        let appraiser = try! ReportAppraiser(policy: nil)
        let result = PostureAttestationVerifier(appraiser: appraiser).verify(body: Array(body.utf8), nonce: [1, 2, 3], at: Self.verifyTime)
        #expect(!result.passed)
        #expect(Self.failed(result) == ["response"])
    }

    @Test func aFailingSecureProcessorGives503() async throws {
        let daemon = try await TestDaemon(source: InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok]))),
                                          provider: FailingReportProvider())
        let response = await daemon.tcp.get("/v1/attestation?nonce=" + Base64URL.encode([UInt8](repeating: 9, count: 20)))
        #expect(RawHTTP.status(response) == 503)
        #expect(!response.contains("EIO"))  // details stay in the log
        #expect(RawHTTP.status(await daemon.tcp.get("/healthz")) == 200)
        try await daemon.stop()
    }
}

/// A provider whose secure processor always fails.
struct FailingReportProvider: AttestationReportProvider {
    func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        throw .system(.sevGuestDevice, PlatformError(operation: "ioctl(SNP_GET_EXT_REPORT)", errno: 5))
    }
}
