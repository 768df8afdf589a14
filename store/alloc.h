/*
 * alloc.h — the memory SQLite works in (see alloc.c).  Store-internal:
 * called once, before SQLite initialises.
 */
#ifndef FF_STORE_ALLOC_H
#define FF_STORE_ALLOC_H

/*
 * Puts the size-class pool under SQLite when SQLite still has its own
 * allocator.  Returns 1 when installed, 0 when another allocator was
 * installed before (left alone), -1 when SQLite refused (it had already
 * initialised).
 */
int store_alloc_install(void);

#endif
