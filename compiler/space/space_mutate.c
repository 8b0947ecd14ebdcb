/* space_mutate.c — evolution moves: one-decision mutation and uniform crossover, both
 * leaving a canonical architecture whose newly active decisions are drawn at random. */
#include "space_int.h"

/* Every kind alike: a slot value uniform in 0 .. radix-1 (a subset's: a uniform pick). */
static int32_t draw(const Space *s, SpaceRng *r, int d) { return (int32_t)space_rng_below(r, s->hot[d].radix); }

int space_mutate(const Space *s, SpaceRng *r, int32_t *arch)
{
    int movable = 0;
    for (int d = 0; d < s->n; d++) movable += arch[d] != SPACE_INACTIVE && s->hot[d].radix > 1;
    if (movable == 0) return -SPACE_E_NO_MOVE;
    uint32_t pick = space_rng_below(r, (uint32_t)movable);
    int d = 0;
    for (;; d++)
        if (arch[d] != SPACE_INACTIVE && s->hot[d].radix > 1 && pick-- == 0) break;
    /* a different value, uniform among the other radix-1: skip over the current digit */
    const SpaceHot *h = &s->hot[d];
    uint32_t cur = (uint32_t)arch[d];
    uint32_t g = space_rng_below(r, h->radix - 1);
    arch[d] = (int32_t)(g >= cur ? g + 1 : g);
    for (int j = d + 1; j < s->n; j++) {
        if (!space__active_canon(s, arch, j)) arch[j] = SPACE_INACTIVE;
        else if (arch[j] == SPACE_INACTIVE) arch[j] = draw(s, r, j);
    }
    return d;
}

void space_crossover(const Space *s, SpaceRng *r, const int32_t *a, const int32_t *b, int32_t *out)
{
    uint64_t coins = 0;
    for (int d = 0; d < s->n; d++) {
        if (d % 64 == 0) coins = space_rng_next(r);
        int32_t x = a[d], y = b[d]; /* read both before out (which may alias) is written */
        bool from_a = (coins >> (d % 64)) & 1;
        int32_t mine = from_a ? x : y, other = from_a ? y : x;
        if (!space__active_canon(s, out, d)) out[d] = SPACE_INACTIVE;
        else if (mine != SPACE_INACTIVE) out[d] = mine;
        else out[d] = other != SPACE_INACTIVE ? other : draw(s, r, d);
    }
}
