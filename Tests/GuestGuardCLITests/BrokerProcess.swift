import Foundation
import GuestGuardTestSupport

/// A `guestguard-broker serve` child process on a loopback port it picks itself, serving https with
/// its own certificate (`--tls-cert`, made by the openssl CLI) unless `tls: false` (plain-http tests only).
final class BrokerProcess {
    let process: ChildProcess
    let port: Int
    /// The certificate the broker serves, and the SPKI pin a guest is configured with.
    let identity: TLSIdentity?

    static var executable: URL { CLIRunner.executable.deletingLastPathComponent().appendingPathComponent("guestguard-broker") }

    convenience init(data: String, extra: [String] = [], tls: Bool = true) throws {
        try self.init(arguments: ["--data", data] + extra, tls: tls)
    }

    /// - Parameter arguments: `serve`'s store options (`--data DIR` or `--store URL --kek FILE …`) and any others.
    init(arguments: [String], tls: Bool = true) throws {
        identity = tls ? try TLSIdentity.make(name: "broker") : nil
        process = try ChildProcess(Self.executable.path, ["serve", "--listen", "127.0.0.1:0"] + arguments
            + (identity.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key] } ?? []))
        // The first line names the bound port: "guestguard-broker listening on https://127.0.0.1:PORT (…)".
        let prefix = "listening on \(tls ? "https" : "http")://127.0.0.1:"
        let port = try process.waitForOutput { text in
            text.range(of: prefix).flatMap { range in
                Int(text[range.upperBound...].prefix(while: \.isNumber)).flatMap { text[range.upperBound...].contains(where: { !$0.isNumber }) ? $0 : nil }
            }
        }
        self.port = port
    }

    var url: String { "\(identity == nil ? "http" : "https")://127.0.0.1:\(port)" }

    /// How a tenant names this broker on the command line: its URL and its pin (or, for a plain http
    /// broker, the test-only switch).
    var trust: [String] {
        ["--broker", url] + (identity.map { ["--broker-pin", $0.pin] } ?? ["--test-only-plain-http"])
    }

    /// Stops the broker and returns everything it printed (audit lines included).
    func stop() -> String {
        process.stop()
        return process.output
    }

    /// A raw HTTP exchange over a socket (for requests the client library would never send).
    func raw(_ request: [UInt8], readTimeout: TimeInterval = 15) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return "connect failed" }
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        var response = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &response, response.count, 0)
        return n > 0 ? String(decoding: response[0..<n], as: UTF8.self) : ""
    }
}
