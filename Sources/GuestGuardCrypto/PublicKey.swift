import COpenSSL

/// An owned public key (`EVP_PKEY*`): RSA (AMD ARK/ASK/ASVK) or EC P-384 (VCEK/VLEK).
public final class PublicKey: @unchecked Sendable {
    package let handle: OpaquePointer
    /// The key kind, classified once at init.
    public let algorithm: PublicKeyAlgorithm

    init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
        self.algorithm = PublicKeyAlgorithm(of: handle)
    }

    /// Parses a DER SubjectPublicKeyInfo.
    /// The corresponding C function is `d2i_PUBKEY`.
    public convenience init(subjectPublicKeyInfoDER der: [UInt8]) throws(KeyError) {
        self.init(takingOwnershipOf: try EVPKey.parseSubjectPublicKeyInfo(der))
    }

    deinit { EVP_PKEY_free(handle) }

    /// The DER SubjectPublicKeyInfo.
    /// The corresponding C function is `i2d_PUBKEY`.
    public func subjectPublicKeyInfoDER() throws(OpenSSLError) -> [UInt8] {
        try EVPKey.subjectPublicKeyInfo(handle)
    }

    /// Verifies an ECDSA P-384 signature with SHA-384 over `message` (e.g. an SNP report's
    /// bytes 0x000..<0x2A0). Returns false for a signature that does not verify; throws if this is
    /// not a P-384 key or libcrypto fails. Since issue 15 the broker verifies reports through nettle
    /// (P384ECDSA); this is the peer that tests and snp-verify-bench compare it with.
    /// The corresponding C functions are `EVP_DigestVerifyInit` and `EVP_DigestVerify`.
    public func isValidP384SHA384Signature(
        _ signature: ECDSASignature, over message: some Collection<UInt8>
    ) throws(KeyError) -> Bool {
        guard algorithm.isP384 else { throw .wrongKeyType(expected: "EC P-384", actual: algorithm) }
        return try isValidSignature(over: message, hash: .sha384, scheme: .ecdsa(r: signature.r, s: signature.s))
    }
}
