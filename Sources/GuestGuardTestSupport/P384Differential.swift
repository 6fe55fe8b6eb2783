import GuestGuardCrypto
import P384ECDSA
import SNPABI

/// nettle's ECDSA P-384 verify (P384ECDSA, the production report-signature verifier) against libcrypto's
/// (GuestGuardCrypto, the peer), on the same key coordinates, digest and (r, s): for the differential tests
/// (SNPVerifierTests) and the `diff-p384` fuzz target. Every value is 48 bytes, big-endian.
public enum P384Differential {
    /// What one implementation says about a case.
    public enum Verdict: String, Sendable, Hashable {
        /// The point (x, y) is refused before any signature is looked at (off the curve, unreduced, infinity).
        case keyRejected = "K"
        case valid = "1"
        case invalid = "0"
        /// The implementation failed otherwise (a wrong size, a libcrypto error): never expected.
        case error = "E"
    }

    /// One verification question.
    public struct Case: Sendable, Hashable, CustomStringConvertible {
        public var x: [UInt8], y: [UInt8], digest: [UInt8], r: [UInt8], s: [UInt8]
        public var label: String

        public init(x: [UInt8], y: [UInt8], digest: [UInt8], r: [UInt8], s: [UInt8], label: String) {
            (self.x, self.y, self.digest, self.r, self.s, self.label) = (x, y, digest, r, s, label)
        }

        /// `label x y digest r s`, hex: one line of the Python peer's vector file.
        public var description: String { ([label] + [x, y, digest, r, s].map { Hex.encode($0) }).joined(separator: " ") }
    }

    /// The group order n of P-384 (SEC 2 §2.5.1, FIPS 186-5 D.1.2.4).
    public static let order = Hex.decode(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")!
    /// The field prime p of P-384.
    public static let prime = Hex.decode(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff")!
    /// SubjectPublicKeyInfo { id-ecPublicKey, secp384r1 } and the BIT STRING's uncompressed-point prefix 0x04.
    static let spkiPrefix: [UInt8] = [
        0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04,
    ]

    /// nettle's answer (`ecc_point_set`, then `ecdsa_verify`).
    public static func nettle(_ question: Case) -> Verdict {
        let key: P384ECDSAPublicKey
        do { key = try P384ECDSAPublicKey(x: question.x, y: question.y) } catch .pointNotOnCurve { return .keyRejected } catch {
            return .error
        }
        do { return try key.isValidSignature(digest: question.digest, r: question.r, s: question.s) ? .valid : .invalid } catch {
            return .error
        }
    }

    /// libcrypto's answer (`d2i_PUBKEY` of the uncompressed point, then `EVP_PKEY_verify` over the digest).
    public static func openSSL(_ question: Case) -> Verdict {
        guard question.x.count == 48, question.y.count == 48 else { return .error }
        let key: PublicKey
        do { key = try PublicKey(subjectPublicKeyInfoDER: spkiPrefix + question.x + question.y) } catch { return .keyRejected }
        guard key.algorithm.isP384 else { return .error }
        do {
            let signature = try ECDSASignature(rBigEndian: question.r, sBigEndian: question.s)
            return try key.isValidECDSASignature(signature, overDigest: question.digest) ? .valid : .invalid
        } catch {
            return .error
        }
    }

    /// The edge cases and corruptions applied to a valid case; `expected` is the verdict every correct
    /// implementation gives (nil: depends on the values, only agreement is required).
    public enum Mutation: String, CaseIterable, Sendable {
        case none, flipR, flipS, flipDigest, flipX, flipY
        case rZero, sZero, rOrder, sOrder, rAboveOrder, sAboveOrder, highS, rAllOnes, sAllOnes
        case offCurve, infinity, xPrime, negatedY, swappedRS

        public var expected: Verdict? {
            switch self {
            case .none, .highS: .valid
            case .flipR, .flipS, .flipDigest, .rZero, .sZero, .rOrder, .sOrder, .rAboveOrder, .sAboveOrder, .rAllOnes, .sAllOnes,
                 .negatedY, .swappedRS: .invalid
            case .flipX, .flipY, .offCurve, .infinity, .xPrime: .keyRejected
            }
        }

        /// `valid` changed by this mutation; `bit` (any value, taken modulo 384) picks the flipped bit.
        public func apply(to valid: Case, bit: Int) -> Case {
            var out = valid
            out.label = rawValue
            let flip = { (value: inout [UInt8]) in value[(bit / 8) % 48] ^= 1 << (bit % 8) }
            switch self {
            case .none: break
            case .flipR: flip(&out.r)
            case .flipS: flip(&out.s)
            case .flipDigest: flip(&out.digest)
            case .flipX: flip(&out.x)
            case .flipY: flip(&out.y)
            case .rZero: out.r = [UInt8](repeating: 0, count: 48)
            case .sZero: out.s = [UInt8](repeating: 0, count: 48)
            case .rOrder: out.r = P384Differential.order
            case .sOrder: out.s = P384Differential.order
            case .rAboveOrder: out.r = add(P384Differential.order, UInt8(truncatingIfNeeded: bit) | 1)
            case .sAboveOrder: out.s = add(P384Differential.order, UInt8(truncatingIfNeeded: bit) | 1)
            case .highS: out.s = subtract(P384Differential.order, valid.s)
            case .rAllOnes: out.r = [UInt8](repeating: 0xFF, count: 48)
            case .sAllOnes: out.s = [UInt8](repeating: 0xFF, count: 48)
            case .offCurve: out.y = add(valid.y, 1)
            case .infinity: (out.x, out.y) = ([UInt8](repeating: 0, count: 48), [UInt8](repeating: 0, count: 48))
            case .xPrime: out.x = P384Differential.prime
            case .negatedY: out.y = subtract(P384Differential.prime, valid.y)
            case .swappedRS: (out.r, out.s) = (valid.s, valid.r)
            }
            return out
        }
    }

    /// a + b modulo 2^384 (b a small number), big-endian.
    static func add(_ a: [UInt8], _ b: UInt8) -> [UInt8] {
        var out = a
        var carry = Int(b)
        for index in out.indices.reversed() where carry != 0 {
            let sum = Int(out[index]) + carry
            out[index] = UInt8(truncatingIfNeeded: sum)
            carry = sum >> 8
        }
        return out
    }

    /// a − b modulo 2^384, big-endian, both 48 bytes.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = a
        var borrow = 0
        for index in out.indices.reversed() {
            let difference = Int(a[index]) - Int(b[index]) - borrow
            out[index] = UInt8(truncatingIfNeeded: difference)
            borrow = difference < 0 ? 1 : 0
        }
        return out
    }
}
