import COpenSSL

/// The Concat KDF of NIST SP 800-56A §5.8.1 with SHA-256, as JWE profiles it for ECDH-ES
/// (RFC 7518 §4.6.2):
///
/// ```
/// round(i) = SHA-256( i (u32 BE) ‖ Z ‖ OtherInfo )          i = 1, 2, …
/// OtherInfo = len‖AlgorithmID ‖ len‖PartyUInfo ‖ len‖PartyVInfo ‖ keydatalen (u32 BE, bits)
/// ```
///
/// Each length is a 32-bit big-endian byte count; SuppPrivInfo is empty. For `ECDH-ES+A256KW`
/// AlgorithmID is the `alg` string and keydatalen is 256, so one round gives the KEK.
public enum ConcatKDF {
    /// Derives `output.count` bytes (keydatalen = 8 × `output.count`) from the shared secret `z`.
    /// `algorithmID` is the raw `alg` (or `enc`, for direct key agreement) string; `partyUInfo` and
    /// `partyVInfo` are the base64url-decoded `apu` and `apv` (empty when absent).
    /// The corresponding C functions are `EVP_DigestInit_ex`, `EVP_DigestUpdate` and
    /// `EVP_DigestFinal_ex`.
    public static func deriveKey(
        sharedSecret z: UnsafeRawBufferPointer, algorithmID: [UInt8], partyUInfo: [UInt8] = [], partyVInfo: [UInt8] = [],
        into output: UnsafeMutableRawBufferPointer
    ) throws(CipherError) {
        let hashByteCount = HashFunction.sha256.digestByteCount
        let maximumOutput = Int(UInt32.max / 8)
        guard output.count > 0 else { throw .invalidLength(.derivedKey, expected: hashByteCount, actual: 0) }
        guard output.count <= maximumOutput else { throw .inputTooLarge(.derivedKey, limit: maximumOutput, actual: output.count) }
        for field in [algorithmID, partyUInfo, partyVInfo] where field.count > Int(UInt32.max) {
            throw .inputTooLarge(.derivedKey, limit: Int(UInt32.max), actual: field.count)
        }
        let otherInfo =
            lengthPrefixed(algorithmID) + lengthPrefixed(partyUInfo) + lengthPrefixed(partyVInfo)
            + bigEndian(UInt32(output.count * 8))
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { throw .openSSL(.drainingQueue(operation: "EVP_MD_CTX_new")) }
        defer { EVP_MD_CTX_free(context) }
        try withSecretScratch(count: hashByteCount) { (round) throws(CipherError) in
            var offset = 0
            var counter: UInt32 = 1
            while offset < output.count {
                var length: UInt32 = 0
                let counterBytes = bigEndian(counter)
                guard EVP_DigestInit_ex(context, HashFunction.sha256.messageDigest, nil) == 1,
                    EVP_DigestUpdate(context, counterBytes, counterBytes.count) == 1,
                    EVP_DigestUpdate(context, z.baseAddress, z.count) == 1,
                    EVP_DigestUpdate(context, otherInfo, otherInfo.count) == 1,
                    EVP_DigestFinal_ex(context, round.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1,
                    Int(length) == hashByteCount
                else { throw .openSSL(.drainingQueue(operation: "EVP_Digest(SHA-256) round \(counter)")) }
                let take = min(hashByteCount, output.count - offset)
                UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: round[0..<take]))
                offset += take
                counter += 1
            }
        }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    private static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        bigEndian(UInt32(bytes.count)) + bytes
    }
}
