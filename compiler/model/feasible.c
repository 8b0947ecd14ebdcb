/* feasible.c — exact count of, draws from and membership of the architectures within a bound
 * on params, MACs or both (see feasible.h for the method and what "uniform" means). */
#include "feasible.h"
#include "check_int.h"
#include "eval_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned __int128 u128; /* counts: exact to 2^128, overflow detected */

/* Budgets: the walk (model and instance evaluations), the distribution entries kept, the
 * pair operations of the convolutions. Past any, the count is "not known". */
enum { WALK_BUDGET = 50000, STATE_BUDGET = 8000000, DENSE_MAX = 1 << 22 };
/* A sparse accumulator is merged (sorted, equal keys summed) when it holds this many entries,
 * so one node of a 2-D table never holds more than this in memory (128 MB). */
enum { SPARSE_MAX = 1 << 22 };
#define OPS_BUDGET 4e8

typedef struct FRun {
    const void *owner;
    int outcome;
    unsigned mask; /* the subset of the owner's results its figures are of */
    FeasItem *items;
    int n;
    int64_t own[2]; /* the run's own figures, by FeasFigure */
} FRun;

struct FeasRec {
    FRun *runs;
    int n, cap;
    bool nomem;
};

void feas_rec_run(FeasRec *rec, const void *owner, int outcome, unsigned mask, const FeasItem *items, int n,
                  int64_t params, int64_t macs)
{
    if (rec->nomem) return;
    if (rec->n == rec->cap) {
        int cap = rec->cap ? 2 * rec->cap : 64;
        FRun *grown = realloc(rec->runs, sizeof *grown * (size_t)cap);
        if (!grown) {
            rec->nomem = true;
            return;
        }
        rec->runs = grown;
        rec->cap = cap;
    }
    FeasItem *copy = malloc(sizeof *copy * (size_t)(n ? n : 1));
    if (!copy) {
        rec->nomem = true;
        return;
    }
    if (n) memcpy(copy, items, sizeof *copy * (size_t)n);
    rec->runs[rec->n++] = (FRun){owner, outcome, mask, copy, n, {params, macs}};
}

/* figure (a key: see kof) -> (ways, mass), sorted by key, entries above the bound dropped; tcnt / tmass:
 * the totals over every figure (what a nested result that does not count contributes). */
typedef struct FDist {
    int n;
    int64_t *key;
    u128 *cnt;
    double *mass;
    u128 tcnt;
    double tmass;
} FDist;

typedef struct FEdge {
    FeasKind kind;
    bool live; /* NESTED: some result counts (group: the subset's figures) */
    int32_t slot, val;
    u128 mult; /* ways per way of the child (FREE: the float's values) */
    double p;  /* mass factor: 1/points under `sampling decisions` */
    int group; /* NESTED */
    int child;
} FEdge;

typedef struct FNode {
    int nedge;
    FEdge *edge;    /* none: a leaf (the end of a run) */
    int64_t own[2]; /* a leaf: the run's own figures on the two axes (untruncated) */
    FDist S;        /* the figure of the rest of the run below this node */
} FNode;

/* The runs of one outcome of one instance (owner NULL: the model) with the figures of one
 * subset of its results: a caller's edge counts the subset live in its run. Every subset has
 * the same runs (only the figures differ), so a dead result's ways are any subset's. */
typedef struct FGroup {
    const void *owner;
    int outcome;
    int *runs, n, cap;
    int root; /* -1: not built */
} FGroup;

typedef struct FMemo { /* a node's walk for one architecture (feasible_figures) */
    uint32_t stamp;
    bool ok;
    int64_t fig[2];
} FMemo;

typedef struct FEnt {
    int64_t key;
    u128 cnt;
    double mass;
} FEnt;

struct Feasible {
    Arena a;
    Space *space;
    SpaceSampling how;
    /* The axes: the bounded figures (fig[1] only when both are), each in [lo, hi]. A key is
     * a * w + b for the figures a, b on the axes (w = 1, b = 0 with one axis); kmax, the
     * key of (hi[0], hi[1]). */
    int naxes;
    FeasFigure fig[2];
    int64_t lo[2], hi[2], w, kmax;
    FRun *runs;
    FNode *nodes;
    int nnodes, capnodes;
    FGroup *groups;
    int ngroups, capgroups;
    struct KeyMap *gmap, *nodemap;
    /* the accumulator of a node's distribution: dense over [base, base + span) when the
     * node's figures span at most DENSE_MAX, else a list of entries sorted at the end */
    u128 *dcnt;
    double *dmass;
    int64_t dcap, base, span, dmin, dmax;
    bool dense;
    FEnt *ent;
    size_t nent, capent;
    char *sig;
    size_t capsig;
    int64_t states;
    double ops;
    bool failed;
    char why[200];
    int top;
    double *topcum; /* the top's mass up to each entry, of the entries in the box */
    int t0;         /* the top's first entry in the box */
    /* feasible_figures' scratch, one per node, and [nnodes].stamp the current query's: the
     * only state a query writes, so queries are not reentrant (one thread at a time). */
    FMemo *memo;
};

/* ---- keys ---- */

static int64_t ka(const Feasible *f, int64_t k) { return f->w == 1 ? k : k / f->w; }
static int64_t kb(const Feasible *f, int64_t k) { return f->w == 1 ? 0 : k % f->w; }
/* Can keys x and y add up within the upper bounds? 1 yes, 0 no, -1 no and neither can any y
 * after this one in key order (the first axis is already past its bound). */
static int fits(const Feasible *f, int64_t x, int64_t y)
{
    if (ka(f, x) + ka(f, y) > f->hi[0]) return -1;
    return kb(f, x) + kb(f, y) <= f->hi[1];
}
/* t - k as a key (each axis), or -1 when some axis of k exceeds t's. */
static int64_t sub(const Feasible *f, int64_t t, int64_t k)
{
    return ka(f, k) <= ka(f, t) && kb(f, k) <= kb(f, t) ? t - k : -1;
}
static bool in_box(const Feasible *f, int64_t k) { return ka(f, k) >= f->lo[0] && kb(f, k) >= f->lo[1]; }

static void fail(Feasible *f, const char *why)
{
    if (!f->failed) snprintf(f->why, sizeof f->why, "%s", why);
    f->failed = true;
}

static u128 mul(Feasible *f, u128 a, u128 b)
{
    u128 r;
    if (__builtin_mul_overflow(a, b, &r)) fail(f, "the count exceeds 2^128");
    return r;
}

static u128 add(Feasible *f, u128 a, u128 b)
{
    if (a + b < a) fail(f, "the count exceeds 2^128");
    return a + b;
}

/* ---- the accumulator ---- */

/* Starts a node's accumulation of figures in [lo, hi]. */
static void acc_begin(Feasible *f, int64_t lo, int64_t hi)
{
    f->dense = hi >= lo && hi - lo < DENSE_MAX;
    if (!f->dense) return;
    f->base = lo;
    f->span = hi - lo + 1;
    if (f->span > f->dcap) {
        free(f->dcnt);
        free(f->dmass);
        f->dcap = f->span > 2 * f->dcap ? f->span : 2 * f->dcap;
        if (f->dcap > DENSE_MAX) f->dcap = DENSE_MAX;
        f->dcnt = calloc((size_t)f->dcap, sizeof *f->dcnt);
        f->dmass = calloc((size_t)f->dcap, sizeof *f->dmass);
        if (!f->dcnt || !f->dmass) {
            fail(f, "out of memory");
            f->dense = false;
            f->dcap = 0;
        }
    }
}

static int cmp_ent(const void *a, const void *b)
{
    int64_t x = ((const FEnt *)a)->key, y = ((const FEnt *)b)->key;
    return (x > y) - (x < y);
}

/* Sorts the sparse entries and sums those of equal keys, in place. */
static void acc_merge(Feasible *f)
{
    if (!f->nent) return; /* no entries: no array */
    qsort(f->ent, f->nent, sizeof *f->ent, cmp_ent);
    size_t n = 0;
    for (size_t i = 0; i < f->nent; i++) {
        if (n && f->ent[n - 1].key == f->ent[i].key) {
            f->ent[n - 1].cnt = add(f, f->ent[n - 1].cnt, f->ent[i].cnt);
            f->ent[n - 1].mass += f->ent[i].mass;
        } else f->ent[n++] = f->ent[i];
    }
    f->nent = n;
}

static void acc_add(Feasible *f, int64_t k, u128 c, double m)
{
    if (f->failed) return; /* the count is not known: the rest is wasted work */
    if (f->dense) {
        k -= f->base;
        if (f->dcnt[k] == 0) {
            if (k < f->dmin) f->dmin = k;
            if (k > f->dmax) f->dmax = k;
        }
        f->dcnt[k] = add(f, f->dcnt[k], c);
        f->dmass[k] += m;
        return;
    }
    if (f->nent == SPARSE_MAX) {
        acc_merge(f);
        if (f->nent > SPARSE_MAX / 2) {
            fail(f, "the DP needs more distribution entries than its budget (8M)");
            return;
        }
    }
    if (f->nent == f->capent) {
        size_t cap = f->capent ? 2 * f->capent : 1024;
        FEnt *grown = realloc(f->ent, sizeof *grown * cap);
        if (!grown) {
            fail(f, "out of memory");
            return;
        }
        f->ent = grown;
        f->capent = cap;
    }
    f->ent[f->nent++] = (FEnt){k, c, m};
}

/* The accumulated entries as a distribution (in the arena); the accumulator is cleared. */
static FDist acc_finish(Feasible *f)
{
    FDist d = {0};
    int n = 0;
    if (f->dense) {
        for (int64_t k = f->dmin; k <= f->dmax; k++) n += f->dcnt[k] != 0;
    } else {
        acc_merge(f);
        n = (int)f->nent;
    }
    f->states += n;
    if (f->states > STATE_BUDGET) fail(f, "the DP needs more distribution entries than its budget (8M)");
    d.key = ARENA_ARRAY(&f->a, int64_t, n + 1);
    d.cnt = ARENA_ARRAY(&f->a, u128, n + 1);
    d.mass = ARENA_ARRAY(&f->a, double, n + 1);
    if (f->dense) {
        for (int64_t k = f->dmin; k <= f->dmax; k++) {
            if (!f->dcnt[k]) continue;
            d.key[d.n] = f->base + k;
            d.cnt[d.n] = f->dcnt[k];
            d.mass[d.n++] = f->dmass[k];
            f->dcnt[k] = 0;
            f->dmass[k] = 0;
        }
        f->dmin = INT64_MAX;
        f->dmax = -1;
    } else {
        for (size_t i = 0; i < f->nent; i++) {
            d.key[d.n] = f->ent[i].key;
            d.cnt[d.n] = f->ent[i].cnt;
            d.mass[d.n++] = f->ent[i].mass;
        }
        f->nent = 0;
    }
    return d;
}

static int find(const FDist *d, int64_t k) /* index of k, or -1 */
{
    int lo = 0, hi = d->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (d->key[mid] == k) return mid;
        if (d->key[mid] < k) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static double mass_at(const FDist *d, int64_t k)
{
    int i = k < 0 ? -1 : find(d, k);
    return i < 0 ? 0 : d->mass[i];
}

/* ---- the DAG ---- */

static int group_of(Feasible *f, const void *owner, int outcome, unsigned mask, bool create)
{
    char key[64];
    snprintf(key, sizeof key, "%p/%d/%u", owner, outcome, mask);
    bool found;
    intptr_t g = keymap_get(f->gmap, key, &found);
    if (found || !create) return found ? (int)g : -1;
    if (f->ngroups == f->capgroups) {
        f->capgroups = f->capgroups ? 2 * f->capgroups : 16;
        FGroup *grown = ARENA_ARRAY(&f->a, FGroup, f->capgroups);
        if (f->ngroups) memcpy(grown, f->groups, sizeof *grown * (size_t)f->ngroups);
        f->groups = grown;
    }
    f->groups[f->ngroups] = (FGroup){.owner = owner, .outcome = outcome, .root = -1};
    keymap_put(f->gmap, key, f->ngroups);
    return f->ngroups++;
}

static void sig_add(Feasible *f, size_t *len, const char *fmt, long long a, long long b, long long c, long long d)
{
    for (;;) {
        size_t room = f->capsig - *len;
        int w = f->capsig ? snprintf(f->sig + *len, room, fmt, a, b, c, d) : -1;
        if (w >= 0 && (size_t)w < room) {
            *len += (size_t)w;
            return;
        }
        size_t cap = f->capsig ? 2 * f->capsig : 256;
        char *grown = realloc(f->sig, cap);
        if (!grown) {
            fail(f, "out of memory");
            *len = 0;
            return;
        }
        f->sig = grown;
        f->capsig = cap;
    }
}

static int build_group(Feasible *f, int g);

/* The distribution below a node from its edges' children (built before). */
static FDist node_dist(Feasible *f, const FEdge *edge, int nedge)
{
    u128 tc = 0;
    double tm = 0;
    int64_t lo = INT64_MAX, hi = -1; /* the figures this node can reach */
    for (int e = 0; e < nedge; e++) {
        const FDist *c = &f->nodes[edge[e].child].S;
        int64_t a = 0, b = 0; /* the nested result's figures, when they count */
        if (edge[e].kind == FEAS_NESTED && edge[e].live) {
            const FDist *d = &f->nodes[f->groups[edge[e].group].root].S;
            if (!d->n) continue;
            a = d->key[0];
            b = d->key[d->n - 1];
        }
        if (!c->n) continue;
        a += c->key[0];
        b += c->key[c->n - 1];
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    acc_begin(f, lo, hi < f->kmax ? hi : f->kmax);
    for (int e = 0; e < nedge && !f->failed; e++) {
        const FEdge *x = &edge[e];
        const FDist *c = &f->nodes[x->child].S;
        if (x->kind == FEAS_NESTED && x->live) {
            const FDist *d = &f->nodes[f->groups[x->group].root].S;
            for (int i = 0; i < d->n; i++) {
                for (int j = 0, ok; j < c->n && (ok = fits(f, d->key[i], c->key[j])) >= 0; j++)
                    if (ok) acc_add(f, d->key[i] + c->key[j], mul(f, d->cnt[i], c->cnt[j]), d->mass[i] * c->mass[j]);
                f->ops += c->n;
            }
            tc = add(f, tc, mul(f, d->tcnt, c->tcnt));
            tm += d->tmass * c->tmass;
            continue;
        }
        u128 fc = x->mult;
        double fm = x->p;
        if (x->kind == FEAS_NESTED) { /* its result does not count: only its ways do */
            const FDist *d = &f->nodes[f->groups[x->group].root].S;
            fc = d->tcnt;
            fm = d->tmass;
        }
        for (int j = 0; j < c->n; j++) acc_add(f, c->key[j], mul(f, c->cnt[j], fc), c->mass[j] * fm);
        f->ops += c->n;
        tc = add(f, tc, mul(f, c->tcnt, fc));
        tm += c->tmass * fm;
    }
    if (f->ops > OPS_BUDGET) fail(f, "the DP's convolutions need more than 4e8 steps");
    FDist d = acc_finish(f);
    d.tcnt = tc;
    d.tmass = tm;
    return d;
}

static int new_node(Feasible *f, const char *sig, FEdge *edge, int nedge, const int64_t own[2], FDist S)
{
    if (f->nnodes == f->capnodes) {
        f->capnodes = f->capnodes ? 2 * f->capnodes : 64;
        FNode *grown = realloc(f->nodes, sizeof *grown * (size_t)f->capnodes);
        if (!grown) {
            fail(f, "out of memory");
            return 0;
        }
        f->nodes = grown;
    }
    f->nodes[f->nnodes] = (FNode){nedge, edge, {own[0], own[1]}, S};
    keymap_put(f->nodemap, sig, f->nnodes);
    return f->nnodes++;
}

/* One edge of the trie: the same choice, and (for a nested instance) the same live subset. */
static bool same_choice(const FeasItem *x, const FeasItem *y)
{
    return x->kind == y->kind && x->slot == y->slot && x->val == y->val && x->memo == y->memo &&
           x->outcome == y->outcome && x->live == y->live;
}

/* The node for runs idx[a..b), which share their first `depth` choices. Identical subtrees
 * are one node (hash-consed by their edges' labels and children). */
static int build_node(Feasible *f, const int *idx, int a, int b, int depth)
{
    const FRun *r0 = &f->runs[idx[a]];
    size_t len = 0;
    if (r0->n == depth) { /* a leaf: the run's own figures */
        if (b - a != 1) fail(f, "internal: two runs took the same choices");
        int64_t own[2] = {r0->own[f->fig[0]], f->naxes > 1 ? r0->own[f->fig[1]] : 0};
        sig_add(f, &len, "L%lld,%lld", (long long)own[0], (long long)own[1], 0, 0);
        bool found;
        intptr_t id = keymap_get(f->nodemap, f->sig, &found);
        if (found || f->failed) return (int)id;
        bool in = own[0] >= 0 && own[1] >= 0 && own[0] <= f->hi[0] && own[1] <= f->hi[1];
        int64_t k = in ? own[0] * f->w + own[1] : 0;
        acc_begin(f, k, k);
        if (in) acc_add(f, k, 1, 1);
        FDist S = acc_finish(f);
        S.tcnt = 1;
        S.tmass = 1;
        return new_node(f, f->sig, NULL, 0, own, S);
    }
    int nedge = 0;
    for (int i = a; i < b; i++) { /* edges: runs of equal choice at depth, consecutive */
        const FRun *r = &f->runs[idx[i]], *q = i > a ? &f->runs[idx[i - 1]] : NULL;
        if (r->n <= depth) {
            fail(f, "internal: a run ends where another goes on");
            return 0;
        }
        nedge += !q || !same_choice(&r->items[depth], &q->items[depth]);
    }
    FEdge *edge = ARENA_ARRAY(&f->a, FEdge, nedge);
    int e = 0;
    for (int i = a; i < b && !f->failed;) {
        const FeasItem *x = &f->runs[idx[i]].items[depth];
        int j = i + 1;
        while (j < b && same_choice(x, &f->runs[idx[j]].items[depth])) j++;
        FEdge *ed = &edge[e++];
        *ed = (FEdge){
            .kind = x->kind, .live = x->live != 0, .slot = x->slot, .val = x->val, .mult = 1, .p = 1, .group = -1};
        if (x->kind == FEAS_DEC && f->how == SPACE_SAMPLE_DECISIONS) ed->p = 1.0 / x->points;
        if (x->kind == FEAS_FREE) { /* counted as space_size counts it: its grid, or once */
            const SpaceDecision *sd = space_decision(f->space, x->slot);
            ed->mult = sd->continuous ? 1 : (u128)sd->arity;
            ed->p = f->how == SPACE_SAMPLE_UNIFORM ? (double)ed->mult : 1;
        }
        if (x->kind == FEAS_NESTED) {
            ed->group = group_of(f, x->memo, x->outcome, x->live ? x->live : 1, false);
            if (ed->group < 0) fail(f, "internal: a nested result without runs");
            else build_group(f, ed->group);
        }
        ed->child = build_node(f, idx, i, j, depth + 1);
        i = j;
    }
    if (f->failed) return 0;
    /* A float tried at a few points (check_static.c) whose value the graph never observes:
     * every point leads to the same subtree, one edge standing for all of its values. */
    if (edge[0].kind == FEAS_FREE) {
        for (int k = 1; k < nedge; k++)
            if (edge[k].kind != FEAS_FREE || edge[k].slot != edge[0].slot || edge[k].child != edge[0].child)
                fail(f, "a float decision changes the figure");
        nedge = 1;
    }
    len = 0;
    for (int k = 0; k < nedge; k++)
        sig_add(f, &len, "%lld,%lld,%lld,%lld;", (long long)edge[k].kind * 2 + edge[k].live,
                edge[k].kind == FEAS_NESTED ? edge[k].group : edge[k].slot, edge[k].val, edge[k].child);
    if (f->failed) return 0;
    bool found;
    intptr_t id = keymap_get(f->nodemap, f->sig, &found);
    if (found) return (int)id;
    FDist S = node_dist(f, edge, nedge); /* leaves f->sig alone */
    return new_node(f, f->sig, edge, nedge, (const int64_t[2]){0, 0}, S);
}

static int build_group(Feasible *f, int g)
{
    if (f->groups[g].root >= 0 || f->failed) return f->groups[g].root;
    f->groups[g].root = build_node(f, f->groups[g].runs, 0, f->groups[g].n, 0);
    return f->groups[g].root;
}

/* ---- counting ---- */

static void u128_decimal(u128 v, char *buf, size_t size)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    size_t k = 0;
    while (n > 0 && k + 1 < size) buf[k++] = tmp[--n];
    buf[k] = 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static void rec_free(FeasRec *rec)
{
    for (int i = 0; i < rec->n; i++) free(rec->runs[i].items);
    free(rec->runs);
}

Feasible *feasible_new(const ModelSpace *ms, const FeasBound *b, SpaceSampling how, FeasInfo *info)
{
    double t0 = now();
    memset(info, 0, sizeof *info);
    FeasRec rec = {0};
    if (check_static_record(ms, &rec, WALK_BUDGET, info->why, sizeof info->why) != 0 || rec.nomem) {
        if (rec.nomem) snprintf(info->why, sizeof info->why, "out of memory");
        rec_free(&rec);
        info->seconds = now() - t0;
        return NULL;
    }
    Feasible *f = calloc(1, sizeof *f);
    if (!f) {
        rec_free(&rec);
        snprintf(info->why, sizeof info->why, "out of memory");
        return NULL;
    }
    arena_init(&f->a);
    f->space = ms->space;
    f->how = how;
    for (int x = 0; x < 2; x++)
        if (b->on[x]) f->fig[f->naxes++] = (FeasFigure)x;
    if (!f->naxes) fail(f, "internal: a bound on no figure");
    for (int x = 0; x < f->naxes; x++) {
        f->lo[x] = b->lo[f->fig[x]] > 0 ? b->lo[f->fig[x]] : 0;
        f->hi[x] = b->hi[f->fig[x]];
    }
    f->w = 1;
    f->kmax = f->hi[0];
    if (f->naxes > 1 &&
        (__builtin_add_overflow(f->hi[1], 1, &f->w) || __builtin_mul_overflow(f->hi[0], f->w, &f->kmax) ||
         __builtin_add_overflow(f->kmax, f->hi[1], &f->kmax) || f->kmax > INT64_MAX / 2))
        fail(f, "bounds on both params and FLOPs whose pair does not fit the DP's 62-bit key (an upper bound on each "
                "makes it)");
    f->runs = rec.runs;
    f->gmap = keymap_new(&f->a);
    f->nodemap = keymap_new(&f->a);
    f->dmin = INT64_MAX;
    f->dmax = -1;
    for (int i = 0; i < rec.n && !f->failed; i++) {
        int gi = group_of(f, rec.runs[i].owner, rec.runs[i].outcome, rec.runs[i].mask, true);
        FGroup *g = &f->groups[gi];
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 8;
            int *grown = ARENA_ARRAY(&f->a, int, g->cap);
            if (g->n) memcpy(grown, g->runs, sizeof *grown * (size_t)g->n);
            g->runs = grown;
        }
        g->runs[g->n++] = i;
    }
    int top = f->failed ? -1 : group_of(f, NULL, 0, 1, false);
    if (top < 0) fail(f, "no architecture builds");
    else f->top = build_group(f, top);
    /* Every architecture once: the DP's unconstrained total must be the size of the space
     * (a decision the walk never meets would be missed, and this says so). */
    char size[1300], total[48];
    bool cont;
    if (!f->failed) {
        u128_decimal(f->nodes[f->top].S.tcnt, total, sizeof total);
        if (space_size(f->space, size, sizeof size, &cont) != SPACE_OK || strcmp(size, total) != 0)
            fail(f, "the walk does not meet every decision of the space");
    }
    u128 count = 0;
    if (!f->failed) {
        const FDist *S = &f->nodes[f->top].S;
        f->t0 = 0;
        while (f->t0 < S->n && !in_box(f, S->key[f->t0])) f->t0++;
        f->topcum = ARENA_ARRAY(&f->a, double, S->n + 1);
        double cum = 0;
        for (int i = f->t0; i < S->n; i++) {
            if (in_box(f, S->key[i])) {
                count = add(f, count, S->cnt[i]);
                cum += S->mass[i];
            }
            f->topcum[i] = cum;
        }
        if (count == 0) fail(f, "no architecture satisfies the bound");
    }
    rec_free(&rec);
    f->runs = NULL;
    free(f->dcnt);
    free(f->dmass);
    free(f->ent);
    free(f->sig);
    f->dcnt = NULL;
    f->dmass = NULL;
    f->ent = NULL;
    f->sig = NULL;
    info->states = f->states;
    info->seconds = now() - t0;
    if (f->failed && strcmp(f->why, "no architecture satisfies the bound") == 0) {
        /* known, and zero: nothing to draw from */
        info->known = true;
        snprintf(info->count, sizeof info->count, "0");
        feasible_free(f);
        return NULL;
    }
    if (f->failed) {
        snprintf(info->why, sizeof info->why, "%s", f->why);
        feasible_free(f);
        return NULL;
    }
    f->memo = calloc((size_t)f->nnodes + 1, sizeof *f->memo);
    if (!f->memo) {
        snprintf(info->why, sizeof info->why, "out of memory");
        feasible_free(f);
        return NULL;
    }
    info->known = true;
    u128_decimal(count, info->count, sizeof info->count);
    const FDist *S = &f->nodes[f->top].S;
    info->fraction = f->topcum[S->n - 1] / S->tmass;
    return f;
}

void feasible_free(Feasible *f)
{
    if (!f) return;
    free(f->nodes);
    free(f->memo);
    free(f->dcnt);
    free(f->dmass);
    free(f->ent);
    free(f->sig);
    arena_free(&f->a);
    free(f);
}

/* ---- draws ---- */

static double unit(SpaceRng *r) { return (double)(space_rng_next(r) >> 11) * 0x1p-53; }

static void take(const Feasible *f, const FEdge *e, SpaceRng *r, int32_t *arch)
{
    if (e->kind == FEAS_DEC) arch[e->slot] = e->val;
    else if (e->kind == FEAS_FREE)
        arch[e->slot] = (int32_t)space_rng_below(r, (uint32_t)space_decision(f->space, e->slot)->arity);
}

static void draw_any(const Feasible *f, int node, SpaceRng *r, int32_t *arch);

/* Edge e's mass among the ways below its node whose figure is exactly t (t < 0: any). */
static double edge_mass(const Feasible *f, const FEdge *e, int64_t t)
{
    const FDist *c = &f->nodes[e->child].S;
    if (e->kind != FEAS_NESTED) return e->p * (t < 0 ? c->tmass : mass_at(c, t));
    const FDist *d = &f->nodes[f->groups[e->group].root].S;
    if (t < 0) return d->tmass * c->tmass;
    if (!e->live) return d->tmass * mass_at(c, t);
    double m = 0;
    for (int i = 0; i < d->n && d->key[i] <= t; i++) m += d->mass[i] * mass_at(c, sub(f, t, d->key[i]));
    return m;
}

/* Walks down from node: each edge by the mass that reaches figure t (t < 0: any figure). */
static void draw(const Feasible *f, int node, int64_t t, SpaceRng *r, int32_t *arch)
{
    while (f->nodes[node].nedge) {
        const FNode *n = &f->nodes[node];
        double total = 0;
        for (int e = 0; n->nedge > 1 && e < n->nedge; e++) total += edge_mass(f, &n->edge[e], t);
        double u = unit(r) * total;
        int pick = 0;
        for (; pick < n->nedge - 1; pick++) {
            double m = edge_mass(f, &n->edge[pick], t);
            if (u < m) break;
            u -= m;
        }
        while (pick > 0 && edge_mass(f, &n->edge[pick], t) == 0) pick--; /* rounding at the end */
        const FEdge *e = &n->edge[pick];
        take(f, e, r, arch);
        if (e->kind == FEAS_NESTED) {
            int root = f->groups[e->group].root;
            if (t < 0 || !e->live) draw_any(f, root, r, arch);
            else { /* the nested result's figure k, by the mass of k and of t - k below */
                const FDist *d = &f->nodes[root].S, *c = &f->nodes[e->child].S;
                double v = unit(r) * edge_mass(f, e, t);
                int i = 0, last = -1;
                for (; i < d->n && d->key[i] <= t; i++) {
                    double m = d->mass[i] * mass_at(c, sub(f, t, d->key[i]));
                    if (m > 0) last = i;
                    if (m > 0 && v < m) break;
                    v -= m;
                }
                if (i >= d->n || d->key[i] > t) i = last;
                draw(f, root, d->key[i], r, arch);
                t -= d->key[i];
            }
        }
        node = e->child;
    }
}

static void draw_any(const Feasible *f, int node, SpaceRng *r, int32_t *arch) { draw(f, node, -1, r, arch); }

void feasible_sample(const Feasible *f, SpaceRng *r, int32_t *arch)
{
    int n = space_count(f->space);
    for (int d = 0; d < n; d++) arch[d] = SPACE_INACTIVE;
    const FDist *S = &f->nodes[f->top].S;
    double u = unit(r) * f->topcum[S->n - 1];
    int lo = f->t0, hi = S->n - 1; /* the first entry whose cumulative mass exceeds u */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (f->topcum[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    draw(f, f->top, S->key[lo], r, arch);
}

/* ---- membership ---- */

/* The figures below node for arch (fig), false when no path below matches arch. A node's
 * edges are one decision's values, or the outcomes of one nested instance, each with the
 * subset of its results that is live (which a later choice decides): more than one edge can
 * match, and the walk backtracks. Memoised per node for this arch (the stamp), so it stays
 * linear in the DAG. */
static bool walk(const Feasible *f, int node, const int32_t *arch, int64_t fig[2])
{
    FMemo *m = &f->memo[node];
    if (m->stamp != f->memo[f->nnodes].stamp) {
        const FNode *n = &f->nodes[node];
        bool ok = !n->nedge;
        int64_t r[2] = {n->own[0], n->own[1]};
        for (int e = 0; e < n->nedge && !ok; e++) {
            const FEdge *x = &n->edge[e];
            int64_t g[2] = {0, 0}, c[2];
            if (x->kind == FEAS_DEC && arch[x->slot] != x->val) continue;
            if (x->kind == FEAS_NESTED && !walk(f, f->groups[x->group].root, arch, g)) continue;
            if (!walk(f, x->child, arch, c)) continue;
            bool counts = x->kind == FEAS_NESTED && x->live; /* a FREE edge: all its values lead here */
            r[0] = c[0] + (counts ? g[0] : 0);
            r[1] = c[1] + (counts ? g[1] : 0);
            ok = true;
        }
        *m = (FMemo){f->memo[f->nnodes].stamp, ok, {r[0], r[1]}};
    }
    fig[0] = m->fig[0];
    fig[1] = m->fig[1];
    return m->ok;
}

bool feasible_figures(const Feasible *f, const int32_t *arch, int64_t fig[2])
{
    int64_t ax[2];
    fig[0] = fig[1] = 0;
    if (++f->memo[f->nnodes].stamp == 0) { /* the stamp wrapped: forget every node */
        for (int i = 0; i < f->nnodes; i++) f->memo[i].stamp = 0;
        f->memo[f->nnodes].stamp = 1;
    }
    if (!walk(f, f->top, arch, ax)) return false;
    for (int x = 0; x < f->naxes; x++) fig[f->fig[x]] = ax[x];
    return true;
}

bool feasible_contains(const Feasible *f, const int32_t *arch)
{
    int64_t fig[2];
    if (!feasible_figures(f, arch, fig)) return false;
    for (int x = 0; x < f->naxes; x++)
        if (fig[f->fig[x]] < f->lo[x] || fig[f->fig[x]] > f->hi[x]) return false;
    return true;
}

static void sample_hook(const void *ctx, SpaceRng *r, int32_t *arch) { feasible_sample(ctx, r, arch); }
static bool member_hook(const void *ctx, const int32_t *arch) { return feasible_contains(ctx, arch); }

void feasible_install(ModelSpace *ms, const Feasible *f)
{
    space_set_sampler(ms->space, f ? sample_hook : NULL, f ? member_hook : NULL, f);
}

/* ---- the bound of a reward ---- */

int feasible_bound(const NasReward *rw, FeasBound *b, char *why, size_t size)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    int figures = 0; /* bit 0 params, bit 1 flops */
    *b = (FeasBound){.lo = {0, 0}, .hi = {INT64_MAX, INT64_MAX}};
    size_t len = 0;
    for (int i = 0; rw && i < rw->nconstraints; i++) {
        const NasConstraint *c = &rw->constraints[i];
        if (!c->hard) continue;
        NasMetric m = c->metric.metric;
        if (m == NAS_METRIC_MEMORY || m == NAS_METRIC_LATENCY) {
            snprintf(why, size, "a hard constraint on %s, which is not a sum over the layers",
                     m == NAS_METRIC_MEMORY ? "memory" : "latency");
            b->text[0] = 0;
            return -1;
        }
        if (m != NAS_METRIC_PARAMS && m != NAS_METRIC_FLOPS) continue; /* known after training only */
        FeasFigure x = m == NAS_METRIC_PARAMS ? FEAS_PARAMS : FEAS_MACS;
        figures |= 1 << x;
        b->on[x] = true;
        if (c->cmp == NAS_CMP_NE) {
            snprintf(why, size, "a hard constraint with != is not a range");
            b->text[0] = 0;
            return -1;
        }
        double s = m == NAS_METRIC_FLOPS ? 2 : 1, t = c->target / s; /* FLOPs = 2 x MACs */
        if (!(fabs(t) < 9e15)) {
            snprintf(why, size, "a hard constraint's limit is out of range");
            b->text[0] = 0;
            return -1;
        }
        int64_t lo = 0, hi = INT64_MAX;
        switch (c->cmp) {
        case NAS_CMP_LE: hi = (int64_t)floor(t); break;
        case NAS_CMP_LT: hi = (int64_t)ceil(t) - 1; break;
        case NAS_CMP_GE: lo = (int64_t)ceil(t); break;
        case NAS_CMP_GT: lo = (int64_t)floor(t) + 1; break;
        default: lo = (int64_t)ceil(t), hi = (int64_t)floor(t); break;
        }
        if (lo > b->lo[x]) b->lo[x] = lo;
        if (hi < b->hi[x]) b->hi[x] = hi;
        int w = snprintf(b->text + len, sizeof b->text - len, "%s%s %s %.17g", len ? " and " : "",
                         m == NAS_METRIC_PARAMS ? "params" : "flops", ops[c->cmp], c->target);
        if (w > 0 && (size_t)w < sizeof b->text - len) len += (size_t)w;
    }
    if (!figures) return 0;
    for (int x = 0; x < 2; x++)
        if (b->hi[x] == INT64_MAX) b->hi[x] = INT64_MAX / 4; /* only a lower bound: no truncation */
    return 1;
}
