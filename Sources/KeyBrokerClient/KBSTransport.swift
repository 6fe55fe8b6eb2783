import GuestGuardPlatform
import KeyBrokerProtocol
import KeyBrokerJWE

/// One HTTP exchange with a broker, independent of the HTTP stack (the guest wires guestguard's
/// HTTP/1 client; tests wire the broker service in-process or over loopback).
public struct KBSHTTPRequest: Sendable {
    public var method: String
    /// Path below the broker's base URL, e.g. `/kbs/v0/auth`.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The whole exchange (connect, TLS, request, response) must end within this; nil: the transport's own timeout.
    /// Set by ``KeyBrokerClient`` from what is left of its ``KeyBrokerClient/brokerDeadline``.
    public var timeout: Duration?

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

public struct KBSHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

/// Sends requests to one broker URL. Implementations enforce timeouts and response-size limits
/// and report failures as `KeyBrokerClientError.transport`.
public protocol KBSTransport: Sendable {
    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse
}

/// The guest's ephemeral key: its public half goes into `runtime-data.tee-pubkey` (and so into
/// REPORT_DATA); its private half opens the broker's JWE.
public protocol ResourceKeyPair: Sendable {
    var publicKey: KeyBrokerProtocol.EphemeralPublicKey { get }
    func open(_ response: KeyBrokerProtocol.Response) throws -> GuestGuardPlatform.SecretBytes
}

/// The JWE ephemeral key is the client's key pair.
extension EphemeralKeyPair: ResourceKeyPair {
    public func open(_ response: Response) throws -> SecretBytes { try decrypt(response) }
}
