/* width.c — UTF-8 text in terminal columns; see width.h. */

/* wcwidth(3) is an X/Open function; ask for it explicitly. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include "width.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "store/xmalloc.h"

/* What width_utf8 yields for a byte that starts no valid character. */
#define WIDTH_BAD	UINT32_MAX
#define WIDTH_FFFD	0xfffdU

static size_t	width_utf8(const unsigned char *, size_t, uint32_t *);
static int	width_is_control(uint32_t);
static size_t	width_encode(uint32_t, char *);
static size_t	width_encoded_len(uint32_t);
static void	width_measure(const char *, size_t, size_t *, size_t *);
static size_t	width_render(char *, const char *, size_t);
static size_t	width_pad(char *, size_t);

/*
 * Decodes one UTF-8 character strictly (Unicode table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF).  Returns the bytes used;
 * on anything invalid, including a sequence cut short by len, it consumes
 * one byte and sets *cp to WIDTH_BAD, so each bad byte stands alone.
 */
static size_t
width_utf8(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates U+D800..U+DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			goto bad;
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return n;
bad:
	*cp = WIDTH_BAD;
	return 1;
}

/*
 * Characters that would move the cursor, change the terminal's state or
 * reorder the line: C0, DEL, C1, and the bidi marks, embeddings, overrides
 * and isolates (the "Trojan Source" characters).
 */
static int
width_is_control(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 1;
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f)
		return 1;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 1;
	return 0;
}

size_t
width_decode(const char *s, size_t len, uint32_t *cp, int *cols)
{
	uint32_t v, shown;
	size_t n;
	int w;

	if (s == NULL || len == 0) {
		if (cp != NULL)
			*cp = 0;
		if (cols != NULL)
			*cols = 0;
		return 0;
	}
	n = width_utf8((const unsigned char *)s, len, &v);
	if (v >= 0x20 && v < 0x7f) {
		/* Plain ASCII needs no table (and no locale). */
		shown = v;
		w = 1;
	} else if (v == WIDTH_BAD) {
		shown = WIDTH_FFFD;
		w = 1;
	} else if (width_is_control(v)) {
		shown = '?';
		w = 1;
	} else {
		w = wcwidth((wchar_t)v);
		if (w < 0) {
			/* Unassigned or unprintable: the terminal may not
			 * agree on its width, so show something that has one. */
			shown = WIDTH_FFFD;
			w = 1;
		} else {
			shown = v;
			if (w > 2)
				w = 2;
		}
	}
	if (cp != NULL)
		*cp = shown;
	if (cols != NULL)
		*cols = w;
	return n;
}

/* Bytes the UTF-8 encoding of a valid code point takes. */
static size_t
width_encoded_len(uint32_t cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp < 0x10000)
		return 3;
	return 4;
}

/* Writes the UTF-8 encoding of cp at buf (no NUL); returns its length. */
static size_t
width_encode(uint32_t cp, char *buf)
{
	unsigned char *b = (unsigned char *)buf;

	switch (width_encoded_len(cp)) {
	case 1:
		b[0] = (unsigned char)cp;
		return 1;
	case 2:
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	case 3:
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	default:
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		return 4;
	}
}

/* OUT: *cols and *bytes of the rendering of the len bytes at s. */
static void
width_measure(const char *s, size_t len, size_t *cols, size_t *bytes)
{
	size_t i, n, c = 0, b = 0;
	uint32_t cp;
	int w;

	for (i = 0; i < len; i += n) {
		n = width_decode(s + i, len - i, &cp, &w);
		c += (size_t)w;
		b += width_encoded_len(cp);
	}
	*cols = c;
	*bytes = b;
}

/*
 * Writes the rendering of the first len bytes of s at out (no NUL; out
 * must have room, as width_measure counted).  Returns the bytes written.
 */
static size_t
width_render(char *out, const char *s, size_t len)
{
	size_t i, n, o = 0;
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = width_decode(s + i, len - i, &cp, NULL);
		o += width_encode(cp, out + o);
	}
	return o;
}

/* Writes n spaces at out (no NUL); returns n. */
static size_t
width_pad(char *out, size_t n)
{
	memset(out, ' ', n);
	return n;
}

int
width_strn(const char *s, size_t len)
{
	size_t cols, bytes;

	if (s == NULL)
		return 0;
	width_measure(s, len, &cols, &bytes);
	return cols > INT_MAX ? INT_MAX : (int)cols;
}

int
width_str(const char *s)
{
	if (s == NULL)
		return 0;
	return width_strn(s, strlen(s));
}

size_t
width_fit(char *out, size_t outsz, const char *s, int cols,
    enum width_align align)
{
	size_t want, room, len, tcols, tbytes, keep, kcols, kbytes, i, n;
	size_t o = 0, pad, elen = sizeof(WIDTH_ELLIPSIS) - 1;
	uint32_t cp;
	int w;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	want = (size_t)cols;
	/* Room for cols - 1 spaces and the ellipsis, whatever s holds. */
	if (outsz - 1 < want - 1 + elen)
		return 0;
	room = outsz - 1;
	if (s == NULL)
		s = "";
	len = strlen(s);

	width_measure(s, len, &tcols, &tbytes);
	if (tcols <= want && tbytes + (want - tcols) <= room) {
		pad = want - tcols;
		if (align == WIDTH_RIGHT)
			o += width_pad(out + o, pad);
		o += width_render(out + o, s, len);
		if (align != WIDTH_RIGHT)
			o += width_pad(out + o, pad);
		out[o] = '\0';
		return o;
	}

	/*
	 * Cut: keep the longest beginning that leaves a column for the
	 * ellipsis and, with the padding it then needs, fits in out.  Stop
	 * at the first character that does not fit, so that combining marks
	 * never outlive their base character.
	 */
	keep = kcols = kbytes = 0;
	for (i = 0; i < len; i += n) {
		n = width_decode(s + i, len - i, &cp, &w);
		if (kcols + (size_t)w > want - 1)
			break;
		if (kbytes + width_encoded_len(cp) + elen +
		    (want - 1 - kcols - (size_t)w) > room)
			break;
		kcols += (size_t)w;
		kbytes += width_encoded_len(cp);
		keep = i + n;
	}
	pad = want - 1 - kcols;
	if (align == WIDTH_RIGHT)
		o += width_pad(out + o, pad);
	o += width_render(out + o, s, keep);
	memcpy(out + o, WIDTH_ELLIPSIS, elen);
	o += elen;
	if (align != WIDTH_RIGHT)
		o += width_pad(out + o, pad);
	out[o] = '\0';
	return o;
}

char *
width_sanitize(const char *s)
{
	size_t len, cols, bytes, o;
	char *out;

	if (s == NULL)
		s = "";
	len = strlen(s);
	width_measure(s, len, &cols, &bytes);
	out = xmalloc(bytes + 1);
	o = width_render(out, s, len);
	out[o] = '\0';
	return out;
}
