/*
 * test_width.c — ui/width: UTF-8 measured, cut and padded in terminal
 * columns.  Degenerate cases first.  The driver sets LC_ALL to C.UTF-8
 * itself so that wcwidth knows CJK and combining marks.
 */
#include "testlib.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/width.h"

#define CJK	"\xe8\xaf\xb8\xe5\x9f\x8e\xe5\x88\x86\xe5\x85\xac\xe5\x8f\xb8"
					/* 诸城分公司: 5 characters, 10 columns */
#define FFFD	"\xef\xbf\xbd"
#define ACUTE	"\xcc\x81"		/* U+0301 COMBINING ACUTE ACCENT */
#define ELL	WIDTH_ELLIPSIS

struct width_case {
	const char	*text;
	int		 cols;
	const char	*shown;		/* width_sanitize's result */
};

static uint64_t	test_width_rand(uint64_t *);
static void	assert_case(const struct width_case *);
static void	assert_fit(const char *, int, enum width_align, const char *);
static int	test_width_setup(void **);
static void	test_width_null_and_empty(void **);
static void	test_width_decode(void **);
static void	test_width_ascii(void **);
static void	test_width_cjk(void **);
static void	test_width_mixed(void **);
static void	test_width_combining(void **);
static void	test_width_invalid(void **);
static void	test_width_control(void **);
static void	test_width_unmeasurable(void **);
static void	test_width_strn(void **);
static void	test_width_fit_zero(void **);
static void	test_width_fit_pad(void **);
static void	test_width_fit_cut_ascii(void **);
static void	test_width_fit_cjk_every_width(void **);
static void	test_width_fit_mixed_every_width(void **);
static void	test_width_fit_combining(void **);
static void	test_width_fit_sanitizes(void **);
static void	test_width_fit_small_buffer(void **);
static void	test_width_fit_mark_flood(void **);
static void	test_width_fit_random(void **);

/* xorshift64*, fixed seed: the same bytes every run. */
static uint64_t
test_width_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(2685821657736338717);
}

static void
assert_case(const struct width_case *c)
{
	char *s;

	if (width_str(c->text) != c->cols)
		fail_msg("width of \"%s\" is %d, want %d", c->text,
		    width_str(c->text), c->cols);
	assert_int_equal(width_strn(c->text, strlen(c->text)), c->cols);
	s = width_sanitize(c->text);
	assert_string_equal(s, c->shown);
	/* The rendering is stable and as wide as the text. */
	assert_int_equal(width_str(s), c->cols);
	free(s);
}

/* width_fit into a roomy buffer gives want, exactly cols columns wide. */
static void
assert_fit(const char *s, int cols, enum width_align align, const char *want)
{
	char out[WIDTH_FIT_BUFSZ(64)];
	size_t n;

	memset(out, 'x', sizeof(out));
	n = width_fit(out, sizeof(out), s, cols, align);
	if (strcmp(out, want) != 0)
		fail_msg("fit \"%s\" in %d (%s): \"%s\", want \"%s\"", s, cols,
		    align == WIDTH_LEFT ? "left" : "right", out, want);
	assert_int_equal(n, strlen(out));
	assert_int_equal(width_str(out), cols < 0 ? 0 : cols);
}

static int
test_width_setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_width: no C.UTF-8 locale\n");
		return -1;
	}
	return 0;
}

static void
test_width_null_and_empty(void **state)
{
	char buf[8], *s;

	(void)state;
	assert_int_equal(width_str(NULL), 0);
	assert_int_equal(width_str(""), 0);
	assert_int_equal(width_strn(NULL, 5), 0);
	assert_int_equal(width_strn("abc", 0), 0);
	assert_int_equal(width_decode(NULL, 3, NULL, NULL), 0);
	assert_int_equal(width_decode("abc", 0, NULL, NULL), 0);
	s = width_sanitize(NULL);
	assert_string_equal(s, "");
	free(s);
	s = width_sanitize("");
	assert_string_equal(s, "");
	free(s);
	assert_fit("", 0, WIDTH_LEFT, "");
	assert_fit(NULL, 0, WIDTH_LEFT, "");
	assert_fit("", 4, WIDTH_LEFT, "    ");
	assert_fit("", 4, WIDTH_RIGHT, "    ");
	assert_fit(NULL, 2, WIDTH_LEFT, "  ");
	/* outsz 0: nothing is written at all. */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(width_fit(buf, 0, "abc", 3, WIDTH_LEFT), 0);
	assert_int_equal(buf[0], 'x');
}

static void
test_width_decode(void **state)
{
	static const struct {
		const char	*s;
		size_t		 used;
		uint32_t	 cp;
		int		 cols;
	} cases[] = {
		{ "a", 1, 'a', 1 },
		{ "\xc3\xa9", 2, 0xe9, 1 },
		{ ACUTE, 2, 0x301, 0 },
		{ "\xe8\xaf\xb8", 3, 0x8bf8, 2 },
		{ "\xf0\x9f\x98\x80", 4, 0x1f600, 2 },
		{ "\xf0\x90\x80\x80", 4, 0x10000, 1 },
		{ "\xff", 1, 0xfffd, 1 },
		{ "\xe8\xaf", 1, 0xfffd, 1 },
		{ "\xc0\x80", 1, 0xfffd, 1 },
		{ "\xed\xa0\x80", 1, 0xfffd, 1 },
		{ "\t", 1, '?', 1 },
		{ "\x1b", 1, '?', 1 },
		{ "\xc2\x85", 2, '?', 1 },
		{ "\xe2\x80\xae", 3, '?', 1 },
		{ FFFD, 3, 0xfffd, 1 },
	};
	uint32_t cp;
	size_t i;
	int cols;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cp = 0;
		cols = -1;
		assert_int_equal(width_decode(cases[i].s, strlen(cases[i].s),
		    &cp, &cols), cases[i].used);
		assert_int_equal(cp, cases[i].cp);
		assert_int_equal(cols, cases[i].cols);
		/* Outputs are optional. */
		assert_int_equal(width_decode(cases[i].s, strlen(cases[i].s),
		    NULL, NULL), cases[i].used);
	}
	/* A character cut short by len is one bad byte. */
	assert_int_equal(width_decode("\xe8\xaf\xb8", 2, &cp, &cols), 1);
	assert_int_equal(cp, 0xfffd);
	/* NUL inside len is a control character. */
	assert_int_equal(width_decode("\0a", 2, &cp, &cols), 1);
	assert_int_equal(cp, '?');
	assert_int_equal(cols, 1);
}

static void
test_width_ascii(void **state)
{
	static const struct width_case cases[] = {
		{ "a", 1, "a" },
		{ "hello", 5, "hello" },
		{ " ", 1, " " },
		{ "ZC01 1,234.56", 13, "ZC01 1,234.56" },
		{ "~!@#$%^&*()_+{}|:\"<>?", 21, "~!@#$%^&*()_+{}|:\"<>?" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_cjk(void **state)
{
	static const struct width_case cases[] = {
		{ CJK, 10, CJK },
		{ "\xe8\xaf\xb8", 2, "\xe8\xaf\xb8" },
		{ "\xe3\x80\x80", 2, "\xe3\x80\x80" },	/* ideographic space */
		{ "\xef\xbc\x91", 2, "\xef\xbc\x91" },	/* fullwidth 1 */
		{ "\xf0\x9f\x98\x80", 2, "\xf0\x9f\x98\x80" },	/* emoji */
		{ "\xea\xb0\x80", 2, "\xea\xb0\x80" },	/* Hangul */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_mixed(void **state)
{
	static const struct width_case cases[] = {
		{ "ZC01 " CJK, 15, "ZC01 " CJK },
		{ "a\xe8\xaf\xb8" "b", 4, "a\xe8\xaf\xb8" "b" },
		{ "\xc3\xa9t\xc3\xa9", 3, "\xc3\xa9t\xc3\xa9" },	/* été */
		{ "\xd0\x9c\xd0\xb8\xd1\x80", 3, "\xd0\x9c\xd0\xb8\xd1\x80" },
		{ "100" "\xe5\x85\x83", 5, "100" "\xe5\x85\x83" },	/* 100元 */
		{ ELL, 1, ELL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_combining(void **state)
{
	static const struct width_case cases[] = {
		{ "e" ACUTE, 1, "e" ACUTE },
		{ "cafe" ACUTE, 4, "cafe" ACUTE },
		{ "e" ACUTE ACUTE ACUTE, 1, "e" ACUTE ACUTE ACUTE },
		{ ACUTE, 0, ACUTE },
		{ "\xe8\xaf\xb8" ACUTE, 2, "\xe8\xaf\xb8" ACUTE },
		{ "a\xe2\x80\x8b" "b", 2, "a\xe2\x80\x8b" "b" },	/* ZWSP */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_invalid(void **state)
{
	static const struct width_case cases[] = {
		/* Lone bytes that can never start a character. */
		{ "\xff", 1, FFFD },
		{ "\xfe", 1, FFFD },
		{ "\xf5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD },
		{ "a\xff" "b", 3, "a" FFFD "b" },
		{ "\x80", 1, FFFD },			/* lone continuation */
		{ "\xbf\xbf", 2, FFFD FFFD },
		/* Sequences cut short, at the end or by another character. */
		{ "\xe8\xaf", 2, FFFD FFFD },
		{ "\xe8", 1, FFFD },
		{ "\xe8\xaf" "a", 3, FFFD FFFD "a" },
		{ "\xc3", 1, FFFD },
		{ "\xf0\x9f\x98", 3, FFFD FFFD FFFD },
		{ "\xe8" CJK, 11, FFFD CJK },
		/* Overlong encodings. */
		{ "\xc0\x80", 2, FFFD FFFD },		/* NUL */
		{ "\xc0\xaf", 2, FFFD FFFD },		/* '/' */
		{ "\xc1\xbf", 2, FFFD FFFD },
		{ "\xe0\x80\xaf", 3, FFFD FFFD FFFD },
		{ "\xe0\x9f\xbf", 3, FFFD FFFD FFFD },
		{ "\xf0\x80\x80\xaf", 4, FFFD FFFD FFFD FFFD },
		{ "\xf0\x8f\xbf\xbf", 4, FFFD FFFD FFFD FFFD },
		/* UTF-16 surrogates encoded in UTF-8. */
		{ "\xed\xa0\x80", 3, FFFD FFFD FFFD },	/* U+D800 */
		{ "\xed\xbf\xbf", 3, FFFD FFFD FFFD },	/* U+DFFF */
		{ "\xed\xa0\xbd\xed\xb8\x80", 6,
		    FFFD FFFD FFFD FFFD FFFD FFFD },	/* CESU-8 emoji */
		/* Beyond U+10FFFF. */
		{ "\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD },
		/* Valid neighbours of the refused ranges pass through. */
		{ "\xc2\xa9", 1, "\xc2\xa9" },		/* U+00A9 */
		{ "\xe0\xa4\x85", 1, "\xe0\xa4\x85" },	/* U+0905 */
		{ "\xee\x80\x80", 1, "\xee\x80\x80" },	/* U+E000 */
		{ "\xf0\x90\x80\x80", 1, "\xf0\x90\x80\x80" },	/* U+10000 */
		{ FFFD, 1, FFFD },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_control(void **state)
{
	static const struct width_case cases[] = {
		{ "\t", 1, "?" },
		{ "a\tb", 3, "a?b" },
		{ "\n", 1, "?" },
		{ "\r\n", 2, "??" },
		{ "\x1b[31mred\x1b[0m", 12, "?[31mred?[0m" },
		{ "\x7f", 1, "?" },
		{ "\x01\x1f", 2, "??" },
		{ "\xc2\x85", 1, "?" },			/* NEL */
		{ "\xc2\x9b" "2J", 3, "?2J" },		/* CSI */
		{ "\xe2\x80\xae" "abc", 4, "?abc" },	/* RLO */
		{ "\xe2\x81\xa6", 1, "?" },		/* LRI */
		{ "\xe2\x80\x8f", 1, "?" },		/* RLM */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

/* Valid characters wcwidth cannot measure are shown as U+FFFD. */
static void
test_width_unmeasurable(void **state)
{
	static const struct width_case cases[] = {
		{ "\xcd\xb8", 1, FFFD },		/* U+0378, unassigned */
		{ "\xe2\x80\xa8", 1, FFFD },		/* LINE SEPARATOR */
		{ "\xf4\x8f\xbf\xbf", 1, FFFD },	/* U+10FFFF */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_case(&cases[i]);
}

static void
test_width_strn(void **state)
{
	(void)state;
	assert_int_equal(width_strn("hello", 3), 3);
	assert_int_equal(width_strn(CJK, 6), 4);
	/* A character cut by len counts one column per byte left. */
	assert_int_equal(width_strn(CJK, 4), 3);
	assert_int_equal(width_strn(CJK, 5), 4);
	/* NULs inside len are control characters. */
	assert_int_equal(width_strn("a\0b", 3), 3);
}

static void
test_width_fit_zero(void **state)
{
	char out[16];

	(void)state;
	assert_fit("abc", 0, WIDTH_LEFT, "");
	assert_fit(CJK, 0, WIDTH_RIGHT, "");
	assert_fit("abc", -3, WIDTH_LEFT, "");
	memset(out, 'x', sizeof(out));
	assert_int_equal(width_fit(out, 1, "abc", 0, WIDTH_LEFT), 0);
	assert_string_equal(out, "");
}

static void
test_width_fit_pad(void **state)
{
	(void)state;
	assert_fit("abc", 3, WIDTH_LEFT, "abc");
	assert_fit("abc", 3, WIDTH_RIGHT, "abc");
	assert_fit("abc", 5, WIDTH_LEFT, "abc  ");
	assert_fit("abc", 5, WIDTH_RIGHT, "  abc");
	assert_fit("1,234.56", 12, WIDTH_RIGHT, "    1,234.56");
	assert_fit(CJK, 12, WIDTH_LEFT, CJK "  ");
	assert_fit(CJK, 12, WIDTH_RIGHT, "  " CJK);
	assert_fit("e" ACUTE, 3, WIDTH_LEFT, "e" ACUTE "  ");
	assert_fit("e" ACUTE, 3, WIDTH_RIGHT, "  e" ACUTE);
	assert_fit("a", 40, WIDTH_LEFT,
	    "a                                       ");
}

static void
test_width_fit_cut_ascii(void **state)
{
	(void)state;
	assert_fit("abcdef", 5, WIDTH_LEFT, "abcd" ELL);
	assert_fit("abcdef", 5, WIDTH_RIGHT, "abcd" ELL);
	assert_fit("abcdef", 2, WIDTH_LEFT, "a" ELL);
	assert_fit("abcdef", 1, WIDTH_LEFT, ELL);
	assert_fit("abcdef", 1, WIDTH_RIGHT, ELL);
	assert_fit("ab", 1, WIDTH_LEFT, ELL);
	assert_fit("a", 1, WIDTH_LEFT, "a");
	/* No ellipsis when the text fits exactly. */
	assert_fit("abcdef", 6, WIDTH_LEFT, "abcdef");
}

/*
 * 诸城分公司 at every width from 0 to 15: k = (cols - 1) / 2 whole
 * characters, the ellipsis, and a space where half a character would be.
 */
static void
test_width_fit_cjk_every_width(void **state)
{
	char want[64];
	int cols, k, pad;
	size_t o;

	(void)state;
	for (cols = 0; cols <= 15; cols++) {
		o = 0;
		if (cols >= 10) {
			pad = cols - 10;
			memcpy(want, CJK, strlen(CJK));
			o = strlen(CJK);
			memset(want + o, ' ', (size_t)pad);
			o += (size_t)pad;
		} else if (cols > 0) {
			k = (cols - 1) / 2;
			pad = (cols - 1) % 2;
			memcpy(want, CJK, (size_t)k * 3);
			o = (size_t)k * 3;
			memcpy(want + o, ELL, 3);
			o += 3;
			memset(want + o, ' ', (size_t)pad);
			o += (size_t)pad;
		}
		want[o] = '\0';
		assert_fit(CJK, cols, WIDTH_LEFT, want);
	}
	assert_fit(CJK, 9, WIDTH_RIGHT, "\xe8\xaf\xb8\xe5\x9f\x8e"
	    "\xe5\x88\x86\xe5\x85\xac" ELL);
	assert_fit(CJK, 8, WIDTH_RIGHT, " \xe8\xaf\xb8\xe5\x9f\x8e"
	    "\xe5\x88\x86" ELL);
	assert_fit(CJK, 2, WIDTH_RIGHT, " " ELL);
	assert_fit(CJK, 2, WIDTH_LEFT, ELL " ");
	assert_fit(CJK, 1, WIDTH_LEFT, ELL);
}

/* "ZC01 诸城分公司" (15 columns): every width, both alignments. */
static void
test_width_fit_mixed_every_width(void **state)
{
	const char *s = "ZC01 " CJK;
	char out[WIDTH_FIT_BUFSZ(20)];
	enum width_align a;
	size_t n;
	int cols;

	(void)state;
	for (a = WIDTH_LEFT; a <= WIDTH_RIGHT; a++)
		for (cols = 0; cols <= 20; cols++) {
			n = width_fit(out, sizeof(out), s, cols, a);
			assert_int_equal(n, strlen(out));
			assert_int_equal(width_str(out), cols);
			if (cols >= 15)
				assert_non_null(strstr(out, s));
			else if (cols > 0)
				assert_non_null(strstr(out, ELL));
		}
	assert_fit(s, 7, WIDTH_LEFT, "ZC01 " ELL " ");
	assert_fit(s, 8, WIDTH_LEFT, "ZC01 \xe8\xaf\xb8" ELL);
	assert_fit(s, 7, WIDTH_RIGHT, " ZC01 " ELL);
}

static void
test_width_fit_combining(void **state)
{
	(void)state;
	assert_fit("e" ACUTE, 1, WIDTH_LEFT, "e" ACUTE);
	assert_fit("e" ACUTE "x", 2, WIDTH_LEFT, "e" ACUTE "x");
	assert_fit("e" ACUTE "x", 1, WIDTH_LEFT, ELL);
	/* Marks stay with a kept base character... */
	assert_fit("ab" ACUTE "cd", 3, WIDTH_LEFT, "ab" ACUTE ELL);
	/* ...and go with a dropped one. */
	assert_fit("ab" ACUTE "cd", 2, WIDTH_LEFT, "a" ELL);
	assert_fit("\xe8\xaf\xb8" ACUTE "x", 2, WIDTH_LEFT, ELL " ");
}

static void
test_width_fit_sanitizes(void **state)
{
	(void)state;
	assert_fit("a\tb", 5, WIDTH_LEFT, "a?b  ");
	assert_fit("\xff", 2, WIDTH_LEFT, FFFD " ");
	assert_fit("\xff\xfe\xfd", 2, WIDTH_RIGHT, FFFD ELL);
	assert_fit("\x1b[2J", 4, WIDTH_LEFT, "?[2J");
	assert_fit("\x1b[2J", 3, WIDTH_LEFT, "?[" ELL);
	assert_fit("\xe2\x80\xae" "evil", 5, WIDTH_LEFT, "?evil");
}

/*
 * Below cols + 3 bytes width_fit refuses ("" and 0); from there on it
 * always gives exactly cols columns, cutting earlier if bytes run out.
 */
static void
test_width_fit_small_buffer(void **state)
{
	char out[64];
	size_t n, sz;
	int cols;

	(void)state;
	for (sz = 1; sz < 8; sz++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(width_fit(out, sz, "abcd", 5, WIDTH_LEFT), 0);
		assert_string_equal(out, "");
		assert_int_equal(out[1], 'x');	/* nothing past the NUL */
	}
	/* Exactly cols + 3: plain text that fits is whole. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(width_fit(out, 9, "abcdef", 6, WIDTH_LEFT), 6);
	assert_string_equal(out, "abcdef");
	assert_int_equal(width_fit(out, 9, "abcdefgh", 6, WIDTH_LEFT), 8);
	assert_string_equal(out, "abcde" ELL);
	assert_int_equal(width_fit(out, 3, "", 0, WIDTH_LEFT), 0);
	/* CJK takes 3 bytes for 2 columns: a tight buffer cuts earlier. */
	for (cols = 1; cols <= 12; cols++)
		for (sz = (size_t)cols + 3; sz <= WIDTH_FIT_BUFSZ(cols); sz++) {
			memset(out, 'x', sizeof(out));
			n = width_fit(out, sz, CJK, cols, WIDTH_LEFT);
			assert_true(n < sz);
			assert_int_equal(n, strlen(out));
			assert_int_equal(width_str(out), cols);
			assert_int_equal(out[sz], 'x');	/* within outsz */
		}
	/*
	 * In 13 bytes each kept character costs one byte more than the two
	 * spaces it replaces, so nothing of the text is left; the result is
	 * still exactly 10 columns.
	 */
	memset(out, 'x', sizeof(out));
	assert_int_equal(width_fit(out, 13, CJK, 10, WIDTH_LEFT), 12);
	assert_string_equal(out, ELL "         ");
	assert_int_equal(width_fit(out, 16, CJK, 10, WIDTH_LEFT), 15);
	assert_string_equal(out, CJK);
	assert_int_equal(width_fit(out, 15, CJK, 10, WIDTH_RIGHT), 14);
	assert_string_equal(out, "     \xe8\xaf\xb8\xe5\x9f\x8e" ELL);
	/* WIDTH_FIT_BUFSZ is enough for bad bytes, the widest rendering. */
	memset(out, 'x', sizeof(out));
	n = width_fit(out, WIDTH_FIT_BUFSZ(4), "\xff\xff\xff\xff", 4,
	    WIDTH_LEFT);
	assert_int_equal(n, 12);
	assert_string_equal(out, FFFD FFFD FFFD FFFD);
}

/* A flood of combining marks fits in columns but not in bytes. */
static void
test_width_fit_mark_flood(void **state)
{
	char s[2 + 200 * 2], out[WIDTH_FIT_BUFSZ(3)], *san;
	size_t i, n;

	(void)state;
	s[0] = 'e';
	for (i = 0; i < 200; i++)
		memcpy(s + 1 + 2 * i, ACUTE, 2);
	s[1 + 400] = '\0';
	assert_int_equal(width_str(s), 1);
	san = width_sanitize(s);
	assert_string_equal(san, s);
	free(san);
	memset(out, 'x', sizeof(out));
	n = width_fit(out, sizeof(out), s, 3, WIDTH_LEFT);
	assert_int_equal(n, strlen(out));
	assert_true(n < sizeof(out));
	assert_int_equal(width_str(out), 3);
	assert_int_equal(out[0], 'e');
	assert_non_null(strstr(out, ELL " "));
}

/*
 * Random bytes (fixed seed), biased towards UTF-8 lead and continuation
 * bytes: every fit is exactly cols wide, within the buffer, and already
 * sanitized; sanitizing never changes the width.
 */
static void
test_width_fit_random(void **state)
{
	uint64_t seed = UINT64_C(0x7769647468);	/* "width" */
	static const unsigned char pick[] = {
		'a', 'Z', ' ', '\t', 0x1b, 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xcc,
		0xe0, 0xe8, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xff, 0x81, 0x9f,
		0xa0, 0xaf, 0xb8,
	};
	char s[33], out[WIDTH_FIT_BUFSZ(24)], *san, *san2;
	size_t len, i, n;
	enum width_align a;
	int iter, cols;
	uint64_t r;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = test_width_rand(&seed) % 32;
		for (i = 0; i < len; i++) {
			r = test_width_rand(&seed);
			if (r & 1)
				s[i] = (char)pick[(r >> 1) % sizeof(pick)];
			else
				s[i] = (char)(1 + (r >> 1) % 255);
		}
		s[len] = '\0';
		cols = (int)(test_width_rand(&seed) % 25);
		a = (test_width_rand(&seed) & 1) ? WIDTH_RIGHT : WIDTH_LEFT;

		san = width_sanitize(s);
		assert_int_equal(width_str(san), width_str(s));
		san2 = width_sanitize(san);
		assert_string_equal(san2, san);
		free(san2);
		free(san);

		memset(out, 'x', sizeof(out));
		n = width_fit(out, sizeof(out), s, cols, a);
		assert_true(n < sizeof(out));
		assert_int_equal(n, strlen(out));
		assert_int_equal(width_str(out), cols);
		san = width_sanitize(out);
		assert_string_equal(san, out);
		free(san);
		if (width_str(s) <= cols && strstr(s, ELL) == NULL)
			assert_null(strstr(out, ELL));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_null_and_empty),
		cmocka_unit_test(test_width_decode),
		cmocka_unit_test(test_width_ascii),
		cmocka_unit_test(test_width_cjk),
		cmocka_unit_test(test_width_mixed),
		cmocka_unit_test(test_width_combining),
		cmocka_unit_test(test_width_invalid),
		cmocka_unit_test(test_width_control),
		cmocka_unit_test(test_width_unmeasurable),
		cmocka_unit_test(test_width_strn),
		cmocka_unit_test(test_width_fit_zero),
		cmocka_unit_test(test_width_fit_pad),
		cmocka_unit_test(test_width_fit_cut_ascii),
		cmocka_unit_test(test_width_fit_cjk_every_width),
		cmocka_unit_test(test_width_fit_mixed_every_width),
		cmocka_unit_test(test_width_fit_combining),
		cmocka_unit_test(test_width_fit_sanitizes),
		cmocka_unit_test(test_width_fit_small_buffer),
		cmocka_unit_test(test_width_fit_mark_flood),
		cmocka_unit_test(test_width_fit_random),
	};

	return cmocka_run_group_tests_name("width", tests, test_width_setup,
	    NULL);
}
