/*
 * xmalloc.h — allocation that never returns NULL.
 *
 * Every layer allocates through this one family; an allocation failure
 * prints a message and aborts, so callers never carry an out-of-memory
 * path for small bookkeeping allocations.  It lives in store/, the lowest
 * layer, so that ui/ and model/ can reach it without a dependency that
 * points upward.
 */
#ifndef FF_XMALLOC_H
#define FF_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of nmemb elements of size bytes; aborts on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* printf into a fresh string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copies src into dst of size dstsz, always NUL-terminated.  Returns 0, or
 * -1 when src did not fit (dst then holds nothing: it is the empty string).
 */
int xstrlcpy(char *dst, const char *src, size_t dstsz);

#endif
