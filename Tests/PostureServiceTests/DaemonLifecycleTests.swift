import CanonicalJSON
import GuestGuardCore
import GuestGuardPosture
import GuestGuardTestSupport
@testable import PostureService
import Testing

@Suite(.serialized) struct DaemonLifecycleTests {
    @Test func notifiesReadyWatchdogAndStopping() async throws {
        let tree = TemporaryFileTree(prefix: "gg-notify")
        let listener = NotifySocket(name: tree.root + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.name, "WATCHDOG_USEC": "200000"])
        let daemon = try await TestDaemon(source: InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok]))), notifier: notifier)
        let ready = listener.receive()
        #expect(ready?.hasPrefix("READY=1\nSTATUS=serving 127.0.0.1:\(daemon.port), unix:") == true, "\(ready ?? "nothing")")
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(listener.receive() == "WATCHDOG=1")
        try await daemon.stop()
        let rest = listener.receive(until: "STOPPING=1")
        #expect(rest.last == "STOPPING=1")
        #expect(rest.dropLast().allSatisfy { $0 == "WATCHDOG=1" })
    }

    @Test func socketClientReadsStatusAndBody() throws {
        let response = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nwarn\n".utf8)
        let parsed = try PostureSocketClient.parse(response, socketPath: "/s")
        #expect(parsed.status == 503)
        #expect(parsed.body == Array("warn\n".utf8))
        #expect(throws: (any Error).self) { try PostureSocketClient.parse(Array("HTTP/1.1 200 OK\r\n".utf8), socketPath: "/s") }
        #expect(throws: (any Error).self) { try PostureSocketClient.parse(Array("SSH-2.0\r\n\r\n".utf8), socketPath: "/s") }
    }

    @Test func socketClientReportsAMissingDaemon() {
        #expect(throws: (any Error).self) { try PostureSocketClient.get("/v1/posture", socketPath: "/nonexistent/posture.sock") }
    }

    @Test func documentTextAndExitCode() throws {
        let snapshot = PostureSnapshot(report: PostureFixtures.report([.ok, .fail]),
                                       driftEvents: [PostureDriftEvent(time: .init(seconds: 1_795_000_000), itemID: "item-1", channel: nil, change: "ok → fail: x", action: .reported)])
        let document = snapshot.document
        let text = PostureDocumentText.render(document)
        #expect(text.hasPrefix("posture: FAIL  (memory encryption sev-snp"))
        #expect(text.contains("FAIL     item 1"))
        #expect(text.contains("drift: 1 event(s)"))
        #expect(PostureDocumentText.exitCode(document) == 2)
        #expect(PostureDocumentText.exitCode(PostureSnapshot(report: PostureFixtures.report([.ok])).document) == 0)
        #expect(PostureDocumentText.exitCode(PostureSnapshot(report: PostureFixtures.report([.unknown])).document) == 1)
    }

    @Test(arguments: [("/", "/v1/attestation?nonce=AQID"), ("/proxy/", "/proxy/v1/attestation?nonce=AQID"), ("/proxy?x=1", "/proxy/v1/attestation?nonce=AQID")])
    func attestationTargetJoinsTheBase(base: String, expected: String) {
        #expect(PostureEndpointPaths.attestation(base: base, nonce: [1, 2, 3]) == expected)
    }
}
