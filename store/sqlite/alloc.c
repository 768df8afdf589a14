/*
 * alloc.c — SQLite's memory, kept on free lists by size.
 *
 * Written when fundflow used Debian's SQLite, built without its lookaside
 * allocator: every cursor, trigger frame and journal chunk of every
 * statement was a malloc and a free, a tenth of the instructions an
 * ingested event cost.  The SQLite built in now (third_party/sqlite)
 * has its lookaside for each connection's small blocks; the pool serves the
 * rest and still saves about 2 % of an event's instructions (callgrind,
 * 20,000 events: 1.478 -> 1.444 G).  Blocks up to 64 KiB come from
 * per-thread free lists of 48 size classes (four per power of two),
 * carved from larger slabs; bigger ones go to the allocator underneath.
 * Memory taken is kept for reuse and never returned, so the pool is as
 * big as the peak of what SQLite held at once (a few MiB).  Under
 * AddressSanitizer a free block is poisoned, so a use after free is
 * still caught.
 *
 * The pool stacks only on SQLite's own allocator: when the process has
 * installed another one (the stress tests' fault-injecting shim does),
 * that one is left as it is, so every allocation still reaches it.
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_ASAN 1
#endif
#endif
#ifdef ALLOC_ASAN
#include <sanitizer/asan_interface.h>
#define ALLOC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ALLOC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ALLOC_POISON(p, n) ((void)(p), (void)(n))
#define ALLOC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALLOC_CLASSES 48		/* 16 B .. 64 KiB */
#define ALLOC_MAX 65536
#define ALLOC_BIG 0xffffffffu		/* hdr.cls of a block from below */
#define ALLOC_SLAB 65536		/* bytes carved at once (at least) */

/* In front of every block; the payload follows, 16-byte aligned. */
struct alloc_hdr {
	uint32_t cls;			/* size class, or ALLOC_BIG */
	uint32_t big;			/* ALLOC_BIG: the payload's size */
	struct alloc_hdr *next;		/* on a free list: the next block */
};

static void *alloc_malloc(int n);
static void alloc_free(void *p);
static void *alloc_realloc(void *p, int n);
static int alloc_size(void *p);
static int alloc_roundup(int n);
static int alloc_init(void *arg);
static void alloc_shutdown(void *arg);
static int alloc_class(size_t n);
static size_t alloc_class_size(int c);
static int alloc_refill(int c);

/* Every slab taken, so that leak checkers see the pool as reachable. */
struct alloc_slab {
	struct alloc_slab *next;
	uint64_t pad;			/* keeps the blocks 16-byte aligned */
};

static sqlite3_mem_methods alloc_base;	/* the allocator underneath */
static struct alloc_slab *_Atomic alloc_slabs;
static _Thread_local struct alloc_hdr *alloc_free_list[ALLOC_CLASSES];

/* The class for a payload of n bytes (1 <= n <= ALLOC_MAX): 16-byte steps
 * to 256, then four classes per power of two. */
static int
alloc_class(size_t n)
{
	int lg;

	if (n <= 256)
		return (int)((n + 15) / 16) - 1 + (n == 0);
	lg = 63 - __builtin_clzll((unsigned long long)(n - 1));
	return 16 + (lg - 8) * 4 + (int)(((n - 1) >> (lg - 2)) & 3);
}

static size_t
alloc_class_size(int c)
{
	int lg;

	if (c < 16)
		return (size_t)(c + 1) * 16;
	lg = 8 + (c - 16) / 4;
	return ((size_t)1 << lg) + (size_t)((c - 16) % 4 + 1) * ((size_t)1 << (lg - 2));
}

/* Carves a slab from below into free blocks of class c; 0, or -1 when
 * the allocator underneath has no memory. */
static int
alloc_refill(int c)
{
	size_t each = sizeof(struct alloc_hdr) + alloc_class_size(c);
	size_t count = ALLOC_SLAB / each < 4 ? 4 : ALLOC_SLAB / each;
	struct alloc_slab *sl = alloc_base.xMalloc((int)(sizeof(*sl) +
	    each * count));
	char *slab;

	if (sl == NULL)
		return -1;
	sl->next = atomic_load(&alloc_slabs);
	while (!atomic_compare_exchange_weak(&alloc_slabs, &sl->next, sl))
		;
	slab = (char *)(sl + 1);
	for (size_t i = 0; i < count; i++) {
		struct alloc_hdr *h = (struct alloc_hdr *)(void *)(slab + i * each);

		h->cls = (uint32_t)c;
		h->big = 0;
		h->next = alloc_free_list[c];
		alloc_free_list[c] = h;
		ALLOC_POISON(h + 1, alloc_class_size(c));
	}
	return 0;
}

static void *
alloc_malloc(int n)
{
	struct alloc_hdr *h;
	int c;

	if (n <= 0)
		n = 1;
	if (n > ALLOC_MAX) {
		h = alloc_base.xMalloc((int)sizeof(*h) + n);
		if (h == NULL)
			return NULL;
		h->cls = ALLOC_BIG;
		h->big = (uint32_t)n;
		h->next = NULL;
		return h + 1;
	}
	c = alloc_class((size_t)n);
	if (alloc_free_list[c] == NULL && alloc_refill(c) != 0)
		return NULL;
	h = alloc_free_list[c];
	alloc_free_list[c] = h->next;
	h->next = NULL;
	/* SQLite uses all of what xSize says a block holds, not only what
	 * it asked for: the whole class is the caller's. */
	ALLOC_UNPOISON(h + 1, alloc_class_size(c));
	return h + 1;
}

static void
alloc_free(void *p)
{
	struct alloc_hdr *h;

	if (p == NULL)
		return;
	h = (struct alloc_hdr *)p - 1;
	if (h->cls == ALLOC_BIG) {
		alloc_base.xFree(h);
		return;
	}
	ALLOC_POISON(p, alloc_class_size((int)h->cls));
	h->next = alloc_free_list[h->cls];
	alloc_free_list[h->cls] = h;
}

static int
alloc_size(void *p)
{
	struct alloc_hdr *h;

	if (p == NULL)
		return 0;
	h = (struct alloc_hdr *)p - 1;
	return h->cls == ALLOC_BIG ? (int)h->big :
	    (int)alloc_class_size((int)h->cls);
}

static void *
alloc_realloc(void *p, int n)
{
	void *q;
	int old;

	if (p == NULL)
		return alloc_malloc(n);
	old = alloc_size(p);
	if (n <= ALLOC_MAX && n > 0 && ((struct alloc_hdr *)p - 1)->cls ==
	    (uint32_t)alloc_class((size_t)n))
		return p;
	if ((q = alloc_malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, (size_t)(old < n ? old : n));
	alloc_free(p);
	return q;
}

static int
alloc_roundup(int n)
{
	if (n <= 0)
		return (int)alloc_class_size(0);
	if (n > ALLOC_MAX)
		return (n + 7) & ~7;
	return (int)alloc_class_size(alloc_class((size_t)n));
}

static int
alloc_init(void *arg)
{
	(void)arg;
	return alloc_base.xInit(alloc_base.pAppData);
}

static void
alloc_shutdown(void *arg)
{
	(void)arg;
	alloc_base.xShutdown(alloc_base.pAppData);
}

int
sq_alloc_install(void)
{
	static const sqlite3_mem_methods pool = {
		.xMalloc = alloc_malloc,
		.xFree = alloc_free,
		.xRealloc = alloc_realloc,
		.xSize = alloc_size,
		.xRoundup = alloc_roundup,
		.xInit = alloc_init,
		.xShutdown = alloc_shutdown,
		.pAppData = NULL,
	};

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &alloc_base) != SQLITE_OK)
		return -1;
	/* Anything but SQLite's own allocator was installed on purpose. */
	if (!sq_sqlite_default_malloc(&alloc_base))
		return 0;
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &pool) == SQLITE_OK ? 1 : -1;
}
