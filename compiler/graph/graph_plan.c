/* graph_plan.c — static liveness of arena values and best-fit offsets in one buffer. */
#include "graph_int.h"
#include <stdlib.h>
#include <string.h>

enum { PLAN_ALIGN = 64 };

typedef struct Item {
    int64_t off, bytes;
    int first, last, v;
} Item;

static int cmp_placement_order(const void *pa, const void *pb)
{
    const Item *a = pa, *b = pb;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    return a->v - b->v;
}

static int plan_fail(GraphError *err, const char *msg)
{
    if (err) {
        err->node = -1;
        snprintf(err->msg, sizeof err->msg, "plan: %s", msg);
    }
    return -1;
}

/* Is value v given storage by mode's schedule (before views are folded)? */
static bool planned(const Graph *g, int v, GraphMode mode)
{
    const GraphValue *val = &g->values[v];
    return val->storage == GSTORE_ARENA && val->producer >= 0 && graph_node_in_mode(g, val->producer, mode) &&
           !(mode == GRAPH_INFER && val->train_only);
}

/* Best-fit: the smallest gap between the placed items (sorted by offset) whose lives
 * intersect `it` that holds it, else the end of the highest of them. */
static int64_t best_fit(Item *const *placed, int np, const Item *it)
{
    int64_t cur = 0, best = -1, best_gap = INT64_MAX;
    for (int i = 0; i < np; i++) {
        const Item *c = placed[i];
        if (c->first > it->last || it->first > c->last) continue;
        int64_t gap = c->off - cur;
        if (gap >= it->bytes && gap < best_gap) {
            best = cur;
            best_gap = gap;
        }
        if (c->off + c->bytes > cur) cur = c->off + c->bytes;
    }
    return best >= 0 ? best : cur;
}

int graph_plan(Graph *g, GraphMode mode, int64_t batch, bool fuse, GraphPlan *p, GraphError *err)
{
    return graph_plan_sized(g, mode, batch, fuse, NULL, p, err);
}

int graph_plan_sized(Graph *g, GraphMode mode, int64_t batch, bool fuse, const int64_t *bytes, GraphPlan *p,
                     GraphError *err)
{
    if (!g->shapes_ok) return plan_fail(err, "shapes are not inferred");
    if (mode == GRAPH_TRAIN && !g->has_backward) return plan_fail(err, "training needs the backward graph");
    if (batch < 1) return plan_fail(err, "batch must be positive");
    Arena *A = g->arena;
    int nv = g->nvalues, end = g->nnodes;
    memset(p, 0, sizeof *p);
    p->mode = mode;
    p->batch = batch;
    p->nvalues = nv;
    p->offset = ARENA_ARRAY(A, int64_t, nv);
    p->bytes = ARENA_ARRAY(A, int64_t, nv);
    p->first = ARENA_ARRAY(A, int, nv);
    p->last = ARENA_ARRAY(A, int, nv);
    p->root = ARENA_ARRAY(A, int, nv);
    /* Every node of a chain runs at the chain's last node; unstored intermediates vanish. */
    p->nchains = graph_fusion_chains(g, mode, fuse, &p->chains);
    p->chain_of = ARENA_ARRAY(A, int, g->nnodes);
    p->step = ARENA_ARRAY(A, int, g->nnodes);
    bool *vanish = ARENA_ARRAY(A, bool, nv);
    for (int n = 0; n < g->nnodes; n++) {
        p->chain_of[n] = -1;
        p->step[n] = n;
    }
    for (int c = 0; c < p->nchains; c++) {
        const GraphChain *ch = &p->chains[c];
        for (int i = 0; i < ch->n; i++) {
            const GraphNode *nd = &g->nodes[ch->nodes[i]];
            p->chain_of[ch->nodes[i]] = c;
            p->step[ch->nodes[i]] = ch->nodes[ch->n - 1];
            if (i == ch->n - 1) continue;
            for (int k = 0; k < nd->nout; k++)
                if (nd->out[k] >= 0) vanish[nd->out[k]] = true;
        }
        for (int k = 0; k < ch->nstored; k++) vanish[ch->stored[k]] = false;
    }
    for (int v = 0; v < nv; v++) {
        p->root[v] = v;
        p->offset[v] = -1;
        p->first[v] = p->last[v] = -1;
        if (!planned(g, v, mode) || vanish[v]) continue;
        int prod = g->values[v].producer;
        /* dlogits may be computed together with the loss (CG_SOFTMAX_XENT): live from there */
        if (g->nodes[prod].op == GOP_SOFTMAX_XENT_BWD) prod = g->nodes[prod].fwd;
        p->first[v] = p->last[v] = p->step[prod];
    }
    /* Views share their root; every read extends the root's life. */
    for (int n = 0; n < g->nnodes; n++) {
        if (!graph_node_in_mode(g, n, mode)) continue;
        const GraphNode *nd = &g->nodes[n];
        if (graph_node_is_view(g, n, mode)) p->root[nd->out[0]] = p->root[nd->in[0]];
        if (nd->op == GOP_ZERO) continue; /* reads only the shape */
        for (int k = 0; k < nd->nin; k++) {
            int r = p->root[nd->in[k]];
            if (p->first[r] >= 0 && p->last[r] < p->step[n]) p->last[r] = p->step[n];
        }
    }
    for (int v = 0; v < nv; v++) {
        bool out = g->values[v].output || v == g->logits || v == g->loss;
        int r = p->root[v];
        if (out && p->first[v] >= 0) p->last[r] = end;
        if (r != v && p->first[v] >= 0 && p->last[v] > p->last[r]) p->last[r] = p->last[v];
    }

    /* Place roots, largest first. Scratch memory is malloc'd: it dies with this call. */
    Item *items = malloc(sizeof(Item) * (size_t)nv + 1);
    Item **placed = malloc(sizeof(Item *) * (size_t)nv + 1);
    int64_t *delta = calloc((size_t)end + 2, sizeof(int64_t));
    if (!items || !placed || !delta) {
        free(items);
        free(placed);
        free(delta);
        return plan_fail(err, "out of memory");
    }
    int ni = 0, np = 0;
    for (int v = 0; v < nv; v++) {
        if (p->first[v] < 0 || p->root[v] != v) continue;
        int64_t b = ((bytes ? bytes[v] : graph_value_bytes(g, v, batch)) + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN;
        items[ni++] = (Item){0, b, p->first[v], p->last[v], v};
        p->bytes[v] = b;
        p->total += b;
        delta[p->first[v]] += b;
        delta[p->last[v] + 1] -= b;
    }
    qsort(items, (size_t)ni, sizeof *items, cmp_placement_order);
    for (int i = 0; i < ni; i++) {
        Item *it = &items[i];
        it->off = best_fit(placed, np, it);
        int j = np++; /* keep `placed` sorted by offset */
        while (j > 0 && placed[j - 1]->off > it->off) {
            placed[j] = placed[j - 1];
            j--;
        }
        placed[j] = it;
        p->offset[it->v] = it->off;
        if (it->off + it->bytes > p->size) p->size = it->off + it->bytes;
    }
    int64_t live = 0;
    for (int t = 0; t <= end; t++) {
        live += delta[t];
        if (live > p->live_peak) p->live_peak = live;
    }
    /* Views: the root's storage and life. */
    for (int v = 0; v < nv; v++) {
        int r = p->root[v];
        if (r == v || p->first[v] < 0) continue;
        p->offset[v] = p->offset[r];
        p->first[v] = p->first[r];
        p->last[v] = p->last[r];
    }
    free(items);
    free(placed);
    free(delta);
    return 0;
}
