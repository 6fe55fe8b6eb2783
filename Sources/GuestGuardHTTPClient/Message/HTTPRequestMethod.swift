/// An HTTP request method (RFC 9110 §9), compared case-sensitively as the RFC requires. Named apart
/// from NIOHTTP1's `HTTPMethod` (an enum of known methods), which the server and client map to and from.
public struct HTTPRequestMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The method token as it appears on the request line, e.g. `"GET"`.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let get: HTTPRequestMethod = "GET"
    public static let head: HTTPRequestMethod = "HEAD"
    public static let post: HTTPRequestMethod = "POST"
    public static let put: HTTPRequestMethod = "PUT"
    public static let delete: HTTPRequestMethod = "DELETE"
    public static let options: HTTPRequestMethod = "OPTIONS"
    public static let patch: HTTPRequestMethod = "PATCH"
}
