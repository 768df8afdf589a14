/*
 * test_event_diff.c — event_parse against its reference, the jansson-based
 * parser it replaced (tests/fuzz/event_ref.c): for every input, the same
 * answer, the same fields, the same reason unless the line is not JSON.
 *
 * The inputs: a list of edge cases; the fuzz corpus (tests/fuzz/corpus/
 * event, or FF_CORPUS), each file whole, cut at every length and with
 * every byte replaced by a few telling ones (see diff_near for long
 * files); and a seeded stream of generated lines: half of them clean
 * events built only from right parts, half noisy ones where any part may
 * be wrong and a quarter are then mutated byte-wise, with now and then
 * nesting near the depth limit, objects with hundreds of keys, numbers
 * near a double's overflow.  FF_DIFF_SEED and FF_DIFF_COUNT change the
 * stream (a failure prints its seed, input number and bytes).
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/event.h"
#include "tests/fuzz/event_ref.h"

#define DIFF_SEED	20261126u
#define DIFF_COUNT	40000
#define DIFF_LINE_MAX	(64 * 1024)

/* A line being generated: bytes appended up to DIFF_LINE_MAX. */
struct gen {
	char buf[DIFF_LINE_MAX];
	size_t n;
};

/* What the runs met, to show the stream covers both answers. */
struct tally {
	long runs, accepted, not_json, refused;
};

/* The kinds of string contents gen_text makes. */
enum { GEN_TEXT, GEN_ANY };

static uint64_t diff_rng;
/* Whether the line being made may go wrong: a clean line is made only of
 * parts that are right, so that about half the stream is accepted. */
static int gen_noisy;
/* Keys used so far on a clean line (they are all different). */
static unsigned gen_keys;

static uint64_t	diff_rand(void);
static size_t	diff_pick(size_t);
static int	diff_near(size_t, size_t);
static void	diff_check(const char *, size_t, struct tally *, const char *,
		    long);
static void	gen_put(struct gen *, const char *, size_t);
static void	gen_puts(struct gen *, const char *);
static void	gen_ws(struct gen *);
static void	gen_string(struct gen *, int);
static void	gen_text(struct gen *, size_t, int);
static void	gen_number(struct gen *);
static void	gen_number_text(struct gen *);
static void	gen_limit_number(struct gen *);
static void	gen_value(struct gen *, int);
static void	gen_deep(struct gen *);
static void	gen_many_keys(struct gen *, int);
static void	gen_key(struct gen *, int);
static void	gen_field(struct gen *, int);
static void	gen_event(struct gen *);
static void	gen_mutate(struct gen *);

static void	test_edges(void **);
static void	test_corpus(void **);
static void	test_generated(void **);

static uint64_t
diff_rand(void)
{
	diff_rng ^= diff_rng << 13;
	diff_rng ^= diff_rng >> 7;
	diff_rng ^= diff_rng << 17;
	return diff_rng;
}

/* A number in [0, n). */
static size_t
diff_pick(size_t n)
{
	return (size_t)(diff_rand() % n);
}

/*
 * Fails the test, showing the line, when event_parse and the reference
 * disagree on line[0..len); counts the outcome.
 */
static void
diff_check(const char *line, size_t len, struct tally *t, const char *from,
    long no)
{
	struct event ev;
	char why[1024], reason[256], shown[600];
	size_t i, o = 0;

	t->runs++;
	if (event_ref_compare(line, len, why, sizeof(why)) != 0) {
		for (i = 0; i < len && o + 5 < sizeof(shown); i++) {
			unsigned char c = (unsigned char)line[i];

			if (c >= 0x20 && c < 0x7f && c != '\\')
				shown[o++] = (char)c;
			else
				o += (size_t)snprintf(shown + o, sizeof(shown) - o,
				    "\\x%02x", c);
		}
		shown[o] = '\0';
		fail_msg("%s, input %ld (%zu bytes): %s\n  line: %s%s", from, no,
		    len, why, shown, i < len ? "..." : "");
	}
	if (event_parse(line, len, &ev, reason, sizeof(reason)) == 0)
		t->accepted++;
	else if (strncmp(reason, "not valid JSON", 14) == 0)
		t->not_json++;
	else
		t->refused++;
}

static void
gen_put(struct gen *g, const char *s, size_t n)
{
	if (n > sizeof(g->buf) - g->n)
		n = sizeof(g->buf) - g->n;
	memcpy(g->buf + g->n, s, n);
	g->n += n;
}

static void
gen_puts(struct gen *g, const char *s)
{
	gen_put(g, s, strlen(s));
}

/* Picks one of the first (clean line) or of all (noisy) of list a. */
#define GEN_PICK(a, clean) \
	((a)[diff_pick(gen_noisy ? sizeof(a) / sizeof((a)[0]) : (clean))])

/* Mostly nothing; sometimes JSON whitespace; rarely something that is
 * not (noisy). */
static void
gen_ws(struct gen *g)
{
	static const char *const ws[] = { " ", "\t", "\n", "\r", "  \t ",
	    " \r\n " };
	static const char *const not_ws[] = { "\f", "\v", "\xc2\xa0" };
	size_t k;

	if (diff_pick(4) != 0)
		return;
	if (gen_noisy && diff_pick(100) == 0) {
		if ((k = diff_pick(4)) == 3)
			gen_put(g, "", 1);	/* a NUL byte */
		else
			gen_puts(g, not_ws[k]);
	} else
		gen_puts(g, ws[diff_pick(sizeof(ws) / sizeof(ws[0]))]);
}

/*
 * pieces pieces of string contents: text fit for a reference (GEN_TEXT),
 * or with control characters too (GEN_ANY); on a noisy line, now and then
 * something that is not a valid string at all.
 */
static void
gen_text(struct gen *g, size_t pieces, int kind)
{
	static const char *const text[] = { "a", "Z", "0", "-", " ", ".",
	    "ORD-", "\xe8\xaf\xb8", "\xc3\xa9", "\xf0\x9f\x92\xb0", "\\\"",
	    "\\\\", "\\/", "\\u0041", "\\u00e9", "\\u00E9", "\\u4e2d",
	    "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\u0031", "\\u002e",
	    "\\u002B", "\\u002d", "\\uffff", "\\u0800", "\\u00a0" };
	static const char *const controls[] = { "\x7f", "\\n", "\\b", "\\f",
	    "\\r", "\\t", "\\u001f", "\\u007f", "\\u009b", "\\u0080",
	    "\xc2\x85" };
	static const char *const wrong[] = { "\\ud83d", "\\ude00",
	    "\\ud83d\\u0041", "\\ud83dx", "\\u0000", "\\x", "\\u12",
	    "\\uZZZZ", "\\", "\x01", "\t", "\n", "\xff", "\xc0\xaf",
	    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xb8", "\x80",
	    "\\ud800\\udbff", "\\U0041", "\\'", "\xf8\x88\x80\x80\x80" };
	size_t i;
	char c;

	for (i = 0; i < pieces; i++) {
		if (gen_noisy && diff_pick(40) == 0)
			gen_puts(g, wrong[diff_pick(sizeof(wrong) /
			    sizeof(wrong[0]))]);
		else if (kind == GEN_ANY && diff_pick(8) == 0)
			gen_puts(g, controls[diff_pick(sizeof(controls) /
			    sizeof(controls[0]))]);
		else if (diff_pick(3) == 0)
			gen_puts(g, text[diff_pick(sizeof(text) /
			    sizeof(text[0]))]);
		else {
			c = "abcdefxyzABCXYZ0123456789-_."[diff_pick(28)];
			gen_put(g, &c, 1);
		}
	}
}

/* A string value of a few pieces. */
static void
gen_string(struct gen *g, int kind)
{
	gen_puts(g, "\"");
	gen_text(g, diff_pick(3) == 0 ? diff_pick(40) : diff_pick(8), kind);
	gen_puts(g, "\"");
}

/*
 * A number near the overflow of a double: the digits of 2^1024 - 2^970
 * (or of DBL_MAX), cut, nudged, spelt with the point and the exponent
 * anywhere.
 */
static void
gen_limit_number(struct gen *g)
{
	static const char limit[] =
	    "17976931348623158079372897140530341507993413271003782693617377"
	    "89804449682927647509466490179775872070963302864166928879109465"
	    "55547851940402630657488671505820681908902000708383676273854845"
	    "81771153176447573027006985557136695962284291481986083493647529"
	    "2719074168444365510704342711559699508093042880177904174497792";
	static const char dblmax[] =
	    "17976931348623157081452742373170435679807056752584499659891747"
	    "68031572607800285387605895586327668781715404589535143824642343"
	    "21326889464182768467546703537516986049910576551282076245490090"
	    "38932894407586850845513394230458323690322294816580855933212334"
	    "8274797826204144723168738177180919299881250404026184124858368";
	char digits[400], buf[900];
	const char *from = diff_pick(2) ? limit : dblmax;
	size_t nd, point, zeros, i, o = 0;
	long e;

	nd = 1 + diff_pick(diff_pick(2) ? 20 : 330);
	for (i = 0; i < nd; i++)
		digits[i] = i < sizeof(limit) - 1 ? from[i] : diff_pick(3) ?
		    '0' : (char)('0' + diff_pick(10));
	if (diff_pick(3) == 0) {	/* nudge one digit */
		i = diff_pick(nd);
		digits[i] = (char)('0' + (digits[i] - '0' + (diff_pick(2) ? 1 :
		    9)) % 10);
		if (digits[0] == '0')
			digits[0] = '1';
	}
	/*
	 * The value is 0.digits times 10^q, q = 309 give or take one,
	 * written "0.000digits" (then the exponent is q + zeros) or with
	 * the point after point digits (then it is q - point).
	 */
	zeros = diff_pick(4) == 0 ? diff_pick(5) : 0;
	point = diff_pick(nd + 1);
	if (diff_pick(2))
		buf[o++] = '-';
	if (zeros > 0 || point == 0) {
		memcpy(buf + o, "0.", 2);
		o += 2;
		memset(buf + o, '0', zeros);
		o += zeros;
		memcpy(buf + o, digits, nd);
		o += nd;
		point = 0;
	} else {
		memcpy(buf + o, digits, point);
		o += point;
		if (point < nd || diff_pick(2)) {
			buf[o++] = '.';
			memcpy(buf + o, digits + point, nd - point);
			o += nd - point;
			if (point == nd)
				buf[o++] = '0';
		}
	}
	e = 309 + (long)zeros - (long)point + (long)diff_pick(3) - 1;
	if (e != 0 || diff_pick(2))
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%ld",
		    diff_pick(2) ? "e" : "E", e);
	gen_put(g, buf, o);
}

/*
 * A JSON number (on a noisy line, or something that nearly is one, and
 * sometimes a NUL byte after it, which jansson let pass and both parsers
 * now refuse).
 */
static void
gen_number(struct gen *g)
{
	gen_number_text(g);
	if (gen_noisy && diff_pick(20) == 0)
		gen_put(g, "", 1);
}

/* The text of a number for gen_number. */
static void
gen_number_text(struct gen *g)
{
	static const char *const fixed[] = { "0", "-0", "1", "-1", "16",
	    "2147483647", "2147483648", "-2147483648", "4294967297",
	    "9223372036854775807", "-9223372036854775808", "1.0", "1e0",
	    "1E2", "1.5e1", "-0.0", "0.07", "125.5", "125.50", "1.234",
	    "1e308", "1e-400", "0e99999999999999999999", "1e-99999999999",
	    "1.7976931348623157e308", "1.7976931348623158e308",
	    /* The rest are not JSON, or too big for jansson. */
	    "9223372036854775808", "-9223372036854775809",
	    "99999999999999999999", "1e309", "-1e309", "0.1e310",
	    "1e99999999999999999999", "00", "01", "-01", "-", "1.", ".5",
	    "1e", "1e+", "1E-", "+1", "0x10", "1.5.5", "1-2", "NaN",
	    "Infinity", "1.7976931348623159e308" };
	char buf[64];
	int k, i;

	switch (diff_pick(gen_noisy ? 6 : 4)) {
	case 0:
		gen_puts(g, GEN_PICK(fixed, 26));
		return;
	case 1:		/* an integer of any length (to 18 digits, clean) */
		k = 1 + (int)diff_pick(gen_noisy ? 24 : 18);
		if (diff_pick(4) == 0)
			gen_puts(g, "-");
		buf[0] = (char)('1' + diff_pick(9));
		for (i = 1; i < k; i++)
			buf[i] = (char)('0' + diff_pick(10));
		gen_put(g, buf, (size_t)k);
		return;
	case 4:
	case 5:
		gen_limit_number(g);
		return;
	default:	/* a decimal, maybe with an exponent */
		k = snprintf(buf, sizeof(buf), "%s%u", diff_pick(6) == 0 ? "-" :
		    "", (unsigned)diff_pick(diff_pick(2) ? 1000 : 100000000));
		gen_put(g, buf, (size_t)k);
		if (diff_pick(2)) {
			k = snprintf(buf, sizeof(buf), ".%0*u",
			    1 + (int)diff_pick(3), (unsigned)diff_pick(1000));
			gen_put(g, buf, (size_t)k);
		}
		if (diff_pick(4) == 0) {
			k = snprintf(buf, sizeof(buf), "%s%s%d",
			    diff_pick(2) ? "e" : "E", diff_pick(3) == 0 ? "+" :
			    diff_pick(2) ? "-" : "", (int)diff_pick(gen_noisy ?
			    400 : 290));
			gen_put(g, buf, (size_t)k);
		}
		return;
	}
}

/* Any JSON value (or, noisy, a near miss), nested at most depth more. */
static void
gen_value(struct gen *g, int depth)
{
	static const char *const words[] = { "true", "false", "null", "tru",
	    "nul", "True", "nulll", "falsey", "t", "n" };
	size_t i, k;

	switch (diff_pick(depth > 0 ? 7 : 4)) {
	case 0:
		gen_string(g, GEN_ANY);
		return;
	case 1:
		gen_number(g);
		return;
	case 2:
		gen_puts(g, GEN_PICK(words, 3));
		return;
	case 3:
		gen_string(g, GEN_TEXT);
		return;
	case 4:
	case 5:		/* an object */
		gen_puts(g, "{");
		k = diff_pick(5);
		for (i = 0; i < k; i++) {
			if (i > 0)
				gen_puts(g, gen_noisy && diff_pick(60) == 0 ?
				    "" : ",");
			gen_ws(g);
			gen_key(g, 0);
			gen_ws(g);
			gen_puts(g, gen_noisy && diff_pick(80) == 0 ? "" : ":");
			gen_ws(g);
			gen_value(g, depth - 1);
			gen_ws(g);
		}
		gen_puts(g, !gen_noisy || diff_pick(60) ? "}" :
		    diff_pick(2) ? ",}" : "");
		return;
	default:	/* an array */
		gen_puts(g, "[");
		k = diff_pick(5);
		for (i = 0; i < k; i++) {
			if (i > 0)
				gen_puts(g, gen_noisy && diff_pick(60) == 0 ?
				    "" : ",");
			gen_ws(g);
			gen_value(g, depth - 1);
			gen_ws(g);
		}
		gen_puts(g, !gen_noisy || diff_pick(60) ? "]" :
		    diff_pick(2) ? ",]" : "}");
		return;
	}
}

/* Nesting about as deep as jansson allowed (2048 values). */
static void
gen_deep(struct gen *g)
{
	size_t depth = 2040 + diff_pick(12), i;
	int objects = (int)diff_pick(3);
	char closers[2100];

	for (i = 0; i < depth; i++) {
		if (objects == 1 || (objects == 2 && diff_pick(2))) {
			gen_puts(g, "{\"k\":");
			closers[i] = '}';
		} else {
			gen_puts(g, "[");
			closers[i] = ']';
		}
	}
	/* Innermost: nothing, or a value (one level more). */
	if (closers[depth - 1] == ']' && diff_pick(2))
		gen_puts(g, diff_pick(2) ? "1" : "[]");
	else if (closers[depth - 1] == '}')
		gen_puts(g, diff_pick(2) ? "0" : "{}");
	for (i = depth; i > 0; i--)
		gen_put(g, &closers[i - 1], 1);
}

/*
 * An object with more keys than event_parse holds at once (so that its
 * filter answers), some of them repeated; with nest, some hold another.
 */
static void
gen_many_keys(struct gen *g, int nest)
{
	size_t k = 40 + diff_pick(400), i, id, range = k * (1 + diff_pick(40));
	char buf[64];
	int len;

	gen_puts(g, "{");
	for (i = 0; i < k; i++) {
		id = diff_pick(range);
		if (i > 0)
			gen_puts(g, ",");
		if (diff_pick(20) == 0)		/* the same, escaped */
			len = snprintf(buf, sizeof(buf), "\"\\u006b%zu\":", id);
		else
			len = snprintf(buf, sizeof(buf), "\"k%zu\":", id);
		gen_put(g, buf, (size_t)len);
		if (nest && diff_pick(60) == 0)
			gen_many_keys(g, 0);
		else
			gen_puts(g, diff_pick(2) ? "1" : "{\"k1\":[]}");
	}
	gen_puts(g, "}");
}

/*
 * A key: on a clean line, one not used before on it (unless top, a
 * member's name, maybe escaped); on a noisy line, anything.
 */
static void
gen_key(struct gen *g, int top)
{
	static const char *const keys[] = { "x", "y", "note", "amounts",
	    "Amount", "ab", "a\\u0062", "\\u0061b", "", "\xc3\xa9",
	    "\\u00e9", "\\u00E9", "\xf0\x9f\x98\x80", "\\ud83d\\ude00",
	    "k\\u0000", "\\n", "\\u000a", "a\\\"b", "a\\\\b", "\\/",
	    "/", "branch ", "BRANCH", "\\u0000" };
	static const char *const names[] = { "branch", "buss_type", "ref_id",
	    "amount", "event_id", "occurred_at", "\\u0061mount",
	    "am\\u006Fu\\u006et", "\\u0062ranch", "buss\\u005ftype",
	    "ref\\u005Fid", "event\\u005fid", "occurred\\u005fat",
	    "\\u0072\\u0065\\u0066\\u005f\\u0069\\u0064" };
	char buf[32];

	gen_puts(g, "\"");
	if (top && gen_noisy && diff_pick(3) != 0)
		gen_puts(g, names[diff_pick(sizeof(names) / sizeof(names[0]))]);
	else if (!gen_noisy) {
		snprintf(buf, sizeof(buf), "%s%u", diff_pick(4) ? "k" :
		    "\\u006b", gen_keys++);
		gen_puts(g, buf);
	} else if (diff_pick(4) == 0)
		gen_text(g, diff_pick(4), GEN_ANY);
	else
		gen_puts(g, keys[diff_pick(sizeof(keys) / sizeof(keys[0]))]);
	gen_puts(g, "\"");
}

/* A value for member f of an event: right on a clean line. */
static void
gen_field(struct gen *g, int f)
{
	static const char *const branches[] = { "ZC01", "A", "zc_01.b-2",
	    "ABCDEFGHIJKLMNOP", "Z\\u0043\\u0030\\u0031", "\\u005a",
	    "ABCDEFGHIJKLMNO\\u0050",
	    /* wrong */
	    "ABCDEFGHIJKLMNOPQ", "ZC 01", "ZC01;", "\xe8\xaf\xb8\xe5\x9f\x8e",
	    "", "ZC01\\n", "ABCDEFGHIJKLMNOP\\u0051", "Z\\u00e9" };
	static const char *const amounts[] = { "125.00", "0.01", "1", "100",
	    "0.5", "1234.56", "92233720368547758.07", "\\u0031\\u0032.5",
	    "1\\u002e50",
	    /* wrong */
	    "0", "0.00", "-5", "-0", "-5.00", "-0.00",
	    "1.234", "1e2", "", " 1", "1 ", "+1", "1.", ".5", "1,000.00",
	    "012", "\xc2\xa5" "12", "NaN", "0x10", "92233720368547758.08",
	    "99999999999999999999999999999", "\\u0031\\u0032.555",
	    "-\\u0031", "\\u0030", "1\\n", "\\u0661" };
	static const char *const times[] = { "2018-06-06T08:47:43+08:00",
	    "2018-06-06T00:47:43Z", "2018-06-06T00:47:43.5Z",
	    "2018-06-06T00:47:43.123456789-05:30", "2020-02-29T23:59:59+00:00",
	    "2018-06-06T08:47:43\\u002B08:00", "2018-06-06T08:47:43\\u005a",
	    "2018-06-06T00:47:43.12345678Z",
	    /* wrong */
	    "2018-02-30T08:00:00Z", "2018-06-06 08:47:43", "yesterday", "",
	    "2018-06-06T00:47:43.1234567890123456789012345Z",
	    "2018-06-06T08:47:43+08:00\\n" };
	static const char *const types[] = { "1", "16", "8", "2147483647",
	    /* wrong */
	    "2147483648", "0", "-1", "-0", "1.0", "1e0", "\"1\"", "true",
	    "null", "9223372036854775807", "99999999999999999999", "[1]",
	    "{}", "0010", "1.5", "4294967297" };
	size_t i, k;

	if (gen_noisy && diff_pick(10) == 0) {	/* any kind of value */
		gen_value(g, 2);
		return;
	}
	switch (f) {
	case 0:
		gen_puts(g, "\"");
		gen_puts(g, GEN_PICK(branches, 7));
		gen_puts(g, "\"");
		return;
	case 1:
		gen_puts(g, GEN_PICK(types, 4));
		return;
	case 3:
		if (diff_pick(3) == 0) {
			if (gen_noisy)
				gen_number(g);
			else
				gen_puts(g, diff_pick(2) ? "125" : "0.07");
			return;
		}
		gen_puts(g, "\"");
		if (gen_noisy && diff_pick(6) == 0) {	/* long, escaped */
			k = 10 + diff_pick(90);
			if (diff_pick(3) == 0)
				gen_puts(g, "-");
			for (i = 0; i < k; i++)
				gen_puts(g, diff_pick(2) ? "\\u0039" : "9");
			if (diff_pick(2))
				gen_puts(g, diff_pick(2) ? ".5" : ".\\u0035x");
		} else
			gen_puts(g, GEN_PICK(amounts, 9));
		gen_puts(g, "\"");
		return;
	case 5:
		gen_puts(g, "\"");
		gen_puts(g, GEN_PICK(times, 8));
		gen_puts(g, "\"");
		return;
	default:	/* ref_id, event_id: near their length limit or not */
		gen_puts(g, "\"");
		switch (diff_pick(6)) {
		case 0:
			k = 124 + diff_pick(gen_noisy ? 8 : 5);
			for (i = 0; i < k; i++)
				gen_puts(g, "r");
			break;
		case 1:
			k = 39 + diff_pick(gen_noisy ? 6 : 4);	/* 3 bytes each */
			for (i = 0; i < k; i++)
				gen_puts(g, diff_pick(4) ? "\xe8\xaf\xb8" :
				    "\\u8bf8");
			break;
		default:
			gen_text(g, 1 + diff_pick(12), gen_noisy &&
			    diff_pick(3) == 0 ? GEN_ANY : GEN_TEXT);
			break;
		}
		gen_puts(g, "\"");
		return;
	}
}

/* One line: mostly an event, right (clean) or nearly (noisy). */
static void
gen_event(struct gen *g)
{
	static const char *const names[] = { "branch", "buss_type", "ref_id",
	    "amount", "event_id", "occurred_at" };
	static const char *const ends[] = { "", "\r", "\r\r", " \r", "\n",
	    "\t",
	    /* wrong */
	    "x", "}", "{}", ",", "\xef\xbb\xbf", "\\" };
	size_t i, j, t, k, order[12];
	int fields[12], f;

	g->n = 0;
	gen_keys = 0;
	gen_noisy = (int)diff_pick(2);
	switch (diff_pick(100)) {
	case 0:
		gen_deep(g);
		return;
	case 1:
	case 2:
		gen_many_keys(g, 1);
		return;
	case 3:
	case 4:
		gen_value(g, 3);
		return;
	case 5:
		if (gen_noisy)
			gen_puts(g, "\xef\xbb\xbf");
		break;
	default:
		break;
	}
	gen_ws(g);
	gen_puts(g, "{");
	/* The members: required ones there (clean) or mostly, others
	 * sometimes; each once (clean) or now and then twice. */
	k = 0;
	for (i = 0; i < 6; i++)
		if (i >= 4 ? diff_pick(2) == 0 : !gen_noisy || diff_pick(12))
			fields[k++] = (int)i;
	while (diff_pick(3) == 0 && k < 10)
		fields[k++] = -1;	/* another member */
	if (gen_noisy && diff_pick(15) == 0 && k > 0 && k < 12) {
		fields[k] = fields[diff_pick(k)];
		k++;
	}
	for (i = 0; i < k; i++)
		order[i] = i;
	for (i = k; i > 1; i--) {
		j = diff_pick(i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < k; i++) {
		f = fields[order[i]];
		if (i > 0)
			gen_puts(g, gen_noisy && diff_pick(100) == 0 ? "" : ",");
		gen_ws(g);
		if (f < 0)
			gen_key(g, 1);
		else {
			gen_puts(g, "\"");
			gen_puts(g, diff_pick(20) == 0 && f == 3 ?
			    "\\u0061mount" : names[f]);
			gen_puts(g, "\"");
		}
		gen_ws(g);
		gen_puts(g, gen_noisy && diff_pick(150) == 0 ? "" : ":");
		gen_ws(g);
		if (f < 0)
			gen_value(g, 3);
		else
			gen_field(g, f);
		gen_ws(g);
	}
	if (gen_noisy && diff_pick(100) == 0)
		gen_puts(g, ",");
	gen_puts(g, gen_noisy && diff_pick(150) == 0 ? "" : "}");
	gen_ws(g);
	if (diff_pick(10) == 0)
		gen_puts(g, GEN_PICK(ends, 6));
	if (gen_noisy && diff_pick(4) == 0)
		gen_mutate(g);
}

/* A few random byte-wise changes, as the fuzz replay makes. */
static void
gen_mutate(struct gen *g)
{
	static const char *const tokens[] = { "\"", "\\", "\\u0000", "{",
	    "}", "[", "]", ",", ":", ".", "-", "0", "9", "e", "\xff", "\xc3",
	    "\xe4\xb8\xad", "null", "true", "1e999", "99999999999999999999",
	    "\"amount\"", "\"branch\"", "\\ud800", "\\udc00", "\n", "\r",
	    "\t", " " };
	int rounds = 1 + (int)diff_pick(3), r;
	size_t at, k;
	const char *t;

	for (r = 0; r < rounds && g->n > 0; r++) {
		at = diff_pick(g->n + 1);
		switch (diff_pick(5)) {
		case 0:
			g->buf[at % g->n] ^= (char)(1u << diff_pick(8));
			break;
		case 1:
			if (g->n < sizeof(g->buf)) {
				memmove(g->buf + at + 1, g->buf + at, g->n - at);
				g->buf[at] = (char)diff_rand();
				g->n++;
			}
			break;
		case 2:
			k = g->n > at ? 1 + diff_pick(g->n - at) : 0;
			if (k > 4)
				k = 4;
			memmove(g->buf + at, g->buf + at + k, g->n - at - k);
			g->n -= k;
			break;
		case 3:
			t = tokens[diff_pick(sizeof(tokens) / sizeof(tokens[0]))];
			k = strlen(t);
			if (g->n + k <= sizeof(g->buf)) {
				memmove(g->buf + at + k, g->buf + at, g->n - at);
				memcpy(g->buf + at, t, k);
				g->n += k;
			}
			break;
		default:
			g->n = at;
			break;
		}
	}
}

/* Inputs picked by hand at the edges of each rule. */
static void
test_edges(void **state)
{
	static const char *const edges[] = {
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":1.7976931348623157e308}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":1.7976931348623158e308}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":1.797693134862315807937289714053034150799341"
		    "327100378269361737789804449682927647509466490179775872070"
		    "963302864166928879109465555478519404026306574886715058206"
		    "819089020007083836762738548458177115317644757302700698555"
		    "713669596228429148198608349364752927190741684443655107043"
		    "42711559699508093042880177904174497791e308}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":1.797693134862315807937289714053034150799341"
		    "327100378269361737789804449682927647509466490179775872070"
		    "963302864166928879109465555478519404026306574886715058206"
		    "819089020007083836762738548458177115317644757302700698555"
		    "713669596228429148198608349364752927190741684443655107043"
		    "42711559699508093042880177904174497792e308}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":0.00000000000000017976931348623158e324}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":-1e-99999999999999999999999}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":0e99999999999999999999999}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":-9223372036854775808,\"y\":9223372036854775807}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"x\":-9223372036854775809}",
		"{\"branch\":\"Z\",\"buss_type\":9223372036854775807,"
		    "\"ref_id\":\"R\",\"amount\":\"1\"}",
		"{\"branch\":\"Z\",\"buss_type\":-9223372036854775808,"
		    "\"ref_id\":\"R\",\"amount\":\"1\"}",
		"{\"branch\":\"Z\",\"buss_type\":-0,\"ref_id\":\"R\","
		    "\"amount\":-0.0}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039"
		    "\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039"
		    "99999999999999999999999999999999999999999999999999999\"}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"-\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039"
		    "99999999999999999999999999999999999999999999999999999"
		    "999999999999.55\"}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"\\u0039\\u0039\\u0039\\u0039\\u0039\\u0039"
		    "99999999999999999999999999999999999999999999999999999"
		    "999999999999.555\"}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"\\u0030\\u0039\\u0039\\u0039\\u0039\\u0039"
		    "99999999999999999999999999999999999999999999999999999"
		    "999999999999\"}",
		"{\"\\u00e9\":1,\"\xc3\xa9\":2}",
		"{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}",
		"{\"a\\/b\":1,\"a/b\":2}",
		"{\"x\":{\"a\":1},\"y\":{\"a\":1},\"a\":1}",
		"{\"x\":{\"a\":1,\"b\":{\"a\":2},\"a\":3}}",
		"{\"k\\u0000\":1}",
		"{\"\":1,\"\":2}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\",\"amount\":"
		    "\"1\",\"occurred_at\":\"2018-06-06T08:47:43\\u002B08:00\"}",
		"{\"branch\":\"Z\\u0043\",\"buss_type\":1,\"ref_id\":"
		    "\"\\ud83d\\ude00\\u00e9\\n\",\"amount\":\"1\"}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\\ud83d\\ude00"
		    "\",\"amount\":\"1\",\"event_id\":\"\\u00e9\\u4e2d/\\/\"}",
		"{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"\\uDBFF\\uDFFF"
		    "\",\"amount\":\"1\"}",
		"[]", "{}", "  {}  ", "{} {}", "\"\"", "0", "-", "[1,]",
		"{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}",
		"{\"a\":1 \"b\":2}", "[1 2]", "{\"a\":[1}", "{\"a\":{]}",
		"\t{}\n", "{}\r", "{}\r\r\r", "\r{}", "{}\f", "{\"a\":nul}",
		"{\"a\":truefalse}", "{\"a\":1e}", "{\"a\":.5}",
	};
	/* jansson dropped one NUL byte right after a number or a word; both
	 * parsers now refuse a NUL byte anywhere. */
#define DIFF_BYTES(lit)	{ lit, sizeof(lit) - 1 }
	static const struct {
		const char *s;
		size_t n;
	} nuls[] = {
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1\0,\"ref_id\":"
		    "\"R\",\"amount\":\"1\"}"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":5\0}"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":5.25\0 }"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"x\":[true\0,null\0,1e5\0]}"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"x\":1\0\0}"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"x\":\"1\"\0}"),
		DIFF_BYTES("{\"branch\":\"Z\",\"buss_type\":1,\"ref_id\":\"R\","
		    "\"amount\":\"1\",\"x\":1 \0}"),
		DIFF_BYTES("{\"a\":[]\0}"), DIFF_BYTES("{}\0"),
		DIFF_BYTES("1\0"), DIFF_BYTES("null\0"), DIFF_BYTES("-\0"),
		DIFF_BYTES("1\0\r"), DIFF_BYTES("{\"a\":0\0}"),
	};
#undef DIFF_BYTES
	struct tally t = { 0, 0, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		diff_check(edges[i], strlen(edges[i]), &t, "edge", (long)i);
	for (i = 0; i < sizeof(nuls) / sizeof(nuls[0]); i++)
		diff_check(nuls[i].s, nuls[i].n, &t, "NUL edge", (long)i);
}

/*
 * The places in an input of n bytes worth cutting or changing: all of a
 * short one; the ends and every 509th byte of a long one (the corpus has
 * a line of thousands of '[', which jansson takes slowly).
 */
static int
diff_near(size_t i, size_t n)
{
	return n <= 512 || i < 32 || i + 32 >= n || i % 509 == 0;
}

/*
 * Every corpus file: whole, cut at every length, one byte replaced (at
 * every place of a short file; see diff_near for long ones).
 */
static void
test_corpus(void **state)
{
	static const char bytes[] = "]1\"\x80\\{}[,:0.-eu \x01\x7f\xc3\xff";
	const char *dir = getenv("FF_CORPUS");
	struct tally t = { 0, 0, 0, 0 };
	struct dirent *de;
	struct stat sb;
	char path[4096], *buf;
	long files = 0;
	DIR *d;
	FILE *f;
	size_t n, i, b;

	(void)state;
	if (dir == NULL)
		dir = "tests/fuzz/corpus/event";
	if ((d = opendir(dir)) == NULL)
		fail_msg("cannot open %s (run from the top of the tree)", dir);
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		n = (size_t)sb.st_size;
		buf = malloc(n + 1);
		assert_non_null(buf);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fread(buf, 1, n, f), n);
		fclose(f);
		files++;
		for (i = 0; i <= n; i++)
			if (diff_near(i, n))
				diff_check(buf, i, &t, path, (long)i);
		for (i = 0; i < n; i++) {
			char keep = buf[i];

			if (!diff_near(i, n))
				continue;
			for (b = 0; b < (n <= 512 ? sizeof(bytes) - 1 : 4); b++) {
				buf[i] = bytes[b];
				diff_check(buf, n, &t, path,
				    (long)(i * 100 + b));
			}
			buf[i] = keep;
		}
		free(buf);
	}
	closedir(d);
	assert_true(files >= 30);
	print_message("corpus: %ld files, %ld inputs: %ld accepted, %ld not "
	    "JSON, %ld refused\n", files, t.runs, t.accepted, t.not_json,
	    t.refused);
}

/* The seeded stream of generated lines. */
static void
test_generated(void **state)
{
	const char *s = getenv("FF_DIFF_SEED"), *c = getenv("FF_DIFF_COUNT");
	unsigned long seed = s != NULL ? strtoul(s, NULL, 10) : DIFF_SEED;
	long count = c != NULL ? atol(c) : DIFF_COUNT, i;
	struct tally t = { 0, 0, 0, 0 };
	struct gen *g = malloc(sizeof(*g));
	char from[64];

	(void)state;
	assert_non_null(g);
	diff_rng = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 1;
	snprintf(from, sizeof(from), "FF_DIFF_SEED=%lu", seed);
	for (i = 0; i < count; i++) {
		gen_event(g);
		diff_check(g->buf, g->n, &t, from, i);
	}
	free(g);
	print_message("generated (seed %lu): %ld inputs: %ld accepted, %ld "
	    "not JSON, %ld refused\n", seed, t.runs, t.accepted, t.not_json,
	    t.refused);
	/* The stream must keep reaching all three outcomes. */
	assert_true(t.accepted > count / 10);
	assert_true(t.not_json > count / 20);
	assert_true(t.refused > count / 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_generated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
