/* graph.c — Graph IR construction: values, nodes and the per-op builder calls. */
#include "graph_int.h"
#include <stdio.h>
#include <string.h>

enum { GRAPH_INIT_NODES = 128, GRAPH_INIT_VALUES = 256 };

Graph *graph_new(Arena *a)
{
    Graph *g = ARENA_NEW(a, Graph);
    g->arena = a;
    g->cap_nodes = GRAPH_INIT_NODES;
    g->cap_values = GRAPH_INIT_VALUES;
    g->nodes = ARENA_ARRAY(a, GraphNode, g->cap_nodes);
    g->values = ARENA_ARRAY(a, GraphValue, g->cap_values);
    g->input = g->labels = g->logits = g->loss = -1;
    g->error.node = -1;
    return g;
}

/* A new value; the arrays grow by doubling inside the arena (the old copy is garbage). */
int graph_value_new(Graph *g, GraphStorage st, const char *role)
{
    if (g->nvalues == g->cap_values) {
        GraphValue *nv = ARENA_ARRAY(g->arena, GraphValue, g->cap_values * 2);
        memcpy(nv, g->values, sizeof(GraphValue) * (size_t)g->nvalues);
        g->values = nv;
        g->cap_values *= 2;
    }
    int id = g->nvalues++;
    GraphValue *v = &g->values[id];
    memset(v, 0, sizeof *v);
    v->storage = st;
    v->dtype = GDT_F32;
    v->producer = -1;
    v->grad = -1;
    v->grad_of = -1;
    v->name = role;
    return id;
}

/* A new node reading `nin` values and writing `nout` fresh arena values (out[] filled). */
int graph_node_new(Graph *g, GraphOp op, GraphPhase phase, int nin, const int *in, int nout)
{
    if (g->nnodes == g->cap_nodes) {
        GraphNode *nn = ARENA_ARRAY(g->arena, GraphNode, g->cap_nodes * 2);
        memcpy(nn, g->nodes, sizeof(GraphNode) * (size_t)g->nnodes);
        g->nodes = nn;
        g->cap_nodes *= 2;
    }
    int id = g->nnodes++;
    GraphNode *n = &g->nodes[id];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->phase = phase;
    n->fwd = -1;
    n->origin = g->origin;
    n->nin = nin;
    n->nout = nout;
    int *io = ARENA_ARRAY(g->arena, int, nin + nout + 1);
    n->in = io;
    n->out = io + nin;
    if (nin) memcpy(n->in, in, sizeof(int) * (size_t)nin);
    for (int k = 0; k < nout; k++) {
        int v = graph_value_new(g, GSTORE_ARENA, NULL);
        g->values[v].producer = id;
        n->out[k] = v;
    }
    if (phase != GPHASE_BACKWARD) { /* a new forward node invalidates the shapes */
        if (g->has_backward && g->error.node < 0) {
            g->error.node = id;
            snprintf(g->error.msg, sizeof g->error.msg, "%s: added after the backward graph was built",
                     graph_op_name(op));
        }
        g->nfwd = g->nnodes;
        g->shapes_ok = false;
    }
    return id;
}

/* Forward node whose first inputs are activations and whose trailing inputs are fresh
 * parameters / state values with the given roles. */
static int fwd_node(Graph *g, GraphOp op, int nact, const int *act, int nparam, const GraphStorage *pst,
                    const char *const *roles, int nout)
{
    int in[8];
    int n = 0;
    for (; n < nact; n++) in[n] = act[n];
    for (int k = 0; k < nparam; k++) in[n++] = graph_value_new(g, pst[k], roles[k]);
    return graph_node_new(g, op, GPHASE_FORWARD, n, in, nout);
}

/* Eager shape inference of a finished node (until the first error); returns out[0]. */
static int built(Graph *g, int node)
{
    if (g->error.node < 0 && graph_infer_node(g, node, &g->error)) g->error.node = node;
    return g->nodes[node].out[0];
}

static int out0(Graph *g, int node) { return g->nodes[node].out[0]; }

int graph_input(Graph *g, int rank, const int64_t *dims)
{
    return g->input = graph_stand_in(g, rank, dims, 0, NULL);
}

int graph_stand_in(Graph *g, int rank, const int64_t *dims, int ndeps, const int *deps)
{
    int n = graph_node_new(g, GOP_INPUT, GPHASE_FORWARD, ndeps, deps, 1);
    GraphShape *s = &g->values[out0(g, n)].shape;
    s->rank = rank < 0 ? -1 : rank > GRAPH_MAX_RANK ? GRAPH_MAX_RANK + 1 : rank;
    for (int i = 0; i < rank && i < GRAPH_MAX_RANK; i++) s->d[i] = dims[i];
    return built(g, n);
}

int graph_labels(Graph *g)
{
    int n = graph_node_new(g, GOP_LABELS, GPHASE_LOSS, 0, NULL, 1);
    g->values[out0(g, n)].dtype = GDT_I32;
    g->labels = built(g, n);
    return g->labels;
}

static int conv(Graph *g, int x, int out_ch, int kh, int kw, int stride, int dilation, GraphPad pad, int groups,
                bool bias, bool depthwise)
{
    static const GraphStorage pst[2] = {GSTORE_PARAM, GSTORE_PARAM};
    static const char *const roles[2] = {"w", "b"};
    int n = fwd_node(g, GOP_CONV2D, 1, &x, bias ? 2 : 1, pst, roles, 1);
    GraphAttr *a = &g->nodes[n].a;
    a->out = out_ch;
    a->kh = kh;
    a->kw = kw;
    a->sh = a->sw = stride;
    a->dh = a->dw = dilation;
    a->pad = pad;
    a->groups = groups;
    a->has_bias = bias;
    a->depthwise = depthwise;
    return built(g, n);
}

int graph_conv2d(Graph *g, int x, int out_ch, int kh, int kw, int stride, int dilation, GraphPad pad, int groups,
                 bool bias)
{
    return conv(g, x, out_ch, kh, kw, stride, dilation, pad, groups, bias, false);
}

int graph_depthwise(Graph *g, int x, int k, int stride, int dilation, GraphPad pad, bool bias)
{
    return conv(g, x, 0, k, k, stride, dilation, pad, 0, bias, true);
}

int graph_pointwise(Graph *g, int x, int out_ch, bool bias)
{
    return conv(g, x, out_ch, 1, 1, 1, 1, GPAD_VALID, 1, bias, false);
}

int graph_dense(Graph *g, int x, int out, bool bias)
{
    static const GraphStorage pst[2] = {GSTORE_PARAM, GSTORE_PARAM};
    static const char *const roles[2] = {"w", "b"};
    int n = fwd_node(g, GOP_DENSE, 1, &x, bias ? 2 : 1, pst, roles, 1);
    g->nodes[n].a.out = out;
    g->nodes[n].a.has_bias = bias;
    return built(g, n);
}

int graph_batchnorm(Graph *g, int x, float eps, float momentum)
{
    static const GraphStorage pst[4] = {GSTORE_PARAM, GSTORE_PARAM, GSTORE_STATE, GSTORE_STATE};
    static const char *const roles[4] = {"gamma", "beta", "run_mean", "run_var"};
    int n = fwd_node(g, GOP_BATCHNORM, 1, &x, 4, pst, roles, 3);
    GraphNode *nd = &g->nodes[n];
    nd->a.eps = eps;
    nd->a.momentum = momentum;
    g->values[nd->out[1]].train_only = true;
    g->values[nd->out[2]].train_only = true;
    g->values[nd->out[1]].name = "save_mean";
    g->values[nd->out[2]].name = "save_invstd";
    return built(g, n);
}

/* A one-input node without parameters; attributes are set before built(). */
static int unary(Graph *g, GraphOp op, int x) { return fwd_node(g, op, 1, &x, 0, NULL, NULL, 1); }

int graph_act(Graph *g, int x, GraphAct act)
{
    int n = unary(g, GOP_ACT, x);
    g->nodes[n].a.act = act;
    return built(g, n);
}

static int pool(Graph *g, GraphOp op, int x, int k, int stride, GraphPad pad)
{
    int n = unary(g, op, x);
    GraphAttr *a = &g->nodes[n].a;
    a->kh = a->kw = k;
    a->sh = a->sw = stride;
    a->dh = a->dw = 1;
    a->pad = pad;
    return built(g, n);
}

int graph_maxpool(Graph *g, int x, int k, int stride, GraphPad pad) { return pool(g, GOP_MAXPOOL, x, k, stride, pad); }

int graph_avgpool(Graph *g, int x, int k, int stride, GraphPad pad) { return pool(g, GOP_AVGPOOL, x, k, stride, pad); }

int graph_global_avgpool(Graph *g, int x) { return built(g, unary(g, GOP_GLOBAL_AVGPOOL, x)); }
int graph_flatten(Graph *g, int x) { return built(g, unary(g, GOP_FLATTEN, x)); }
int graph_identity(Graph *g, int x) { return built(g, unary(g, GOP_IDENTITY, x)); }

int graph_dropout(Graph *g, int x, float p)
{
    int n = fwd_node(g, GOP_DROPOUT, 1, &x, 0, NULL, NULL, 2);
    GraphNode *nd = &g->nodes[n];
    nd->a.p = p;
    g->values[nd->out[1]].train_only = true;
    g->values[nd->out[1]].name = "mask";
    return built(g, n);
}

int graph_add(Graph *g, int a, int b)
{
    int in[2] = {a, b};
    return built(g, fwd_node(g, GOP_ADD, 2, in, 0, NULL, NULL, 1));
}

int graph_concat(Graph *g, int n, const int *xs)
{
    if (n < 0) n = 0;
    return built(g, graph_node_new(g, GOP_CONCAT, GPHASE_FORWARD, n, xs, 1));
}

int graph_mul_channel(Graph *g, int x, int s)
{
    int in[2] = {x, s};
    return built(g, fwd_node(g, GOP_MUL_CHANNEL, 2, in, 0, NULL, NULL, 1));
}

int graph_zero(Graph *g, int x, int stride)
{
    int n = unary(g, GOP_ZERO, x);
    g->nodes[n].a.sh = g->nodes[n].a.sw = stride;
    return built(g, n);
}

int graph_crop(Graph *g, int x, int top, int left, int bottom, int right)
{
    int n = unary(g, GOP_CROP, x);
    int *c = g->nodes[n].a.crop;
    c[0] = top;
    c[1] = left;
    c[2] = bottom;
    c[3] = right;
    return built(g, n);
}

int graph_softmax_xent(Graph *g, int logits, int labels)
{
    int in[2] = {logits, labels};
    int n = graph_node_new(g, GOP_SOFTMAX_XENT, GPHASE_LOSS, 2, in, 1);
    g->logits = logits;
    g->loss = built(g, n);
    return g->loss;
}

void graph_set_name(Graph *g, int value, const char *name)
{
    if (value < 0 || value >= g->nvalues || !name) return;
    const char *s = arena_strdup(g->arena, name);
    g->values[value].name = s;
    int p = g->values[value].producer;
    if (p >= 0) g->nodes[p].name = s;
}
