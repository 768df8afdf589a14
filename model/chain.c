/* chain.c — the ledger's hash chain; see chain.h. */
#include "chain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sha256.h"
#include "store/store.h"
#include "store/xmalloc.h"

#define CHAIN_FORMAT 2	/* the encoding below; a new one gets a new number */

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

/* The entry's own fields, after prev and the format byte (both formats). */
static uint8_t *
chain_put_entry(uint8_t *p, const struct ledger_entry *e)
{
	p = chain_put_text(p, e->branch_code);
	p = chain_put_int(p, e->seq);
	*p++ = e->kind == ENTRY_INCOME ? 'I' : 'W';
	p = chain_put_int(p, e->source_id);
	p = chain_put_int(p, e->pre_amount);
	p = chain_put_int(p, e->amount);
	p = chain_put_int(p, e->post_amount);
	p = chain_put_text(p, e->at);
	return chain_put_text(p, e->actor);
}

void
chain_hash(const uint8_t prev[FF_HASH_LEN], const struct ledger_entry *e,
    uint8_t out[FF_HASH_LEN])
{
	/* prev, format byte, the entry (at most 256 + 8 + 1 + 4 * 8 +
	 * 2 * 256), the source (at most 8 + 3 * 256 + 1 or 3 * 8 + 1). */
	uint8_t buf[FF_HASH_LEN + 1 + 256 + 8 + 1 + 32 + 2 * 256 + 8 + 3 * 256 +
	    1], *p = buf;
	const struct entry_source *src = &e->src;

	memcpy(p, prev, FF_HASH_LEN);
	p += FF_HASH_LEN;
	*p++ = CHAIN_FORMAT;
	p = chain_put_entry(p, e);
	if (e->kind == ENTRY_INCOME) {
		p = chain_put_int(p, src->buss_type);
		p = chain_put_text(p, src->ikey);
		p = chain_put_text(p, src->ref_id);
		p = chain_put_text(p, src->event_id);
		*p++ = src->withdrawable ? 1 : 0;
	} else {
		p = chain_put_int(p, src->applicant_id);
		p = chain_put_int(p, src->decided_by);
		*p++ = (uint8_t)src->status;
		p = chain_put_int(p, src->flow);
	}
	sha256(buf, (size_t)(p - buf), out);
}

void
chain_hash_v1(const uint8_t prev[FF_HASH_LEN], const struct ledger_entry *e,
    uint8_t out[FF_HASH_LEN])
{
	/* prev, format byte, code, seq, kind, source, pre, amount, post,
	 * at, actor: at most 32 + 1 + 256 + 8 + 1 + 4 * 8 + 2 * 256. */
	uint8_t buf[FF_HASH_LEN + 1 + 256 + 8 + 1 + 32 + 2 * 256], *p = buf;

	memcpy(p, prev, FF_HASH_LEN);
	p += FF_HASH_LEN;
	*p++ = 1;
	p = chain_put_entry(p, e);
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

/*
 * The migration to schema 5 (store_open_opts.rehash): every account's
 * chain is proved in format 1 — each entry's stored hash is its format-1
 * hash from the stored hash before it, and the seqs follow — and only
 * then re-hashed in format 2, from the same rows; each account's old and
 * new head are recorded.  A chain that does not prove is not re-hashed:
 * the migration is refused and nothing changes (a re-hash over tampered
 * rows would make them look right).
 */
struct chain_rehash_acct {
	int64_t seq;
	uint8_t old_prev[FF_HASH_LEN];
	uint8_t new_prev[FF_HASH_LEN];
};

struct chain_rehash_walk {
	struct chain_rehash_acct *acct;	/* by account id */
	size_t nacct;
	int64_t *ids;			/* entry ids, in order */
	uint8_t (*hashes)[FF_HASH_LEN];	/* their format-2 hashes */
	size_t n, cap;
	struct branch *branches;	/* for each entry's code */
	size_t nbranches;
	char *bad;			/* why the chain does not prove */
};

static const char *
chain_rehash_code(const struct chain_rehash_walk *w, int64_t id)
{
	for (size_t i = 0; i < w->nbranches; i++)
		if (w->branches[i].id == id)
			return w->branches[i].code;
	return NULL;
}

static int
chain_rehash_row(void *arg, const struct chain_row *r)
{
	struct chain_rehash_walk *w = arg;
	const struct ledger_entry *e = &r->e;
	struct chain_rehash_acct *a;
	struct ledger_entry named = *e;
	uint8_t h1[FF_HASH_LEN];

	if (e->account_id <= 0 || e->account_id > INT32_MAX) {
		w->bad = xasprintf("entry #%" PRId64 " names account %" PRId64,
		    e->id, e->account_id);
		return 1;
	}
	if ((size_t)e->account_id >= w->nacct) {
		size_t n = (size_t)e->account_id * 2 + 1;

		w->acct = xreallocarray(w->acct, n, sizeof(*w->acct));
		memset(w->acct + w->nacct, 0, (n - w->nacct) * sizeof(*w->acct));
		w->nacct = n;
	}
	a = &w->acct[e->account_id];
	/* The walk leaves the code out; the stored hash was made with it. */
	{
		const char *code = chain_rehash_code(w, e->account_id);

		if (code == NULL) {
			w->bad = xasprintf("entry #%" PRId64 " names account %"
			    PRId64 ", which has no branch", e->id,
			    e->account_id);
			return 1;
		}
		snprintf(named.branch_code, sizeof(named.branch_code), "%s",
		    code);
	}
	chain_hash_v1(a->old_prev, &named, h1);
	if (e->seq != a->seq + 1 || memcmp(h1, e->hash, FF_HASH_LEN) != 0) {
		w->bad = xasprintf("entry #%" PRId64 " (seq %" PRId64 ") of %s "
		    "does not prove against the chain before it", e->id,
		    e->seq, named.branch_code);
		return 1;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->ids = xreallocarray(w->ids, w->cap, sizeof(*w->ids));
		w->hashes = xreallocarray(w->hashes, w->cap, sizeof(*w->hashes));
	}
	chain_hash(a->new_prev, &named, w->hashes[w->n]);
	w->ids[w->n++] = e->id;
	memcpy(a->old_prev, e->hash, FF_HASH_LEN);
	memcpy(a->new_prev, w->hashes[w->n - 1], FF_HASH_LEN);
	a->seq = e->seq;
	return 0;
}

int
chain_rehash_all(struct store *st, char **cause)
{
	struct chain_rehash_walk w;
	char at[FF_TIME_MAX];
	int rc;

	memset(&w, 0, sizeof(w));
	ff_format_time(time(NULL), at);
	if ((rc = store_branch_list(st, &w.branches, &w.nbranches)) != STORE_OK)
		goto store_failed;
	rc = store_audit_chain(st, chain_rehash_row, &w);
	if (w.bad != NULL) {
		*cause = xasprintf("%s: the ledger does not prove in its old "
		    "format (%s): it was changed outside fundflow, and the "
		    "migration to schema 5, which re-hashes the chain, would "
		    "hide that; nothing was changed — run the audit of the "
		    "fundflow that wrote it", store_path(st), w.bad);
		rc = -1;
		goto out;
	}
	if (rc != STORE_OK)
		goto store_failed;
	for (size_t i = 0; i < w.n; i++)
		if ((rc = store_ledger_set_hash(st, w.ids[i], w.hashes[i])) !=
		    STORE_OK)
			goto store_failed;
	for (size_t i = 0; i < w.nacct; i++) {
		struct chain_rehash r;

		if (w.acct[i].seq == 0)
			continue;
		memset(&r, 0, sizeof(r));
		r.account_id = (int64_t)i;
		r.seq = w.acct[i].seq;
		memcpy(r.old_head, w.acct[i].old_prev, FF_HASH_LEN);
		memcpy(r.new_head, w.acct[i].new_prev, FF_HASH_LEN);
		memcpy(r.at, at, sizeof(r.at));
		if ((rc = store_rehash_add(st, &r)) != STORE_OK)
			goto store_failed;
	}
	rc = 0;
	goto out;
store_failed:
	*cause = xasprintf("%s: cannot re-hash the ledger: %s (%s); nothing "
	    "was changed", store_path(st), store_strerror(rc), store_errmsg(st));
	rc = -1;
out:
	free(w.acct);
	free(w.ids);
	free(w.hashes);
	free(w.branches);
	free(w.bad);
	return rc;
}
