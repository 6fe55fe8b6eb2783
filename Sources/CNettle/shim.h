#ifndef GUESTGUARD_CNETTLE_SHIM_H
#define GUESTGUARD_CNETTLE_SHIM_H
/* nettle's public-key half (libhogweed) for ECDSA P-384, and the few GMP calls its mpz-based API needs.
 * GMP's functions are macros over __gmpz_* names that do not import into Swift; these inline shims keep every
 * mpz_t inside C, so Swift only ever sees big-endian byte buffers and nettle's opaque curve and point. */
#include <gmp.h>
#include <string.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>

/// `ecc_point_set` from big-endian coordinates: `mpz_import` (most significant byte first) of x and y, then
/// `ecc_point_set`, which returns 1 only if 0 <= x, y < p and y^2 = x^3 - 3x + b (so never for the point at
/// infinity, which has no affine coordinates); 0 otherwise, leaving `point` unchanged.
static inline int guestguard_ecc_point_set_big_endian(
    struct ecc_point *point, const uint8_t *x, size_t x_length, const uint8_t *y, size_t y_length) {
    mpz_t mx, my;
    mpz_init(mx);
    mpz_init(my);
    mpz_import(mx, x_length, 1, 1, 1, 0, x);
    mpz_import(my, y_length, 1, 1, 1, 0, y);
    int on_curve = ecc_point_set(point, mx, my);
    mpz_clear(mx);
    mpz_clear(my);
    return on_curve;
}

/// `ecdsa_sign` with r and s written as `scalar_length`-byte big-endian integers: `dsa_signature_init`,
/// `ecdsa_sign` (the nonce k from `random`), `mpz_export` of r and s right-aligned, `dsa_signature_clear`.
/// Returns 0 if r or s does not fit (never for a curve whose order has `scalar_length` bytes).
static inline int guestguard_ecdsa_sign_big_endian(
    const struct ecc_scalar *key, void *random_context, nettle_random_func *random,
    const uint8_t *digest, size_t digest_length, uint8_t *r, uint8_t *s, size_t scalar_length) {
    struct dsa_signature signature;
    dsa_signature_init(&signature);
    ecdsa_sign(key, random_context, random, digest_length, digest, &signature);
    size_t r_length = (mpz_sizeinbase(signature.r, 2) + 7) / 8, s_length = (mpz_sizeinbase(signature.s, 2) + 7) / 8;
    int fits = r_length <= scalar_length && s_length <= scalar_length;
    if (fits) {
        memset(r, 0, scalar_length);
        memset(s, 0, scalar_length);
        mpz_export(r + scalar_length - r_length, NULL, 1, 1, 1, 0, signature.r);
        mpz_export(s + scalar_length - s_length, NULL, 1, 1, 1, 0, signature.s);
    }
    dsa_signature_clear(&signature);
    return fits;
}

/// `ecdsa_verify` with r and s as big-endian bytes: `dsa_signature_init`, `mpz_import` of r and s, `ecdsa_verify`
/// (1 only if 0 < r, s < n and the signature verifies over the digest, truncated to the group order's bit length),
/// `dsa_signature_clear`.
static inline int guestguard_ecdsa_verify_big_endian(
    const struct ecc_point *point, const uint8_t *digest, size_t digest_length,
    const uint8_t *r, size_t r_length, const uint8_t *s, size_t s_length) {
    struct dsa_signature signature;
    dsa_signature_init(&signature);
    mpz_import(signature.r, r_length, 1, 1, 1, 0, r);
    mpz_import(signature.s, s_length, 1, 1, 1, 0, s);
    int valid = ecdsa_verify(point, digest_length, digest, &signature);
    dsa_signature_clear(&signature);
    return valid;
}

/// `ecc_scalar_set` from a big-endian scalar (a private key): `mpz_import`, `ecc_scalar_set` (1 only if
/// 0 < z < n; 0 otherwise), then the temporary mpz's limbs are zeroed before `mpz_clear` (GMP does not).
static inline int guestguard_ecc_scalar_set_big_endian(struct ecc_scalar *scalar, const uint8_t *z, size_t z_length) {
    mpz_t mz;
    mpz_init(mz);
    mpz_import(mz, z_length, 1, 1, 1, 0, z);
    int in_range = ecc_scalar_set(scalar, mz);
    memset(mz->_mp_d, 0, (size_t)mz->_mp_alloc * sizeof(mp_limb_t));
    mpz_clear(mz);
    return in_range;
}

/// Zeroes a private scalar's limbs, then `ecc_scalar_clear` (which frees without zeroing).
static inline void guestguard_ecc_scalar_clear(struct ecc_scalar *scalar) {
    memset(scalar->p, 0, (size_t)ecc_size(scalar->ecc) * sizeof(mp_limb_t));
    ecc_scalar_clear(scalar);
}
#endif
