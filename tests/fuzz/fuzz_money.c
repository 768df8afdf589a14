/*
 * fuzz_money.c — money_parse_n on arbitrary bytes.  Promises (money.h):
 * an accepted text is a plain decimal with at most two fraction digits;
 * money_format gives it back in canonical form, which parses to the same
 * value; unsigned parsing never yields a negative amount; signed parsing
 * accepts everything unsigned parsing does, to the same value; add and
 * sub give the exact result, and refuse exactly when it leaves the range
 * [-INT64_MAX, INT64_MAX].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/money.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_money_one(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	money_t u = -1, v = -1, back;
	char buf[MONEY_BUFSZ], grouped[MONEY_BUFSZ];
	int ru, rs;

	ru = money_parse_n(s, size, MONEY_UNSIGNED, &u);
	rs = money_parse_n(s, size, MONEY_SIGNED, &v);
	{
		int64_t ou = 0, os = 0;
		int oru = fuzz_money_oracle(s, size, 0, &ou);
		int ors = fuzz_money_oracle(s, size, 1, &os);

		FUZZ_ASSERT(oru == ru && (ru != 0 || ou == u),
		    "unsigned parse disagrees with the grammar");
		FUZZ_ASSERT(ors == rs && (rs != 0 || os == v),
		    "signed parse disagrees with the grammar");
	}
	if (ru == 0) {
		FUZZ_ASSERT(u >= 0, "unsigned parse gave a negative amount");
		FUZZ_ASSERT(rs == 0 && v == u, "signed parse disagrees with unsigned");
		for (size_t i = 0; i < size; i++)
			FUZZ_ASSERT((s[i] >= '0' && s[i] <= '9') || s[i] == '.',
			    "accepted a character that is not a digit or '.'");
	} else {
		FUZZ_ASSERT(u == -1, "a refused parse changed *out");
	}
	if (rs == 0) {
		money_format(v, buf);
		FUZZ_ASSERT(money_parse(buf, MONEY_SIGNED, &back) == 0 && back == v,
		    "money_format does not parse back to the same value");
		money_format_grouped(v, grouped);
		FUZZ_ASSERT(strlen(grouped) < MONEY_BUFSZ, "grouped text too long");
		/* The canonical text is a fixed point. */
		{
			char again[MONEY_BUFSZ];

			FUZZ_ASSERT(strcmp(money_format(back, again), buf) == 0,
			    "canonical text is not a fixed point");
		}
		{
			/* The range of an amount is [-INT64_MAX, INT64_MAX]:
			 * refused exactly when the true result leaves it. */
			money_t sum, diff;
			__int128 tsum = (__int128)v + v, tdiff = (__int128)v - 1;
			int ra = money_add(v, v, &sum), rd = money_sub(v, 1, &diff);

			FUZZ_ASSERT((ra == 0) == (tsum >= -(__int128)INT64_MAX &&
			    tsum <= INT64_MAX), "money_add refuses the wrong sums");
			if (ra == 0)
				FUZZ_ASSERT(sum == (money_t)tsum, "money_add wrong");
			FUZZ_ASSERT((rd == 0) == (tdiff >= -(__int128)INT64_MAX),
			    "money_sub refuses the wrong differences");
			if (rd == 0)
				FUZZ_ASSERT(diff == (money_t)tdiff, "money_sub wrong");
		}
	} else {
		FUZZ_ASSERT(ru != 0, "unsigned accepted what signed refused");
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_money_one(data, size);
}
#endif
