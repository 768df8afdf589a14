/*
 * event.c — one income event from one JSON Lines line; see event.h.
 *
 * One pass over the line with a small strict JSON scanner, no allocation:
 * the scanner checks the whole line as JSON (syntax, UTF-8, escapes,
 * duplicate keys, numbers in range) and notes where the values of the
 * top-level members this file reads begin and end; then each of those is
 * checked in a fixed order, and the first failure is the reason.  Strings
 * are copied out (and unescaped) only for the members that are kept.
 *
 * What counts as JSON is what jansson 2.14 accepted with
 * JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, which this file used before:
 * RFC 8259 with strict UTF-8 (no overlong forms, no surrogates), no
 * "\u0000" and no lone UTF-16 surrogate in escapes, duplicate keys judged
 * after unescaping, integers within int64_t, other numbers refused only
 * when they overflow a double, and at most 2048 nested values; with one
 * deliberate difference: a NUL byte anywhere refuses the line (jansson
 * let one pass right after a number or a word, so that "1\0," read as
 * "1,").  The old parser is kept as the tests' reference
 * (tests/fuzz/event_ref.c), and a differential test holds the two to the
 * same answers, fields and reasons.  A JSON number amount is never read
 * through a double: its exact text goes to money_parse_n.
 *
 * The scanner's state lives on the stack (about 35 KiB, most of it only
 * touched by deeply nested or key-heavy lines): event_parse allocates
 * nothing and may run in any thread.
 */
#include "event.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "text.h"

#define EVENT_WS(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')
#define EVENT_DIGIT(c)	((c) >= '0' && (c) <= '9')

#define EVENT_DEPTH_MAX	2048	/* nested values, as jansson allowed */
#define EVENT_KEYS	64	/* keys held for the duplicate check */
#define EVENT_BLOOM	(1 << 17)	/* bits of the filter past that */
#define EVENT_AMOUNT_MAX 64	/* longer amount text is never valid */

/* What a JSON value is, for the members read and for reasons. */
enum event_type {
	EVENT_T_NONE = 0,	/* the member is absent */
	EVENT_T_OBJECT,
	EVENT_T_ARRAY,
	EVENT_T_STRING,
	EVENT_T_INTEGER,	/* no fraction, no exponent, within int64_t */
	EVENT_T_REAL,
	EVENT_T_BOOL,
	EVENT_T_NULL
};

/* The members read, in the order they are checked. */
enum event_field {
	EVENT_F_BRANCH,
	EVENT_F_BUSS_TYPE,
	EVENT_F_REF_ID,
	EVENT_F_AMOUNT,
	EVENT_F_EVENT_ID,
	EVENT_F_OCCURRED_AT,
	EVENT_F_COUNT
};

static const char *const event_field_name[EVENT_F_COUNT] = {
	"branch", "buss_type", "ref_id", "amount", "event_id", "occurred_at"
};
static const size_t event_field_len[EVENT_F_COUNT] = { 6, 9, 6, 6, 8, 11 };

/* Why a line is not JSON; event_json_reason has the words. */
enum event_jerr {
	EVENT_JE_END,		/* the line ends inside a value */
	EVENT_JE_CHAR,		/* a byte that starts no value */
	EVENT_JE_UTF8,
	EVENT_JE_CONTROL,
	EVENT_JE_ESCAPE,
	EVENT_JE_SURROGATE,
	EVENT_JE_NUL,
	EVENT_JE_NUMBER,
	EVENT_JE_INTEGER,
	EVENT_JE_REAL,
	EVENT_JE_WORD,
	EVENT_JE_DEPTH,
	EVENT_JE_KEY,
	EVENT_JE_COLON,
	EVENT_JE_OBJECT_NEXT,
	EVENT_JE_ARRAY_NEXT,
	EVENT_JE_TRAILING,
	EVENT_JE_DUPLICATE
};

/* A value as found in the line: string contents or number text. */
struct event_val {
	enum event_type type;
	int esc;		/* a string with backslash escapes */
	const char *s;
	size_t n;
};

/* A key held for the duplicate check. */
struct event_key {
	size_t obj;		/* offset of its object's '{' */
	size_t off, n;		/* its text between the quotes */
	uint32_t hash;		/* of its unescaped bytes */
	int esc;
};

/*
 * The scanner's state.  Keys of open objects are held in keys[] (those of
 * an object on top of those of the objects around it) and compared when a
 * new key comes; past EVENT_KEYS of them, a Bloom filter of (object, key)
 * answers instead, and its "maybe" is settled by reading the object's keys
 * again.  An event line never has that many keys; the filter is there so
 * that a hostile line costs time in proportion to its length.
 */
struct event_json {
	const char *s;
	size_t n;
	enum event_jerr err;	/* when the scan fails */
	size_t errat;		/* byte offset of the failure */
	size_t dupoff, dupn;	/* the duplicate key's text */
	int root_object;	/* the line is one JSON object */
	unsigned seen;		/* known members met (bit per field) */
	struct event_val f[EVENT_F_COUNT];
	size_t nkeys;
	int bloom_on;
	struct event_key keys[EVENT_KEYS];
	/* Offset of each open '{' or '[' (times 2, plus 1 for an object). */
	size_t open[EVENT_DEPTH_MAX];
	uint64_t bloom[EVENT_BLOOM / 64];
};

/* Reads the unescaped bytes of string contents already checked. */
struct event_cursor {
	const char *s;
	size_t n, i;
	int esc;
	unsigned char buf[4];	/* bytes of the current escape left */
	size_t bi, bn;
};

static void	event_reason(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static size_t	event_utf8_next(const unsigned char *, size_t, uint32_t *);
static size_t	event_utf8_put(uint32_t, unsigned char *);
static int	event_num(const char *, size_t, int *);
static int	event_mdays(int, int);
static const char *event_type_name(enum event_type);

static int	event_json_fail(struct event_json *, enum event_jerr, size_t);
static int	event_json_scan(struct event_json *);
static size_t	event_json_string(struct event_json *, size_t, int *);
static size_t	event_json_number(struct event_json *, size_t,
		    enum event_type *);
static int	event_json_overflows(const char *, size_t, size_t, size_t,
		    size_t, int64_t);
static int	event_json_key(struct event_json *, size_t, int, size_t,
		    size_t, int);
static int	event_json_known(const char *, size_t);
static int	event_json_field(const char *, size_t, int);
static int	event_json_dup(struct event_json *, size_t, size_t, size_t,
		    int);
static int	event_json_bloom(struct event_json *, size_t, uint32_t);
static int	event_json_reread(const struct event_json *, size_t, size_t,
		    size_t, int);
static void	event_json_reason(const struct event_json *, char *, size_t);
static size_t	event_column(const char *, size_t);

static void	event_cursor_init(struct event_cursor *, const char *, size_t,
		    int);
static int	event_cursor_get(struct event_cursor *);
static uint32_t	event_key_hash(const char *, size_t, int);
static int	event_key_eq(const char *, size_t, int, const char *, size_t,
		    int);
static size_t	event_unescape(const struct event_val *, char *, size_t);
static void	event_quote(const char *, size_t, char *, size_t);

static int	event_string(const struct event_val *, const char *, int,
		    char *, size_t);
static int	event_text(const struct event_val *, const char *, int,
		    char *, size_t, char *, size_t);
static int	event_amount(const struct event_val *, money_t *, char *,
		    size_t);
static int	event_amount_text(const char *, size_t, money_t *, char *,
		    size_t);
static int	event_decimal_shape(struct event_cursor *, int *);
static int	event_amount_refused(struct event_cursor *, char *, size_t);
static inline size_t event_skip_ws(const char *, size_t, size_t);
static size_t	event_skip_string(const char *, size_t, size_t);
static size_t	event_skip_value(const char *, size_t, size_t);
static int	event_key_is(const char *, size_t, const char *);
static int	event_hex4(const char *, uint32_t *);

/*
 * printf into reason[reasonsz]; a reason cut short never ends inside a
 * UTF-8 sequence.
 */
static void
event_reason(char *reason, size_t reasonsz, const char *fmt, ...)
{
	va_list ap;
	size_t n, i, need;
	unsigned char c;

	if (reason == NULL || reasonsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, reasonsz, fmt, ap);
	va_end(ap);
	/* Drop an incomplete sequence at the end, if cutting made one. */
	n = strlen(reason);
	for (i = n; i > 0 && n - i < 4; i--) {
		c = (unsigned char)reason[i - 1];
		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xc0) {
			need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (n - (i - 1) < need)
				reason[i - 1] = '\0';
		}
		break;
	}
}

/*
 * Decodes one UTF-8 character from s[0..n) into *cp.  Returns its length,
 * or 0 when the bytes are not strict UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF, cut short).
 */
static size_t
event_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 into
 * out; returns its length.
 */
static size_t
event_utf8_put(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

int
event_valid_text(const char *s, size_t n)
{
	return text_valid(s, n);
}

int
event_valid_code(const char *s)
{
	size_t i;
	char c;

	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= FF_CODE_MAX)
			return 0;
		c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* Reads exactly n decimal digits of s into *out; returns 1, or 0. */
static int
event_num(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* Days in month mo (1..12) of year y, Gregorian. */
static int
event_mdays(int y, int mo)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

int
event_valid_time(const char *s)
{
	int y, mo, d, h, mi, se, oh, om;
	size_t n, i, start;

	if (s == NULL)
		return 0;
	n = strlen(s);
	/* "YYYY-MM-DDTHH:MM:SS" then ".fff" (1..9 digits), then Z or ±HH:MM */
	if (n < 20 || n >= FF_TIME_MAX)
		return 0;
	if (!event_num(s, 4, &y) || s[4] != '-' ||
	    !event_num(s + 5, 2, &mo) || s[7] != '-' ||
	    !event_num(s + 8, 2, &d) || s[10] != 'T' ||
	    !event_num(s + 11, 2, &h) || s[13] != ':' ||
	    !event_num(s + 14, 2, &mi) || s[16] != ':' ||
	    !event_num(s + 17, 2, &se))
		return 0;
	i = 19;
	if (s[i] == '.') {
		start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start || i - start > 9)
			return 0;
	}
	if (s[i] == 'Z')
		i++;
	else if (s[i] == '+' || s[i] == '-') {
		if (n - i != 6 || !event_num(s + i + 1, 2, &oh) ||
		    s[i + 3] != ':' || !event_num(s + i + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return 0;
		i += 6;
	} else
		return 0;
	if (i != n)
		return 0;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > event_mdays(y, mo) ||
	    h > 23 || mi > 59 || se > 59)
		return 0;
	return 1;
}

/* "null", "a number", ...: what a JSON value is, for reasons. */
static const char *
event_type_name(enum event_type t)
{
	switch (t) {
	case EVENT_T_OBJECT:
		return "an object";
	case EVENT_T_ARRAY:
		return "an array";
	case EVENT_T_STRING:
		return "a string";
	case EVENT_T_INTEGER:
	case EVENT_T_REAL:
		return "a number";
	case EVENT_T_BOOL:
		return "true or false";
	case EVENT_T_NULL:
	case EVENT_T_NONE:
	default:
		return "null";
	}
}

/*
 * The JSON scanner.
 */

#define EVENT_NPOS	((size_t)-1)
#define EVENT_EXP_MAX	INT64_C(1000000000000000)	/* exponents saturate */

/*
 * Bytes a string may hold as they are with nothing more to check:
 * printable ASCII and DEL, but not '"' or '\\'.
 */
static const unsigned char event_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xa0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xb0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xc0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xd0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xe0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0xf0 */
};

/*
 * Nonzero when one of the eight bytes in x is not plain: below 0x20, '"',
 * '\\' or 0x80 and above.  A byte at 0x80 or above shows in x itself; when
 * there is none, a byte below 0x20 borrows in x - 0x20.., and a '"' or a
 * '\\' becomes a zero byte of x ^ '"'.. or x ^ '\\'.., which borrows in
 * that minus 0x01..  (a borrow sets a high bit; bytes after it may be
 * flagged wrongly, but only when one before is rightly).
 */
#define EVENT_ONES	UINT64_C(0x0101010101010101)
#define EVENT_SWAR_SPECIAL(x) \
	(((x) | ((x) - EVENT_ONES * 0x20) | \
	    (((x) ^ (EVENT_ONES * '"')) - EVENT_ONES) | \
	    (((x) ^ (EVENT_ONES * '\\')) - EVENT_ONES)) & (EVENT_ONES * 0x80))

/* Notes why the scan failed and where; returns -1. */
static int
event_json_fail(struct event_json *p, enum event_jerr err, size_t at)
{
	p->err = err;
	p->errat = at;
	return -1;
}

/*
 * Checks p's whole line as one JSON value (any value: whether it is an
 * object is the caller's question) and notes the values of the members
 * read when it is an object.  One loop, no recursion: open[] holds the
 * containers open around the current position.  Returns 0, or -1 with
 * the failure noted in p.
 */
static int
event_json_scan(struct event_json *p)
{
	enum { EVENT_S_VALUE, EVENT_S_KEY, EVENT_S_NEXT } state = EVENT_S_VALUE;
	const char *s = p->s;
	size_t n = p->n, i, end, d = 0, o;
	struct event_val *v;
	enum event_type type;
	int field = -1, f, esc, obj;

	i = event_skip_ws(s, n, 0);
	for (;;) {
		switch (state) {
		case EVENT_S_VALUE:
			/* A value at depth d + 1; v when it is a member read. */
			v = field >= 0 ? &p->f[field] : NULL;
			field = -1;
			if (d >= EVENT_DEPTH_MAX)
				return event_json_fail(p, EVENT_JE_DEPTH, i);
			if (i >= n)
				return event_json_fail(p, EVENT_JE_END, i);
			switch (s[i]) {
			case '{':
			case '[':
				obj = s[i] == '{';
				if (v != NULL)
					v->type = obj ? EVENT_T_OBJECT : EVENT_T_ARRAY;
				if (d == 0)
					p->root_object = obj;
				p->open[d++] = (i << 1) | (size_t)obj;
				i = event_skip_ws(s, n, i + 1);
				if (i < n && s[i] == (obj ? '}' : ']')) {
					i++;
					d--;
					state = EVENT_S_NEXT;
				} else
					state = obj ? EVENT_S_KEY : EVENT_S_VALUE;
				continue;
			case '"':
				if ((end = event_json_string(p, i, &esc)) ==
				    EVENT_NPOS)
					return -1;
				type = EVENT_T_STRING;
				if (v != NULL) {
					v->type = type;
					v->esc = esc;
					v->s = s + i + 1;
					v->n = end - i - 1;
				}
				i = end + 1;
				break;
			case '-': case '0': case '1': case '2': case '3':
			case '4': case '5': case '6': case '7': case '8':
			case '9':
				if ((end = event_json_number(p, i, &type)) ==
				    EVENT_NPOS)
					return -1;
				if (v != NULL) {
					v->type = type;
					v->s = s + i;
					v->n = end - i;
				}
				i = end;
				break;
			case 't':
			case 'f':
			case 'n':
				if (n - i >= 4 && memcmp(s + i, "true", 4) == 0) {
					type = EVENT_T_BOOL;
					i += 4;
				} else if (n - i >= 5 &&
				    memcmp(s + i, "false", 5) == 0) {
					type = EVENT_T_BOOL;
					i += 5;
				} else if (n - i >= 4 &&
				    memcmp(s + i, "null", 4) == 0) {
					type = EVENT_T_NULL;
					i += 4;
				} else
					return event_json_fail(p, EVENT_JE_WORD, i);
				if (v != NULL)
					v->type = type;
				break;
			default:
				return event_json_fail(p, EVENT_JE_CHAR, i);
			}
			state = EVENT_S_NEXT;
			break;

		case EVENT_S_KEY:
			/* A member of the object open[d - 1]. */
			if (i >= n)
				return event_json_fail(p, EVENT_JE_END, i);
			if (s[i] != '"')
				return event_json_fail(p, EVENT_JE_KEY, i);
			/* The usual key first: a member read, spelt plainly. */
			esc = 0;
			if (d == 1 && (f = event_json_known(s + i + 1,
			    n - i - 1)) >= 0)
				end = i + 1 + event_field_len[f];
			else if ((end = event_json_string(p, i, &esc)) ==
			    EVENT_NPOS)
				return -1;
			else
				f = d == 1 ? event_json_field(s + i + 1,
				    end - i - 1, esc) : -1;
			if (event_json_key(p, d, f, i + 1, end - i - 1, esc) == -1)
				return -1;
			field = f;
			i = event_skip_ws(s, n, end + 1);
			if (i >= n)
				return event_json_fail(p, EVENT_JE_END, i);
			if (s[i] != ':')
				return event_json_fail(p, EVENT_JE_COLON, i);
			i = event_skip_ws(s, n, i + 1);
			state = EVENT_S_VALUE;
			break;

		case EVENT_S_NEXT:
			/* After a value: the end, or what its container holds
			 * next. */
			i = event_skip_ws(s, n, i);
			if (d == 0) {
				if (i < n)
					return event_json_fail(p,
					    EVENT_JE_TRAILING, i);
				return 0;
			}
			if (i >= n)
				return event_json_fail(p, EVENT_JE_END, i);
			o = p->open[d - 1];
			obj = (int)(o & 1);
			if (s[i] == ',') {
				i = event_skip_ws(s, n, i + 1);
				state = obj ? EVENT_S_KEY : EVENT_S_VALUE;
			} else if (s[i] == (obj ? '}' : ']')) {
				/* Its keys are not needed any more. */
				while (obj && p->nkeys > 0 &&
				    p->keys[p->nkeys - 1].obj == o >> 1)
					p->nkeys--;
				i++;
				d--;
			} else
				return event_json_fail(p, obj ?
				    EVENT_JE_OBJECT_NEXT : EVENT_JE_ARRAY_NEXT, i);
			break;
		}
	}
}

/*
 * s[i] is the '"' opening a string.  Checks it through its closing quote
 * and returns that quote's index, with *esc set when it holds escapes; or
 * returns EVENT_NPOS with the failure noted.
 */
static size_t
event_json_string(struct event_json *p, size_t i, int *esc)
{
	const unsigned char *s = (const unsigned char *)p->s;
	size_t n = p->n, k;
	uint32_t cp, lo;
	uint64_t x;
	unsigned char c;

	*esc = 0;
	for (i++;;) {
		/* Eight bytes at a time while they are all plain. */
		while (n - i >= 8) {
			memcpy(&x, s + i, 8);
			if (EVENT_SWAR_SPECIAL(x))
				break;
			i += 8;
		}
		while (i < n && event_plain[s[i]])
			i++;
		if (i >= n) {
			event_json_fail(p, EVENT_JE_END, i);
			return EVENT_NPOS;
		}
		c = s[i];
		if (c == '"')
			return i;
		if (c == '\\') {
			*esc = 1;
			c = i + 1 < n ? s[i + 1] : 0;
			if (c == '"' || c == '\\' || c == '/' || c == 'b' ||
			    c == 'f' || c == 'n' || c == 'r' || c == 't') {
				i += 2;
				continue;
			}
			if (c != 'u' || n - i < 6 ||
			    !event_hex4(p->s + i + 2, &cp)) {
				event_json_fail(p, EVENT_JE_ESCAPE, i);
				return EVENT_NPOS;
			}
			if (cp == 0) {
				event_json_fail(p, EVENT_JE_NUL, i);
				return EVENT_NPOS;
			}
			if (cp < 0xd800 || cp > 0xdfff) {
				i += 6;
				continue;
			}
			/* A high surrogate, then its low one, or nothing. */
			if (cp > 0xdbff || n - i < 12 || s[i + 6] != '\\' ||
			    s[i + 7] != 'u' || !event_hex4(p->s + i + 8, &lo) ||
			    lo < 0xdc00 || lo > 0xdfff) {
				event_json_fail(p, EVENT_JE_SURROGATE, i);
				return EVENT_NPOS;
			}
			i += 12;
			continue;
		}
		if (c < 0x20) {
			event_json_fail(p, EVENT_JE_CONTROL, i);
			return EVENT_NPOS;
		}
		if ((k = event_utf8_next(s + i, n - i, &cp)) == 0) {
			event_json_fail(p, EVENT_JE_UTF8, i);
			return EVENT_NPOS;
		}
		i += k;
	}
}

/*
 * s[i] is '-' or a digit.  Checks the number there and returns the index
 * just past it, with *type EVENT_T_INTEGER (no fraction, no exponent) or
 * EVENT_T_REAL; or returns EVENT_NPOS with the failure noted.  Integers
 * must fit int64_t; other numbers must not overflow a double.
 */
static size_t
event_json_number(struct event_json *p, size_t i, enum event_type *type)
{
	const char *s = p->s;
	size_t n = p->n, start = i, is, ie, fs, fe;
	int64_t e = 0;
	int neg = 0, real = 0, eneg = 0;

	if (s[i] == '-') {
		neg = 1;
		i++;
	}
	is = i;
	if (i >= n || !EVENT_DIGIT(s[i]))
		goto bad;
	if (s[i] == '0') {
		if (++i < n && EVENT_DIGIT(s[i]))
			goto bad;	/* no leading zero */
	} else {
		while (i < n && EVENT_DIGIT(s[i]))
			i++;
	}
	ie = fs = fe = i;
	if (i < n && s[i] == '.') {
		real = 1;
		fs = ++i;
		if (i >= n || !EVENT_DIGIT(s[i]))
			goto bad;
		while (i < n && EVENT_DIGIT(s[i]))
			i++;
		fe = i;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= n || !EVENT_DIGIT(s[i]))
			goto bad;
		for (; i < n && EVENT_DIGIT(s[i]); i++)
			if (e < EVENT_EXP_MAX)
				e = e * 10 + (s[i] - '0');
		if (eneg)
			e = -e;
	}
	if (!real) {
		if (ie - is > 19 || (ie - is == 19 && memcmp(s + is, neg ?
		    "9223372036854775808" : "9223372036854775807", 19) > 0)) {
			event_json_fail(p, EVENT_JE_INTEGER, start);
			return EVENT_NPOS;
		}
		*type = EVENT_T_INTEGER;
		return i;
	}
	if (event_json_overflows(s, is, ie, fs, fe, e)) {
		event_json_fail(p, EVENT_JE_REAL, start);
		return EVENT_NPOS;
	}
	*type = EVENT_T_REAL;
	return i;
bad:
	event_json_fail(p, EVENT_JE_NUMBER, start);
	return EVENT_NPOS;
}

/*
 * Whether the number with integer digits s[is..ie), fraction digits
 * s[fs..fe) and exponent e is too large for a double: at least DBL_MAX
 * plus half a unit in its last place, 2^1024 - 2^970, which strtod rounds
 * to infinity (a tie goes to the even side, infinity).  jansson refused
 * those and nothing else: tiny numbers became 0.
 */
static int
event_json_overflows(const char *s, size_t is, size_t ie, size_t fs,
    size_t fe, int64_t e)
{
	/* 2^1024 - 2^970 = 0.17976...e309, all 309 digits. */
	static const char limit[] =
	    "17976931348623158079372897140530341507993413271003782693617377"
	    "89804449682927647509466490179775872070963302864166928879109465"
	    "55547851940402630657488671505820681908902000708383676273854845"
	    "81771153176447573027006985557136695962284291481986083493647529"
	    "2719074168444365510704342711559699508093042880177904174497792";
	size_t i, k;
	int64_t q;	/* the number is 0.d1d2d3... times 10^q, d1 > 0 */
	char d;

	for (i = is; i < ie && s[i] == '0'; i++)
		;
	if (i < ie)
		q = (int64_t)(ie - i) + e;
	else {
		for (i = fs; i < fe && s[i] == '0'; i++)
			;
		if (i == fe)
			return 0;	/* zero */
		q = e - (int64_t)(i - fs);
	}
	if (q != 309)
		return q > 309;
	for (k = 0; k < sizeof(limit) - 1; k++) {
		if (i == ie)
			i = fs;		/* on into the fraction */
		d = i < fe ? s[i++] : '0';
		if (d != limit[k])
			return d > limit[k];
	}
	return 1;
}

/*
 * The key s[off..off+kn) of the object open[d - 1], naming member read f
 * (at the top level) or none (-1): refuses a duplicate of an earlier key
 * of the same object.  Returns 0, or -1 with the failure noted.  The
 * members read are told apart by a bit each; other keys are held
 * (event_json_dup).
 */
static int
event_json_key(struct event_json *p, size_t d, int f, size_t off, size_t kn,
    int esc)
{
	if (f >= 0 ? (p->seen & (1u << f)) != 0 :
	    event_json_dup(p, p->open[d - 1] >> 1, off, kn, esc)) {
		p->dupoff = off;
		p->dupn = kn;
		return event_json_fail(p, EVENT_JE_DUPLICATE, off - 1);
	}
	if (f >= 0)
		p->seen |= 1u << f;
	return 0;
}

/*
 * Which member read is named plainly at the start of k[0..avail), its
 * closing quote included: the usual key, known without reading it as a
 * string (it holds neither escapes nor anything to check).  -1 if none.
 */
static int
event_json_known(const char *k, size_t avail)
{
	/* Constant lengths, so that the compiler compares words. */
#define EVENT_IS(name)	(avail >= sizeof(name) - 1 && \
			    memcmp(k, name, sizeof(name) - 1) == 0)

	switch (avail > 1 ? k[0] : '\0') {
	case 'a':
		return EVENT_IS("amount\"") ? EVENT_F_AMOUNT : -1;
	case 'b':
		if (k[1] == 'r')
			return EVENT_IS("branch\"") ? EVENT_F_BRANCH : -1;
		return EVENT_IS("buss_type\"") ? EVENT_F_BUSS_TYPE : -1;
	case 'e':
		return EVENT_IS("event_id\"") ? EVENT_F_EVENT_ID : -1;
	case 'o':
		return EVENT_IS("occurred_at\"") ? EVENT_F_OCCURRED_AT : -1;
	case 'r':
		return EVENT_IS("ref_id\"") ? EVENT_F_REF_ID : -1;
	default:
		return -1;
	}
#undef EVENT_IS
}

/* Which member read the key k[0..n) names (after unescaping), or -1. */
static int
event_json_field(const char *k, size_t n, int esc)
{
	int f;

	if (esc) {
		for (f = 0; f < EVENT_F_COUNT; f++)
			if (event_key_is(k, n, event_field_name[f]))
				return f;
		return -1;
	}
	switch (n) {
	case 6:
		if (memcmp(k, "branch", 6) == 0)
			return EVENT_F_BRANCH;
		if (memcmp(k, "ref_id", 6) == 0)
			return EVENT_F_REF_ID;
		if (memcmp(k, "amount", 6) == 0)
			return EVENT_F_AMOUNT;
		return -1;
	case 8:
		return memcmp(k, "event_id", 8) == 0 ? EVENT_F_EVENT_ID : -1;
	case 9:
		return memcmp(k, "buss_type", 9) == 0 ? EVENT_F_BUSS_TYPE : -1;
	case 11:
		return memcmp(k, "occurred_at", 11) == 0 ?
		    EVENT_F_OCCURRED_AT : -1;
	default:
		return -1;
	}
}

/*
 * Returns 1 when the key s[off..off+kn) was met before in the object whose
 * '{' is at obj, else holds it and returns 0.
 */
static int
event_json_dup(struct event_json *p, size_t obj, size_t off, size_t kn,
    int esc)
{
	uint32_t h = event_key_hash(p->s + off, kn, esc);
	const struct event_key *k;
	size_t j;

	if (!p->bloom_on) {
		/* This object's keys are the last ones held. */
		for (j = p->nkeys; j > 0 && p->keys[j - 1].obj == obj; j--) {
			k = &p->keys[j - 1];
			if (k->hash == h && event_key_eq(p->s + k->off, k->n,
			    k->esc, p->s + off, kn, esc))
				return 1;
		}
		if (p->nkeys < EVENT_KEYS) {
			p->keys[p->nkeys].obj = obj;
			p->keys[p->nkeys].off = off;
			p->keys[p->nkeys].n = kn;
			p->keys[p->nkeys].hash = h;
			p->keys[p->nkeys].esc = esc;
			p->nkeys++;
			return 0;
		}
		/* No room: the filter takes over, with the keys held. */
		p->bloom_on = 1;
		memset(p->bloom, 0, sizeof(p->bloom));
		for (j = 0; j < p->nkeys; j++)
			(void)event_json_bloom(p, p->keys[j].obj,
			    p->keys[j].hash);
	}
	if (event_json_bloom(p, obj, h))
		return event_json_reread(p, obj, off, kn, esc);
	return 0;
}

/*
 * Adds (object obj, key hash h) to the filter.  Returns 1 when it may have
 * been there already, 0 when it surely was not.
 */
static int
event_json_bloom(struct event_json *p, size_t obj, uint32_t h)
{
	uint64_t x = ((uint64_t)h << 32 | (uint32_t)obj) ^
	    ((uint64_t)obj >> 32) * UINT64_C(0x9e3779b97f4a7c15);
	uint32_t b;
	int k, was = 1;

	/* The MurmurHash3 finaliser, then three 16-bit slices. */
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	for (k = 0; k < 3; k++) {
		b = (uint32_t)(x >> (16 * k)) & (EVENT_BLOOM - 1);
		if ((p->bloom[b / 64] & (UINT64_C(1) << (b % 64))) == 0) {
			was = 0;
			p->bloom[b / 64] |= UINT64_C(1) << (b % 64);
		}
	}
	return was;
}

/*
 * Reads the keys of the object whose '{' is at obj again, up to the key
 * at off, and returns 1 when one of them equals it.  That text has been
 * checked already.
 */
static int
event_json_reread(const struct event_json *p, size_t obj, size_t off,
    size_t kn, int esc)
{
	const char *s = p->s;
	size_t n = p->n, i = obj + 1, ks, ke;

	for (;;) {
		i = event_skip_ws(s, n, i);
		if (i < n && s[i] == ',')
			i = event_skip_ws(s, n, i + 1);
		if (i + 1 >= off || s[i] != '"')
			return 0;	/* the key itself */
		ks = i + 1;
		i = event_skip_string(s, n, i);
		ke = i - 1;
		if (event_key_eq(s + ks, ke - ks,
		    memchr(s + ks, '\\', ke - ks) != NULL, s + off, kn, esc))
			return 1;
		i = event_skip_ws(s, n, i);	/* at the ':' */
		i = event_skip_value(s, n, event_skip_ws(s, n, i + 1));
	}
}

/* The column (from 1) of byte at of line: columns count characters. */
static size_t
event_column(const char *line, size_t at)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i, col = 1;

	for (i = 0; i < at; i++)
		if ((s[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* Writes "not valid JSON: what (column N)" for the failure noted in p. */
static void
event_json_reason(const struct event_json *p, char *reason, size_t reasonsz)
{
	const unsigned char *s = (const unsigned char *)p->s;
	unsigned c = p->errat < p->n ? s[p->errat] : 0;
	char what[128], key[48];
	size_t col = event_column(p->s, p->errat < p->n ? p->errat : p->n);

	switch (p->err) {
	case EVENT_JE_END:
		snprintf(what, sizeof(what), "the line ends inside a value");
		break;
	case EVENT_JE_CHAR:
		if (c > 0x20 && c < 0x7f)
			snprintf(what, sizeof(what), "unexpected '%c'", c);
		else
			snprintf(what, sizeof(what), "unexpected byte 0x%02x",
			    c);
		break;
	case EVENT_JE_UTF8:
		snprintf(what, sizeof(what), "invalid UTF-8 (byte 0x%02x) in "
		    "a string", c);
		break;
	case EVENT_JE_CONTROL:
		snprintf(what, sizeof(what), "control character 0x%02x in a "
		    "string", c);
		break;
	case EVENT_JE_ESCAPE:
		snprintf(what, sizeof(what), "invalid escape in a string");
		break;
	case EVENT_JE_SURROGATE:
		snprintf(what, sizeof(what), "invalid \\u escape: half of a "
		    "UTF-16 surrogate pair");
		break;
	case EVENT_JE_NUL:
		snprintf(what, sizeof(what), "\\u0000 is not allowed");
		break;
	case EVENT_JE_NUMBER:
		snprintf(what, sizeof(what), "invalid number");
		break;
	case EVENT_JE_INTEGER:
		snprintf(what, sizeof(what), "integer too big");
		break;
	case EVENT_JE_REAL:
		snprintf(what, sizeof(what), "number too big");
		break;
	case EVENT_JE_WORD:
		snprintf(what, sizeof(what), "invalid word (true, false or "
		    "null expected)");
		break;
	case EVENT_JE_DEPTH:
		snprintf(what, sizeof(what), "nested more than %d deep",
		    EVENT_DEPTH_MAX);
		break;
	case EVENT_JE_KEY:
		snprintf(what, sizeof(what), "a key in double quotes "
		    "expected");
		break;
	case EVENT_JE_COLON:
		snprintf(what, sizeof(what), "':' expected after a key");
		break;
	case EVENT_JE_OBJECT_NEXT:
		snprintf(what, sizeof(what), "',' or '}' expected");
		break;
	case EVENT_JE_ARRAY_NEXT:
		snprintf(what, sizeof(what), "',' or ']' expected");
		break;
	case EVENT_JE_TRAILING:
		snprintf(what, sizeof(what), "more text after the end of the "
		    "value");
		break;
	case EVENT_JE_DUPLICATE:
	default:
		event_quote(p->s + p->dupoff, p->dupn, key, sizeof(key));
		snprintf(what, sizeof(what), "duplicate object key \"%s\"",
		    key);
		break;
	}
	event_reason(reason, reasonsz, "not valid JSON: %s (column %zu)", what,
	    col);
}

/*
 * Unescaping.  Everything here reads strings the scanner has checked.
 */

static void
event_cursor_init(struct event_cursor *c, const char *s, size_t n, int esc)
{
	c->s = s;
	c->n = n;
	c->i = 0;
	c->esc = esc;
	c->bi = c->bn = 0;
}

/* The next unescaped byte, or -1 at the end. */
static int
event_cursor_get(struct event_cursor *c)
{
	uint32_t cp, lo;
	char e;

	if (c->bi < c->bn)
		return c->buf[c->bi++];
	if (c->i >= c->n)
		return -1;
	if (!c->esc || c->s[c->i] != '\\')
		return (unsigned char)c->s[c->i++];
	e = c->s[c->i + 1];
	c->i += 2;
	switch (e) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'u':
		(void)event_hex4(c->s + c->i, &cp);
		c->i += 4;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			(void)event_hex4(c->s + c->i + 2, &lo);
			c->i += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		c->bn = event_utf8_put(cp, c->buf);
		c->bi = 1;
		return c->buf[0];
	default:
		return (unsigned char)e;	/* '"', '\\' or '/' */
	}
}

/* FNV-1a over the unescaped bytes of the key k[0..n). */
static uint32_t
event_key_hash(const char *k, size_t n, int esc)
{
	struct event_cursor c;
	uint32_t h = 2166136261u;
	size_t i;
	int b;

	if (!esc) {
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)k[i]) * 16777619u;
		return h;
	}
	event_cursor_init(&c, k, n, esc);
	while ((b = event_cursor_get(&c)) != -1)
		h = (h ^ (unsigned)b) * 16777619u;
	return h;
}

/* Returns 1 when the keys a[0..na) and b[0..nb) unescape alike. */
static int
event_key_eq(const char *a, size_t na, int ea, const char *b, size_t nb,
    int eb)
{
	struct event_cursor ca, cb;
	int x;

	if (!ea && !eb)
		return na == nb && memcmp(a, b, na) == 0;
	event_cursor_init(&ca, a, na, ea);
	event_cursor_init(&cb, b, nb, eb);
	do {
		if ((x = event_cursor_get(&ca)) != event_cursor_get(&cb))
			return 0;
	} while (x != -1);
	return 1;
}

/*
 * Unescapes the string v into out[outsz] (outsz > 0), cut short if need
 * be and always NUL-terminated.  Returns the whole unescaped length:
 * when it is outsz or more, out holds only its start.
 */
static size_t
event_unescape(const struct event_val *v, char *out, size_t outsz)
{
	struct event_cursor c;
	size_t len = 0;
	int b;

	if (!v->esc) {
		len = v->n < outsz ? v->n : outsz - 1;
		memcpy(out, v->s, len);
		out[len] = '\0';
		return v->n;
	}
	event_cursor_init(&c, v->s, v->n, 1);
	while ((b = event_cursor_get(&c)) != -1) {
		if (len < outsz - 1)
			out[len] = (char)b;
		len++;
	}
	out[len < outsz ? len : outsz - 1] = '\0';
	return len;
}

/*
 * Raw text s[0..n) into out[outsz] (at least 5 bytes) fit to quote in a
 * reason: whole UTF-8 characters, '?' for control characters and invalid
 * bytes, cut short with "...".
 */
static void
event_quote(const char *s, size_t n, char *out, size_t outsz)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	uint32_t cp = 0;
	int bad;

	while (i < n) {
		k = event_utf8_next(u + i, n - i, &cp);
		bad = k == 0 || cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
		if (o + (bad ? 1 : k) + 4 > outsz) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (bad)
			out[o++] = '?';
		else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k == 0 ? 1 : k;
	}
	out[o] = '\0';
}

/*
 * The members, one by one.
 */

/*
 * The string member key (value v): returns 1 when it is there, a string
 * and not empty; 0 when it is absent and not required; -1 with a reason.
 */
static int
event_string(const struct event_val *v, const char *key, int required,
    char *reason, size_t reasonsz)
{
	if (v->type == EVENT_T_NONE) {
		if (!required)
			return 0;
		event_reason(reason, reasonsz, "missing field \"%s\"", key);
		return -1;
	}
	if (v->type != EVENT_T_STRING) {
		event_reason(reason, reasonsz, "\"%s\" must be a string, not %s",
		    key, event_type_name(v->type));
		return -1;
	}
	if (v->n == 0) {
		event_reason(reason, reasonsz, "\"%s\" is empty", key);
		return -1;
	}
	return 1;
}

/*
 * A text member (ref_id, event_id) into out[outsz]: non-empty, at most
 * outsz - 1 bytes, valid text.  Returns 1 found, 0 absent (optional), -1.
 */
static int
event_text(const struct event_val *v, const char *key, int required,
    char *out, size_t outsz, char *reason, size_t reasonsz)
{
	struct text_bad bad;
	char what[64];
	size_t n;
	int rc;

	if ((rc = event_string(v, key, required, reason, reasonsz)) <= 0)
		return rc;
	if ((n = event_unescape(v, out, outsz)) >= outsz) {
		event_reason(reason, reasonsz, "\"%s\" is too long (at most %zu "
		    "bytes)", key, outsz - 1);
		return -1;
	}
	if (text_check(out, n, &bad) != 0) {
		text_describe(&bad, what, sizeof(what));
		event_reason(reason, reasonsz, "\"%s\" must be text without "
		    "control characters: %s is not allowed", key, what);
		return -1;
	}
	return 1;
}

/*
 * Returns 1 when the text read through c looks like a decimal amount,
 * overflow aside, with *neg set when it starts with '-'.
 */
static int
event_decimal_shape(struct event_cursor *c, int *neg)
{
	size_t digits = 0, frac = 0;
	int b, first;

	b = event_cursor_get(c);
	if ((*neg = b == '-'))
		b = event_cursor_get(c);
	first = b;
	for (; EVENT_DIGIT(b); b = event_cursor_get(c))
		digits++;
	if (digits == 0 || (first == '0' && digits > 1))
		return 0;
	if (b == '.') {
		for (b = event_cursor_get(c); EVENT_DIGIT(b);
		    b = event_cursor_get(c))
			frac++;
		if (frac == 0 || frac > 2)
			return 0;
	}
	return b == -1;
}

/*
 * The reason money_parse_n refused the amount text read through c: too
 * large, negative, or not a decimal at all.  Returns -1.
 */
static int
event_amount_refused(struct event_cursor *c, char *reason, size_t reasonsz)
{
	int neg;

	if (!event_decimal_shape(c, &neg))
		event_reason(reason, reasonsz,
		    "\"amount\" must be a decimal like \"125.00\"");
	else if (neg)
		event_reason(reason, reasonsz, "amount must be positive");
	else
		event_reason(reason, reasonsz, "\"amount\" is too large");
	return -1;
}

/* Parses the amount text t[0..n) into *out (> 0), or gives the reason. */
static int
event_amount_text(const char *t, size_t n, money_t *out, char *reason,
    size_t reasonsz)
{
	struct event_cursor c;
	money_t v;

	if (money_parse_n(t, n, MONEY_UNSIGNED, &v) == 0) {
		if (v <= 0) {
			event_reason(reason, reasonsz, "amount must be positive");
			return -1;
		}
		*out = v;
		return 0;
	}
	event_cursor_init(&c, t, n, 0);
	return event_amount_refused(&c, reason, reasonsz);
}

/*
 * The amount member v: a decimal string, or a JSON number taken from its
 * exact text.
 */
static int
event_amount(const struct event_val *v, money_t *out, char *reason,
    size_t reasonsz)
{
	char buf[EVENT_AMOUNT_MAX];
	struct event_cursor c;
	size_t n;

	switch (v->type) {
	case EVENT_T_NONE:
		event_reason(reason, reasonsz, "missing field \"amount\"");
		return -1;
	case EVENT_T_INTEGER:
	case EVENT_T_REAL:
		return event_amount_text(v->s, v->n, out, reason, reasonsz);
	case EVENT_T_STRING:
		if (!v->esc)
			return event_amount_text(v->s, v->n, out, reason,
			    reasonsz);
		if ((n = event_unescape(v, buf, sizeof(buf))) < sizeof(buf))
			return event_amount_text(buf, n, out, reason, reasonsz);
		/* Longer than any amount: only the reason is left to find. */
		event_cursor_init(&c, v->s, v->n, 1);
		return event_amount_refused(&c, reason, reasonsz);
	default:
		event_reason(reason, reasonsz,
		    "\"amount\" must be a decimal like \"125.00\", not %s",
		    event_type_name(v->type));
		return -1;
	}
}

int
event_parse(const char *line, size_t len, struct event *ev, char *reason,
    size_t reasonsz)
{
	struct event_json p;
	struct event e;
	const struct event_val *v;
	const char *nul;
	size_t i, n;
	int64_t bt;

	if (reason != NULL && reasonsz > 0)
		reason[0] = '\0';
	if (line == NULL)
		len = 0;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && EVENT_WS(line[i]); i++)
		;
	if (i == len) {
		event_reason(reason, reasonsz, "empty line");
		return -1;
	}
	/* A NUL byte anywhere refuses the line, before any JSON is read:
	 * nothing may read "1\0," as "1," or "R\0x" as "R". */
	if ((nul = memchr(line, '\0', len)) != NULL) {
		event_reason(reason, reasonsz, "not valid JSON: a NUL byte is not "
		    "allowed (column %zu)", event_column(line,
		    (size_t)(nul - line)));
		return -1;
	}

	p.s = line;
	p.n = len;
	p.root_object = 0;
	p.seen = 0;
	p.nkeys = 0;
	p.bloom_on = 0;
	memset(p.f, 0, sizeof(p.f));
	if (event_json_scan(&p) == -1) {
		event_json_reason(&p, reason, reasonsz);
		return -1;
	}
	if (!p.root_object) {
		event_reason(reason, reasonsz, "not a JSON object: an event is "
		    "{\"branch\": ..., \"buss_type\": ..., ...}");
		return -1;
	}
	memset(&e, 0, sizeof(e));

	/* branch */
	v = &p.f[EVENT_F_BRANCH];
	if (event_string(v, "branch", 1, reason, reasonsz) == -1)
		return -1;
	if (event_unescape(v, e.branch, sizeof(e.branch)) > FF_CODE_MAX) {
		event_reason(reason, reasonsz, "\"branch\" is too long (at most "
		    "%d bytes)", FF_CODE_MAX);
		return -1;
	}
	if (!event_valid_code(e.branch)) {
		event_reason(reason, reasonsz, "\"branch\" must be a code of "
		    "letters, digits, '-', '_' or '.'");
		return -1;
	}

	/* buss_type: an integer's text is digits within int64_t. */
	v = &p.f[EVENT_F_BUSS_TYPE];
	if (v->type == EVENT_T_NONE) {
		event_reason(reason, reasonsz, "missing field \"buss_type\"");
		return -1;
	}
	if (v->type != EVENT_T_INTEGER) {
		if (v->type == EVENT_T_REAL)
			event_reason(reason, reasonsz,
			    "\"buss_type\" must be a whole number");
		else
			event_reason(reason, reasonsz,
			    "\"buss_type\" must be a whole number, not %s",
			    event_type_name(v->type));
		return -1;
	}
	bt = 0;
	if (v->s[0] != '-' && v->n <= 10)
		for (n = 0; n < v->n; n++)
			bt = bt * 10 + (v->s[n] - '0');
	if (bt < 1 || bt > INT32_MAX) {
		event_reason(reason, reasonsz,
		    "\"buss_type\" must be from 1 to %d", INT32_MAX);
		return -1;
	}
	e.buss_type = (int32_t)bt;

	/* ref_id, amount */
	if (event_text(&p.f[EVENT_F_REF_ID], "ref_id", 1, e.ref_id,
	    sizeof(e.ref_id), reason, reasonsz) == -1)
		return -1;
	if (event_amount(&p.f[EVENT_F_AMOUNT], &e.amount, reason,
	    reasonsz) == -1)
		return -1;

	/* Optional: event_id, occurred_at. */
	if (event_text(&p.f[EVENT_F_EVENT_ID], "event_id", 0, e.event_id,
	    sizeof(e.event_id), reason, reasonsz) == -1)
		return -1;
	v = &p.f[EVENT_F_OCCURRED_AT];
	if (v->type != EVENT_T_NONE && (v->type != EVENT_T_STRING ||
	    event_unescape(v, e.occurred_at, sizeof(e.occurred_at)) >=
	    sizeof(e.occurred_at) || !event_valid_time(e.occurred_at))) {
		event_reason(reason, reasonsz, "\"occurred_at\" must be a "
		    "time like \"2018-06-06T08:47:43+08:00\"%s%s",
		    v->type != EVENT_T_STRING ? ", not " : "",
		    v->type != EVENT_T_STRING ? event_type_name(v->type) : "");
		return -1;
	}

	*ev = e;
	return 0;
}

/*
 * Skipping.  These run over text the scanner has checked, to read an
 * object's keys again; every step is bounded by n all the same.
 */

/* Index of the first non-whitespace byte at or after i. */
static inline size_t
event_skip_ws(const char *s, size_t n, size_t i)
{
	if (i < n && (unsigned char)s[i] > ' ')
		return i;		/* the usual case */
	while (i < n && EVENT_WS(s[i]))
		i++;
	return i;
}

/* s[i] is '"'; returns the index just past the closing quote (or n). */
static size_t
event_skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\') {
			if (++i >= n)
				break;
		} else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

/* Returns the index just past the value starting at s[i]. */
static size_t
event_skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	if (i >= n)
		return n;
	if (s[i] == '"')
		return event_skip_string(s, n, i);
	if (s[i] == '{' || s[i] == '[') {
		while (i < n) {
			if (s[i] == '"') {
				i = event_skip_string(s, n, i);
				continue;
			}
			if (s[i] == '{' || s[i] == '[')
				depth++;
			else if (s[i] == '}' || s[i] == ']') {
				if (--depth == 0)
					return i + 1;
			}
			i++;
		}
		return n;
	}
	/* A number or a literal: up to the next delimiter. */
	while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
	    !EVENT_WS(s[i]))
		i++;
	return i;
}

/* Four hex digits at s into *out; returns 1, or 0. */
static int
event_hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;
	char c;

	for (i = 0; i < 4; i++) {
		c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/*
 * Returns 1 when the raw key text k[0..n) (between its quotes, escapes
 * undecoded) decodes to want, an ASCII string.
 */
static int
event_key_is(const char *k, size_t n, const char *want)
{
	size_t i = 0, w = 0, wlen = strlen(want);
	uint32_t cp;
	char c;

	while (i < n) {
		c = k[i];
		if (c == '\\') {
			if (i + 1 >= n)
				return 0;
			switch (k[i + 1]) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				if (n - i < 6 || !event_hex4(k + i + 2, &cp) ||
				    cp == 0 || cp >= 0x80)
					return 0;	/* never in an ASCII name */
				c = (char)cp;
				i += 4;
				break;
			default:
				return 0;
			}
			i += 2;
		} else
			i++;
		if (w >= wlen || want[w] != c)
			return 0;
		w++;
	}
	return w == wlen;
}
