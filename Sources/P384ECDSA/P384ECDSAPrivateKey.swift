import CNettle

/// An ECDSA P-384 signing key in nettle's form (`struct ecc_scalar` on `nettle_get_secp_384r1()`): the simulated
/// AMD secure processor's VCEK, which signs every simulated report (the load generator of `bench/broker.sh` signs
/// one per handshake; nettle's sign costs about half of OpenSSL 3.0's). The nonce k comes from the caller's random
/// source (SNPSimulator passes GuestGuardCrypto's `SecureRandom`). Immutable after init; the scalar's limbs are
/// zeroed before they are freed.
public final class P384ECDSAPrivateKey: @unchecked Sendable {
    private let scalar: UnsafeMutablePointer<ecc_scalar>

    /// Imports the private scalar d, exactly 48 bytes, big-endian; throws unless 0 < d < n.
    /// The corresponding C functions are `ecc_scalar_init`, `mpz_import` and `ecc_scalar_set`.
    public init(scalar bytes: UnsafeRawBufferPointer) throws(P384ECDSAError) {
        guard bytes.count == P384ECDSAPublicKey.scalarByteCount, let base = bytes.baseAddress else {
            throw .invalidLength(.privateScalar, expected: P384ECDSAPublicKey.scalarByteCount, actual: bytes.count)
        }
        let scalar = UnsafeMutablePointer<ecc_scalar>.allocate(capacity: 1)
        nettle_ecc_scalar_init(scalar, nettle_get_secp_384r1())
        guard guestguard_ecc_scalar_set_big_endian(scalar, base.assumingMemoryBound(to: UInt8.self), bytes.count) == 1 else {
            guestguard_ecc_scalar_clear(scalar)
            scalar.deallocate()
            throw .scalarOutOfRange
        }
        self.scalar = scalar
    }

    /// The corresponding C function is `ecc_scalar_clear` (after zeroing the limbs).
    deinit {
        guestguard_ecc_scalar_clear(scalar)
        scalar.deallocate()
    }

    /// Signs a 48-byte SHA-384 `digest`; returns r and s, 48 bytes each, big-endian. `random` fills the buffer it
    /// is given with uniformly random bytes and returns false if it cannot; then nothing is returned (nettle still
    /// finishes the signature with a fixed nonce, which is discarded).
    /// The corresponding C functions are `ecdsa_sign` and `mpz_export`.
    public func sign(
        digest: [UInt8], random: (UnsafeMutableRawBufferPointer) -> Bool
    ) throws(P384ECDSAError) -> (r: [UInt8], s: [UInt8]) {
        try P384ECDSAPublicKey.requireLength(digest, .digest, P384ECDSAPublicKey.digestByteCount)
        let count = P384ECDSAPublicKey.scalarByteCount
        var r = [UInt8](repeating: 0, count: count)
        var s = [UInt8](repeating: 0, count: count)
        let (fits, randomFailed) = withoutActuallyEscaping(random) { random in
            var context = NonceSource(fill: random)
            let fits = withUnsafeMutablePointer(to: &context) { context in
                guestguard_ecdsa_sign_big_endian(scalar, context, { context, length, destination in
                    let source = context!.assumingMemoryBound(to: NonceSource.self)
                    let buffer = UnsafeMutableRawBufferPointer(start: destination, count: length)
                    if !source.pointee.fill(buffer) {
                        source.pointee.failed = true
                        // Any k in 1 ..< n ends nettle's rejection loop; this signature is thrown away.
                        buffer.initializeMemory(as: UInt8.self, repeating: 1)
                    }
                }, digest, digest.count, &r, &s, count) == 1
            }
            return (fits, context.failed)
        }
        guard !randomFailed else { throw .randomSourceFailed }
        precondition(fits, "a P-384 signature component exceeds 48 bytes")
        return (r, s)
    }
}

/// The caller's random source as nettle's `nettle_random_func` context.
private struct NonceSource {
    let fill: (UnsafeMutableRawBufferPointer) -> Bool
    var failed = false
}
