import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// `additional_evidence` text and the `tpm` entry: empty stays `""`, the map is canonical, errors
/// name the member.
@Suite struct AdditionalEvidenceTests {
    static let evidence = TPMQuoteEvidence(attest: [0xff, 0x54, 0x43, 0x47], signature: [0, 0x18], attestationKeyPublic: [0, 0x23],
                                           qualifyingData: [1, 2, 3], pcrs: (0..<24).map { [UInt8](repeating: UInt8($0), count: 32) })

    @Test func noEvidenceIsTheEmptyString() throws {
        #expect(try AdditionalEvidence.text([:]) == "")
        #expect(try AdditionalEvidence.parse("").isEmpty)
        #expect(try AdditionalEvidence.tpmQuote(in: "") == nil)
    }

    @Test func theTPMEntryRoundTripsInCanonicalForm() throws {
        let text = try AdditionalEvidence.text([.tpm: try Self.evidence.json()])
        #expect(text.hasPrefix(#"{"tpm":{"ak_public":"ACM=","report_data":"AQID","svn":"1","tpm_quote":{"message":"/1RDRw==","pcrs":["0000"#))
        #expect(try AdditionalEvidence.tpmQuote(in: text) == Self.evidence)
        let decoded = try Self.evidence.decoded()
        #expect(decoded.attest == [0xff, 0x54, 0x43, 0x47])
        #expect(decoded.qualifyingData == [1, 2, 3])
        #expect(decoded.pcrs[23] == [UInt8](repeating: 23, count: 32))
        // The binding text is exactly what REPORT_DATA hashes.
        let key = EphemeralPublicKey.p256(x: [UInt8](repeating: 1, count: 32), y: [UInt8](repeating: 2, count: 32))
        let preimage = String(decoding: RuntimeDataBinding.preimage(nonce: "n", teePubkey: key, additionalEvidence: text), as: UTF8.self)
        #expect(preimage.hasPrefix(#"{"additional-evidence":"{\"tpm\":{\"ak_public\":"#))
    }

    @Test func theDeviceNonceIsTheDigestOfNonceAndKeyOnly() {
        let key = EphemeralPublicKey.p256(x: [UInt8](repeating: 1, count: 32), y: [UInt8](repeating: 2, count: 32))
        let nonce = RuntimeDataBinding.additionalEvidenceNonce(nonce: "abc", teePubkey: key) { $0 }
        #expect(nonce == RuntimeDataBinding.preimage(nonce: "abc", teePubkey: key, additionalEvidence: nil))
        #expect(String(decoding: nonce, as: UTF8.self).hasPrefix(#"{"nonce":"abc","tee-pubkey":{"#))
    }

    @Test(arguments: [
        (#"{"tpm":{"svn":"1"}}"#, "additional_evidence.tpm"),
        (#"{"quantum":{}}"#, "additional_evidence.quantum"),
        (#"[1]"#, "additional_evidence"),
        (#"{"tpm":"#, "additional_evidence"),
    ])
    func malformedTextNamesTheMember(text: String, field: String) {
        let error = #expect(throws: KeyBrokerProtocolError.self) { try AdditionalEvidence.tpmQuote(in: text) }
        #expect(error?.field.hasPrefix(field) == true, "\(String(describing: error))")
    }

    @Test func badPCRHexIsNamed() {
        var evidence = Self.evidence
        evidence.tpmQuote.pcrs[3] = "zz"
        let error = #expect(throws: KeyBrokerProtocolError.self) { try evidence.decoded() }
        #expect(error?.field == "tpm_quote.pcrs[3]")
    }
}
