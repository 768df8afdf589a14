/*
 * types.h — the domain's records, as the model and the store exchange them.
 *
 * The store's public API speaks these structs and nothing of SQL; the model
 * owns their meaning.  Text fields are fixed-size, NUL-terminated UTF-8
 * buffers: the limits below are the product's limits, and input longer than
 * a field is refused with a clear message before it reaches the store.
 */
#ifndef FF_TYPES_H
#define FF_TYPES_H

#include <stdint.h>
#include <string.h>

/* Money in minor units (fen); model/money.c parses, formats and adds it
 * with overflow checks. */
typedef int64_t money_t;

#define FF_CODE_MAX	16	/* branch code, bytes */
#define FF_LOGIN_MAX	64	/* operator login, bytes */
#define FF_NAME_MAX	200	/* branch or operator name, bytes */
#define FF_TEXT_MAX	500	/* note, reason, detail, bytes */
#define FF_REF_MAX	128	/* reference id, event id, bytes */
#define FF_TIME_MAX	40	/* ISO 8601 time text */
#define FF_HASH_LEN	32	/* SHA-256 */
#define FF_PWHASH_MAX	128	/* crypto_pwhash_STRBYTES */

enum role {
	ROLE_ADMIN = 0,
	ROLE_REVIEWER,
	ROLE_AUDITOR,
	ROLE_STAFF
};

enum entry_kind {
	ENTRY_INCOME = 0,
	ENTRY_WITHDRAWAL
};

enum wd_status {
	WD_PENDING = 0,
	WD_APPROVED,
	WD_REJECTED,
	WD_CANCELLED
};

/*
 * The withdrawal flows fundflow knows.  Each application stores the flow it
 * was applied under; the model refuses to decide one whose flow it does not
 * know, so a later change of rules can never deduct twice (the seed's close
 * call).  FLOW_APPROVE_DEDUCTS is the seed's new flow: applying changes no
 * money, approving checks and deducts.
 */
#define FLOW_APPROVE_DEDUCTS	2

struct branch {
	int64_t id;
	char code[FF_CODE_MAX + 1];
	char name[FF_NAME_MAX + 1];
	int active;
	char created_at[FF_TIME_MAX];
};

struct account {
	int64_t branch_id;
	char code[FF_CODE_MAX + 1];
	char name[FF_NAME_MAX + 1];
	money_t balance;
	money_t withdrawable;
	money_t total_withdrawn;
	int64_t pending_count;
	money_t pending_amount;		/* -1: not known (not read, or more
					 * than an int64 holds) */
};

/* The newest ledger entry of one account; seq 0 and a zero hash if none. */
struct ledger_head {
	int64_t seq;
	money_t post_amount;
	uint8_t hash[FF_HASH_LEN];
};

struct operator {
	int64_t id;
	char login[FF_LOGIN_MAX + 1];
	char name[FF_NAME_MAX + 1];
	enum role role;
	int64_t branch_id;		/* staff only; 0 otherwise */
	char branch_code[FF_CODE_MAX + 1];
	int active;
	char pwhash[FF_PWHASH_MAX];
	char created_at[FF_TIME_MAX];
	/* Four-eyes on the admin's powers (DESIGN.md, "Operators"). */
	int64_t created_by;		/* the admin who added it; 0: the first
					 * admin, or added before this was kept */
	int64_t confirmed_by;		/* the admin who confirmed its last
					 * awaited change; 0 none */
	int alone;			/* a grant, enabling or reset of it was
					 * made by one admin alone */
	int must_change;		/* its password was reset: it must set
					 * its own before anything else */
	char awaiting[8];		/* "", "grant", "enable" or "reset" */
	int64_t awaiting_by;		/* the admin who asked for it */
	char awaiting_by_login[FF_LOGIN_MAX + 1];
	char awaiting_pwhash[FF_PWHASH_MAX];	/* the reset's new hash */
};

struct income {
	int64_t id;
	int64_t branch_id;
	char branch_code[FF_CODE_MAX + 1];
	int32_t buss_type;
	char ref_id[FF_REF_MAX + 1];
	char event_id[FF_REF_MAX + 1];	/* "" when the event had none */
	char ikey[FF_REF_MAX + 3];	/* "R:ref_id" or "E:event_id" */
	money_t amount;
	int withdrawable;		/* counted into withdrawable when applied */
	char occurred_at[FF_TIME_MAX];	/* "" when the event had none */
	char received_at[FF_TIME_MAX];
};

/* A delivery whose key exists with another branch or amount. */
struct conflict {
	int64_t id;
	int64_t income_id;		/* the income that holds the key */
	int64_t branch_id;
	char branch_code[FF_CODE_MAX + 1];
	int32_t buss_type;
	char ref_id[FF_REF_MAX + 1];
	char event_id[FF_REF_MAX + 1];
	money_t amount;
	char occurred_at[FF_TIME_MAX];
	char received_at[FF_TIME_MAX];
};

struct ledger_entry {
	int64_t id;
	int64_t account_id;		/* = branch id */
	char branch_code[FF_CODE_MAX + 1];
	int64_t seq;
	enum entry_kind kind;
	int64_t source_id;		/* income id or withdrawal id */
	money_t pre_amount;
	money_t amount;
	money_t post_amount;
	char at[FF_TIME_MAX];
	char actor[FF_LOGIN_MAX + 1];
	uint8_t hash[FF_HASH_LEN];
	/* Joined from the source, for display: */
	int32_t buss_type;		/* 0 for withdrawals */
	char ref[FF_REF_MAX + 1];	/* income ref_id, or "W<id>" */
	/* What of the source decides money or identity, which the hash
	 * covers (model/chain.h). */
	struct entry_source {
		int32_t buss_type;		/* income */
		char ikey[FF_REF_MAX + 3];
		char ref_id[FF_REF_MAX + 1];
		char event_id[FF_REF_MAX + 1];
		int withdrawable;
		int64_t applicant_id;		/* withdrawal */
		int64_t decided_by;
		int status;			/* enum wd_status */
		int flow;
	} src;
};

struct withdrawal {
	int64_t id;
	int64_t branch_id;
	char branch_code[FF_CODE_MAX + 1];
	money_t amount;
	char note[FF_TEXT_MAX + 1];
	int64_t applicant_id;
	char applicant[FF_LOGIN_MAX + 1];
	char applied_at[FF_TIME_MAX];
	int flow;
	enum wd_status status;
	int64_t decided_by_id;		/* 0 while pending */
	char decided_by[FF_LOGIN_MAX + 1];
	char decided_at[FF_TIME_MAX];
	char reason[FF_TEXT_MAX + 1];
};

struct activity {
	int64_t id;
	char at[FF_TIME_MAX];
	char actor[FF_LOGIN_MAX + 1];
	char action[48];
	char target[64];
	int ok;				/* 1 done, 0 refused */
	char detail[FF_TEXT_MAX + 1];
};

struct release {
	int64_t id;
	char version[64];
	char git_commit[64];
	int schema_version;
	char at[FF_TIME_MAX];
	char host[128];
	char os_user[64];
};

/*
 * Names of the enums as the schema, the command line and JSON spell them.
 * The *_parse functions return -1 for an unknown name.
 */
static inline const char *
role_name(enum role r)
{
	static const char *const names[] = { "admin", "reviewer", "auditor", "staff" };

	return (unsigned)r < 4 ? names[r] : "?";
}

static inline int
role_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, role_name((enum role)i)) == 0)
			return i;
	return -1;
}

static inline const char *
wd_status_name(enum wd_status st)
{
	static const char *const names[] = { "pending", "approved", "rejected", "cancelled" };

	return (unsigned)st < 4 ? names[st] : "?";
}

static inline int
wd_status_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, wd_status_name((enum wd_status)i)) == 0)
			return i;
	return -1;
}

static inline const char *
entry_kind_name(enum entry_kind k)
{
	return k == ENTRY_INCOME ? "income" : "withdrawal";
}

#endif
