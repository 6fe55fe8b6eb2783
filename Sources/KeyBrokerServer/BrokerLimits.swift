import GuestGuardHTTP

/// The broker's per-client rate limits (429 with `Retry-After` beyond them). `/auth` is
/// unauthenticated and creates a session; `/attest` verifies an AMD chain and signature: both are
/// limited per client address (IPv4, or IPv6 /64; ``HTTPRemoteAddress/rateLimitKey``).
///
/// Defaults: a burst of 20, then one request every 2 seconds, per client and endpoint. A guest
/// needs one `/auth` and one `/attest` per boot attempt. Many guests behind one NAT address share
/// a bucket: raise the rate for such a tenant (`guestguard-broker serve --client-burst/--client-rate`).
/// With the defaults and a 300 s session lifetime one address holds at most 20 + 150 sessions, so
/// filling the default cap of 100 000 takes about 590 addresses (or IPv6 /64s).
public struct BrokerLimits: Sendable, Hashable {
    public var auth: ClientRateLimiter.Settings
    public var attest: ClientRateLimiter.Settings

    public init(auth: ClientRateLimiter.Settings = .init(burst: 20, perSecond: 0.5),
                attest: ClientRateLimiter.Settings = .init(burst: 20, perSecond: 0.5)) {
        self.auth = auth
        self.attest = attest
    }
}
