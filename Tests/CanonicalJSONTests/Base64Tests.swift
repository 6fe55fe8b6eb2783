import CanonicalJSON
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"),
        ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, standard: String, url: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == standard)
        #expect(Base64URL.encode(Array(plain.utf8)) == url)
        #expect(try Base64.decode(standard) == Array(plain.utf8))
        #expect(try Base64URL.decode(url) == Array(plain.utf8))
    }

    @Test func alphabetsDifferInTheLastTwoCharacters() throws {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64URL.encode(bytes) == "-_-_")
        #expect(throws: Base64DecodingError.invalidCharacter(UInt8(ascii: "-"), offset: 0)) { try Base64.decode("-_-_") }
        #expect(throws: Base64DecodingError.invalidCharacter(UInt8(ascii: "+"), offset: 0)) { try Base64URL.decode("+/+/") }
    }

    @Test func roundTripsEveryLength() throws {
        for length in 0...80 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ length) }
            #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test(arguments: [
        ("Zg=", Base64DecodingError.invalidLength(3)), ("Zg", .invalidLength(2)), ("Zm9v\n", .invalidLength(5)),
        ("Zm 9", .invalidCharacter(0x20, offset: 2)), ("Z===", .invalidPadding(offset: 1)),
        ("Zg=A", .invalidPadding(offset: 2)), ("=Zg=", .invalidPadding(offset: 0)), ("Zh==", .nonZeroTrailingBits(offset: 1)),
        ("Zm9=", .nonZeroTrailingBits(offset: 2)), ("Zm9v====", .invalidPadding(offset: 4)),
    ])
    func strictStandardDecoding(text: String, error: Base64DecodingError) {
        #expect(throws: error) { try Base64.decode(text) }
    }

    @Test(arguments: [
        ("Zg==", Base64DecodingError.invalidCharacter(UInt8(ascii: "="), offset: 2)), ("Zm9vY", .invalidLength(5)),
        ("Zh", .nonZeroTrailingBits(offset: 1)), ("Zm9", .nonZeroTrailingBits(offset: 2)), ("Zm9v.", .invalidLength(5)),
        ("Zm9vYm.", .invalidCharacter(UInt8(ascii: "."), offset: 6)),
    ])
    func strictURLDecoding(text: String, error: Base64DecodingError) {
        #expect(throws: error) { try Base64URL.decode(text) }
    }
}
