/*
 * output.h — listings as an aligned table, one JSON array, or CSV.
 *
 * A listing declares its columns once (key, how JSON types the value,
 * alignment), then gives each row as strings.  Tables measure text in
 * terminal columns (ui/width.h), so Chinese branch names line up; the
 * first rows fix the widths and long listings stream after them.  JSON is
 * one array of objects, written as rows come; CSV has a header row and
 * RFC 4180 quoting.
 */
#ifndef FF_OUTPUT_H
#define FF_OUTPUT_H

#include <stdio.h>

enum out_format {
	OUT_TABLE = 0,
	OUT_JSON,
	OUT_CSV
};

enum out_type {
	OUT_STR = 0,		/* a JSON string */
	OUT_NUM,		/* a JSON integer (the text is digits) */
	OUT_STR_NULL,		/* a string, or null when "" */
	OUT_NUM_NULL,		/* an integer, or null when "" */
	OUT_BOOL,		/* "1"/"0" → true/false */
	OUT_MONEY		/* a canonical amount ("1234.50"): a string in
				   JSON and CSV, grouped ("1,234.50") in a table */
};

struct out_col {
	const char *key;	/* JSON key and CSV header */
	const char *title;	/* table header */
	enum out_type type;
	int right;		/* right-aligned in a table (amounts) */
};

struct out;

/* Starts a listing on f; cols must outlive it. */
struct out *out_new(FILE *f, enum out_format fmt, const struct out_col *cols,
    int ncols);
/* One row: ncols strings (NULL counts as ""). */
void out_row(struct out *o, const char *const *vals);
/* Ends the listing (the closing ']' for JSON) and frees o. */
void out_end(struct out *o);

/* Ends a listing that failed: prints nothing if no row was given (else
 * as out_end, so that what was printed stays well-formed); frees o. */
void out_abort(struct out *o);

/*
 * The one CSV cell writer (the command line's --csv and every screen's
 * export go through it): returns a fresh string (the caller frees) holding
 * v (NULL is "") as one RFC 4180 field, safe to open in a spreadsheet:
 *  - control characters (C0, TAB, CR and LF included; DEL; C1, U+0080 to
 *    U+009F) and bytes of invalid UTF-8 become U+FFFD, one per character
 *    or bad byte;
 *  - a cell whose first character is '=', '+', '-', '@', TAB or CR gets a
 *    leading "'" so that no spreadsheet reads it as a formula, unless
 *    numeric is set (a column of numbers fundflow writes itself: amounts,
 *    ids, counts) and v is a plain number (-?digits, optionally '.' and
 *    digits), so that "-12.50" stays a number;
 *  - then a cell holding ',' or '"' is quoted, its '"' doubled.
 */
char *out_csv_cell(const char *v, int numeric);

/* One JSON object of the same columns, alone on a line (for the result of
 * an action such as withdraw apply). */
void out_object(FILE *f, const struct out_col *cols, int ncols,
    const char *const *vals);

#endif
