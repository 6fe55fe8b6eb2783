import GuestGuardPlatform

/// Reads one HTTP/1.1 response (RFC 9112) from a connection: the status line and fields, then a body
/// delimited by `Content-Length`, `Transfer-Encoding: chunked` or the end of the connection, under a hard
/// size limit. Strict where leniency lets a peer smuggle: conflicting `Content-Length`s, `Content-Length`
/// with `Transfer-Encoding`, codings other than `chunked`, obsolete line folding and bare LF are refused.
package struct HTTPResponseReader {
    package enum Failure: Error {
        /// The connection ended before any byte of a response: the server may never have read the request.
        case closedBeforeResponse
        case failed(HTTPClientError)
    }

    package struct Outcome {
        package let response: HTTPResponse
        /// The server allows the connection to carry another request.
        package let keepAlive: Bool
    }

    static let maxHeadBytes = 64 * 1024

    let connection: any HTTPResponseSource
    let deadline: MonotonicInstant
    let maxBodyBytes: Int

    package init(connection: any HTTPResponseSource, deadline: MonotonicInstant, maxBodyBytes: Int) {
        self.connection = connection
        self.deadline = deadline
        self.maxBodyBytes = maxBodyBytes
    }

    /// The response to a request with `method`; 1xx interim responses are skipped.
    package func read(method: HTTPRequestMethod) throws(Failure) -> Outcome {
        var first = true
        while true {
            let head = try readHead(isFirst: first)
            first = false
            if head.status.code == 101 { throw failure(.malformedResponse(reason: "unexpected 101 Switching Protocols")) }
            if head.status.code < 200 { continue }
            do {
                let (body, delimitedByClose) = try readBody(head, method: method)
                let keepAlive = !delimitedByClose && head.keepAlive
                return Outcome(response: HTTPResponse(status: head.status, headers: head.fields, body: body), keepAlive: keepAlive)
            } catch { throw .failed(error) }
        }
    }

    private struct Head {
        let status: HTTPStatus
        let fields: HTTPHeaderFields
        let keepAlive: Bool
    }

    private func failure(_ error: HTTPClientError) -> Failure { .failed(error) }
    private func malformed(_ reason: String) -> HTTPClientError { .malformedResponse(reason: reason) }

    // MARK: Head

    private func readHead(isFirst: Bool) throws(Failure) -> Head {
        let line: [UInt8]?
        do { line = try readLine(limit: Self.maxHeadBytes, endOK: isFirst) } catch { throw failure(error) }
        guard let statusLine = line else { throw .closedBeforeResponse }
        var fields = HTTPHeaderFields()
        var headBytes = statusLine.count
        do {
            while true {
                guard let line = try readLine(limit: Self.maxHeadBytes - headBytes, endOK: false) else { break }
                headBytes += line.count + 2
                if line.isEmpty { break }
                let field = try Self.parseField(line)
                fields.add(name: field.name, value: field.value)
            }
        } catch { throw failure(error) }
        let (version, status) = try Self.parseStatusLine(statusLine).get()
        let tokens = fields.values(for: "connection").flatMap { $0.lowercased().split(separator: ",").map { $0.trimmingSpaces } }
        let keepAlive = version == 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
        return Head(status: status, fields: fields, keepAlive: keepAlive)
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason]`; the minor version is returned.
    private static func parseStatusLine(_ line: [UInt8]) -> Result<(Int, HTTPStatus), Failure> {
        let bad = Result<(Int, HTTPStatus), Failure>.failure(.failed(.malformedResponse(reason: "bad status line")))
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, line.starts(with: prefix), (0x30...0x39).contains(line[7]), line[8] == 0x20 else { return bad }
        let digits = line[9..<12]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }), line.count == 12 || line[12] == 0x20 else {
            return .failure(.failed(.malformedResponse(reason: "status \(String(decoding: line.dropFirst(9).prefix(8), as: UTF8.self))")))
        }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard code >= 100 else { return .failure(.failed(.malformedResponse(reason: "status \(code)"))) }
        let reason = line.count > 13 ? String(decoding: line[13...], as: UTF8.self) : ""
        return .success((Int(line[7] - 0x30), HTTPStatus(code: code, reasonPhrase: reason)))
    }

    /// `name ":" OWS value OWS`, the name a token, the value without control characters.
    private static func parseField(_ line: [UInt8]) throws(HTTPClientError) -> HTTPHeaderFields.Field {
        guard let first = line.first, first != 0x20, first != 0x09 else {
            throw .malformedResponse(reason: "obsolete line folding")
        }
        guard let colon = line.firstIndex(of: 0x3A), colon > 0, line[..<colon].allSatisfy(isTokenByte) else {
            throw .malformedResponse(reason: "bad header line")
        }
        var value = line[(colon + 1)...]
        while let byte = value.first, byte == 0x20 || byte == 0x09 { value.removeFirst() }
        while let byte = value.last, byte == 0x20 || byte == 0x09 { value.removeLast() }
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else {
            throw .malformedResponse(reason: "control character in header \(String(decoding: line[..<colon], as: UTF8.self))")
        }
        return .init(name: String(decoding: line[..<colon], as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    // MARK: Body

    /// The body and whether it ended with the connection.
    private func readBody(_ head: Head, method: HTTPRequestMethod) throws(HTTPClientError) -> ([UInt8], Bool) {
        guard head.status.allowsBody, method != .head else { return ([], false) }
        let lengths = head.fields.values(for: "content-length")
        let codings = head.fields.values(for: "transfer-encoding")
        if !codings.isEmpty {
            guard lengths.isEmpty else { throw malformed("both Content-Length and Transfer-Encoding") }
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                throw malformed("unsupported Transfer-Encoding \(codings.joined(separator: ", "))")
            }
            return (try readChunked(), false)
        }
        if let declared = lengths.first {
            guard lengths.allSatisfy({ $0 == declared }), !declared.isEmpty, declared.count <= 18,
                declared.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let length = Int(declared)
            else { throw malformed("bad Content-Length \(lengths.joined(separator: ", "))") }
            guard length <= maxBodyBytes else { throw .responseTooLarge(limit: maxBodyBytes, declaredLength: length) }
            return (try readExactly(length), false)
        }
        var body: [UInt8] = []
        while true {
            let available = connection.received.count - connection.receivedStart
            guard body.count + available <= maxBodyBytes else { throw .responseTooLarge(limit: maxBodyBytes, declaredLength: nil) }
            body += connection.received[connection.receivedStart...]
            consume(available)
            switch try connection.receiveMore(deadline: deadline) {
            case .open: continue
            case .clean: return (body, true)
            case .unclean: throw .tls(.uncleanShutdown)
            }
        }
    }

    private func readChunked() throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            guard let line = try readLine(limit: 1024, endOK: false) else { throw closed }
            let sizeText = line.prefix { $0 != 0x3B }  // chunk extensions are ignored
            // Hex digits only (RFC 9112 §7.1): `Int(_:radix:)` alone would take a sign, and "-0d" is -13.
            guard !sizeText.isEmpty, sizeText.count <= 15, sizeText.allSatisfy(Self.isHexDigit),
                  let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16) else {
                throw malformed("bad chunk size")
            }
            if size == 0 { break }
            guard body.count + size <= maxBodyBytes else { throw .responseTooLarge(limit: maxBodyBytes, declaredLength: nil) }
            body += try readExactly(size)
            guard let end = try readLine(limit: 0, endOK: false), end.isEmpty else { throw malformed("chunk not followed by CRLF") }
        }
        var trailerBytes = 0
        while true {  // trailer fields are read and dropped
            guard let line = try readLine(limit: Self.maxHeadBytes - trailerBytes, endOK: false) else { throw closed }
            if line.isEmpty { return body }
            trailerBytes += line.count + 2
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    private var closed: HTTPClientError { .connectionClosed(host: connection.host, port: connection.port) }

    private func readExactly(_ count: Int) throws(HTTPClientError) -> [UInt8] {
        while connection.received.count - connection.receivedStart < count {
            guard try connection.receiveMore(deadline: deadline) == .open else { throw closed }
        }
        let bytes = Array(connection.received[connection.receivedStart..<(connection.receivedStart + count)])
        consume(count)
        return bytes
    }

    /// The next CRLF-terminated line without its CRLF; nil at the end of the stream when `endOK` and
    /// nothing was received. Longer than `limit` bytes or a bare LF is malformed.
    private func readLine(limit: Int, endOK: Bool) throws(HTTPClientError) -> [UInt8]? {
        var searched = connection.receivedStart
        while true {
            if let lf = connection.received[searched...].firstIndex(of: 0x0A) {
                guard lf > connection.receivedStart, connection.received[lf - 1] == 0x0D else { throw malformed("bare LF") }
                let line = Array(connection.received[connection.receivedStart..<(lf - 1)])
                guard line.count <= limit else { throw malformed("line longer than \(limit) bytes") }
                consume(lf + 1 - connection.receivedStart)
                return line
            }
            guard connection.received.count - connection.receivedStart <= limit + 1 else { throw malformed("line longer than \(limit) bytes") }
            searched = connection.received.count
            if try connection.receiveMore(deadline: deadline) != .open {
                if endOK, connection.receivedStart == connection.received.count { return nil }
                throw closed
            }
        }
    }

    /// Drops `count` consumed bytes, compacting the buffer once it is all consumed.
    private func consume(_ count: Int) {
        connection.receivedStart += count
        if connection.receivedStart == connection.received.count {
            connection.received.removeAll(keepingCapacity: true)
            connection.receivedStart = 0
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

/// Where a response's bytes come from: a connection (`HTTPClientConnection`) or, for fuzzing, a buffer.
package protocol HTTPResponseSource: AnyObject {
    /// Plaintext received and not yet consumed, from `receivedStart` on.
    var received: [UInt8] { get set }
    var receivedStart: Int { get set }
    /// For errors: where the bytes come from.
    var host: String { get }
    var port: Int { get }
    /// Appends more bytes to `received`, or says how the stream ended.
    func receiveMore(deadline: MonotonicInstant) throws(HTTPClientError) -> HTTPStreamEnd
}

/// What `receiveMore` found: more bytes, or the end of the stream: `.clean` for a TCP close (plain) or a
/// close_notify (TLS), `.unclean` for a TLS stream cut without close_notify.
package enum HTTPStreamEnd { case open, clean, unclean }
