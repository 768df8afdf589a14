/*
 * event_ref.c — the reference for event_parse: the parser fundflow had
 * before its own JSON scanner, kept word for word apart from its names
 * and two later rules it shares with event_parse: a NUL byte anywhere
 * refuses the line (jansson let one pass after a number or a word), and
 * text fields are held to model/text.h.  jansson checks the JSON (syntax, UTF-8, duplicate keys, no "\u0000"),
 * then the members are checked one by one in a fixed order.  The
 * differential test (test_event_diff.c) and the event fuzz target hold
 * event_parse to it: the same answer for every input, the same fields, and
 * the same reason whenever the line is valid JSON.
 */
#include "tests/fuzz/event_ref.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/money.h"
#include "model/text.h"

#define EVENT_REF_WS(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

static void	event_ref_reason(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static size_t	event_ref_utf8_next(const unsigned char *, size_t, uint32_t *);
static void	event_ref_sanitize(const char *, size_t, char *, size_t);
static const char *event_ref_type_name(const json_t *);
static int	event_ref_string(const json_t *, const char *, int, const char **,
		    size_t *, char *, size_t);
static int	event_ref_text(const json_t *, const char *, int, char *, size_t,
		    char *, size_t);
static int	event_ref_amount(const char *, const json_t *, size_t, money_t *,
		    char *, size_t);
static int	event_ref_amount_text(const char *, size_t, money_t *, char *,
		    size_t);
static int	event_ref_decimal_shape(const char *, size_t);
static int	event_ref_find_member(const char *, size_t, const char *,
		    const char **, size_t *);
static size_t	event_ref_skip_ws(const char *, size_t, size_t);
static size_t	event_ref_skip_string(const char *, size_t, size_t);
static size_t	event_ref_skip_value(const char *, size_t, size_t);
static int	event_ref_key_is(const char *, size_t, const char *);
static int	event_ref_hex4(const char *, uint32_t *);

/*
 * Decodes one UTF-8 character from s[0..n) into *cp.  Returns its length,
 * or 0 when the bytes are not strict UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF, cut short).
 */
static size_t
event_ref_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
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
 * printf into reason[reasonsz]; a reason cut short never ends inside a
 * UTF-8 sequence.
 */
static void
event_ref_reason(char *reason, size_t reasonsz, const char *fmt, ...)
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
 * Copies jansson's error text into out[outsz] fit to print: invalid UTF-8
 * and control characters become '?', and the hint about a jansson flag is
 * dropped.
 */
static void
event_ref_sanitize(const char *in, size_t inlen, char *out, size_t outsz)
{
	const unsigned char *u = (const unsigned char *)in;
	const char *cut;
	size_t i = 0, o = 0, k;
	uint32_t cp;

	if ((cut = strstr(in, " without JSON_ALLOW_NUL")) != NULL &&
	    (size_t)(cut - in) < inlen)
		inlen = (size_t)(cut - in);
	while (i < inlen && o + 5 < outsz) {
		k = event_ref_utf8_next(u + i, inlen - i, &cp);
		if (k == 0 || cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, in + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
}

/* "null", "a number", ...: what a JSON value is, for reasons. */
static const char *
event_ref_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	case JSON_NULL:
	default:
		return "null";
	}
}

/*
 * Finds string member key of obj.  Returns 1 with *s and *n set, 0 when it
 * is absent and not required, or -1 with a reason (absent and required,
 * not a string, or empty).
 */
static int
event_ref_string(const json_t *obj, const char *key, int required,
    const char **s, size_t *n, char *reason, size_t reasonsz)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (!required)
			return 0;
		event_ref_reason(reason, reasonsz, "missing field \"%s\"", key);
		return -1;
	}
	if (!json_is_string(v)) {
		event_ref_reason(reason, reasonsz, "\"%s\" must be a string, not %s",
		    key, event_ref_type_name(v));
		return -1;
	}
	*s = json_string_value(v);
	*n = json_string_length(v);
	if (*n == 0) {
		event_ref_reason(reason, reasonsz, "\"%s\" is empty", key);
		return -1;
	}
	return 1;
}

/*
 * A text member (ref_id, event_id) into out[outsz]: non-empty, at most
 * outsz - 1 bytes, valid text.  Returns 1 found, 0 absent (optional), -1.
 */
static int
event_ref_text(const json_t *obj, const char *key, int required, char *out,
    size_t outsz, char *reason, size_t reasonsz)
{
	struct text_bad bad;
	char what[64];
	const char *s = NULL;
	size_t n = 0;
	int rc;

	if ((rc = event_ref_string(obj, key, required, &s, &n, reason,
	    reasonsz)) <= 0)
		return rc;
	if (n >= outsz) {
		event_ref_reason(reason, reasonsz, "\"%s\" is too long (at most %zu "
		    "bytes)", key, outsz - 1);
		return -1;
	}
	if (text_check(s, n, &bad) != 0) {
		text_describe(&bad, what, sizeof(what));
		event_ref_reason(reason, reasonsz, "\"%s\" must be text without "
		    "control characters: %s is not allowed", key, what);
		return -1;
	}
	memcpy(out, s, n + 1);
	return 1;
}

/* Returns 1 when t[0..n) looks like a decimal amount, overflow aside. */
static int
event_ref_decimal_shape(const char *t, size_t n)
{
	size_t i = 0, start, frac;

	if (i < n && t[i] == '-')
		i++;
	start = i;
	while (i < n && t[i] >= '0' && t[i] <= '9')
		i++;
	if (i == start || (t[start] == '0' && i - start > 1))
		return 0;
	if (i < n && t[i] == '.') {
		frac = ++i;
		while (i < n && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i == frac || i - frac > 2)
			return 0;
	}
	return i == n;
}

/* Parses the amount text t[0..n) into *out (> 0), or gives the reason. */
static int
event_ref_amount_text(const char *t, size_t n, money_t *out, char *reason,
    size_t reasonsz)
{
	money_t v;

	if (money_parse_n(t, n, MONEY_UNSIGNED, &v) == 0) {
		if (v <= 0) {
			event_ref_reason(reason, reasonsz, "amount must be positive");
			return -1;
		}
		*out = v;
		return 0;
	}
	if (event_ref_decimal_shape(t, n)) {
		if (t[0] == '-')
			event_ref_reason(reason, reasonsz,
			    "amount must be positive");
		else
			event_ref_reason(reason, reasonsz, "\"amount\" is too large");
		return -1;
	}
	event_ref_reason(reason, reasonsz,
	    "\"amount\" must be a decimal like \"125.00\"");
	return -1;
}

/*
 * The amount member of obj: a decimal string, or a JSON number whose exact
 * text is found in line[0..len).
 */
static int
event_ref_amount(const char *line, const json_t *obj, size_t len, money_t *out,
    char *reason, size_t reasonsz)
{
	const json_t *v = json_object_get(obj, "amount");
	const char *tok;
	size_t toklen;

	if (v == NULL) {
		event_ref_reason(reason, reasonsz, "missing field \"amount\"");
		return -1;
	}
	if (json_is_string(v))
		return event_ref_amount_text(json_string_value(v),
		    json_string_length(v), out, reason, reasonsz);
	if (json_is_number(v)) {
		if (event_ref_find_member(line, len, "amount", &tok, &toklen) == -1) {
			/* Cannot happen on text jansson accepted. */
			event_ref_reason(reason, reasonsz,
			    "\"amount\" could not be read");
			return -1;
		}
		return event_ref_amount_text(tok, toklen, out, reason, reasonsz);
	}
	event_ref_reason(reason, reasonsz,
	    "\"amount\" must be a decimal like \"125.00\", not %s",
	    event_ref_type_name(v));
	return -1;
}

int
event_ref_parse(const char *line, size_t len, struct event *ev, char *reason,
    size_t reasonsz)
{
	struct event e;
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *s = NULL;
	size_t i, n = 0;
	json_int_t bt;
	char jtext[JSON_ERROR_TEXT_LENGTH + 16];
	int rc = -1;

	memset(&e, 0, sizeof(e));
	if (reason != NULL && reasonsz > 0)
		reason[0] = '\0';
	if (line == NULL)
		len = 0;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && EVENT_REF_WS(line[i]); i++)
		;
	if (i == len) {
		event_ref_reason(reason, reasonsz, "empty line");
		goto out;
	}
	if (memchr(line, '\0', len) != NULL) {
		event_ref_reason(reason, reasonsz, "not valid JSON: a NUL byte is "
		    "not allowed");
		goto out;
	}

	root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (root == NULL) {
		event_ref_sanitize(jerr.text,
		    strnlen(jerr.text, JSON_ERROR_TEXT_LENGTH - 1), jtext,
		    sizeof(jtext));
		event_ref_reason(reason, reasonsz, "not valid JSON: %s (column %d)",
		    jtext, jerr.column);
		goto out;
	}
	if (!json_is_object(root)) {
		event_ref_reason(reason, reasonsz, "not a JSON object: an event is "
		    "{\"branch\": ..., \"buss_type\": ..., ...}");
		goto out;
	}

	/* branch */
	if (event_ref_string(root, "branch", 1, &s, &n, reason, reasonsz) == -1)
		goto out;
	if (n > FF_CODE_MAX) {
		event_ref_reason(reason, reasonsz, "\"branch\" is too long (at most "
		    "%d bytes)", FF_CODE_MAX);
		goto out;
	}
	if (!event_valid_code(s)) {
		event_ref_reason(reason, reasonsz, "\"branch\" must be a code of "
		    "letters, digits, '-', '_' or '.'");
		goto out;
	}
	memcpy(e.branch, s, n + 1);

	/* buss_type */
	if ((v = json_object_get(root, "buss_type")) == NULL) {
		event_ref_reason(reason, reasonsz, "missing field \"buss_type\"");
		goto out;
	}
	if (!json_is_integer(v)) {
		if (json_is_real(v))
			event_ref_reason(reason, reasonsz,
			    "\"buss_type\" must be a whole number");
		else
			event_ref_reason(reason, reasonsz,
			    "\"buss_type\" must be a whole number, not %s",
			    event_ref_type_name(v));
		goto out;
	}
	bt = json_integer_value(v);
	if (bt < 1 || bt > INT32_MAX) {
		event_ref_reason(reason, reasonsz,
		    "\"buss_type\" must be from 1 to %d", INT32_MAX);
		goto out;
	}
	e.buss_type = (int32_t)bt;

	/* ref_id, amount */
	if (event_ref_text(root, "ref_id", 1, e.ref_id, sizeof(e.ref_id), reason,
	    reasonsz) == -1)
		goto out;
	if (event_ref_amount(line, root, len, &e.amount, reason, reasonsz) == -1)
		goto out;

	/* Optional: event_id, occurred_at. */
	if (event_ref_text(root, "event_id", 0, e.event_id, sizeof(e.event_id),
	    reason, reasonsz) == -1)
		goto out;
	if ((v = json_object_get(root, "occurred_at")) != NULL) {
		s = json_is_string(v) ? json_string_value(v) : NULL;
		if (s == NULL || !event_valid_time(s)) {
			event_ref_reason(reason, reasonsz, "\"occurred_at\" must be a "
			    "time like \"2018-06-06T08:47:43+08:00\"%s%s",
			    s == NULL ? ", not " : "",
			    s == NULL ? event_ref_type_name(v) : "");
			goto out;
		}
		memcpy(e.occurred_at, s, strlen(s) + 1);
	}

	*ev = e;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/*
 * The scanner.  It runs only over text jansson has accepted, yet every step
 * is bounded by n so that it cannot run off the line whatever it is given.
 */

/* Index of the first non-whitespace byte at or after i. */
static size_t
event_ref_skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && EVENT_REF_WS(s[i]))
		i++;
	return i;
}

/* s[i] is '"'; returns the index just past the closing quote (or n). */
static size_t
event_ref_skip_string(const char *s, size_t n, size_t i)
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
event_ref_skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	if (i >= n)
		return n;
	if (s[i] == '"')
		return event_ref_skip_string(s, n, i);
	if (s[i] == '{' || s[i] == '[') {
		while (i < n) {
			if (s[i] == '"') {
				i = event_ref_skip_string(s, n, i);
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
	    !EVENT_REF_WS(s[i]))
		i++;
	return i;
}

/* Four hex digits at s into *out; returns 1, or 0. */
static int
event_ref_hex4(const char *s, uint32_t *out)
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
event_ref_key_is(const char *k, size_t n, const char *want)
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
				if (n - i < 6 || !event_ref_hex4(k + i + 2, &cp) ||
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

/*
 * Finds the member key of the top-level object in s[0..n) and sets
 * *tok / *toklen to the raw text of its value.  Returns 0, or -1 when the
 * text is not an object or has no such member.
 */
static int
event_ref_find_member(const char *s, size_t n, const char *key, const char **tok,
    size_t *toklen)
{
	size_t i, ks, ke, vs;
	int match;

	i = event_ref_skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i++;
	for (;;) {
		i = event_ref_skip_ws(s, n, i);
		if (i >= n || s[i] == '}')
			return -1;
		if (s[i] == ',') {
			i++;
			continue;
		}
		if (s[i] != '"')
			return -1;
		ks = i + 1;
		i = event_ref_skip_string(s, n, i);
		if (i > n || i <= ks || s[i - 1] != '"')
			return -1;
		ke = i - 1;
		match = event_ref_key_is(s + ks, ke - ks, key);
		i = event_ref_skip_ws(s, n, i);
		if (i >= n || s[i] != ':')
			return -1;
		vs = event_ref_skip_ws(s, n, i + 1);
		i = event_ref_skip_value(s, n, vs);
		if (match) {
			*tok = s + vs;
			*toklen = i - vs;
			return 0;
		}
		if (i <= vs)
			return -1;	/* no progress: not JSON after all */
	}
}

/* The prefix of every reason for text that is not JSON at all. */
#define EVENT_REF_NOT_JSON	"not valid JSON"

int
event_ref_compare(const char *line, size_t len, char *why, size_t whysz)
{
	struct event a, b, untouched;
	char ra[256], rb[256];
	int rca, rcb;

	memset(&a, 0x5a, sizeof(a));
	memset(&untouched, 0x5a, sizeof(untouched));
	memset(&b, 0, sizeof(b));
	rca = event_parse(line, len, &a, ra, sizeof(ra));
	rcb = event_ref_parse(line, len, &b, rb, sizeof(rb));
	if (rca != rcb) {
		snprintf(why, whysz, "event_parse %s (%s), the reference %s "
		    "(%s)", rca == 0 ? "accepts" : "refuses",
		    rca == 0 ? "" : ra, rcb == 0 ? "accepts" : "refuses",
		    rcb == 0 ? "" : rb);
		return -1;
	}
	if (rca != 0) {
		if (memcmp(&a, &untouched, sizeof(a)) != 0) {
			snprintf(why, whysz, "event_parse refused (%s) but "
			    "changed the event", ra);
			return -1;
		}
		if (strncmp(rb, EVENT_REF_NOT_JSON,
		    strlen(EVENT_REF_NOT_JSON)) == 0 ?
		    strncmp(ra, EVENT_REF_NOT_JSON,
		    strlen(EVENT_REF_NOT_JSON)) != 0 : strcmp(ra, rb) != 0) {
			snprintf(why, whysz, "reasons differ: event_parse "
			    "\"%s\", the reference \"%s\"", ra, rb);
			return -1;
		}
		return 0;
	}
	if (strcmp(a.event_id, b.event_id) != 0 ||
	    strcmp(a.branch, b.branch) != 0 || a.buss_type != b.buss_type ||
	    strcmp(a.ref_id, b.ref_id) != 0 || a.amount != b.amount ||
	    strcmp(a.occurred_at, b.occurred_at) != 0) {
		snprintf(why, whysz, "fields differ: event_parse {%s, %s, %d, "
		    "%s, %lld, %s}, the reference {%s, %s, %d, %s, %lld, %s}",
		    a.event_id, a.branch, (int)a.buss_type, a.ref_id,
		    (long long)a.amount, a.occurred_at, b.event_id, b.branch,
		    (int)b.buss_type, b.ref_id, (long long)b.amount,
		    b.occurred_at);
		return -1;
	}
	return 0;
}
