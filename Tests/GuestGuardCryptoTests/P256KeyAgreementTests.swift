import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct P256KeyAgreementTests {
    /// RFC 7518 Appendix C: Alice's ephemeral key (d, x, y), Bob's key (d, x, y) and their Z.
    static let aliceD = hexBytes("d3f3716913d4310a0026de741b3f18893afc8114f0c84682ba677e313a13988a")
    static let aliceX = hexBytes("808d060082c176eed3e776a4ac598cc8672c1779f974eecc9b03411ca5b9495d")
    static let aliceY = hexBytes("48b5bfc527dfce53d6ac7115237d031ccff87a0570b77350a9e503ee7305a69b")
    static let bobD = hexBytes("5449836690d75caf29f0dd029ddb31b3ddb8aba9d2d515c5012465e817d4a9dc")
    static let bobX = hexBytes("c1e349cb61ec70248ce801034c3834e1b88ebe1161cb25af38741f785fcfc4c4")
    static let bobY = hexBytes("7bc96708ef80952b53f8d2555fe72b841ed04588628b1d378a594939500ec9c9")
    static let z = hexBytes("9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4")
    /// The P-256 field prime p (a coordinate equal to p is not reduced).
    static let fieldPrime = hexBytes("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
    /// The P-256 group order n.
    static let groupOrder = hexBytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")

    static func key(scalar: [UInt8]) throws -> P256PrivateKey {
        try scalar.withUnsafeBytes { try P256PrivateKey(rawScalar: $0) }
    }

    static func sharedSecret(_ key: P256PrivateKey, _ peer: PublicKey) throws -> [UInt8] {
        try CipherBuffers.output(count: 32) { try key.deriveSharedSecret(with: peer, into: $0) }
    }

    @Test func rfc7518AppendixCKeyAgreement() throws {
        let alice = try Self.key(scalar: Self.aliceD)
        let bob = try Self.key(scalar: Self.bobD)
        let alicePublic = try alice.publicKey().p256Coordinates()
        #expect(alicePublic.x == Self.aliceX && alicePublic.y == Self.aliceY)
        #expect(try bob.publicKey().p256Coordinates() == (Self.bobX, Self.bobY))
        // Read straight from the private key: the same coordinates (RFC 7518 Appendix C).
        #expect(try alice.publicCoordinates() == (Self.aliceX, Self.aliceY))
        #expect(try bob.publicCoordinates() == (Self.bobX, Self.bobY))
        #expect(try Self.sharedSecret(alice, PublicKey(p256X: Self.bobX, y: Self.bobY)) == Self.z)
        #expect(try Self.sharedSecret(bob, PublicKey(p256X: Self.aliceX, y: Self.aliceY)) == Self.z)
    }

    @Test func generatedKeyRoundTripsThroughCoordinatesAndPKCS8() throws {
        let key = try P256PrivateKey()
        let publicKey = try key.publicKey()
        #expect(publicKey.algorithm.isP256)
        let (x, y) = try publicKey.p256Coordinates()
        #expect(x.count == 32 && y.count == 32)
        #expect(try PublicKey(p256X: x, y: y).subjectPublicKeyInfoDER() == publicKey.subjectPublicKeyInfoDER())
        let imported = try P256PrivateKey(pkcs8PEM: key.pkcs8PEM())
        #expect(try imported.publicKey().subjectPublicKeyInfoDER() == publicKey.subjectPublicKeyInfoDER())
        let peer = try P256PrivateKey()
        #expect(try Self.sharedSecret(key, peer.publicKey()) == Self.sharedSecret(peer, imported.publicKey()))
    }

    /// A coordinate below 2^248 keeps its leading zero byte: the export is fixed-width, and equals
    /// the point inside the DER SubjectPublicKeyInfo (0x04 ‖ x ‖ y at its end).
    @Test func coordinatesKeepLeadingZeros() throws {
        var found: (P256PrivateKey, [UInt8], [UInt8])? = nil
        for _ in 0..<8192 {
            let key = try P256PrivateKey()
            let (x, y) = try key.publicKey().p256Coordinates()
            if x[0] == 0 || y[0] == 0 {
                found = (key, x, y)
                break
            }
        }
        let (key, x, y) = try #require(found, "no key with a leading zero coordinate byte in 8192 tries (p ≈ 2^-46)")
        #expect(x.count == 32 && y.count == 32)
        let spki = try key.publicKey().subjectPublicKeyInfoDER()
        #expect(Array(spki.suffix(65)) == [0x04] + x + y)
        #expect(try key.publicCoordinates() == (x, y))
        #expect(try PublicKey(p256X: x, y: y).subjectPublicKeyInfoDER() == spki)
    }

    @Test func rejectsPointsOffTheCurve() throws {
        var y = Self.bobY
        y[31] ^= 0x01
        #expect(throws: CipherError.pointNotOnCurve) { try PublicKey(p256X: Self.bobX, y: y) }
        #expect(throws: CipherError.pointNotOnCurve) { try PublicKey(p256X: [UInt8](repeating: 0, count: 32), y: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CipherError.pointNotOnCurve) { try PublicKey(p256X: Self.fieldPrime, y: Self.bobY) }
        #expect(throws: CipherError.invalidLength(.ellipticCurveCoordinate, expected: 32, actual: 31)) {
            try PublicKey(p256X: Array(Self.bobX.dropFirst()), y: Self.bobY)
        }
        #expect(throws: CipherError.invalidLength(.ellipticCurveCoordinate, expected: 32, actual: 33)) {
            try PublicKey(p256X: Self.bobX, y: [0] + Self.bobY)
        }
    }

    @Test func rejectsScalarsOutOfRange() throws {
        #expect(throws: CipherError.scalarOutOfRange) { try Self.key(scalar: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CipherError.scalarOutOfRange) { try Self.key(scalar: Self.groupOrder) }
        #expect(throws: CipherError.invalidLength(.ellipticCurveScalar, expected: 32, actual: 31)) {
            try Self.key(scalar: Array(Self.aliceD.prefix(31)))
        }
    }

    @Test func rejectsPeersOfOtherKeyTypes() throws {
        let key = try P256PrivateKey()
        let p384 = try P384PrivateKey().publicKey()
        #expect(throws: CipherError.wrongKeyType(expected: "EC P-256", actual: p384.algorithm)) { try Self.sharedSecret(key, p384) }
        #expect(throws: CipherError.wrongKeyType(expected: "EC P-256", actual: p384.algorithm)) { try p384.p256Coordinates() }
    }

    /// Z computed here equals Z computed by Python `cryptography` from the other side.
    @Test func sharedSecretMatchesPythonCryptography() throws {
        let key = try P256PrivateKey()
        let (x, y) = try key.publicKey().p256Coordinates()
        let output = try PythonPeer.run(
            """
            import sys
            from cryptography.hazmat.primitives.asymmetric import ec
            peer = ec.EllipticCurvePublicNumbers(int(sys.argv[1], 16), int(sys.argv[2], 16), ec.SECP256R1()).public_key()
            mine = ec.generate_private_key(ec.SECP256R1())
            n = mine.public_key().public_numbers()
            print(n.x.to_bytes(32, "big").hex(), n.y.to_bytes(32, "big").hex(), mine.exchange(ec.ECDH(), peer).hex())
            """, arguments: [x.hexString, y.hexString])
        let fields = output.split(whereSeparator: \.isWhitespace).map { hexBytes(String($0)) }
        try #require(fields.count == 3)
        #expect(try Self.sharedSecret(key, PublicKey(p256X: fields[0], y: fields[1])) == fields[2])
    }
}
