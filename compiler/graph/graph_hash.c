/* graph_hash.c — structural hash of the forward graph (stable across machines and orders). */
#include "graph_int.h"
#include <stdlib.h>
#include <string.h>

/* splitmix64 finaliser over h and x: integer-only, so the same on every machine. */
static uint64_t mix(uint64_t h, uint64_t x)
{
    uint64_t z = h + 0x9e3779b97f4a7c15ULL + x * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Attributes as the user gave them (not what inference resolved), so the hash is the same
 * before and after graph_infer_shapes. */
static uint64_t attr_hash(const GraphNode *nd)
{
    const GraphAttr *a = &nd->a;
    uint64_t h = mix(0, (uint64_t)nd->op);
    if (!a->depthwise) {
        h = mix(h, (uint64_t)a->out);
        h = mix(h, (uint64_t)a->groups);
    }
    const uint64_t f[] = {(uint64_t)a->kh,  (uint64_t)a->kw,    (uint64_t)a->sh, (uint64_t)a->sw,
                          (uint64_t)a->pad, a->has_bias,        a->depthwise,    (uint64_t)a->act,
                          fbits(a->eps),    fbits(a->momentum), fbits(a->p)};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) h = mix(h, f[i]);
    /* mixed only when set, so the hashes of graphs without them (stored results) are kept */
    if (nd->op == GOP_CONV2D && (a->dh != 1 || a->dw != 1)) h = mix(mix(h, (uint64_t)a->dh), (uint64_t)a->dw);
    if (nd->op == GOP_CROP)
        for (int i = 0; i < 4; i++) h = mix(h, (uint64_t)a->crop[i]);
    return h;
}

uint64_t graph_hash(const Graph *g)
{
    uint64_t *hv = ARENA_ARRAY(g->arena, uint64_t, g->nvalues);
    uint64_t *hn = ARENA_ARRAY(g->arena, uint64_t, g->nfwd + 1);
    for (int n = 0; n < g->nfwd; n++) {
        const GraphNode *nd = &g->nodes[n];
        uint64_t h = attr_hash(nd);
        if (nd->op == GOP_INPUT) {
            const GraphShape *s = &g->values[nd->out[0]].shape;
            h = mix(h, (uint64_t)s->rank);
            for (int i = 0; i < s->rank && i < GRAPH_MAX_RANK; i++) h = mix(h, (uint64_t)s->d[i]);
        }
        /* activation inputs only: parameters are implied by the attributes */
        int nact = (nd->op == GOP_CONV2D || nd->op == GOP_DENSE || nd->op == GOP_BATCHNORM) ? 1 : nd->nin;
        uint64_t in[2];
        for (int k = 0; k < nact; k++) {
            int v = nd->in[k];
            uint64_t x = v >= 0 && v < g->nvalues ? hv[v] : (uint64_t)v;
            if (nd->op == GOP_ADD) in[k] = x;
            else h = mix(h, x);
        }
        if (nd->op == GOP_ADD && nact == 2) { /* commutative */
            h = mix(h, in[0] < in[1] ? in[0] : in[1]);
            h = mix(h, in[0] < in[1] ? in[1] : in[0]);
        }
        for (int k = 0; k < nd->nout; k++) hv[nd->out[k]] = mix(h, (uint64_t)k);
        hn[n] = h;
    }
    qsort(hn, (size_t)g->nfwd, sizeof *hn, cmp_u64);
    uint64_t h = mix(0x6e61732d67726170ULL, (uint64_t)g->nfwd);
    for (int n = 0; n < g->nfwd; n++) h = mix(h, hn[n]);
    if (g->logits >= 0) h = mix(h, hv[g->logits]);
    if (g->loss >= 0) h = mix(h, hv[g->loss]);
    return h;
}
