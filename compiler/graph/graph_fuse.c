/* graph_fuse.c — fusion hints: chains of consecutive elementwise nodes for the code generator. */
#include "graph_int.h"
#include <string.h>

typedef struct Readers {
    int same, any, one;
} Readers; /* same-phase count, total, a same-phase reader */

/* What a fused map over a chain needs per element: nothing, the channel c of NCHW (batchnorm
 * statistics, a bias), or the (sample, channel) pair (squeeze-excite scales). One map has one
 * channel geometry, so a chain holds at most one of the two kinds. */
typedef enum Geometry { GEO_NONE, GEO_C, GEO_BC } Geometry;
static Geometry node_geometry(const GraphNode *nd)
{
    return nd->op == GOP_BATCHNORM ? GEO_C : nd->op == GOP_MUL_CHANNEL ? GEO_BC : GEO_NONE;
}

/* Buffers one map binds at most, with room for a folded bias (CG_MAX_BUFS = 16). */
enum { CHAIN_MAX_BUFS = 12 };

static bool is_anchor_op(GraphOp op) { return op == GOP_CONV2D || op == GOP_DENSE; }

/* The node the schedule runs after n (skipping views and other modes), or -1. */
static int next_executed(const Graph *g, int n, GraphMode mode)
{
    for (int m = n + 1; m < g->nnodes; m++)
        if (graph_node_in_mode(g, m, mode) && !graph_node_is_view(g, m, mode)) return m;
    return -1;
}

int graph_fusion_chains(Graph *g, GraphMode mode, bool fuse, GraphChain **chains)
{
    Arena *A = g->arena;
    int nv = g->nvalues, nn = g->nnodes;
    Readers *rd = ARENA_ARRAY(A, Readers, nv);
    for (int n = 0; n < nn; n++) {
        const GraphNode *nd = &g->nodes[n];
        if (!graph_node_in_mode(g, n, mode) || nd->op == GOP_ZERO) continue;
        for (int k = 0; k < nd->nin; k++) {
            int v = nd->in[k];
            if (v < 0 || v >= nv || (k > 0 && v == nd->in[k - 1])) continue; /* add(x, x) reads x once */
            Readers *r = &rd[v];
            r->any++;
            int p = g->values[v].producer;
            if (p >= 0 && g->nodes[p].phase == nd->phase) {
                r->same++;
                r->one = n;
            }
        }
    }
    int *chain_of = ARENA_ARRAY(A, int, nn);
    int *tmp = ARENA_ARRAY(A, int, nn);
    int *stored = ARENA_ARRAY(A, int, nv);
    GraphChain *out = ARENA_ARRAY(A, GraphChain, nn);
    int nc = 0;
    for (int n = 0; n < nn; n++) chain_of[n] = -1;
    for (int n = 0; n < nn; n++) {
        if (chain_of[n] >= 0 || !graph_node_in_mode(g, n, mode) || !graph_node_elementwise(g, n, mode)) continue;
        int len = 0, cur = n, bufs = 0;
        Geometry geo = GEO_NONE;
        for (;;) {
            const GraphNode *cn = &g->nodes[cur];
            tmp[len++] = cur;
            chain_of[cur] = nc;
            bufs += cn->nin + cn->nout;
            if (node_geometry(cn) != GEO_NONE) geo = node_geometry(cn);
            const Readers *r = &rd[cn->out[0]];
            if (!fuse || r->same != 1) break;
            int next = r->one;
            const GraphNode *nx = &g->nodes[next];
            /* The fused map runs at the chain's last node: a chain is a run of the schedule,
             * so no other node reads or writes between its nodes. */
            /* (the same shape: mul_channel's scale operand is not elementwise) */
            if (chain_of[next] >= 0 || !graph_node_elementwise(g, next, mode) ||
                !graph_shape_equal(&g->values[nx->out[0]].shape, &g->values[cn->out[0]].shape) ||
                next != next_executed(g, cur, mode) || bufs + nx->nin + nx->nout > CHAIN_MAX_BUFS ||
                (geo != GEO_NONE && node_geometry(nx) != GEO_NONE && node_geometry(nx) != geo))
                break;
            cur = next;
        }
        GraphChain *c = &out[nc++];
        c->n = len;
        c->nodes = ARENA_ARRAY(A, int, len);
        memcpy(c->nodes, tmp, sizeof(int) * (size_t)len);
        /* the conv/dense feeding the head, if the head is its only same-phase reader */
        c->anchor = -1;
        const GraphNode *head = &g->nodes[n];
        int hx = head->nin > 0 ? head->in[0] : -1;
        int p = hx >= 0 ? g->values[hx].producer : -1;
        if (head->phase == GPHASE_FORWARD && p >= 0 && is_anchor_op(g->nodes[p].op) && rd[hx].same == 1) c->anchor = p;
        /* values written inside the chain that someone outside it still reads */
        int ns = 0;
        for (int i = 0; i < len; i++) {
            const GraphNode *nd = &g->nodes[tmp[i]];
            for (int k = 0; k < nd->nout; k++) {
                int v = nd->out[k];
                if (v < 0 || (i == len - 1 && k == 0)) continue;
                int inside = (k == 0 && i < len - 1) ? 1 : 0;
                bool result = g->values[v].output || v == g->logits || v == g->loss;
                if (rd[v].any > inside || result) stored[ns++] = v;
            }
        }
        c->nstored = ns;
        c->stored = ARENA_ARRAY(A, int, ns + 1);
        memcpy(c->stored, stored, sizeof(int) * (size_t)ns);
    }
    *chains = out;
    return nc;
}
