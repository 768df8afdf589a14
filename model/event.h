/*
 * event.h — one income event, parsed from one JSON Lines line.
 *
 *   {"event_id":"m-0001","branch":"ZC01","buss_type":1,
 *    "ref_id":"ORD-20180606-001","amount":"125.00",
 *    "occurred_at":"2018-06-06T08:47:43+08:00"}
 *
 * branch, buss_type, ref_id and amount are required; event_id and
 * occurred_at are optional here (whether event_id is required depends on
 * the business type, which the income model checks); unknown fields are
 * ignored; duplicate keys are refused.  amount is a decimal string, or a
 * JSON number with at most two decimals, taken from its exact text (never
 * through a double).  The parser knows nothing of branches or business
 * types that exist: that is the income model's job.
 */
#ifndef FF_EVENT_H
#define FF_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"
#include "store/types.h"

struct event {
	char event_id[FF_REF_MAX + 1];	/* "" when absent */
	char branch[FF_CODE_MAX + 1];
	int32_t buss_type;
	char ref_id[FF_REF_MAX + 1];
	money_t amount;			/* > 0 */
	char occurred_at[FF_TIME_MAX];	/* "" when absent */
};

/*
 * Parses len bytes of line (no trailing newline; a trailing '\r' is
 * tolerated).  Returns 0 and fills *ev, or -1 and writes a plain-words
 * reason into reason[reasonsz] ("missing field \"branch\"",
 * "amount must be positive", ...).
 */
int event_parse(const char *line, size_t len, struct event *ev, char *reason,
    size_t reasonsz);

/*
 * Returns 1 when s (NUL-terminated) is a valid branch code: 1 to
 * FF_CODE_MAX characters of A-Z, a-z, 0-9, '-', '_' or '.'.
 */
int event_valid_code(const char *s);

/*
 * Returns 1 when s is an ISO 8601 time with seconds and an offset
 * ("2018-06-06T08:47:43+08:00", "2018-06-06T00:47:43Z", optional fraction
 * of seconds), with every field in range (leap years included).
 */
int event_valid_time(const char *s);

/*
 * Returns 1 when s (n bytes) is text fit to store: text_valid (text.h):
 * valid UTF-8, no control characters (U+0000..U+001F, U+007F..U+009F),
 * no bidi or invisible format characters.
 */
int event_valid_text(const char *s, size_t n);

#endif
