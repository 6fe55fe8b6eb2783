import GuestGuardCrypto
import GuestGuardPlatform
import GuestGuardTPM
import GuestGuardTestSupport
import TPMEvidence
import Testing

/// Quotes from a real swtpm, verified by `TPMQuoteVerifier` and independently by Python
/// `cryptography` (signature) and `hashlib` (pcrDigest, extraData).
@Suite(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
struct TPMQuoteVerificationTests {
    struct Quoted {
        let quote: TPMQuote
        let pcrs: [Int: [UInt8]]
        let nonce: [UInt8]
    }

    static func makeQuote(extending: Bool = true) throws -> (SwtpmSession, Quoted) {
        let session = try SwtpmSession()
        let tpm: ESYSTrustedPlatformModule = session.tpm
        if extending { try tpm.extendPCR(15, sha256: try HashFunction.sha256.hash(Array("event".utf8))) }
        let nonce = try HashFunction.sha384.hash(Array("session nonce".utf8))
        let quote = try tpm.quote(pcrs: TPMQuoteVerifier.quotedPCRs, qualifyingData: nonce)
        return (session, Quoted(quote: quote, pcrs: try tpm.readPCRs(Array(0..<24)), nonce: nonce))
    }

    static func verify(_ quoted: Quoted, attest: [UInt8]? = nil, signature: [UInt8]? = nil, key: [UInt8]? = nil,
                       pcrs: [Int: [UInt8]]? = nil, nonce: [UInt8]? = nil) throws(TPMQuoteFailure) -> VerifiedTPMQuote {
        try TPMQuoteVerifier().verify(attest: attest ?? quoted.quote.attest, signature: signature ?? quoted.quote.signature,
                                      attestationKeyPublic: key ?? quoted.quote.attestationKeyPublic,
                                      pcrValues: pcrs ?? quoted.pcrs, expectedNonce: nonce ?? quoted.nonce)
    }

    @Test func aFreshQuoteVerifies() throws {
        let (_, quoted) = try Self.makeQuote()
        let verified = try Self.verify(quoted)
        #expect(verified.attest.extraData == quoted.nonce)
        #expect(verified.pcrValues.keys.sorted() == TPMQuoteVerifier.quotedPCRs)
        #expect(verified.pcrValues[15] != [UInt8](repeating: 0, count: 32))
        #expect(verified.attestationKey.isRestrictedSigningKey)
        #expect(verified.attest.pcrSelection.first?.indices == TPMQuoteVerifier.quotedPCRs)
    }

    @Test func pythonCryptographyVerifiesTheSameQuote() throws {
        let (_, quoted) = try Self.makeQuote()
        let key = try TPMPublicArea(bytes: quoted.quote.attestationKeyPublic)
        let signature = try TPMSignature(bytes: quoted.quote.signature)
        guard case .ecc(_, let x, let y) = key.key, case .ecdsa(let r, let s) = signature.value else {
            Issue.record("expected an ECC key and an ECDSA signature")
            return
        }
        let pcrs = TPMQuoteVerifier.quotedPCRs.map { hex(quoted.pcrs[$0]!) }.joined(separator: ",")
        let output = try PythonPeer.run(Self.independentVerifier,
                                        arguments: [hex(quoted.quote.attest), hex(x), hex(y), hex(r), hex(s), pcrs, hex(quoted.nonce)])
        #expect(output == "signature ok\ndigest ok\nnonce ok\n")
    }

    @Test func aTamperedPCRValueIsRefusedWithTPMPCRDigest() throws {
        let (_, quoted) = try Self.makeQuote()
        var pcrs = quoted.pcrs
        pcrs[15]![0] ^= 1
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(quoted, pcrs: pcrs) }
        #expect(failure?.code == .pcrDigest)
        // An unquoted PCR does not matter.
        pcrs = quoted.pcrs
        pcrs[16]![0] ^= 1
        #expect(throws: Never.self) { try Self.verify(quoted, pcrs: pcrs) }
    }

    @Test func anotherNonceIsRefusedWithTPMNonce() throws {
        let (_, quoted) = try Self.makeQuote()
        var nonce = quoted.nonce
        nonce[47] ^= 0x80
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(quoted, nonce: nonce) }
        #expect(failure?.code == .nonce)
    }

    @Test(arguments: [10, 40, 60])
    func aFlippedAttestByteIsRefusedWithTPMQuoteSignature(_ offset: Int) throws {
        let (_, quoted) = try Self.makeQuote()
        var attest = quoted.quote.attest
        attest[min(offset, attest.count - 1)] ^= 0x01
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(quoted, attest: attest) }
        #expect(failure?.code == .quoteSignature)
    }

    @Test func aQuoteFromAnotherKeyIsRefusedWithTPMQuoteSignature() throws {
        let (_, first) = try Self.makeQuote()
        let (_, second) = try Self.makeQuote()  // another swtpm: another endorsement seed, another key
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(first, key: second.quote.attestationKeyPublic) }
        #expect(failure?.code == .quoteSignature)
    }

    @Test func anUnrestrictedKeyIsRefusedWithTPMAKBinding() throws {
        let (_, quoted) = try Self.makeQuote()
        var key = quoted.quote.attestationKeyPublic
        key[5] &= ~0x01  // objectAttributes (big-endian UINT32 at offset 4): bit 16, restricted, is bit 0 of byte 5
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(quoted, key: key) }
        #expect(failure?.code == .akBinding)
    }

    @Test func truncatedEvidenceIsMalformed() throws {
        let (_, quoted) = try Self.makeQuote()
        let failure = #expect(throws: TPMQuoteFailure.self) { try Self.verify(quoted, signature: Array(quoted.quote.signature.dropLast())) }
        #expect(failure?.code == .malformed)
    }

    static let independentVerifier = #"""
import sys, hashlib, struct
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives import hashes
attest, x, y, r, s, pcrs, nonce = sys.argv[1:8]
attest = bytes.fromhex(attest)
key = ec.EllipticCurvePublicNumbers(int(x, 16), int(y, 16), ec.SECP256R1()).public_key()
key.verify(utils.encode_dss_signature(int(r, 16), int(s, 16)), attest, ec.ECDSA(hashes.SHA256()))
print("signature ok")
# TPMS_ATTEST: magic, type, qualifiedSigner, extraData, clockInfo(17), firmwareVersion(8), TPML_PCR_SELECTION, TPM2B_DIGEST
magic, typ = struct.unpack(">IH", attest[:6]); assert magic == 0xff544347 and typ == 0x8018
o = 6
n, = struct.unpack(">H", attest[o:o+2]); o += 2 + n
n, = struct.unpack(">H", attest[o:o+2]); extra = attest[o+2:o+2+n]; o += 2 + n
o += 17 + 8
count, = struct.unpack(">I", attest[o:o+4]); o += 4; assert count == 1
alg, size = struct.unpack(">HB", attest[o:o+3]); o += 3 + size; assert alg == 0x000B
n, = struct.unpack(">H", attest[o:o+2]); digest = attest[o+2:o+2+n]
assert hashlib.sha256(b"".join(bytes.fromhex(p) for p in pcrs.split(","))).digest() == digest
print("digest ok")
assert extra == bytes.fromhex(nonce)
print("nonce ok")
"""#
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
