import KeyBrokerServer
import PostgresNIO

/// `--store postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`, or over a unix
/// socket `postgres://USER@/DATABASE?host=/run/postgresql[&port=5432]` (libpq's spelling). The
/// password is never in the URL (it would be on the command line, in `ps` and shell history):
/// a URL holding one is refused; it comes from a file or the environment instead.
public struct PostgresStoreURL: Sendable, Hashable {
    public var user: String
    public var database: String
    /// A TCP host, or nil with `socketDirectory`.
    public var host: String?
    public var port: Int
    public var socketDirectory: String?
    public var sslMode: String

    public init(parsing text: String) throws(BrokerStoreError) {
        func bad(_ reason: String) -> BrokerStoreError { .corrupt("--store \(String(reflecting: Self.redacted(text))): \(reason)") }
        var rest = Substring(text)
        if rest.hasPrefix("postgres://") { rest = rest.dropFirst("postgres://".count) }
        else if rest.hasPrefix("postgresql://") { rest = rest.dropFirst("postgresql://".count) }
        else { throw bad("not a postgres:// URL") }
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw bad("query parameter \(pair) is not NAME=VALUE") }
                query[String(parts[0])] = Self.percentDecoded(parts[1])
            }
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("no /DATABASE") }
        database = Self.percentDecoded(rest[rest.index(after: slash)...])
        let authority = rest[..<slash]
        guard let at = authority.lastIndex(of: "@") else { throw bad("no USER@ (the broker's database role)") }
        let userInfo = authority[..<at]
        guard !userInfo.contains(":") else {
            throw bad("holds a password: give it in a file (--store-password-file) or the environment (PGPASSWORD), never on the command line")
        }
        user = Self.percentDecoded(userInfo)
        guard query["password"] == nil else { throw bad("holds a password parameter: use --store-password-file or PGPASSWORD") }
        let hostPort = authority[authority.index(after: at)...]
        var port = 5432
        if let portText = query["port"] {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else { throw bad("port \(portText) is not 1…65535") }
            port = parsed
        }
        if hostPort.isEmpty {
            guard let directory = query["host"], directory.hasPrefix("/") else { throw bad("no host: give HOST[:PORT] or ?host=/socket/directory") }
            host = nil
            socketDirectory = directory
        } else {
            var name = hostPort
            if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
                guard let parsed = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(parsed) else { throw bad("bad port") }
                port = parsed
                name = hostPort[..<colon]
            }
            if name.hasPrefix("[") && name.hasSuffix("]") { name = name.dropFirst().dropLast() }
            host = String(name)
            socketDirectory = nil
        }
        self.port = port
        sslMode = query["sslmode"] ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else { throw bad("sslmode must be disable, prefer or require") }
        guard !user.isEmpty, !database.isEmpty else { throw bad("user and database must not be empty") }
    }

    /// The client configuration, with `password` (from a file or the environment).
    public func configuration(password: String?) -> PostgresClient.Configuration {
        if let socketDirectory {
            return PostgresClient.Configuration(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tls)
    }

    /// `text` without a password, for banners and messages.
    public static func redactedForDisplay(_ text: String) -> String { redacted(text) }

    /// `text` with anything between `://` and `@` replaced, for error messages.
    static func redacted(_ text: String) -> String {
        if let mark = text.firstIndex(of: "?"), text[mark...].contains("password") { return redacted(String(text[..<mark]) + "?…") }
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") else { return text }
        let userInfo = text[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    static func percentDecoded(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
