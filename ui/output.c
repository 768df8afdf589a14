/* output.c — tables, JSON arrays and CSV; see output.h. */
#include "output.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/money.h"
#include "model/text.h"
#include "store/xmalloc.h"
#include "width.h"

#define OUT_MEASURE_ROWS 500	/* rows read before a table's widths are fixed */
#define OUT_MAX_COLS 48		/* a text column is cut beyond this */

struct out {
	FILE *f;
	enum out_format fmt;
	const struct out_col *cols;
	int ncols;
	int64_t rows;
	/* Tables: rows held until the widths are known. */
	char ***held;
	size_t nheld;
	int *w;
	int fixed;
	int started;		/* the header (or '[') is out */
};

static void out_table_flush(struct out *o);
static void out_start(struct out *o);
static void out_table_line(struct out *o, char *const *vals);
static char *out_cell(const struct out_col *col, const char *v, int table);
static json_t *out_json_value(const struct out_col *col, const char *v);
static void out_csv_field(FILE *f, const char *v, int numeric);
static int out_plain_number(const char *v);

struct out *
out_new(FILE *f, enum out_format fmt, const struct out_col *cols, int ncols)
{
	struct out *o = xcalloc(1, sizeof(*o));

	o->f = f;
	o->fmt = fmt;
	o->cols = cols;
	o->ncols = ncols;
	o->w = xcalloc((size_t)ncols, sizeof(*o->w));
	if (fmt == OUT_TABLE)
		for (int i = 0; i < ncols; i++)
			o->w[i] = width_str(cols[i].title);
	return o;
}

/* The CSV header or JSON '[', written with the first row or at the end,
 * so that a listing that fails before its first row prints nothing. */
static void
out_start(struct out *o)
{
	if (o->started)
		return;
	o->started = 1;
	if (o->fmt == OUT_CSV) {
		for (int i = 0; i < o->ncols; i++) {
			if (i)
				fputc(',', o->f);
			out_csv_field(o->f, o->cols[i].key, 0);
		}
		fputs("\r\n", o->f);
	} else if (o->fmt == OUT_JSON) {
		fputc('[', o->f);
	}
}

/* The text of one cell as shown (a fresh string). */
static char *
out_cell(const struct out_col *col, const char *v, int table)
{
	if (v == NULL)
		v = "";
	if (table && col->type == OUT_MONEY && *v) {
		money_t m;
		char buf[MONEY_BUFSZ];

		if (money_parse(v, MONEY_SIGNED, &m) == 0)
			return xstrdup(money_format_grouped(m, buf));
	}
	if (table && col->type == OUT_BOOL)
		return xstrdup(strcmp(v, "1") == 0 ? "yes" : "no");
	return xstrdup(v);
}

static json_t *
out_json_value(const struct out_col *col, const char *v)
{
	if (v == NULL)
		v = "";
	switch (col->type) {
	case OUT_NUM:
	case OUT_NUM_NULL:
		if (*v == '\0')
			return col->type == OUT_NUM ? json_integer(0) : json_null();
		return json_integer(strtoll(v, NULL, 10));
	case OUT_STR_NULL:
	case OUT_MONEY:
		/* A sum that is not known (the pending amount of applications
		 * totalling more than an int64) is null, never a number. */
		if (*v == '\0')
			return json_null();
		break;
	case OUT_BOOL:
		return json_boolean(strcmp(v, "1") == 0);
	default:
		break;
	}
	/* jansson refuses invalid UTF-8; show such bytes as U+FFFD. */
	{
		json_t *s = json_string(v);

		if (s == NULL) {
			char *clean = width_sanitize(v);

			s = json_string(clean);
			free(clean);
		}
		return s ? s : json_string("");
	}
}

static json_t *
out_json_object(const struct out_col *cols, int ncols, const char *const *vals)
{
	json_t *obj = json_object();

	for (int i = 0; i < ncols; i++)
		json_object_set_new(obj, cols[i].key, out_json_value(&cols[i], vals[i]));
	return obj;
}

/* A number as fundflow writes them: -?digits(.digits)? */
static int
out_plain_number(const char *v)
{
	size_t i = 0, d = 0;

	if (v[i] == '-')
		i++;
	while (v[i] >= '0' && v[i] <= '9')
		i++, d++;
	if (d == 0)
		return 0;
	if (v[i] == '.') {
		d = 0;
		for (i++; v[i] >= '0' && v[i] <= '9'; i++)
			d++;
		if (d == 0)
			return 0;
	}
	return v[i] == '\0';
}

char *
out_csv_cell(const char *v, int numeric)
{
	const unsigned char *u = (const unsigned char *)(v ? v : "");
	size_t n = strlen((const char *)u), o = 0, i = 0;
	/* Worst case: a quote, the mark, every byte as U+FFFD or a doubled
	 * quote (3 bytes), the closing quote, the NUL. */
	char *out = xmalloc(3 * n + 4), *cell;
	int quote = 0;

	cell = out + 1;		/* room for the opening quote */
	if (*u != '\0' && strchr("=+-@\t\r", *u) != NULL &&
	    !(numeric && out_plain_number((const char *)u)))
		cell[o++] = '\'';
	while (i < n) {
		uint32_t cp;
		size_t k = text_next((const char *)u + i, n - i, &cp);

		if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			memcpy(cell + o, "\xef\xbf\xbd", 3);
			o += 3;
			i += k ? k : 1;
			continue;
		}
		if (u[i] == '"' || u[i] == ',')
			quote = 1;
		if (u[i] == '"')
			cell[o++] = '"';
		memcpy(cell + o, u + i, k);
		o += k;
		i += k;
	}
	if (!quote) {
		memmove(out, cell, o);
		out[o] = '\0';
		return out;
	}
	out[0] = '"';
	cell[o++] = '"';
	cell[o] = '\0';
	return out;
}

static void
out_csv_field(FILE *f, const char *v, int numeric)
{
	char *cell = out_csv_cell(v, numeric);

	fputs(cell, f);
	free(cell);
}

void
out_row(struct out *o, const char *const *vals)
{
	o->rows++;
	out_start(o);
	if (o->fmt == OUT_JSON) {
		json_t *obj = out_json_object(o->cols, o->ncols, vals);
		char *s = json_dumps(obj, JSON_COMPACT);

		fputs(o->rows > 1 ? ",\n" : "\n", o->f);
		fputs(s, o->f);
		free(s);
		json_decref(obj);
		return;
	}
	if (o->fmt == OUT_CSV) {
		for (int i = 0; i < o->ncols; i++) {
			char *cell = out_cell(&o->cols[i], vals[i], 0);

			if (i)
				fputc(',', o->f);
			out_csv_field(o->f, cell, o->cols[i].type == OUT_NUM ||
			    o->cols[i].type == OUT_NUM_NULL ||
			    o->cols[i].type == OUT_MONEY);
			free(cell);
		}
		fputs("\r\n", o->f);
		return;
	}
	{
		char **row = xcalloc((size_t)o->ncols, sizeof(*row));

		for (int i = 0; i < o->ncols; i++) {
			int w;

			row[i] = out_cell(&o->cols[i], vals[i], 1);
			w = width_str(row[i]);
			/* Text columns are capped, but the last one: a long
			 * message at the end of a line is read whole. */
			if (!o->fixed && w > o->w[i])
				o->w[i] = w > OUT_MAX_COLS && !o->cols[i].right &&
				    i + 1 < o->ncols ? OUT_MAX_COLS : w;
		}
		if (o->fixed) {
			out_table_line(o, row);
			for (int i = 0; i < o->ncols; i++)
				free(row[i]);
			free(row);
			return;
		}
		o->held = xreallocarray(o->held, o->nheld + 1, sizeof(*o->held));
		o->held[o->nheld++] = row;
		if (o->nheld >= OUT_MEASURE_ROWS)
			out_table_flush(o);
	}
}

/* One table line: each cell cut or padded to its column. */
static void
out_table_line(struct out *o, char *const *vals)
{
	for (int i = 0; i < o->ncols; i++) {
		size_t sz = WIDTH_FIT_BUFSZ(o->w[i]);
		char *buf = xmalloc(sz);

		width_fit(buf, sz, vals[i], o->w[i],
		    o->cols[i].right ? WIDTH_RIGHT : WIDTH_LEFT);
		if (i + 1 == o->ncols && !o->cols[i].right) {
			/* No trailing blanks at the end of a line. */
			size_t n = strlen(buf);

			while (n > 0 && buf[n - 1] == ' ')
				buf[--n] = '\0';
		}
		fputs(buf, o->f);
		fputs(i + 1 == o->ncols ? "\n" : "  ", o->f);
		free(buf);
	}
}

/* Fixes the widths: prints the header and the rows held so far. */
static void
out_table_flush(struct out *o)
{
	char **hdr = xcalloc((size_t)o->ncols, sizeof(*hdr));

	for (int i = 0; i < o->ncols; i++)
		hdr[i] = (char *)o->cols[i].title;
	out_table_line(o, hdr);
	free(hdr);
	for (size_t r = 0; r < o->nheld; r++) {
		out_table_line(o, o->held[r]);
		for (int i = 0; i < o->ncols; i++)
			free(o->held[r][i]);
		free(o->held[r]);
	}
	free(o->held);
	o->held = NULL;
	o->nheld = 0;
	o->fixed = 1;
}

void
out_end(struct out *o)
{
	if (o == NULL)
		return;
	out_start(o);
	if (o->fmt == OUT_JSON)
		fputs(o->rows ? "\n]\n" : "]\n", o->f);
	else if (o->fmt == OUT_TABLE && !o->fixed)
		out_table_flush(o);
	fflush(o->f);
	free(o->w);
	free(o);
}

void
out_abort(struct out *o)
{
	if (o == NULL)
		return;
	if (o->started) {
		out_end(o);
		return;
	}
	for (size_t r = 0; r < o->nheld; r++) {
		for (int i = 0; i < o->ncols; i++)
			free(o->held[r][i]);
		free(o->held[r]);
	}
	free(o->held);
	free(o->w);
	free(o);
}

void
out_object(FILE *f, const struct out_col *cols, int ncols,
    const char *const *vals)
{
	json_t *obj = out_json_object(cols, ncols, vals);
	char *s = json_dumps(obj, JSON_COMPACT);

	fputs(s, f);
	fputc('\n', f);
	free(s);
	json_decref(obj);
}
