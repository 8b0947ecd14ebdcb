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

/* Computes the size into *total (when total != NULL; *exact false if it overflowed) and its
 * log10. Returns SPACE_E_NOMEM on allocation failure. */
static SpaceStatus count(const Space *s, BigInt *total, bool *exact, double *log10_out)
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
    BigInt prod, term;
    for (int d = n - 1; d >= 0; d--) {
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
            if (f) bigint_set_u64(&prod, (uint64_t)len);
            for (int c = first[d]; c >= 0; c = next[c]) {
                if (!child_active(&s->dec[c], bp[i])) continue;
                lterm += lf[c];
                if (f && ok) {
                    ok = bigint_mul(&term, &prod, &f[c]);
                    prod = term;
                }
            }
            lf[d] = log10_add(lf[d], lterm);
            if (f && ok) ok = bigint_add(&f[d], &prod);
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
    SpaceStatus st = count(s, &total, &exact, NULL);
    if (st != SPACE_OK) return st;
    if (!exact) return SPACE_E_TOO_BIG;
    return bigint_to_decimal(&total, buf, size) ? SPACE_OK : SPACE_E_BUFFER;
}

double space_size_log10(const Space *s)
{
    double l = NAN;
    count(s, NULL, NULL, &l);
    return l;
}
