/* arena.h — bump allocator: one arena per compilation, freed in one go. */
#ifndef NAS_ARENA_H
#define NAS_ARENA_H
#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head; /* newest block first */
    size_t used;      /* total bytes handed out, for --stats and benchmarks */
} Arena;

void arena_init(Arena *a);
void *arena_alloc(Arena *a, size_t size); /* zeroed, 16-byte aligned; aborts on OOM */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...);
/* Empties the arena for reuse but keeps its newest (largest) block: a loop that builds and drops
 * one graph per architecture then allocates once instead of once an iteration. */
void arena_reset(Arena *a);
void arena_free(Arena *a); /* frees every block */

#define ARENA_NEW(a, T)      ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))
#endif
