import CanonicalJSON
import LUKS2Policy
import Testing

/// Unknown shapes in the metadata become violations naming the path, never a crash.
@Suite struct LUKS2MalformedMetadataTests {
    static let good: JSONValue = {
        let image = try! LUKS2Image()
        try! image.addToken(keyslots: [0])
        return try! image.metadata()
    }()

    /// (edit path, new value, the path the violation must name)
    static let edits: [(String, JSONValue?, String)] = [
        ("segments.0.offset", 16_777_216, "segments.0.offset"),  // a number where libcryptsetup writes a decimal string
        ("config.json_size", "12k", "config.json_size"),
        ("config.keyslots_size", "-1", "config.keyslots_size"),
        ("config.keyslots_size", "99999999999999999999", "config.keyslots_size"),
        ("config", nil, "config"),
        ("keyslots.0.key_size", "64", "keyslots.0.key_size"),
        ("keyslots.0.kdf.iterations", "1000", "keyslots.0.kdf.iterations"),
        ("keyslots.0.kdf.iterations", -1, "keyslots.0.kdf.iterations"),
        ("keyslots.0.kdf.iterations", 1.5, "keyslots.0.kdf.iterations"),
        ("keyslots.0.kdf", .array([]), "keyslots.0.kdf"),
        ("keyslots.0.area.size", nil, "keyslots.0.area.size"),
        ("keyslots.0.type", "reencrypt", "keyslots.0.type"),
        ("keyslots.0.af.stripes", 4_000_000, "keyslots.0.af.stripes"),
        ("keyslots.1", "garbage", "keyslots.1"),
        ("keyslots", .array([]), "keyslots"),
        ("segments", .object([:]), "segments"),
        ("segments.0.integrity", "aead", "segments.0.integrity"),
        ("segments.0.integrity", ["type": 1], "segments.0.integrity.type"),
        ("digests.0.keyslots", ["0", 1], "digests.0.keyslots.1"),
        ("digests.0.type", "sha256", "digests.0.type"),
        ("tokens.0.keyslots", "0", "tokens.0.keyslots"),
        ("tokens.0", .null, "tokens.0"),
        ("tokens.1", ["type": "other"], "tokens.1.keyslots"),
        ("tokens", nil, "tokens"),
    ]

    @Test(arguments: 0..<edits.count) func malformedMemberIsNamed(index: Int) {
        let (path, value, named) = Self.edits[index]
        let violations = LUKS2HeaderValidator.validate(metadata: Self.good.setting(path, to: value), ourToken: 0)
        #expect(violations.contains { $0.path == named }, "\(path) = \(String(describing: value)): \(violations)")
        #expect(violations.allSatisfy { !$0.description.isEmpty })
    }

    @Test(arguments: [JSONValue.null, .array([]), .string("LUKS2"), .integer(0), .object([:])])
    func garbageRootIsRefused(metadata: JSONValue) {
        let violations = LUKS2HeaderValidator.validate(metadata: metadata, ourToken: 0)
        #expect(!violations.isEmpty)
    }

    @Test func theGoodImageIsGood() {
        #expect(LUKS2HeaderValidator.validate(metadata: Self.good, ourToken: 0) == [])
    }
}
