/* space_mutate.c — evolution moves: one-decision mutation and uniform crossover, both
 * leaving a canonical architecture whose newly active decisions are drawn at random, and
 * staying in the feasible set when the space has one (space_set_sampler). */
#include "space_int.h"
#include <stdlib.h>
#include <string.h>

/* Every kind alike: a slot value uniform in 0 .. radix-1 (a subset's: a uniform pick). */
static int32_t draw(const Space *s, SpaceRng *r, int d) { return (int32_t)space_rng_below(r, s->hot[d].radix); }

static int mutate_once(const Space *s, SpaceRng *r, int32_t *arch)
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

static void cross_once(const Space *s, SpaceRng *r, const int32_t *a, const int32_t *b, int32_t *out)
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

/* The feasible variants redraw a move from a copy of its input: rejection among the moves,
 * bounded, so the distribution of a feasible move is the plain one conditioned on
 * feasibility. Out of memory for the copy: the plain move. */
int space_mutate(const Space *s, SpaceRng *r, int32_t *arch)
{
    size_t bytes = sizeof *arch * (size_t)(s->n ? s->n : 1);
    int32_t *orig = s->member ? malloc(bytes) : NULL;
    if (!orig) return mutate_once(s, r, arch);
    memcpy(orig, arch, bytes);
    int d = -SPACE_E_NO_MOVE;
    bool ok = false;
    for (int t = 0; t < SPACE_MOVE_TRIES && !ok; t++) {
        if (t) memcpy(arch, orig, bytes);
        d = mutate_once(s, r, arch);
        ok = space_feasible(s, arch);
        if (d < 0) break; /* no move at all: arch is still orig */
    }
    if (!ok) { /* no feasible move found */
        space_sample(s, r, arch);
        d = -SPACE_E_NO_MOVE;
    }
    free(orig);
    return d;
}

void space_crossover(const Space *s, SpaceRng *r, const int32_t *a, const int32_t *b, int32_t *out)
{
    size_t n = (size_t)(s->n ? s->n : 1);
    int32_t *pa = s->member ? malloc(sizeof *pa * 2 * n) : NULL;
    if (!pa) {
        cross_once(s, r, a, b, out);
        return;
    }
    int32_t *pb = pa + n;
    memcpy(pa, a, sizeof *pa * n); /* out may alias a or b */
    memcpy(pb, b, sizeof *pb * n);
    bool ok = false;
    for (int t = 0; t < SPACE_MOVE_TRIES && !ok; t++) {
        cross_once(s, r, pa, pb, out);
        ok = space_feasible(s, out);
    }
    if (!ok && space_feasible(s, pa)) memcpy(out, pa, sizeof *pa * n);
    else if (!ok && space_feasible(s, pb)) memcpy(out, pb, sizeof *pb * n);
    else if (!ok) space_sample(s, r, out);
    free(pa);
}
