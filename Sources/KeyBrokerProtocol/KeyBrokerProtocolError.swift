import CanonicalJSON

/// A KBS message that could not be parsed, decoded, validated or built.
///
/// `field` is the path of the offending member in the message, e.g.
/// `tee-evidence.primary_evidence.attestation_report.chip_id` or `cert_chain[0].data[5]`
/// (empty for the message as a whole). Two errors are equal when `code` and `field` are equal;
/// `reason` and `underlying` are explanation only.
public struct KeyBrokerProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Open for growth: compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The body is not a JSON text (see `underlying`).
        public static let malformedJSON = Code("malformedJSON")
        /// A required member is absent (or an array is too short).
        public static let missingField = Code("missingField")
        /// A member has the wrong JSON type (e.g. a string where an integer belongs, or null).
        public static let typeMismatch = Code("typeMismatch")
        /// A member has the right type but a value that is not allowed (unknown enum string,
        /// out-of-range integer, wrong array length, bad base64url …).
        public static let invalidValue = Code("invalidValue")
        /// `version` is not `KBSProtocol.version`.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// `tee` is a known TEE other than the one expected.
        public static let unsupportedTEE = Code("unsupportedTEE")
        /// The TEE public key is not one Trustee (and guestguard) accepts.
        public static let invalidKey = Code("invalidKey")
        /// SNP evidence that cannot be turned back into the signed report bytes.
        public static let invalidEvidence = Code("invalidEvidence")
        /// A digest that does not fit REPORT_DATA (empty or longer than 64 bytes).
        public static let invalidDigest = Code("invalidDigest")
        /// A value could not be serialized (e.g. an integer JSON cannot carry exactly).
        public static let serializationFailed = Code("serializationFailed")
    }

    /// The lower-level error, when there is one.
    public enum Underlying: Hashable, Sendable {
        case json(JSONParseError)
        case base64(Base64DecodingError)
        case evidence(SNPEvidenceError)
    }

    public let code: Code
    public let field: String
    public let reason: String
    public let underlying: Underlying?

    public init(_ code: Code, field: String, reason: String, underlying: Underlying? = nil) {
        self.code = code
        self.field = field
        self.reason = reason
        self.underlying = underlying
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.field == rhs.field }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(field)
    }

    public var description: String {
        field.isEmpty ? "\(code): \(reason)" : "\(code) at \(field): \(reason)"
    }

    /// The same error located under `prefix` (e.g. an evidence error inside an `Attestation`).
    func prefixed(with prefix: String) -> Self {
        guard !prefix.isEmpty else { return self }
        let joined = field.isEmpty ? prefix : (field.hasPrefix("[") ? prefix + field : prefix + "." + field)
        return Self(code, field: joined, reason: reason, underlying: underlying)
    }
}

extension KeyBrokerProtocolError {
    /// Renders a Codable coding path as `a.b[3].c`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    /// Maps a `DecodingError` to the member it names.
    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.missingField, field: Self.path(context.codingPath + [key]), reason: context.debugDescription)
        case .valueNotFound(_, let context):
            self.init(.missingField, field: Self.path(context.codingPath), reason: context.debugDescription)
        case .typeMismatch(_, let context):
            self.init(.typeMismatch, field: Self.path(context.codingPath), reason: context.debugDescription)
        case .dataCorrupted(let context):
            let field = Self.path(context.codingPath)
            switch context.underlyingError {
            case let inner as KeyBrokerProtocolError:
                self = inner.prefixed(with: field)
            case let base64 as Base64DecodingError:
                self.init(.invalidValue, field: field, reason: "not base64url: \(base64)", underlying: .base64(base64))
            default:
                self.init(.invalidValue, field: field, reason: context.debugDescription)
            }
        @unknown default:
            self.init(.invalidValue, field: "", reason: "\(error)")
        }
    }

    /// Maps an `EncodingError` to the member it names.
    init(_ error: EncodingError) {
        switch error {
        case .invalidValue(_, let context):
            self.init(.serializationFailed, field: Self.path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            self.init(.serializationFailed, field: "", reason: "\(error)")
        }
    }
}
