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

/* ---- cases: the second parents (space.h, TABLE) ----
 * A decision that is the parent of a guard after some decision's first is a CASE decision.
 * Its values fall into classes that every such guard on it either accepts or refuses as a
 * whole (plus "inactive" when it is conditional). Fixing each case decision's class makes
 * every later guard a constant, and what is left is the tree of first guards: a size is the
 * sum over the combinations (cases) of the tree count restricted to them. The trees (a root
 * and its first-guard descendants) that later guards connect form a GROUP; groups are
 * independent, so the size is the product over groups of each group's sum over its own
 * cases, and the limit SPACE_CASES_MAX is per group. */
typedef struct CaseDec {
    int d;
    int nseg; /* value segments [lo[i], lo[i+1]) (lo[nseg] = arity) */
    int64_t *lo;
    int *cls; /* class of each segment */
    int ncls; /* classes of values; class ncls is "inactive" when can_off */
    bool can_off;
    int64_t *rep; /* a value of each class */
} CaseDec;

typedef struct Cases {
    int nx;
    CaseDec *x;
    int *xi;    /* per decision: its index in x, -1 */
    int *group; /* per decision: its group, 0 .. ngroup-1 (numbered by first decision) */
    int ngroup;
    int64_t *gn;  /* per group: its cases, saturating above SPACE_CASES_MAX */
    int64_t most; /* the largest gn */
} Cases;

static void cases_free(Cases *c)
{
    for (int j = 0; j < c->nx; j++) {
        free(c->x[j].lo);
        free(c->x[j].cls);
        free(c->x[j].rep);
    }
    free(c->x);
    free(c->xi);
    free(c->group);
    free(c->gn);
}

static int find_root(int *up, int a)
{
    while (up[a] != a) a = up[a] = up[up[a]];
    return a;
}

/* Do all the second guards on a decision (refs, n of them) treat values a and b alike? */
static bool same_class(const SpaceGuard *const *refs, int n, int64_t a, int64_t b)
{
    for (int i = 0; i < n; i++)
        if (space__guard_has(refs[i], a) != space__guard_has(refs[i], b)) return false;
    return true;
}

static bool cases_build(const Space *s, Cases *c)
{
    memset(c, 0, sizeof *c);
    c->most = 1;
    size_t nn = (size_t)(s->n ? s->n : 1);
    if (!(c->xi = malloc(sizeof *c->xi * nn)) || !(c->group = malloc(sizeof *c->group * nn)) ||
        !(c->gn = malloc(sizeof *c->gn * nn)))
        return false;
    /* groups: union of each decision with its first parent and its later guards' parents */
    int *up = malloc(sizeof *up * nn);
    if (!up) return false;
    for (int d = 0; d < s->n; d++) {
        up[d] = d;
        for (int i = 0; i < s->dec[d].nguard; i++) {
            int a = find_root(up, d), b = find_root(up, s->dec[d].guards[i].parent);
            up[a > b ? a : b] = a < b ? a : b; /* the smaller index names the set */
        }
    }
    for (int d = 0; d < s->n; d++) {
        int r = find_root(up, d);
        c->group[d] = r == d ? c->ngroup++ : c->group[r]; /* r < d already has its number */
        c->gn[c->group[d]] = 1;
    }
    free(up);
    /* the second guards by parent: refs[rs[d] .. rs[d+1]) are those on d */
    int *rs = calloc(nn + 1, sizeof *rs), nref = 0;
    if (!rs) return false;
    for (int d = 0; d < s->n; d++)
        for (int i = 1; i < s->dec[d].nguard; i++) rs[s->dec[d].guards[i].parent + 1]++, nref++;
    for (int d = 0; d < s->n; d++) rs[d + 1] += rs[d];
    const SpaceGuard **refs = malloc(sizeof *refs * (size_t)(nref ? nref : 1));
    int *fill = malloc(sizeof *fill * nn);
    bool ok = refs && fill;
    for (int d = 0; ok && d < s->n; d++) fill[d] = rs[d];
    for (int d = 0; ok && d < s->n; d++)
        for (int i = 1; i < s->dec[d].nguard; i++) refs[fill[s->dec[d].guards[i].parent]++] = &s->dec[d].guards[i];
    free(fill);
    for (int d = 0; d < s->n; d++) {
        c->xi[d] = rs[d + 1] > rs[d] ? 0 : -1;
        c->nx += c->xi[d] == 0;
    }
    if (ok && c->nx && !(c->x = calloc((size_t)c->nx, sizeof *c->x))) ok = false;
    for (int d = 0, j = 0; ok && d < s->n; d++) {
        if (c->xi[d] < 0) continue;
        c->xi[d] = j;
        CaseDec *x = &c->x[j++];
        x->d = d;
        const SpaceGuard *const *on = refs + rs[d];
        int non = rs[d + 1] - rs[d], nbp = 2;
        for (int i = 0; i < non; i++) nbp += 2 * on[i]->ncond;
        int64_t *bp = malloc(sizeof *bp * (size_t)nbp);
        if (!(ok = bp != NULL)) break;
        int m = 0;
        bp[m++] = 0;
        bp[m++] = s->dec[d].arity;
        for (int i = 0; i < non; i++)
            for (int k = 0; k < on[i]->ncond; k++) {
                bp[m++] = on[i]->cond[k].lo;
                bp[m++] = (int64_t)on[i]->cond[k].hi + 1;
            }
        qsort(bp, (size_t)m, sizeof *bp, cmp_i64);
        int u = 0;
        for (int i = 0; i < m; i++)
            if (u == 0 || bp[i] != bp[u - 1]) bp[u++] = bp[i];
        x->lo = bp;
        x->nseg = u - 1;
        x->cls = malloc(sizeof *x->cls * (size_t)x->nseg);
        x->rep = malloc(sizeof *x->rep * (size_t)x->nseg);
        if (!(ok = x->cls && x->rep)) break;
        for (int i = 0; i < x->nseg; i++) {
            int k = 0;
            while (k < x->ncls && !same_class(on, non, x->rep[k], bp[i])) k++;
            if (k == x->ncls) x->rep[x->ncls++] = bp[i];
            x->cls[i] = k;
        }
        x->can_off = s->dec[d].nguard > 0;
        int64_t *gn = &c->gn[c->group[d]];
        *gn *= x->ncls + x->can_off;
        if (*gn > SPACE_CASES_MAX) *gn = SPACE_CASES_MAX + 1;
        if (*gn > c->most) c->most = *gn;
    }
    free(rs);
    free(refs);
    return ok;
}

int64_t space__cases(const Space *s)
{
    Cases c;
    int64_t n = cases_build(s, &c) ? c.most : -1;
    cases_free(&c);
    return n;
}

/* Class of value v of case decision x (segments sorted). */
static int class_of(const CaseDec *x, int64_t v)
{
    int lo = 0, hi = x->nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (x->lo[mid] <= v) lo = mid;
        else hi = mid - 1;
    }
    return x->cls[lo];
}

/* One case of a group: cls[j] the class of case decision j (ncls: inactive). Per decision
 * of the group: off, a later guard refuses the case (so it is inactive). */
typedef struct Case {
    int *cls;
    bool *off;
} Case;

static void case_set(const Space *s, const Cases *c, int grp, int64_t k, Case *cs)
{
    for (int j = 0; j < c->nx; j++) {
        if (c->group[c->x[j].d] != grp) continue;
        int radix = c->x[j].ncls + c->x[j].can_off;
        cs->cls[j] = (int)(k % radix);
        k /= radix;
    }
    for (int d = 0; d < s->n; d++) {
        cs->off[d] = false;
        for (int i = 1; c->group[d] == grp && i < s->dec[d].nguard && !cs->off[d]; i++) {
            const SpaceGuard *g = &s->dec[d].guards[i];
            const CaseDec *x = &c->x[c->xi[g->parent]];
            int cl = cs->cls[c->xi[g->parent]];
            cs->off[d] = cl == x->ncls || !space__guard_has(g, x->rep[cl]);
        }
    }
}

/* May decision d be inactive in this case? Not if it is a case decision in a class of values. */
static bool may_be_off(const Cases *c, const Case *cs, int d)
{
    int j = c->xi[d];
    return j < 0 || cs->cls[j] == c->x[j].ncls;
}

/* Subset d whose elements hold decisions (children, each under one element, their only
 * guard: space_when): a pick S counts the product over S of wt[i], the product of element
 * i's children's subtree counts, so the subtree count is the elementary symmetric sum
 * e_k(wt), by e_j(wt[0..i]) = e_j(wt[0..i-1]) + wt[i] * e_{j-1}(wt[0..i-1]). With f: into
 * f[d] (*ok false on overflow) and, with u, the table uniform sampling reads at entry at
 * (space_int.h); lf[d] in log10. */
static SpaceStatus count_subset(const Space *s, int d, const int *first, const int *next, BigInt *f, double *lf,
                                bool *ok, SpaceUniform *u, int64_t at)
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
        if (u->nsub + (int64_t)cells > u->capsub) {
            int64_t cap = u->capsub ? 2 * u->capsub : 64;
            while (cap < u->nsub + (int64_t)cells) cap *= 2;
            BigInt *grown = realloc(u->sub, sizeof *grown * (size_t)cap);
            if (!grown) {
                free(t);
                return SPACE_E_NOMEM;
            }
            u->sub = grown;
            u->capsub = cap;
        }
        memcpy(u->sub + u->nsub, t, cells * sizeof *t);
        u->sub_at[at] = u->nsub;
        u->nsub += (int64_t)cells;
    }
    free(t);
    return SPACE_OK;
}

/* Computes the size into *total (when total != NULL; *exact false if it overflowed) and its
 * log10, and with u (and total) the segments of uniform sampling. Returns SPACE_E_NOMEM on
 * allocation failure, SPACE_E_CASES past SPACE_CASES_MAX cases in a group. */
static SpaceStatus count(const Space *s, BigInt *total, bool *exact, double *log10_out, SpaceUniform *u)
{
    int n = s->n;
    size_t nn = (size_t)(n ? n : 1);
    Cases cases;
    bool built = cases_build(s, &cases);
    BigInt *f = total ? malloc(nn * sizeof *f) : NULL;
    double *lf = malloc(nn * sizeof *lf);
    int *first = malloc(nn * sizeof *first); /* children lists */
    int *next = malloc(nn * sizeof *next);
    bool *affected = malloc(nn * sizeof *affected); /* its weights differ between cases */
    Case cs = {malloc(sizeof *cs.cls * (size_t)(cases.nx ? cases.nx : 1)), malloc(nn * sizeof *cs.off)};
    int64_t *bp = NULL;
    BigInt *sum = total ? malloc(sizeof *sum) : NULL;
    SpaceStatus st = SPACE_E_NOMEM;
    if (!built || (total && (!f || !sum)) || !lf || !first || !next || !affected || !cs.cls || !cs.off) goto out;
    st = SPACE_E_CASES;
    if (cases.most > SPACE_CASES_MAX) goto out;
    st = SPACE_E_NOMEM;
    for (int d = 0; d < n; d++) {
        first[d] = -1;
        affected[d] = cases.xi[d] >= 0 || s->dec[d].nguard > 1;
    }
    for (int d = n - 1; d >= 0; d--) {
        int p = s->dec[d].parent;
        if (p >= 0) {
            next[d] = first[p];
            first[p] = d;
            affected[p] |= affected[d];
        }
    }
    if (u) { /* the groups' decisions in order, and where each group's cases start */
        int ng = cases.ngroup;
        if (!(u->group = malloc(sizeof *u->group * nn)) || !(u->pos = malloc(sizeof *u->pos * nn)) ||
            !(u->order = malloc(sizeof *u->order * nn)) ||
            !(u->gstart = malloc(sizeof *u->gstart * (size_t)(ng + 1))) ||
            !(u->ncase = malloc(sizeof *u->ncase * (size_t)(ng + 1))) ||
            !(u->cbase = malloc(sizeof *u->cbase * (size_t)(ng + 1))) ||
            !(u->abase = malloc(sizeof *u->abase * (size_t)(ng + 1))) || !(u->in_case = malloc(nn)))
            goto out;
        u->ngroup = ng;
        for (int g = 0; g <= ng; g++) u->gstart[g] = 0;
        for (int d = 0; d < n; d++) u->gstart[cases.group[d] + 1]++;
        for (int g = 0; g < ng; g++) u->gstart[g + 1] += u->gstart[g];
        for (int d = 0; d < n; d++) {
            u->group[d] = cases.group[d];
            u->in_case[d] = cases.xi[d] >= 0;
        }
        int *fill = u->ncase; /* a cursor per group until it holds the cases */
        for (int g = 0; g < ng; g++) fill[g] = 0;
        for (int d = 0; d < n; d++) {
            int g = cases.group[d];
            u->pos[d] = fill[g];
            u->order[u->gstart[g] + fill[g]++] = d;
        }
        u->multi = false;
        u->cbase[0] = u->abase[0] = 0;
        for (int g = 0; g < ng; g++) {
            u->ncase[g] = (int)cases.gn[g];
            u->multi |= cases.gn[g] > 1;
            u->cbase[g + 1] = u->cbase[g] + u->ncase[g];
            u->abase[g + 1] = u->abase[g] + (int64_t)u->ncase[g] * (u->gstart[g + 1] - u->gstart[g]);
        }
        size_t na = (size_t)(u->abase[ng] ? u->abase[ng] : 1);
        if (!(u->first = malloc(sizeof *u->first * na)) || !(u->count = malloc(sizeof *u->count * na)) ||
            !(u->sub_at = malloc(sizeof *u->sub_at * na)) ||
            !(u->case_cum = malloc(sizeof *u->case_cum * (size_t)(u->cbase[ng] ? u->cbase[ng] : 1))))
            goto out;
    }
    bool ok = true;
    double ltotal = 0;
    if (total) bigint_set_u64(total, 1);
    BigInt prod, term, len_big, gtotal;
    for (int grp = 0; grp < cases.ngroup; grp++) {
        double lsum = -INFINITY;
        if (sum) bigint_set_u64(sum, 0);
        for (int64_t k = 0; k < cases.gn[grp]; k++) {
            case_set(s, &cases, grp, k, &cs);
            for (int d = n - 1; d >= 0; d--) {
                if (cases.group[d] != grp) continue;
                int seg0 = u ? u->nseg : 0;
                const SpaceDecision *x = &s->dec[d];
                bool push = u && (k == 0 || affected[d]);
                int64_t at = u ? u->abase[grp] + k * (u->gstart[grp + 1] - u->gstart[grp]) + u->pos[d] : 0;
                int64_t at0 = u ? u->abase[grp] + u->pos[d] : 0; /* case 0's, shared when unaffected */
                if (x->kind == SPACE_SUBSET && first[d] >= 0) {  /* its elements hold decisions */
                    if (u) u->sub_at[at] = push ? -1 : u->sub_at[at0];
                    if (count_subset(s, d, first, next, f, lf, &ok, push ? u : NULL, at) != SPACE_OK) goto out;
                    if (u) u->first[at] = u->count[at] = 0;
                    continue;
                }
                int64_t arity = x->continuous ? 1 : x->arity;
                const CaseDec *cx = cases.xi[d] >= 0 ? &cases.x[cases.xi[d]] : NULL;
                int ccls = cx ? cs.cls[cases.xi[d]] : 0;
                int nbp = 2 + (cx ? cx->nseg : 0);
                for (int c = first[d]; c >= 0; c = next[c]) nbp += 2 * s->dec[c].ncond;
                free(bp);
                if (!(bp = malloc((size_t)nbp * sizeof *bp))) goto out;
                int m = 0;
                bp[m++] = 0;
                bp[m++] = arity;
                for (int i = 1; cx && i < cx->nseg; i++) bp[m++] = cx->lo[i];
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
                    if (cx && (ccls == cx->ncls || class_of(cx, bp[i]) != ccls)) continue; /* not this case */
                    /* every value in [bp[i], bp[i+1]) activates the same children */
                    int64_t len = bp[i + 1] - bp[i];
                    double lterm = log10((double)len);
                    if (f) bigint_set_u64(&prod, 1);
                    for (int c = first[d]; c >= 0; c = next[c]) {
                        bool on = !cs.off[c] && space__guard_has(&s->dec[c].guards[0], bp[i]);
                        if (!on && may_be_off(&cases, &cs, c)) continue; /* inactive: a factor 1 */
                        lterm += on ? lf[c] : -INFINITY;
                        if (f && ok) {
                            if (on) ok = bigint_mul(&term, &prod, &f[c]);
                            else bigint_set_u64(&term, 0);
                            prod = term;
                        }
                    }
                    lf[d] = log10_add(lf[d], lterm);
                    if (f && ok) { /* prod: one value's weight; the segment adds len of them */
                        bigint_set_u64(&len_big, (uint64_t)len);
                        ok = bigint_mul(&term, &prod, &len_big) && bigint_add(&f[d], &term);
                        if (ok && push && !uniform_push(u, bp[i], len, &prod, &f[d])) goto out;
                    }
                }
                if (u) {
                    u->sub_at[at] = -1;
                    u->first[at] = push ? seg0 : u->first[at0];
                    u->count[at] = push ? u->nseg - seg0 : u->count[at0];
                }
            }
            /* the group's roots: their product is the case's size */
            double lcase = 0;
            if (f) bigint_set_u64(&gtotal, 1);
            for (int d = 0; d < n; d++) {
                if (s->dec[d].parent >= 0 || cases.group[d] != grp) continue;
                bool on = !cs.off[d];
                if (!on && may_be_off(&cases, &cs, d)) continue;
                lcase += on ? lf[d] : -INFINITY;
                if (f && ok) {
                    if (on) ok = bigint_mul(&term, &gtotal, &f[d]);
                    else bigint_set_u64(&term, 0);
                    gtotal = term;
                }
            }
            lsum = log10_add(lsum, lcase);
            if (sum && ok) ok = bigint_add(sum, &gtotal);
            if (u && ok) u->case_cum[u->cbase[grp] + k] = *sum;
        }
        ltotal += lsum;
        if (total && ok) {
            ok = bigint_mul(&term, total, sum);
            *total = term;
        }
    }
    if (exact) *exact = ok;
    if (log10_out) *log10_out = ltotal;
    st = SPACE_OK;
out:
    cases_free(&cases);
    free(cs.cls);
    free(cs.off);
    free(sum);
    free(bp);
    free(f);
    free(lf);
    free(first);
    free(next);
    free(affected);
    return st;
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
    if (!u) return SPACE_E_NOMEM;
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
    free(u->case_cum);
    free(u->sub_at);
    free(u->sub);
    free(u->in_case);
    free(u->group);
    free(u->pos);
    free(u->order);
    free(u->gstart);
    free(u->ncase);
    free(u->cbase);
    free(u->abase);
    free(u);
}
