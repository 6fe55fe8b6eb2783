import AMDCertificateProfile
import GuestGuardCrypto
import Testing

/// The VCEK/VLEK extension values and the AlgorithmIdentifier OID through apple/swift-asn1: round
/// trips, and every non-DER form (BER lengths, redundant integer octets, trailing bytes, wrong tags)
/// refused with swift-asn1's reason.
@Suite struct DERTests {
    @Test(arguments: [UInt64(0), 1, 0x7F, 0x80, 0xFF, 0x100, 68, 115, 0x8000_0000_0000_0000, UInt64.max])
    func unsignedIntegerRoundTrip(value: UInt64) throws {
        let encoded = DERValue.encodeUnsignedInteger(value)
        #expect(try DERValue.unsignedInteger(from: encoded) == value)
    }

    @Test func integerEncodingsAreMinimal() {
        #expect(DERValue.encodeUnsignedInteger(0) == [0x02, 0x01, 0x00])
        #expect(DERValue.encodeUnsignedInteger(0x80) == [0x02, 0x02, 0x00, 0x80])
        #expect(DERValue.encodeUnsignedInteger(68) == [0x02, 0x01, 0x44])
    }

    @Test(arguments: [
        [UInt8](),                                         // nothing
        [0x02, 0x00],                                      // an INTEGER without content octets
        [0x02, 0x02, 0x00, 0x01],                          // a redundant leading 00
        [0x02, 0x01, 0x80],                                // negative
        [0x02, 0x0A, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0],     // more than 64 bits
        [0x02, 0x02, 0x01],                                // truncated
        [0x02, 0x80, 0x01, 0x00, 0x00],                    // indefinite length (BER)
        [0x02, 0x81, 0x01, 0x05],                          // a long form for a short length
        [0x02, 0x01, 0x05, 0x00],                          // trailing data
        [0x16, 0x01, 0x41],                                // an IA5String, not an INTEGER
    ])
    func malformedIntegersAreRejected(bytes: [UInt8]) {
        #expect(throws: DERError.self) { try DERValue.unsignedInteger(from: bytes) }
    }

    /// The AMD profile's AlgorithmIdentifier (RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48): the bytes an
    /// attacker who serves the chain (KDS mirror, host-supplied certificate table) controls.
    static let amdAlgorithmIdentifier: [UInt8] = [
        0x30, 0x41, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A, 0x30, 0x34,
        0xA0, 0x0F, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
        0xA1, 0x1C, 0x30, 0x1A, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08,
        0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
        0xA2, 0x03, 0x02, 0x01, 0x30,
    ]

    @Test func theAMDAlgorithmIdentifierDecodes() throws {
        let algorithm = try CertificateSignatureAlgorithm(algorithmIdentifierDER: Self.amdAlgorithmIdentifier)
        #expect(algorithm.rsaPSSParameters == RSAPSSParameters(
            hashAlgorithm: KnownOID.sha384, maskGenerationAlgorithm: KnownOID.mgf1, maskGenerationHash: KnownOID.sha384,
            saltLength: 48, trailerField: 1))
    }

    /// Malformed DER in the signature algorithm is refused, and the message says what was being read,
    /// which DER rule the bytes break and why, in words: a truncated length, an indefinite length (BER),
    /// a non-minimal length and trailing bytes, each made from the real AMD AlgorithmIdentifier.
    @Test(arguments: [
        // The outer length promises 0x41 bytes; the buffer ends 10 bytes early.
        (Array(amdAlgorithmIdentifier.dropLast(10)), "truncatedASN1Field", "the bytes end inside an element (a length runs past the end)"),
        // A long-form length whose length octets are cut off.
        ([0x30, 0x82, 0x01], "truncatedASN1Field", "the bytes end inside an element (a length runs past the end)"),
        // The same SEQUENCE with an indefinite length and end-of-contents octets (BER, not DER).
        ([0x30, 0x80] + amdAlgorithmIdentifier.dropFirst(2) + [0x00, 0x00], "unsupportedFieldLength",
         "Indefinite form of field length not supported in DER."),
        // The same length in the long form (81 41): BER allows it, DER does not.
        ([0x30, 0x81] + amdAlgorithmIdentifier.dropFirst(1), "unsupportedFieldLength",
         "Field length encoded in long form, but DER requires 65 to be encoded in short form"),
        // One byte after the AlgorithmIdentifier.
        (amdAlgorithmIdentifier + [0x00], "invalidASN1Object", "Trailing unparsed data is present"),
    ] as [([UInt8], String, String)])
    func malformedDERIsRefusedWithAClearMessage(bytes: [UInt8], code: String, reason: String) {
        let expected = DERError.malformed(what: "AlgorithmIdentifier", code: code, reason: reason)
        #expect(throws: expected) { try CertificateSignatureAlgorithm(algorithmIdentifierDER: bytes) }
        #expect(expected.description == "AlgorithmIdentifier is not valid DER (\(code)): \(reason)")
        // What the verifier reports for a certificate or CRL carrying it.
        #expect(CertificateSignatureError.malformedAlgorithm(expected).description
            == "signatureAlgorithm is malformed: AlgorithmIdentifier is not valid DER (\(code)): \(reason)")
    }

    @Test func aCRLWithTrailingBytesIsRefusedBeforeOpenSSLSeesIt() {
        // A minimal CertificateList skeleton is enough: the structure check runs first.
        let list: [UInt8] = [0x30, 0x06, 0x30, 0x02, 0x30, 0x00, 0x30, 0x00]
        #expect {
            try X509RevocationList(derEncoded: list + [0x00])
        } throws: { error in
            "\(error)".contains("CertificateList is not valid DER (invalidASN1Object): Trailing unparsed data is present")
        }
    }

    @Test func trailingDataIsNamed() {
        #expect {
            try DERValue.unsignedInteger(from: [0x02, 0x01, 0x05, 0x00])
        } throws: { error in
            guard case DERError.malformed("INTEGER", "invalidASN1Object", let reason) = error else { return false }
            return reason == "Trailing unparsed data is present"
        }
    }

    @Test func ia5StringRoundTripAndRejection() throws {
        #expect(try DERValue.ia5String(from: DERValue.encodeIA5String("Milan-B0")) == "Milan-B0")
        #expect(throws: DERError.self) { try DERValue.ia5String(from: [0x16, 0x01, 0xC3]) }
    }

    @Test func longLengthsEncodeAndDecode() throws {
        let contents = [UInt8](repeating: 0xAB, count: 300)
        let encoded = DERValue.encodeOctetString(contents)
        #expect(Array(encoded.prefix(4)) == [0x04, 0x82, 0x01, 0x2C])
        #expect(try DERValue.rawOrOctetStringWrapped(encoded, count: 300) == contents)
    }

    @Test(arguments: [
        ([UInt8]([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]), "1.2.840.113549.1.1.11"),
        ([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02], "2.16.840.1.101.3.4.2.2"),
        ([0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x9C, 0x78, 0x01, 0x03, 0x08], "1.3.6.1.4.1.3704.1.3.8"),
    ])
    func objectIdentifiers(bytes: [UInt8], dotted: String) throws {
        let algorithm = try CertificateSignatureAlgorithm(algorithmIdentifierDER: [0x30, UInt8(bytes.count)] + bytes)
        #expect(algorithm.objectIdentifier == dotted)
        #expect(algorithm.rsaPSSParameters == nil)
    }

    @Test(arguments: [[UInt8]([0x06, 0x02, 0x2A, 0x86]), [0x06, 0x02, 0x2A, 0x80], [0x06, 0x00]])
    func malformedObjectIdentifiers(bytes: [UInt8]) {
        #expect(throws: DERError.self) { try CertificateSignatureAlgorithm(algorithmIdentifierDER: [0x30, UInt8(bytes.count)] + bytes) }
    }

    @Test func rawAndWrappedForms() throws {
        let raw = [UInt8](0..<64)
        #expect(try DERValue.rawOrOctetStringWrapped(raw, count: 64) == raw)
        #expect(try DERValue.rawOrOctetStringWrapped(DERValue.encodeOctetString(raw), count: 64) == raw)
        // A raw value is recognised by its length, even when it happens to start like a tag.
        let tagLike = [0x04, 0x3E] + [UInt8](repeating: 7, count: 62)
        #expect(try DERValue.rawOrOctetStringWrapped(tagLike, count: 64) == tagLike)
        #expect(throws: DERError.unexpectedLength(expectedCount: 64, actual: 63)) {
            try DERValue.rawOrOctetStringWrapped(Array(raw.prefix(63)), count: 64)
        }
        #expect(throws: DERError.unexpectedLength(expectedCount: 8, actual: 64)) {
            try DERValue.rawOrOctetStringWrapped(DERValue.encodeOctetString(raw), count: 8)
        }
        #expect(throws: DERError.self, "a wrapped value with a byte after the OCTET STRING") {
            try DERValue.rawOrOctetStringWrapped(DERValue.encodeOctetString(raw) + [0], count: 64)
        }
    }
}
