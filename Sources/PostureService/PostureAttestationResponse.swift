import CanonicalJSON
import SNPABI

/// The body of `GET /v1/attestation` (JSON schema `guestguard.posture-attestation/v1`,
/// docs/serve.md): a fresh report bound to the tenant's nonce and to the posture document.
///
/// Binary members are base64url without padding. `document` holds the exact bytes the binding
/// hashes; a verifier must hash those bytes, never a re-serialization.
public struct PostureAttestationResponse: Sendable, Hashable {
    public static let schema = "guestguard.posture-attestation/v1"

    /// The nonce as the daemon understood it (decoded).
    public let nonce: [UInt8]
    /// ATTESTATION_REPORT, 0x4A0 bytes, as the secure processor returned it.
    public let report: [UInt8]
    /// The GHCB certificate table of the extended report (VCEK/VLEK, ASK, ARK), nil when the host
    /// supplied none.
    public let certificateTable: [UInt8]?
    /// The interface that produced the report (`configfs-tsm`, `sev-guest`, `simulator`).
    public let provider: String
    /// The posture document bytes (JCS-canonical JSON) the report is bound to.
    public let document: [UInt8]

    public init(nonce: [UInt8], report: [UInt8], certificateTable: [UInt8]?, provider: String, document: [UInt8]) {
        self.nonce = nonce
        self.report = report
        self.certificateTable = certificateTable
        self.provider = provider
        self.document = document
    }

    /// `documentSHA384` is informational (hex); verifiers recompute it from `document`.
    public func json(documentDigest: [UInt8]) -> JSONValue {
        [
            "schema": .string(Self.schema),
            "nonce": .string(Base64URL.encode(nonce)),
            "report": .string(Base64URL.encode(report)),
            "certificates": certificateTable.map { .string(Base64URL.encode($0)) } ?? .null,
            "provider": .string(provider),
            "document": .string(Base64URL.encode(document)),
            "documentSHA384": .string(Hex.encode(documentDigest)),
        ]
    }

    /// Parses a response body; unknown members are ignored, required ones must be present.
    public init(parsing body: [UInt8]) throws(PostureAttestationResponseError) {
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch { throw .notJSON("\(error)") }
        guard case .object(let members) = value else { throw .notJSON("not an object") }
        guard members["schema"]?.stringValue == Self.schema else {
            throw .wrongSchema(members["schema"]?.stringValue)
        }
        func binary(_ name: String) throws(PostureAttestationResponseError) -> [UInt8] {
            guard let text = members[name]?.stringValue else { throw .missingMember(name) }
            do { return try Base64URL.decode(text) } catch { throw .badBase64URL(member: name) }
        }
        nonce = try binary("nonce")
        report = try binary("report")
        document = try binary("document")
        switch members["certificates"] {
        case .none, .some(.null): certificateTable = nil
        case .some(.string): certificateTable = try binary("certificates")
        case .some: throw .badBase64URL(member: "certificates")
        }
        guard let provider = members["provider"]?.stringValue else { throw .missingMember("provider") }
        self.provider = provider
    }
}
