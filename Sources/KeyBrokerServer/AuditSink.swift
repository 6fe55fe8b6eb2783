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
    public var line: String {
        var object: JSONValue = [
            "time": .string(time), "decision": .string(decision.rawValue), "endpoint": .string(endpoint),
            "session": .optional(session), "resource": .optional(resource), "client": .optional(client),
            "measurement": .optional(measurement), "chipID": .optional(chipID), "keyFingerprint": .optional(keyFingerprint),
            "reasons": .array(reasons.map { .string($0) }),
        ]
        if case .object(var members) = object {
            if let tpm { members["tpm"] = .string(tpm) }
            if let measurementLabel { members["measurementLabel"] = .string(measurementLabel) }
            object = .object(members)
        }
        return (try? object.canonicalText()) ?? "{\"decision\":\"\(decision.rawValue)\",\"error\":\"unserializable audit event\"}"
    }
}

/// Where audit lines go (a file, standard output, a test's memory).
public protocol AuditSink: Sendable {
    /// Appends `event` and returns only once it is written. Throws when it cannot be: the broker
    /// then releases nothing (fail closed), since a release nobody can audit must not happen.
    func record(_ event: AuditEvent) throws(PlatformError)
}
