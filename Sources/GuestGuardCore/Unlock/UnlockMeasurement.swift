import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// The measured trace of a broker unlock: PCR 15 (configurable) is extended with
/// SHA-256 of the RFC 8785 document
///
/// ```
/// {"broker": URL, "event": "guestguard unlock", "key-id": "hmac-sha256:<16 hex>", "measurement": <96 hex>, "resource": "repo/type/tag"}
/// ```
///
/// `key-id` is the `kid` the broker sent in the JWE protected header, equal to its audit line's
/// `keyFingerprint`: an HMAC of the key under a secret only the broker holds, so a tenant can match
/// the PCR event with the release line while nobody can test passphrase guesses against it. The
/// guest never hashes the key itself. The member is omitted when the broker sent no `kid` (Trustee).
/// The document is also appended to `TpmPCRItem.eventLogPath` for `guestguard status`.
public struct UnlockMeasurement: Sendable, Hashable {
    public static let defaultPCR = 15
    /// Where `guestguard unlock` and `boot-unlock` record what they measured (`guestguard status` reads it).
    public static let eventLogPath = "/run/guestguard/unlock-measurement.json"
    public static let event = "guestguard unlock"

    public var broker: String
    public var resource: String
    /// MEASUREMENT of the SNP report that obtained the key (48 bytes).
    public var measurement: [UInt8]
    /// The broker's `kid`; nil when it sent none.
    public var keyID: String?

    public init(broker: String, resource: String, measurement: [UInt8], keyID: String?) {
        self.broker = broker
        self.resource = resource
        self.measurement = measurement
        self.keyID = keyID
    }

    /// The document's canonical bytes.
    public func canonicalBytes() -> [UInt8] {
        var members: [String: JSONValue] = [
            "broker": .string(broker), "event": .string(Self.event),
            "measurement": .string(Hex.encode(measurement)), "resource": .string(resource),
        ]
        if let keyID { members["key-id"] = .string(keyID) }
        let document = JSONValue.object(members)
        do { return try document.canonicalBytes() } catch { preconditionFailure("an object of strings always serializes: \(error)") }
    }

    /// What an extend did.
    public struct Extension: Sendable, Hashable {
        public let pcr: Int
        /// SHA-256 of the document: the value extended.
        public let digest: [UInt8]
        public let before: [UInt8]
        public let after: [UInt8]
    }

    /// Extends `pcr` with `sha256(canonicalBytes())`, reading the PCR before and after, and records
    /// the document in the event log `path` through `files` (best effort: the PCR is the record;
    /// `guestguard status` reads the default path).
    /// `sha256` is a parameter so that this module stays free of crypto.
    public func extend(
        _ tpm: any TrustedPlatformModule, pcr: Int = defaultPCR, files: (any FileSystem)? = nil, eventLog path: String = eventLogPath,
        sha256: ([UInt8]) -> [UInt8]
    ) throws(TPMError) -> Extension {
        let bytes = canonicalBytes()
        let digest = sha256(bytes)
        let before = try tpm.readPCRs([pcr])[pcr] ?? []
        try tpm.extendPCR(pcr, sha256: digest)
        let after = try tpm.readPCRs([pcr])[pcr] ?? []
        if let files {
            let previous = (try? files.readFile(path, limit: 1 << 16)) ?? []
            try? files.createDirectory(String(path[..<path.lastIndex(of: "/")!]), mode: 0o700)
            let line = Array("{\"pcr\":\(pcr),\"digest\":\"\(Hex.encode(digest))\",\"document\":".utf8) + bytes + Array("}\n".utf8)
            try? files.writeFile(path, bytes: previous + line, mode: 0o600)
        }
        return Extension(pcr: pcr, digest: digest, before: before, after: after)
    }
}
