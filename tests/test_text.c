/*
 * test_text.c — model/text: the one check of stored text, the words of
 * its refusals, and the sanitised copy the activity journal keeps.
 * Degenerate cases first.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "model/event.h"
#include "model/text.h"

#define FFFD	"\xef\xbf\xbd"

static void	expect_fault(const char *, size_t, enum text_fault, uint32_t,
		    size_t, const char *);
static void	test_text_degenerate(void **);
static void	test_text_accepted(void **);
static void	test_text_controls(void **);
static void	test_text_format(void **);
static void	test_text_utf8(void **);
static void	test_text_refusal(void **);
static void	test_text_sanitize(void **);

/* Expects s[0..n) refused with fault f at character cp, byte at, and
 * described as want. */
static void
expect_fault(const char *s, size_t n, enum text_fault f, uint32_t cp,
    size_t at, const char *want)
{
	struct text_bad bad;
	char what[64];

	if (text_check(s, n, &bad) != -1)
		fail_msg("accepted %zu bytes", n);
	assert_int_equal(bad.fault, f);
	assert_int_equal(bad.cp, cp);
	assert_int_equal(bad.at, at);
	assert_false(text_valid(s, n));
	assert_false(event_valid_text(s, n));
	text_describe(&bad, what, sizeof(what));
	assert_string_equal(what, want);
}

static void
test_text_degenerate(void **state)
{
	struct text_bad bad;
	char buf[8];

	(void)state;
	assert_int_equal(text_check(NULL, 0, &bad), 0);
	assert_int_equal(bad.fault, TEXT_OK);
	assert_int_equal(text_check("", 0, NULL), 0);
	assert_true(text_valid(NULL, 0));
	assert_int_equal(text_refusal("note", NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(text_sanitize(buf, sizeof(buf), NULL), 0);
	assert_string_equal(buf, "");
	/* A NUL byte inside the length is a control character. */
	expect_fault("a\0b", 3, TEXT_CONTROL, 0, 1,
	    "U+0000 (a control character)");
}

static void
test_text_accepted(void **state)
{
	static const char *const ok[] = {
		"plain", "诸城分公司", "Smith, \"Jones\" \\ & Co", " ",
		"\xc2\xa0",		/* U+00A0 no-break space */
		"\xf0\x9f\x92\xb0",	/* U+1F4B0 */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF */
		"\xe2\x80\x8a",		/* U+200A hair space: not a format char */
		"\xe2\x80\xa9",		/* U+2029: shown as U+FFFD, stored */
		"\xe2\x81\xa5",		/* U+2065: unassigned, not listed */
		"\xe2\x80\xaf",		/* U+202F narrow no-break space */
		"\xd8\x9b",		/* U+061B Arabic semicolon */
		"\xef\xbb\xbe",		/* U+FEFE */
		"=HYPERLINK(\"http://x\")", "@SUM(1)", "+1", "-3",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (!text_valid(ok[i], strlen(ok[i])))
			fail_msg("refused ok[%zu]", i);
		assert_true(event_valid_text(ok[i], strlen(ok[i])));
	}
}

static void
test_text_controls(void **state)
{
	(void)state;
	expect_fault("a\tb", 3, TEXT_CONTROL, 0x09, 1,
	    "U+0009 (a control character)");
	expect_fault("\n", 1, TEXT_CONTROL, 0x0a, 0,
	    "U+000A (a control character)");
	expect_fault("x\r", 2, TEXT_CONTROL, 0x0d, 1,
	    "U+000D (a control character)");
	expect_fault("\x1b[31m", 5, TEXT_CONTROL, 0x1b, 0,
	    "U+001B (a control character)");
	expect_fault("\x1f", 1, TEXT_CONTROL, 0x1f, 0,
	    "U+001F (a control character)");
	expect_fault("del\x7f", 4, TEXT_CONTROL, 0x7f, 3,
	    "U+007F (a control character)");
	expect_fault("\xc2\x80", 2, TEXT_CONTROL, 0x80, 0,
	    "U+0080 (a control character)");
	expect_fault("c1\xc2\x85", 4, TEXT_CONTROL, 0x85, 2,
	    "U+0085 (a control character)");
	expect_fault("\xc2\x9b", 2, TEXT_CONTROL, 0x9b, 0,
	    "U+009B (a control character)");
	expect_fault("\xc2\x9f", 2, TEXT_CONTROL, 0x9f, 0,
	    "U+009F (a control character)");
	/* The first fault is the one named. */
	expect_fault("ok\x01\xe2\x80\xae", 6, TEXT_CONTROL, 0x01, 2,
	    "U+0001 (a control character)");
}

static void
test_text_format(void **state)
{
	static const struct {
		const char *s;
		enum text_fault f;
		uint32_t cp;
	} bad[] = {
		{ "\xd8\x9c", TEXT_BIDI, 0x061c },
		{ "\xe2\x80\x8b", TEXT_FORMAT, 0x200b },
		{ "\xe2\x80\x8c", TEXT_FORMAT, 0x200c },
		{ "\xe2\x80\x8d", TEXT_FORMAT, 0x200d },
		{ "\xe2\x80\x8e", TEXT_BIDI, 0x200e },
		{ "\xe2\x80\x8f", TEXT_BIDI, 0x200f },
		{ "\xe2\x80\xaa", TEXT_BIDI, 0x202a },
		{ "\xe2\x80\xab", TEXT_BIDI, 0x202b },
		{ "\xe2\x80\xac", TEXT_BIDI, 0x202c },
		{ "\xe2\x80\xad", TEXT_BIDI, 0x202d },
		{ "\xe2\x80\xae", TEXT_BIDI, 0x202e },
		{ "\xe2\x81\xa0", TEXT_FORMAT, 0x2060 },
		{ "\xe2\x81\xa1", TEXT_FORMAT, 0x2061 },
		{ "\xe2\x81\xa2", TEXT_FORMAT, 0x2062 },
		{ "\xe2\x81\xa3", TEXT_FORMAT, 0x2063 },
		{ "\xe2\x81\xa4", TEXT_FORMAT, 0x2064 },
		{ "\xe2\x81\xa6", TEXT_BIDI, 0x2066 },
		{ "\xe2\x81\xa7", TEXT_BIDI, 0x2067 },
		{ "\xe2\x81\xa8", TEXT_BIDI, 0x2068 },
		{ "\xe2\x81\xa9", TEXT_BIDI, 0x2069 },
		{ "\xef\xbb\xbf", TEXT_FORMAT, 0xfeff },
	};
	char line[32], want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "RTL%s x", bad[i].s);
		snprintf(want, sizeof(want), "U+%04X (%s)", (unsigned)bad[i].cp,
		    bad[i].f == TEXT_BIDI ? "a bidi control" :
		    "an invisible format character");
		expect_fault(line, strlen(line), bad[i].f, bad[i].cp, 3, want);
	}
}

static void
test_text_utf8(void **state)
{
	(void)state;
	expect_fault("bad\xff", 4, TEXT_UTF8, 0xff, 3,
	    "invalid UTF-8 (byte 0xFF)");
	expect_fault("\xc3\x28", 2, TEXT_UTF8, 0xc3, 0,
	    "invalid UTF-8 (byte 0xC3)");
	expect_fault("\xc0\xaf", 2, TEXT_UTF8, 0xc0, 0,
	    "invalid UTF-8 (byte 0xC0)");		/* overlong */
	expect_fault("\xe0\x80\xaf", 3, TEXT_UTF8, 0xe0, 0,
	    "invalid UTF-8 (byte 0xE0)");		/* overlong */
	expect_fault("\xed\xa0\x80", 3, TEXT_UTF8, 0xed, 0,
	    "invalid UTF-8 (byte 0xED)");		/* surrogate */
	expect_fault("\xf4\x90\x80\x80", 4, TEXT_UTF8, 0xf4, 0,
	    "invalid UTF-8 (byte 0xF4)");		/* > U+10FFFF */
	expect_fault("\xe8\xaf", 2, TEXT_UTF8, 0xe8, 0,
	    "invalid UTF-8 (byte 0xE8)");		/* cut short */
	expect_fault("\x80", 1, TEXT_UTF8, 0x80, 0,
	    "invalid UTF-8 (byte 0x80)");
}

static void
test_text_refusal(void **state)
{
	char buf[TEXT_REFUSAL_MAX];

	(void)state;
	assert_int_equal(text_refusal("reason", "fine, 诸城", buf,
	    sizeof(buf)), 0);
	assert_int_equal(text_refusal("reason", "\xe2\x80\xae" "evil", buf,
	    sizeof(buf)), -1);
	assert_string_equal(buf, "the reason contains U+202E (a bidi "
	    "control), which is not allowed");
	assert_int_equal(text_refusal("branch name", "x\x1b[2J", buf,
	    sizeof(buf)), -1);
	assert_string_equal(buf, "the branch name contains U+001B (a control "
	    "character), which is not allowed");
	assert_int_equal(text_refusal("note", "\xff", buf, sizeof(buf)), -1);
	assert_string_equal(buf, "the note contains invalid UTF-8 (byte 0xFF), "
	    "which is not allowed");
	/* The sentence quotes nothing of the text. */
	assert_int_equal(text_refusal("login", "secret\xe2\x80\x8b", buf,
	    sizeof(buf)), -1);
	assert_null(strstr(buf, "secret"));
	/* A short buffer is cut, still terminated. */
	assert_int_equal(text_refusal("reason", "\x01", buf, 10), -1);
	assert_int_equal(strlen(buf), 9);
}

static void
test_text_sanitize(void **state)
{
	char out[64], small[6];

	(void)state;
	assert_int_equal(text_sanitize(out, sizeof(out), "plain 诸城"),
	    strlen("plain 诸城"));
	assert_string_equal(out, "plain 诸城");
	text_sanitize(out, sizeof(out), "a\x1b[2Jb\xe2\x80\xae" "c\xff\xfe" "d");
	assert_string_equal(out, "a" FFFD "[2Jb" FFFD "c" FFFD FFFD "d");
	assert_true(text_valid(out, strlen(out)));
	/* Cut only between characters: "ab诸" and its NUL need 6 bytes. */
	assert_int_equal(text_sanitize(small, 5, "ab诸城"), 2);
	assert_string_equal(small, "ab");
	assert_int_equal(text_sanitize(small, sizeof(small), "ab诸城"), 5);
	assert_string_equal(small, "ab诸");
	assert_int_equal(text_sanitize(small, 5, "ab诸城"), 2);
	assert_string_equal(small, "ab");
	assert_int_equal(text_sanitize(small, sizeof(small), "a\x01\x02"), 4);
	assert_string_equal(small, "a" FFFD);
	assert_int_equal(text_sanitize(small, 1, "abc"), 0);
	assert_string_equal(small, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_degenerate),
		cmocka_unit_test(test_text_accepted),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_text_refusal),
		cmocka_unit_test(test_text_sanitize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
