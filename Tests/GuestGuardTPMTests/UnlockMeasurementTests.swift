import CanonicalJSON
import GuestGuardCore
import GuestGuardPosture
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTPM
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// The unlock measurement: a JCS document, SHA-256, extended into a real swtpm's PCR 15.
@Suite struct UnlockMeasurementTests {
    static let measurement = UnlockMeasurement(broker: "https://kbs.example", resource: "default/disk/root",
                                               measurement: [UInt8](repeating: 0x5a, count: 48), keyID: "hmac-sha256:0011223344556677")

    @Test func theDocumentIsCanonicalJSON() throws {
        let text = String(decoding: Self.measurement.canonicalBytes(), as: UTF8.self)
        #expect(text == #"{"broker":"https://kbs.example","event":"guestguard unlock","key-id":"hmac-sha256:0011223344556677","measurement":""#
                + String(repeating: "5a", count: 48) + #"","resource":"default/disk/root"}"#)
        // An independent RFC 8785 implementation gives the same bytes.
        let peer = try PythonPeer.run("import sys, json, rfc8785; sys.stdout.write(rfc8785.dumps(json.loads(sys.stdin.read())).decode())",
                                      input: Self.measurement.canonicalBytes())
        #expect(peer == text)
    }

    @Test(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
    func extendsPCR15WithTheDocumentDigestAndRecordsTheEvent() throws {
        let session = try SwtpmSession()
        let tree = TemporaryFileTree(prefix: "guestguard-unlock-measure")
        let done = try Self.measurement.extend(session.tpm, files: tree.fileSystem) { (try? HashFunction.sha256.hash($0)) ?? [] }
        let digest = try HashFunction.sha256.hash(Self.measurement.canonicalBytes())
        #expect(done.pcr == 15)
        #expect(done.digest == digest)
        #expect(done.before == [UInt8](repeating: 0, count: 32))
        #expect(done.after == (try HashFunction.sha256.hash(done.before + digest)))
        #expect(try session.tpm.readPCRs([15])[15] == done.after)
        let log = try tree.fileSystem.readText(TpmPCRItem.eventLogPath)
        #expect(log.hasPrefix("{\"pcr\":15,\"digest\":\""))
        #expect(log.contains("guestguard unlock"))
        // Another PCR when configured.
        let other = try Self.measurement.extend(session.tpm, pcr: 14) { (try? HashFunction.sha256.hash($0)) ?? [] }
        #expect(other.after != other.before)
        #expect(try session.tpm.readPCRs([15])[15] == done.after)
    }

    /// Seals as Trustee does: no `kid`.
    struct TrusteeSealer: ResourceSealer {
        func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response {
            try JWEEncrypter(recipient: key).encrypt(plaintext)
        }
    }

    func fetch(_ service: KeyBrokerService, _ broker: BrokerHarness) async throws -> (broker: String, secret: SecretBytes, keyID: String?) {
        let client = KeyBrokerClient(brokers: ["https://kbs.example"], transport: BrokerTPMEvidenceTests.DirectTransport(service: service),
                                     reports: SimulatedReportProvider(processor: broker.simulator), clock: broker.clock,
                                     random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair(.p256) }
        return try client.fetchReleasing(resource: broker.resource.description)
    }

    /// Issue 12, defect 8: the document's `key-id` is the broker's keyed `kid`, equal to its audit
    /// line; no unkeyed hash of the key appears in it. Without a `kid` (Trustee) the member is absent.
    @Test func theKeyIDIsTheBrokersKidAndNoUnkeyedHashOfTheKey() async throws {
        let broker = try BrokerHarness(jwe: true)
        let released = try await fetch(broker.service, broker)
        #expect(released.secret.withUnsafeBytes { Array($0) } == broker.diskKey)
        let audited = try #require(broker.audit.all.first { $0.decision == .release }?.keyFingerprint)
        #expect(released.keyID == audited)
        let document = UnlockMeasurement(broker: released.broker, resource: "default/disk/root", measurement: broker.simulator.settings.measurement,
                                         keyID: released.keyID)
        let text = String(decoding: document.canonicalBytes(), as: UTF8.self)
        #expect(text.contains("\"key-id\":\"\(audited)\""))
        for function in HashFunction.allCases {
            let digest = try function.hash(broker.diskKey)
            for candidate in [Hex.encode(digest), String(Hex.encode(digest).prefix(16)), Hex.encode(digest.prefix(4))] {
                #expect(!text.contains(candidate), "an unkeyed \(function) of the key is in the PCR document")
            }
        }

        let trustee = KeyBrokerService(store: broker.store!, sealer: TrusteeSealer(), audit: MemoryAudit(), clock: broker.clock, random: GetrandomSource())
        let fromTrustee = try await fetch(trustee, broker)
        #expect(fromTrustee.keyID == nil)
        let bare = UnlockMeasurement(broker: "https://kbs.example", resource: "default/disk/root", measurement: [UInt8](repeating: 0x5a, count: 48), keyID: nil)
        #expect(String(decoding: bare.canonicalBytes(), as: UTF8.self)
                == #"{"broker":"https://kbs.example","event":"guestguard unlock","measurement":""# + String(repeating: "5a", count: 48)
                + #"","resource":"default/disk/root"}"#)
    }
}
