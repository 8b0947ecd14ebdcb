/* graph_backward.c — the backward graph derived statically from the forward graph. */
#include "graph_int.h"
#include <string.h>

typedef struct Bwd {
    Graph *g;
    int *acc;    /* per value: its gradient so far, -1 if none (grown with values) */
    bool *needs; /* per forward value: depends on a parameter (needs a gradient) */
    int nacc;
    int fwd; /* forward node being differentiated */
} Bwd;

/* Appends backward node `op` differentiating b->fwd; returns its index. The outputs are
 * gradients of grads_of[k] (-1: not needed, the out entry is -1). */
static int emit(Bwd *b, GraphOp op, int nin, const int *in, int nout, const int *grads_of)
{
    Graph *g = b->g;
    int n = graph_node_new(g, op, GPHASE_BACKWARD, nin, in, nout);
    GraphNode *nd = &g->nodes[n];
    nd->fwd = b->fwd;
    if (b->fwd >= 0) nd->a = g->nodes[b->fwd].a;
    for (int k = 0; k < nout; k++) {
        int v = nd->out[k];
        int of = grads_of[k];
        if (of < 0) {
            /* the fresh value stays unused; the node says -1 */
            nd->out[k] = -1;
            g->values[v].producer = -1;
            continue;
        }
        GraphValue *gv = &g->values[v];
        const GraphValue *fv = &g->values[of];
        gv->shape = fv->shape;
        gv->grad_of = of;
        if (fv->storage == GSTORE_PARAM) {
            gv->storage = GSTORE_PARAM_GRAD;
            gv->flat = fv->flat;
            gv->name = fv->name;
        }
    }
    return n;
}

static void grow(Bwd *b)
{
    Graph *g = b->g;
    if (g->nvalues <= b->nacc) return;
    int cap = g->cap_values;
    int *acc = ARENA_ARRAY(g->arena, int, cap);
    if (b->nacc) memcpy(acc, b->acc, sizeof(int) * (size_t)b->nacc);
    for (int i = b->nacc; i < cap; i++) acc[i] = -1;
    b->acc = acc;
    b->nacc = cap;
}

/* Adds gradient contribution c to value v: the first one is taken as is, later ones are
 * summed as they arrive (one running partial alive, not one per consumer). */
static void contribute(Bwd *b, int v, int c)
{
    grow(b);
    if (b->acc[v] < 0) {
        b->acc[v] = c;
        return;
    }
    int in[2] = {b->acc[v], c};
    int of[1] = {v};
    int n = emit(b, GOP_GRAD_ADD, 2, in, 1, of);
    grow(b);
    b->acc[v] = b->g->nodes[n].out[0];
}

/* Emits node `op` whose outputs are the gradients of grads_of[] and contributes each;
 * returns the node. */
static int emit_grads(Bwd *b, GraphOp op, int nin, const int *in, int nout, const int *grads_of)
{
    int of[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    for (int k = 0; k < nout; k++) of[k] = grads_of[k] >= 0 && b->needs[grads_of[k]] ? grads_of[k] : -1;
    int n = emit(b, op, nin, in, nout, of);
    for (int k = 0; k < nout; k++)
        if (of[k] >= 0) contribute(b, of[k], b->g->nodes[n].out[k]);
    return n;
}

static void differentiate(Bwd *b, int n)
{
    Graph *g = b->g;
    const GraphNode *f = &g->nodes[n];
    const int *x = f->in;
    int dy = f->nout ? b->acc[f->out[0]] : -1;
    b->fwd = n;
    if (f->op == GOP_SOFTMAX_XENT) {
        if (f->out[0] != g->loss || !b->needs[x[0]]) return;
        emit_grads(b, GOP_SOFTMAX_XENT_BWD, 2, x, 1, &x[0]);
        return;
    }
    if (dy < 0) return;
    switch (f->op) {
    case GOP_CONV2D:
    case GOP_DENSE: {
        bool conv = f->op == GOP_CONV2D;
        if (b->needs[x[0]]) {
            int in[2] = {dy, x[1]};
            emit_grads(b, conv ? GOP_CONV2D_BWD_DATA : GOP_DENSE_BWD_DATA, 2, in, 1, &x[0]);
        }
        int in[2] = {x[0], dy};
        emit_grads(b, conv ? GOP_CONV2D_BWD_FILTER : GOP_DENSE_BWD_FILTER, 2, in, f->nin - 1, &x[1]);
        break;
    }
    case GOP_BATCHNORM: {
        int in[5] = {x[0], x[1], f->out[1], f->out[2], dy};
        emit_grads(b, GOP_BATCHNORM_BWD, 5, in, 3, x);
        break;
    }
    case GOP_ACT:
    case GOP_MAXPOOL: {
        int in[2] = {x[0], dy};
        emit_grads(b, f->op == GOP_ACT ? GOP_ACT_BWD : GOP_MAXPOOL_BWD, 2, in, 1, x);
        break;
    }
    case GOP_AVGPOOL: emit_grads(b, GOP_AVGPOOL_BWD, 1, &dy, 1, x); break;
    case GOP_GLOBAL_AVGPOOL: emit_grads(b, GOP_GLOBAL_AVGPOOL_BWD, 1, &dy, 1, x); break;
    case GOP_FLATTEN: emit_grads(b, GOP_RESHAPE, 1, &dy, 1, x); break;
    case GOP_CROP: emit_grads(b, GOP_CROP_BWD, 1, &dy, 1, x); break;
    case GOP_DROPOUT: {
        int in[2] = {dy, f->out[1]};
        emit_grads(b, GOP_DROPOUT_BWD, 2, in, 1, x);
        break;
    }
    case GOP_MUL_CHANNEL: {
        int in[3] = {x[0], x[1], dy};
        emit_grads(b, GOP_MUL_CHANNEL_BWD, 3, in, 2, x);
        break;
    }
    case GOP_ADD: /* the gradient fans out unchanged */
    case GOP_IDENTITY:
        for (int k = 0; k < f->nin; k++)
            if (b->needs[x[k]]) contribute(b, x[k], dy);
        break;
    case GOP_CONCAT: {
        int begin = 0;
        for (int k = 0; k < f->nin; k++) {
            int c = (int)g->values[x[k]].shape.d[0];
            if (b->needs[x[k]]) {
                int s = emit_grads(b, GOP_SLICE_CHANNELS, 1, &dy, 1, &x[k]);
                g->nodes[s].a.begin = begin;
                g->nodes[s].a.count = c;
            }
            begin += c;
        }
        break;
    }
    default: /* input, labels, zero: no gradient flows further */ break;
    }
}

int graph_build_backward(Graph *g, GraphError *err)
{
    if (!g->shapes_ok) {
        if (err) {
            err->node = -1;
            snprintf(err->msg, sizeof err->msg, "backward: shapes are not inferred");
        }
        return -1;
    }
    if (g->has_backward) return 0;
    if (g->loss < 0) {
        if (err) {
            err->node = -1;
            snprintf(err->msg, sizeof err->msg, "backward: the graph has no loss (softmax_xent)");
        }
        return -1;
    }
    Bwd b = {g, NULL, NULL, 0, -1};
    int nfwd = g->nfwd;
    b.needs = ARENA_ARRAY(g->arena, bool, g->nvalues);
    for (int v = 0; v < g->nvalues; v++) b.needs[v] = g->values[v].storage == GSTORE_PARAM;
    for (int n = 0; n < nfwd; n++) {
        const GraphNode *f = &g->nodes[n];
        bool any = false;
        if (f->op != GOP_ZERO)
            for (int k = 0; k < f->nin; k++) any |= b.needs[f->in[k]];
        for (int k = 0; k < f->nout; k++) b.needs[f->out[k]] = any;
    }
    grow(&b);
    for (int n = nfwd - 1; n >= 0; n--) differentiate(&b, n);

    /* Totals, zero-filled parameter gradients nothing reaches, and the saved activations. */
    b.fwd = -1;
    int nvals = g->nvalues;
    for (int v = 0; v < nvals; v++) {
        grow(&b);
        if (g->values[v].storage == GSTORE_PARAM && b.acc[v] < 0) {
            int of[1] = {v};
            emit(&b, GOP_FILL_ZERO, 0, NULL, 1, of);
            b.acc[v] = g->nodes[g->nnodes - 1].out[0];
        }
        g->values[v].grad = b.acc[v];
    }
    for (int n = nfwd; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        for (int k = 0; k < nd->nin; k++) {
            GraphValue *iv = &g->values[nd->in[k]];
            if (iv->storage == GSTORE_ARENA && iv->producer >= 0 && iv->producer < nfwd) iv->saved = true;
        }
    }
    g->has_backward = true;
    return 0;
}
