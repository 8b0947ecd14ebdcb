/* space_count.c — exact size of a space: inactive decisions do not multiply. A decision's
 * subtree counts sum over its values of the product of the children active under the value. */
#include "space_int.h"
#include "bigint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Subset d whose elements hold decisions (children, each under one element): a pick S
 * counts the product over S of wt[i], the product of element i's children's subtree counts,
 * so the subtree count is the elementary symmetric sum e_k(wt), by the recurrence
 * e_j(wt[0..i]) = e_j(wt[0..i-1]) + wt[i] * e_{j-1}(wt[0..i-1]). With f: into f[d] (*ok false
 * on overflow) and, with u, the table uniform sampling reads (space_int.h); lf[d] in log10. */
static SpaceStatus count_subset(const Space *s, int d, const int *first, const int *next, BigInt *f, double *lf,
                                bool *ok, SpaceUniform *u)
{
    const SpaceDecision *x = &s->dec[d];
    int n = x->n, k = x->k;
    double lw[SPACE_SUBSET_MAX_N], le[SPACE_SUBSET_MAX_N + 1];
    for (int i = 0; i < n; i++) lw[i] = 0;
    for (int c = first[d]; c >= 0; c = next[c]) lw[s->dec[c].cond[0].lo] += lf[c];
    le[0] = 0;
    for (int j = 1; j <= k; j++) le[j] = -INFINITY;
    for (int i = 0; i < n; i++)
        for (int j = k; j >= 1; j--) le[j] = log10_add(le[j], le[j - 1] + lw[i]);
    lf[d] = le[k];
    if (!f || !*ok) return SPACE_OK;
    size_t cells = (size_t)n + (size_t)(n + 1) * (size_t)(k + 1);
    BigInt *t = malloc(cells * sizeof *t), *wt = t, *e = t + n, term;
    if (!t) return SPACE_E_NOMEM;
    for (int i = 0; i < n; i++) bigint_set_u64(&wt[i], 1);
    for (int c = first[d]; c >= 0 && *ok; c = next[c]) {
        BigInt *w = &wt[s->dec[c].cond[0].lo];
        *ok = bigint_mul(&term, w, &f[c]);
        *w = term;
    }
    for (int j = 0; j <= k; j++) bigint_set_u64(&e[j], j == 0);
    for (int i = 0; i < n && *ok; i++) {
        BigInt *prev = &e[i * (k + 1)], *cur = prev + (k + 1);
        for (int j = 0; j <= k && *ok; j++) {
            cur[j] = prev[j];
            if (j > 0) *ok = bigint_mul(&term, &wt[i], &prev[j - 1]) && bigint_add(&cur[j], &term);
        }
    }
    if (*ok) f[d] = e[n * (k + 1) + k];
    if (*ok && u) {
        if (u->nsub + (int)cells > u->capsub) {
            int cap = u->capsub ? 2 * u->capsub : 64;
            while (cap < u->nsub + (int)cells) cap *= 2;
            BigInt *grown = realloc(u->sub, sizeof *grown * (size_t)cap);
            if (!grown) {
                free(t);
                return SPACE_E_NOMEM;
            }
            u->sub = grown;
            u->capsub = cap;
        }
        memcpy(u->sub + u->nsub, t, cells * sizeof *t);
        u->sub_at[d] = u->nsub;
        u->nsub += (int)cells;
    }
    free(t);
    return SPACE_OK;
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
        if (u) u->sub_at[d] = -1;
        if (x->kind == SPACE_SUBSET && first[d] >= 0) {
            if (count_subset(s, d, first, next, f, lf, &ok, u) != SPACE_OK) goto nomem;
            if (u) u->first[d] = u->count[d] = 0;
            continue;
        }
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
        !(u->count = malloc(sizeof *u->count * (size_t)n)) || !(u->sub_at = malloc(sizeof *u->sub_at * (size_t)n))) {
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
    free(u->sub_at);
    free(u->sub);
    free(u);
}
