import Foundation
import GuestGuardTestSupport
import KeyBrokerJWE
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerTestSupport
import Testing

/// SIGTERM drains a real `guestguard-broker serve` (docs/broker.md, "Draining a replica"): two
/// replicas on one PostgreSQL; replica A gets SIGTERM while a guest's `/attest` is in flight on it
/// (head read, as its `100 Continue` says; body not sent yet). A stops accepting at once (new connections are refused, so
/// its `/healthz` is unreachable and the load balancer moves on), answers the request in flight,
/// and exits 0. Both guests finish their handshakes on replica B with the sessions A opened.
@Suite(.serialized) struct BrokerDrainCLITests {
    /// One HTTP/1.1 exchange over a socket that the test controls byte by byte.
    final class Connection {
        let fd: Int32

        init?(port: Int) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                return nil
            }
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                sent += n
            }
        }

        /// Bytes until `marker` has arrived (or the peer closes).
        func read(until marker: String) -> String {
            var all: [UInt8] = []
            var byte: UInt8 = 0
            while !String(decoding: all, as: UTF8.self).hasSuffix(marker), recv(fd, &byte, 1, 0) == 1 { all.append(byte) }
            return String(decoding: all, as: UTF8.self)
        }

        /// Everything until the peer closes (the broker answers with `Connection: close` here).
        func readToEnd() -> String {
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { break }
                all += buffer[0..<n]
            }
            return String(decoding: all, as: UTF8.self)
        }
    }

    static func request(_ method: String, _ path: String, cookie: String? = nil, body: [UInt8] = [], expectContinue: Bool = false) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
        if let cookie { head += "Cookie: kbs-session-id=\(cookie)\r\n" }
        if expectContinue { head += "Expect: 100-continue\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Status and body of a whole exchange on a new connection.
    static func exchange(_ port: Int, _ bytes: [UInt8]) throws -> (status: Int, body: String, head: String) {
        let connection = try #require(Connection(port: port), "connect to 127.0.0.1:\(port)")
        connection.send(bytes)
        return parse(connection.readToEnd())
    }

    static func parse(_ text: String) -> (status: Int, body: String, head: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = Int(text.dropFirst("HTTP/1.1 ".count).prefix(3)) ?? 0
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"), parts.first ?? "")
    }

    /// `/auth` on `port`: the session id and the nonce.
    static func auth(_ port: Int) throws -> (session: String, nonce: String) {
        let answer = try exchange(port, request("POST", "/kbs/v0/auth", body: try Request().jsonBytes()))
        #expect(answer.status == 200, "\(answer)")
        let cookie = try #require(answer.head.range(of: "kbs-session-id="))
        let session = String(answer.head[cookie.upperBound...].prefix(while: { $0 != ";" && $0 != "\r" }))
        return (session, try Challenge(jsonBytes: Array(answer.body.utf8)).nonce)
    }

    @Test func sigtermFinishesTheRequestInFlightRefusesNewConnectionsAndExitsZero() throws {
        let dir = TemporaryFileTree.shared.directory("broker-drain")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let harness = try BrokerHarness()
        try Data(harness.diskKey).write(to: URL(fileURLWithPath: dir + "/disk.key"))
        try Data(harness.simulator.examplePolicy.utf8).write(to: URL(fileURLWithPath: dir + "/policy.toml"))
        try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: dir + "/kek"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/kek")
        let server = try PostgresTestServer.shared()
        try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/pw"))
        let database = try server.makeDatabase()
        let store = ["--store", server.url(database), "--kek", dir + "/kek", "--store-password-file", dir + "/pw"]
        for command in [["migrate"], ["key", "import", "default/disk/root", dir + "/disk.key"], ["policy", "set", "default/disk/root", dir + "/policy.toml"]] {
            let result = try CLIRunner.run(command + store, executable: BrokerProcess.executable)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        let draining = try BrokerProcess(arguments: store + ["--audit", dir + "/a.log"], tls: false)
        let other = try BrokerProcess(arguments: store + ["--audit", dir + "/b.log"], tls: false)
        defer { _ = other.stop() }

        // Two guests open their sessions on A; the first one's /attest is in flight when SIGTERM comes.
        let first = try Self.auth(draining.port), second = try Self.auth(draining.port)
        let firstKey = try EphemeralKeyPair(), secondKey = try EphemeralKeyPair()
        // `Expect: 100-continue`: the broker's "100 Continue" says it has read the head and waits
        // for the body, so the request is in flight (not an idle connection) when SIGTERM arrives.
        let body = try harness.attestation(nonce: first.nonce, key: firstKey.publicKey).jsonBytes()
        let attest = Self.request("POST", "/kbs/v0/attest", cookie: first.session, body: body, expectContinue: true)
        let inFlight = try #require(Connection(port: draining.port))
        inFlight.send(Array(attest.dropLast(body.count)))
        #expect(inFlight.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 100 Continue"))
        #expect(draining.process.isRunning)
        draining.process.signal(SIGTERM)

        // A stops accepting: a new connection (a load balancer's /healthz probe) is refused.
        var refused = false
        for _ in 0..<200 {
            guard let probe = Connection(port: draining.port) else {
                refused = true
                break
            }
            probe.send(Self.request("GET", "/healthz"))
            _ = probe.readToEnd()
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(refused, "the draining replica still accepts connections")

        // The request in flight is answered in full, and the replica then exits 0.
        inFlight.send(body)
        let answered = Self.parse(inFlight.readToEnd())
        #expect(answered.status == 200, "the attestation in flight was not answered: \(answered)")
        let status = draining.process.waitForExit(timeout: .seconds(300))
        #expect(status == 0, "exit status \(String(describing: status)): \(draining.process.output)")

        // Both guests finish on B with the sessions A opened: no affinity, nothing lost.
        let secondAttest = try Self.exchange(other.port, Self.request("POST", "/kbs/v0/attest", cookie: second.session,
                                                                      body: try harness.attestation(nonce: second.nonce, key: secondKey.publicKey).jsonBytes()))
        #expect(secondAttest.status == 200, "\(secondAttest)")
        for (session, key) in [(first.session, firstKey), (second.session, secondKey)] {
            let released = try Self.exchange(other.port, Self.request("GET", "/kbs/v0/resource/default/disk/root", cookie: session))
            #expect(released.status == 200, "\(released)")
            let plain = try key.decrypt(try Response(jsonBytes: Array(released.body.utf8)))
            #expect(plain.withUnsafeBytes { Array($0) } == harness.diskKey)
        }
        let rows = try server.psql("SELECT count(*) FROM audit WHERE decision = 'release'", database: database)
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }
}
