import Foundation
import GuestGuardLinuxProcesses
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerTestSupport
import Logging
import SNPSimulator
import Testing

/// Issue 17 (network): the per-broker deadline and the broker's name in the TLS check, over loopback with the
/// real broker, guestguard's HTTP client and the system resolver (`localhost` from /etc/hosts). Outcomes only,
/// no timings: each request's own timeout is 10 minutes, so only the deadline can end a silent broker's turn
/// within the suite's time limit.
@Suite(.serialized, .timeLimit(.minutes(2))) struct BrokerDeadlineLoopbackTests {
    /// A CA and, for each name, a certificate it issued (SAN DNS:name), by the openssl CLI.
    static func certificates(in directory: String, names: [String]) throws {
        func openssl(_ arguments: [String]) throws {
            let outcome = try ProgramRunner(timeout: .seconds(120)).run("/usr/bin/openssl", arguments, workingDirectory: directory)
            try #require(outcome.status == 0, "openssl \(arguments): \(outcome.standardError)")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=guestguard test broker CA",
                                             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"])
        for name in names {
            try openssl(["req", "-new"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try "subjectAltName=DNS:\(name)\nextendedKeyUsage=serverAuth\n".write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).pem",
                         "-days", "2", "-extfile", "\(name).ext"])
        }
    }

    /// A TCP listener on 127.0.0.1 that completes handshakes (the kernel's backlog) and never reads or answers.
    final class SilentListener {
        let fd: Int32
        let port: Int
        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
            try #require(bound == 0 && listen(fd, 16) == 0)
        }
        deinit { close(fd) }
    }

    /// The real broker over HTTPS on 127.0.0.1 with the certificate of `name`.
    static func broker(_ harness: BrokerHarness, directory: String, name: String) async throws -> (HTTPServer, Int) {
        let tls = try TLSServerConfiguration(certificateChainFile: directory + "/\(name).pem", privateKeyFile: directory + "/\(name).key")
        let server = try HTTPServer(configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), tls: tls),
                                    router: harness.service.router(), logger: Logger(label: "deadline-test"))
        guard case .tcp(_, let port) = try await server.start() else { throw CancellationError() }
        Task { try? await server.run() }
        return (server, port)
    }

    static func guest(_ brokers: [String], _ harness: BrokerHarness, ca: String, deadline: Duration?) throws -> KeyBrokerClient {
        let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: try TLSClientConfiguration(pinnedCAFile: ca), requestTimeout: .seconds(600)))
        var client = KeyBrokerClient(brokers: brokers, transport: HTTPKBSTransport(client: http), reports: SimulatedReportProvider(processor: harness.simulator),
                                     clock: RecordingClock(now: Timestamp(seconds: 1_795_500_000)), random: GetrandomSource(), retry: .once) { try EphemeralKeyPair(.p256) }
        client.brokerDeadline = deadline
        return client
    }

    @Test func aBrokerThatAcceptsAndNeverAnswersEndsAtTheDeadline() async throws {
        let harness = try BrokerHarness(jwe: true)
        try Self.certificates(in: harness.tree.root, names: ["localhost"])
        let silent = try SilentListener()
        let guest = try Self.guest(["https://localhost:\(silent.port)"], harness, ca: harness.tree.root + "/ca.pem", deadline: .seconds(1))
        do {
            _ = try await guest.fetch(resource: "default/disk/root")
            Issue.record("a silent broker released a key")
        } catch {
            guard case .allBrokersFailed(let failures) = error, failures.count == 1, case .transport(let broker, let reason) = failures[0] else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(broker == "https://localhost:\(silent.port)")
            #expect(reason.hasPrefix("auth: the broker deadline (1.0 seconds) has passed"), "\(reason)")
            #expect(error.isTransient, "a silent broker is worth another round")
        }
    }

    @Test func afterASilentBrokerTheNextBrokerByNameReleasesTheKey() async throws {
        let harness = try BrokerHarness(jwe: true)
        try Self.certificates(in: harness.tree.root, names: ["localhost"])
        let silent = try SilentListener()
        let (server, port) = try await Self.broker(harness, directory: harness.tree.root, name: "localhost")
        defer { Task { await server.shutdown() } }
        let guest = try Self.guest(["https://localhost:\(silent.port)", "https://localhost:\(port)"], harness, ca: harness.tree.root + "/ca.pem",
                                   deadline: .seconds(1))
        let (broker, secret, _) = try await guest.fetchReleasing(resource: "default/disk/root")
        #expect(broker == "https://localhost:\(port)")
        #expect(secret.withUnsafeBytes { Array($0) } == harness.diskKey)
        #expect(harness.audit.all.filter { $0.decision == .release }.count == 1)
    }

    /// The host runs DNS: the broker's name (`localhost` here) may resolve to a server that is not the broker,
    /// even one with a certificate from the same CA for another name. The name check refuses it before
    /// `/auth` is answered; nothing reaches the broker's audit.
    @Test func aNameAnsweredByAnotherServerFailsTheTLSNameCheck() async throws {
        let harness = try BrokerHarness(jwe: true)
        try Self.certificates(in: harness.tree.root, names: ["kbs.elsewhere.test"])
        let (server, port) = try await Self.broker(harness, directory: harness.tree.root, name: "kbs.elsewhere.test")
        defer { Task { await server.shutdown() } }
        let guest = try Self.guest(["https://localhost:\(port)"], harness, ca: harness.tree.root + "/ca.pem", deadline: .seconds(30))
        do {
            _ = try await guest.fetch(resource: "default/disk/root")
            Issue.record("a server with another name's certificate released a key")
        } catch {
            guard case .allBrokersFailed(let failures) = error, failures.count == 1, case .untrustedBroker(_, let reason) = failures[0] else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.contains("hostname mismatch"), "\(reason)")
            #expect(!error.isTransient)
        }
        #expect(harness.audit.all.isEmpty, "the guest never completed a TLS handshake, so it never spoke to the broker")
    }
}
