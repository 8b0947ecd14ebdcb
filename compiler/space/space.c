/* space.c — the decision table: construction, conditions, values, validity, equality and hash. */
#include "space_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull
#define STR_(x)    #x
#define STR(x)     STR_(x) /* a macro's value as a string literal */

static uint64_t fnv_u32(uint64_t h, uint32_t x) /* little-endian bytes: same on every machine */
{
    for (int i = 0; i < 4; i++) {
        h ^= (x >> (8 * i)) & 0xff;
        h *= FNV_PRIME;
    }
    return h;
}

Space *space_new(void) { return calloc(1, sizeof(Space)); }

void space_free(Space *s)
{
    if (!s) return;
    for (int i = 0; i < s->nowned; i++) free(s->owned[i]);
    free(s->owned);
    space__uniform_free(s->uniform);
    free(s->dec);
    free(s->hot);
    free(s->binom);
    free(s);
}

static uint64_t shape_term(const Space *s, int d);

/* malloc that the space frees; NULL on out of memory. */
static void *own(Space *s, size_t size)
{
    if (s->nowned == s->capowned) {
        int cap = s->capowned ? 2 * s->capowned : 16;
        void **o = realloc(s->owned, (size_t)cap * sizeof *o);
        if (!o) return NULL;
        s->owned = o;
        s->capowned = cap;
    }
    void *p = malloc(size ? size : 1);
    if (p) s->owned[s->nowned++] = p;
    return p;
}

static char *own_str(Space *s, const char *str)
{
    size_t n = strlen(str) + 1;
    char *p = own(s, n);
    if (p) memcpy(p, str, n);
    return p;
}

int space_find(const Space *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->dec[i].name, name) == 0) return i;
    return -1;
}

/* Appends a decision of the given kind and arity; fills name, loc and the hot entry.
 * Returns its index or -status. */
static int add(Space *s, SpaceKind kind, const char *name, SpaceLoc loc, int64_t arity)
{
    if (arity < 1) return -SPACE_E_ARG;
    if (arity > INT32_MAX) return -SPACE_E_ARITY;
    char derived[64];
    if (!name) {
        snprintf(derived, sizeof derived, "choice@%d:%d", loc.line, loc.col);
        name = derived;
    }
    if (space_find(s, name) >= 0) return -SPACE_E_DUPLICATE;
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 16;
        SpaceDecision *d = realloc(s->dec, (size_t)cap * sizeof *d);
        if (!d) return -SPACE_E_NOMEM;
        s->dec = d;
        SpaceHot *h = realloc(s->hot, (size_t)cap * sizeof *h);
        if (!h) return -SPACE_E_NOMEM;
        s->hot = h;
        uint32_t **b = realloc(s->binom, (size_t)cap * sizeof *b);
        if (!b) return -SPACE_E_NOMEM;
        s->binom = b;
        s->cap = cap;
    }
    SpaceDecision *d = &s->dec[s->n];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->name = own_str(s, name);
    if (loc.file) loc.file = own_str(s, loc.file);
    d->loc = loc;
    d->arity = (int32_t)arity;
    d->parent = -1;
    if (!d->name || (loc.file && !d->loc.file)) return -SPACE_E_NOMEM;
    SpaceHot *h = &s->hot[s->n];
    memset(h, 0, sizeof *h);
    h->parent = -1;
    h->radix = (uint32_t)arity;
    s->binom[s->n] = NULL;
    s->n++;
    s->shape += shape_term(s, s->n - 1);
    return s->n - 1;
}

static void *own_copy(Space *s, const void *src, size_t size)
{
    void *p = own(s, size);
    if (p) memcpy(p, src, size);
    return p;
}

int space_add_ints(Space *s, const char *name, SpaceLoc loc, int n, const int64_t *vals)
{
    if (n < 1 || !vals) return -SPACE_E_ARG;
    int d = add(s, SPACE_CATEGORICAL, name, loc, n);
    if (d < 0) return d;
    s->dec[d].vtype = SPACE_VAL_INT;
    if (!(s->dec[d].ints = own_copy(s, vals, (size_t)n * sizeof *vals))) return -SPACE_E_NOMEM;
    return d;
}

int space_add_floats(Space *s, const char *name, SpaceLoc loc, int n, const double *vals)
{
    if (n < 1 || !vals) return -SPACE_E_ARG;
    int d = add(s, SPACE_CATEGORICAL, name, loc, n);
    if (d < 0) return d;
    s->dec[d].vtype = SPACE_VAL_FLOAT;
    if (!(s->dec[d].floats = own_copy(s, vals, (size_t)n * sizeof *vals))) return -SPACE_E_NOMEM;
    return d;
}

/* Copies n label strings into the space; NULL on out of memory. */
static const char *const *own_labels(Space *s, int n, const char *const *labels)
{
    const char **l = own(s, (size_t)n * sizeof *l);
    if (!l) return NULL;
    for (int i = 0; i < n; i++)
        if (!(l[i] = own_str(s, labels[i] ? labels[i] : ""))) return NULL;
    return l;
}

int space_add_labels(Space *s, const char *name, SpaceLoc loc, int n, const char *const *labels)
{
    if (n < 1 || !labels) return -SPACE_E_ARG;
    int d = add(s, SPACE_CATEGORICAL, name, loc, n);
    if (d < 0) return d;
    s->dec[d].vtype = SPACE_VAL_LABEL;
    if (!(s->dec[d].labels = own_labels(s, n, labels))) return -SPACE_E_NOMEM;
    return d;
}

int space_add_int_range(Space *s, const char *name, SpaceLoc loc, int64_t lo, int64_t hi, int64_t step)
{
    if (step <= 0 || lo > hi) return -SPACE_E_ARG;
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    int d = add(s, SPACE_INT_RANGE, name, loc, (int64_t)(span / (uint64_t)step) + 1);
    if (d < 0) return d;
    s->dec[d].ilo = lo;
    s->dec[d].istep = step;
    return d;
}

int space_add_float_range(Space *s, const char *name, SpaceLoc loc, double lo, double hi, double step, bool is_log)
{
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(step) || lo > hi || step < 0) return -SPACE_E_ARG;
    if (is_log && (lo <= 0 || (step != 0 && step <= 1))) return -SPACE_E_ARG;
    double arity = SPACE_FINE_POINTS;
    if (step > 0) { /* the small epsilon keeps hi itself on the grid despite rounding */
        double span = is_log ? log(hi / lo) / log(step) : (hi - lo) / step;
        arity = floor(span + 1e-9) + 1;
        if (arity > INT32_MAX) return -SPACE_E_ARITY;
    }
    int d = add(s, SPACE_FLOAT_RANGE, name, loc, (int64_t)arity);
    if (d < 0) return d;
    SpaceDecision *x = &s->dec[d];
    x->flo = lo;
    x->fhi = hi;
    x->fstep = step;
    x->log = is_log;
    x->continuous = step == 0;
    return d;
}

int space_add_bool(Space *s, const char *name, SpaceLoc loc) { return add(s, SPACE_BOOL, name, loc, 2); }

/* Pascal's triangle of C(c, j), c <= n, j <= k, saturated at UINT32_MAX: every binomial a
 * rank below C(n, k) <= INT32_MAX needs is exact. NULL on out of memory. */
static uint32_t *binom_table(Space *s, int k, int n)
{
    size_t w = (size_t)k + 1;
    uint32_t *t = own(s, (size_t)(n + 1) * w * sizeof *t);
    if (!t) return NULL;
    for (int c = 0; c <= n; c++)
        for (int j = 0; j <= k; j++) {
            uint64_t v = j == 0 ? 1 : c == 0 ? 0 : (uint64_t)t[(c - 1) * w + j - 1] + t[(c - 1) * w + j];
            t[c * w + j] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        }
    return t;
}

int space_add_subset(Space *s, const char *name, SpaceLoc loc, int k, int n, const char *const *labels)
{
    if (n > SPACE_SUBSET_MAX_N) return -SPACE_E_SUBSET_N;
    if (n < 1 || k < 0 || k > n) return -SPACE_E_ARG;
    uint32_t *t = binom_table(s, k, n);
    if (!t) return -SPACE_E_NOMEM;
    uint32_t picks = t[(size_t)n * (size_t)(k + 1) + (size_t)k];
    int d = add(s, SPACE_SUBSET, name, loc, picks > INT32_MAX ? (int64_t)INT32_MAX + 1 : (int64_t)picks);
    if (d < 0) return d;
    s->binom[d] = t;
    s->dec[d].k = k;
    s->dec[d].n = n;
    s->hot[d].subset = 1;
    s->hot[d].k = (uint16_t)k;
    s->hot[d].n = (uint16_t)n;
    if (labels && !(s->dec[d].labels = own_labels(s, n, labels))) return -SPACE_E_NOMEM;
    return d;
}

/* guards[0] into the decision's mirror fields and the hot entry. */
static void set_first_guard(Space *s, int d)
{
    SpaceDecision *x = &s->dec[d];
    const SpaceGuard *g = &x->guards[0];
    x->parent = g->parent;
    x->ncond = g->ncond;
    x->cond = g->cond;
    SpaceHot *h = &s->hot[d];
    h->parent = g->parent;
    h->more = x->nguard > 1;
    h->member = s->dec[g->parent].kind == SPACE_SUBSET;
    h->use_mask = h->member || s->dec[g->parent].arity <= 64;
    h->mask = 0;
    if (h->member) h->mask = (uint64_t)g->cond[0].lo; /* the element */
    else if (h->use_mask)
        for (int i = 0; i < g->ncond; i++)
            for (int32_t v = g->cond[i].lo; v <= g->cond[i].hi; v++) h->mask |= 1ull << v;
}

/* Is d's guard list one the count handles? A guard on a subset's element is the decision's
 * only one, and no second guard's parent lies inside an element (its first-guard ancestors
 * are no subset): the count of a pick is then the product of its elements' counts, and an
 * unpicked element's decisions are inactive in every case. */
static bool subset_guards_ok(const Space *s, int d)
{
    const SpaceDecision *x = &s->dec[d];
    for (int i = 0; i < x->nguard; i++) {
        if (s->dec[x->guards[i].parent].kind == SPACE_SUBSET && x->nguard > 1) return false;
        for (int p = x->guards[i].parent; i > 0 && p >= 0; p = s->dec[p].parent)
            if (s->dec[p].parent >= 0 && s->dec[s->dec[p].parent].kind == SPACE_SUBSET) return false;
    }
    return true;
}

SpaceStatus space_when(Space *s, int d, int parent, int32_t lo, int32_t hi)
{
    if (d < 0 || d >= s->n || parent < 0 || parent >= d) return SPACE_E_PARENT;
    SpaceDecision *x = &s->dec[d], *p = &s->dec[parent];
    if (p->continuous) return SPACE_E_PARENT;
    /* A subset parent: [lo, lo] names one element (one, so a pick's count is a product). */
    bool member = p->kind == SPACE_SUBSET;
    for (int i = 0; member && i < x->nguard; i++)
        if (x->guards[i].parent == parent) return SPACE_E_ARG;
    if (member && lo != hi) return SPACE_E_ARG;
    if (lo < 0 || lo > hi || hi >= (member ? p->n : p->arity)) return SPACE_E_ARG;
    /* the guard list with parent's guard in place (sorted by parent, latest first) */
    int at = 0, ng = x->nguard;
    while (at < ng && x->guards[at].parent > parent) at++;
    bool fresh = at == ng || x->guards[at].parent != parent;
    SpaceGuard *gs = own(s, (size_t)(ng + 1) * sizeof *gs);
    if (!gs) return SPACE_E_NOMEM;
    for (int i = 0, j = 0; i < ng + fresh; i++)
        gs[i] = fresh && i == at ? (SpaceGuard){parent, 0, NULL} : x->guards[j++];
    SpaceGuard *g = &gs[at];
    /* insert [lo, hi] keeping the list sorted by lo, then merge overlapping or adjacent ones */
    SpaceInterval *iv = own(s, (size_t)(g->ncond + 1) * sizeof *iv);
    if (!iv) return SPACE_E_NOMEM;
    int k = 0;
    while (k < g->ncond && g->cond[k].lo < lo) k++;
    for (int i = 0, j = 0; i <= g->ncond; i++) iv[i] = i == k ? (SpaceInterval){lo, hi} : g->cond[j++];
    int m = 0;
    for (int i = 0; i <= g->ncond; i++) {
        if (m > 0 && (int64_t)iv[i].lo <= (int64_t)iv[m - 1].hi + 1) {
            if (iv[i].hi > iv[m - 1].hi) iv[m - 1].hi = iv[i].hi;
        } else {
            iv[m++] = iv[i];
        }
    }
    g->cond = iv;
    g->ncond = m;
    const SpaceGuard *old = x->guards;
    s->shape -= shape_term(s, d);
    x->guards = gs;
    x->nguard = ng + fresh;
    bool refused = !subset_guards_ok(s, d);
    int64_t cases = refused ? 1 : x->nguard > 1 ? space__cases(s) : 1;
    if (refused || cases < 0 || cases > SPACE_CASES_MAX) { /* undo: the table stays as it was */
        x->guards = old;
        x->nguard = ng;
    }
    if (x->nguard) set_first_guard(s, d);
    s->shape += shape_term(s, d);
    return refused                   ? SPACE_E_SUBSET_GUARD
           : cases < 0               ? SPACE_E_NOMEM
           : cases > SPACE_CASES_MAX ? SPACE_E_CASES
                                     : SPACE_OK;
}

int space_count(const Space *s) { return s->n; }

const SpaceDecision *space_decision(const Space *s, int d) { return d >= 0 && d < s->n ? &s->dec[d] : NULL; }

/* ---- values ---- */

double space_value_float(const Space *s, int d, int32_t v)
{
    const SpaceDecision *x = &s->dec[d];
    switch (x->kind) {
    case SPACE_CATEGORICAL:
        return x->vtype == SPACE_VAL_FLOAT ? x->floats[v] : x->vtype == SPACE_VAL_INT ? (double)x->ints[v] : v;
    case SPACE_INT_RANGE: return (double)(x->ilo + (int64_t)v * x->istep);
    case SPACE_FLOAT_RANGE:
        if (x->continuous) {
            double t = (double)v / (SPACE_FINE_POINTS - 1);
            if (v == SPACE_FINE_POINTS - 1) return x->fhi; /* exact end, no rounding */
            return x->log ? exp(log(x->flo) + (log(x->fhi) - log(x->flo)) * t) : x->flo + (x->fhi - x->flo) * t;
        }
        return x->log ? x->flo * pow(x->fstep, v) : x->flo + v * x->fstep;
    case SPACE_BOOL:
    case SPACE_SUBSET: return v;
    }
    return 0;
}

int64_t space_value_int(const Space *s, int d, int32_t v)
{
    const SpaceDecision *x = &s->dec[d];
    if (x->kind == SPACE_INT_RANGE) return x->ilo + (int64_t)v * x->istep;
    if (x->kind == SPACE_CATEGORICAL && x->vtype == SPACE_VAL_INT) return x->ints[v];
    if (x->kind == SPACE_CATEGORICAL && x->vtype == SPACE_VAL_LABEL) return v;
    if (x->kind == SPACE_BOOL || x->kind == SPACE_SUBSET) return v;
    return (int64_t)llround(space_value_float(s, d, v));
}

int space_value_format(const Space *s, int d, int32_t v, char *buf, size_t size)
{
    const SpaceDecision *x = &s->dec[d];
    if (v == SPACE_INACTIVE) return snprintf(buf, size, "-");
    switch (x->kind) {
    case SPACE_CATEGORICAL:
        if (x->vtype == SPACE_VAL_LABEL) return snprintf(buf, size, "%s", x->labels[v]);
        if (x->vtype == SPACE_VAL_INT) return snprintf(buf, size, "%lld", (long long)x->ints[v]);
        return snprintf(buf, size, "%.10g", x->floats[v]);
    case SPACE_INT_RANGE: return snprintf(buf, size, "%lld", (long long)space_value_int(s, d, v));
    case SPACE_FLOAT_RANGE: return snprintf(buf, size, "%.10g", space_value_float(s, d, v));
    case SPACE_BOOL: return snprintf(buf, size, "%s", v ? "true" : "false");
    case SPACE_SUBSET: {
        size_t len = 0;
        int total = snprintf(buf, size, "{"), picks[SPACE_SUBSET_MAX_N];
        space_subset_picks(s, d, v, picks);
        for (int p = 0, first = 1; p < x->k; p++) {
            int i = picks[p];
            len = total < 0 ? 0 : (size_t)total;
            char item[16];
            const char *label = x->labels ? x->labels[i] : (snprintf(item, sizeof item, "%d", i), item);
            total +=
                snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0, "%s%s", first ? "" : ",", label);
            first = 0;
        }
        len = (size_t)total;
        total += snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0, "}");
        return total;
    }
    }
    return 0;
}

/* ---- subsets: colex ranks ---- */

/* The colex rank of elements e_1 < .. < e_k is the sum of C(e_i, i): the picks of larger
 * elements come later, and a rank is unranked from the largest element down. */
/* The i-th smallest pick (i = k, k-1, .. in turn) of what is left of the rank: the largest c
 * in [i-1, hi] with C(c, i) <= rank (C(i-1, i) = 0 always qualifies), taken off the rank. */
static int unrank_step(const Space *s, int d, int i, int hi, uint32_t *rank)
{
    int lo = i - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (space__binom(s, d, mid, i) <= *rank) lo = mid;
        else hi = mid - 1;
    }
    *rank -= space__binom(s, d, lo, i);
    return lo;
}

int space_subset_picks(const Space *s, int d, int32_t v, int *out)
{
    int k = s->hot[d].k;
    uint32_t rank = (uint32_t)v;
    for (int i = k, hi = s->hot[d].n - 1; i >= 1; i--) hi = (out[i - 1] = unrank_step(s, d, i, hi, &rank)) - 1;
    return k;
}

bool space_subset_has(const Space *s, int d, int32_t v, int e)
{
    uint32_t rank = (uint32_t)v; /* picks come largest first: stop at the first one <= e */
    for (int i = s->hot[d].k, hi = s->hot[d].n - 1; i >= 1; i--) {
        int c = unrank_step(s, d, i, hi, &rank);
        if (c <= e) return c == e;
        hi = c - 1;
    }
    return false;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

int32_t space_subset_value(const Space *s, int d, int *elems)
{
    int k = s->hot[d].k;
    qsort(elems, (size_t)k, sizeof *elems, cmp_int);
    uint32_t rank = 0;
    for (int i = 0; i < k; i++) rank += space__binom(s, d, elems[i], i + 1);
    return (int32_t)rank;
}

int32_t space_subset_swap(const Space *s, int d, int32_t v, int drop, int add_)
{
    int picks[SPACE_SUBSET_MAX_N], k = space_subset_picks(s, d, v, picks);
    for (int i = 0; i < k; i++)
        if (picks[i] == drop) picks[i] = add_;
    return space_subset_value(s, d, picks);
}

/* ---- validity, canonical form, equality, hash ---- */

bool space__value_ok(const Space *s, int d, int32_t v) { return v >= 0 && (uint32_t)v < s->hot[d].radix; }

/* A subset's text: its elements by label or number, k of them, each once. */
static SpaceStatus subset_parse(const Space *s, int d, const char *text, int32_t *v, SpaceError *err)
{
    const SpaceDecision *x = &s->dec[d];
    size_t len = strlen(text);
    int count = 0, picks[SPACE_SUBSET_MAX_N];
    bool seen[SPACE_SUBSET_MAX_N] = {0};
    if (len < 2 || text[0] != '{' || text[len - 1] != '}') goto bad;
    const char *end = text + len - 1;
    for (const char *p = text + 1; p < end;) {
        /* the longest unseen label here that ends at a ',' or the '}': a label is source text,
         * which may hold commas itself (`dense(x, 4)`) */
        size_t n = 0;
        int e = -1;
        for (int i = 0; i < x->n; i++) {
            char item[16];
            const char *label = x->labels ? x->labels[i] : (snprintf(item, sizeof item, "%d", i), item);
            size_t l = strlen(label);
            if (!seen[i] && l > n && l <= (size_t)(end - p) && !strncmp(p, label, l) && (p[l] == ',' || p + l == end))
                e = i, n = l;
        }
        if (e < 0 || count == x->k) goto bad;
        seen[e] = true;
        picks[count++] = e;
        p += n + (p[n] == ',');
    }
    if (count != x->k) goto bad;
    *v = space_subset_value(s, d, picks);
    return SPACE_OK;
bad:
    space__set_error(err, SPACE_E_ARG, -1, "%s: `%s` is not a subset of %d of its %d elements", x->name, text, x->k,
                     x->n);
    return SPACE_E_ARG;
}

SpaceStatus space_value_parse(const Space *s, int d, const char *text, int32_t *v, SpaceError *err)
{
    const SpaceDecision *x = &s->dec[d];
    if (x->kind == SPACE_SUBSET) return subset_parse(s, d, text, v, err);
    /* the values' own display texts (one formatting rule, whatever the kind); a number also
     * matches by value, so 1e-3 finds the 0.001 of a float grid */
    char buf[256], *end;
    double num = strtod(text, &end);
    bool numeric = *text && !*end && x->kind != SPACE_BOOL &&
                   (x->kind != SPACE_CATEGORICAL || x->vtype != SPACE_VAL_LABEL);
    for (int32_t i = 0; i < x->arity; i++) {
        space_value_format(s, d, i, buf, sizeof buf);
        double y = numeric ? space_value_float(s, d, i) : 0;
        if (!strcmp(buf, text) || (numeric && fabs(y - num) <= 1e-9 * fabs(y))) {
            *v = i;
            return SPACE_OK;
        }
    }
    space__set_error(err, SPACE_E_ARG, -1, "%s: `%s` is not one of its values", x->name, text);
    return SPACE_E_ARG;
}

/* Activity of d in any vector: every guard holds and its parent is active. The single-parent
 * chain is a loop; a second guard recurses into its parent. */
bool space_is_active(const Space *s, const int32_t *arch, int d)
{
    for (int p = s->hot[d].parent; p >= 0; d = p, p = s->hot[d].parent) {
        if (!space__cond_ok(s, d, arch[p])) return false;
        const SpaceDecision *x = &s->dec[d];
        for (int i = 1; i < x->nguard; i++)
            if (!space__guard_has(&x->guards[i], arch[x->guards[i].parent]) ||
                !space_is_active(s, arch, x->guards[i].parent))
                return false;
    }
    return true;
}

void space_canonicalize(const Space *s, int32_t *arch)
{
    for (int d = 0; d < s->n; d++)
        if (!space__active_canon(s, arch, d)) arch[d] = SPACE_INACTIVE;
}

void space__set_error(SpaceError *err, SpaceStatus code, int pos, const char *fmt, ...)
{
    if (!err) return;
    err->code = code;
    err->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

SpaceStatus space_validate(const Space *s, const int32_t *arch, SpaceError *err)
{
    for (int d = 0; d < s->n; d++) {
        bool active = space__active_canon(s, arch, d);
        if (active ? !space__value_ok(s, d, arch[d]) : arch[d] != SPACE_INACTIVE) {
            space__set_error(err, SPACE_E_INVALID_ARCH, d, "decision %d (%s): %s slot holds %d", d, s->dec[d].name,
                             active ? "invalid value: active" : "inactive", arch[d]);
            return SPACE_E_INVALID_ARCH;
        }
    }
    return SPACE_OK;
}

bool space_arch_equal(const Space *s, const int32_t *a, const int32_t *b)
{
    for (int d = 0; d < s->n; d++) {
        int32_t x = space_is_active(s, a, d) ? a[d] : SPACE_INACTIVE;
        int32_t y = space_is_active(s, b, d) ? b[d] : SPACE_INACTIVE;
        if (x != y) return false;
    }
    return true;
}

/* The shape of the table, for ID checks: a sum over decisions of a mixed per-decision hash,
 * so space_when on an earlier decision updates it in O(intervals), not O(table). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t shape_term(const Space *s, int d)
{
    const SpaceDecision *x = &s->dec[d];
    uint64_t h =
        fnv_u32(fnv_u32(fnv_u32(fnv_u32(FNV_OFFSET, (uint32_t)d), x->kind), (uint32_t)x->arity), (uint32_t)x->parent);
    for (int i = 0; i < x->ncond; i++) h = fnv_u32(fnv_u32(h, (uint32_t)x->cond[i].lo), (uint32_t)x->cond[i].hi);
    /* further guards only extend the hash: a single-parent table keeps its IDs */
    for (int g = 1; g < x->nguard; g++) {
        h = fnv_u32(h, (uint32_t)x->guards[g].parent);
        for (int i = 0; i < x->guards[g].ncond; i++)
            h = fnv_u32(fnv_u32(h, (uint32_t)x->guards[g].cond[i].lo), (uint32_t)x->guards[g].cond[i].hi);
    }
    return mix64(h);
}

uint64_t space__shape(const Space *s) { return s->shape; }

uint64_t space_arch_hash(const Space *s, const int32_t *arch)
{
    uint64_t h = FNV_OFFSET;
    for (int d = 0; d < s->n; d++) h = fnv_u32(h, (uint32_t)(space_is_active(s, arch, d) ? arch[d] : SPACE_INACTIVE));
    return h;
}

const char *space_status_string(SpaceStatus st)
{
    static const char *const names[] = {
        [SPACE_OK] = "ok",
        [SPACE_E_ARG] = "invalid argument",
        [SPACE_E_DUPLICATE] = "duplicate decision name",
        [SPACE_E_PARENT] = "invalid parent decision",
        [SPACE_E_INVALID_ARCH] = "invalid architecture",
        [SPACE_E_ID_EMPTY] = "architecture ID too short",
        [SPACE_E_ID_VERSION] = "unknown architecture ID version",
        [SPACE_E_ID_CHAR] = "invalid character in architecture ID",
        [SPACE_E_ID_CHECKSUM] = "architecture ID checksum mismatch",
        [SPACE_E_ID_RANGE] = "architecture ID outside the space",
        [SPACE_E_TOO_BIG] = "number too large",
        [SPACE_E_DIMS] = "too many decisions for Sobol",
        [SPACE_E_NOMEM] = "out of memory",
        [SPACE_E_BUFFER] = "buffer too small",
        [SPACE_E_NO_MOVE] = "no decision can change",
        [SPACE_E_ARITY] = "it has more than 2147483647 values (2^31 - 1), the limit for one decision",
        [SPACE_E_SUBSET_N] = "a subset is picked from at most " STR(SPACE_SUBSET_MAX_N) " elements",
        [SPACE_E_CASES] = "its conditions over several decisions make more than 4096 cases to count",
        [SPACE_E_SUBSET_GUARD] = "a decision inside an element of a subset (`choice k of [...]`) cannot also "
                                 "depend on another decision (its size would not be counted exactly)",
    };
    return (unsigned)st < sizeof names / sizeof *names && names[st] ? names[st] : "unknown status";
}
