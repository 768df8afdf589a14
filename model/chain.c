/* chain.c — the ledger's hash chain; see chain.h. */
#include "chain.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"

static void chain_put(crypto_hash_sha256_state *h, const char *s, size_t n);
static void chain_put_int(crypto_hash_sha256_state *h, int64_t v);

/* Decimal text of v into the end of buf[24]; returns where it starts.
 * (snprintf was a third of the hash's cost on the ingest path.) */
static char *
chain_itoa(int64_t v, char buf[24])
{
	char *p = buf + 24;
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + m % 10);
		m /= 10;
	} while (m > 0);
	if (v < 0)
		*--p = '-';
	return p;
}

/* One netstring: "<length>:<bytes>,". */
static void
chain_put(crypto_hash_sha256_state *h, const char *s, size_t n)
{
	char buf[25];
	char *p = chain_itoa((int64_t)n, buf);

	buf[24] = ':';
	crypto_hash_sha256_update(h, (const unsigned char *)p,
	    (size_t)(buf + 25 - p));
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
	crypto_hash_sha256_update(h, (const unsigned char *)",", 1);
}

static void
chain_put_int(crypto_hash_sha256_state *h, int64_t v)
{
	char buf[24];
	char *p = chain_itoa(v, buf);

	chain_put(h, p, (size_t)(buf + 24 - p));
}

void
chain_hash(const uint8_t prev[FF_HASH_LEN], const struct ledger_entry *e,
    uint8_t out[FF_HASH_LEN])
{
	static const char tag[] = "ff-ledger-1";
	const char *kind = entry_kind_name(e->kind);
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, FF_HASH_LEN);
	chain_put(&h, tag, sizeof(tag) - 1);
	chain_put(&h, e->branch_code, strlen(e->branch_code));
	chain_put_int(&h, e->seq);
	chain_put(&h, kind, strlen(kind));
	chain_put_int(&h, e->source_id);
	chain_put_int(&h, e->pre_amount);
	chain_put_int(&h, e->amount);
	chain_put_int(&h, e->post_amount);
	chain_put(&h, e->at, strlen(e->at));
	chain_put(&h, e->actor, strlen(e->actor));
	crypto_hash_sha256_final(&h, out);
}

char *
chain_hex(const uint8_t h[FF_HASH_LEN], char *buf)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < FF_HASH_LEN; i++) {
		buf[2 * i] = digits[h[i] >> 4];
		buf[2 * i + 1] = digits[h[i] & 15];
	}
	buf[2 * FF_HASH_LEN] = '\0';
	return buf;
}

static int
chain_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
chain_unhex(const char *s, uint8_t out[FF_HASH_LEN])
{
	if (strlen(s) != 2 * FF_HASH_LEN)
		return -1;
	for (int i = 0; i < FF_HASH_LEN; i++) {
		int hi = chain_nibble(s[2 * i]), lo = chain_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int
chain_append_from(struct ff *ff, struct ledger_entry *e,
    struct ledger_head *head, struct ff_err *err)
{
	int rc;

	e->seq = head->seq + 1;
	e->pre_amount = head->post_amount;
	if (money_add(e->pre_amount, e->amount, &e->post_amount) != 0)
		return ff_fail(err, FF_REFUSED, "the balance of %s would "
		    "overflow", e->branch_code);
	chain_hash(head->hash, e, e->hash);
	if ((rc = store_ledger_add(ff->st, e)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot write the ledger entry");
	head->seq = e->seq;
	head->post_amount = e->post_amount;
	memcpy(head->hash, e->hash, FF_HASH_LEN);
	return FF_OK;
}

int
chain_append(struct ff *ff, struct ledger_entry *e, struct ff_err *err)
{
	struct ledger_head head;
	int rc;

	if ((rc = store_ledger_head(ff->st, e->account_id, &head)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the ledger");
	return chain_append_from(ff, e, &head, err);
}
