import GuestGuardHTTP

extension KeyBrokerService {
    /// The HTTP routes: `/kbs/v0/…`, `/healthz`, `/metrics`. Every request is handed to `handle`,
    /// which applies Trustee's status codes and problem documents; the HTTP layer enforces the
    /// size, header-count and time limits before a request reaches it.
    public func router() -> HTTPRouter {
        var router = HTTPRouter()
        let handler: HTTPRouter.Handler = { [self] request in
            let brokerRequest = BrokerRequest(
                method: request.method.rawValue, path: request.path, headers: request.headers.map { ($0.name, $0.value) },
                body: request.body, client: request.remoteAddress.map { "\($0)" },
                // Every request from the network is limited; one without a known peer counts as one client.
                rateLimitKey: request.remoteAddress?.rateLimitKey ?? "unknown")
            let response = await self.handle(brokerRequest)
            var headers = HTTPHeaderFields()
            for header in response.headers { headers.add(name: header.name, value: header.value) }
            return HTTPResponse(status: HTTPStatus(code: response.status), headers: headers, body: response.body)
        }
        router.add(.post, "/kbs/v0/auth", handler: handler)
        router.add(.post, "/kbs/v0/attest", handler: handler)
        router.add(.get, "/kbs/v0/*", handler: handler)
        router.add(.get, "/healthz", handler: handler)
        router.add(.get, "/metrics", handler: handler)
        return router
    }
}
