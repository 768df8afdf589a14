/*
 * test_output.c — ui/output: the one CSV cell writer (out_csv_cell) that
 * the command line's --csv and the screens' exports share, and a CSV
 * listing through out_new/out_row on a memory stream.  Degenerate cases
 * first.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/output.h"

#define FFFD	"\xef\xbf\xbd"

static void	expect_cell(const char *, int, const char *);
static void	test_csv_degenerate(void **);
static void	test_csv_quoting(void **);
static void	test_csv_formulas(void **);
static void	test_csv_numbers(void **);
static void	test_csv_controls(void **);
static void	test_csv_listing(void **);

static void
expect_cell(const char *v, int numeric, const char *want)
{
	char *got = out_csv_cell(v, numeric);

	if (strcmp(got, want) != 0)
		fail_msg("cell %s (numeric %d)\n got: %s\n want: %s",
		    v ? v : "(null)", numeric, got, want);
	free(got);
}

static void
test_csv_degenerate(void **state)
{
	(void)state;
	expect_cell(NULL, 0, "");
	expect_cell("", 0, "");
	expect_cell("", 1, "");
	expect_cell("plain", 0, "plain");
	expect_cell("诸城分公司", 0, "诸城分公司");
}

static void
test_csv_quoting(void **state)
{
	(void)state;
	expect_cell("a,b", 0, "\"a,b\"");
	expect_cell("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
	expect_cell("\"", 0, "\"\"\"\"");
	expect_cell("Smith, \"Jones\" \\ 合伙", 0,
	    "\"Smith, \"\"Jones\"\" \\ 合伙\"");
}

static void
test_csv_formulas(void **state)
{
	(void)state;
	expect_cell("=HYPERLINK(\"http://evil\",\"x\")", 0,
	    "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
	expect_cell("=1+1", 0, "'=1+1");
	expect_cell("@SUM(A1:A9)", 0, "'@SUM(A1:A9)");
	expect_cell("+1", 0, "'+1");
	expect_cell("-3", 0, "'-3");		/* typed text, not a number */
	expect_cell("-12.50", 0, "'-12.50");
	expect_cell("\tx", 0, "'" FFFD "x");
	expect_cell("\rx", 0, "'" FFFD "x");
	/* Only the first character counts. */
	expect_cell("a=1", 0, "a=1");
	expect_cell(" =1", 0, " =1");
	/* A numeric column with text that is no plain number is marked. */
	expect_cell("=1", 1, "'=1");
	expect_cell("-1e5", 1, "'-1e5");
	expect_cell("-", 1, "'-");
	expect_cell("-.5", 1, "'-.5");
	expect_cell("-1.", 1, "'-1.");
	expect_cell("+1", 1, "'+1");
}

static void
test_csv_numbers(void **state)
{
	(void)state;
	expect_cell("-12.50", 1, "-12.50");
	expect_cell("-3", 1, "-3");
	expect_cell("0", 1, "0");
	expect_cell("1234.56", 1, "1234.56");
	expect_cell("-100.00", 1, "-100.00");
}

static void
test_csv_controls(void **state)
{
	(void)state;
	expect_cell("a\x1b[2Jb", 0, "a" FFFD "[2Jb");
	expect_cell("two\nlines", 0, "two" FFFD "lines");
	expect_cell("cr\rlf\n", 0, "cr" FFFD "lf" FFFD);
	expect_cell("del\x7f", 0, "del" FFFD);
	expect_cell("c1\xc2\x85" "x\xc2\x9b", 0, "c1" FFFD "x" FFFD);
	expect_cell("\xc2\xa0", 0, "\xc2\xa0");		/* U+00A0 stays */
	expect_cell("bad\xff\xfe", 0, "bad" FFFD FFFD);
	expect_cell("cut\xe8\xaf", 0, "cut" FFFD FFFD);
	expect_cell(FFFD, 0, FFFD);
	/* Replaced, then quoted and marked as the rest. */
	expect_cell("=x\x1b,y", 0, "\"'=x" FFFD ",y\"");
	expect_cell("\x1b=1", 0, FFFD "=1");
}

static void
test_csv_listing(void **state)
{
	static const struct out_col cols[] = {
		{ "id", "ID", OUT_NUM, 1 },
		{ "note", "NOTE", OUT_STR, 0 },
		{ "amount", "AMOUNT", OUT_MONEY, 1 },
		{ "entry", "ENTRY", OUT_NUM_NULL, 1 },
	};
	const char *row1[] = { "1", "=HYPERLINK(\"x\")", "-12.50", "" };
	const char *row2[] = { "2", "@SUM\x1b[2J", "3.00", "-3" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out *o;

	(void)state;
	assert_non_null(f);
	o = out_new(f, OUT_CSV, cols, 4);
	out_row(o, row1);
	out_row(o, row2);
	out_end(o);
	fclose(f);
	assert_string_equal(buf, "id,note,amount,entry\r\n"
	    "1,\"'=HYPERLINK(\"\"x\"\")\",-12.50,\r\n"
	    "2,'@SUM" FFFD "[2J,3.00,-3\r\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_degenerate),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_csv_numbers),
		cmocka_unit_test(test_csv_controls),
		cmocka_unit_test(test_csv_listing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
