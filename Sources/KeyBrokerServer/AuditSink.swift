import CanonicalJSON
import GuestGuardPlatform

/// One decision of the broker, written as a JSON line. Never contains key material: resources are
/// named, keys are identified only by their `key-id`, a keyed fingerprint (``KeyFingerprinter``),
/// never a plain hash that would let a reader test guessed passphrases offline.
public struct AuditEvent: Sendable {
    public enum Decision: String, Sendable {
        case challenge, attested, release, refusal
        /// A release policy changed (`guestguard-broker policy allow-measurement`, `revoke-measurement`).
        case policy
    }

    public var time: String
    public var decision: Decision
    public var endpoint: String
    public var session: String?
    public var resource: String?
    public var client: String?
    public var measurement: String?
    public var chipID: String?
    public var keyFingerprint: String?
    public var reasons: [String]
    /// The TPM outcome (`quote verified, PCR15=…`, `no quote`); the member is omitted when nil.
    public var tpm: String? = nil
    /// The label of the allowed MEASUREMENT that matched (release) or that changed (policy); omitted when nil.
    public var measurementLabel: String? = nil

    public init(time: String, decision: Decision, endpoint: String, session: String? = nil, resource: String? = nil, client: String? = nil,
                measurement: String? = nil, chipID: String? = nil, keyFingerprint: String? = nil, reasons: [String] = [])
    {
        self.time = time
        self.decision = decision
        self.endpoint = endpoint
        self.session = session
        self.resource = resource
        self.client = client
        self.measurement = measurement
        self.chipID = chipID
        self.keyFingerprint = keyFingerprint
        self.reasons = reasons
    }

    /// The canonical JSON line (RFC 8785 member order), without the newline.
    public var line: String { String(decoding: lineBytes(), as: UTF8.self) }

    /// ``line``'s UTF-8 bytes followed by `terminator`, written straight into one array: the
    /// members in RFC 8785 order (sorted by UTF-16 code units: chipID, client, decision, endpoint,
    /// keyFingerprint, measurement, measurementLabel, reasons, resource, session, time, tpm), an
    /// absent optional as `null` except `measurementLabel` and `tpm`, which are then omitted.
    /// Byte for byte what the `JSONValue` object's `canonicalText()` gives (tested).
    public func lineBytes(terminator: UInt8? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320 + reasons.reduce(0) { $0 + $1.utf8.count + 3 })
        func raw(_ text: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }
        /// `name` comes with its quotes, colon and (but the first) leading comma.
        func member(_ name: StaticString, _ value: String?) {
            raw(name)
            if let value { JSONValue.writeString(value, to: &out) } else { raw("null") }
        }
        member("{\"chipID\":", chipID)
        member(",\"client\":", client)
        member(",\"decision\":", decision.rawValue)
        member(",\"endpoint\":", endpoint)
        member(",\"keyFingerprint\":", keyFingerprint)
        member(",\"measurement\":", measurement)
        if let measurementLabel { member(",\"measurementLabel\":", measurementLabel) }
        raw(",\"reasons\":[")
        for (index, reason) in reasons.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(reason, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        member(",\"resource\":", resource)
        member(",\"session\":", session)
        member(",\"time\":", time)
        if let tpm { member(",\"tpm\":", tpm) }
        out.append(UInt8(ascii: "}"))
        if let terminator { out.append(terminator) }
        return out
    }
}

/// Where audit lines go (a file, standard output, a test's memory).
public protocol AuditSink: Sendable {
    /// Appends `event` and returns only once it is written. Throws when it cannot be: the broker
    /// then releases nothing (fail closed), since a release nobody can audit must not happen.
    func record(_ event: AuditEvent) throws(PlatformError)
}
