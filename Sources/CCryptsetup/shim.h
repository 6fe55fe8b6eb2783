#ifndef GUESTGUARD_CCRYPTSETUP_SHIM_H
#define GUESTGUARD_CCRYPTSETUP_SHIM_H
#include <libcryptsetup.h>
#include <stdint.h>
/* Function-like macros do not import into Swift; re-export them as constants. */
static const uint32_t guestguard_CRYPT_PBKDF_NO_BENCHMARK = CRYPT_PBKDF_NO_BENCHMARK;
static const uint32_t guestguard_CRYPT_ACTIVATE_ALLOW_DISCARDS = CRYPT_ACTIVATE_ALLOW_DISCARDS;
static const uint32_t guestguard_CRYPT_ACTIVATE_IGNORE_PERSISTENT = CRYPT_ACTIVATE_IGNORE_PERSISTENT;
#endif
