import CanonicalJSON

/// `tee-evidence.additional_evidence`: `""`, or the JSON text of a `{tee: evidence}` map
/// (GC `evidence_provider/native.rs:67-71`; TR `backend.rs:376-388`). guestguard writes the map
/// in RFC 8785 form so the text bound in REPORT_DATA is reproducible.
public enum AdditionalEvidence {
    /// The text for `evidences` (`""` when empty, so a guest without extra devices binds exactly
    /// what it bound before).
    public static func text(_ evidences: [Tee: JSONValue]) throws(KeyBrokerProtocolError) -> String {
        guard !evidences.isEmpty else { return "" }
        var members: [String: JSONValue] = [:]
        for (tee, evidence) in evidences { members[tee.rawValue] = evidence }
        do { return try JSONValue.object(members).canonicalText() } catch {
            throw KeyBrokerProtocolError(.serializationFailed, field: "additional_evidence", reason: "\(error)")
        }
    }

    /// Parses `text` into its map; `""` is the empty map. Unknown TEE names are an error.
    public static func parse(_ text: String) throws(KeyBrokerProtocolError) -> [Tee: JSONValue] {
        guard !text.isEmpty else { return [:] }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(text.utf8)) } catch {
            throw KeyBrokerProtocolError(.malformedJSON, field: "additional_evidence", reason: error.description, underlying: .json(error))
        }
        guard case .object(let members) = value else {
            throw KeyBrokerProtocolError(.typeMismatch, field: "additional_evidence", reason: "not a JSON object of TEE evidences")
        }
        var evidences: [Tee: JSONValue] = [:]
        for (name, evidence) in members {
            guard let tee = Tee(exactly: name) else {
                throw KeyBrokerProtocolError(.unsupportedTEE, field: "additional_evidence.\(name)", reason: "unknown TEE \"\(name)\"")
            }
            evidences[tee] = evidence
        }
        return evidences
    }

    /// The `tpm` entry of `text`, decoded, or nil when there is none.
    public static func tpmQuote(in text: String) throws(KeyBrokerProtocolError) -> TPMQuoteEvidence? {
        guard let evidence = try parse(text)[.tpm] else { return nil }
        do { return try TPMQuoteEvidence(json: evidence) } catch { throw error.prefixed(with: "additional_evidence.tpm") }
    }
}
