/*
 * fuzz_event.c — event_parse on arbitrary bytes (one JSON Lines line).
 * Promises (event.h): accepted or refused with a reason, never a crash;
 * an accepted event has a valid branch code, a positive amount, a
 * business type, a non-empty reference, text fields that are valid UTF-8
 * without control characters and fit their buffers, an occurred_at that
 * is empty or a valid time.  The oracles for text, codes and the form of a
 * time are written here, independently; the helpers event_valid_text and
 * event_valid_code must agree with them on the same bytes.  And event_parse
 * must give the same answer as its reference, the jansson-based parser it
 * replaced (event_ref.c): same fields, same reason unless not JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/event.h"
#include "tests/fuzz/event_ref.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_event_one(const uint8_t *data, size_t size)
{
	struct event ev;
	char reason[256], why[1024];
	char *z;

	memset(reason, 'X', sizeof(reason));
	if (event_parse((const char *)data, size, &ev, reason, sizeof(reason)) == 0) {
		FUZZ_ASSERT(memchr(ev.branch, '\0', sizeof(ev.branch)) != NULL,
		    "branch not terminated");
		FUZZ_ASSERT(memchr(ev.ref_id, '\0', sizeof(ev.ref_id)) != NULL,
		    "ref_id not terminated");
		FUZZ_ASSERT(memchr(ev.event_id, '\0', sizeof(ev.event_id)) != NULL,
		    "event_id not terminated");
		FUZZ_ASSERT(memchr(ev.occurred_at, '\0', sizeof(ev.occurred_at)) != NULL,
		    "occurred_at not terminated");
		FUZZ_ASSERT(fuzz_code(ev.branch), "accepted an invalid branch");
		FUZZ_ASSERT(ev.amount > 0, "accepted an amount that is not positive");
		FUZZ_ASSERT(ev.ref_id[0] != '\0', "accepted an empty reference");
		FUZZ_ASSERT(fuzz_plain_text(ev.ref_id, strlen(ev.ref_id)),
		    "accepted a reference that is not plain text");
		FUZZ_ASSERT(fuzz_plain_text(ev.event_id, strlen(ev.event_id)),
		    "accepted an event id that is not plain text");
		FUZZ_ASSERT(ev.occurred_at[0] == '\0' ||
		    fuzz_time_shape(ev.occurred_at), "accepted an invalid time");
		/* The model's own checks agree. */
		FUZZ_ASSERT(event_valid_code(ev.branch) &&
		    event_valid_text(ev.ref_id, strlen(ev.ref_id)) &&
		    (ev.occurred_at[0] == '\0' || event_valid_time(ev.occurred_at)),
		    "the parser accepted what the checks refuse");
	} else {
		FUZZ_ASSERT(memchr(reason, '\0', sizeof(reason)) != NULL &&
		    reason[0] != '\0', "refused without a reason");
	}
	if (event_ref_compare((const char *)data, size, why, sizeof(why)) != 0) {
		fprintf(stderr, "fuzz: %s\n", why);
		FUZZ_ASSERT(0, "event_parse and its reference disagree");
	}
	/* The helpers, on the same bytes as a C string. */
	if ((z = malloc(size + 1)) == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	FUZZ_ASSERT(event_valid_code(z) == fuzz_code(z),
	    "event_valid_code disagrees with the oracle");
	if (event_valid_time(z))
		FUZZ_ASSERT(fuzz_time_shape(z), "event_valid_time accepted a "
		    "malformed time");
	FUZZ_ASSERT(event_valid_text((const char *)data, size) ==
	    fuzz_plain_text((const char *)data, size),
	    "event_valid_text disagrees with the oracle");
	free(z);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_event_one(data, size);
}
#endif
