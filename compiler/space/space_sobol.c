/* space_sobol.c — Sobol quasi-random architectures: gray-code construction over the Joe-Kuo
 * direction numbers, scrambled by the seed (Matousek's random linear scramble plus a digital
 * shift), dimension j driving decision j (slot = floor(u * arity)).
 *
 * The scramble multiplies every point by a random lower-triangular bit matrix with a unit
 * diagonal and XORs a random shift. The top m bits of a scrambled coordinate depend only on the
 * top m bits of the raw one, one-to-one, so every dyadic stratum keeps its share of points (the
 * net property that makes the sequence cover each decision's values evenly), while the first
 * point is no longer the origin: the all-first-value architecture is not proposed first. */
#include "space_int.h"
#include "sobol_dirs.h"

#include <stdlib.h>

struct SpaceSobol {
    const Space *s;
    int dims;
    uint32_t index;    /* points emitted so far */
    uint32_t *x;       /* current raw point, dims values */
    uint32_t *y;       /* current scrambled point: L x ^ shift */
    uint32_t (*v)[32]; /* raw direction numbers v[dim][bit], bit 0 most significant */
    uint32_t (*w)[32]; /* scrambled ones: L v */
};

/* Direction numbers of 0-based dimension j (Bratley-Fox recurrence as Joe and Kuo state it). */
static void directions(int j, uint32_t v[32])
{
    if (j == 0) {
        for (int k = 0; k < 32; k++) v[k] = 1u << (31 - k);
        return;
    }
    const SobolDir *dir = &sobol_dirs[j - 1];
    int s = dir->s;
    for (int k = 0; k < 32; k++) {
        if (k < s) {
            v[k] = (uint32_t)dir->m[k] << (31 - k);
            continue;
        }
        uint32_t x = v[k - s] ^ (v[k - s] >> s);
        for (int i = 1; i < s; i++)
            if ((dir->a >> (s - 1 - i)) & 1) x ^= v[k - i];
        v[k] = x;
    }
}

/* w = L v for each direction number, L drawn from r: output bit b (counted from the most
 * significant) is input bit b XOR a random subset of the more significant input bits. */
static void scramble(SpaceRng *r, const uint32_t v[32], uint32_t w[32])
{
    uint32_t row[32];
    for (int b = 0; b < 32; b++) {
        uint32_t above = b ? ~0u << (32 - b) : 0; /* the b most significant bits */
        row[b] = (1u << (31 - b)) | ((uint32_t)rng_next(r) & above);
    }
    for (int k = 0; k < 32; k++) {
        uint32_t out = 0;
        for (int b = 0; b < 32; b++) out |= (uint32_t)__builtin_parity(row[b] & v[k]) << (31 - b);
        w[k] = out;
    }
}

SpaceSobol *space_sobol_new(const Space *s, uint64_t seed, SpaceError *err)
{
    if (s->n > SPACE_SOBOL_MAX_DIMS) {
        space__set_error(err, SPACE_E_DIMS, -1, "Sobol sampling supports %d decisions, the space has %d",
                         SPACE_SOBOL_MAX_DIMS, s->n);
        return NULL;
    }
    SpaceSobol *q = calloc(1, sizeof *q);
    size_t dims = (size_t)(s->n ? s->n : 1);
    if (!q || !(q->x = calloc(dims, sizeof *q->x)) || !(q->y = calloc(dims, sizeof *q->y)) ||
        !(q->v = malloc(dims * sizeof *q->v)) || !(q->w = malloc(dims * sizeof *q->w))) {
        space_sobol_free(q);
        space__set_error(err, SPACE_E_NOMEM, -1, "out of memory");
        return NULL;
    }
    q->s = s;
    q->dims = s->n;
    SpaceRng r;
    space_rng_seed(&r, seed);
    for (int j = 0; j < s->n; j++) {
        directions(j, q->v[j]);
        scramble(&r, q->v[j], q->w[j]);
        q->y[j] = (uint32_t)rng_next(&r);
    }
    return q;
}

/* One gray-code step of both the raw and the scrambled point. */
static void step(SpaceSobol *q)
{
    int c = __builtin_ctz(~q->index); /* lowest zero bit of the index */
    for (int j = 0; j < q->dims; j++) {
        q->x[j] ^= q->v[j][c];
        q->y[j] ^= q->w[j][c];
    }
    q->index++;
}

void space_sobol_next_raw(SpaceSobol *q, uint32_t *x, uint32_t *scrambled)
{
    for (int j = 0; j < q->dims; j++) {
        x[j] = q->x[j];
        scrambled[j] = q->y[j];
    }
    step(q);
}

void space_sobol_next(SpaceSobol *q, int32_t *arch)
{
    const Space *s = q->s;
    for (int d = 0; d < s->n; d++) {
        const SpaceHot *h = &s->hot[d];
        if (!space__active_canon(s, arch, d)) {
            arch[d] = SPACE_INACTIVE;
            continue;
        }
        uint32_t g = (uint32_t)(((uint64_t)q->y[d] * h->radix) >> 32);
        arch[d] = (int32_t)g;
    }
    step(q);
}

void space_sobol_free(SpaceSobol *q)
{
    if (!q) return;
    free(q->x);
    free(q->y);
    free(q->v);
    free(q->w);
    free(q);
}
