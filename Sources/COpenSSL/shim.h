#ifndef GUESTGUARD_COPENSSL_SHIM_H
#define GUESTGUARD_COPENSSL_SHIM_H
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Function-like macros do not import into Swift; these inline shims expose them. */

/// `OPENSSL_free` is a macro over `CRYPTO_free`.
static inline void guestguard_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

/// `BIO_get_mem_data` is a macro over `BIO_ctrl(BIO_CTRL_INFO)`; returns the byte count.
static inline long guestguard_BIO_get_mem_data(BIO *bio, char **contents) {
    return BIO_get_mem_data(bio, contents);
}

/// `MBSTRING_UTF8` is defined through another macro.
static const int guestguard_MBSTRING_UTF8 = MBSTRING_UTF8;
/// `EVP_PKEY_PUBLIC_KEY` and `EVP_PKEY_KEYPAIR` are composed from other macros (`EVP_PKEY_fromdata` selections).
static const int guestguard_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
static const int guestguard_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;
#endif
