import GuestGuardCrypto

/// TPM_ALG_ID values guestguard reads (TPM 2.0 Part 2, §6.3; TCG Algorithm Registry).
public enum TPMAlgorithm {
    public static let rsa: UInt16 = 0x0001
    public static let sha256: UInt16 = 0x000B
    public static let sha384: UInt16 = 0x000C
    public static let sha512: UInt16 = 0x000D
    public static let null: UInt16 = 0x0010
    public static let rsassa: UInt16 = 0x0014
    public static let rsapss: UInt16 = 0x0016
    public static let ecdsa: UInt16 = 0x0018
    public static let ecc: UInt16 = 0x0023
    /// TPM_ECC_NIST_P256 (TPM_ECC_CURVE).
    public static let nistP256: UInt16 = 0x0003

    /// The hash function for a TPM_ALG_ID, or nil for one guestguard does not use.
    public static func hashFunction(_ algorithm: UInt16) -> HashFunction? {
        switch algorithm {
        case sha256: .sha256
        case sha384: .sha384
        case sha512: .sha512
        default: nil
        }
    }
}
