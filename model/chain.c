/* chain.c — the ledger's hash chain; see chain.h. */
#include "chain.h"

#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "store/store.h"

#define CHAIN_FORMAT 1	/* the encoding below; a new one gets a new number */

/* Appends v as 8 bytes, most significant first. */
static uint8_t *
chain_put_int(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	for (int i = 7; i >= 0; i--)
		*p++ = (uint8_t)(u >> (8 * i));
	return p;
}

/* Appends a text field as one length byte and its bytes (every field
 * hashed is at most 64 bytes, the type's limits). */
static uint8_t *
chain_put_text(uint8_t *p, const char *s)
{
	size_t n = strnlen(s, 255);

	*p++ = (uint8_t)n;
	memcpy(p, s, n);
	return p + n;
}

void
chain_hash(const uint8_t prev[FF_HASH_LEN], const struct ledger_entry *e,
    uint8_t out[FF_HASH_LEN])
{
	/* prev, format byte, code, seq, kind, source, pre, amount, post,
	 * at, actor: at most 32 + 1 + 256 + 8 + 1 + 4 * 8 + 2 * 256. */
	uint8_t buf[FF_HASH_LEN + 1 + 256 + 8 + 1 + 32 + 2 * 256], *p = buf;

	memcpy(p, prev, FF_HASH_LEN);
	p += FF_HASH_LEN;
	*p++ = CHAIN_FORMAT;
	p = chain_put_text(p, e->branch_code);
	p = chain_put_int(p, e->seq);
	*p++ = e->kind == ENTRY_INCOME ? 'I' : 'W';
	p = chain_put_int(p, e->source_id);
	p = chain_put_int(p, e->pre_amount);
	p = chain_put_int(p, e->amount);
	p = chain_put_int(p, e->post_amount);
	p = chain_put_text(p, e->at);
	p = chain_put_text(p, e->actor);
	sha256(buf, (size_t)(p - buf), out);
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
chain_next(struct ledger_entry *e, struct ledger_head *head)
{
	e->seq = head->seq + 1;
	e->pre_amount = head->post_amount;
	if (money_add(e->pre_amount, e->amount, &e->post_amount) != 0)
		return -1;
	chain_hash(head->hash, e, e->hash);
	head->seq = e->seq;
	head->post_amount = e->post_amount;
	memcpy(head->hash, e->hash, FF_HASH_LEN);
	return 0;
}

int
chain_append_from(struct ff *ff, struct ledger_entry *e,
    struct ledger_head *head, struct ff_err *err)
{
	struct ledger_head next = *head;
	int rc;

	if (chain_next(e, &next) != 0)
		return ff_fail(err, FF_REFUSED, "the balance of %s would "
		    "overflow", e->branch_code);
	if ((rc = store_ledger_add(ff->st, e)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot write the ledger entry");
	*head = next;
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
