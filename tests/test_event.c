/* test_event.c — one income event from one JSON line: accepted and refused. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/event.h"

#define EXAMPLE \
	"{\"event_id\":\"m-0001\",\"branch\":\"ZC01\",\"buss_type\":1," \
	"\"ref_id\":\"ORD-20180606-001\",\"amount\":\"125.00\"," \
	"\"occurred_at\":\"2018-06-06T08:47:43+08:00\"}"

/* A line that is good apart from the member(s) spliced in as AMOUNT. */
#define WITH_AMOUNT(a) \
	"{\"branch\":\"ZC01\",\"buss_type\":1,\"ref_id\":\"R1\",\"amount\":" a "}"

struct bad {
	const char *line;
	const char *reason;	/* expected substring of the reason */
};

static int	parse(const char *, struct event *, char *, size_t);
static void	expect_ok(const char *, struct event *);
static void	expect_bad(const char *, size_t, const char *);
static void	with_member(char *, size_t, const char *);

static void	test_degenerate(void **);
static void	test_example(void **);
static void	test_minimal(void **);
static void	test_number_amounts(void **);
static void	test_string_amounts(void **);
static void	test_unknown_fields(void **);
static void	test_escaped_key(void **);
static void	test_crlf_and_spaces(void **);
static void	test_malformed(void **);
static void	test_amount_refusals(void **);
static void	test_limits(void **);
static void	test_raw_bytes(void **);
static void	test_valid_code(void **);
static void	test_valid_time(void **);
static void	test_valid_text(void **);
static void	test_no_crash(void **);
static void	test_json_depth(void **);
static void	test_json_numbers(void **);
static void	test_json_duplicates(void **);
static void	test_json_reasons(void **);
static void	test_json_nul_refused(void **);

static int
parse(const char *line, struct event *ev, char *reason, size_t reasonsz)
{
	return event_parse(line, strlen(line), ev, reason, reasonsz);
}

static void
expect_ok(const char *line, struct event *ev)
{
	char reason[256] = "";

	if (parse(line, ev, reason, sizeof(reason)) != 0)
		fail_msg("refused %s: %s", line, reason);
}

/* Expects line[0..len) refused with a reason that contains want. */
static void
expect_bad(const char *line, size_t len, const char *want)
{
	struct event ev;
	char reason[256] = "";

	memset(&ev, 0x5a, sizeof(ev));
	if (event_parse(line, len, &ev, reason, sizeof(reason)) != -1)
		fail_msg("accepted: %.*s", (int)len, line);
	if (strstr(reason, want) == NULL)
		fail_msg("for %.*s\n got: %s\n want: %s", (int)len, line,
		    reason, want);
	/* *ev is left alone on failure. */
	assert_int_equal(((unsigned char *)&ev)[0], 0x5a);
	assert_true(event_valid_text(reason, strlen(reason)));
}

static void
test_degenerate(void **state)
{
	struct event ev;
	char reason[64];

	(void)state;
	assert_int_equal(event_parse(NULL, 0, &ev, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "empty line");
	assert_int_equal(event_parse("", 0, &ev, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "empty line");
	assert_int_equal(event_parse(" \t ", 3, &ev, reason, sizeof(reason)),
	    -1);
	assert_string_equal(reason, "empty line");
	assert_int_equal(event_parse("\r", 1, &ev, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "empty line");
	/* No room for a reason is not a crash. */
	assert_int_equal(event_parse("{}", 2, &ev, NULL, 0), -1);
	assert_int_equal(event_parse("{}", 2, &ev, reason, 1), -1);
	assert_string_equal(reason, "");
	/* A reason cut short is still whole UTF-8 text. */
	assert_int_equal(event_parse("{", 1, &ev, reason, 5), -1);
	assert_string_equal(reason, "not ");
	/* Only len bytes are read. */
	assert_int_equal(event_parse(EXAMPLE, 5, &ev, reason, sizeof(reason)),
	    -1);
	assert_non_null(strstr(reason, "not valid JSON"));
}

static void
test_example(void **state)
{
	struct event ev;

	(void)state;
	expect_ok(EXAMPLE, &ev);
	assert_string_equal(ev.event_id, "m-0001");
	assert_string_equal(ev.branch, "ZC01");
	assert_int_equal(ev.buss_type, 1);
	assert_string_equal(ev.ref_id, "ORD-20180606-001");
	assert_int_equal(ev.amount, 12500);
	assert_string_equal(ev.occurred_at, "2018-06-06T08:47:43+08:00");
}

static void
test_minimal(void **state)
{
	struct event ev;

	(void)state;
	memset(&ev, 0x5a, sizeof(ev));
	expect_ok("{\"branch\":\"A\",\"buss_type\":2147483647,\"ref_id\":\"r\","
	    "\"amount\":\"0.01\"}", &ev);
	assert_string_equal(ev.event_id, "");
	assert_string_equal(ev.occurred_at, "");
	assert_string_equal(ev.branch, "A");
	assert_int_equal(ev.buss_type, INT32_MAX);
	assert_int_equal(ev.amount, 1);
	/* Members in any order. */
	expect_ok("{\"amount\":\"3\",\"ref_id\":\"诸城-1\",\"buss_type\":16,"
	    "\"event_id\":\"e\",\"branch\":\"zc_01.b-2\"}", &ev);
	assert_string_equal(ev.ref_id, "诸城-1");
	assert_string_equal(ev.branch, "zc_01.b-2");
	assert_int_equal(ev.amount, 300);
	assert_string_equal(ev.event_id, "e");
}

static void
test_number_amounts(void **state)
{
	struct event ev;

	(void)state;
	expect_ok(WITH_AMOUNT("125"), &ev);
	assert_int_equal(ev.amount, 12500);
	expect_ok(WITH_AMOUNT("125.5"), &ev);
	assert_int_equal(ev.amount, 12550);
	expect_ok(WITH_AMOUNT("125.50"), &ev);
	assert_int_equal(ev.amount, 12550);
	expect_ok(WITH_AMOUNT("0.07"), &ev);
	assert_int_equal(ev.amount, 7);
	/* 0.29 has no exact double: the text is what counts. */
	expect_ok(WITH_AMOUNT("1234567.29"), &ev);
	assert_int_equal(ev.amount, 123456729);
	/* Largest amount: INT64_MAX fen. */
	expect_ok(WITH_AMOUNT("92233720368547758.07"), &ev);
	assert_int_equal(ev.amount, INT64_MAX);
	/* Whitespace around the number, amount first or last. */
	expect_ok("{ \"amount\" : 42.10 , \"branch\":\"B\",\"buss_type\":3,"
	    "\"ref_id\":\"x\"}", &ev);
	assert_int_equal(ev.amount, 4210);
	expect_ok("{\"branch\":\"B\",\"buss_type\":3,\"ref_id\":\"x\","
	    "\"amount\":\t9\n}", &ev);
	assert_int_equal(ev.amount, 900);
}

static void
test_string_amounts(void **state)
{
	struct event ev;

	(void)state;
	expect_ok(WITH_AMOUNT("\"100\""), &ev);
	assert_int_equal(ev.amount, 10000);
	expect_ok(WITH_AMOUNT("\"0.5\""), &ev);
	assert_int_equal(ev.amount, 50);
	expect_ok(WITH_AMOUNT("\"1234.56\""), &ev);
	assert_int_equal(ev.amount, 123456);
}

static void
test_unknown_fields(void **state)
{
	struct event ev;

	(void)state;
	/* Unknown members of every kind, including ones that hold "amount". */
	expect_ok("{\"x\":{\"amount\":\"1e9\",\"y\":[1,{\"amount\":-1}]},"
	    "\"note\":\"amount: \\\"5\\\" }\",\"branch\":\"ZC01\","
	    "\"buss_type\":1,\"ref_id\":\"R\",\"list\":[[],[{}],\"]\"],"
	    "\"flag\":true,\"nothing\":null,\"n\":-1.5e3,"
	    "\"amount\":77.7,\"amounts\":5,\"Amount\":6}", &ev);
	assert_int_equal(ev.amount, 7770);
}

static void
test_escaped_key(void **state)
{
	struct event ev;

	(void)state;
	expect_ok("{\"branch\":\"ZC01\",\"buss_type\":1,\"ref_id\":\"R\","
	    "\"\\u0061mount\":12.5}", &ev);
	assert_int_equal(ev.amount, 1250);
	expect_ok("{\"branch\":\"ZC01\",\"buss_type\":1,\"ref_id\":\"R\","
	    "\"am\\u006Fu\\u006et\":3}", &ev);
	assert_int_equal(ev.amount, 300);
	/* A key with escapes that is not "amount" is skipped. */
	expect_ok("{\"a\\\"mount\":1,\"\\\\\":2,\"\\u00e9\":3,\"branch\":\"Z\","
	    "\"buss_type\":1,\"ref_id\":\"R\",\"amount\":4}", &ev);
	assert_int_equal(ev.amount, 400);
	/* Escaped and plain spellings are the same key. */
	{
		static const char dup[] = "{\"branch\":\"Z\",\"buss_type\":1,"
		    "\"ref_id\":\"R\",\"amount\":1,\"\\u0061mount\":2}";

		expect_bad(dup, sizeof(dup) - 1, "duplicate");
	}
}

static void
test_crlf_and_spaces(void **state)
{
	struct event ev;
	char line[512];

	(void)state;
	snprintf(line, sizeof(line), "%s\r", EXAMPLE);
	expect_ok(line, &ev);
	assert_int_equal(ev.amount, 12500);
	snprintf(line, sizeof(line), "  %s \t\r", EXAMPLE);
	expect_ok(line, &ev);
	assert_string_equal(ev.branch, "ZC01");
	snprintf(line, sizeof(line), "%s\r\r", EXAMPLE);
	expect_ok(line, &ev);
}

static void
test_malformed(void **state)
{
	static const struct bad bad[] = {
		{ "not json", "not valid JSON" },
		{ "{\"branch\":\"ZC01\"", "not valid JSON" },
		{ "{\"branch\":\"ZC01\",}", "not valid JSON" },
		{ EXAMPLE "x", "not valid JSON" },
		{ EXAMPLE EXAMPLE, "not valid JSON" },
		{ "{'branch':'ZC01'}", "not valid JSON" },
		{ "[" EXAMPLE "]", "not a JSON object" },
		{ "\"text\"", "not a JSON object" },
		{ "125", "not a JSON object" },
		{ "null", "not a JSON object" },
		{ "{}", "missing field \"branch\"" },
		{ "{\"buss_type\":1,\"ref_id\":\"R\",\"amount\":\"1\"}",
		    "missing field \"branch\"" },
		{ "{\"branch\":\"Z\",\"ref_id\":\"R\",\"amount\":\"1\"}",
		    "missing field \"buss_type\"" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"amount\":\"1\"}",
		    "missing field \"ref_id\"" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\"}",
		    "missing field \"amount\"" },
		{ "{\"Branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "missing field \"branch\"" },
		/* Wrong types and null. */
		{ "{\"branch\":null,\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a string, not null" },
		{ "{\"branch\":12,\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a string, not a number" },
		{ "{\"branch\":[\"Z\"],\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a string" },
		{ "{\"branch\":\"Z\",\"buss_type\":\"1\",\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be a whole number" },
		{ "{\"branch\":\"Z\",\"buss_type\":1.0,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be a whole number" },
		{ "{\"branch\":\"Z\",\"buss_type\":true,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be a whole number" },
		{ "{\"branch\":\"Z\",\"buss_type\":null,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be a whole number" },
		{ "{\"branch\":\"Z\",\"buss_type\":1e0,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be a whole number" },
		{ "{\"branch\":\"Z\",\"buss_type\":0,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be from 1 to" },
		{ "{\"branch\":\"Z\",\"buss_type\":-1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be from 1 to" },
		{ "{\"branch\":\"Z\",\"buss_type\":2147483648,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"buss_type\" must be from 1 to" },
		{ "{\"branch\":\"Z\",\"buss_type\":99999999999999999999,"
		    "\"ref_id\":\"R\",\"amount\":\"1\"}", "not valid JSON" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":7,"
		    "\"amount\":\"1\"}", "\"ref_id\" must be a string, not a number" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\","
		    "\"amount\":\"1\"}", "\"ref_id\" is empty" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":null}", "\"amount\" must be a decimal like "
		    "\"125.00\", not null" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":true}", "\"amount\" must be a decimal" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":[1]}", "\"amount\" must be a decimal" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":{\"v\":1}}", "\"amount\" must be a decimal" },
		/* Optional fields, present but wrong. */
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"event_id\":null}",
		    "\"event_id\" must be a string, not null" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"event_id\":\"\"}", "\"event_id\" is empty" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"event_id\":5}", "\"event_id\" must be a string" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"occurred_at\":null}",
		    "\"occurred_at\" must be a time like "
		    "\"2018-06-06T08:47:43+08:00\", not null" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"occurred_at\":\"2018-02-30T08:00:00Z\"}",
		    "\"occurred_at\" must be a time like" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"occurred_at\":\"2018-06-06 08:47:43\"}",
		    "\"occurred_at\" must be a time like" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"occurred_at\":1528246063}",
		    "\"occurred_at\" must be a time like" },
		/* Branch codes. */
		{ "{\"branch\":\"\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" is empty" },
		{ "{\"branch\":\"ZC 01\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a code" },
		{ "{\"branch\":\"ZC01;\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a code" },
		{ "{\"branch\":\"诸城\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\"}", "\"branch\" must be a code" },
		{ "{\"branch\":\"ABCDEFGHIJKLMNOPQ\",\"buss_type\":1,"
		    "\"ref_id\":\"R\",\"amount\":\"1\"}",
		    "\"branch\" is too long (at most 16 bytes)" },
		/* Control characters and invalid text. */
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u0001\","
		    "\"amount\":\"1\"}", "\"ref_id\" must be text without "
		    "control characters" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\n2\","
		    "\"amount\":\"1\"}", "control characters" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u009b\","
		    "\"amount\":\"1\"}", "control characters" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u007f\","
		    "\"amount\":\"1\"}", "control characters" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"event_id\":\"e\\u001b[2J\"}",
		    "\"event_id\" must be text without control characters" },
		/* Bidi and invisible format characters (model/text.h),
		 * escaped or raw; the reason names the character. */
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u202e\","
		    "\"amount\":\"1\"}", "\"ref_id\" must be text without "
		    "control characters: U+202E (a bidi control) is not allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\xe2\x81\xa6R\","
		    "\"amount\":\"1\"}", "\"ref_id\" must be text without "
		    "control characters: U+2066 (a bidi control) is not allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"event_id\":\"e\\u200b1\"}",
		    "\"event_id\" must be text without control characters: "
		    "U+200B (an invisible format character) is not allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\xef\xbb\xbfR\","
		    "\"amount\":\"1\"}", "U+FEFF (an invisible format "
		    "character) is not allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u0001\","
		    "\"amount\":\"1\"}", "\"ref_id\" must be text without "
		    "control characters: U+0001 (a control character) is not "
		    "allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\\u0000\","
		    "\"amount\":\"1\"}", "not valid JSON: \\u0000 is not allowed" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\\ud800\","
		    "\"amount\":\"1\"}", "not valid JSON" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\x01\","
		    "\"amount\":\"1\"}", "not valid JSON" },
		/* Duplicate keys. */
		{ "{\"branch\":\"Z\",\"branch\":\"Y\",\"buss_type\":1,"
		    "\"ref_id\":\"R\",\"amount\":\"1\"}",
		    "not valid JSON: duplicate object key" },
		{ "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"amount\":\"2\"}", "duplicate object key" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i].line, strlen(bad[i].line), bad[i].reason);
}

static void
test_amount_refusals(void **state)
{
	static const struct bad bad[] = {
		{ WITH_AMOUNT("0"), "amount must be positive" },
		{ WITH_AMOUNT("0.00"), "amount must be positive" },
		{ WITH_AMOUNT("\"0\""), "amount must be positive" },
		{ WITH_AMOUNT("\"0.00\""), "amount must be positive" },
		{ WITH_AMOUNT("-5"), "amount must be positive" },
		{ WITH_AMOUNT("-0"), "amount must be positive" },
		{ WITH_AMOUNT("\"-5.00\""), "amount must be positive" },
		{ WITH_AMOUNT("\"-0\""), "amount must be positive" },
		{ WITH_AMOUNT("1.234"), "\"amount\" must be a decimal like "
		    "\"125.00\"" },
		{ WITH_AMOUNT("\"1.234\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("1e2"), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("1E2"), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("1.5e1"), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"1e2\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\" 1\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"1 \""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"+1\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"1.\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\".5\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"1,000.00\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"012\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"¥12\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"NaN\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("\"0x10\""), "\"amount\" must be a decimal like" },
		{ WITH_AMOUNT("92233720368547758.08"), "\"amount\" is too large" },
		{ WITH_AMOUNT("\"92233720368547758.08\""),
		    "\"amount\" is too large" },
		{ WITH_AMOUNT("\"99999999999999999999999999999\""),
		    "\"amount\" is too large" },
		{ WITH_AMOUNT("123456789012345678901234567890.5"),
		    "\"amount\" is too large" },
		{ WITH_AMOUNT("1e400"), "not valid JSON" },
		{ WITH_AMOUNT("99999999999999999999999"), "not valid JSON" },
		{ WITH_AMOUNT("01"), "not valid JSON" },
		{ WITH_AMOUNT("+1"), "not valid JSON" },
		{ WITH_AMOUNT("NaN"), "not valid JSON" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i].line, strlen(bad[i].line), bad[i].reason);
}

static void
test_limits(void **state)
{
	struct event ev;
	char line[1024], ref[FF_REF_MAX + 2];

	(void)state;
	memset(ref, 'r', FF_REF_MAX);
	ref[FF_REF_MAX] = '\0';
	snprintf(line, sizeof(line), "{\"branch\":\"ABCDEFGHIJKLMNOP\","
	    "\"buss_type\":1,\"ref_id\":\"%s\",\"event_id\":\"%s\","
	    "\"amount\":\"1\"}", ref, ref);
	expect_ok(line, &ev);
	assert_int_equal(strlen(ev.ref_id), FF_REF_MAX);
	assert_int_equal(strlen(ev.event_id), FF_REF_MAX);
	assert_string_equal(ev.branch, "ABCDEFGHIJKLMNOP");

	ref[FF_REF_MAX] = 'r';
	ref[FF_REF_MAX + 1] = '\0';
	snprintf(line, sizeof(line), "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"%s\",\"amount\":\"1\"}", ref);
	expect_bad(line, strlen(line),
	    "\"ref_id\" is too long (at most 128 bytes)");
	snprintf(line, sizeof(line), "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\",\"event_id\":\"%s\"}", ref);
	expect_bad(line, strlen(line),
	    "\"event_id\" is too long (at most 128 bytes)");

	/* 43 three-byte characters = 129 bytes. */
	strcpy(line, "{\"branch\":\"Z\",\"buss_type\":1,\"amount\":\"1\","
	    "\"ref_id\":\"");
	for (int i = 0; i < 43; i++)
		strcat(line, "诸");
	strcat(line, "\"}");
	expect_bad(line, strlen(line), "\"ref_id\" is too long");
}

static void
test_raw_bytes(void **state)
{
	/* Invalid UTF-8 straight in the line, and NUL bytes. */
	static const char overlong[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"\xc0\xaf\",\"amount\":\"1\"}";
	static const char lone[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"\xff\",\"amount\":\"1\"}";
	static const char surrogate[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"\xed\xa0\x80\",\"amount\":\"1\"}";
	static const char nul[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\0\",\"amount\":\"1\"}";
	static const char nul_outside[] = "{\"branch\":\"Z\"\0}";
	static const char esc[] = "\x1b[31m";

	(void)state;
	expect_bad(overlong, sizeof(overlong) - 1, "not valid JSON");
	expect_bad(lone, sizeof(lone) - 1, "not valid JSON");
	expect_bad(surrogate, sizeof(surrogate) - 1, "not valid JSON");
	expect_bad(nul, sizeof(nul) - 1, "not valid JSON");
	expect_bad(nul_outside, sizeof(nul_outside) - 1, "not valid JSON");
	/* jansson quotes the bad text; the reason stays printable. */
	expect_bad(esc, sizeof(esc) - 1, "not valid JSON");
	expect_bad("\xef\xbb\xbf{}", 5, "not valid JSON");
}

static void
test_valid_code(void **state)
{
	(void)state;
	assert_false(event_valid_code(NULL));
	assert_false(event_valid_code(""));
	assert_true(event_valid_code("Z"));
	assert_true(event_valid_code("ZC01"));
	assert_true(event_valid_code("a-b_c.d"));
	assert_true(event_valid_code("ABCDEFGHIJKLMNOP"));
	assert_false(event_valid_code("ABCDEFGHIJKLMNOPQ"));
	assert_false(event_valid_code("ZC 01"));
	assert_false(event_valid_code("ZC/01"));
	assert_false(event_valid_code("诸城"));
	assert_false(event_valid_code("a\tb"));
}

static void
test_valid_time(void **state)
{
	static const char *good[] = {
		"2018-06-06T08:47:43+08:00",
		"2018-06-06T00:47:43Z",
		"2018-06-06T00:47:43.5Z",
		"2018-06-06T00:47:43.123456789-05:30",
		"2020-02-29T23:59:59+00:00",
		"2000-02-29T00:00:00Z",
		"0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59-23:59",
	};
	static const char *bad[] = {
		"",
		"2018-06-06",
		"2018-06-06T08:47:43",
		"2018-06-06T08:47+08:00",
		"2018-06-06 08:47:43+08:00",
		"2018-06-06t08:47:43+08:00",
		"2018-02-30T08:00:00Z",
		"2019-02-29T08:00:00Z",
		"1900-02-29T08:00:00Z",
		"2018-04-31T08:00:00Z",
		"2018-13-01T08:00:00Z",
		"2018-00-01T08:00:00Z",
		"2018-06-00T08:00:00Z",
		"2018-06-06T24:00:00Z",
		"2018-06-06T08:60:00Z",
		"2018-06-06T08:47:60Z",
		"2018-06-06T08:47:43+24:00",
		"2018-06-06T08:47:43+08:60",
		"2018-06-06T08:47:43+0800",
		"2018-06-06T08:47:43+08",
		"2018-06-06T08:47:43+08:00 ",
		"2018-06-06T08:47:43Zx",
		"2018-06-06T08:47:43.Z",
		"2018-06-06T08:47:43.1234567890Z",
		"0000-01-01T00:00:00Z",
		"+2018-06-06T08:47:43Z",
		"2018-6-06T08:47:43Z",
		"２018-06-06T08:47:43Z",
	};
	size_t i;

	(void)state;
	assert_false(event_valid_time(NULL));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!event_valid_time(good[i]))
			fail_msg("refused %s", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (event_valid_time(bad[i]))
			fail_msg("accepted %s", bad[i]);
	}
}

static void
test_valid_text(void **state)
{
	(void)state;
	assert_true(event_valid_text("", 0));
	assert_true(event_valid_text(NULL, 0));
	assert_true(event_valid_text("plain", 5));
	assert_true(event_valid_text("诸城分公司", strlen("诸城分公司")));
	assert_true(event_valid_text("\xf0\x9f\x92\xb0", 4));	/* U+1F4B0 */
	assert_true(event_valid_text("\xf4\x8f\xbf\xbf", 4));	/* U+10FFFF */
	assert_true(event_valid_text("\xc2\xa0", 2));		/* U+00A0 */
	assert_false(event_valid_text("a\0b", 3));
	assert_false(event_valid_text("a\tb", 3));
	assert_false(event_valid_text("\x7f", 1));
	assert_false(event_valid_text("\xc2\x80", 2));		/* U+0080 */
	assert_false(event_valid_text("\xc2\x9f", 2));		/* U+009F */
	assert_false(event_valid_text("\xc0\x80", 2));		/* overlong */
	assert_false(event_valid_text("\xe0\x80\xaf", 3));	/* overlong */
	assert_false(event_valid_text("\xf0\x80\x80\xaf", 4));	/* overlong */
	assert_false(event_valid_text("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(event_valid_text("\xf4\x90\x80\x80", 4));	/* > 10FFFF */
	assert_false(event_valid_text("\xe8\xaf", 2));		/* cut short */
	assert_false(event_valid_text("\x80", 1));
	assert_false(event_valid_text("\xfe", 1));
	/* Bidi and invisible format characters (model/text.h). */
	assert_false(event_valid_text("\xe2\x80\xae", 3));	/* U+202E */
	assert_false(event_valid_text("a\xe2\x80\x8b", 4));	/* U+200B */
	assert_false(event_valid_text("\xd8\x9c", 2));		/* U+061C */
	assert_false(event_valid_text("\xe2\x81\xa9", 3));	/* U+2069 */
	assert_false(event_valid_text("\xef\xbb\xbf", 3));	/* U+FEFF */
	assert_true(event_valid_text("\xe2\x80\xaf", 3));	/* U+202F */
	/* Only n bytes are looked at. */
	assert_true(event_valid_text("ab\x01", 2));
}

/*
 * Every prefix of a few lines, and every line with one byte changed, is
 * parsed without a crash or a leak (the sanitizers watch), and an accepted
 * event always holds valid fields.
 */
static void
test_no_crash(void **state)
{
	static const char *seeds[] = {
		EXAMPLE,
		"{\"x\":[{\"a\":\"\\\"\"},[]],\"\\u0061mount\":1.5,\"branch\":\"B\","
		    "\"buss_type\":2,\"ref_id\":\"r\\u00e9\"}",
	};
	static const char bytes[] = "\"\\{}[],:0.-e \x01\x80\xff";
	struct event ev;
	char reason[128], buf[512];
	size_t s, i, n, b;

	(void)state;
	for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		n = strlen(seeds[s]);
		for (i = 0; i <= n; i++)
			(void)event_parse(seeds[s], i, &ev, reason,
			    sizeof(reason));
		for (i = 0; i < n; i++) {
			for (b = 0; b < sizeof(bytes) - 1; b++) {
				memcpy(buf, seeds[s], n);
				buf[i] = bytes[b];
				if (event_parse(buf, n, &ev, reason,
				    sizeof(reason)) == 0) {
					assert_true(ev.amount > 0);
					assert_true(event_valid_code(ev.branch));
					assert_true(ev.buss_type > 0);
				} else
					assert_true(event_valid_text(reason,
					    strlen(reason)));
			}
		}
	}
}

/* A good event with member m (text) added at the end. */
static void
with_member(char *buf, size_t bufsz, const char *m)
{
	snprintf(buf, bufsz, "{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":"
	    "\"R\",\"amount\":\"1\",%s}", m);
}

/*
 * Nesting: 2048 values deep at most, the event object being the first
 * (as jansson allowed), arrays and objects alike.
 */
static void
test_json_depth(void **state)
{
	static char line[16384];
	struct event ev;
	size_t i, o, inner;
	int depth;

	(void)state;
	for (depth = 2046; depth <= 2049; depth++) {
		/* The event, and in "x" objects and arrays in turn, then 0:
		 * depth values in all. */
		inner = (size_t)depth - 2;
		o = (size_t)snprintf(line, sizeof(line), "{\"branch\":\"Z\","
		    "\"buss_type\":1,\"ref_id\":\"R\",\"amount\":\"1\",\"x\":");
		for (i = 0; i < inner; i++) {
			if (i % 2 == 0)
				o += (size_t)snprintf(line + o, sizeof(line) - o,
				    "{\"k\":");
			else
				line[o++] = '[';
		}
		line[o++] = '0';
		for (i = inner; i > 0; i--)
			line[o++] = (i - 1) % 2 == 0 ? '}' : ']';
		line[o++] = '}';
		line[o] = '\0';
		if (depth <= 2048)
			expect_ok(line, &ev);
		else
			expect_bad(line, o, "not valid JSON: nested more than "
			    "2048 deep");
	}
}

/*
 * Numbers in members not read: integers within int64_t, other numbers up
 * to where a double overflows (tiny ones are fine), as jansson had it.
 */
static void
test_json_numbers(void **state)
{
	static const char *const good[] = {
		"\"x\":9223372036854775807", "\"x\":-9223372036854775808",
		"\"x\":1.7976931348623157e308", "\"x\":-1.7976931348623158e308",
		"\"x\":1e-400", "\"x\":0e999999999999999999999",
		"\"x\":0.0000000000017976931348623157e320", "\"x\":-0",
		"\"x\":123456789012345678901234567890.5",
	};
	static const char *const bad[] = {
		"\"x\":9223372036854775808", "\"x\":-9223372036854775809",
		"\"x\":1.7976931348623159e308", "\"x\":-1e309",
		"\"x\":1e99999999999999999999", "\"x\":01", "\"x\":1.",
		"\"x\":.5", "\"x\":1e", "\"x\":-", "\"x\":+1", "\"x\":0x1",
	};
	struct event ev;
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		with_member(line, sizeof(line), good[i]);
		expect_ok(line, &ev);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		with_member(line, sizeof(line), bad[i]);
		expect_bad(line, strlen(line), "not valid JSON");
	}
}

/*
 * Duplicate keys are refused in every object, judged after unescaping;
 * the same key in two objects is fine, and so are many distinct keys.
 */
static void
test_json_duplicates(void **state)
{
	static const char *const bad[] = {
		"\"x\":{\"a\":1,\"b\":{\"a\":2},\"a\":3}",
		"\"x\":[{\"\\u00e9\":1,\"\xc3\xa9\":2}]",
		"\"x\":1,\"\\u0078\":2",
		"\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2",
		"\"a/b\":1,\"a\\/b\":2",
	};
	static const char *const good[] = {
		"\"x\":{\"a\":1},\"y\":{\"a\":1},\"a\":1",
		"\"x\":{\"a\":{\"a\":{\"a\":1}}}",
		"\"Amount\":1,\"amounts\":2,\"\\u00e9\":3,\"\xc3\xa8\":4",
	};
	static char line[16384];
	struct event ev;
	size_t i, o;
	int k;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		with_member(line, sizeof(line), bad[i]);
		expect_bad(line, strlen(line), "not valid JSON: duplicate "
		    "object key");
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		with_member(line, sizeof(line), good[i]);
		expect_ok(line, &ev);
	}
	/* More keys than are held at once: all different, then with the
	 * first or the last again, plainly or escaped. */
	o = (size_t)snprintf(line, sizeof(line), "{\"branch\":\"Z\","
	    "\"buss_type\":1,\"ref_id\":\"R\",\"amount\":\"1\",\"x\":{");
	for (k = 0; k < 1000; k++)
		o += (size_t)snprintf(line + o, sizeof(line) - o,
		    "%s\"k%d\":%d", k ? "," : "", k, k);
	snprintf(line + o, sizeof(line) - o, "}}");
	expect_ok(line, &ev);
	snprintf(line + o, sizeof(line) - o, ",\"k0\":0}}");
	expect_bad(line, strlen(line), "duplicate object key \"k0\"");
	snprintf(line + o, sizeof(line) - o, ",\"k\\u0039\\u0039\\u0039\":0}}");
	expect_bad(line, strlen(line), "duplicate object key");
}

/* Text that is not JSON gets a reason of our own that says where. */
static void
test_json_reasons(void **state)
{
	static const struct bad bad[] = {
		{ "{\"branch\":\"Z\"", "not valid JSON: the line ends inside a "
		    "value (column 14)" },
		{ "{\"branch\":\"Z\",}", "not valid JSON: a key in double "
		    "quotes expected (column 15)" },
		{ "{\"branch\" \"Z\"}", "not valid JSON: ':' expected after a "
		    "key (column 11)" },
		{ "{\"a\":1 \"b\":2}", "not valid JSON: ',' or '}' expected "
		    "(column 8)" },
		{ "{\"a\":[1 2]}", "not valid JSON: ',' or ']' expected "
		    "(column 9)" },
		{ "{} x", "not valid JSON: more text after the end of the value "
		    "(column 4)" },
		{ "{\"a\":nul}", "not valid JSON: invalid word" },
		{ "{\"a\":'x'}", "not valid JSON: unexpected ''' (column 6)" },
		{ "{\"\xe8\xaf\xb8\":\"\\x\"}", "not valid JSON: invalid escape "
		    "in a string (column 7)" },
		{ "{\"a\":\"\\ud800\"}", "not valid JSON: invalid \\u escape" },
		{ "{\"a\":\"\t\"}", "not valid JSON: control character 0x09 in "
		    "a string" },
		{ "{\"a\":\"\xff\"}", "not valid JSON: invalid UTF-8 (byte 0xff) "
		    "in a string" },
		{ "{\"a\":1e999}", "not valid JSON: number too big" },
		{ "{\"a\":99999999999999999999}", "not valid JSON: integer too "
		    "big" },
		{ "{\"\\u0000\":1}", "not valid JSON: \\u0000 is not allowed" },
		{ "{\"a\x7f" "b\":1,\"a\x7f" "b\":2}", "duplicate object key "
		    "\"a?b\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i].line, strlen(bad[i].line), bad[i].reason);
}

/*
 * A NUL byte anywhere refuses the line (security item 10): jansson let one
 * pass right after a number or a word, so that "1\0," read as "1," and
 * "true\0" as "true"; no more.  The reason names the column of the first
 * NUL and quotes nothing.
 */
static void
test_json_nul_refused(void **state)
{
	static const char after_number[] = "{\"branch\":\"Z\",\"buss_type\":1\0,"
	    "\"ref_id\":\"R\",\"amount\":\"1\"}";
	static const char after_words[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\",\"x\":[true\0,null\0]}";
	static const char after_true[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\",\"x\":true\0}";
	static const char amount[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":5\0}";
	static const char two[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\",\"x\":1\0\0}";
	static const char after_string[] = "{\"branch\":\"Z\"\0,"
	    "\"buss_type\":1,\"ref_id\":\"R\",\"amount\":\"1\"}";
	static const char in_ref[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\0X\",\"amount\":\"1\"}";
	static const char after_object[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\"}\0";
	static const char first[] = "\0{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"R\",\"amount\":\"1\"}";
	static const char cjk[] = "{\"branch\":\"Z\",\"buss_type\":1,"
	    "\"ref_id\":\"\xe8\xaf\xb8\",\"amount\":1\0}";
	struct event ev;
	char reason[256];

	(void)state;
	expect_bad(after_number, sizeof(after_number) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 28)");
	expect_bad(after_words, sizeof(after_words) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 64)");
	expect_bad(after_true, sizeof(after_true) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 63)");
	expect_bad(amount, sizeof(amount) - 1, "not valid JSON: a NUL byte");
	expect_bad(two, sizeof(two) - 1, "not valid JSON: a NUL byte");
	expect_bad(after_string, sizeof(after_string) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 14)");
	expect_bad(in_ref, sizeof(in_ref) - 1, "not valid JSON: a NUL byte");
	expect_bad(after_object, sizeof(after_object) - 1,
	    "not valid JSON: a NUL byte");
	expect_bad(first, sizeof(first) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 1)");
	/* Columns count characters: 诸 is one. */
	expect_bad(cjk, sizeof(cjk) - 1,
	    "not valid JSON: a NUL byte is not allowed (column 52)");
	/* A line cut just before its NUL is an event again. */
	assert_int_equal(event_parse(after_object, sizeof(after_object) - 2,
	    &ev, reason, sizeof(reason)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_number_amounts),
		cmocka_unit_test(test_string_amounts),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_escaped_key),
		cmocka_unit_test(test_crlf_and_spaces),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_amount_refusals),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_raw_bytes),
		cmocka_unit_test(test_valid_code),
		cmocka_unit_test(test_valid_time),
		cmocka_unit_test(test_valid_text),
		cmocka_unit_test(test_no_crash),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_json_duplicates),
		cmocka_unit_test(test_json_reasons),
		cmocka_unit_test(test_json_nul_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
