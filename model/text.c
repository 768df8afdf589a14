/* text.c — the one check of stored text; see text.h. */
#include "text.h"

#include <stdio.h>
#include <string.h>

static size_t	text_utf8_next(const unsigned char *, size_t, uint32_t *);
static enum text_fault text_class(uint32_t);

/*
 * Decodes one strict UTF-8 character from the n (> 0) bytes at s.
 * Returns its length, or 0 when s does not start a valid character.
 */
static size_t
text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

/* What a valid character is, for storing. */
static enum text_fault
text_class(uint32_t cp)
{
	if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f))
		return TEXT_CONTROL;
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return TEXT_BIDI;
	if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xfeff)
		return TEXT_FORMAT;
	return TEXT_OK;
}

int
text_check(const char *s, size_t n, struct text_bad *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	enum text_fault f;
	size_t i = 0, k;
	uint32_t cp;

	if (s == NULL)
		n = 0;
	while (i < n) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {	/* printable ASCII */
			i++;
			continue;
		}
		if ((k = text_utf8_next(u + i, n - i, &cp)) == 0) {
			f = TEXT_UTF8;
			cp = u[i];
		} else {
			f = text_class(cp);
		}
		if (f != TEXT_OK) {
			if (bad != NULL) {
				bad->fault = f;
				bad->cp = cp;
				bad->at = i;
			}
			return -1;
		}
		i += k;
	}
	if (bad != NULL)
		memset(bad, 0, sizeof(*bad));
	return 0;
}

size_t
text_next(const char *s, size_t n, uint32_t *cp)
{
	return n == 0 ? 0 : text_utf8_next((const unsigned char *)s, n, cp);
}

int
text_valid(const char *s, size_t n)
{
	return text_check(s, n, NULL) == 0;
}

void
text_describe(const struct text_bad *bad, char *buf, size_t bufsz)
{
	static const char *const what[] = {
		[TEXT_OK] = "nothing wrong",
		[TEXT_UTF8] = "",
		[TEXT_CONTROL] = "a control character",
		[TEXT_BIDI] = "a bidi control",
		[TEXT_FORMAT] = "an invisible format character",
	};

	if (bufsz == 0)
		return;
	if (bad->fault == TEXT_UTF8)
		snprintf(buf, bufsz, "invalid UTF-8 (byte 0x%02X)",
		    (unsigned)bad->cp & 0xff);
	else if (bad->fault == TEXT_OK)
		snprintf(buf, bufsz, "%s", what[TEXT_OK]);
	else
		snprintf(buf, bufsz, "U+%04X (%s)", (unsigned)bad->cp,
		    what[bad->fault]);
}

int
text_refusal(const char *field, const char *s, char *buf, size_t bufsz)
{
	struct text_bad bad;
	char what[64];

	if (s == NULL)
		s = "";
	if (text_check(s, strlen(s), &bad) == 0) {
		if (bufsz > 0)
			buf[0] = '\0';
		return 0;
	}
	text_describe(&bad, what, sizeof(what));
	snprintf(buf, bufsz, "the %s contains %s, which is not allowed",
	    field, what);
	return -1;
}

size_t
text_sanitize(char *out, size_t outsz, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)u), i = 0, o = 0, k;
	uint32_t cp;

	if (outsz == 0)
		return 0;
	while (i < n) {
		const char *put;

		k = text_utf8_next(u + i, n - i, &cp);
		if (k == 0 || text_class(cp) != TEXT_OK) {
			put = "\xef\xbf\xbd";
			if (k == 0)
				k = 1;
			if (o + 3 >= outsz)
				break;
			memcpy(out + o, put, 3);
			o += 3;
		} else {
			if (o + k >= outsz)
				break;
			memcpy(out + o, u + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return o;
}
