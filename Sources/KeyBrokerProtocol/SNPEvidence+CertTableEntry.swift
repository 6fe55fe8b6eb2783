import CanonicalJSON

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

        enum CodingKeys: String, CodingKey {
            case certType = "cert_type"
            case data
        }

        /// Decodes through `init(json:path:)` (one decoder for the evidence, without the Codable bridge).
        public init(from decoder: any Decoder) throws {
            try self.init(json: try JSONValue(from: decoder), path: "")
        }
    }

    /// sev `CertType` (SEV7 `host/types/snp.rs:50-127`), an externally tagged serde enum:
    /// `"Empty"`, `"ARK"`, `"ASK"`, `"VCEK"`, `"VLEK"`, `"CRL"` or `{"OTHER":"<lower-case uuid>"}`.
    public enum CertType: Encodable, Hashable, Sendable {
        case empty, ark, ask, vcek, vlek, crl
        /// Any other GUID, lower-case hyphenated (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
        case other(guid: String)

        static let names: [(CertType, String, String)] = [
            (.empty, "Empty", "00000000-0000-0000-0000-000000000000"),
            (.ark, "ARK", "c0b406a4-a803-4952-9743-3fb6014cd0ae"),
            (.ask, "ASK", "4ab7b379-bbac-4fe4-a02f-05aef327c782"),
            (.vcek, "VCEK", "63da758d-e664-4564-adc5-f4b93be8accd"),
            (.vlek, "VLEK", "a8074bc2-a25a-483e-aae6-39c045a0b8a1"),
            (.crl, "CRL", "92f81bc3-5811-4d3d-97ff-d19f88dc67ea"),
        ]

        /// The type for a certificate-table GUID (as `SNP_GET_EXT_REPORT` returns it), by
        /// sev's GUID table; unknown GUIDs become `.other`. Nil if `guid` is not a UUID.
        public init?(guid: String) {
            guard let normalized = Self.normalizedGUID(guid) else { return nil }
            self = Self.names.first { $0.2 == normalized }?.0 ?? .other(guid: normalized)
        }

        /// The GUID of this type in the certificate table.
        public var guid: String {
            if case .other(let guid) = self { return guid }
            return Self.names.first { $0.0 == self }!.2
        }

        /// Lower-case hyphenated form of a hyphenated UUID of either case, else nil.
        static func normalizedGUID(_ text: String) -> String? {
            let bytes = Array(text.utf8)
            guard bytes.count == 36 else { return nil }
            var out: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    out.append(byte)
                    continue
                }
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(byte + 0x20)
                default: return nil
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        enum OtherKey: String, CodingKey {
            case other = "OTHER"
        }

        public func encode(to encoder: any Encoder) throws {
            if case .other(let guid) = self {
                var container = encoder.container(keyedBy: OtherKey.self)
                try container.encode(guid, forKey: .other)
            } else {
                var container = encoder.singleValueContainer()
                try container.encode(Self.names.first { $0.0 == self }!.1)
            }
        }
    }
}
