import GuestGuardCrypto
import GuestGuardTestSupport
import P384ECDSA
import Testing

/// nettle's ECDSA P-384 signer (P384ECDSA, the simulated secure processor's report signing): its signatures verify
/// under OpenSSL and nettle, fresh nonces every time, and every failure is a typed error.
@Suite struct P384ECDSASigningTests {
    /// An OpenSSL key, its scalar handed to nettle, and the public half's coordinates.
    static func keyPair() throws -> (signer: P384ECDSAPrivateKey, openSSL: P384PrivateKey, x: [UInt8], y: [UInt8]) {
        let key = try P384PrivateKey()
        let signer = try key.withPrivateScalar { scalar in Result { () throws(P384ECDSAError) in try P384ECDSAPrivateKey(scalar: scalar) } }.get()
        let (x, y) = try key.publicKey().p384Coordinates()
        return (signer, key, x, y)
    }

    static func secureRandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool { (try? SecureRandom.fill(buffer)) != nil }

    @Test func signaturesVerifyUnderOpenSSLAndNettle() throws {
        var signatures: Set<[UInt8]> = []
        for _ in 0..<10 {
            let pair = try Self.keyPair()
            for _ in 0..<20 {
                let digest = try HashFunction.sha384.hash(SecureRandom.bytes(count: 0x2A0))
                let (r, s) = try pair.signer.sign(digest: digest, random: Self.secureRandom)
                let question = P384Differential.Case(x: pair.x, y: pair.y, digest: digest, r: r, s: s, label: "none")
                #expect(P384Differential.openSSL(question) == .valid)
                #expect(P384Differential.nettle(question) == .valid)
                signatures.insert(r)
            }
        }
        #expect(signatures.count == 200)  // a fresh nonce for every signature: no r repeats
    }

    @Test func theSameDigestGetsAFreshNonce() throws {
        let pair = try Self.keyPair()
        let digest = [UInt8](repeating: 7, count: 48)
        let first = try pair.signer.sign(digest: digest, random: Self.secureRandom)
        let second = try pair.signer.sign(digest: digest, random: Self.secureRandom)
        #expect(first.r != second.r)
    }

    @Test func aFailingRandomSourceSignsNothing() throws {
        let pair = try Self.keyPair()
        #expect(throws: P384ECDSAError.randomSourceFailed) {
            try pair.signer.sign(digest: [UInt8](repeating: 1, count: 48)) { _ in false }
        }
        #expect(throws: P384ECDSAError.invalidLength(.digest, expected: 48, actual: 32)) {
            try pair.signer.sign(digest: [UInt8](repeating: 1, count: 32), random: Self.secureRandom)
        }
    }

    @Test(arguments: [
        ("zero", [UInt8](repeating: 0, count: 48)),
        ("n", P384Differential.order),
        ("all ones", [UInt8](repeating: 0xFF, count: 48)),
    ])
    func scalarsOutsideTheGroupAreRefused(_ name: String, _ scalar: [UInt8]) {
        #expect(throws: P384ECDSAError.scalarOutOfRange, "\(name)") { try Self.importScalar(scalar).get() }
        #expect(throws: P384ECDSAError.invalidLength(.privateScalar, expected: 48, actual: 47)) {
            try Self.importScalar(Array(scalar.dropFirst())).get()
        }
    }

    static func importScalar(_ scalar: [UInt8]) -> Result<P384ECDSAPrivateKey, P384ECDSAError> {
        scalar.withUnsafeBytes { bytes in Result { () throws(P384ECDSAError) in try P384ECDSAPrivateKey(scalar: bytes) } }
    }
}
