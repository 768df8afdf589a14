/* test_chain.c — the ledger's hash chain: hashes, hex, the canonical form. */
#include "testlib.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/auth.h"
#include "model/chain.h"
#include "model/sha256.h"

static void	sample(struct ledger_entry *);
static void	hash_of(const uint8_t *, const struct ledger_entry *, uint8_t *);
static void	expect_differs(const struct ledger_entry *, const char *);
static uint8_t	*put_int(uint8_t *, int64_t);
static uint8_t	*put_text(uint8_t *, const char *);
static size_t	canonical(uint8_t *, const uint8_t *, const char *, int64_t,
		    char, int64_t, int64_t, int64_t, int64_t, const char *,
		    const char *);

static void	test_unhex_degenerate(void **);
static void	test_deterministic(void **);
static void	test_every_field(void **);
static void	test_ignored_fields(void **);
static void	test_prev_matters(void **);
static void	test_field_boundaries(void **);
static void	test_canonical_known_answer(void **);
static void	test_source_covered(void **);
static void	test_hex_round_trip(void **);
static void	test_unhex_rejects(void **);

/* A typical income entry. */
static void
sample(struct ledger_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = 7;
	e->account_id = 3;
	snprintf(e->branch_code, sizeof(e->branch_code), "ZC01");
	e->seq = 4;
	e->kind = ENTRY_INCOME;
	e->source_id = 42;
	e->pre_amount = 100000;
	e->amount = 12500;
	e->post_amount = 112500;
	snprintf(e->at, sizeof(e->at), "2018-06-06T08:47:43+00:00");
	snprintf(e->actor, sizeof(e->actor), "feeder");
}

static void
hash_of(const uint8_t *prev, const struct ledger_entry *e, uint8_t *out)
{
	uint8_t zero[FF_HASH_LEN] = { 0 };

	chain_hash(prev ? prev : zero, e, out);
}

/* The hash of e differs from that of sample(); what names the change. */
static void
expect_differs(const struct ledger_entry *e, const char *what)
{
	struct ledger_entry base;
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	sample(&base);
	hash_of(NULL, &base, a);
	hash_of(NULL, e, b);
	if (memcmp(a, b, FF_HASH_LEN) == 0)
		fail_msg("changing %s does not change the hash", what);
}

static uint8_t *
put_int(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(u >> (56 - 8 * i));
	return p + 8;
}

static uint8_t *
put_text(uint8_t *p, const char *s)
{
	size_t n = strlen(s);

	assert_true(n < 256);
	*p++ = (uint8_t)n;
	memcpy(p, s, n);
	return p + n;
}

/*
 * chain.h's encoding, written out: prev, the format byte 1, the code
 * (length byte and bytes), seq (8 bytes big-endian), the kind ('I' / 'W'),
 * source, pre, amount, post (8 bytes big-endian two's complement each),
 * at and actor (length byte and bytes).  Returns its length.
 */
static size_t
canonical_as(int format, uint8_t *buf, const uint8_t *prev, const char *code,
    int64_t seq, char kind, int64_t source, int64_t pre, int64_t amount,
    int64_t post, const char *at, const char *actor)
{
	uint8_t *p = buf;

	memcpy(p, prev, FF_HASH_LEN);
	p += FF_HASH_LEN;
	*p++ = (uint8_t)format;
	p = put_text(p, code);
	p = put_int(p, seq);
	*p++ = (uint8_t)kind;
	p = put_int(p, source);
	p = put_int(p, pre);
	p = put_int(p, amount);
	p = put_int(p, post);
	p = put_text(p, at);
	p = put_text(p, actor);
	return (size_t)(p - buf);
}

static size_t
canonical(uint8_t *buf, const uint8_t *prev, const char *code, int64_t seq,
    char kind, int64_t source, int64_t pre, int64_t amount, int64_t post,
    const char *at, const char *actor)
{
	return canonical_as(1, buf, prev, code, seq, kind, source, pre, amount,
	    post, at, actor);
}

/* Format 2: format 1's fields, then the source's (chain.h). */
static size_t
canonical2_income(uint8_t *buf, const uint8_t *prev, const char *actor,
    int64_t buss_type, const char *ikey, const char *ref, const char *event,
    int withdrawable)
{
	size_t n = canonical_as(2, buf, prev, "ZC01", 4, 'I', 42, 100000, 12500,
	    112500, "2018-06-06T08:47:43+00:00", actor);
	uint8_t *p = buf + n;

	p = put_int(p, buss_type);
	p = put_text(p, ikey);
	p = put_text(p, ref);
	p = put_text(p, event);
	*p++ = (uint8_t)withdrawable;
	return (size_t)(p - buf);
}

static void
test_unhex_degenerate(void **state)
{
	uint8_t out[FF_HASH_LEN];

	(void)state;
	assert_int_equal(chain_unhex("", out), -1);
	assert_int_equal(chain_unhex("0", out), -1);
}

static void
test_deterministic(void **state)
{
	struct ledger_entry e;
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	(void)state;
	sample(&e);
	hash_of(NULL, &e, a);
	hash_of(NULL, &e, b);
	assert_memory_equal(a, b, FF_HASH_LEN);
	/* prev and out may be the same buffer (the audit chains in place). */
	memset(b, 0, sizeof(b));
	chain_hash(b, &e, b);
	assert_memory_equal(a, b, FF_HASH_LEN);
}

static void
test_every_field(void **state)
{
	struct ledger_entry e;

	(void)state;
	sample(&e); snprintf(e.branch_code, sizeof(e.branch_code), "ZC02");
	expect_differs(&e, "branch_code");
	sample(&e); e.seq = 5;
	expect_differs(&e, "seq");
	sample(&e); e.kind = ENTRY_WITHDRAWAL;
	expect_differs(&e, "kind");
	sample(&e); e.source_id = 43;
	expect_differs(&e, "source_id");
	sample(&e); e.pre_amount = 100001;
	expect_differs(&e, "pre_amount");
	sample(&e); e.amount = 12501;
	expect_differs(&e, "amount");
	sample(&e); e.post_amount = 112501;
	expect_differs(&e, "post_amount");
	sample(&e); e.amount = -12500;
	expect_differs(&e, "the sign of amount");
	sample(&e); e.at[sizeof("2018-06-06T08:47:4") - 1] = '4';
	expect_differs(&e, "at");
	sample(&e); snprintf(e.actor, sizeof(e.actor), "feedes");
	expect_differs(&e, "actor");
}

/* The stored hash and the display joins are not part of the entry. */
static void
test_ignored_fields(void **state)
{
	struct ledger_entry e, f;
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	(void)state;
	sample(&e);
	sample(&f);
	memset(f.hash, 0xAB, sizeof(f.hash));
	f.buss_type = 16;
	snprintf(f.ref, sizeof(f.ref), "ORD-1");
	hash_of(NULL, &e, a);
	hash_of(NULL, &f, b);
	assert_memory_equal(a, b, FF_HASH_LEN);
}

static void
test_prev_matters(void **state)
{
	struct ledger_entry e;
	uint8_t p1[FF_HASH_LEN] = { 0 }, p2[FF_HASH_LEN] = { 0 };
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	(void)state;
	sample(&e);
	p2[FF_HASH_LEN - 1] = 1;
	chain_hash(p1, &e, a);
	chain_hash(p2, &e, b);
	assert_memory_not_equal(a, b, FF_HASH_LEN);
}

/* Text moved from one field to the next is a different entry (the
 * length prefixes keep the fields apart). */
static void
test_field_boundaries(void **state)
{
	struct ledger_entry e, f;
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	(void)state;
	sample(&e);
	sample(&f);
	snprintf(e.at, sizeof(e.at), "2018-06-06T08:47:43+00:00x");
	snprintf(e.actor, sizeof(e.actor), "y");
	snprintf(f.at, sizeof(f.at), "2018-06-06T08:47:43+00:00");
	snprintf(f.actor, sizeof(f.actor), "xy");
	hash_of(NULL, &e, a);
	hash_of(NULL, &f, b);
	assert_memory_not_equal(a, b, FF_HASH_LEN);
	/* seq 12 source 3 against seq 1 source 23 */
	sample(&e);
	sample(&f);
	e.seq = 12; e.source_id = 3;
	f.seq = 1; f.source_id = 23;
	hash_of(NULL, &e, a);
	hash_of(NULL, &f, b);
	assert_memory_not_equal(a, b, FF_HASH_LEN);
}

/* The canonical form of chain.h, computed here independently. */
static void
test_canonical_known_answer(void **state)
{
	uint8_t prev[FF_HASH_LEN], want[FF_HASH_LEN], got[FF_HASH_LEN];
	uint8_t buf[1024];
	struct ledger_entry e;
	size_t n;

	(void)state;
	for (int i = 0; i < FF_HASH_LEN; i++)
		prev[i] = (uint8_t)(i * 7 + 1);
	sample(&e);
	e.kind = ENTRY_WITHDRAWAL;
	e.pre_amount = -5;
	e.amount = -12500;
	e.post_amount = -12505;
	snprintf(e.actor, sizeof(e.actor), "rev");
	e.src.applicant_id = 9;
	e.src.decided_by = 11;
	e.src.status = WD_APPROVED;
	e.src.flow = 1;
	/* Format 1, as chains before schema 5 were written. */
	n = canonical(buf, prev, "ZC01", 4, 'W', 42, -5, -12500, -12505,
	    "2018-06-06T08:47:43+00:00", "rev");
	crypto_hash_sha256(want, buf, n);
	chain_hash_v1(prev, &e, got);
	assert_memory_equal(want, got, FF_HASH_LEN);
	/* Format 2: the applicant, the decider, the status and the flow. */
	n = canonical_as(2, buf, prev, "ZC01", 4, 'W', 42, -5, -12500, -12505,
	    "2018-06-06T08:47:43+00:00", "rev");
	{
		uint8_t *p = buf + n;

		p = put_int(p, 9);
		p = put_int(p, 11);
		*p++ = (uint8_t)WD_APPROVED;
		p = put_int(p, 1);
		n = (size_t)(p - buf);
	}
	crypto_hash_sha256(want, buf, n);
	chain_hash(prev, &e, got);
	assert_memory_equal(want, got, FF_HASH_LEN);

	/* An income, and UTF-8 text hashed as its bytes. */
	sample(&e);
	snprintf(e.actor, sizeof(e.actor), "李明");
	e.src.buss_type = 1;
	snprintf(e.src.ikey, sizeof(e.src.ikey), "R:ORD-1");
	snprintf(e.src.ref_id, sizeof(e.src.ref_id), "ORD-1");
	snprintf(e.src.event_id, sizeof(e.src.event_id), "ev-1");
	e.src.withdrawable = 1;
	n = canonical(buf, prev, "ZC01", 4, 'I', 42, 100000, 12500, 112500,
	    "2018-06-06T08:47:43+00:00", "李明");
	crypto_hash_sha256(want, buf, n);
	chain_hash_v1(prev, &e, got);
	assert_memory_equal(want, got, FF_HASH_LEN);
	n = canonical2_income(buf, prev, "李明", 1, "R:ORD-1", "ORD-1", "ev-1", 1);
	crypto_hash_sha256(want, buf, n);
	chain_hash(prev, &e, got);
	assert_memory_equal(want, got, FF_HASH_LEN);
}

/* Every field of the source that decides money or identity changes the
 * hash: an income's business type, key, reference, event id and
 * withdrawable flag; an application's applicant, decider, status, flow. */
static void
test_source_covered(void **state)
{
	struct ledger_entry e, f;
	uint8_t a[FF_HASH_LEN], b[FF_HASH_LEN];

	(void)state;
	sample(&e);
	e.src.buss_type = 1;
	snprintf(e.src.ikey, sizeof(e.src.ikey), "R:ORD-1");
	snprintf(e.src.ref_id, sizeof(e.src.ref_id), "ORD-1");
	snprintf(e.src.event_id, sizeof(e.src.event_id), "ev-1");
	e.src.withdrawable = 1;
	hash_of(NULL, &e, a);
	for (int i = 0; i < 5; i++) {
		f = e;
		switch (i) {
		case 0: f.src.buss_type = 2; break;
		case 1: f.src.ikey[2] = 'X'; break;
		case 2: f.src.ref_id[0] = 'X'; break;
		case 3: f.src.event_id[0] = 'X'; break;
		case 4: f.src.withdrawable = 0; break;
		}
		hash_of(NULL, &f, b);
		assert_memory_not_equal(a, b, FF_HASH_LEN);
	}
	sample(&e);
	e.kind = ENTRY_WITHDRAWAL;
	e.src.applicant_id = 9;
	e.src.decided_by = 11;
	e.src.status = WD_APPROVED;
	e.src.flow = 1;
	hash_of(NULL, &e, a);
	for (int i = 0; i < 4; i++) {
		f = e;
		switch (i) {
		case 0: f.src.applicant_id = 10; break;
		case 1: f.src.decided_by = 12; break;
		case 2: f.src.status = WD_REJECTED; break;
		case 3: f.src.flow = 2; break;
		}
		hash_of(NULL, &f, b);
		assert_memory_not_equal(a, b, FF_HASH_LEN);
	}
}

/* The accelerated SHA-256 (when this processor has it) agrees with
 * libsodium on every length across the block and padding boundaries, and
 * both give the standard's answer for "abc". */
static void
test_sha256_agrees(void **state)
{
	static const uint8_t abc[SHA256_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t msg[700], want[SHA256_LEN], got[SHA256_LEN];
	uint32_t x = 12345;

	(void)state;
	sha256((const uint8_t *)"abc", 3, got);
	assert_memory_equal(abc, got, SHA256_LEN);
	sha256_portable((const uint8_t *)"abc", 3, got);
	assert_memory_equal(abc, got, SHA256_LEN);
	for (size_t i = 0; i < sizeof(msg); i++) {
		x = x * 1103515245u + 12345u;
		msg[i] = (uint8_t)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof(msg); n++) {
		sha256_portable(msg, n, want);
		sha256(msg, n, got);
		assert_memory_equal(want, got, SHA256_LEN);
	}
	print_message("sha256: %s\n", sha256_accelerated() ?
	    "the processor's SHA extensions" : "portable (libsodium)");
}

static void
test_hex_round_trip(void **state)
{
	uint8_t h[FF_HASH_LEN], back[FF_HASH_LEN];
	char hex[2 * FF_HASH_LEN + 1], upper[2 * FF_HASH_LEN + 1];
	struct ledger_entry e;

	(void)state;
	for (int i = 0; i < FF_HASH_LEN; i++)
		h[i] = (uint8_t)(i * 37 + 11);
	h[0] = 0x00;
	h[1] = 0xff;
	h[2] = 0x0a;
	h[3] = 0xa0;
	assert_ptr_equal(chain_hex(h, hex), hex);
	assert_int_equal(strlen(hex), 2 * FF_HASH_LEN);
	assert_memory_equal(hex, "00ff0aa0", 8);
	for (size_t i = 0; i < strlen(hex); i++)
		assert_true((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f'));
	assert_int_equal(chain_unhex(hex, back), 0);
	assert_memory_equal(h, back, FF_HASH_LEN);

	/* Upper case digits read the same. */
	for (size_t i = 0; i <= strlen(hex); i++)
		upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ?
		    hex[i] - 'a' + 'A' : hex[i]);
	memset(back, 0, sizeof(back));
	assert_int_equal(chain_unhex(upper, back), 0);
	assert_memory_equal(h, back, FF_HASH_LEN);

	/* A real hash too. */
	sample(&e);
	hash_of(NULL, &e, h);
	chain_hex(h, hex);
	assert_int_equal(chain_unhex(hex, back), 0);
	assert_memory_equal(h, back, FF_HASH_LEN);
}

static void
test_unhex_rejects(void **state)
{
	static const char good[] =
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	uint8_t out[FF_HASH_LEN];
	char buf[2 * FF_HASH_LEN + 8];

	(void)state;
	assert_int_equal(chain_unhex(good, out), 0);

	/* one digit short, one too many */
	snprintf(buf, sizeof(buf), "%.*s", 2 * FF_HASH_LEN - 1, good);
	assert_int_equal(chain_unhex(buf, out), -1);
	snprintf(buf, sizeof(buf), "%s0", good);
	assert_int_equal(chain_unhex(buf, out), -1);
	snprintf(buf, sizeof(buf), "%s00", good);
	assert_int_equal(chain_unhex(buf, out), -1);

	/* a non-hex character anywhere, high or low nibble */
	static const char bad[] = { 'g', 'G', 'x', ' ', '-', '+', ':', '\n',
	    '/', '@', '`', '\x80' };
	for (size_t k = 0; k < sizeof(bad); k++) {
		for (size_t pos = 0; pos < 2 * FF_HASH_LEN; pos += 21) {
			memcpy(buf, good, sizeof(good));
			buf[pos] = bad[k];
			if (chain_unhex(buf, out) != -1)
				fail_msg("accepted %s", buf);
		}
	}
	/* "0x" prefix, surrounding space */
	snprintf(buf, sizeof(buf), "0x%.*s", 2 * FF_HASH_LEN - 2, good);
	assert_int_equal(chain_unhex(buf, out), -1);
	snprintf(buf, sizeof(buf), " %.*s", 2 * FF_HASH_LEN - 1, good);
	assert_int_equal(chain_unhex(buf, out), -1);
	snprintf(buf, sizeof(buf), "%.*s ", 2 * FF_HASH_LEN - 1, good);
	assert_int_equal(chain_unhex(buf, out), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unhex_degenerate),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_every_field),
		cmocka_unit_test(test_ignored_fields),
		cmocka_unit_test(test_prev_matters),
		cmocka_unit_test(test_field_boundaries),
		cmocka_unit_test(test_canonical_known_answer),
		cmocka_unit_test(test_source_covered),
		cmocka_unit_test(test_sha256_agrees),
		cmocka_unit_test(test_hex_round_trip),
		cmocka_unit_test(test_unhex_rejects),
	};

	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
