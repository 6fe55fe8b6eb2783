import CanonicalJSON
import KeyBrokerProtocol

/// KBS 0.4.0 request and response bodies through the real decoders (`KBSMessage.init(jsonBytes:)`),
/// and the JSON parser underneath them.
enum KBSTargets {
    static let json = FuzzTarget(name: "kbs-json", summary: "KBS request/response JSON through the KeyBrokerProtocol decoders") { input in
        checkJSON(input)
        checkMessage(Request.self, input) { try $0.validate() }
        checkMessage(Challenge.self, input) { _ = try $0.hashAlgorithm() }
        checkMessage(Attestation.self, input) { attestation in
            _ = try attestation.snpEvidence()
            _ = try attestation.expectedReportData { Array($0.prefix(64)) }
        }
        checkMessage(Response.self, input) { _ = $0.additionalAuthenticatedData }
        checkMessage(ProblemDetails.self, input) { _ in }
        checkMessage(TokenResponse.self, input) { _ in }
        checkMessage(TPMQuoteEvidence.self, input) { _ = try $0.decoded() }
    }

    /// Canonical form is a fixed point: parse(canonical(x)) canonicalizes to the same bytes.
    static func checkJSON(_ input: [UInt8]) {
        let value: JSONValue
        do { value = try JSONParser.parse(input) } catch {
            _ = "\(error)"
            return
        }
        guard let canonical = try? value.canonicalBytes() else { return }
        guard let reparsed = try? JSONParser.parse(canonical) else { fatalError("fuzz invariant: canonical bytes do not parse") }
        fuzzCheck((try? reparsed.canonicalBytes()) == canonical, "canonical form is not a fixed point")
        guard let wire = try? value.serializedBytes() else { fatalError("fuzz invariant: canonical but not serializable") }
        fuzzCheck((try? JSONParser.parse(wire).serializedBytes()) == wire, "wire form is not a fixed point")
    }

    /// A decoded message re-encodes to bytes that decode and re-encode to the same bytes; its
    /// accessors fail only with typed errors.
    static func checkMessage<Message: KBSMessage>(_ type: Message.Type, _ input: [UInt8], _ use: (Message) throws -> Void) {
        let message: Message
        do { message = try Message(jsonBytes: input) } catch {
            _ = "\(error)"
            return
        }
        do { try use(message) } catch { _ = "\(error)" }
        guard let encoded = try? message.jsonBytes() else { return }
        guard let decoded = try? Message(jsonBytes: encoded) else { fatalError("fuzz invariant: re-encoded \(Message.self) does not decode") }
        fuzzCheck((try? decoded.jsonBytes()) == encoded, "\(Message.self) encoding is not a fixed point")
    }
}
