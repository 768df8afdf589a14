/*
 * test_money.c — model/money: strict parsing, exact formatting, checked
 * arithmetic.  Degenerate cases first.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "model/money.h"

/* What *out must still hold after a refused parse or a refused sum. */
#define SENTINEL ((money_t)0x5a5a5a5a5a5a)

struct parse_case {
	const char	*text;
	money_t		 value;
};

static uint64_t	test_money_rand(uint64_t *);
static void	assert_refused(const char *, enum money_sign);
static void	assert_refused_n(const char *, size_t, enum money_sign);
static void	assert_parses(const char *, enum money_sign, money_t);
static void	assert_round_trip(money_t);
static void	test_money_null_and_empty(void **);
static void	test_money_valid(void **);
static void	test_money_refused(void **);
static void	test_money_refused_unsigned(void **);
static void	test_money_overflow(void **);
static void	test_money_huge_digits(void **);
static void	test_money_signed(void **);
static void	test_money_signed_refused(void **);
static void	test_money_embedded_nul(void **);
static void	test_money_parse_n_prefix(void **);
static void	test_money_format(void **);
static void	test_money_format_grouped(void **);
static void	test_money_round_trip_edges(void **);
static void	test_money_round_trip_random(void **);
static void	test_money_canonical(void **);
static void	test_money_add(void **);
static void	test_money_sub(void **);

/* xorshift64*: a fixed seed gives the same "random" values every run. */
static uint64_t
test_money_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(2685821657736338717);
}

static void
assert_refused_n(const char *s, size_t len, enum money_sign sign)
{
	money_t v = SENTINEL;

	if (money_parse_n(s, len, sign, &v) != -1)
		fail_msg("accepted \"%.*s\" (len %zu, sign %d) as %lld",
		    (int)len, s, len, (int)sign, (long long)v);
	assert_int_equal(v, SENTINEL);
}

static void
assert_refused(const char *s, enum money_sign sign)
{
	money_t v = SENTINEL;

	if (money_parse(s, sign, &v) != -1)
		fail_msg("accepted \"%s\" (sign %d) as %lld", s, (int)sign,
		    (long long)v);
	assert_int_equal(v, SENTINEL);
	assert_refused_n(s, strlen(s), sign);
}

static void
assert_parses(const char *s, enum money_sign sign, money_t want)
{
	money_t v = SENTINEL;

	if (money_parse(s, sign, &v) != 0)
		fail_msg("refused \"%s\" (sign %d)", s, (int)sign);
	if (v != want)
		fail_msg("\"%s\" gave %lld, want %lld", s, (long long)v,
		    (long long)want);
	v = SENTINEL;
	assert_int_equal(money_parse_n(s, strlen(s), sign, &v), 0);
	assert_int_equal(v, want);
}

/* format → parse gives v back; so does grouped format with ',' removed. */
static void
assert_round_trip(money_t v)
{
	char buf[MONEY_BUFSZ], grouped[MONEY_BUFSZ], plain[MONEY_BUFSZ];
	money_t back = SENTINEL;
	size_t i, o = 0;

	money_format(v, buf);
	assert_true(strlen(buf) < MONEY_BUFSZ);
	if (money_parse(buf, MONEY_SIGNED, &back) != 0 || back != v)
		fail_msg("%lld formatted as \"%s\" does not parse back",
		    (long long)v, buf);
	back = SENTINEL;
	if (v >= 0) {
		assert_int_equal(money_parse(buf, MONEY_UNSIGNED, &back), 0);
		assert_int_equal(back, v);
	} else {
		assert_int_equal(money_parse(buf, MONEY_UNSIGNED, &back), -1);
		assert_int_equal(back, SENTINEL);
	}

	money_format_grouped(v, grouped);
	assert_true(strlen(grouped) < MONEY_BUFSZ);
	for (i = 0; grouped[i] != '\0'; i++)
		if (grouped[i] != ',')
			plain[o++] = grouped[i];
	plain[o] = '\0';
	assert_string_equal(plain, buf);
}

static void
test_money_null_and_empty(void **state)
{
	money_t v = SENTINEL;

	(void)state;
	assert_int_equal(money_parse(NULL, MONEY_SIGNED, &v), -1);
	assert_int_equal(money_parse_n(NULL, 3, MONEY_SIGNED, &v), -1);
	assert_int_equal(money_parse_n("5", 0, MONEY_SIGNED, &v), -1);
	assert_int_equal(v, SENTINEL);
	assert_refused("", MONEY_UNSIGNED);
	assert_refused("", MONEY_SIGNED);
	assert_refused("-", MONEY_UNSIGNED);
	assert_refused("-", MONEY_SIGNED);
	assert_refused(".", MONEY_UNSIGNED);
	assert_refused("-.", MONEY_SIGNED);
}

static void
test_money_valid(void **state)
{
	static const struct parse_case cases[] = {
		{ "0", 0 },
		{ "0.0", 0 },
		{ "0.00", 0 },
		{ "0.5", 50 },
		{ "0.50", 50 },
		{ "0.05", 5 },
		{ "0.01", 1 },
		{ "0.99", 99 },
		{ "1", 100 },
		{ "9", 900 },
		{ "10", 1000 },
		{ "10.1", 1010 },
		{ "100", 10000 },
		{ "1234.56", 123456 },
		{ "1000000", 100000000 },
		{ "92233720368547758", INT64_C(9223372036854775800) },
		{ "92233720368547758.07", INT64_MAX },
		{ "92233720368547758.0", INT64_C(9223372036854775800) },
		{ "92233720368547757.99", INT64_MAX - 8 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_parses(cases[i].text, MONEY_UNSIGNED, cases[i].value);
		assert_parses(cases[i].text, MONEY_SIGNED, cases[i].value);
	}
}

/* Refused whether or not a sign is allowed. */
static void
test_money_refused(void **state)
{
	static const char *const bad[] = {
		"+1", "+0", " 1", "1 ", "\t1", "1\n", " ", "1.", ".5", ".05",
		"1.234", "0.001", "1.000", "1e2", "1E2", "1e-2", "01", "00",
		"00.5", "000", "0001.00", "0x10", "0X10", "1,000", "1,000.00",
		"1_000", "NaN", "nan", "inf", "Infinity", "-inf", "1..2",
		"1.2.3", "--1", "-+1", "+-1", "1-", "- 1", "-.5", "1.-5",
		"1.+5", "\xef\xbc\x91", "1\xc2\xa0", "a", "1a", "a1", "12.3a",
		"1 000", "\xd9\xa1", "0.5 ", "5%", "$5", "5\xe5\x85\x83",
		"92233720368547758.08", "92233720368547759",
		"99999999999999999999", "18446744073709551615",
		"18446744073709551616", "184467440737095516.15",
		"-92233720368547758.08", "-92233720368547759", "-01",
		"-00.5", "-0x1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_refused(bad[i], MONEY_UNSIGNED);
		assert_refused(bad[i], MONEY_SIGNED);
	}
}

/* A '-' is refused unless the caller allows it. */
static void
test_money_refused_unsigned(void **state)
{
	static const char *const neg[] = {
		"-1", "-0.5", "-0.05", "-1234.56", "-92233720368547758.07",
		"-0", "-0.00",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(neg) / sizeof(neg[0]); i++)
		assert_refused(neg[i], MONEY_UNSIGNED);
}

static void
test_money_overflow(void **state)
{
	(void)state;
	/* INT64_MAX fen is the largest amount; one fen more is refused. */
	assert_parses("92233720368547758.07", MONEY_UNSIGNED, INT64_MAX);
	assert_refused("92233720368547758.08", MONEY_UNSIGNED);
	assert_refused("92233720368547758.1", MONEY_UNSIGNED);
	assert_refused("92233720368547758.99", MONEY_UNSIGNED);
	assert_refused("92233720368547759", MONEY_UNSIGNED);
	assert_refused("92233720368547760", MONEY_UNSIGNED);
	assert_refused("100000000000000000", MONEY_UNSIGNED);
	/* Integer parts near UINT64_MAX must not wrap into range. */
	assert_refused("184467440737095516", MONEY_UNSIGNED);
	assert_refused("1844674407370955161", MONEY_UNSIGNED);
	assert_refused("18446744073709551615", MONEY_UNSIGNED);
	assert_refused("18446744073709551616", MONEY_UNSIGNED);
	assert_refused("36893488147419103232", MONEY_UNSIGNED);
	/* INT64_MIN is refused too, so every amount can be negated. */
	assert_parses("-92233720368547758.07", MONEY_SIGNED, -INT64_MAX);
	assert_refused("-92233720368547758.08", MONEY_SIGNED);
}

static void
test_money_huge_digits(void **state)
{
	static const size_t lens[] = { 19, 20, 21, 40, 100, 1000, 100000 };
	size_t i, n;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		n = lens[i];
		s = test_malloc(n + 4);
		memset(s, '9', n);
		s[n] = '\0';
		assert_refused(s, MONEY_UNSIGNED);
		memcpy(s + n, ".99", 4);
		assert_refused(s, MONEY_UNSIGNED);
		s[0] = '1';
		memset(s + 1, '0', n - 1);
		assert_refused(s, MONEY_UNSIGNED);
		s[0] = '-';
		s[1] = '1';
		assert_refused(s, MONEY_SIGNED);
		test_free(s);
	}
	/* A long fraction is refused at its third digit, whatever follows. */
	s = test_malloc(10003);
	memcpy(s, "1.", 2);
	memset(s + 2, '0', 10000);
	s[10002] = '\0';
	assert_refused(s, MONEY_UNSIGNED);
	test_free(s);
}

static void
test_money_signed(void **state)
{
	static const struct parse_case cases[] = {
		{ "-1", -100 },
		{ "-0.5", -50 },
		{ "-0.05", -5 },
		{ "-0.01", -1 },
		{ "-1234.56", -123456 },
		{ "-100", -10000 },
		{ "-92233720368547758.07", -INT64_MAX },
		{ "0", 0 },
		{ "1.5", 150 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_parses(cases[i].text, MONEY_SIGNED, cases[i].value);
}

static void
test_money_signed_refused(void **state)
{
	static const char *const bad[] = {
		"-0", "-0.0", "-0.00", "-", "--0", "-01", "-1.", "-1.234",
		"- 1", "-1e2", "-92233720368547758.08",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(bad[i], MONEY_SIGNED);
}

/* money_parse_n reads exactly len bytes: a NUL inside them is junk. */
static void
test_money_embedded_nul(void **state)
{
	money_t v = SENTINEL;

	(void)state;
	assert_refused_n("1\0" "2", 3, MONEY_UNSIGNED);
	assert_refused_n("12\0", 3, MONEY_UNSIGNED);
	assert_refused_n("\0" "12", 3, MONEY_UNSIGNED);
	assert_refused_n("1.\0" "5", 4, MONEY_UNSIGNED);
	assert_refused_n("1.5\0", 4, MONEY_UNSIGNED);
	assert_refused_n("-\0" "1", 3, MONEY_SIGNED);
	assert_refused_n("\0", 1, MONEY_SIGNED);
	/* money_parse stops at the NUL, so it sees "12" only. */
	assert_int_equal(money_parse("12\0" "34", MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 1200);
}

/* len shorter than the string: only the first len bytes count. */
static void
test_money_parse_n_prefix(void **state)
{
	money_t v;

	(void)state;
	v = SENTINEL;
	assert_int_equal(money_parse_n("1234.56", 4, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 123400);
	assert_refused_n("1234.56", 5, MONEY_UNSIGNED);
	v = SENTINEL;
	assert_int_equal(money_parse_n("1234.56", 6, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 123450);
	v = SENTINEL;
	assert_int_equal(money_parse_n("1234.56", 7, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 123456);
	v = SENTINEL;
	assert_int_equal(money_parse_n("12abc", 2, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 1200);
	v = SENTINEL;
	assert_int_equal(money_parse_n("-5x", 2, MONEY_SIGNED, &v), 0);
	assert_int_equal(v, -500);
	assert_refused_n("-5x", 1, MONEY_SIGNED);
	v = SENTINEL;
	assert_int_equal(money_parse_n("0.05 fen", 4, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 5);
	/* The prefix is checked on its own: "0" of "01" is fine. */
	v = SENTINEL;
	assert_int_equal(money_parse_n("01", 1, MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, 0);
	/* A prefix that would overflow is refused even though it ends early. */
	assert_refused_n("92233720368547758.08", 20, MONEY_UNSIGNED);
	v = SENTINEL;
	assert_int_equal(money_parse_n("92233720368547758.08", 19,
	    MONEY_UNSIGNED, &v), 0);
	assert_int_equal(v, INT64_C(9223372036854775800));
}

static void
test_money_format(void **state)
{
	static const struct parse_case cases[] = {
		{ "0.00", 0 },
		{ "0.01", 1 },
		{ "0.05", 5 },
		{ "-0.05", -5 },
		{ "-0.01", -1 },
		{ "0.50", 50 },
		{ "0.99", 99 },
		{ "1.00", 100 },
		{ "-1.00", -100 },
		{ "1234.50", 123450 },
		{ "1234.56", 123456 },
		{ "1000000.00", 100000000 },
		{ "92233720368547758.07", INT64_MAX },
		{ "-92233720368547758.07", -INT64_MAX },
		/* Not an amount, but formatting it must not misbehave. */
		{ "-92233720368547758.08", INT64_MIN },
	};
	char buf[MONEY_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(money_format(cases[i].value, buf), buf);
		assert_string_equal(buf, cases[i].text);
	}
}

static void
test_money_format_grouped(void **state)
{
	static const struct parse_case cases[] = {
		{ "0.00", 0 },
		{ "0.05", 5 },
		{ "-0.05", -5 },
		{ "999.00", 99900 },
		{ "999.99", 99999 },
		{ "-999.99", -99999 },
		{ "1,000.00", 100000 },
		{ "-1,000.00", -100000 },
		{ "12,345.67", 1234567 },
		{ "123,456.78", 12345678 },
		{ "1,234,567.89", 123456789 },
		{ "-1,234,567.89", -123456789 },
		{ "100,000,000.00", 10000000000 },
		{ "92,233,720,368,547,758.07", INT64_MAX },
		{ "-92,233,720,368,547,758.07", -INT64_MAX },
		{ "-92,233,720,368,547,758.08", INT64_MIN },
	};
	char buf[MONEY_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(money_format_grouped(cases[i].value, buf),
		    buf);
		assert_string_equal(buf, cases[i].text);
	}
}

static void
test_money_round_trip_edges(void **state)
{
	static const money_t edges[] = {
		0, 1, -1, 5, 9, 10, 50, 99, 100, 101, -99, -100, -101, 999,
		1000, 99999, 100000, 123456, -123456,
		INT64_MAX, INT64_MAX - 1, INT64_MAX - 99, INT64_MAX - 100,
		-INT64_MAX, -INT64_MAX + 1, INT32_MAX, (money_t)INT32_MAX + 1,
		INT32_MIN, UINT32_MAX,
	};
	money_t p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		assert_round_trip(edges[i]);
	/* Every power of ten, and its neighbours, both signs. */
	for (p = 1; p <= INT64_MAX / 10; p *= 10) {
		assert_round_trip(p);
		assert_round_trip(p - 1);
		assert_round_trip(p + 1);
		assert_round_trip(-p);
		assert_round_trip(-p + 1);
		assert_round_trip(-p - 1);
	}
}

static void
test_money_round_trip_random(void **state)
{
	uint64_t seed = UINT64_C(0x66756e64666c6f77);	/* "fundflow" */
	uint64_t r;
	money_t v;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		r = test_money_rand(&seed);
		/* Spread over every magnitude, not just huge numbers. */
		r >>= 1 + test_money_rand(&seed) % 63;
		v = (money_t)(r & (uint64_t)INT64_MAX);
		if (test_money_rand(&seed) & 1)
			v = -v;
		assert_round_trip(v);
	}
}

/* Canonical text survives parse → format unchanged. */
static void
test_money_canonical(void **state)
{
	static const char *const canon[] = {
		"0.00", "0.01", "0.10", "1.00", "-1.00", "1234.56", "-0.05",
		"92233720368547758.07", "-92233720368547758.07",
	};
	static const struct {
		const char *in, *out;
	} norm[] = {
		{ "0", "0.00" }, { "0.5", "0.50" }, { "100", "100.00" },
		{ "-0.5", "-0.50" }, { "12.3", "12.30" },
	};
	char buf[MONEY_BUFSZ];
	money_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		assert_int_equal(money_parse(canon[i], MONEY_SIGNED, &v), 0);
		assert_string_equal(money_format(v, buf), canon[i]);
	}
	for (i = 0; i < sizeof(norm) / sizeof(norm[0]); i++) {
		assert_int_equal(money_parse(norm[i].in, MONEY_SIGNED, &v), 0);
		assert_string_equal(money_format(v, buf), norm[i].out);
	}
}

static void
test_money_add(void **state)
{
	money_t v;

	(void)state;
	v = SENTINEL;
	assert_int_equal(money_add(0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(money_add(123456, 44, &v), 0);
	assert_int_equal(v, 123500);
	assert_int_equal(money_add(100, -250, &v), 0);
	assert_int_equal(v, -150);
	assert_int_equal(money_add(INT64_MAX - 1, 1, &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(money_add(INT64_MAX, -INT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(money_add(-INT64_MAX + 1, -1, &v), 0);
	assert_int_equal(v, -INT64_MAX);

	v = SENTINEL;
	assert_int_equal(money_add(INT64_MAX, 1, &v), -1);
	assert_int_equal(money_add(1, INT64_MAX, &v), -1);
	assert_int_equal(money_add(INT64_MAX, INT64_MAX, &v), -1);
	assert_int_equal(money_add(INT64_MAX / 2 + 1, INT64_MAX / 2 + 1, &v),
	    -1);
	assert_int_equal(money_add(-INT64_MAX, -INT64_MAX, &v), -1);
	/* INT64_MIN is no amount (it cannot be negated or parsed back). */
	assert_int_equal(money_add(-INT64_MAX, -1, &v), -1);
	assert_int_equal(money_add(-1, -INT64_MAX, &v), -1);
	assert_int_equal(v, SENTINEL);
}

static void
test_money_sub(void **state)
{
	money_t v;

	(void)state;
	v = SENTINEL;
	assert_int_equal(money_sub(0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(money_sub(123456, 56, &v), 0);
	assert_int_equal(v, 123400);
	assert_int_equal(money_sub(100, 250, &v), 0);
	assert_int_equal(v, -150);
	assert_int_equal(money_sub(0, INT64_MAX, &v), 0);
	assert_int_equal(v, -INT64_MAX);
	assert_int_equal(money_sub(INT64_MAX, INT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(money_sub(-1, -INT64_MAX, &v), 0);
	assert_int_equal(v, INT64_MAX - 1);

	v = SENTINEL;
	assert_int_equal(money_sub(INT64_MAX, -1, &v), -1);
	assert_int_equal(money_sub(INT64_MAX, -INT64_MAX, &v), -1);
	assert_int_equal(money_sub(-INT64_MAX, INT64_MAX, &v), -1);
	assert_int_equal(money_sub(0, INT64_MIN, &v), -1);
	/* INT64_MIN is no amount (it cannot be negated or parsed back). */
	assert_int_equal(money_sub(-INT64_MAX, 1, &v), -1);
	assert_int_equal(money_sub(-1, INT64_MAX, &v), -1);
	assert_int_equal(v, SENTINEL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_null_and_empty),
		cmocka_unit_test(test_money_valid),
		cmocka_unit_test(test_money_refused),
		cmocka_unit_test(test_money_refused_unsigned),
		cmocka_unit_test(test_money_overflow),
		cmocka_unit_test(test_money_huge_digits),
		cmocka_unit_test(test_money_signed),
		cmocka_unit_test(test_money_signed_refused),
		cmocka_unit_test(test_money_embedded_nul),
		cmocka_unit_test(test_money_parse_n_prefix),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_money_format_grouped),
		cmocka_unit_test(test_money_round_trip_edges),
		cmocka_unit_test(test_money_round_trip_random),
		cmocka_unit_test(test_money_canonical),
		cmocka_unit_test(test_money_add),
		cmocka_unit_test(test_money_sub),
	};

	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
