import Foundation
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerProtocol
import KeyBrokerServer
import SNPSimulator
import Synchronization
import KeyBrokerTestSupport
import Testing

/// Delivers client requests to a broker service in the same process (no sockets).
final class InProcessTransport: KBSTransport {
    let services: [String: KeyBrokerService]
    init(services: [String: KeyBrokerService]) { self.services = services }
    let log = Mutex<[String]>([])

    func send(_ request: KBSHTTPRequest, to broker: String) async throws(KeyBrokerClientError) -> KBSHTTPResponse {
        log.withLock { $0.append("\(broker) \(request.method) \(request.path)") }
        guard let service = services[broker] else { throw .transport(broker: broker, reason: "connection refused") }
        let response = await service.handle(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
        return KBSHTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

/// Sleeps recorded, not slept.
final class RecordingSleepClock: Clock, @unchecked Sendable {
    let sleeps = Mutex<[UInt64]>([])
    func now() -> Timestamp { Timestamp(seconds: 1_795_500_000) }
    func sleep(nanoseconds: UInt64) async throws { sleeps.withLock { $0.append(nanoseconds) } }
}

/// The guest's RCAR client against the real broker service and the real JWE, with reports from
/// the simulated secure processor.
@Suite struct KeyBrokerClientTests {
    func client(_ brokers: [String], _ transport: InProcessTransport, _ simulator: SimulatedSecureProcessor, clock: any Clock = RecordingSleepClock(),
                keyType: EphemeralKeyPair.KeyType = .p256) -> KeyBrokerClient
    {
        KeyBrokerClient(brokers: brokers, transport: transport, reports: SimulatedReportProvider(processor: simulator), clock: clock,
                        random: GetrandomSource(), retry: RetryPolicy(attempts: 3, initialDelayMilliseconds: 10)) { try EphemeralKeyPair(keyType) }
    }

    @Test(arguments: [EphemeralKeyPair.KeyType.p256, .rsa(bits: 2048)])
    func obtainsTheKeyAndTheAuditShowsOneRelease(keyType: EphemeralKeyPair.KeyType) async throws {
        let broker = try BrokerHarness(jwe: true)
        let transport = InProcessTransport(services: ["https://kbs.example": broker.service])
        let key = try await client(["https://kbs.example"], transport, broker.simulator, keyType: keyType).fetch(resource: "default/disk/root")
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
        #expect(transport.log.withLock { $0 } == [
            "https://kbs.example POST /kbs/v0/auth", "https://kbs.example POST /kbs/v0/attest", "https://kbs.example GET /kbs/v0/resource/default/disk/root",
        ])
    }

    @Test func fallsThroughToTheNextBroker() async throws {
        let broker = try BrokerHarness(jwe: true)
        let transport = InProcessTransport(services: ["https://second": broker.service])
        let key = try await client(["https://down", "https://second"], transport, broker.simulator).fetch(resource: "default/disk/root")
        #expect(key.count == 64)
    }

    @Test func policyRefusalSurfacesTheBrokersProblemAndIsNotRetried() async throws {
        let broker = try BrokerHarness(jwe: true) { simulator in
            simulator.examplePolicy.replacingOccurrences(of: "snp = 8", with: "snp = 99")
        }
        let transport = InProcessTransport(services: ["https://kbs": broker.service])
        let clock = RecordingSleepClock()
        do {
            _ = try await client(["https://kbs"], transport, broker.simulator, clock: clock).fetch(resource: "default/disk/root")
            Issue.record("expected a refusal")
        } catch {
            guard case .allBrokersFailed(let errors) = error, case .refused(_, let step, let status, let type, let detail) = errors.first else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(step == "resource" && status == 401)
            #expect(type?.hasSuffix("PolicyDeny") == true)
            #expect(detail == "Access denied by policy")
        }
        #expect(clock.sleeps.withLock { $0 }.isEmpty, "a policy decision is final: no retry rounds")
        #expect(transport.log.withLock { $0.count } == 3)
    }

    @Test func transportFailuresAreRetriedWithBackoff() async throws {
        let broker = try BrokerHarness(jwe: true)
        let clock = RecordingSleepClock()
        let transport = InProcessTransport(services: [:])
        await #expect(throws: KeyBrokerClientError.self) {
            try await client(["https://a", "https://b"], transport, broker.simulator, clock: clock).fetch(resource: "default/disk/root")
        }
        #expect(transport.log.withLock { $0.count } == 6, "3 rounds over 2 brokers")
        let sleeps = clock.sleeps.withLock { $0 }
        #expect(sleeps.count <= 2 && sleeps.allSatisfy { $0 <= 20_000_000 })
    }

    @Test func aBrokerThatSwapsTheKeyCannotBeOpened() async throws {
        // A man in the middle answers the resource with a JWE for its own key.
        let broker = try BrokerHarness(jwe: true)
        struct Swapping: KBSTransport {
            let inner: InProcessTransport
            func send(_ request: KBSHTTPRequest, to broker: String) async throws(KeyBrokerClientError) -> KBSHTTPResponse {
                var response = try await inner.send(request, to: broker)
                if request.path.hasPrefix("/kbs/v0/resource/") {
                    let attacker = try! EphemeralKeyPair()
                    response.body = try! JWEEncrypter(recipient: attacker.publicKey).encrypt(SecretBytes(copying: [UInt8](repeating: 9, count: 64))).jsonBytes()
                }
                return response
            }
        }
        let swapping = Swapping(inner: InProcessTransport(services: ["https://kbs": broker.service]))
        let client = KeyBrokerClient(brokers: ["https://kbs"], transport: swapping, reports: SimulatedReportProvider(processor: broker.simulator),
                                     clock: RecordingSleepClock(), random: GetrandomSource(), retry: RetryPolicy(attempts: 1)) { try EphemeralKeyPair() }
        await #expect(throws: KeyBrokerClientError.self) { try await client.fetch(resource: "default/disk/root") }
    }
}
