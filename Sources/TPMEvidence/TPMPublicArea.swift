import GuestGuardCrypto

/// A TPMT_PUBLIC (TPM 2.0 Part 2, §12.2.4) for an ECC or RSA signing key: the attestation key's
/// public area as the guest sends it. Parsed strictly, no trailing bytes.
public struct TPMPublicArea: Sendable, Hashable {
    public enum Key: Sendable, Hashable {
        /// TPMS_ECC_PARMS + TPMS_ECC_POINT: curve (TPM_ECC_CURVE), x and y big-endian.
        case ecc(curve: UInt16, x: [UInt8], y: [UInt8])
        /// TPMS_RSA_PARMS + TPM2B_PUBLIC_KEY_RSA: key bits, exponent (0 means 65537), modulus.
        case rsa(bits: UInt16, exponent: UInt32, modulus: [UInt8])
    }

    /// TPMA_OBJECT bits an attestation key must have (§8.3): fixedTPM, fixedParent,
    /// sensitiveDataOrigin, restricted, sign; and must not have decrypt.
    public static let fixedTPM: UInt32 = 0x0000_0002
    public static let fixedParent: UInt32 = 0x0000_0010
    public static let sensitiveDataOrigin: UInt32 = 0x0000_0020
    public static let restricted: UInt32 = 0x0001_0000
    public static let decrypt: UInt32 = 0x0002_0000
    public static let sign: UInt32 = 0x0004_0000
    public static let attestationKeyAttributes = fixedTPM | fixedParent | sensitiveDataOrigin | restricted | sign

    /// The marshalled bytes as received (what the key's Name hashes).
    public let bytes: [UInt8]
    /// type (TPMI_ALG_PUBLIC).
    public let type: UInt16
    /// nameAlg (TPMI_ALG_HASH).
    public let nameAlg: UInt16
    /// objectAttributes (TPMA_OBJECT).
    public let objectAttributes: UInt32
    /// authPolicy (TPM2B_DIGEST).
    public let authPolicy: [UInt8]
    /// The signing scheme (TPMT_ECC_SCHEME / TPMT_RSA_SCHEME) and its hash; `TPMAlgorithm.null` if none.
    public let scheme: UInt16
    public let schemeHash: UInt16
    public let key: Key

    public init(bytes: [UInt8]) throws(TPMEvidenceError) {
        var reader = TPMReader(bytes, structure: "TPMT_PUBLIC")
        type = try reader.read(UInt16.self, "type")
        nameAlg = try reader.read(UInt16.self, "nameAlg")
        objectAttributes = try reader.read(UInt32.self, "objectAttributes")
        authPolicy = try reader.readSized("authPolicy", maximum: 64)
        // TPMT_SYM_DEF_OBJECT: a signing key has none (TPM_ALG_NULL, no further fields).
        let symmetric = try reader.read(UInt16.self, "parameters.symmetric.algorithm")
        guard symmetric == TPMAlgorithm.null else {
            throw .unsupportedAlgorithm(structure: "TPMT_PUBLIC", field: "parameters.symmetric.algorithm", algorithm: symmetric)
        }
        scheme = try reader.read(UInt16.self, "parameters.scheme.scheme")
        schemeHash = scheme == TPMAlgorithm.null ? TPMAlgorithm.null : try reader.read(UInt16.self, "parameters.scheme.details.hashAlg")
        switch type {
        case TPMAlgorithm.ecc:
            let curve = try reader.read(UInt16.self, "parameters.curveID")
            let kdf = try reader.read(UInt16.self, "parameters.kdf.scheme")
            if kdf != TPMAlgorithm.null { _ = try reader.read(UInt16.self, "parameters.kdf.details.hashAlg") }
            let x = try reader.readSized("unique.ecc.x", maximum: 66)
            let y = try reader.readSized("unique.ecc.y", maximum: 66)
            key = .ecc(curve: curve, x: x, y: y)
        case TPMAlgorithm.rsa:
            let bits = try reader.read(UInt16.self, "parameters.keyBits")
            let exponent = try reader.read(UInt32.self, "parameters.exponent")
            let modulus = try reader.readSized("unique.rsa", maximum: 512)
            key = .rsa(bits: bits, exponent: exponent, modulus: modulus)
        default:
            throw .unsupportedAlgorithm(structure: "TPMT_PUBLIC", field: "type", algorithm: type)
        }
        try reader.expectEnd()
        self.bytes = bytes
    }

    /// True when the attributes make this a TPM-resident restricted signing key: one that signs
    /// only digests the TPM itself computed over TPM-generated structures.
    public var isRestrictedSigningKey: Bool {
        objectAttributes & Self.attestationKeyAttributes == Self.attestationKeyAttributes && objectAttributes & Self.decrypt == 0
    }

    /// The key's TPM Name: nameAlg ‖ H_nameAlg(TPMT_PUBLIC) (Part 1, §16).
    public func name() throws(TPMQuoteFailure) -> [UInt8] {
        guard let hash = TPMAlgorithm.hashFunction(nameAlg) else {
            throw TPMQuoteFailure(.akBinding, "the attestation key's nameAlg 0x\(String(nameAlg, radix: 16)) is not SHA-2")
        }
        do { return [UInt8(nameAlg >> 8), UInt8(nameAlg & 0xff)] + (try hash.hash(bytes)) } catch {
            throw TPMQuoteFailure(.akBinding, "\(error)")
        }
    }

    /// The public key, imported into libcrypto (P-256 or RSA-2048/3072/4096).
    public func publicKey() throws(TPMQuoteFailure) -> PublicKey {
        switch key {
        case .ecc(let curve, let x, let y):
            guard curve == TPMAlgorithm.nistP256 else {
                throw TPMQuoteFailure(.akBinding, "the attestation key's curve 0x\(String(curve, radix: 16)) is not NIST P-256")
            }
            do { return try PublicKey(p256X: x, y: y) } catch { throw TPMQuoteFailure(.akBinding, "the attestation key: \(error)") }
        case .rsa(_, let exponent, let modulus):
            let e = exponent == 0 ? 65537 : exponent
            let exponentBytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: e >> $0) }.drop { $0 == 0 }
            do { return try PublicKey(rsaModulus: modulus, exponent: Array(exponentBytes)) } catch {
                throw TPMQuoteFailure(.akBinding, "the attestation key: \(error)")
            }
        }
    }
}
