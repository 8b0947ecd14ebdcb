/* forest.c — see forest.h. */
#include "forest.h"
#include "controller_impl.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FOREST_CAT_MAX = 64 }; /* slot values + 1 (inactive) that a categorical split's mask holds */

typedef struct FNode {
    int feat;      /* -1: a leaf */
    int left, right;
    int32_t thresh; /* ordinal: left when slot <= thresh */
    uint64_t mask;  /* categorical: left when bit (slot + 1) is set */
    double mean, var;
} FNode;

struct Forest {
    const Space *space;
    int nslots, trees, min_leaf, nfeat;
    bool *cat;   /* nslots: split by value sets (else by a threshold) */
    bool *small; /* nslots: at most FOREST_CAT_MAX slot values, inactive included */
    FNode *nodes;
    int nnodes, cap_nodes;
    int *root; /* trees; -1 before a fit */
    /* scratch of a fit */
    int *idx, *feats, cap_n;
    double *y;
    const int32_t *archs;
    struct FPair {
        int32_t v;
        double y;
    } *pairs;
};

typedef struct FPair FPair;

Forest *forest_new(const Space *s, int trees, int min_leaf, double feat_frac)
{
    Forest *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->space = s;
    f->nslots = space_count(s);
    f->trees = trees;
    f->min_leaf = min_leaf;
    f->nfeat = (int)ceil(feat_frac * f->nslots);
    if (f->nfeat < 1) f->nfeat = 1;
    if (f->nfeat > f->nslots) f->nfeat = f->nslots;
    f->cat = calloc((size_t)(f->nslots ? f->nslots : 1), sizeof *f->cat);
    f->small = calloc((size_t)(f->nslots ? f->nslots : 1), sizeof *f->small);
    f->root = malloc(sizeof *f->root * (size_t)trees);
    f->feats = malloc(sizeof *f->feats * (size_t)(f->nslots ? f->nslots : 1));
    if (!f->cat || !f->small || !f->root || !f->feats) {
        forest_free(f);
        return NULL;
    }
    for (int t = 0; t < trees; t++) f->root[t] = -1;
    for (int d = 0; d < f->nslots; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        f->small[d] = sd->arity + 1 <= FOREST_CAT_MAX;
        f->cat[d] = f->small[d] && (sd->kind == SPACE_CATEGORICAL || sd->kind == SPACE_BOOL || sd->kind == SPACE_SUBSET);
    }
    return f;
}

void forest_free(Forest *f)
{
    if (!f) return;
    free(f->cat);
    free(f->small);
    free(f->nodes);
    free(f->root);
    free(f->idx);
    free(f->feats);
    free(f->y);
    free(f->pairs);
    free(f);
}

int forest_trees(const Forest *f) { return f->trees; }

static int forest_node(Forest *f)
{
    if (f->nnodes == f->cap_nodes) {
        int cap = f->cap_nodes ? 2 * f->cap_nodes : 256;
        FNode *p = realloc(f->nodes, sizeof *p * (size_t)cap);
        if (!p) return -1;
        f->nodes = p;
        f->cap_nodes = cap;
    }
    return f->nnodes++;
}

static int by_pair(const void *a, const void *b)
{
    const FPair *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->y > y->y) - (x->y < y->y); /* a total order: qsort is not stable */
}

typedef struct FSplit {
    double gain; /* sum_l^2 / n_l + sum_r^2 / n_r: larger is a smaller squared error */
    int feat;
    int32_t thresh;
    uint64_t mask;
} FSplit;

static bool forest_goes_left(const Forest *f, const FNode *nd, int32_t v)
{
    if (f->cat[nd->feat]) return nd->mask >> (v + 1) & 1;
    return v <= nd->thresh;
}

/* The best split of idx[0..n) on decision d (at most FOREST_CAT_MAX slot values) into s, when
 * better than s->gain: by_mean, a value set (the values ordered by mean, a prefix to the left);
 * else a threshold (the values in their order). Counting, not sorting: O(n + values). */
static void forest_try_small(Forest *f, const int *idx, int n, int d, bool by_mean, FSplit *s)
{
    double sum[FOREST_CAT_MAX] = {0};
    int cnt[FOREST_CAT_MAX] = {0}, order[FOREST_CAT_MAX], k = 0;
    for (int i = 0; i < n; i++) {
        int v = f->archs[(size_t)idx[i] * f->nslots + d] + 1;
        sum[v] += f->y[idx[i]];
        cnt[v]++;
    }
    for (int v = 0; v < FOREST_CAT_MAX; v++)
        if (cnt[v]) order[k++] = v;
    if (k < 2) return;
    /* insertion sort by mean: at most 64 values */
    for (int i = 1; i < k && by_mean; i++) {
        int v = order[i], j = i;
        while (j > 0 && sum[order[j - 1]] / cnt[order[j - 1]] > sum[v] / cnt[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    double total = 0;
    for (int i = 0; i < k; i++) total += sum[order[i]];
    double sl = 0;
    int nl = 0;
    uint64_t mask = 0;
    static int ovr = -1;
    if (ovr < 0) ovr = getenv("RF_OVR") ? atoi(getenv("RF_OVR")) : 0;
    if (ovr && by_mean) { /* one value vs the rest */
        for (int i = 0; i < k; i++) {
            int v = order[i], nl = cnt[v], nr = n - nl;
            if (nl < f->min_leaf || nr < f->min_leaf) continue;
            double g = sum[v] * sum[v] / nl + (total - sum[v]) * (total - sum[v]) / nr;
            if (g > s->gain) *s = (FSplit){g, d, 0, 1ull << v};
        }
        return;
    }
    for (int i = 0; i + 1 < k; i++) {
        sl += sum[order[i]];
        nl += cnt[order[i]];
        mask |= 1ull << order[i];
        int nr = n - nl;
        if (nl < f->min_leaf || nr < f->min_leaf) continue;
        double g = sl * sl / nl + (total - sl) * (total - sl) / nr;
        if (g > s->gain) *s = (FSplit){g, d, order[i] - 1, mask};
    }
}

static void forest_try_ord(Forest *f, const int *idx, int n, int d, FSplit *s)
{
    FPair *p = f->pairs;
    double total = 0;
    for (int i = 0; i < n; i++) {
        p[i] = (FPair){f->archs[(size_t)idx[i] * f->nslots + d], f->y[idx[i]]};
        total += p[i].y;
    }
    qsort(p, (size_t)n, sizeof *p, by_pair);
    double sl = 0;
    for (int i = 0; i + 1 < n; i++) {
        sl += p[i].y;
        int nl = i + 1, nr = n - nl;
        if (p[i].v == p[i + 1].v || nl < f->min_leaf || nr < f->min_leaf) continue;
        double g = sl * sl / nl + (total - sl) * (total - sl) / nr;
        if (g > s->gain) *s = (FSplit){g, d, p[i].v, 0};
    }
}

/* Grows the subtree of idx[0..n); returns its node (-1 on out of memory). Recursion depth is
 * at most n / min_leaf. */
static int forest_grow(Forest *f, SpaceRng *r, int *idx, int n)
{
    int at = forest_node(f);
    if (at < 0) return -1;
    double s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        s1 += f->y[idx[i]];
        s2 += f->y[idx[i]] * f->y[idx[i]];
    }
    double mean = s1 / n, var = fmax(s2 / n - mean * mean, 0);
    f->nodes[at] = (FNode){-1, -1, -1, 0, 0, mean, var};
    if (n < 2 * f->min_leaf || var <= 1e-12 * (1 + mean * mean)) return at;
    /* a random subset of the decisions: a partial Fisher-Yates shuffle */
    for (int d = 0; d < f->nslots; d++) f->feats[d] = d;
    FSplit best = {s1 * s1 / n + 1e-12 * fabs(s1 * s1 / n) + 1e-15, -1, 0, 0}; /* must beat no split */
    for (int i = 0; i < f->nfeat; i++) {
        int j = i + (int)space_rng_below(r, (uint32_t)(f->nslots - i));
        int d = f->feats[j];
        f->feats[j] = f->feats[i];
        f->feats[i] = d;
        if (f->small[d]) forest_try_small(f, idx, n, d, f->cat[d], &best);
        else forest_try_ord(f, idx, n, d, &best);
    }
    if (best.feat < 0) return at;
    FNode split = f->nodes[at];
    split.feat = best.feat;
    split.thresh = best.thresh;
    split.mask = best.mask;
    int nl = 0; /* partition idx: left first */
    for (int i = 0; i < n; i++)
        if (forest_goes_left(f, &split, f->archs[(size_t)idx[i] * f->nslots + best.feat])) {
            int t = idx[nl];
            idx[nl++] = idx[i];
            idx[i] = t;
        }
    int l = forest_grow(f, r, idx, nl);
    int rr = l < 0 ? -1 : forest_grow(f, r, idx + nl, n - nl);
    if (rr < 0) return -1;
    split.left = l;
    split.right = rr;
    f->nodes[at] = split;
    return at;
}

bool forest_fit(Forest *f, SpaceRng *r, int n, const int32_t *archs, const double *y)
{
    f->nnodes = 0;
    for (int t = 0; t < f->trees; t++) f->root[t] = -1;
    if (n < 1) return true;
    if (n > f->cap_n) {
        int *i = realloc(f->idx, sizeof *i * (size_t)n);
        if (i) f->idx = i;
        double *yy = realloc(f->y, sizeof *yy * (size_t)n);
        if (yy) f->y = yy;
        FPair *p = realloc(f->pairs, sizeof *p * (size_t)n);
        if (p) f->pairs = p;
        if (!i || !yy || !p) return false;
        f->cap_n = n;
    }
    memcpy(f->y, y, sizeof *y * (size_t)n);
    f->archs = archs;
    for (int t = 0; t < f->trees; t++) {
        for (int i = 0; i < n; i++) f->idx[i] = (int)space_rng_below(r, (uint32_t)n); /* bootstrap */
        int root = forest_grow(f, r, f->idx, n);
        if (root < 0) {
            for (int u = 0; u < f->trees; u++) f->root[u] = -1;
            f->archs = NULL;
            return false;
        }
        f->root[t] = root;
    }
    f->archs = NULL; /* the caller's: not kept past the fit */
    return true;
}

static const FNode *forest_leaf(const Forest *f, int t, const int32_t *arch)
{
    const FNode *nd = &f->nodes[f->root[t]];
    while (nd->feat >= 0) nd = &f->nodes[forest_goes_left(f, nd, arch[nd->feat]) ? nd->left : nd->right];
    return nd;
}

double forest_tree_predict(const Forest *f, int t, const int32_t *arch)
{
    return f->root[t] < 0 ? 0 : forest_leaf(f, t, arch)->mean;
}

void forest_predict(const Forest *f, int m, const int32_t *archs, double *mean, double *sd)
{
    static int noleafvar = -1;
    if (noleafvar < 0) noleafvar = getenv("RF_NOLV") ? atoi(getenv("RF_NOLV")) : 0;
    for (int i = 0; i < m; i++) {
        const int32_t *a = archs + (size_t)i * f->nslots;
        if (f->root[0] < 0) {
            mean[i] = 0;
            sd[i] = 1;
            continue;
        }
        double s1 = 0, s2 = 0;
        for (int t = 0; t < f->trees; t++) {
            const FNode *nd = forest_leaf(f, t, a);
            s1 += nd->mean;
            s2 += (noleafvar ? 0 : nd->var) + nd->mean * nd->mean;
        }
        mean[i] = s1 / f->trees;
        sd[i] = sqrt(fmax(s2 / f->trees - mean[i] * mean[i], 1e-12));
    }
}
