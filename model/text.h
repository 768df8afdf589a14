/*
 * text.h — what text fundflow stores: the one check every stored field
 * an operator or a feeder types goes through (branch codes and names,
 * logins and operator names, notes and reasons, income reference and
 * event ids, business type names), and the sentence that names what is
 * wrong with a refused one.
 *
 * Text fit to store is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) without:
 *  - control characters: C0 (U+0000..U+001F, TAB and newlines included),
 *    DEL (U+007F) and C1 (U+0080..U+009F);
 *  - the invisible format characters that can disguise or reorder text:
 *    U+061C (Arabic letter mark), U+200B..U+200F (zero width space,
 *    non-joiner, joiner, left-to-right and right-to-left marks),
 *    U+202A..U+202E (bidi embeddings and overrides), U+2060..U+2064 (word
 *    joiner, invisible operators), U+2066..U+2069 (bidi isolates) and
 *    U+FEFF (zero width no-break space, the byte order mark).
 * No allocation, no locale: safe anywhere (the fuzz targets link it).
 */
#ifndef FF_TEXT_H
#define FF_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum text_fault {
	TEXT_OK = 0,
	TEXT_UTF8,		/* a byte that starts no valid character */
	TEXT_CONTROL,		/* C0, DEL or C1 */
	TEXT_BIDI,		/* a bidi mark, embedding, override, isolate */
	TEXT_FORMAT		/* another invisible format character */
};

/* The first thing wrong with a piece of text. */
struct text_bad {
	enum text_fault fault;
	uint32_t cp;		/* the character (TEXT_UTF8: the byte) */
	size_t at;		/* its byte offset */
};

/* The longest sentence text_refusal writes, with a 40-byte field name. */
#define TEXT_REFUSAL_MAX 160

/*
 * Checks the n bytes at s (NUL bytes count as control characters; s may
 * be NULL when n is 0).  Returns 0 when the text is fit to store, else -1
 * and, when bad is not NULL, fills OUT: *bad with the first fault.
 */
int text_check(const char *s, size_t n, struct text_bad *bad);

/*
 * Decodes the strict UTF-8 character that starts the n (> 0) bytes at s.
 * Returns its length in bytes (1 to 4) with OUT: *cp, or 0 when s does not
 * start a valid character.
 */
size_t text_next(const char *s, size_t n, uint32_t *cp);

/* Returns 1 when the n bytes at s are fit to store (text_check == 0). */
int text_valid(const char *s, size_t n);

/*
 * Writes into buf[bufsz] what bad found, in words that quote nothing of
 * the text itself: "U+202E (a bidi control)", "U+001B (a control
 * character)", "U+200B (an invisible format character)", "invalid UTF-8
 * (byte 0xFF)".  Always NUL-terminated (bufsz > 0).
 */
void text_describe(const struct text_bad *bad, char *buf, size_t bufsz);

/*
 * Checks the NUL-terminated s (NULL is ""), a field called field ("reason",
 * "branch name").  Returns 0 when fit to store; else -1 with the refusal
 * in buf[bufsz]: "the reason contains U+202E (a bidi control), which is
 * not allowed".
 */
int text_refusal(const char *field, const char *s, char *buf, size_t bufsz);

/*
 * Copies s (NULL is "") into out[outsz] (outsz > 0), NUL-terminated, with
 * everything text_check refuses replaced by U+FFFD (one per bad byte of
 * invalid UTF-8), and cut, if it must be, only between characters.  For
 * text that is recorded whatever it holds (the activity journal's targets
 * and details, which quote what an operator typed).  Returns the length.
 */
size_t text_sanitize(char *out, size_t outsz, const char *s);

#endif
