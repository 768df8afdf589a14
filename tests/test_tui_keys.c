/*
 * test_tui_keys.c — the screens' key table and the painting arithmetic
 * that needs no terminal: every action reachable by a key and described in
 * the generated help, the preconditions and their refusals, column layout,
 * scrolling, time and count formatting.  Degenerate cases first.
 */
#include "testlib.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/scope.h"
#include "store/xmalloc.h"
#include "ui/keys.h"
#include "ui/screen.h"

static const char *names[SCR_COUNT];

/* ---- keys ---------------------------------------------------------------- */

static void
test_keys_none(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(keys_lookup(0, 0), ACT_NONE);
	assert_int_equal(keys_lookup('Q', 0), ACT_NONE);
	assert_int_equal(keys_lookup(KEY_F(9), 1), ACT_NONE);
	/* A character and a function key of the same number differ. */
	assert_int_equal(keys_lookup('j', 1), ACT_NONE);
	assert_int_equal(keys_action((enum tui_action)-1)->action, ACT_NONE);
	assert_int_equal(keys_action(ACT_COUNT)->action, ACT_NONE);
	assert_string_equal(keys_labels(ACT_NONE, buf, sizeof(buf)), "");
	assert_string_equal(keys_label(ACT_NONE), "");
}

static void
test_keys_every_action_has_a_key(void **state)
{
	(void)state;
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const struct keys_action *k = keys_action((enum tui_action)a);

		assert_int_equal(k->action, a);
		assert_true(k->name[0] != '\0');
		assert_true(k->help[0] != '\0');
		if (k->roles)
			assert_true(k->who[0] != '\0');
		if (keys_label((enum tui_action)a)[0] == '\0')
			fail_msg("action %s has no key", k->name);
		if (keys_lookup(keys_label((enum tui_action)a)[0], 0) !=
		    (enum tui_action)a && keys_label((enum tui_action)a)[1] == '\0')
			fail_msg("key %s does not lead to %s",
			    keys_label((enum tui_action)a), k->name);
	}
}

static void
test_keys_habits(void **state)
{
	(void)state;
	/* tig, htop, mutt: the keys people already have in their fingers. */
	assert_int_equal(keys_lookup('j', 0), ACT_DOWN);
	assert_int_equal(keys_lookup(KEY_DOWN, 1), ACT_DOWN);
	assert_int_equal(keys_lookup('k', 0), ACT_UP);
	assert_int_equal(keys_lookup(KEY_NPAGE, 1), ACT_PGDN);
	assert_int_equal(keys_lookup(KEY_PPAGE, 1), ACT_PGUP);
	assert_int_equal(keys_lookup('g', 0), ACT_TOP);
	assert_int_equal(keys_lookup('G', 0), ACT_BOTTOM);
	assert_int_equal(keys_lookup('\r', 0), ACT_OPEN);
	assert_int_equal(keys_lookup(KEY_ENTER, 1), ACT_OPEN);
	assert_int_equal(keys_lookup('q', 0), ACT_BACK);
	assert_int_equal(keys_lookup(27, 0), ACT_BACK);
	assert_int_equal(keys_lookup('/', 0), ACT_FILTER);
	assert_int_equal(keys_lookup('?', 0), ACT_HELP);
	assert_int_equal(keys_lookup('\t', 0), ACT_NEXT_SCREEN);
	assert_int_equal(keys_lookup(KEY_BTAB, 1), ACT_PREV_SCREEN);
	assert_int_equal(keys_lookup(12, 0), ACT_REDRAW);
	for (int i = 0; i < 6; i++)
		assert_int_equal(keys_lookup('1' + i, 0), ACT_SCREEN1 + i);
	assert_int_equal(keys_lookup('n', 0), ACT_APPLY);
	assert_int_equal(keys_lookup('c', 0), ACT_CANCEL);
	assert_int_equal(keys_lookup('a', 0), ACT_APPROVE);
	assert_int_equal(keys_lookup('r', 0), ACT_REJECT);
	assert_int_equal(keys_lookup('e', 0), ACT_EXPORT);
	/* y is never a key of its own: only a confirmation reads it. */
	assert_int_equal(keys_lookup('y', 0), ACT_NONE);
	assert_int_equal(keys_lookup('Y', 0), ACT_NONE);
}

static void
test_keys_labels(void **state)
{
	char buf[64], tiny[6];

	(void)state;
	assert_string_equal(keys_labels(ACT_DOWN, buf, sizeof(buf)), "j, Down");
	assert_string_equal(keys_labels(ACT_OPEN, buf, sizeof(buf)), "Enter");
	assert_string_equal(keys_label(ACT_APPROVE), "a");
	/* A short buffer is cut, never overrun. */
	keys_labels(ACT_PGDN, tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
}

static void
test_keys_refusals(void **state)
{
	char buf[200];

	(void)state;
	/* Allowed: no sentence. */
	assert_null(keys_refusal(ACT_APPROVE, ROLE_REVIEWER, SCR_WITHDRAWALS, 1,
	    names, buf, sizeof(buf)));
	assert_null(keys_refusal(ACT_DOWN, ROLE_STAFF, SCR_LEDGER, 0, names, buf,
	    sizeof(buf)));
	assert_null(keys_refusal(ACT_EXPORT, ROLE_AUDITOR, SCR_RELEASES, 0, names,
	    buf, sizeof(buf)));
	assert_null(keys_refusal(ACT_APPLY, ROLE_STAFF, SCR_WITHDRAWALS, 0, names,
	    buf, sizeof(buf)));
	/* The role first, then the screen, then the selection. */
	assert_string_equal(keys_refusal(ACT_APPROVE, ROLE_STAFF, SCR_ACCOUNTS, 0,
	    names, buf, sizeof(buf)), "a (approve) is for reviewers");
	assert_string_equal(keys_refusal(ACT_APPROVE, ROLE_REVIEWER, SCR_ACCOUNTS,
	    1, names, buf, sizeof(buf)),
	    "a (approve) works on the Withdrawals screen");
	assert_string_equal(keys_refusal(ACT_REJECT, ROLE_REVIEWER,
	    SCR_WITHDRAWALS, 0, names, buf, sizeof(buf)),
	    "r (reject): nothing is selected");
	assert_string_equal(keys_refusal(ACT_SCREEN5, ROLE_REVIEWER, SCR_ACCOUNTS,
	    1, names, buf, sizeof(buf)), "5 (Audit) is for auditors");
	assert_non_null(keys_refusal(ACT_EXPORT, ROLE_STAFF, SCR_ACCOUNTS, 1,
	    names, buf, sizeof(buf)));
	assert_non_null(keys_refusal(ACT_APPLY, ROLE_REVIEWER, SCR_WITHDRAWALS, 1,
	    names, buf, sizeof(buf)));
	assert_non_null(keys_refusal(ACT_CANCEL, ROLE_AUDITOR, SCR_WITHDRAWALS, 1,
	    names, buf, sizeof(buf)));
	/* A tiny buffer is cut, never overrun. */
	{
		char tiny[8];

		assert_non_null(keys_refusal(ACT_APPROVE, ROLE_STAFF, 0, 0, names,
		    tiny, sizeof(tiny)));
		assert_true(strlen(tiny) < sizeof(tiny));
	}
}

struct help_text {
	char *text;
	size_t len;
};

static void
help_line(void *arg, const char *line, int heading)
{
	struct help_text *h = arg;
	size_t n = strlen(line);

	(void)heading;
	h->text = xrealloc(h->text, h->len + n + 2);
	memcpy(h->text + h->len, line, n);
	h->len += n;
	h->text[h->len++] = '\n';
	h->text[h->len] = '\0';
}

/* The help of every role on every screen lists each action the role may
 * use exactly once, and none it may not. */
static void
test_keys_help_from_the_table(void **state)
{
	(void)state;
	for (int role = 0; role < 4; role++) {
		for (int scr = 0; scr < SCR_COUNT; scr++) {
			struct help_text h = { NULL, 0 };

			keys_help((enum role)role, scr, names, help_line, &h);
			assert_non_null(h.text);
			for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
				const struct keys_action *k =
				    keys_action((enum tui_action)a);
				const char *p = strstr(h.text, k->help);
				int may = k->roles == 0 ||
				    (k->roles & SCOPE(role)) != 0;

				if (may && p == NULL)
					fail_msg("help of %s on %s lacks \"%s\"",
					    role_name((enum role)role), names[scr],
					    k->help);
				if (!may && p != NULL)
					fail_msg("help of %s on %s shows \"%s\"",
					    role_name((enum role)role), names[scr],
					    k->help);
				if (p && strstr(p + 1, k->help) != NULL &&
				    strstr(k->help, "the previous screen") == NULL)
					fail_msg("help lists \"%s\" twice", k->help);
			}
			free(h.text);
		}
	}
}

static void
test_keys_hints(void **state)
{
	char buf[512], tiny[10];

	(void)state;
	keys_hints(ROLE_REVIEWER, SCR_WITHDRAWALS, buf, sizeof(buf));
	assert_non_null(strstr(buf, "a approve"));
	assert_non_null(strstr(buf, "r reject"));
	assert_null(strstr(buf, "n new"));
	assert_non_null(strstr(buf, "? help"));
	keys_hints(ROLE_STAFF, SCR_WITHDRAWALS, buf, sizeof(buf));
	assert_non_null(strstr(buf, "n new"));
	assert_non_null(strstr(buf, "c cancel"));
	assert_null(strstr(buf, "a approve"));
	keys_hints(ROLE_AUDITOR, SCR_AUDIT, buf, sizeof(buf));
	assert_non_null(strstr(buf, "R run again"));
	assert_non_null(strstr(buf, "e export"));
	keys_hints(ROLE_STAFF, SCR_ACCOUNTS, tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
}

/* ---- layout ---------------------------------------------------------------- */

static const struct tui_col cols[] = {
	{ "TIME", 10, 16, WIDTH_LEFT, 0, 1 },
	{ "BRANCH", 6, 16, WIDTH_LEFT, 0, 0 },
	{ "REFERENCE", 8, 0, WIDTH_LEFT, 1, 0 },
	{ "AMOUNT", -1, 0, WIDTH_RIGHT, 0, 0 },
	{ "ACTOR", 0, 12, WIDTH_LEFT, 0, 0 },
};

static int
used(const int *w, int n)
{
	int total = 1;

	for (int i = 0, first = 1; i < n; i++) {
		if (w[i] == 0)
			continue;
		total += w[i] + (first ? 0 : 1);
		first = 0;
	}
	return total;
}

static void
test_layout_degenerate(void **state)
{
	int w[5] = { 0 };

	(void)state;
	tui_layout(cols, NULL, 0, 80, w);	/* no columns: nothing to do */
	/* Nothing measured: titles and minimums. */
	tui_layout(cols, NULL, 5, 200, w);
	assert_int_equal(w[0], 10);
	assert_int_equal(w[1], 6);
	assert_int_equal(w[3], 6);
	assert_int_equal(w[4], 5);
	assert_int_equal(used(w, 5), 200);	/* the flexible one fills */
	/* No room at all: amounts keep their width, the rest gives. */
	{
		int nat[5] = { 16, 4, 30, 14, 9 };

		tui_layout(cols, nat, 5, 10, w);
		assert_int_equal(w[3], 14);
		assert_int_equal(w[4], 0);
		assert_true(w[0] >= 1 && w[1] >= 1 && w[2] >= 1);
	}
}

static void
test_layout_fits(void **state)
{
	int nat[5] = { 16, 4, 19, 12, 8 }, w[5];

	(void)state;
	tui_layout(cols, nat, 5, 100, w);
	assert_int_equal(w[0], 16);
	assert_int_equal(w[1], 6);		/* the title is wider than codes */
	assert_int_equal(w[3], 12);
	assert_int_equal(w[4], 8);
	assert_int_equal(used(w, 5), 100);
	assert_true(w[2] > 19);
	/* max caps the natural width. */
	nat[0] = 40;
	tui_layout(cols, nat, 5, 200, w);
	assert_int_equal(w[0], 16);
}

static void
test_layout_shrinks(void **state)
{
	int nat[5] = { 16, 4, 19, 12, 8 }, w[5];

	(void)state;
	/* Natural: 1 + 16+6+19+12+8 + 4 = 66.  At 60 the time gives first,
	 * all the way down to its minimum (a date, not half a time). */
	tui_layout(cols, nat, 5, 60, w);
	assert_int_equal(w[0], 10);
	assert_int_equal(w[3], 12);
	assert_int_equal(used(w, 5), 60);
	/* Narrower: the others, then the flexible one, then ACTOR goes. */
	tui_layout(cols, nat, 5, 45, w);
	assert_int_equal(w[3], 12);
	assert_int_equal(w[0], 10);
	assert_int_equal(w[1], 6);
	assert_true(used(w, 5) <= 45);
	tui_layout(cols, nat, 5, 40, w);
	assert_int_equal(w[4], 0);
	assert_int_equal(w[3], 12);
	assert_true(used(w, 5) <= 40);
}

/* ---- scrolling -------------------------------------------------------------- */

static void
test_scroll(void **state)
{
	struct tui_cursor c = { 0, 0 };

	(void)state;
	assert_int_equal(tui_scroll_top(0, 0, 0, 10), 0);
	assert_int_equal(tui_scroll_top(5, 0, 3, 0), 0);
	assert_int_equal(tui_scroll_top(0, 15, 100, 10), 6);
	assert_int_equal(tui_scroll_top(50, 45, 100, 10), 45);
	assert_int_equal(tui_scroll_top(95, 99, 100, 10), 90);
	assert_int_equal(tui_scroll_top(0, 3, 4, 10), 0);
	/* An empty list: the cursor stays at 0 whatever the key. */
	for (int a = ACT_UP; a <= ACT_BOTTOM; a++) {
		assert_int_equal(tui_cursor_move(&c, (enum tui_action)a, 0, 10), 1);
		assert_int_equal(c.cur, 0);
		assert_int_equal(c.top, 0);
	}
	assert_int_equal(tui_cursor_move(&c, ACT_OPEN, 5, 10), 0);
	tui_cursor_move(&c, ACT_BOTTOM, 100, 10);
	assert_int_equal(c.cur, 99);
	assert_int_equal(c.top, 90);
	tui_cursor_move(&c, ACT_PGDN, 100, 10);
	assert_int_equal(c.cur, 99);
	tui_cursor_move(&c, ACT_PGUP, 100, 10);
	assert_int_equal(c.cur, 89);
	assert_int_equal(c.top, 80);
	tui_cursor_move(&c, ACT_TOP, 100, 10);
	assert_int_equal(c.cur, 0);
	assert_int_equal(c.top, 0);
	tui_cursor_move(&c, ACT_UP, 100, 10);
	assert_int_equal(c.cur, 0);
	tui_cursor_move(&c, ACT_DOWN, 100, 0);	/* page 0 counts as 1 */
	assert_int_equal(c.cur, 1);
}

/* ---- formatting -------------------------------------------------------------- */

static void
test_time_and_count(void **state)
{
	char b[64];

	(void)state;
	tui_time("", 16, b, sizeof(b));
	assert_string_equal(b, "");
	tui_time("2026-11", 16, b, sizeof(b));
	assert_string_equal(b, "2026-11");
	tui_time("2026-11-26T14:59:24+00:00", 19, b, sizeof(b));
	assert_string_equal(b, "2026-11-26 14:59:24");
	tui_time("2026-11-26T14:59:24+00:00", 18, b, sizeof(b));
	assert_string_equal(b, "2026-11-26 14:59");
	tui_time("2026-11-26T14:59:24+00:00", 15, b, sizeof(b));
	assert_string_equal(b, "2026-11-26");
	tui_time("2026-11-26", 19, b, sizeof(b));
	assert_string_equal(b, "2026-11-26");
	assert_string_equal(tui_count(0, b), "0");
	assert_string_equal(tui_count(999, b), "999");
	assert_string_equal(tui_count(1000, b), "1,000");
	assert_string_equal(tui_count(197398, b), "197,398");
	assert_string_equal(tui_count(-1234567, b), "-1,234,567");
	assert_string_equal(tui_count(INT64_MIN, b), "-9,223,372,036,854,775,808");
}

static int
test_tui_setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	for (int i = 0; i < SCR_COUNT; i++)
		names[i] = tui_screens[i]->name;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_none),
		cmocka_unit_test(test_keys_every_action_has_a_key),
		cmocka_unit_test(test_keys_habits),
		cmocka_unit_test(test_keys_labels),
		cmocka_unit_test(test_keys_refusals),
		cmocka_unit_test(test_keys_help_from_the_table),
		cmocka_unit_test(test_keys_hints),
		cmocka_unit_test(test_layout_degenerate),
		cmocka_unit_test(test_layout_fits),
		cmocka_unit_test(test_layout_shrinks),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_time_and_count),
	};

	return cmocka_run_group_tests_name("tui_keys", tests, test_tui_setup,
	    NULL);
}
