import CanonicalJSON

/// The LUKS2 token guestguard writes next to its keyslot (`type: "guestguard"`): which keyslot the
/// broker's key opens, and where and how to ask for that key. The header is host-controlled, so a
/// token is a hint, never trust: the brokers and pins it names must match the configuration baked
/// into the (measured) initramfs before they are used, and the header is validated before any
/// keyslot is opened.
///
/// ```json
/// {"type":"guestguard","keyslots":["1"],"guestguard_version":1,
///  "brokers":["https://kbs.example:8080"],"resource":"default/disk/root",
///  "broker_pin":"spki-sha256:<64 hex>"}
/// ```
public struct GuestGuardToken: Sendable, Hashable {
    public static let type = "guestguard"
    public static let formatVersion: Int64 = 1

    /// The keyslot the broker's key opens (exactly one).
    public var keyslot: Int
    public var brokers: [String]
    /// `repo/type/tag`.
    public var resource: String
    /// `spki-sha256:<hex>` or `certificate-sha256:<hex>`, or nil when a CA is pinned instead.
    public var brokerPin: String?
    /// A pinned CA certificate (PEM), or nil when a leaf pin is used (or the broker is plain HTTP in tests).
    public var brokerCA: String?

    public init(keyslot: Int, brokers: [String], resource: String, brokerPin: String? = nil, brokerCA: String? = nil) {
        self.keyslot = keyslot
        self.brokers = brokers
        self.resource = resource
        self.brokerPin = brokerPin
        self.brokerCA = brokerCA
    }

    /// Why a token's JSON was refused, naming the member.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let member: String
        public let reason: String
        public var description: String { "guestguard token: \(member): \(reason)" }
    }

    static let members: Set<String> = ["type", "keyslots", "guestguard_version", "brokers", "resource", "broker_pin", "broker_ca"]

    /// Parses a token's JSON text (as `crypt_token_json_get` returns it), strictly.
    public init(jsonText: String) throws(ParseError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonText) } catch { throw ParseError(member: "(document)", reason: "\(error)") }
        guard case .object(let object) = value else { throw ParseError(member: "(document)", reason: "not a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !Self.members.contains($0) }) {
            throw ParseError(member: unknown, reason: "unknown member (this build reads format \(Self.formatVersion))")
        }
        guard object["type"]?.stringValue == Self.type else { throw ParseError(member: "type", reason: "must be \"guestguard\"") }
        guard object["guestguard_version"]?.int64Value == Self.formatVersion else {
            throw ParseError(member: "guestguard_version", reason: "must be \(Self.formatVersion)")
        }
        guard let slots = object["keyslots"]?.arrayValue, slots.count == 1, let text = slots[0].stringValue, let slot = Int(text), (0...31).contains(slot) else {
            throw ParseError(member: "keyslots", reason: "must name exactly one keyslot 0…31 (as a string)")
        }
        guard let brokerValues = object["brokers"]?.arrayValue, !brokerValues.isEmpty, brokerValues.count <= 8 else {
            throw ParseError(member: "brokers", reason: "must list 1…8 broker URLs")
        }
        var brokers: [String] = []
        for broker in brokerValues {
            guard let url = broker.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://"), url.utf8.count <= 512 else {
                throw ParseError(member: "brokers", reason: "each entry must be an http(s) URL")
            }
            brokers.append(url)
        }
        guard let resource = object["resource"]?.stringValue, resource.split(separator: "/", omittingEmptySubsequences: false).count == 3 else {
            throw ParseError(member: "resource", reason: "must be REPO/TYPE/TAG")
        }
        // JSONValue is ExpressibleByNilLiteral, so spell out the Optional: a JSON null means absent.
        let pin: JSONValue? = object["broker_pin"] == .some(.null) ? nil : object["broker_pin"]
        if let pin, pin.stringValue.map({ $0.hasPrefix("spki-sha256:") || $0.hasPrefix("certificate-sha256:") }) != true {
            throw ParseError(member: "broker_pin", reason: "must be spki-sha256:<hex> or certificate-sha256:<hex>")
        }
        let ca: JSONValue? = object["broker_ca"] == .some(.null) ? nil : object["broker_ca"]
        if let ca, ca.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") != true {
            throw ParseError(member: "broker_ca", reason: "must be a PEM certificate")
        }
        self.init(keyslot: slot, brokers: brokers, resource: resource, brokerPin: pin?.stringValue, brokerCA: ca?.stringValue)
    }

    /// The token JSON for `crypt_token_json_set` (RFC 8785 member order).
    public var jsonText: String {
        let object: JSONValue = [
            "type": .string(Self.type), "keyslots": [.string(String(keyslot))], "guestguard_version": .integer(Self.formatVersion),
            "brokers": .array(brokers.map { .string($0) }), "resource": .string(resource),
            "broker_pin": .optional(brokerPin), "broker_ca": .optional(brokerCA),
        ]
        return (try? object.canonicalText()) ?? "{}"
    }
}
