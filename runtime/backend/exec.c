/* exec.c — the executor over graph.h (see exec.h): plans once, then runs the schedule. */
#include "exec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int model_buffers_alloc(Backend *b, const Graph *g, ModelBuffers *m, BkError *err)
{
    memset(m, 0, sizeof *m);
    m->nparams = g->nparams;
    m->nstate = g->nstate;
    size_t padded = (size_t)exec_params_padded(g->nparams);
    m->params = b->alloc(b, sizeof(float) * padded);
    m->grads = b->alloc(b, sizeof(float) * padded);
    m->state = b->alloc(b, sizeof(float) * (size_t)(g->nstate + 1));
    if (m->params && m->grads && m->state) return 0;
    snprintf(err->msg, sizeof err->msg, "out of memory for %lld parameters", (long long)g->nparams);
    model_buffers_free(b, m);
    return -1;
}

void model_buffers_free(Backend *b, ModelBuffers *m)
{
    b->free(b, m->params);
    b->free(b, m->grads);
    b->free(b, m->state);
    memset(m, 0, sizeof *m);
}

void *exec_value(const Exec *e, int v)
{
    if (v < 0) return NULL;
    const GraphValue *gv = &e->g->values[v];
    switch (gv->storage) {
    case GSTORE_PARAM: return e->m->params + gv->flat;
    case GSTORE_PARAM_GRAD: return e->m->grads + gv->flat;
    case GSTORE_STATE: return e->m->state + gv->flat;
    default: return e->plan.offset[v] < 0 ? NULL : e->act + e->plan.offset[v];
    }
}

/* ---- shapes of a node's operands ---- */

typedef struct Dims {
    int rank;
    int64_t d[GRAPH_MAX_RANK + 1];
} Dims;
static Dims dims_of(const Exec *e, int v)
{
    Dims r;
    r.rank = graph_value_dims(e->g, v, e->batch, r.d);
    for (int i = r.rank; i <= GRAPH_MAX_RANK; i++) r.d[i] = 1;
    return r;
}
static int64_t numel(const Exec *e, int v) { return graph_shape_numel(&e->g->values[v].shape, e->batch); }
/* [B, C, H*W] view of a batched activation: channels and inner size */
static void chw(const Exec *e, int v, int64_t *c, int64_t *hw)
{
    Dims d = dims_of(e, v);
    *c = d.rank >= 2 ? d.d[1] : 1;
    *hw = d.rank >= 3 ? d.d[2] * d.d[3] : 1;
}

/* ---- activation layouts ----
 * On a backend with a channel_block k, a [C,H,W] activation is kept in nChw<k>c when every
 * node that touches it can take that layout: convolutions, pooling (global average pooling
 * too: then a oneDNN pooling instead of the channel-sum kernel), training batchnorm, and
 * elementwise maps without per-channel operands (which do not care). Values an op ties
 * together (a map's operands, batchnorm's input and output, a value and its gradient) share
 * one layout (convolutions and pooling reorder between their input's and output's):
 * union-find over values, and a group with any member that must stay NCHW (graph inputs and
 * results, views, concat, dense, per-channel maps, ...) stays NCHW.
 * When k does not divide C, a blocked value's storage holds C rounded up to k channels
 * (stored_numel: oneDNN's padded layout), so 12- and 24-channel nets stay blocked too
 * instead of reordering around every primitive. oneDNN writes zeros into the padding of what
 * it produces and its padded weights are zero, so what a map computes there (act(0), finite)
 * never reaches a real channel; maps run over the whole padded storage. */

static int uf_find(int *p, int v)
{
    while (p[v] != v) v = p[v] = p[p[v]];
    return v;
}

static void uf_union(int *p, int a, int b)
{
    if (a >= 0 && b >= 0) p[uf_find(p, a)] = uf_find(p, b);
}

static bool node_takes_blocked(const Exec *e, int n)
{
    const GraphNode *nd = &e->g->nodes[n];
    switch (nd->op) {
    case GOP_CONV2D:
    case GOP_CONV2D_BWD_DATA:
    case GOP_CONV2D_BWD_FILTER:
    case GOP_MAXPOOL:
    case GOP_AVGPOOL:
    case GOP_MAXPOOL_BWD:
    case GOP_AVGPOOL_BWD:
    case GOP_GLOBAL_AVGPOOL:
    case GOP_GLOBAL_AVGPOOL_BWD:
    case GOP_BATCHNORM_BWD:
    case GOP_ACT:
    case GOP_ACT_BWD:
    case GOP_ADD:
    case GOP_GRAD_ADD:
    case GOP_DROPOUT_BWD: return true;
    case GOP_BATCHNORM: /* inference is a per-channel map */ return e->mode == GRAPH_TRAIN;
    case GOP_DROPOUT: /* inference: a view */ return e->mode == GRAPH_TRAIN;
    default: return false;
    }
}

/* ops whose input and output layouts are independent (the primitive reorders between them) */
static bool node_reorders(GraphOp op)
{
    return op == GOP_CONV2D || op == GOP_CONV2D_BWD_DATA || op == GOP_CONV2D_BWD_FILTER || op == GOP_MAXPOOL ||
           op == GOP_AVGPOOL || op == GOP_MAXPOOL_BWD || op == GOP_AVGPOOL_BWD || op == GOP_GLOBAL_AVGPOOL ||
           op == GOP_GLOBAL_AVGPOOL_BWD;
}

static void plan_layouts(Exec *e)
{
    const Graph *g = e->g;
    int nv = g->nvalues, blk = e->bk->channel_block;
    int *p = malloc(sizeof(int) * (size_t)nv);
    bool *plain = calloc((size_t)nv, sizeof(bool));
    if (!p || !plain) {
        free(p);
        free(plain);
        return;
    } /* all NCHW */
    for (int v = 0; v < nv; v++) {
        const GraphValue *gv = &g->values[v];
        p[v] = v;
        plain[v] = gv->storage != GSTORE_ARENA || gv->shape.rank != 3 || !gv->shape.batched || gv->output ||
                   v == g->input || v == g->logits || v == g->loss;
    }
    for (int v = 0; v < nv; v++)
        if (g->values[v].grad >= 0) uf_union(p, v, g->values[v].grad);
    for (int n = 0; n < g->nnodes; n++) {
        if (!graph_node_in_mode(g, n, e->mode)) continue;
        const GraphNode *nd = &g->nodes[n];
        bool ok = node_takes_blocked(e, n);
        bool tied = !node_reorders(nd->op);
        int first = -1;
        for (int k = 0; k < nd->nin + nd->nout; k++) {
            int v = k < nd->nin ? nd->in[k] : nd->out[k - nd->nin];
            if (v < 0 || g->values[v].storage != GSTORE_ARENA || g->values[v].shape.rank != 3) continue;
            if (!ok) plain[v] = true;
            if (tied && first >= 0) uf_union(p, v, first);
            else if (tied) first = v;
        }
    }
    for (int v = 0; v < nv; v++)
        if (plain[v]) plain[uf_find(p, v)] = true;
    for (int v = 0; v < nv; v++) e->block[v] = plain[uf_find(p, v)] ? 0 : (unsigned char)blk;
    free(p);
    free(plain);
}

/* Floats in value v's storage: its elements, or in nChw<k>c with C not a multiple of k, its
 * elements with C rounded up to k. */
static int64_t stored_numel(const Exec *e, int v)
{
    int64_t n = numel(e, v), k = e->block[v], c = e->g->values[v].shape.d[0];
    return k && c % k ? n / c * ((c + k - 1) / k * k) : n;
}

static ConvDesc conv_desc(const Exec *e, const GraphNode *nd)
{
    Dims x = dims_of(e, nd->in[0]);
    ConvDesc d = {.n = (int)x.d[0],
                  .c = (int)x.d[1],
                  .h = (int)x.d[2],
                  .w = (int)x.d[3],
                  .oc = nd->a.out,
                  .kh = nd->a.kh,
                  .kw = nd->a.kw,
                  .sh = nd->a.sh,
                  .sw = nd->a.sw,
                  .ph = nd->a.ph,
                  .pw = nd->a.pw,
                  .dh = nd->a.dh,
                  .dw = nd->a.dw,
                  .groups = nd->a.groups,
                  .has_bias = nd->a.has_bias,
                  .block_x = e->block[nd->in[0]],
                  .block_y = e->block[nd->out[0]]};
    conv_desc_finish(&d);
    return d;
}

static PoolDesc pool_desc(const Exec *e, const GraphNode *nd)
{
    Dims x = dims_of(e, nd->in[0]);
    PoolDesc d = {.kind = nd->op == GOP_AVGPOOL ? POOL_AVG : POOL_MAX,
                  .n = (int)x.d[0],
                  .c = (int)x.d[1],
                  .h = (int)x.d[2],
                  .w = (int)x.d[3],
                  .kh = nd->a.kh,
                  .kw = nd->a.kw,
                  .sh = nd->a.sh,
                  .sw = nd->a.sw,
                  .ph = nd->a.ph,
                  .pw = nd->a.pw,
                  .block_x = e->block[nd->in[0]],
                  .block_y = e->block[nd->out[0]]};
    pool_desc_finish(&d);
    return d;
}

/* ---- fused kernel specs ---- */

static int act_value(CgSpec *s, GraphAct a, int x)
{
    static const CgOpKind k[GACT_COUNT] = {CG_RELU, CG_RELU6, CG_SIGMOID, CG_TANH, CG_SWISH, CG_GELU};
    return cg_un(s, k[a], x);
}

/* dy * act'(x) */
static int act_grad_value(CgSpec *s, GraphAct a, int x, int dy)
{
    int zero = cg_const(s, 0), one = cg_const(s, 1), t;
    switch (a) {
    case GACT_RELU: return cg_select(s, CG_GT, x, zero, dy, zero);
    case GACT_RELU6: return cg_select(s, CG_GT, x, zero, cg_select(s, CG_LT, x, cg_const(s, 6), dy, zero), zero);
    case GACT_SIGMOID:
        t = cg_un(s, CG_SIGMOID, x);
        return cg_bin(s, CG_MUL, dy, cg_bin(s, CG_MUL, t, cg_bin(s, CG_SUB, one, t)));
    case GACT_TANH:
        t = cg_un(s, CG_TANH, x);
        return cg_bin(s, CG_MUL, dy, cg_bin(s, CG_SUB, one, cg_bin(s, CG_MUL, t, t)));
    case GACT_SWISH: return cg_bin(s, CG_MUL, dy, cg_un(s, CG_SWISH_DX, x));
    default: return cg_bin(s, CG_MUL, dy, cg_un(s, CG_GELU_DX, x));
    }
}

/* ---- fused maps: one CG_MAP per fusion chain ----
 * The chain's nodes are emitted in order into one spec; a value computed inside the chain
 * is an SSA value, a value from outside is loaded from a slot, and only the chain's result
 * and its `stored` values are written back (graph_plan gave the others no storage). */

typedef struct Fuser {
    const Exec *e;
    ExecChain *c;
    CgSpec *s;
    int n, val[48], ssa[48]; /* graph value -> SSA value, this chain */
} Fuser;

static int fuse_slot(Fuser *f, int v)
{
    for (int k = 0; k < f->c->nslots; k++)
        if (f->c->slot[k] == v) return k;
    if (f->c->nslots == CG_MAX_BUFS) return CG_MAX_BUFS; /* cg_spec_check reports it */
    f->c->slot[f->c->nslots] = v;
    return f->c->nslots++;
}

static void fuse_set(Fuser *f, int v, int x)
{
    if (v < 0 || f->n == (int)(sizeof f->val / sizeof f->val[0])) return;
    f->val[f->n] = v;
    f->ssa[f->n++] = x;
}

static int fuse_get(Fuser *f, int v) /* element i of value v */
{
    for (int j = f->n - 1; j >= 0; j--)
        if (f->val[j] == v) return f->ssa[j];
    int x = cg_load(f->s, fuse_slot(f, v));
    fuse_set(f, v, x);
    return x;
}

static int fuse_get_ch(Fuser *f, int v) /* v[c], c = the channel of element i */
{
    return cg_load_ch(f->s, fuse_slot(f, v));
}

static void fuse_node(Fuser *f, int i)
{
    const GraphNode *nd = &f->e->g->nodes[i];
    CgSpec *s = f->s;
    int y;
    switch (nd->op) {
    case GOP_ACT: y = act_value(s, nd->a.act, fuse_get(f, nd->in[0])); break;
    case GOP_ACT_BWD: y = act_grad_value(s, nd->a.act, fuse_get(f, nd->in[0]), fuse_get(f, nd->in[1])); break;
    case GOP_ADD:
    case GOP_GRAD_ADD: y = cg_bin(s, CG_ADD, fuse_get(f, nd->in[0]), fuse_get(f, nd->in[1])); break;
    case GOP_DROPOUT_BWD: y = cg_bin(s, CG_MUL, fuse_get(f, nd->in[0]), fuse_get(f, nd->in[1])); break;
    case GOP_MUL_CHANNEL: y = cg_bin(s, CG_MUL, fuse_get(f, nd->in[0]), fuse_get_ch(f, nd->in[1])); break;
    case GOP_DROPOUT: { /* scalar 0 = the step's seed; stream = the node */
        float p = nd->a.p, keep = p < 1 ? 1.0f / (1.0f - p) : 0.0f;
        int m = cg_select(s, CG_GE, cg_rand(s, 0, i), cg_const(s, p), cg_const(s, keep), cg_const(s, 0));
        fuse_set(f, nd->out[1], m);
        y = cg_bin(s, CG_MUL, fuse_get(f, nd->in[0]), m);
        break;
    }
    case GOP_BATCHNORM: { /* inference: running statistics */
        int invstd = cg_un(s, CG_RSQRT, cg_bin(s, CG_ADD, fuse_get_ch(f, nd->in[4]), cg_const(s, nd->a.eps)));
        int xhat = cg_bin(s, CG_MUL, cg_bin(s, CG_SUB, fuse_get(f, nd->in[0]), fuse_get_ch(f, nd->in[3])), invstd);
        y = cg_fma(s, xhat, fuse_get_ch(f, nd->in[1]), fuse_get_ch(f, nd->in[2]));
        break;
    }
    default:
        y = -1; /* not elementwise: cg_spec_check reports it */
        break;
    }
    fuse_set(f, nd->out[0], y);
}

/* Builds chain c's map. When the chain starts at a dense layer's output, the dense's bias is
 * added here (written back in place, for the backward), so the dense node skips its own. */
static void chain_spec(Exec *e, const GraphChain *gc, ExecChain *c)
{
    const Graph *g = e->g;
    const GraphNode *head = &g->nodes[gc->nodes[0]], *last = &g->nodes[gc->nodes[gc->n - 1]];
    int64_t ch = 0, inner = 0, C, hw;
    int per_sample = 0, per_channel = 0;
    for (int k = 0; k < gc->n; k++) {
        per_sample |= g->nodes[gc->nodes[k]].op == GOP_MUL_CHANNEL;
        per_channel |= g->nodes[gc->nodes[k]].op == GOP_BATCHNORM;
    }
    c->bias_of = -1;
    if (e->fuse && gc->anchor >= 0 && g->nodes[gc->anchor].op == GOP_DENSE && g->nodes[gc->anchor].a.has_bias &&
        !per_sample)
        c->bias_of = gc->anchor;
    chw(e, head->in[0], &C, &hw);
    if (per_sample) {
        ch = e->batch * C;
        inner = hw;
    } else if (per_channel || c->bias_of >= 0) {
        ch = C;
        inner = hw;
    }
    Fuser f = {.e = e, .c = c, .s = &c->k.spec};
    /* a blocked chain (no per-channel operands) maps over the padding too */
    cg_spec_map(f.s, stored_numel(e, last->out[0]), ch, inner);
    if (c->bias_of >= 0) {
        const GraphNode *d = &g->nodes[c->bias_of];
        int xb = cg_bin(f.s, CG_ADD, fuse_get(&f, d->out[0]), fuse_get_ch(&f, d->in[2]));
        fuse_set(&f, d->out[0], xb);
        cg_store(f.s, fuse_slot(&f, d->out[0]), xb);
    }
    for (int k = 0; k < gc->n; k++) fuse_node(&f, gc->nodes[k]);
    for (int k = 0; k < gc->nstored; k++) cg_store(f.s, fuse_slot(&f, gc->stored[k]), fuse_get(&f, gc->stored[k]));
    cg_store(f.s, fuse_slot(&f, last->out[0]), fuse_get(&f, last->out[0]));
}

/* Builds the kernel specs of a node outside the chains (0, 1 or 2 of them, spec.nops == 0 =
 * unused). */
static void node_specs(const Exec *e, int i, int bias_folded, CgSpec *k0, CgSpec *k1)
{
    const GraphNode *nd = &e->g->nodes[i];
    int64_t c, hw;
    switch (nd->op) {
    case GOP_DENSE: /* bias add in place: y += b[c] */
        if (!nd->a.has_bias || bias_folded) return;
        cg_spec_map(k0, numel(e, nd->out[0]), nd->a.out, 1);
        cg_store(k0, 0, cg_bin(k0, CG_ADD, cg_load(k0, 0), cg_load_ch(k0, 1)));
        return;
    case GOP_GLOBAL_AVGPOOL: /* y[n*C+c] = sum_hw x / hw; a blocked x: a oneDNN pooling (node_plan) */
        if (e->block[nd->in[0]]) return;
        chw(e, nd->in[0], &c, &hw);
        cg_spec_channel_sum(k0, 1, e->batch * c, hw);
        cg_accum(k0, 1, cg_bin(k0, CG_MUL, cg_load(k0, 0), cg_const(k0, 1.0f / (float)hw)));
        return;
    case GOP_GLOBAL_AVGPOOL_BWD:
        if (e->block[nd->out[0]]) return;
        chw(e, nd->out[0], &c, &hw);
        cg_spec_map(k0, e->batch * c * hw, e->batch * c, hw);
        cg_store(k0, 1, cg_bin(k0, CG_MUL, cg_load_ch(k0, 0), cg_const(k0, 1.0f / (float)hw)));
        return;
    case GOP_MUL_CHANNEL_BWD: /* x, s, dy -> dx = dy*s; ds = sum_hw dy*x */
        chw(e, nd->in[0], &c, &hw);
        cg_spec_map(k0, e->batch * c * hw, e->batch * c, hw);
        cg_store(k0, 3, cg_bin(k0, CG_MUL, cg_load(k0, 2), cg_load_ch(k0, 1)));
        cg_spec_channel_sum(k1, 1, e->batch * c, hw);
        cg_accum(k1, 3, cg_bin(k1, CG_MUL, cg_load(k1, 2), cg_load(k1, 0)));
        return;
    case GOP_DENSE_BWD_FILTER: /* db[c] = sum_rows dy */
        if (nd->nout < 2 || nd->out[1] < 0) return;
        cg_spec_channel_sum(k0, e->batch, nd->a.out, 1);
        cg_accum(k0, 1, cg_load(k0, 0));
        return;
    case GOP_SOFTMAX_XENT: {
        Dims l = dims_of(e, nd->in[0]);
        cg_spec_xent(k0, e->batch, l.d[1]);
        return;
    }
    default: return;
    }
}

/* ---- create / destroy ---- */

static int find_xent_bwd(const Graph *g, int fwd)
{
    for (int j = g->nfwd; j < g->nnodes; j++)
        if (g->nodes[j].op == GOP_SOFTMAX_XENT_BWD && g->nodes[j].fwd == fwd) return g->nodes[j].out[0];
    return -1;
}

/* Prefixes err with the node the failure belongs to. */
static void node_error(BkError *err, const Graph *g, int i)
{
    char m2[sizeof err->msg];
    snprintf(m2, sizeof m2, "%.400s (node %d, %s)", err->msg, i, graph_op_name(g->nodes[i].op));
    memcpy(err->msg, m2, sizeof m2);
}

static BkPlan *node_plan(Exec *e, int i, BkError *err, int *planned)
{
    const Graph *g = e->g;
    const GraphNode *nd = &g->nodes[i];
    Backend *bk = e->bk;
    *planned = 1;
    if (nd->op == GOP_CONV2D) {
        ConvDesc d = conv_desc(e, nd);
        return bk->conv_plan(bk, &d, err);
    }
    if (nd->op == GOP_MAXPOOL || nd->op == GOP_AVGPOOL) {
        PoolDesc d = pool_desc(e, nd);
        return bk->pool_plan(bk, &d, err);
    }
    if (nd->op == GOP_GLOBAL_AVGPOOL && e->block[nd->in[0]]) { /* an average pooling over all of H x W */
        Dims x = dims_of(e, nd->in[0]);
        PoolDesc d = {.kind = POOL_AVG,
                      .n = (int)x.d[0],
                      .c = (int)x.d[1],
                      .h = (int)x.d[2],
                      .w = (int)x.d[3],
                      .kh = (int)x.d[2],
                      .kw = (int)x.d[3],
                      .sh = 1,
                      .sw = 1,
                      .block_x = e->block[nd->in[0]]};
        pool_desc_finish(&d);
        return bk->pool_plan(bk, &d, err);
    }
    if (nd->op == GOP_BATCHNORM) {
        int64_t c, hw;
        chw(e, nd->in[0], &c, &hw);
        BnDesc d = {(int)e->batch, (int)c, (int)hw, nd->a.eps, nd->a.momentum, e->block[nd->in[0]]};
        return bk->bn_plan(bk, &d, err);
    }
    if (nd->op == GOP_DENSE || nd->op == GOP_DENSE_BWD_DATA || nd->op == GOP_DENSE_BWD_FILTER) {
        int in = (int)graph_shape_numel(&g->values[nd->op == GOP_DENSE_BWD_DATA ? nd->out[0] : nd->in[0]].shape, 1);
        int out = nd->a.out, B = (int)e->batch;
        if (nd->op == GOP_DENSE) return bk->matmul_plan(bk, 0, 1, B, out, in, 0, err);          /* x W^T */
        if (nd->op == GOP_DENSE_BWD_DATA) return bk->matmul_plan(bk, 0, 0, B, in, out, 0, err); /* dy W */
        return bk->matmul_plan(bk, 1, 0, out, in, B, 0, err);                                   /* dy^T x */
    }
    *planned = 0;
    return NULL;
}

int exec_create(Exec *e, Graph *g, Backend *bk, ModelBuffers *m, GraphMode mode, int64_t batch, int fuse, BkError *err)
{
    memset(e, 0, sizeof *e);
    e->g = g;
    e->bk = bk;
    e->m = m;
    e->mode = mode;
    e->batch = batch;
    e->fuse = fuse;
    GraphError ge;
    if (!g->has_backward && mode == GRAPH_TRAIN && graph_build_backward(g, &ge)) {
        snprintf(err->msg, sizeof err->msg, "graph: node %d: %s", ge.node, ge.msg);
        return -1;
    }
    /* layouts first: a blocked value's storage may hold padded channels */
    e->block = calloc((size_t)g->nvalues, 1);
    int64_t *bytes = malloc(sizeof(int64_t) * (size_t)g->nvalues);
    if (!e->block || !bytes) {
        free(e->block);
        free(bytes);
        snprintf(err->msg, sizeof err->msg, "out of memory for the executor");
        return -1;
    }
    if (bk->channel_block) plan_layouts(e);
    for (int v = 0; v < g->nvalues; v++)
        bytes[v] = e->block[v] ? graph_value_bytes(g, v, batch) / numel(e, v) * stored_numel(e, v)
                               : graph_value_bytes(g, v, batch);
    int planned_ok = graph_plan_sized(g, mode, batch, fuse, bytes, &e->plan, &ge) == 0;
    free(bytes);
    if (!planned_ok) {
        free(e->block);
        snprintf(err->msg, sizeof err->msg, "graph: node %d: %s", ge.node, ge.msg);
        return -1;
    }
    int64_t classes = 1;
    if (g->logits >= 0) classes = graph_shape_numel(&g->values[g->logits].shape, 1);
    e->act = bk->alloc(bk, (size_t)e->plan.size + 64);
    e->plans = calloc((size_t)g->nnodes, sizeof *e->plans);
    e->kern = calloc((size_t)g->nnodes * EXEC_KPN, sizeof *e->kern);
    e->chains = calloc((size_t)e->plan.nchains + 1, sizeof *e->chains);
    e->dlogits = malloc(sizeof(int) * (size_t)g->nnodes);
    e->loss_rows = bk->alloc(bk, sizeof(float) * (size_t)batch);
    e->correct = bk->alloc(bk, sizeof(float) * (size_t)batch);
    e->dlogits_scratch = bk->alloc(bk, sizeof(float) * (size_t)(batch * classes));
    e->labels = bk->alloc(bk, sizeof(int32_t) * (size_t)batch);
    e->host_rows = malloc(sizeof(float) * 2 * (size_t)batch);
    int *bias_folded = calloc((size_t)g->nnodes, sizeof(int));
    if (!e->act || !e->plans || !e->kern || !e->chains || !e->dlogits || !e->loss_rows || !e->correct ||
        !e->dlogits_scratch || !e->labels || !e->host_rows || !bias_folded) {
        snprintf(err->msg, sizeof err->msg, "out of memory for the executor (%lld activation bytes)",
                 (long long)e->plan.size);
        goto fail;
    }
    e->xent_scalar[0] = 1.0f / (float)batch;
    e->xent_scalar[1] = 0;
    for (int c = 0; c < e->plan.nchains; c++) {
        const GraphChain *gc = &e->plan.chains[c];
        chain_spec(e, gc, &e->chains[c]);
        if (bk->kernel_build(bk, &e->chains[c].k, err)) {
            node_error(err, g, gc->nodes[gc->n - 1]);
            goto fail;
        }
        if (e->chains[c].bias_of >= 0) bias_folded[e->chains[c].bias_of] = 1;
    }
    for (int i = 0; i < g->nnodes; i++) {
        e->dlogits[i] = -1;
        if (!graph_node_in_mode(g, i, mode) || graph_node_is_view(g, i, mode) || e->plan.chain_of[i] >= 0) continue;
        int planned;
        e->plans[i] = node_plan(e, i, err, &planned);
        if (planned && !e->plans[i]) {
            node_error(err, g, i);
            goto fail;
        }
        node_specs(e, i, bias_folded[i], &e->kern[i * EXEC_KPN].spec, &e->kern[i * EXEC_KPN + 1].spec);
        for (int k = 0; k < EXEC_KPN; k++) {
            BkKernel *kk = &e->kern[i * EXEC_KPN + k];
            /* A spec without ops is unused, except the loss kernel, which has none. */
            if (kk->spec.nops == 0 && kk->spec.kind != CG_SOFTMAX_XENT) continue;
            if (bk->kernel_build(bk, kk, err)) {
                node_error(err, g, i);
                goto fail;
            }
        }
        if (g->nodes[i].op == GOP_SOFTMAX_XENT && mode == GRAPH_TRAIN) e->dlogits[i] = find_xent_bwd(g, i);
    }
    /* INFER mode has no loss node: the xent kernel for evaluation runs on the logits */
    e->xent_node = -1;
    for (int i = 0; i < g->nfwd; i++)
        if (g->nodes[i].op == GOP_SOFTMAX_XENT && mode == GRAPH_INFER) {
            CgSpec unused;
            node_specs(e, i, 0, &e->kern[i * EXEC_KPN].spec, &unused);
            if (bk->kernel_build(bk, &e->kern[i * EXEC_KPN], err)) goto fail;
            e->xent_node = i;
        }
    free(bias_folded);
    return 0;
fail:
    free(bias_folded);
    exec_destroy(e);
    return -1;
}

void exec_destroy(Exec *e)
{
    Backend *bk = e->bk;
    if (e->plans)
        for (int i = 0; i < e->g->nnodes; i++)
            if (e->plans[i]) bk->plan_free(bk, e->plans[i]);
    free(e->plans);
    free(e->kern);
    free(e->chains);
    free(e->dlogits);
    free(e->host_rows);
    free(e->block);
    bk->free(bk, e->act);
    bk->free(bk, e->loss_rows);
    bk->free(bk, e->correct);
    bk->free(bk, e->dlogits_scratch);
    bk->free(bk, e->labels);
    memset(e, 0, sizeof *e);
}

void exec_set_batch(Exec *e, const float *x, const int32_t *labels)
{
    Backend *bk = e->bk;
    bk->to_device(bk, exec_value(e, e->g->input), x, sizeof(float) * (size_t)numel(e, e->g->input));
    if (!labels) return;
    bk->to_device(bk, e->labels, labels, sizeof(int32_t) * (size_t)e->batch);
    void *lv = e->g->labels >= 0 ? exec_value(e, e->g->labels) : NULL;
    if (lv) bk->to_device(bk, lv, labels, sizeof(int32_t) * (size_t)e->batch);
}

/* ---- running ---- */

static void run_kernel(Exec *e, int i, int k, void *const *bufs, const float *scalars)
{
    backend_kernel_run(e->bk, &e->kern[i * EXEC_KPN + k], bufs, scalars);
}

static void run_chain(Exec *e, int c, const float *seed)
{
    const ExecChain *ch = &e->chains[c];
    void *bufs[CG_MAX_BUFS];
    for (int k = 0; k < ch->nslots; k++) bufs[k] = exec_value(e, ch->slot[k]);
    e->bk->kernel_run(e->bk, &ch->k, bufs, seed);
}

static void run_xent(Exec *e, int i, const float *logits, float *dlogits)
{
    void *bufs[5] = {(void *)logits, e->labels, e->loss_rows, dlogits, e->correct};
    run_kernel(e, i, 0, bufs, e->xent_scalar);
}

static void concat_fwd(Exec *e, const GraphNode *nd)
{
    int64_t ctot, hw, c;
    chw(e, nd->out[0], &ctot, &hw);
    char *y = exec_value(e, nd->out[0]);
    int64_t off = 0;
    for (int k = 0; k < nd->nin; k++) {
        chw(e, nd->in[k], &c, &hw);
        e->bk->copy_rows(e->bk, y + off * hw * 4, (size_t)(ctot * hw * 4), exec_value(e, nd->in[k]),
                         (size_t)(c * hw * 4), (size_t)(c * hw * 4), e->batch);
        off += c;
    }
}

static void slice_bwd(Exec *e, const GraphNode *nd)
{
    int64_t ctot, hw;
    chw(e, nd->in[0], &ctot, &hw);
    const char *dy = exec_value(e, nd->in[0]);
    e->bk->copy_rows(e->bk, exec_value(e, nd->out[0]), (size_t)(nd->a.count * hw * 4),
                     dy + (int64_t)nd->a.begin * hw * 4, (size_t)(ctot * hw * 4), (size_t)(nd->a.count * hw * 4),
                     e->batch);
}

/* crop and its gradient: one strided copy per output row, each over all B*C planes. The
 * gradient zeroes dx first: the cropped border gets no gradient. */
static void crop_copy(Exec *e, const GraphNode *nd, bool bwd)
{
    const Graph *g = e->g;
    Dims x = dims_of(e, bwd ? nd->out[0] : nd->in[0]), y = dims_of(e, bwd ? nd->in[0] : nd->out[0]);
    char *big = exec_value(e, bwd ? nd->out[0] : nd->in[0]), *small = exec_value(e, bwd ? nd->in[0] : nd->out[0]);
    int64_t planes = x.d[0] * x.d[1], h = x.d[2], w = x.d[3], oh = y.d[2], ow = y.d[3];
    if (bwd) e->bk->fill_zero(e->bk, (float *)big, graph_shape_numel(&g->values[nd->out[0]].shape, e->batch));
    for (int64_t r = 0; r < oh; r++) {
        char *b = big + ((nd->a.crop[0] + r) * w + nd->a.crop[1]) * 4, *s = small + r * ow * 4;
        size_t bs = (size_t)(h * w * 4), ss = (size_t)(oh * ow * 4), row = (size_t)(ow * 4);
        if (bwd) e->bk->copy_rows(e->bk, b, bs, s, ss, row, planes);
        else e->bk->copy_rows(e->bk, s, ss, b, bs, row, planes);
    }
}

/* With profile on, charges the time since t0 to op (a chain: to its last node's op). */
static void profile_add(Exec *e, GraphOp op, double t0)
{
    if (!e->profile) return;
    e->bk->sync(e->bk);
    e->prof_s[op] += e->bk->now(e->bk) - t0;
    e->prof_n[op]++;
}

void exec_run(Exec *e, uint32_t step_seed)
{
    Graph *g = e->g;
    Backend *bk = e->bk;
    float seed_scalar;
    memcpy(&seed_scalar, &step_seed, 4);
    int ran_loss = 0;
    uint64_t reorders0 = e->profile && bk->act_reorders ? bk->act_reorders(bk) : 0;
    for (int i = 0; i < g->nnodes; i++) {
        if (!graph_node_in_mode(g, i, e->mode) || graph_node_is_view(g, i, e->mode)) continue;
        const GraphNode *nd = &g->nodes[i];
        int c = e->plan.chain_of[i];
        if (c >= 0) { /* a chain runs as one map at its last node */
            if (e->plan.step[i] != i) continue;
            double t0 = e->profile ? bk->now(bk) : 0;
            run_chain(e, c, &seed_scalar);
            profile_add(e, nd->op, t0);
            continue;
        }
        void *in[6] = {0}, *out[4] = {0};
        for (int k = 0; k < nd->nin && k < 6; k++) in[k] = exec_value(e, nd->in[k]);
        for (int k = 0; k < nd->nout && k < 4; k++) out[k] = exec_value(e, nd->out[k]);
        BkPlan *p = e->plans[i] ? e->plans[i] : nd->fwd >= 0 ? e->plans[nd->fwd] : NULL;
        double t0 = e->profile ? bk->now(bk) : 0;
        switch (nd->op) {
        case GOP_INPUT:
        case GOP_LABELS:
        case GOP_SOFTMAX_XENT_BWD: break; /* filled by exec_set_batch / computed with the loss */
        case GOP_CONV2D: bk->conv_fwd(bk, p, in[0], in[1], nd->a.has_bias ? in[2] : NULL, out[0]); break;
        case GOP_DENSE:
            bk->matmul(bk, p, in[0], in[1], out[0]);
            if (e->kern[i * EXEC_KPN].spec.nops) {
                void *b[2] = {out[0], in[2]};
                run_kernel(e, i, 0, b, NULL);
            }
            break;
        case GOP_BATCHNORM: /* training; inference is a map of a chain */
            bk->bn_fwd_train(bk, p, in[0], in[1], in[2], out[0], out[1], out[2], in[3], in[4]);
            break;
        case GOP_MAXPOOL:
        case GOP_AVGPOOL: bk->pool_fwd(bk, p, in[0], out[0]); break;
        case GOP_GLOBAL_AVGPOOL:
        case GOP_GLOBAL_AVGPOOL_BWD: {
            void *b[2] = {in[0], out[0]};
            if (!p) run_kernel(e, i, 0, b, NULL);
            else if (nd->op == GOP_GLOBAL_AVGPOOL) bk->pool_fwd(bk, p, in[0], out[0]);
            else bk->pool_bwd(bk, p, NULL, in[0], out[0]);
            break;
        }
        case GOP_CONCAT: concat_fwd(e, nd); break;
        case GOP_CROP:
        case GOP_CROP_BWD: crop_copy(e, nd, nd->op == GOP_CROP_BWD); break;
        case GOP_ZERO:
        case GOP_FILL_ZERO:
            bk->fill_zero(bk, out[0],
                          nd->op == GOP_ZERO ? numel(e, nd->out[0])
                                             : graph_shape_numel(&g->values[nd->out[0]].shape, 1));
            break;
        case GOP_SOFTMAX_XENT:
            run_xent(e, i, in[0], e->dlogits[i] >= 0 ? exec_value(e, e->dlogits[i]) : e->dlogits_scratch);
            ran_loss = 1;
            break;
        case GOP_CONV2D_BWD_DATA: bk->conv_bwd_data(bk, p, in[0], in[1], out[0]); break;
        case GOP_CONV2D_BWD_FILTER:
            bk->conv_bwd_filter(bk, p, in[0], in[1], out[0], nd->nout > 1 ? out[1] : NULL);
            break;
        case GOP_DENSE_BWD_DATA: bk->matmul(bk, p, in[0], in[1], out[0]); break;
        case GOP_DENSE_BWD_FILTER:
            bk->matmul(bk, p, in[1], in[0], out[0]);
            if (nd->nout > 1 && out[1]) {
                void *b[2] = {in[1], out[1]};
                run_kernel(e, i, 0, b, NULL);
            }
            break;
        case GOP_BATCHNORM_BWD: bk->bn_bwd(bk, p, in[0], in[1], in[2], in[3], in[4], out[0], out[1], out[2]); break;
        case GOP_MAXPOOL_BWD: bk->pool_bwd(bk, p, in[0], in[1], out[0]); break;
        case GOP_AVGPOOL_BWD: bk->pool_bwd(bk, p, NULL, in[0], out[0]); break;
        case GOP_MUL_CHANNEL_BWD: {
            void *b[4] = {in[0], in[1], in[2], out[0]};
            if (out[0]) run_kernel(e, i, 0, b, NULL);
            b[3] = out[1];
            if (out[1]) run_kernel(e, i, 1, b, NULL);
            break;
        }
        case GOP_SLICE_CHANNELS: slice_bwd(e, nd); break;
        default: break;
        }
        profile_add(e, nd->op, t0);
    }
    if (!ran_loss && e->xent_node >= 0) /* INFER: loss and accuracy of the logits */
        run_xent(e, e->xent_node, exec_value(e, g->logits), e->dlogits_scratch);
    if (e->profile) {
        e->prof_runs++;
        if (bk->act_reorders) e->prof_reorders += (int64_t)(bk->act_reorders(bk) - reorders0);
    }
}

void exec_batch_metrics(Exec *e, double *loss_sum, double *correct_sum)
{
    Backend *bk = e->bk;
    bk->to_host(bk, e->host_rows, e->loss_rows, sizeof(float) * (size_t)e->batch);
    bk->to_host(bk, e->host_rows + e->batch, e->correct, sizeof(float) * (size_t)e->batch);
    double l = 0, c = 0;
    for (int64_t i = 0; i < e->batch; i++) {
        l += e->host_rows[i];
        c += e->host_rows[e->batch + i];
    }
    *loss_sum = l;
    *correct_sum = c;
}

void exec_profile_print(const Exec *e, FILE *out)
{
    double total = 0;
    for (int k = 0; k < GOP_COUNT; k++) total += e->prof_s[k];
    fprintf(out, "profile (%s, batch %lld): %.3f s in nodes\n", e->mode == GRAPH_TRAIN ? "train" : "infer",
            (long long)e->batch, total);
    for (int k = 0; k < GOP_COUNT; k++)
        if (e->prof_n[k])
            fprintf(out, "  %-22s %8.3f s %5.1f%%  %8lld runs  %8.1f us/run\n", graph_op_name((GraphOp)k), e->prof_s[k],
                    total > 0 ? 100 * e->prof_s[k] / total : 0, (long long)e->prof_n[k],
                    1e6 * e->prof_s[k] / (double)e->prof_n[k]);
    if (e->prof_runs && e->bk->act_reorders)
        fprintf(out, "  activation reorders: %.1f per %s\n", (double)e->prof_reorders / (double)e->prof_runs,
                e->mode == GRAPH_TRAIN ? "step" : "batch");
}
