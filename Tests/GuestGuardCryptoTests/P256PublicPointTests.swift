import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

/// ``P256PublicPoint`` and ``P256PrivateKey`` on libcrypto's `EC_POINT` layer: the RFC 7518 vector,
/// the same verdicts as the `EVP_PKEY` path (`EVP_PKEY_fromdata` + `EVP_PKEY_public_check`) for
/// valid and invalid points, and keys that Python `cryptography` agrees with.
@Suite struct P256PublicPointTests {
    typealias Vector = P256KeyAgreementTests

    static func sharedSecret(_ key: P256PrivateKey, _ peer: P256PublicPoint) throws -> [UInt8] {
        try CipherBuffers.output(count: 32) { try key.deriveSharedSecret(with: peer, into: $0) }
    }

    @Test func rfc7518AppendixCWithPoints() throws {
        let alice = try Vector.key(scalar: Vector.aliceD)
        let bob = try Vector.key(scalar: Vector.bobD)
        #expect(alice.publicPoint == (try P256PublicPoint(x: Vector.aliceX, y: Vector.aliceY)))
        #expect(bob.publicPoint.x == Vector.bobX && bob.publicPoint.y == Vector.bobY)
        #expect(try Self.sharedSecret(alice, bob.publicPoint) == Vector.z)
        #expect(try Self.sharedSecret(bob, P256PublicPoint(x: Vector.aliceX, y: Vector.aliceY)) == Vector.z)
    }

    /// The attacker's choices for a JWK `x`/`y` (the broker's `tee-pubkey`, the guest's `epk`):
    /// each is refused exactly as the `EVP_PKEY` import with libcrypto's full public check refuses it.
    @Test func refusesWhatTheEVPPathRefuses() throws {
        var flipped = Vector.bobY
        flipped[31] ^= 0x01
        let zero = [UInt8](repeating: 0, count: 32)
        // (x, y): off the curve, the all-zero "point", x = p (not reduced), y = p, y and p - y swapped sign.
        let invalid: [([UInt8], [UInt8])] = [
            (Vector.bobX, flipped), (zero, zero), (Vector.fieldPrime, Vector.bobY), (Vector.bobX, Vector.fieldPrime),
            (Vector.bobX, zero), ([UInt8](repeating: 0xFF, count: 32), Vector.bobY),
        ]
        for (x, y) in invalid {
            #expect(throws: CipherError.pointNotOnCurve) { try P256PublicPoint(x: x, y: y) }
            #expect(throws: CipherError.pointNotOnCurve) { try PublicKey(p256X: x, y: y) }
        }
        #expect(throws: CipherError.invalidLength(.ellipticCurveCoordinate, expected: 32, actual: 31)) {
            try P256PublicPoint(x: Array(Vector.bobX.dropFirst()), y: Vector.bobY)
        }
        #expect(throws: CipherError.invalidLength(.ellipticCurveCoordinate, expected: 32, actual: 33)) {
            try P256PublicPoint(x: Vector.bobX, y: [0] + Vector.bobY)
        }
        // The negated point (x, p - y) is on the curve: accepted by both.
        let negatedY = Self.subtract(Vector.fieldPrime, Vector.bobY)
        #expect(throws: Never.self) { try P256PublicPoint(x: Vector.bobX, y: negatedY) }
        #expect(throws: Never.self) { try PublicKey(p256X: Vector.bobX, y: negatedY) }
    }

    /// Generated keys: the point is accepted by the `EVP_PKEY` path, and ECDH through either
    /// peer form gives the same Z on both sides.
    @Test func generatedKeysAgreeWithTheEVPPath() throws {
        for _ in 0..<16 {
            let key = try P256PrivateKey(), peer = try P256PrivateKey()
            let evp = try PublicKey(p256X: key.publicPoint.x, y: key.publicPoint.y)
            #expect(try evp.p256Coordinates() == (key.publicPoint.x, key.publicPoint.y))
            let z = try Self.sharedSecret(peer, key.publicPoint)
            #expect(try CipherBuffers.output(count: 32) { try peer.deriveSharedSecret(with: evp, into: $0) } == z)
            #expect(try Self.sharedSecret(key, peer.publicPoint) == z)
            #expect(key.publicPoint != peer.publicPoint)
        }
    }

    /// A PKCS #8 key made by Python `cryptography` imports with the public point Python computes;
    /// our export imports back to the same key.
    @Test func pkcs8FromPythonCryptography() throws {
        let output = try PythonPeer.run(
            """
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            key = ec.generate_private_key(ec.SECP256R1())
            n = key.public_key().public_numbers()
            print(n.x.to_bytes(32, "big").hex(), n.y.to_bytes(32, "big").hex())
            print(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(), end="")
            """)
        let lines = output.split(separator: "\n", maxSplits: 1).map(String.init)
        try #require(lines.count == 2)
        let coordinates = lines[0].split(separator: " ").map { hexBytes(String($0)) }
        let key = try P256PrivateKey(pkcs8PEM: lines[1])
        #expect(key.publicPoint.x == coordinates[0] && key.publicPoint.y == coordinates[1])
        let reimported = try P256PrivateKey(pkcs8PEM: key.pkcs8PEM())
        #expect(reimported.publicPoint == key.publicPoint)
        let peer = try P256PrivateKey()
        #expect(try Self.sharedSecret(reimported, peer.publicPoint) == Self.sharedSecret(peer, key.publicPoint))
    }

    @Test func pkcs8OfAnotherCurveIsRefused() throws {
        let p384 = try P384PrivateKey().pkcs8PEM()
        #expect(throws: KeyError.self) { try P256PrivateKey(pkcs8PEM: p384) }
    }

    /// a - b for 32-byte big-endian numbers with a ≥ b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var digit = Int(a[i]) - Int(b[i]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            result[i] = UInt8(digit)
        }
        return result
    }
}
