import CanonicalJSON
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerPostgresTestSupport
import KeyBrokerTestSupport
import SNPABI
import SNPSimulator
import Testing

/// Issue 12, defects 8–10: the `key-id` is keyed (no offline oracle), the appraiser follows the
/// ARK file's contents, and a policy without a minimum TCB must say so.
@Suite struct BrokerKeyIDAndTrustTests {
    /// One full handshake; the response to `/resource`.
    func handshake(_ broker: BrokerHarness, from processor: SimulatedSecureProcessor? = nil) async throws -> (attest: BrokerResponse, resource: BrokerResponse?) {
        let (session, challenge) = try await broker.auth()
        let attest = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce, from: processor).jsonBytes(), cookie: session)
        guard attest.status == 200 else { return (attest, nil) }
        return (attest, await broker.get("/kbs/v0/resource/default/disk/root", cookie: session))
    }

    /// Every unkeyed digest of `key` an attacker could compute from a guess, as hex and base64(url).
    static func unkeyedDigests(of key: [UInt8]) throws -> [String] {
        var texts: [String] = []
        for function in HashFunction.allCases {
            let digest = try function.hash(key)
            let hex = Hex.encode(digest)
            texts += [hex, String(hex.prefix(16)), Base64.encode(digest), Base64URL.encode(digest), Hex.encode(digest.suffix(8))]
        }
        return texts
    }

    @Test(arguments: BrokerBackend.allCases) func theKeyIDIsAnHMACUnderTheBrokersSecretAndNoUnkeyedHashIsLogged(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        #expect(try await handshake(broker).resource?.status == 200)
        let released = try #require(broker.sealer.released.withLock { $0.first })
        let audited = try #require(broker.audit.all.first { $0.decision == .release }?.keyFingerprint)
        #expect(released.keyID == audited, "the kid sent to the guest is the audit line's key-id")
        #expect(audited.hasPrefix("hmac-sha256:") && audited.count == "hmac-sha256:".count + 16)

        // The secret: 32 bytes (embedded: mode 0600 in the data directory; PostgreSQL: sealed under
        // the KEK); Python's hmac gives the same id.
        let secret = try await broker.storage.keyIDSecret(random: GetrandomSource()).withUnsafeBytes { Array($0) }
        #expect(secret.count == 32)
        if backend == .embedded {
            let secretPath = "/data/" + KeyFingerprinter.secretFileName
            #expect(try broker.tree.fileSystem.status(secretPath)?.permissions == 0o600)
            #expect(try broker.tree.fileSystem.readFile(secretPath, limit: 4096) == secret)
        }
        let peer = try PythonPeer.run(
            "import sys, hmac, hashlib; s, k = sys.stdin.read().split(); print('hmac-sha256:' + hmac.new(bytes.fromhex(s), bytes.fromhex(k), hashlib.sha256).hexdigest()[:16])",
            input: Array((Hex.encode(secret) + " " + Hex.encode(broker.diskKey)).utf8))
        #expect(peer.split(separator: "\n").first.map(String.init) == audited)

        // Nothing in the audit equals an unkeyed hash of the key.
        let lines = broker.audit.lines
        for digest in try Self.unkeyedDigests(of: broker.diskKey) { #expect(!lines.contains(digest), "\(digest)") }

        // Keyed: another broker (another secret) names the same key differently; the same broker keeps its name.
        let other = try await backend.harness()
        #expect(try await handshake(other).resource?.status == 200)
        let otherID = try #require(other.audit.all.first { $0.decision == .release }?.keyFingerprint)
        #expect(otherID != audited)
        #expect(try await handshake(broker).resource?.status == 200)
        #expect(broker.audit.all.filter { $0.decision == .release }.map(\.keyFingerprint) == [audited, audited])
    }

    /// Defect 9: the policy trusts an ARK by path. Replacing the file takes effect at the next
    /// handshake: the old root's chain is refused, the new root's accepted.
    @Test(arguments: BrokerBackend.allCases) func replacingTheARKFileAtTheSamePathChangesTheTrustedRootAtOnce(backend: BrokerBackend) async throws {
        let broker = try await backend.harness { simulator in
            simulator.examplePolicy.replacingOccurrences(of: "roots = []", with: "roots = [\"/roots/ark.pem\"]")
                .replacingOccurrences(of: "ark-fingerprints = [\"\(simulator.arkFingerprint)\"]", with: "")
        }
        let other = try SharedSimulator.otherProcessor()
        _ = broker.tree.write("/roots/ark.pem", try broker.simulator.ark.pemEncoded())
        #expect(try await handshake(broker).resource?.status == 200, "\(broker.audit.lines)")
        #expect(try await handshake(broker, from: other).attest.status == 401, "the other chip's root is not trusted yet")

        _ = broker.tree.write("/roots/ark.pem", try other.ark.pemEncoded())
        let old = try await handshake(broker)
        #expect(old.attest.status == 401, "the replaced root's chain is refused at once")
        #expect(broker.audit.all.last?.reasons.joined().isEmpty == false)
        #expect(try await handshake(broker, from: other).attest.status == 200, "the new root is trusted at once")
    }

    @Test(arguments: BrokerBackend.allCases) func aPolicyWithoutAMinimumTCBMustSaySo(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let id = ResourceID("default/disk/open")!
        let measurement = Hex.encode(broker.simulator.settings.measurement)
        let open = "version = 1\n[report]\nmeasurements = [\"\(measurement)\"]\n"
        do {
            try await broker.storage.storePolicy(open, for: id)
            Issue.record("a policy with no minimum TCB was stored")
        } catch {
            guard case .implicitlyOpenPolicy(let refused, let what) = error else { Issue.record("\(error)"); return }
            #expect(refused == id && what.first?.hasPrefix("minimum-tcb") == true)
            #expect(error.description.contains("minimum-tcb") && error.description.contains("\"any\""))
        }
        await #expect(throws: BrokerStoreError.self, "nothing was stored") { _ = try await broker.storage.policyText(for: id) }
        if let store = broker.store { #expect(!store.files.exists("/data/resources/default/disk/open/policy.toml")) }
        try await broker.storage.storePolicy(open + "minimum-tcb = \"any\"\n", for: id)
        let stored = try BrokerStore.parsePolicy(try await broker.storage.policyText(for: id), for: id)
        #expect(stored.report.minimumTCBWaived)
        #expect(stored.unconstrained.first == "minimum-tcb: any TCB is accepted (minimum-tcb = \"any\")")
        #expect(stored.unconstrained.contains("host-data: HOST_DATA (0x0C0) is not checked"))
    }
}
