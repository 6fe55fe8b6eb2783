import CanonicalJSON
import KeyBrokerServer
import Testing

/// `AuditEvent.lineBytes` writes the line without building a JSON tree: byte for byte what the
/// event's `JSONValue` object serializes to in RFC 8785 form (the independent path here).
@Suite struct AuditLineTests {
    func reference(_ event: AuditEvent) throws -> String {
        var members: [String: JSONValue] = [
            "time": .string(event.time), "decision": .string(event.decision.rawValue), "endpoint": .string(event.endpoint),
            "session": .optional(event.session), "resource": .optional(event.resource), "client": .optional(event.client),
            "measurement": .optional(event.measurement), "chipID": .optional(event.chipID), "keyFingerprint": .optional(event.keyFingerprint),
            "reasons": .array(event.reasons.map { .string($0) }),
        ]
        if let tpm = event.tpm { members["tpm"] = .string(tpm) }
        if let label = event.measurementLabel { members["measurementLabel"] = .string(label) }
        return try JSONValue.object(members).canonicalText()
    }

    static let events: [AuditEvent] = {
        let bare = AuditEvent(time: "2026-12-07T00:00:00Z", decision: .challenge, endpoint: "auth")
        var full = AuditEvent(time: "2026-12-07T00:00:01Z", decision: .release, endpoint: "resource", session: "s-1", resource: "default/disk/root",
                              client: "127.0.0.1", measurement: String(repeating: "ab", count: 48), chipID: String(repeating: "cd", count: 64),
                              keyFingerprint: "kid-1", reasons: ["ok", "quote \"verified\"", "tab\there", "nul\u{0}\u{1f}\u{7f}", "é ☃ 𝄞", "back\\slash\n"])
        full.tpm = "quote verified, PCR15=00"
        full.measurementLabel = "image 2026-12"
        var labelOnly = AuditEvent(time: "t", decision: .policy, endpoint: "cli", reasons: [])
        labelOnly.measurementLabel = ""
        var tpmOnly = AuditEvent(time: "t", decision: .refusal, endpoint: "attest", session: "", reasons: ["\u{8}\u{c}\r"])
        tpmOnly.tpm = "no quote"
        return [bare, full, labelOnly, tpmOnly]
    }()

    @Test(arguments: 0..<events.count) func theLineIsTheCanonicalObject(index: Int) throws {
        let event = Self.events[index]
        let expected = try reference(event)
        #expect(event.line == expected)
        #expect(event.lineBytes() == Array(expected.utf8))
        #expect(event.lineBytes(terminator: 0x0A) == Array((expected + "\n").utf8))
    }
}
