import CanonicalJSON
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTPM
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerPostgresTestSupport
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// The guest client with a swtpm quote against the real broker service (in process, real JWE,
/// simulated SNP reports): the quote is verified; tampering is refused with a named reason.
@Suite(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
struct BrokerTPMEvidenceTests {
    /// Hands requests straight to the broker service.
    struct DirectTransport: KBSTransport {
        let service: KeyBrokerService
        func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
            let answer = service.handleBlocking(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
            return KBSHTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
        }
    }

    /// Alters the quote evidence after the TPM made it, as a compromised guest or a relay would.
    struct TamperingProvider: AdditionalEvidenceProvider {
        let inner: TPMQuoteProvider
        let tamper: @Sendable (inout TPMQuoteEvidence) -> Void
        func evidence(binding: [UInt8]) throws -> [Tee: JSONValue] {
            var evidence = try TPMQuoteEvidence(json: try inner.evidence(binding: binding)[.tpm]!)
            tamper(&evidence)
            return [.tpm: try evidence.json()]
        }
    }

    func fetch(_ broker: BrokerHarness, evidence: (any AdditionalEvidenceProvider)?) async throws(KeyBrokerClientError) -> SecretBytes {
        var client = KeyBrokerClient(brokers: ["https://kbs.example"], transport: DirectTransport(service: broker.service),
                                     reports: SimulatedReportProvider(processor: broker.simulator), clock: broker.clock,
                                     random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair(.p256) }
        client.additionalEvidence = evidence
        return try client.fetch(resource: broker.resource.description)
    }

    /// swtpm serves one client at a time: the provider holds the only connection.
    static func provider(_ swtpm: SoftwareTPM) throws -> TPMQuoteProvider {
        TPMQuoteProvider(try ESYSTrustedPlatformModule(configuration: TCTIConfiguration(parsing: swtpm.tcti)))
    }

    static func policy(_ tpmSection: String) -> (SimulatedSecureProcessor) -> String {
        { $0.examplePolicy + "\n" + tpmSection + "\n" }
    }

    /// On either store: the PostgreSQL store keeps the quoted PCRs in the session row.
    @Test(arguments: BrokerBackend.allCases) func aQuoteIsVerifiedAndTheAuditRecordsIt(backend: BrokerBackend) async throws {
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let tpm = try Self.provider(swtpm)
        let broker = try await backend.harness(jwe: true, policy: Self.policy("[tpm]\nquote = \"require\""))
        let key = try await fetch(broker, evidence: tpm)
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        let pcr15 = try #require(try tpm.readPCRs([15])[15])
        #expect(broker.audit.all.first { $0.decision == .attested }?.tpm == "quote verified, pcr15=" + Hex.encode(pcr15))
        #expect(broker.audit.all.first { $0.decision == .release }?.tpm?.hasPrefix("quote verified") == true)
    }

    @Test func aTamperedPCRValueIsRefusedWithTPMPCRDigest() async throws {
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let tpm = try Self.provider(swtpm)
        let broker = try BrokerHarness(jwe: true)
        let tampered = TamperingProvider(inner: tpm) { evidence in
            evidence.tpmQuote.pcrs[15] = String(repeating: "ab", count: 32)
        }
        let error = await #expect(throws: KeyBrokerClientError.self) { try await fetch(broker, evidence: tampered) }
        #expect(error?.description.contains("tpm-pcr-digest") == true, "\(String(describing: error))")
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons.first?.hasPrefix("tpm-pcr-digest") == true })
        #expect(!broker.audit.all.contains { $0.decision == .release })
    }

    @Test func aQuoteWithAnotherNonceIsRefusedWithTPMNonce() async throws {
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let tpm = try Self.provider(swtpm)
        let broker = try BrokerHarness(jwe: true)
        // A replayed quote: made for another session's binding, relabelled with this one.
        let stale = try tpm.evidence(binding: [UInt8](repeating: 7, count: 48))
        let replaying = TamperingProvider(inner: tpm) { evidence in
            let old = try! TPMQuoteEvidence(json: stale[.tpm]!)
            evidence.tpmQuote = old.tpmQuote
            evidence.akPublic = old.akPublic
        }
        let error = await #expect(throws: KeyBrokerClientError.self) { try await fetch(broker, evidence: replaying) }
        #expect(error?.description.contains("tpm-nonce") == true, "\(String(describing: error))")
    }

    @Test(arguments: BrokerBackend.allCases) func aPinnedPCRThatDiffersIsRefusedWithTPMPCRPolicy(backend: BrokerBackend) async throws {
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let tpm = try Self.provider(swtpm)
        let pinned = String(repeating: "cd", count: 32)
        let broker = try await backend.harness(jwe: true, policy: Self.policy("[tpm]\nquote = \"require\"\n[tpm.pcrs]\n15 = \"\(pinned)\""))
        let error = await #expect(throws: KeyBrokerClientError.self) { try await fetch(broker, evidence: tpm) }
        #expect(error?.description.contains("PolicyDeny") == true, "\(String(describing: error))")
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons.first?.hasPrefix("tpm-pcr-policy: PCR 15") == true })
        // The same pin with the TPM's real value releases.
        let actual = Hex.encode(try tpm.readPCRs([15])[15]!)
        let matching = try await backend.harness(jwe: true, policy: Self.policy("[tpm]\n[tpm.pcrs]\n15 = \"\(actual)\""))
        #expect(try await fetch(matching, evidence: tpm).count == 64)
    }

    @Test func aRequiredQuoteThatIsMissingIsRefused() async throws {
        let broker = try BrokerHarness(jwe: true, policy: Self.policy("[tpm]\nquote = \"require\""))
        await #expect(throws: KeyBrokerClientError.self) { try await fetch(broker, evidence: nil) }
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons.first?.hasPrefix("tpm-quote-required") == true })
        #expect(broker.audit.all.first { $0.decision == .attested }?.tpm == "no quote")
    }
}
