import GuestGuardHTTPClient

/// KBS requests over guestguard's HTTP/1.1 client (blocking sockets, TLS over the system OpenSSL with a
/// pinned CA or leaf). Per-request timeouts and the response-size limit are the client's.
public struct HTTPKBSTransport: KBSTransport {
    public let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        var base = broker
        while base.hasSuffix("/") { base.removeLast() }
        let url: HTTPURL
        do { url = try HTTPURL(base + request.path) } catch { throw .transport(broker: broker, reason: "\(error)") }
        var headers = HTTPHeaderFields()
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        let response: HTTPResponse
        do {
            response = try client.execute(HTTPClientRequest(method: HTTPRequestMethod(rawValue: request.method), url: url, headers: headers, body: request.body,
                                                               timeout: request.timeout))
        } catch {
            if case .tls(let tls) = error, tls.isAuthenticationFailure { throw .untrustedBroker(broker: broker, reason: "TLS: \(tls)") }
            throw .transport(broker: broker, reason: "\(error)")
        }
        return KBSHTTPResponse(status: response.status.code, headers: response.headers.map { ($0.name, $0.value) }, body: response.body)
    }
}
