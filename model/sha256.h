/*
 * sha256.h — SHA-256 for the ledger's hash chain.
 *
 * On a processor with the SHA extensions (Intel since Goldmont / Ice
 * Lake, AMD since Zen) the blocks are hashed with them, about ten times
 * faster than portable code; elsewhere libsodium hashes.  Both give the
 * same digest: the unit tests compare them on every length up to several
 * blocks.
 */
#ifndef FF_SHA256_H
#define FF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* OUT: out = SHA-256 of the n bytes at msg. */
void sha256(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN]);

/* The portable path alone (libsodium), whatever the processor has. */
void sha256_portable(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN]);

/* 1 when sha256() uses the processor's SHA extensions. */
int sha256_accelerated(void);

#endif
