/* sha256.c — SHA-256, with the processor's SHA extensions when it has them. */
#include "sha256.h"

#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#ifdef SHA256_X86
static int sha256_x86_has_ni(void);
static void sha256_x86_blocks(uint32_t state[8], const uint8_t *p,
    size_t nblocks);
static void sha256_x86(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN]);

/* The round constants, four to a vector in the order the rounds take them. */
static const uint32_t sha256_k[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* 1 when the processor has the SHA extensions and SSSE3/SSE4.1 beside. */
static int
sha256_x86_has_ni(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (!(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & bit_SHA) != 0;
}

/*
 * Hashes nblocks 64-byte blocks into state (a..h).  The SHA extensions
 * keep the state as two vectors, ABEF and CDGH; each sha256rnds2 does
 * two rounds, and msg1/msg2 extend the message schedule four words at a
 * time.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void
sha256_x86_blocks(uint32_t state[8], const uint8_t *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i abef, cdgh, t;

	t = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
	cdgh = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
	t = _mm_shuffle_epi32(t, 0xb1);			/* cdab */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1b);		/* efgh */
	abef = _mm_alignr_epi8(t, cdgh, 8);		/* abef */
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);		/* cdgh */

	for (; nblocks > 0; nblocks--, p += 64) {
		__m128i w[4], abef0 = abef, cdgh0 = cdgh, m;

		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + 16 * i)), bswap);
		for (int i = 0; i < 16; i++) {
			if (i >= 4) {
				/* w[i] from w[i-4], w[i-3], w[i-2], w[i-1]. */
				m = _mm_sha256msg1_epu32(w[i & 3],
				    w[(i + 1) & 3]);
				m = _mm_add_epi32(m, _mm_alignr_epi8(
				    w[(i + 3) & 3], w[(i + 2) & 3], 4));
				w[i & 3] = _mm_sha256msg2_epu32(m,
				    w[(i + 3) & 3]);
			}
			m = _mm_add_epi32(w[i & 3], _mm_load_si128(
			    (const __m128i *)(const void *)&sha256_k[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			m = _mm_shuffle_epi32(m, 0x0e);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	t = _mm_shuffle_epi32(abef, 0x1b);		/* feba */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);		/* dchg */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);		/* dcba */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);		/* hgfe */
	_mm_storeu_si128((__m128i *)(void *)&state[0], abef);
	_mm_storeu_si128((__m128i *)(void *)&state[4], cdgh);
}

/* SHA-256 of msg: whole blocks straight from msg, then the padded tail. */
static void
sha256_x86(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN])
{
	uint32_t state[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	uint8_t tail[128];
	size_t whole = n / 64, rest = n % 64, tailn;
	uint64_t bits = (uint64_t)n * 8;

	sha256_x86_blocks(state, msg, whole);
	memset(tail, 0, sizeof(tail));
	memcpy(tail, msg + whole * 64, rest);
	tail[rest] = 0x80;
	tailn = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tailn - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_x86_blocks(state, tail, tailn / 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(state[i] >> 24);
		out[4 * i + 1] = (uint8_t)(state[i] >> 16);
		out[4 * i + 2] = (uint8_t)(state[i] >> 8);
		out[4 * i + 3] = (uint8_t)state[i];
	}
}
#endif

/* -1 not yet known, 0 portable, 1 the SHA extensions.  Threads that race
 * to find out find the same answer. */
static _Atomic int sha256_mode = -1;

int
sha256_accelerated(void)
{
	int m = atomic_load_explicit(&sha256_mode, memory_order_relaxed);

	if (m < 0) {
#ifdef SHA256_X86
		m = sha256_x86_has_ni();
#else
		m = 0;
#endif
		atomic_store_explicit(&sha256_mode, m, memory_order_relaxed);
	}
	return m;
}

void
sha256_portable(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN])
{
	crypto_hash_sha256(out, msg, (unsigned long long)n);
}

void
sha256(const uint8_t *msg, size_t n, uint8_t out[SHA256_LEN])
{
#ifdef SHA256_X86
	if (sha256_accelerated()) {
		sha256_x86(msg, n, out);
		return;
	}
#endif
	sha256_portable(msg, n, out);
}
