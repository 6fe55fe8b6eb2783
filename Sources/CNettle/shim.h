#ifndef GUESTGUARD_CNETTLE_SHIM_H
#define GUESTGUARD_CNETTLE_SHIM_H
/* nettle's public-key half (libhogweed) for ECDSA P-384, and the few GMP calls its mpz-based API needs.
 * GMP's functions are macros over __gmpz_* names that do not import into Swift; these inline shims keep every
 * mpz_t inside C, so Swift only ever sees big-endian byte buffers and nettle's opaque curve and point. */
#include <gmp.h>
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
#endif
