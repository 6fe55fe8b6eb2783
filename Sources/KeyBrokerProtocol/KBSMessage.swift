import CanonicalJSON

/// A KBS protocol message body: JSON on the wire, Codable through `JSONValueEncoder` and
/// `JSONValueDecoder`, with typed errors that name the offending member.
public protocol KBSMessage: Codable, Sendable {}

extension KBSMessage {
    /// Parses and decodes a message body (strict RFC 8259, duplicate members rejected).
    public init(jsonBytes: [UInt8], limits: JSONParser.Limits = .default) throws(KeyBrokerProtocolError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(jsonBytes, limits: limits)
        } catch {
            throw KeyBrokerProtocolError(.malformedJSON, field: "", reason: error.description, underlying: .json(error))
        }
        try self.init(json: value)
    }

    /// Decodes a message from an already parsed value.
    public init(json: JSONValue) throws(KeyBrokerProtocolError) {
        do {
            self = try JSONValueDecoder().decode(Self.self, from: json)
        } catch {
            throw KeyBrokerProtocolError(error)
        }
    }

    /// The message as a `JSONValue`.
    public func json() throws(KeyBrokerProtocolError) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(self)
        } catch {
            throw KeyBrokerProtocolError(error)
        }
    }

    /// The message body: compact JSON, members sorted, integers exact
    /// (`JSONValue.serializedBytes()`).
    public func jsonBytes() throws(KeyBrokerProtocolError) -> [UInt8] {
        do {
            return try json().serializedBytes()
        } catch let error as KeyBrokerProtocolError {
            throw error
        } catch {
            throw KeyBrokerProtocolError(.serializationFailed, field: "", reason: "\(error)")
        }
    }
}
