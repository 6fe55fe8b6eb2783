import GuestGuardCrypto
import GuestGuardPlatform

/// The key agreement half of JWE `ECDH-ES+A256KW` on P-256, shared by both directions
/// (RFC 7518 §4.6.2; spec §3.4 steps 2–3; TR `kbs/src/jwe/mod.rs:164-247`):
///
/// ```
/// Z   = ECDH(private, peer)                                        (32 bytes, x-coordinate)
/// KEK = ConcatKDF-SHA256(Z, AlgorithmID = "ECDH-ES+A256KW", apu = "", apv = "", keydatalen = 256)
/// ```
///
/// Z and the KEK live in `SecretBytes` only; Z is wiped as soon as the KEK exists.
enum ECDHESKeyAgreement {
    /// AlgorithmID is the `alg` value for key agreement with key wrapping (RFC 7518 §4.6.2).
    static let algorithmID = Array(JWEAlgorithm.ecdhESA256KW.headerValue.utf8)
    /// The AES-256 key-wrap key size.
    static let keyEncryptionKeyByteCount = AESKeyWrap.keyEncryptionKeyByteCount
    /// A wrapped 32-byte CEK: one integrity block plus four key blocks.
    static let wrappedKeyByteCount = JWEAlgorithm.contentEncryptionKeyByteCount + AESKeyWrap.overheadByteCount

    static func keyEncryptionKey(privateKey: P256PrivateKey, peer: P256PublicPoint) throws(CipherError) -> SecretBytes {
        let z = try SecretBytes.filling(count: P256PrivateKey.sharedSecretByteCount) { (buffer) throws(CipherError) in
            try privateKey.deriveSharedSecret(with: peer, into: buffer)
        }
        return try SecretBytes.filling(count: keyEncryptionKeyByteCount) { (kek) throws(CipherError) in
            try z.withBytes { (z) throws(CipherError) in
                try ConcatKDF.deriveKey(sharedSecret: z, algorithmID: algorithmID, into: kek)
            }
        }
    }
}
