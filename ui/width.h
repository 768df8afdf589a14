/*
 * width.h — UTF-8 text measured, cut and padded in terminal columns.
 *
 * Everything that puts text on a screen or into a table column goes
 * through here, so that width is always counted in columns, never bytes.
 * The module decodes UTF-8 itself (strictly: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and asks wcwidth(3) only for the
 * width of valid characters, so it needs the program's
 * setlocale(LC_ALL, "") to have picked a UTF-8 locale.  No curses here:
 * the command-line tables and the curses screens share it.
 *
 * What is displayed for a piece of text (its "rendering"):
 *  - each byte that does not start a valid UTF-8 character is shown as
 *    U+FFFD (one column per bad byte);
 *  - control characters (C0 such as '\t' and ESC, DEL, C1, and the bidi
 *    embedding / override / isolate marks that could reorder a line) are
 *    shown as '?' (one column);
 *  - a valid character wcwidth cannot measure (unassigned, or a line
 *    separator) is shown as U+FFFD (one column);
 *  - everything else is itself: CJK and other wide characters take two
 *    columns, combining marks take none.
 * The rendering is always safe to hand to a terminal.
 *
 * A NULL string is treated as the empty string throughout.
 */
#ifndef FF_WIDTH_H
#define FF_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* The mark that ends cut text: U+2026, one column. */
#define WIDTH_ELLIPSIS "\xe2\x80\xa6"

/*
 * A buffer of WIDTH_FIT_BUFSZ(cols) bytes is large enough for width_fit()
 * to render any text in cols columns losing nothing but what the columns
 * force out (only a long run of combining marks could still be short of
 * room; it is then cut like text that is too wide).  The smallest buffer
 * width_fit() accepts at all is cols + 3 bytes.
 */
#define WIDTH_FIT_BUFSZ(cols) (4 * (size_t)(cols) + 4)

enum width_align {
	WIDTH_LEFT = 0,		/* text first, padding after */
	WIDTH_RIGHT = 1		/* padding first, text after (numbers) */
};

/*
 * Decodes the first character of the len bytes at s, as it is rendered.
 * Returns the number of bytes consumed: 0 only when len is 0, otherwise at
 * least 1 (one invalid byte is one character).  OUT: *cp is the code point
 * shown (U+FFFD for a bad byte or an unmeasurable character, '?' for a
 * control character); OUT: *cols its columns (0, 1 or 2).  Either output
 * pointer may be NULL.  Lets a screen walk text one character at a time.
 */
size_t width_decode(const char *s, size_t len, uint32_t *cp, int *cols);

/* Columns the rendering of the NUL-terminated s takes (INT_MAX at most). */
int width_str(const char *s);

/* Columns the rendering of the len bytes at s takes (NULs included, each a
 * control character).  INT_MAX at most. */
int width_strn(const char *s, size_t len);

/*
 * Writes into out (outsz bytes) the rendering of s cut or padded with
 * spaces to exactly cols columns, NUL-terminated, and returns its length
 * in bytes (not counting the NUL).
 *
 * Text narrower than cols is padded after it (WIDTH_LEFT) or before it
 * (WIDTH_RIGHT).  Text wider than cols is cut: its beginning is kept, in
 * at most cols - 1 columns, followed by WIDTH_ELLIPSIS; a wide character
 * is never split, so when one would straddle the edge it goes and a space
 * takes its column (placed like the rest of the padding).  Text that fits
 * in columns but not in out (a flood of combining marks) is cut the same
 * way.  cols <= 0 gives "".
 *
 * When outsz < cols + 3 nothing useful fits: out becomes "" (if outsz > 0)
 * and 0 is returned.  Give it WIDTH_FIT_BUFSZ(cols) bytes.
 */
size_t width_fit(char *out, size_t outsz, const char *s, int cols,
    enum width_align align);

/*
 * Returns a copy of s in its rendering (bad bytes become U+FFFD
 * "\xEF\xBF\xBD", control characters '?'), safe to print anywhere.  The
 * caller frees it with free(); allocation failure aborts (xmalloc).
 */
char *width_sanitize(const char *s);

#endif
