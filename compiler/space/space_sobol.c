/* space_sobol.c — Sobol quasi-random architectures: gray-code construction over the Joe-Kuo
 * direction numbers, dimension j driving decision j (slot = floor(u * arity)). */
#include "space_int.h"
#include "sobol_dirs.h"

#include <stdlib.h>

struct SpaceSobol {
    const Space *s;
    int dims;
    uint32_t index;          /* points emitted so far */
    uint32_t *x;             /* current point, dims values */
    uint32_t (*v)[32];       /* direction numbers v[dim][bit], bit 0 most significant */
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
        if (k < s) { v[k] = (uint32_t)dir->m[k] << (31 - k); continue; }
        uint32_t x = v[k - s] ^ (v[k - s] >> s);
        for (int i = 1; i < s; i++)
            if ((dir->a >> (s - 1 - i)) & 1) x ^= v[k - i];
        v[k] = x;
    }
}

SpaceSobol *space_sobol_new(const Space *s, SpaceError *err)
{
    if (s->n > SPACE_SOBOL_MAX_DIMS) {
        space__set_error(err, SPACE_E_DIMS, -1, "Sobol sampling supports %d decisions, the space has %d",
                         SPACE_SOBOL_MAX_DIMS, s->n);
        return NULL;
    }
    SpaceSobol *q = calloc(1, sizeof *q);
    int dims = s->n ? s->n : 1;
    if (!q || !(q->x = calloc((size_t)dims, sizeof *q->x)) || !(q->v = malloc((size_t)dims * sizeof *q->v))) {
        space_sobol_free(q);
        space__set_error(err, SPACE_E_NOMEM, -1, "out of memory");
        return NULL;
    }
    q->s = s;
    q->dims = s->n;
    for (int j = 0; j < s->n; j++) directions(j, q->v[j]);
    return q;
}

/* Test entry: a free-standing sequence of `dims` dimensions. */
void space_sobol_next_raw(SpaceSobol *q, uint32_t *x)
{
    for (int j = 0; j < q->dims; j++) x[j] = q->x[j];
    int c = __builtin_ctz(~q->index);   /* lowest zero bit of the index: gray-code step */
    for (int j = 0; j < q->dims; j++) q->x[j] ^= q->v[j][c];
    q->index++;
}

void space_sobol_next(SpaceSobol *q, int32_t *arch)
{
    const Space *s = q->s;
    for (int d = 0; d < s->n; d++) {
        const SpaceHot *h = &s->hot[d];
        if (!space__active_canon(s, arch, d)) { arch[d] = SPACE_INACTIVE; continue; }
        uint32_t g = (uint32_t)(((uint64_t)q->x[d] * h->radix) >> 32);
        arch[d] = space__from_digit(h, g);
    }
    int c = __builtin_ctz(~q->index);
    for (int j = 0; j < q->dims; j++) q->x[j] ^= q->v[j][c];
    q->index++;
}

void space_sobol_free(SpaceSobol *q)
{
    if (!q) return;
    free(q->x);
    free(q->v);
    free(q);
}
