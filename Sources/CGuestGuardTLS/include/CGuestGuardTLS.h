#ifndef GUESTGUARD_CGUESTGUARDTLS_H
#define GUESTGUARD_CGUESTGUARDTLS_H
/*
 * OpenSSL 3.0 macros that Swift cannot import, re-exported as functions and constants.
 *
 * The OpenSSL types are only forward-declared here, so this module does not pull a second copy
 * of <openssl/ssl.h> into Swift: the pointers import as OpaquePointer, exactly like the ones
 * from COpenSSL.
 */
#include <stdint.h>

struct ssl_ctx_st;
struct ssl_st;
struct x509_st;

/* SSL_OP_NO_RENEGOTIATION (ssl.h: SSL_OP_BIT(30)). */
extern const uint64_t guestguard_SSL_OP_NO_RENEGOTIATION;
/* SSL_OP_NO_COMPRESSION (ssl.h: SSL_OP_BIT(17)). */
extern const uint64_t guestguard_SSL_OP_NO_COMPRESSION;
/* SSL_OP_CIPHER_SERVER_PREFERENCE (ssl.h: SSL_OP_BIT(22)). */
extern const uint64_t guestguard_SSL_OP_CIPHER_SERVER_PREFERENCE;

/* Wraps the macro SSL_CTX_set_min_proto_version. Returns 1 on success. */
int guestguard_SSL_CTX_set_min_proto_version(struct ssl_ctx_st *ctx, int version);

/* Wraps the macro SSL_set_tlsext_host_name (SNI). Returns 1 on success. */
int guestguard_SSL_set_tlsext_host_name(struct ssl_st *ssl, const char *name);

/* Wraps the macro SSL_CTX_add1_chain_cert: the context takes its own reference. Returns 1 on success. */
int guestguard_SSL_CTX_add1_chain_cert(struct ssl_ctx_st *ctx, struct x509_st *x509);

/* Wraps the macro SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF). */
void guestguard_SSL_CTX_disable_session_cache(struct ssl_ctx_st *ctx);

#endif
