import TPMEvidence

/// TPM2 structures from the guest's vTPM quote (which the hypervisor's vTPM can forge):
/// TPMS_ATTEST, TPMT_PUBLIC, TPMT_SIGNATURE parsed alone, then the input split in three and run
/// through `TPMQuoteVerifier.verify`, which must fail (the fuzzer cannot forge a signature) with
/// a typed failure.
enum TPMTarget {
    static let target = FuzzTarget(name: "tpm", summary: "TPMS_ATTEST / TPMT_PUBLIC / TPMT_SIGNATURE and TPMQuoteVerifier") { input in
        if let attest = try? TPMAttest(bytes: input) {
            fuzzCheck(attest.signedBytes == input, "TPMS_ATTEST signedBytes differ from the input")
        }
        if let area = try? TPMPublicArea(bytes: input) {
            _ = try? area.name()
            _ = try? area.publicKey()
        }
        _ = try? TPMSignature(bytes: input)
        let parts = fuzzParts(input, count: 4)
        do {
            _ = try TPMQuoteVerifier().verify(
                attest: parts[0], signature: parts[1], attestationKeyPublic: parts[2],
                pcrValues: Dictionary(uniqueKeysWithValues: (0..<24).map { ($0, Array(parts[3].prefix(32)) + Array(repeating: 0, count: max(0, 32 - parts[3].count))) }),
                expectedNonce: Array(parts[3].prefix(32)))
            fatalError("fuzz invariant: a fuzzed TPM quote verified")
        } catch {
            _ = "\(error)"
        }
    }
}
