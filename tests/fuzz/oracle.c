/*
 * oracle.c — the fuzz targets' independent oracles: what the parsers
 * promise, written again here from their headers and not taken from the
 * engine, so that a bug there cannot vouch for itself.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"

/*
 * Plain text: well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing past U+10FFFF) without C0, DEL or
 * C1 control characters, and without the bidi and invisible format
 * characters model/text.h lists: U+061C, U+200B..U+200F, U+202A..U+202E,
 * U+2060..U+2064, U+2066..U+2069, U+FEFF.
 */
int
fuzz_plain_text(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k;

		if (s[i] < 0x80) {
			cp = s[i];
			k = 1;
		} else if (s[i] >= 0xC2 && s[i] <= 0xDF) {
			cp = s[i] & 0x1F;
			k = 2;
		} else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			cp = s[i] & 0x0F;
			k = 3;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			cp = s[i] & 0x07;
			k = 4;
		} else {
			return 0;
		}
		if (i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F))
			return 0;
		if (cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
		    (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2060 && cp <= 0x2064) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return 0;
		i += k;
	}
	return 1;
}

/* A branch code: 1..16 of A-Z a-z 0-9 . _ - */
int
fuzz_code(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

/* The shape of an ISO 8601 time with seconds and an offset (the ranges of
 * the fields are event.c's to check; here only the form). */
int
fuzz_time_shape(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	size_t n = strlen(s), i;

	if (n < 20)
		return 0;
	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != form[i])
			return 0;
	if (s[i] == '.') {
		i++;
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i] == 'Z')
		return s[i + 1] == '\0';
	return (s[i] == '+' || s[i] == '-') && s[i + 1] >= '0' && s[i + 1] <= '9' &&
	    s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == ':' &&
	    s[i + 4] >= '0' && s[i + 4] <= '9' && s[i + 5] >= '0' &&
	    s[i + 5] <= '9' && s[i + 6] == '\0';
}


/*
 * money.h's grammar: an optional '-' (signed only), integer digits with no
 * redundant leading zero, optionally '.' and one or two digits; at most
 * INT64_MAX fen either way; "-0" in any form refused.
 */
int
fuzz_money_oracle(const char *s, size_t n, int is_signed, int64_t *out)
{
	size_t i = 0, ip = 0, fp = 0;
	__int128 v = 0;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		if (!is_signed)
			return -1;
		neg = 1;
		i = 1;
	}
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (ip == 1 && s[i - 1] == '0')
			return -1;
		if (v < ((__int128)1 << 100))
			v = v * 10 + (s[i] - '0');
		i++;
		ip++;
	}
	if (ip == 0)
		return -1;
	v *= 100;
	if (i < n && s[i] == '.') {
		int f = 0;

		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9' && fp < 3) {
			f = f * 10 + (s[i] - '0');
			i++;
			fp++;
		}
		if (fp == 0 || fp > 2)
			return -1;
		v += fp == 1 ? f * 10 : f;
	}
	if (i != n || v > INT64_MAX || (neg && v == 0))
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}
