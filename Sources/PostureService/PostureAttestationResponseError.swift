/// Why an attestation response body could not be read.
public enum PostureAttestationResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    case notJSON(String)
    case wrongSchema(String?)
    case missingMember(String)
    case badBase64URL(member: String)

    public var description: String {
        switch self {
        case .notJSON(let reason): return "the response is not a JSON object: \(reason)"
        case .wrongSchema(let found): return "schema is \(found.map { "\"\($0)\"" } ?? "missing"), expected \"\(PostureAttestationResponse.schema)\""
        case .missingMember(let name): return "member \"\(name)\" is missing or not a string"
        case .badBase64URL(let name): return "member \"\(name)\" is not base64url (no padding)"
        }
    }
}
