import GuestGuardCrypto

/// Verifies a TPM2 quote: the attestation key is a restricted TPM signing key, its signature
/// covers the TPMS_ATTEST, extraData is the expected nonce, the selection is exactly the
/// required SHA-256 PCRs and the PCR values supplied hash to pcrDigest.
///
/// It does *not* establish that the key lives in a trustworthy TPM: that comes from the binding
/// of the key into SNP REPORT_DATA, checked by the caller (`docs/tpm.md`).
public struct TPMQuoteVerifier: Sendable {
    /// The PCRs guestguard quotes: firmware and boot (0–9), 11 (unified kernel image), 14 (shim
    /// MOK), 15 (guestguard's unlock measurement).
    public static let quotedPCRs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15]

    public let requiredPCRs: [Int]

    public init(requiredPCRs: [Int] = quotedPCRs) {
        self.requiredPCRs = Array(Set(requiredPCRs)).sorted()
    }

    /// - Parameters:
    ///   - pcrValues: SHA-256 PCR values by index; at least every quoted index.
    ///   - expectedNonce: what extraData must be.
    public func verify(
        attest: [UInt8], signature: [UInt8], attestationKeyPublic: [UInt8], pcrValues: [Int: [UInt8]], expectedNonce: [UInt8]
    ) throws(TPMQuoteFailure) -> VerifiedTPMQuote {
        let key: TPMPublicArea
        do { key = try TPMPublicArea(bytes: attestationKeyPublic) } catch { throw TPMQuoteFailure(.malformed, "ak_public: \(error)") }
        guard key.isRestrictedSigningKey else {
            throw TPMQuoteFailure(.akBinding, "the attestation key's attributes 0x\(String(key.objectAttributes, radix: 16)) lack "
                                  + "fixedTPM, fixedParent, sensitiveDataOrigin, restricted or sign (or include decrypt)")
        }
        let parsedSignature: TPMSignature
        do { parsedSignature = try TPMSignature(bytes: signature) } catch { throw TPMQuoteFailure(.malformed, "signature: \(error)") }
        try checkSignature(parsedSignature, by: key, over: attest)

        let quote: TPMAttest
        do { quote = try TPMAttest(bytes: attest) } catch { throw TPMQuoteFailure(.malformed, "message: \(error)") }
        guard quote.extraData == expectedNonce else {
            throw TPMQuoteFailure(.nonce, "extraData does not bind this session's nonce and tee-pubkey (stale or replayed quote)")
        }
        guard quote.pcrSelection.count == 1, let bank = quote.pcrSelection.first, bank.hash == TPMAlgorithm.sha256,
              bank.indices == requiredPCRs
        else {
            let found = quote.pcrSelection.map { "0x\(String($0.hash, radix: 16)):\($0.indices)" }.joined(separator: " ")
            throw TPMQuoteFailure(.pcrDigest, "the quote selects \(found), not SHA-256 PCRs \(requiredPCRs)")
        }
        var concatenated: [UInt8] = []
        var quoted: [Int: [UInt8]] = [:]
        for index in bank.indices {
            guard let value = pcrValues[index], value.count == 32 else {
                throw TPMQuoteFailure(.pcrDigest, "no 32-byte SHA-256 value for quoted PCR \(index)")
            }
            concatenated += value
            quoted[index] = value
        }
        guard let hash = TPMAlgorithm.hashFunction(parsedSignature.hashAlgorithm),
              let digest = try? hash.hash(concatenated), digest == quote.pcrDigest
        else {
            throw TPMQuoteFailure(.pcrDigest, "the PCR values sent do not hash to the quote's pcrDigest (PCR values altered after the quote)")
        }
        return VerifiedTPMQuote(attest: quote, attestationKey: key, pcrValues: quoted)
    }

    private func checkSignature(_ signature: TPMSignature, by key: TPMPublicArea, over attest: [UInt8]) throws(TPMQuoteFailure) {
        guard let hash = TPMAlgorithm.hashFunction(signature.hashAlgorithm) else {
            throw TPMQuoteFailure(.quoteSignature, "signature hash 0x\(String(signature.hashAlgorithm, radix: 16)) is not SHA-2")
        }
        guard key.scheme == signature.signatureAlgorithm, key.schemeHash == signature.hashAlgorithm else {
            throw TPMQuoteFailure(.quoteSignature, "the signature scheme differs from the attestation key's scheme")
        }
        let scheme: DigestSignatureScheme
        switch signature.value {
        case .ecdsa(let r, let s): scheme = .ecdsa(r: r, s: s)
        case .rsassa(let bytes): scheme = .rsaPKCS1v15(bytes)
        case .rsapss(let bytes): scheme = .rsaPSS(bytes)
        }
        let publicKey = try key.publicKey()
        let valid: Bool
        do { valid = try publicKey.isValidSignature(over: attest, hash: hash, scheme: scheme) } catch {
            throw TPMQuoteFailure(.quoteSignature, "\(error)")
        }
        guard valid else { throw TPMQuoteFailure(.quoteSignature, "the quote's signature does not verify under the attestation key") }
    }
}

/// A quote whose signature, nonce and PCR digest verified.
public struct VerifiedTPMQuote: Sendable, Hashable {
    public let attest: TPMAttest
    public let attestationKey: TPMPublicArea
    /// The quoted SHA-256 PCR values, by index: these, and only these, the quote vouches for.
    public let pcrValues: [Int: [UInt8]]

    public init(attest: TPMAttest, attestationKey: TPMPublicArea, pcrValues: [Int: [UInt8]]) {
        self.attest = attest
        self.attestationKey = attestationKey
        self.pcrValues = pcrValues
    }
}
