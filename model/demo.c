/* demo.c — building the demo company; see demo.h. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "event.h"
#include "income.h"
#include "store/store.h"
#include "store/xmalloc.h"
#include "withdrawal.h"

#define DEMO_NBRANCH 10
#define DEMO_RING 256

static const struct {
	const char *code, *name, *clerk;
} demo_branches[DEMO_NBRANCH] = {
	{ "ZC01", "诸城分公司", "staff" },
	{ "QD02", "青岛分公司", "clerk.qd02" },
	{ "JN03", "济南分公司", "clerk.jn03" },
	{ "WF04", "潍坊分公司", "clerk.wf04" },
	{ "YT05", "烟台分公司", "clerk.yt05" },
	{ "SH06", "上海浦东分公司", "clerk.sh06" },
	{ "LDN1", "London Branch", "clerk.ldn1" },
	{ "HAM2", "Hamburg Office", "clerk.ham2" },
	{ "SGP3", "Singapore Office", "clerk.sgp3" },
	{ "NYC4", "New York Branch", "clerk.nyc4" },
};

static const char *const demo_reasons[] = {
	"Missing invoice for the transfer",
	"Amount does not match the branch request form",
	"Please split into two applications",
};

/* A small deterministic generator (xorshift64*), so the demo repeats. */
struct demo_rng {
	uint64_t s;
};

static uint64_t
demo_rand(struct demo_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

/* A number in [lo, hi]. */
static int64_t
demo_between(struct demo_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(demo_rand(r) % (uint64_t)(hi - lo + 1));
}

struct demo {
	struct ff *ff;
	struct demo_rng rng;
	struct demo_summary *sum;
	struct session admin, reviewer, reviewer2, clerks[DEMO_NBRANCH];
	struct event *evs;
	size_t nevs, cap;
	struct event ring[DEMO_RING];	/* recent events, for redelivery */
	size_t nring;
	int64_t serial;			/* message and reference numbers */
	int64_t decide[DEMO_NBRANCH];	/* an application to decide, or 0 */
	int conflict_done;
};

/* A session for login, straight from the store: the demo acts for each
 * operator without asking their password. */
static int
demo_session(struct demo *d, const char *login, struct session *s,
    struct ff_err *err)
{
	int rc = store_operator_get(d->ff->st, login, &s->op);

	if (rc != STORE_OK)
		return ff_store_fail(d->ff, err, rc, "cannot build the demo");
	return FF_OK;
}

static void
demo_push(struct demo *d, const struct event *ev)
{
	if (d->nevs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 1024;
		d->evs = xreallocarray(d->evs, d->cap, sizeof(*d->evs));
	}
	d->evs[d->nevs++] = *ev;
}

/* One day's incomes for one branch, with the odd redelivery. */
static void
demo_day_events(struct demo *d, int b, int per_day, const char *date)
{
	const struct config *cfg = d->ff->cfg;

	for (int k = 0; k < per_day; k++) {
		struct event ev;
		const struct buss_type *t;
		uint64_t pick = demo_rand(&d->rng) % 100;

		memset(&ev, 0, sizeof(ev));
		/* Mostly the first type; now and then any other. */
		t = &cfg->types[pick < 70 || cfg->ntypes == 1 ? 0 :
		    1 + demo_rand(&d->rng) % (cfg->ntypes - 1)];
		d->serial++;
		snprintf(ev.event_id, sizeof(ev.event_id), "m-%08lld",
		    (long long)d->serial);
		snprintf(ev.branch, sizeof(ev.branch), "%s", demo_branches[b].code);
		ev.buss_type = t->code;
		snprintf(ev.ref_id, sizeof(ev.ref_id), "ORD-%.4s%.2s%.2s-%06lld",
		    date, date + 5, date + 8, (long long)d->serial);
		ev.amount = demo_between(&d->rng, 50, 5000) * 100 +
		    demo_between(&d->rng, 0, 99);
		snprintf(ev.occurred_at, sizeof(ev.occurred_at),
		    "%.10sT%02d:%02d:%02d+08:00", date,
		    (int)demo_between(&d->rng, 8, 20),
		    (int)demo_between(&d->rng, 0, 59),
		    (int)demo_between(&d->rng, 0, 59));
		demo_push(d, &ev);
		d->ring[d->nring++ % DEMO_RING] = ev;

		/* The seed's incident: a message delivered twice, sometimes
		 * under a new message id. */
		if (demo_rand(&d->rng) % 100 < 3 && d->nring > 1) {
			struct event again = d->ring[demo_rand(&d->rng) %
			    (d->nring < DEMO_RING ? d->nring : DEMO_RING)];
			const struct buss_type *at = config_type(cfg, again.buss_type);

			if (at != NULL && !at->repeatable &&
			    demo_rand(&d->rng) % 2 == 0)
				snprintf(again.event_id, sizeof(again.event_id),
				    "m-%08lld-r", (long long)d->serial);
			demo_push(d, &again);
		}
	}
	/* Once: the same business reference arriving with another amount. */
	if (!d->conflict_done && d->nring > 40) {
		struct event bad = d->ring[20];
		const struct buss_type *bt = config_type(cfg, bad.buss_type);

		if (bt != NULL && !bt->repeatable) {
			bad.amount += 1000;
			snprintf(bad.event_id, sizeof(bad.event_id), "m-%08lld-x",
			    (long long)d->serial);
			demo_push(d, &bad);
			d->conflict_done = 1;
		}
	}
}

/* Applies the events gathered so far. */
static int
demo_flush(struct demo *d, struct ff_err *err)
{
	struct ingest_counts c;
	int rc = income_ingest_events(d->ff, d->evs, d->nevs, &c, err);

	d->nevs = 0;
	if (rc != FF_OK)
		return rc;
	d->sum->incomes += c.applied;
	d->sum->duplicates += c.duplicate;
	d->sum->conflicts += c.conflict;
	d->sum->entries += c.applied;
	return FF_OK;
}

/* An application of a round share of what the branch can withdraw. */
static int
demo_apply(struct demo *d, int b, int percent, const char *note,
    int64_t *id, struct ff_err *err)
{
	struct account *a = NULL;
	struct withdrawal w;
	size_t n;
	money_t amount;
	int rc;

	*id = 0;
	rc = accounts_list(d->ff, &d->clerks[b], NULL, &a, &n, err);
	if (rc != FF_OK)
		return rc;
	/* A share in whole yuan, round hundreds when it is large. */
	amount = n ? a[0].withdrawable / 100 * percent / 100 : 0;
	if (amount > 1000)
		amount -= amount % 100;
	amount *= 100;
	free(a);
	if (amount <= 0)
		return FF_OK;
	rc = withdrawal_apply(d->ff, &d->clerks[b], NULL, amount, note, &w, err);
	if (rc == FF_REFUSED)
		return FF_OK;
	if (rc == FF_OK)
		*id = w.id;
	return rc;
}

/* Yesterday's application of branch b: approved, rejected or cancelled. */
static int
demo_decide(struct demo *d, int b, struct ff_err *err)
{
	int64_t id = d->decide[b];
	uint64_t pick = demo_rand(&d->rng) % 100;
	const struct session *rv = pick % 2 ? &d->reviewer : &d->reviewer2;
	int rc;

	d->decide[b] = 0;
	if (id == 0)
		return FF_OK;
	if (pick < 72) {
		rc = withdrawal_approve(d->ff, rv, id, NULL, NULL, err);
		if (rc == FF_OK) {
			d->sum->approved++;
			d->sum->entries++;
			return FF_OK;
		}
		if (rc != FF_REFUSED)
			return rc;
		pick = 80;	/* not affordable any more: reject it */
	}
	if (pick < 88) {
		rc = withdrawal_reject(d->ff, rv, id, demo_reasons[pick %
		    (sizeof(demo_reasons) / sizeof(demo_reasons[0]))], NULL, err);
		if (rc == FF_OK)
			d->sum->rejected++;
		return rc;
	}
	rc = withdrawal_cancel(d->ff, &d->clerks[b], id, NULL, err);
	if (rc == FF_OK)
		d->sum->cancelled++;
	return rc;
}

static int
demo_people(struct demo *d, struct ff_err *err)
{
	static const struct {
		const char *login, *name;
		enum role role;
	} people[] = {
		{ "reviewer", "Li Na (head office)", ROLE_REVIEWER },
		{ "reviewer2", "Wang Fang (head office)", ROLE_REVIEWER },
		{ "auditor", "Zhao Lei (internal audit)", ROLE_AUDITOR },
	};
	int rc;

	if ((rc = auth_init_admin(d->ff, "admin", DEMO_PASSWORD, err)) != FF_OK ||
	    (rc = demo_session(d, "admin", &d->admin, err)) != FF_OK)
		return rc;
	/* Say so in the journal: the screens then show the public logins. */
	ff_activity(d->ff, "admin", "demo", "", 1, "a demo company; every "
	    "password is \"" DEMO_PASSWORD "\"");
	for (int b = 0; b < DEMO_NBRANCH; b++) {
		rc = accounts_branch_add(d->ff, &d->admin, demo_branches[b].code,
		    demo_branches[b].name, err);
		if (rc != FF_OK)
			return rc;
		d->sum->branches++;
	}
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		rc = auth_user_add(d->ff, &d->admin, people[i].login,
		    people[i].role, NULL, people[i].name, DEMO_PASSWORD, err);
		if (rc != FF_OK)
			return rc;
	}
	for (int b = 0; b < DEMO_NBRANCH; b++) {
		char name[FF_NAME_MAX + 1];

		snprintf(name, sizeof(name), "Clerk of %s", demo_branches[b].name);
		rc = auth_user_add(d->ff, &d->admin, demo_branches[b].clerk,
		    ROLE_STAFF, demo_branches[b].code, name, DEMO_PASSWORD, err);
		if (rc != FF_OK ||
		    (rc = demo_session(d, demo_branches[b].clerk, &d->clerks[b],
		    err)) != FF_OK)
			return rc;
	}
	d->sum->operators = 4 + DEMO_NBRANCH;
	if ((rc = demo_session(d, "reviewer", &d->reviewer, err)) != FF_OK)
		return rc;
	return demo_session(d, "reviewer2", &d->reviewer2, err);
}

/* The queue a reviewer finds in the morning. */
static int
demo_pending(struct demo *d, struct ff_err *err)
{
	static const struct {
		int branch, percent;
		const char *note;
	} queue[] = {
		{ 0, 35, "Office rent, December" },
		{ 1, 20, "Staff travel advance" },
		{ 6, 25, "Quarterly supplier payment" },
		{ 3, 15, "Vehicle maintenance" },
		{ 8, 30, "Equipment purchase" },
	};
	int64_t id, first = 0;
	int rc;

	for (size_t i = 0; i < sizeof(queue) / sizeof(queue[0]); i++) {
		rc = demo_apply(d, queue[i].branch, queue[i].percent,
		    queue[i].note, &id, err);
		if (rc != FF_OK)
			return rc;
		d->sum->pending += id != 0;
	}
	/* Two applications that together exceed what ZC01 has: once the
	 * first is approved, the second cannot be, and says so. */
	if ((rc = demo_apply(d, 0, 50, "Branch renovation, first part",
	    &first, err)) != FF_OK ||
	    (rc = demo_apply(d, 0, 70, "Branch renovation, second part",
	    &id, err)) != FF_OK)
		return rc;
	d->sum->pending += (first != 0) + (id != 0);
	if (first != 0 &&
	    withdrawal_approve(d->ff, &d->reviewer, first, NULL, NULL, err) == FF_OK) {
		d->sum->approved++;
		d->sum->pending--;
		d->sum->entries++;
	}
	return FF_OK;
}

int
demo_build(struct ff *ff, int64_t entries,
    void (*progress)(void *arg, int64_t done, int64_t total), void *arg,
    struct demo_summary *sum, struct ff_err *err)
{
	struct demo d;
	int64_t target = entries > 0 ? entries : 5400;
	int days = entries > 0 ? (int)(entries / (DEMO_NBRANCH * 2) < 365 ?
	    (entries / (DEMO_NBRANCH * 2) > 30 ? entries / (DEMO_NBRANCH * 2) : 30) :
	    365) : 183;
	int per_day = (int)(target / ((int64_t)days * DEMO_NBRANCH));
	time_t start, real_clock = ff->clock;
	int rc;

	if (per_day < 1)
		per_day = 1;
	memset(sum, 0, sizeof(*sum));
	memset(&d, 0, sizeof(d));
	d.ff = ff;
	d.sum = sum;
	d.rng.s = 0x5eed2018060605ULL;
	if (ff->cfg->ntypes == 0)
		return ff_fail(err, FF_INVALID, "the configuration has no "
		    "business types to make a demo with");
	{
		int64_t n = 0;

		if ((rc = store_operator_count(ff->st, &n)) != STORE_OK)
			return ff_store_fail(ff, err, rc, "cannot make the demo");
		if (n > 0)
			return ff_fail(err, FF_REFUSED, "%s holds a fundflow "
			    "database already; a demo is made in an empty one",
			    ff->path);
	}
	start = (time(NULL) / 86400 - days - 1) * 86400 + 9 * 3600 - 8 * 3600;
	ff->clock = start;
	store_set_durable(ff->st, 0);
	if ((rc = demo_people(&d, err)) != FF_OK)
		goto out;
	for (int day = 0; day < days; day++) {
		char date[FF_TIME_MAX];

		ff->clock = start + (time_t)day * 86400;
		ff_now(ff, date);
		/* Each branch's events arrive at their own time of day. */
		for (int b = 0; b < DEMO_NBRANCH; b++) {
			ff->clock = start + (time_t)day * 86400 + b * 1500 +
			    (time_t)demo_between(&d.rng, 0, 1400);
			demo_day_events(&d, b, per_day, date);
			if ((rc = demo_flush(&d, err)) != FF_OK)
				goto out;
		}
		ff->clock = start + (time_t)day * 86400;
		ff->clock += 6 * 3600;	/* the afternoon: decisions */
		for (int b = 0; b < DEMO_NBRANCH; b++) {
			if ((rc = demo_decide(&d, b, err)) != FF_OK)
				goto out;
			if ((day + 3 * b) % 9 == 8 && d.decide[b] == 0 &&
			    (rc = demo_apply(&d, b, (int)demo_between(&d.rng, 10,
			    35), "Transfer to the branch's bank account",
			    &d.decide[b], err)) != FF_OK)
				goto out;
		}
		if (progress != NULL && (day % 8 == 0 || day + 1 == days))
			progress(arg, sum->entries, target);
	}
	ff->clock = start + (time_t)days * 86400;
	for (int b = 0; b < DEMO_NBRANCH; b++)
		if ((rc = demo_decide(&d, b, err)) != FF_OK)
			goto out;
	ff->clock = real_clock;
	rc = demo_pending(&d, err);
out:
	ff->clock = real_clock;
	store_set_durable(ff->st, 1);
	free(d.evs);
	return rc;
}

int
demo_detect(struct ff *ff)
{
	int found = 0;

	return store_activity_find(ff->st, "demo", &found) == STORE_OK && found;
}
