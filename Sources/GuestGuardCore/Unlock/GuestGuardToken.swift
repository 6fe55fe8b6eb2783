import CanonicalJSON

/// The LUKS2 token guestguard writes next to its keyslot (`type: "guestguard"`): which keyslot the
/// broker's key opens and which resource to ask for. The header is host-controlled, so the token
/// carries no broker trust at all: brokers and their pins or CA come only from ``BrokerTrust`` (the
/// measured initramfs configuration, the command line, `/etc/guestguard/guestguard.toml`).
///
/// ```json
/// {"type":"guestguard","keyslots":["1"],"guestguard_version":1,"resource":"default/disk/root"}
/// ```
///
/// Tokens written before issue 12 also carry `brokers`, `broker_pin` and `broker_ca`. They are still
/// read (so old volumes keep working) but never trusted: the broker list is kept only as
/// ``untrustedBrokers``, to be named in messages; pins and CAs are dropped. `enroll` rewrites such a
/// token without them.
public struct GuestGuardToken: Sendable, Hashable {
    public static let type = "guestguard"
    public static let formatVersion: Int64 = 1

    /// The keyslot the broker's key opens (exactly one).
    public var keyslot: Int
    /// `repo/type/tag`.
    public var resource: String
    /// The broker list of an old token: host-written, NEVER contacted; only for messages.
    public private(set) var untrustedBrokers: [String] = []
    /// Names of the legacy members present (`brokers`, `broker_pin`, `broker_ca`), sorted.
    public private(set) var legacyMembers: [String] = []

    public init(keyslot: Int, resource: String) {
        self.keyslot = keyslot
        self.resource = resource
    }

    /// Why a token's JSON was refused, naming the member.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let member: String
        public let reason: String
        public var description: String { "guestguard token: \(member): \(reason)" }
    }

    static let members: Set<String> = ["type", "keyslots", "guestguard_version", "resource"]
    static let legacy: Set<String> = ["brokers", "broker_pin", "broker_ca"]

    /// Parses a token's JSON text (as `crypt_token_json_get` returns it), strictly.
    public init(jsonText: String) throws(ParseError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonText) } catch { throw ParseError(member: "(document)", reason: "\(error)") }
        guard case .object(let object) = value else { throw ParseError(member: "(document)", reason: "not a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !Self.members.contains($0) && !Self.legacy.contains($0) }) {
            throw ParseError(member: unknown, reason: "unknown member (this build reads format \(Self.formatVersion))")
        }
        guard object["type"]?.stringValue == Self.type else { throw ParseError(member: "type", reason: "must be \"guestguard\"") }
        guard object["guestguard_version"]?.int64Value == Self.formatVersion else {
            throw ParseError(member: "guestguard_version", reason: "must be \(Self.formatVersion)")
        }
        guard let slots = object["keyslots"]?.arrayValue, slots.count == 1, let text = slots[0].stringValue, let slot = Int(text), (0...31).contains(slot) else {
            throw ParseError(member: "keyslots", reason: "must name exactly one keyslot 0…31 (as a string)")
        }
        guard let resource = object["resource"]?.stringValue, resource.split(separator: "/", omittingEmptySubsequences: false).count == 3 else {
            throw ParseError(member: "resource", reason: "must be REPO/TYPE/TAG")
        }
        self.init(keyslot: slot, resource: resource)
        // Legacy members: read loosely (they are never used), kept only to name the host-written brokers.
        legacyMembers = object.keys.filter { Self.legacy.contains($0) }.sorted()
        if let brokers = object["brokers"]?.arrayValue {
            untrustedBrokers = brokers.prefix(8).compactMap { $0.stringValue.map { String($0.prefix(512)) } }
        }
    }

    /// The token JSON for `crypt_token_json_set` (RFC 8785 member order).
    public var jsonText: String {
        let object: JSONValue = [
            "type": .string(Self.type), "keyslots": [.string(String(keyslot))], "guestguard_version": .integer(Self.formatVersion),
            "resource": .string(resource),
        ]
        return (try? object.canonicalText()) ?? "{}"
    }
}
