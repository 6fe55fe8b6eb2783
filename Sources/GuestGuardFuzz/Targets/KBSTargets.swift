import CanonicalJSON
import KeyBrokerProtocol

/// KBS 0.4.0 request and response bodies through the real decoders: `KBSMessage.init(jsonBytes:)` is
/// `JSONParser.parse` then `init(json:)`; the input is parsed once and decoded as every message type.
enum KBSTargets {
    static let json = FuzzTarget(name: "kbs-json", summary: "KBS request/response JSON through the KeyBrokerProtocol decoders") { input in
        guard let value = checkJSON(input) else { return }
        checkMessage(Request.self, value) { try $0.validate() }
        checkMessage(Challenge.self, value) { _ = try $0.hashAlgorithm() }
        checkMessage(Attestation.self, value) { attestation in
            let evidence = try attestation.snpEvidence()
            // JSON → SNPABI report → JSON → report is lossless (one codec, both ways).
            fuzzCheck((try? SNPEvidence(json: evidence.json())) == evidence, "SNP evidence does not round-trip through its JSON form")
            _ = try attestation.expectedReportData { Array($0.prefix(64)) }
        }
        checkMessage(Response.self, value) { _ = $0.additionalAuthenticatedData }
        checkMessage(ProblemDetails.self, value) { _ in }
        checkMessage(TokenResponse.self, value) { _ in }
        checkMessage(TPMQuoteEvidence.self, value) { _ = try $0.decoded() }
    }

    /// Canonical form is a fixed point: parse(canonical(x)) canonicalizes to the same bytes.
    static func checkJSON(_ input: [UInt8]) -> JSONValue? {
        let value: JSONValue
        do { value = try JSONParser.parse(input) } catch {
            _ = "\(error)"
            return nil
        }
        guard let canonical = try? value.canonicalBytes() else { return value }
        guard let reparsed = try? JSONParser.parse(canonical) else { fatalError("fuzz invariant: canonical bytes do not parse") }
        fuzzCheck((try? reparsed.canonicalBytes()) == canonical, "canonical form is not a fixed point")
        guard let wire = try? value.serializedBytes() else { fatalError("fuzz invariant: canonical but not serializable") }
        fuzzCheck((try? JSONParser.parse(wire).serializedBytes()) == wire, "wire form is not a fixed point")
        return value
    }

    /// A decoded message re-encodes to bytes that decode and re-encode to the same bytes; its
    /// accessors fail only with typed errors.
    static func checkMessage<Message: KBSMessage>(_ type: Message.Type, _ value: JSONValue, _ use: (Message) throws -> Void) {
        let message: Message
        do { message = try Message(json: value) } catch {
            _ = "\(error)"
            return
        }
        do { try use(message) } catch { _ = "\(error)" }
        guard let encoded = try? message.jsonBytes() else { return }
        guard let decoded = try? Message(jsonBytes: encoded) else { fatalError("fuzz invariant: re-encoded \(Message.self) does not decode") }
        fuzzCheck((try? decoded.jsonBytes()) == encoded, "\(Message.self) encoding is not a fixed point")
    }
}
