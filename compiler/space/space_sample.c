/* space_sample.c — uniform sampling (with base/rng.h's xoshiro256**) and the grid
 * odometer. Integer arithmetic only, so every machine draws the same architectures. */
#include "space_int.h"

#include <stdlib.h>

/* The space's names for base/rng.h's generator (SpaceRng is an Rng). */
void space_rng_seed(SpaceRng *r, uint64_t seed) { rng_seed(r, seed); }
uint64_t space_rng_next(SpaceRng *r) { return rng_next(r); }
uint32_t space_rng_below(SpaceRng *r, uint32_t n) { return rng_below32(r, n); }

/* Each 64-bit draw serves two decisions (its low, then its high 32 bits): half the generator
 * calls. The rejection step of the multiply-shift takes fresh draws, so it stays unbiased. */
static int big_cmp(const BigInt *a, const BigInt *b)
{
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* Uniform in [0, n), n > 0: random bits of n's length, redrawn while >= n (fewer than two
 * draws on average). */
static void big_below(SpaceRng *r, const BigInt *n, BigInt *x)
{
    int bits = bigint_bits(n), limbs = (bits + 31) / 32;
    uint32_t top = bits % 32 ? (1u << (bits % 32)) - 1 : UINT32_MAX;
    do {
        for (int i = 0; i < limbs; i++) x->d[i] = (uint32_t)(rng_next(r) >> 32);
        x->d[limbs - 1] &= top;
        x->n = limbs;
        while (x->n > 0 && x->d[x->n - 1] == 0) x->n--;
    } while (big_cmp(x, n) >= 0);
}

/* Uniform over architectures: decision d's value weighted by the architectures under it
 * (at = case * decisions + d). */
static int32_t uniform_value(const SpaceUniform *u, SpaceRng *r, size_t at)
{
    int i = u->first[at], last = i + u->count[at] - 1;
    BigInt x;
    big_below(r, &u->cum[last], &x);
    while (i < last && big_cmp(&x, &u->cum[i]) >= 0) i++;
    return (int32_t)(u->lo[i] + (int64_t)space_rng_below(r, (uint32_t)u->len[i]));
}

/* Uniform over architectures: a k-of-n pick S weighted by the product over S of its
 * elements' weights wt[i] (space_int.h, entry at). From the last element down, element i is
 * picked with probability wt[i] * e_{j-1}(wt[0..i-1]) / e_j(wt[0..i]), j the elements still to
 * pick: a fresh exact draw per element, so the product of the steps is the pick's weight / e_k. */
static int32_t uniform_subset(const Space *s, int d, SpaceRng *r, size_t at)
{
    const SpaceUniform *u = s->uniform;
    int k = s->hot[d].k, n = s->hot[d].n;
    const BigInt *wt = u->sub + u->sub_at[at], *e = wt + n;
    BigInt x, take;
    uint32_t rank = 0;
    for (int i = n - 1, j = k; i >= 0 && j > 0; i--) {
        big_below(r, &e[(i + 1) * (k + 1) + j], &x);
        bigint_mul(&take, &wt[i], &e[i * (k + 1) + j - 1]); /* <= e[i+1][j]: cannot overflow */
        if (big_cmp(&x, &take) < 0) { /* element i is the j-th smallest pick: C(i, j) of the rank */
            rank += space__binom(s, d, i, j);
            j--;
        }
    }
    return (int32_t)rank;
}

/* One decision's draw: at indexes its group case's weights when uniform. spare/have: the
 * second half of the last 64-bit draw. */
static inline void sample_one(const Space *s, SpaceRng *r, int32_t *arch, int d, int64_t at, uint64_t *spare,
                              bool *have)
{
    const SpaceHot *h = &s->hot[d];
    const SpaceUniform *u = s->uniform;
    if (!space__active_canon(s, arch, d)) {
        arch[d] = SPACE_INACTIVE;
        return;
    }
    if (h->subset && u && u->sub_at[at] >= 0) { /* else a uniform pick: a uniform rank, below */
        arch[d] = uniform_subset(s, d, r, (size_t)at);
        return;
    }
    /* a parent: its values weigh unequally; a second parent: its case's values only */
    if (u && (u->count[at] > 1 || u->in_case[d])) {
        arch[d] = uniform_value(u, r, (size_t)at);
        return;
    }
    uint32_t x;
    if (*have) {
        x = (uint32_t)(*spare >> 32);
        *have = false;
    } else {
        *spare = rng_next(r);
        x = (uint32_t)*spare;
        *have = true;
    }
    uint64_t m = (uint64_t)x * h->radix;
    if ((uint32_t)m < h->radix) {
        uint32_t t = (uint32_t)-h->radix % h->radix;
        while ((uint32_t)m < t) m = (rng_next(r) >> 32) * (uint64_t)h->radix;
    }
    arch[d] = (int32_t)(m >> 32);
}

void space_set_sampler(Space *s, SpaceSampler fn, SpaceMember member, const void *ctx)
{
    s->sampler = fn;
    s->member = member;
    s->sampler_ctx = ctx;
}

bool space_feasible(const Space *s, const int32_t *arch) { return !s->member || s->member(s->sampler_ctx, arch); }

void space_sample(const Space *s, SpaceRng *r, int32_t *arch)
{
    if (s->sampler) {
        s->sampler(s->sampler_ctx, r, arch);
        return;
    }
    const SpaceUniform *u = s->uniform;
    uint64_t spare = 0;
    bool have = false;
    if (!u || !u->multi) { /* table order; a group's only case starts at abase */
        for (int d = 0, n = s->n; d < n; d++)
            sample_one(s, r, arch, d, u ? u->abase[u->group[d]] + u->pos[d] : 0, &spare, &have);
        return;
    }
    /* Groups are independent and hold their decisions' parents: group by group, a case
     * drawn by its weight, then the group's decisions in table order. */
    for (int g = 0; g < u->ngroup; g++) {
        int k = 0;
        if (u->ncase[g] > 1) {
            const BigInt *cum = &u->case_cum[u->cbase[g]];
            BigInt x;
            big_below(r, &cum[u->ncase[g] - 1], &x);
            while (k < u->ncase[g] - 1 && big_cmp(&x, &cum[k]) >= 0) k++;
        }
        int64_t base = u->abase[g] + (int64_t)k * (u->gstart[g + 1] - u->gstart[g]);
        for (int i = u->gstart[g]; i < u->gstart[g + 1]; i++) {
            int d = u->order[i];
            sample_one(s, r, arch, d, base + u->pos[d], &spare, &have);
        }
    }
}

/* ---- grid ---- */

struct SpaceGrid {
    const Space *s;
    int cont_points;
    bool started, done;
    int32_t *digit; /* position on the decision's grid, -1 when inactive */
    int32_t *arch;
    uint32_t *mul, *add; /* seeded order: digit i visits value (mul*i + add) mod radix; NULL: i */
};

static uint32_t grid_radix(const SpaceGrid *g, int d)
{
    return g->s->dec[d].continuous ? (uint32_t)g->cont_points : g->s->hot[d].radix;
}

static void grid_set(SpaceGrid *g, int d, int32_t digit)
{
    g->digit[d] = digit;
    if (digit < 0) {
        g->arch[d] = SPACE_INACTIVE;
        return;
    }
    if (g->mul) digit = (int32_t)(((uint64_t)g->mul[d] * (uint32_t)digit + g->add[d]) % grid_radix(g, d));
    if (g->s->dec[d].continuous) /* evenly spaced on the fine grid, both ends included */
        g->arch[d] = g->cont_points == 1 ? (SPACE_FINE_POINTS - 1) / 2
                                         : (int32_t)((int64_t)digit * (SPACE_FINE_POINTS - 1) / (g->cont_points - 1));
    else g->arch[d] = (int32_t)digit;
}

/* Decisions from..n-1 to their first grid point (or inactive). */
static void grid_reset(SpaceGrid *g, int from)
{
    for (int d = from; d < g->s->n; d++) grid_set(g, d, space__active_canon(g->s, g->arch, d) ? 0 : -1);
}

SpaceGrid *space_grid_new(const Space *s, int cont_points)
{
    if (cont_points < 1 || cont_points > SPACE_FINE_POINTS) return NULL;
    SpaceGrid *g = calloc(1, sizeof *g);
    size_t n = (size_t)(s->n ? s->n : 1);
    if (!g || !(g->digit = malloc(n * sizeof *g->digit)) || !(g->arch = malloc(n * sizeof *g->arch))) {
        space_grid_free(g);
        return NULL;
    }
    g->s = s;
    g->cont_points = cont_points;
    return g;
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* A multiplier coprime to the radix makes i -> mul*i + add a permutation of 0 .. radix-1:
 * one draw per decision instead of a table as long as its range. */
int space_grid_seed(SpaceGrid *g, uint64_t seed)
{
    size_t n = (size_t)(g->s->n ? g->s->n : 1);
    free(g->mul);
    free(g->add);
    g->mul = malloc(n * sizeof *g->mul);
    g->add = malloc(n * sizeof *g->add);
    if (!g->mul || !g->add) { /* the stable order stays */
        free(g->mul);
        free(g->add);
        g->mul = g->add = NULL;
        return -1;
    }
    SpaceRng r;
    space_rng_seed(&r, seed);
    for (int d = 0; d < g->s->n; d++) {
        uint32_t radix = grid_radix(g, d), m = 1;
        if (radix > 2) do
                m = 1 + rng_below32(&r, radix - 1);
            while (gcd32(m, radix) != 1);
        g->mul[d] = m;
        g->add[d] = rng_below32(&r, radix);
    }
    return 0;
}

bool space_grid_next(SpaceGrid *g, int32_t *arch)
{
    if (g->done) return false;
    if (!g->started) {
        g->started = true;
        grid_reset(g, 0);
    } else {
        int d = g->s->n - 1; /* the last active decision that can still advance */
        while (d >= 0 && (g->digit[d] < 0 || (uint32_t)g->digit[d] + 1 >= grid_radix(g, d))) d--;
        if (d < 0) {
            g->done = true;
            return false;
        }
        grid_set(g, d, g->digit[d] + 1);
        grid_reset(g, d + 1);
    }
    for (int d = 0; d < g->s->n; d++) arch[d] = g->arch[d];
    return true;
}

void space_grid_free(SpaceGrid *g)
{
    if (!g) return;
    free(g->digit);
    free(g->arch);
    free(g->mul);
    free(g->add);
    free(g);
}
