/// Which key brokers the guest may ask for its disk key, and how they are authenticated.
///
/// Sealing the key to the guest's `tee-pubkey` gives secrecy, not origin: anyone who saw `/attest`
/// (the host relays it) can answer `/resource` with a JWE of a key *it* chose, sealed to that public
/// key. So the broker's identity is what makes the key the tenant's, and it comes only from a source
/// the host cannot write: the configuration baked into the (measured) initramfs at boot, or on a
/// running system the command line or `/etc/guestguard/guestguard.toml`. Never the LUKS2 token,
/// never the kernel command line.
///
/// All brokers of one list share one authentication (https with one pin or one CA), so a failure of
/// one broker never makes the guest fall through to a weaker one. Plain http exists only behind an
/// explicit test-only switch, for every broker of the list, and ``warning`` must be shown on every use.
public struct BrokerTrust: Sendable, Hashable {
    public enum Authentication: Sendable, Hashable {
        /// `spki-sha256:<64 hex>` (SHA-256 of the leaf's SubjectPublicKeyInfo) or `certificate-sha256:<64 hex>`.
        case pin(String)
        /// Path of a pinned CA certificate (PEM); the broker's certificate must chain to it and name its host.
        case caFile(String)
        /// TEST ONLY: plain http, nothing authenticates the broker.
        case plainHTTPTestOnly
    }

    /// Base URLs, tried in order (1…8).
    public let brokers: [String]
    public let authentication: Authentication
    /// Where the list came from (`--broker`, a configuration file), for messages.
    public let source: String

    public static let maximumBrokers = 8

    /// Validates a broker list and its authentication; every broker must pass the same rules.
    /// - Parameters:
    ///   - pin: a pin as ``normalizedPin(_:)`` accepts it.
    ///   - allowPlainHTTP: the explicit test-only switch; without it an `http://` broker is refused.
    public init(brokers: [String], pin: String?, caFile: String?, allowPlainHTTP: Bool, source: String) throws(BrokerTrustError) {
        guard !brokers.isEmpty, brokers.count <= Self.maximumBrokers else { throw .brokerCount(brokers.count) }
        for (index, url) in brokers.enumerated() {
            guard url.utf8.count <= 512, !url.contains(where: \.isWhitespace), let scheme = Self.scheme(url) else {
                throw .notAURL(index: index, url: url)
            }
            if scheme == "http", !allowPlainHTTP { throw .plainHTTP(index: index, url: url) }
        }
        let schemes = Set(brokers.compactMap(Self.scheme))
        guard schemes.count == 1, let scheme = schemes.first else {
            throw .mixedSchemes(index: brokers.firstIndex { Self.scheme($0) != Self.scheme(brokers[0]) } ?? 0)
        }
        if pin != nil, caFile != nil { throw .pinAndCA }
        let authentication: Authentication
        if scheme == "http" {
            guard pin == nil, caFile == nil else { throw .pinForPlainHTTP }
            authentication = .plainHTTPTestOnly
        } else if let pin {
            guard let normalized = Self.normalizedPin(pin) else { throw .badPin(pin) }
            authentication = .pin(normalized)
        } else if let caFile {
            guard caFile.hasPrefix("/") else { throw .relativeCAPath(caFile) }
            authentication = .caFile(caFile)
        } else {
            throw .httpsWithoutPin(url: brokers[0])
        }
        self.brokers = brokers
        self.authentication = authentication
        self.source = source
    }

    /// `"https"` or `"http"` for a URL with a non-empty host part, else nil.
    static func scheme(_ url: String) -> String? {
        for scheme in ["https", "http"] where url.lowercased().hasPrefix(scheme + "://") && url.utf8.count > scheme.utf8.count + 3 {
            return scheme
        }
        return nil
    }

    /// `spki-sha256:<lowercase hex>` or `certificate-sha256:<lowercase hex>` for a pin given with either
    /// prefix or as bare hex (an SPKI pin); nil unless the hex is exactly 64 digits.
    public static func normalizedPin(_ text: String) -> String? {
        let (prefix, hex): (String, Substring) =
            if text.hasPrefix("certificate-sha256:") { ("certificate-sha256:", text.dropFirst(19)) }
            else if text.hasPrefix("spki-sha256:") { ("spki-sha256:", text.dropFirst(12)) }
            else { ("spki-sha256:", Substring(text)) }
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
            return nil
        }
        return prefix + hex.lowercased()
    }

    /// The line to show on every use of an unauthenticated (test-only) broker list; nil otherwise.
    public var warning: String? {
        guard authentication == .plainHTTPTestOnly else { return nil }
        return "TEST ONLY: plain http to \(brokers.joined(separator: ", ")) (\(source)): nothing authenticates the broker, "
            + "so whoever controls the network can release a key of its choice; never in production"
    }

    /// A line about brokers a LUKS2 token names that are not in this list: they are host-written and never contacted.
    public func ignoredTokenBrokers(_ named: [String]) -> String? {
        let foreign = named.filter { !brokers.contains($0) }
        guard !foreign.isEmpty else { return nil }
        return "the LUKS2 token names broker\(foreign.count == 1 ? "" : "s") \(foreign.joined(separator: ", ")): "
            + "not trusted (the header is host-writable), not contacted; brokers come from \(source)"
    }
}

/// Why a broker list was refused. ``index`` names the offending broker, when one is.
public enum BrokerTrustError: Error, Sendable, Hashable, CustomStringConvertible {
    case brokerCount(Int)
    case notAURL(index: Int, url: String)
    case plainHTTP(index: Int, url: String)
    case mixedSchemes(index: Int)
    case pinAndCA
    case pinForPlainHTTP
    case badPin(String)
    case relativeCAPath(String)
    case httpsWithoutPin(url: String)

    /// The broker the error is about (its position in the list), if any.
    public var index: Int? {
        switch self {
        case .notAURL(let index, _), .plainHTTP(let index, _), .mixedSchemes(let index): return index
        case .httpsWithoutPin: return 0
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .brokerCount(let count): return "1…\(BrokerTrust.maximumBrokers) broker URLs (got \(count))"
        case .notAURL(_, let url): return "an https URL (got \(String(reflecting: url)))"
        case .plainHTTP(_, let url):
            return "an https URL with a broker pin or CA: \(url) is plain http, which authenticates no broker "
                + "(only behind the test-only switch: [test-only] allow-plain-http = true, or --test-only-plain-http)"
        case .mixedSchemes:
            return "brokers that all use the same scheme: one list shares one trust, so a blocked https broker cannot fall through to plain http"
        case .pinAndCA: return "a broker pin or a broker CA, not both"
        case .pinForPlainHTTP: return "no broker pin or CA with plain http brokers (a pin over plain http authenticates nothing)"
        case .badPin(let pin): return "spki-sha256:<64 hex> or certificate-sha256:<64 hex> (got \(String(reflecting: pin)))"
        case .relativeCAPath(let path): return "an absolute path for the broker CA (got \(String(reflecting: path)))"
        case .httpsWithoutPin(let url):
            return "a broker pin or CA for \(url) (https brokers are authenticated only by a pin or CA; the system trust store is not used)"
        }
    }
}
