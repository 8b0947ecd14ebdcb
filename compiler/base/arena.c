/* arena.c — bump allocator: blocks grow geometrically, everything is freed at once. */
#include "arena.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t size, used;
    void *map;
    size_t mapsize; /* the mmap region of a large block, NULL for calloc */
    _Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024, ARENA_MAX_BLOCK = 16 * 1024 * 1024, HUGE_PAGE = 2 * 1024 * 1024 };

void arena_init(Arena *a)
{
    a->head = NULL;
    a->used = 0;
}

/* Large blocks are mmap'd on a 2 MiB boundary and marked for transparent huge pages: a
 * 100k-line file touches ~100 MB of nodes, and 4 KiB page faults were half of parse time. */
static ArenaBlock *new_block(size_t cap)
{
    size_t bytes = sizeof(ArenaBlock) + cap;
    if (bytes >= HUGE_PAGE) {
        size_t mapsize = bytes + HUGE_PAGE;
        void *map = mmap(NULL, mapsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map != MAP_FAILED) {
            uintptr_t start = ((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
            (void)madvise((void *)start, bytes & ~(size_t)(HUGE_PAGE - 1), MADV_HUGEPAGE);
            ArenaBlock *b = (ArenaBlock *)start;
            b->map = map;
            b->mapsize = mapsize;
            return b;
        }
    }
    /* calloc: fresh memory is zero, so handing out never-used bytes needs no memset. */
    return calloc(1, bytes);
}

void *arena_alloc(Arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    ArenaBlock *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t cap = b ? b->size * 2 : ARENA_MIN_BLOCK;
        if (cap > ARENA_MAX_BLOCK) cap = ARENA_MAX_BLOCK;
        if (cap < need) cap = need;
        b = new_block(cap);
        if (!b) {
            /* Out of memory is not a user error: there is nothing sensible to report it with. */
            fputs("nas: out of memory\n", stderr);
            abort();
        }
        b->size = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

static void free_blocks(ArenaBlock *b)
{
    while (b) {
        ArenaBlock *next = b->next;
        if (b->map) munmap(b->map, b->mapsize);
        else free(b);
        b = next;
    }
}

void arena_reset(Arena *a)
{
    ArenaBlock *b = a->head;
    if (b) {
        free_blocks(b->next);
        b->next = NULL;
        memset(b->data, 0, b->used); /* arena_alloc hands out zeroed bytes */
        b->used = 0;
    }
    a->used = 0;
}

void arena_free(Arena *a)
{
    free_blocks(a->head);
    a->head = NULL;
    a->used = 0;
}
