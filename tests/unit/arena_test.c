/* arena_test.c — the bump allocator: alignment, zeroed memory (also after arena_reset, which
 * keeps a block and hands its bytes out again), and growth past a block. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "arena.h"
#include "check.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

int main(void)
{
    Arena a;
    arena_init(&a);
    for (int round = 0; round < 3; round++) {
        /* dirty every byte handed out, in blocks small and large, then reset */
        for (int i = 0; i < 200; i++) {
            size_t n = (size_t)(i * 97 % 5000) + 1;
            unsigned char *p = arena_alloc(&a, n);
            CHECK(((uintptr_t)p & 15) == 0);
            CHECK(all_zero(p, n));
            memset(p, 0xab, n);
        }
        unsigned char *big = arena_alloc(&a, 3u << 20); /* past the huge-page threshold */
        CHECK(all_zero(big, 3u << 20));
        memset(big, 0xcd, 3u << 20);
        CHECK(a.used >= 3u << 20);
        arena_reset(&a);
        CHECK(a.used == 0);
        CHECK(a.head != NULL); /* a block is kept for the next round */
    }
    char *s = arena_printf(&a, "%s-%d", "x", 42);
    CHECK(strcmp(s, "x-42") == 0);
    arena_free(&a);
    CHECK(a.head == NULL && a.used == 0);
    arena_reset(&a); /* an empty arena resets to itself */
    CHECK(a.head == NULL);
    return failures ? 1 : 0;
}
