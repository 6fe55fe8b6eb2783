import GuestGuardCrypto
import Testing

@Suite struct DERTests {
    @Test(arguments: [UInt64(0), 1, 0x7F, 0x80, 0xFF, 0x100, 68, 115, 0x8000_0000_0000_0000, UInt64.max])
    func unsignedIntegerRoundTrip(value: UInt64) throws {
        let encoded = DERWriter.unsignedInteger(value)
        #expect(try DERReader.unsignedInteger(from: encoded) == value)
    }

    @Test func integerEncodingsAreMinimal() {
        #expect(DERWriter.unsignedInteger(0) == [0x02, 0x01, 0x00])
        #expect(DERWriter.unsignedInteger(0x80) == [0x02, 0x02, 0x00, 0x80])
        #expect(DERWriter.unsignedInteger(68) == [0x02, 0x01, 0x44])
    }

    @Test(arguments: [
        ([UInt8](), DERError.truncated(offset: 0)),
        ([0x02, 0x00], .nonMinimalInteger(offset: 0)),
        ([0x02, 0x02, 0x00, 0x01], .nonMinimalInteger(offset: 0)),
        ([0x02, 0x01, 0x80], .negativeInteger(offset: 0)),
        ([0x02, 0x0A, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0], .integerTooLarge(offset: 0)),
        ([0x02, 0x02, 0x01], .truncated(offset: 0)),
        ([0x02, 0x80, 0x01, 0x00, 0x00], .indefiniteLength(offset: 0)),
        ([0x02, 0x81, 0x01, 0x05], .nonMinimalLength(offset: 0)),
        ([0x02, 0x01, 0x05, 0x00], .trailingData(offset: 3, count: 1)),
        ([0x16, 0x01, 0x41], .unexpectedTag(expected: 0x02, actual: 0x16, offset: 0)),
        ([0x1F, 0x81, 0x01, 0x00], .highTagNumber(offset: 0)),
    ])
    func malformedIntegersAreRejected(bytes: [UInt8], expected: DERError) {
        #expect(throws: expected) { try DERReader.unsignedInteger(from: bytes) }
    }

    @Test func ia5StringRoundTripAndRejection() throws {
        #expect(try DERReader.ia5String(from: DERWriter.ia5String("Milan-B0")) == "Milan-B0")
        #expect(throws: DERError.invalidIA5String(offset: 0)) { try DERReader.ia5String(from: [0x16, 0x01, 0xC3]) }
    }

    @Test func longLengthsEncodeAndDecode() throws {
        let contents = [UInt8](repeating: 0xAB, count: 300)
        let encoded = DERWriter.octetString(contents)
        #expect(Array(encoded.prefix(4)) == [0x04, 0x82, 0x01, 0x2C])
        var reader = DERReader(encoded)
        #expect(Array(try reader.readOctetString()) == contents)
        try reader.expectEnd()
    }

    @Test(arguments: [
        ([UInt8]([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]), "1.2.840.113549.1.1.10"),
        ([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02], "2.16.840.1.101.3.4.2.2"),
        ([0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x9C, 0x78, 0x01, 0x03, 0x08], "1.3.6.1.4.1.3704.1.3.8"),
    ])
    func objectIdentifiers(bytes: [UInt8], dotted: String) throws {
        var reader = DERReader(bytes)
        #expect(try reader.readObjectIdentifier() == dotted)
    }

    @Test(arguments: [[UInt8]([0x06, 0x02, 0x2A, 0x86]), [0x06, 0x02, 0x2A, 0x80], [0x06, 0x00]])
    func malformedObjectIdentifiers(bytes: [UInt8]) {
        var reader = DERReader(bytes)
        #expect(throws: DERError.invalidObjectIdentifier(offset: 0)) { try reader.readObjectIdentifier() }
    }

    @Test func rawAndWrappedForms() throws {
        let raw = [UInt8](0..<64)
        #expect(try DERReader.rawOrOctetStringWrapped(raw, count: 64) == raw)
        #expect(try DERReader.rawOrOctetStringWrapped(DERWriter.octetString(raw), count: 64) == raw)
        // A raw value is recognised by its length, even when it happens to start like a tag.
        let tagLike = [0x04, 0x3E] + [UInt8](repeating: 7, count: 62)
        #expect(try DERReader.rawOrOctetStringWrapped(tagLike, count: 64) == tagLike)
        #expect(throws: DERError.unexpectedLength(expectedCount: 64, actual: 63)) {
            try DERReader.rawOrOctetStringWrapped(Array(raw.prefix(63)), count: 64)
        }
        #expect(throws: DERError.unexpectedLength(expectedCount: 8, actual: 64)) {
            try DERReader.rawOrOctetStringWrapped(DERWriter.octetString(raw), count: 8)
        }
    }
}
