/* space_count.c — exact size of a space: inactive decisions do not multiply. A decision's
 * subtree counts sum over its values of the product of the children active under the value. */
#include "space_int.h"
#include "bigint.h"

#include <math.h>
#include <stdlib.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool child_active(const SpaceDecision *c, int64_t v)
{
    for (int i = 0; i < c->ncond; i++)
        if (v >= c->cond[i].lo && v <= c->cond[i].hi) return true;
    return false;
}

/* log10(10^a + 10^b) without overflow */
static double log10_add(double a, double b)
{
    if (a == -INFINITY) return b;
    if (b == -INFINITY) return a;
    double hi = a > b ? a : b, lo = a > b ? b : a;
    return hi + log10(1.0 + pow(10.0, lo - hi));
}

static bool uniform_push(SpaceUniform *u, int64_t lo, int64_t len, const BigInt *w, const BigInt *cum)
{
    if (u->nseg == u->cap) {
        int cap = u->cap ? 2 * u->cap : 16;
        int64_t *l = realloc(u->lo, sizeof *l * (size_t)cap), *n = l ? realloc(u->len, sizeof *n * (size_t)cap) : NULL;
        if (l) u->lo = l;
        if (n) u->len = n;
        BigInt *a = n ? realloc(u->w, sizeof *a * (size_t)cap) : NULL;
        if (a) u->w = a;
        BigInt *b = a ? realloc(u->cum, sizeof *b * (size_t)cap) : NULL;
        if (!b) return false;
        u->cum = b;
        u->cap = cap;
    }
    u->lo[u->nseg] = lo;
    u->len[u->nseg] = len;
    u->w[u->nseg] = *w;
    u->cum[u->nseg++] = *cum;
    return true;
}

/* Computes the size into *total (when total != NULL; *exact false if it overflowed) and its
 * log10, and with u (and total) the segments of uniform sampling. Returns SPACE_E_NOMEM on
 * allocation failure. */
static SpaceStatus count(const Space *s, BigInt *total, bool *exact, double *log10_out, SpaceUniform *u)
{
    int n = s->n;
    BigInt *f = total ? malloc((size_t)(n ? n : 1) * sizeof *f) : NULL;
    double *lf = malloc((size_t)(n ? n : 1) * sizeof *lf);
    int *first = malloc((size_t)(n ? n : 1) * sizeof *first); /* children lists */
    int *next = malloc((size_t)(n ? n : 1) * sizeof *next);
    int64_t *bp = NULL;
    if ((total && !f) || !lf || !first || !next) goto nomem;
    for (int d = 0; d < n; d++) first[d] = -1;
    for (int d = n - 1; d >= 0; d--) {
        int p = s->dec[d].parent;
        if (p >= 0) {
            next[d] = first[p];
            first[p] = d;
        }
    }
    bool ok = true;
    BigInt prod, term, len_big;
    for (int d = n - 1; d >= 0; d--) {
        int seg0 = u ? u->nseg : 0;
        const SpaceDecision *x = &s->dec[d];
        int64_t arity = x->continuous ? 1 : x->arity;
        int nbp = 2;
        for (int c = first[d]; c >= 0; c = next[c]) nbp += 2 * s->dec[c].ncond;
        free(bp);
        if (!(bp = malloc((size_t)nbp * sizeof *bp))) goto nomem;
        int m = 0;
        bp[m++] = 0;
        bp[m++] = arity;
        for (int c = first[d]; c >= 0; c = next[c])
            for (int i = 0; i < s->dec[c].ncond; i++) {
                bp[m++] = s->dec[c].cond[i].lo;
                bp[m++] = (int64_t)s->dec[c].cond[i].hi + 1;
            }
        qsort(bp, (size_t)m, sizeof *bp, cmp_i64);
        if (f) bigint_set_u64(&f[d], 0);
        lf[d] = -INFINITY;
        for (int i = 0; i + 1 < m; i++) {
            if (bp[i] == bp[i + 1] || bp[i] >= arity) continue;
            /* every value in [bp[i], bp[i+1]) activates the same children */
            int64_t len = bp[i + 1] - bp[i];
            double lterm = log10((double)len);
            if (f) bigint_set_u64(&prod, 1);
            for (int c = first[d]; c >= 0; c = next[c]) {
                if (!child_active(&s->dec[c], bp[i])) continue;
                lterm += lf[c];
                if (f && ok) {
                    ok = bigint_mul(&term, &prod, &f[c]);
                    prod = term;
                }
            }
            lf[d] = log10_add(lf[d], lterm);
            if (f && ok) { /* prod: one value's weight; the segment adds len of them */
                bigint_set_u64(&len_big, (uint64_t)len);
                ok = bigint_mul(&term, &prod, &len_big) && bigint_add(&f[d], &term);
                if (ok && u && !uniform_push(u, bp[i], len, &prod, &f[d])) goto nomem;
            }
        }
        if (u) {
            u->first[d] = seg0;
            u->count[d] = u->nseg - seg0;
        }
    }
    double ltotal = 0;
    if (total) bigint_set_u64(total, 1);
    for (int d = 0; d < n; d++) {
        if (s->dec[d].parent >= 0) continue;
        ltotal += lf[d];
        if (total && ok) {
            ok = bigint_mul(&term, total, &f[d]);
            *total = term;
        }
    }
    if (exact) *exact = ok;
    if (log10_out) *log10_out = ltotal;
    free(bp);
    free(f);
    free(lf);
    free(first);
    free(next);
    return SPACE_OK;
nomem:
    free(bp);
    free(f);
    free(lf);
    free(first);
    free(next);
    return SPACE_E_NOMEM;
}

SpaceStatus space_size(const Space *s, char *buf, size_t size, bool *continuous)
{
    if (continuous) {
        *continuous = false;
        for (int d = 0; d < s->n; d++) *continuous |= s->dec[d].continuous;
    }
    BigInt total;
    bool exact;
    SpaceStatus st = count(s, &total, &exact, NULL, NULL);
    if (st != SPACE_OK) return st;
    if (!exact) return SPACE_E_TOO_BIG;
    return bigint_to_decimal(&total, buf, size) ? SPACE_OK : SPACE_E_BUFFER;
}

double space_size_log10(const Space *s)
{
    double l = NAN;
    count(s, NULL, NULL, &l, NULL);
    return l;
}

SpaceStatus space_set_sampling(Space *s, SpaceSampling how)
{
    space__uniform_free(s->uniform);
    s->uniform = NULL;
    if (how == SPACE_SAMPLE_DECISIONS) return SPACE_OK;
    SpaceUniform *u = calloc(1, sizeof *u);
    int n = s->n ? s->n : 1;
    if (!u || !(u->first = malloc(sizeof *u->first * (size_t)n)) ||
        !(u->count = malloc(sizeof *u->count * (size_t)n))) {
        space__uniform_free(u);
        return SPACE_E_NOMEM;
    }
    BigInt total;
    bool exact;
    SpaceStatus st = count(s, &total, &exact, NULL, u);
    if (st == SPACE_OK && !exact) st = SPACE_E_TOO_BIG;
    if (st != SPACE_OK) {
        space__uniform_free(u);
        return st;
    }
    s->uniform = u;
    return SPACE_OK;
}

void space__uniform_free(SpaceUniform *u)
{
    if (!u) return;
    free(u->first);
    free(u->count);
    free(u->lo);
    free(u->len);
    free(u->w);
    free(u->cum);
    free(u);
}
