import CanonicalJSON
import SNPABI

extension SNPEvidence {
    /// sev `CertTableEntry` (SEV7 `host/types/snp.rs:185-193`): `{"cert_type": <CertType>, "data": [DER bytes]}`.
    public struct CertTableEntry: Codable, Hashable, Sendable {
        public let certType: CertType
        /// The certificate, DER.
        public let data: [UInt8]

        public init(certType: CertType, data: [UInt8]) {
            self.certType = certType
            self.data = data
        }

        /// Decodes through `init(json:path:)` (one decoder for the evidence, without the Codable bridge).
        public init(from decoder: any Decoder) throws {
            try self.init(json: try JSONValue(from: decoder), path: "")
        }

        /// `{"cert_type": …, "data": [bytes]}`.
        var json: JSONValue { ["cert_type": certType.json, "data": .array(data.map { .integer(Int64($0)) })] }

        public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
    }

    /// sev `CertType` (SEV7 `host/types/snp.rs:50-127`), an externally tagged serde enum:
    /// `"Empty"`, `"ARK"`, `"ASK"`, `"VCEK"`, `"VLEK"`, `"CRL"` or `{"OTHER":"<lower-case uuid>"}`.
    public enum CertType: Encodable, Hashable, Sendable {
        case empty, ark, ask, vcek, vlek, crl
        /// Any other GUID, lower-case hyphenated (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
        case other(guid: String)

        /// sev's names and the certificate-table GUIDs (SNPABI's ``GUID`` constants).
        static let names: [(CertType, String, GUID)] = [
            (.empty, "Empty", .zero), (.ark, "ARK", .ark), (.ask, "ASK", .ask), (.vcek, "VCEK", .vcek), (.vlek, "VLEK", .vlek),
            (.crl, "CRL", .crl),
        ]

        /// The type for a certificate-table GUID (as `SNP_GET_EXT_REPORT` returns it), by
        /// sev's GUID table; unknown GUIDs become `.other`. Nil if `guid` is not a UUID.
        public init?(guid: String) {
            guard let parsed = GUID(string: guid) else { return nil }
            self = Self.names.first { $0.2 == parsed }?.0 ?? .other(guid: parsed.description)
        }

        /// The GUID of this type in the certificate table.
        public var guid: String {
            if case .other(let guid) = self { return guid }
            return Self.names.first { $0.0 == self }!.2.description
        }

        /// Lower-case hyphenated form of a hyphenated UUID of either case, else nil.
        static func normalizedGUID(_ text: String) -> String? { GUID(string: text)?.description }

        /// sev's externally tagged form: the name, or `{"OTHER": guid}`.
        var json: JSONValue {
            if case .other(let guid) = self { return ["OTHER": .string(guid)] }
            return .string(Self.names.first { $0.0 == self }!.1)
        }

        public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
    }
}
