/* graph_shape.c — shape inference of the forward graph, parameter shapes and flat offsets. */
#include "graph_int.h"
#include <stdarg.h>
#include <string.h>

static int fail(GraphError *err, const Graph *g, int node, const char *fmt, ...)
{
    if (!err) return -1;
    err->node = node;
    int k = snprintf(err->msg, sizeof err->msg, "%s: ", graph_op_name(g->nodes[node].op));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + k, sizeof err->msg - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static GraphShape shp(int rank, int64_t d0, int64_t d1, int64_t d2, int64_t d3, bool batched)
{
    GraphShape s = {rank, {d0, d1, d2, d3}, batched};
    return s;
}

bool graph_shape_equal(const GraphShape *a, const GraphShape *b)
{
    if (a->rank != b->rank) return false;
    for (int i = 0; i < a->rank; i++)
        if (a->d[i] != b->d[i]) return false;
    return true;
}

/* Output extent of a sliding window; -1 if the window does not fit. */
static int64_t window_out(int64_t in, int k, int s, int p)
{
    if (in + 2 * p < k) return -1;
    return (in + 2 * p - k) / s + 1;
}

/* The rows (columns) a kernel of k taps spans at dilation d. */
static int span(int k, int d) { return (k - 1) * d + 1; }

/* Validates kernel/stride/dilation/padding attributes and resolves ph/pw; 0 or -1. */
static int window_attrs(Graph *g, int n, GraphError *err)
{
    GraphAttr *a = &g->nodes[n].a;
    if (a->kh < 1 || a->kw < 1) return fail(err, g, n, "kernel %dx%d must be positive", a->kh, a->kw);
    if (a->sh < 1 || a->sw < 1) return fail(err, g, n, "stride %d must be positive", a->sh);
    if (a->dh < 1 || a->dw < 1) return fail(err, g, n, "dilation %d must be positive", a->dh);
    if (a->pad == GPAD_SAME) {
        if (a->kh % 2 == 0 || a->kw % 2 == 0)
            return fail(err, g, n, "padding 'same' needs an odd kernel, got %dx%d", a->kh, a->kw);
        a->ph = (span(a->kh, a->dh) - 1) / 2;
        a->pw = (span(a->kw, a->dw) - 1) / 2;
    } else {
        a->ph = a->pw = 0;
    }
    return 0;
}

static int window_shape(Graph *g, int n, const GraphShape *x, int64_t c, GraphShape *y, GraphError *err)
{
    const GraphAttr *a = &g->nodes[n].a;
    char b[64];
    int ekh = span(a->kh, a->dh), ekw = span(a->kw, a->dw);
    int64_t oh = window_out(x->d[1], ekh, a->sh, a->ph);
    int64_t ow = window_out(x->d[2], ekw, a->sw, a->pw);
    if (oh < 1 || ow < 1) {
        if (ekh != a->kh || ekw != a->kw)
            return fail(err, g, n, "kernel %dx%d dilated by %d (spanning %dx%d) larger than the padded input %s", a->kh,
                        a->kw, a->dh, ekh, ekw, graph_dims_str(x, b, sizeof b));
        return fail(err, g, n, "kernel %dx%d larger than the padded input %s", a->kh, a->kw,
                    graph_dims_str(x, b, sizeof b));
    }
    *y = shp(3, c, oh, ow, 0, true);
    return 0;
}

static void set_param(Graph *g, int v, GraphShape s, GraphInit init, int fan_in)
{
    GraphValue *pv = &g->values[v];
    pv->shape = s;
    pv->init = init;
    pv->fan_in = fan_in;
    int64_t numel = graph_shape_numel(&s, 1);
    if (pv->storage == GSTORE_STATE) {
        pv->flat = g->nstate;
        g->nstate += numel;
    } else {
        pv->flat = g->nparams;
        g->nparams += numel;
    }
}

/* Checks input k of node n is an earlier float activation; its shape in *s. */
static int act_in(Graph *g, int n, int k, const GraphShape **s, GraphError *err)
{
    const GraphNode *nd = &g->nodes[n];
    int v = nd->in[k];
    if (v < 0 || v >= g->nvalues || (nd->nout > 0 && v >= nd->out[0]))
        return fail(err, g, n, "input %d is not a value (id %d)", k, v);
    const GraphValue *val = &g->values[v];
    if (val->storage != GSTORE_ARENA || val->producer < 0 || val->producer >= n ||
        g->nodes[val->producer].phase != GPHASE_FORWARD || val->train_only)
        return fail(err, g, n, "input %d (value %d) is not an activation", k, v);
    *s = &val->shape;
    return 0;
}

static int need_rank(Graph *g, int n, const GraphShape *x, int rank, GraphError *err)
{
    char b[64];
    if (x->rank == rank) return 0;
    if (rank == 1) return fail(err, g, n, "input %s is not flat; flatten it first", graph_dims_str(x, b, sizeof b));
    return fail(err, g, n, "input %s must have %d dimensions [C,H,W]", graph_dims_str(x, b, sizeof b), rank);
}

int graph_infer_node(Graph *g, int n, GraphError *err)
{
    GraphNode *nd = &g->nodes[n];
    GraphAttr *a = &nd->a;
    GraphValue *V = g->values;
    const GraphShape *x = NULL, *x2 = NULL;
    GraphShape y = {0, {0}, true};
    char b1[64], b2[64];

    switch (nd->op) {
    case GOP_INPUT: {
        const GraphShape *s = &V[nd->out[0]].shape;
        if (s->rank < 1 || s->rank > 3)
            return fail(err, g, n, "input must have 1 to 3 dimensions (batch excluded), got %d", s->rank);
        for (int i = 0; i < s->rank; i++)
            if (s->d[i] < 1) return fail(err, g, n, "dimension %d of the input is %lld", i, (long long)s->d[i]);
        y = *s;
        y.batched = true;
        break;
    }
    case GOP_LABELS: y = shp(0, 0, 0, 0, 0, true); break;
    case GOP_CONV2D: {
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 3, err) || window_attrs(g, n, err)) return -1;
        int64_t c = x->d[0];
        if (a->depthwise) a->groups = a->out = (int)c;
        if (a->out < 1) return fail(err, g, n, "output channels %d must be positive", a->out);
        if (a->groups < 1 || c % a->groups || a->out % a->groups)
            return fail(err, g, n, "groups %d must divide input channels %lld and output channels %d", a->groups,
                        (long long)c, a->out);
        if (window_shape(g, n, x, a->out, &y, err)) return -1;
        int cg = (int)(c / a->groups);
        set_param(g, nd->in[1], shp(4, a->out, cg, a->kh, a->kw, false), GINIT_HE_NORMAL, cg * a->kh * a->kw);
        if (a->has_bias) set_param(g, nd->in[2], shp(1, a->out, 0, 0, 0, false), GINIT_ZERO, 0);
        break;
    }
    case GOP_DENSE:
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 1, err)) return -1;
        if (a->out < 1) return fail(err, g, n, "output features %d must be positive", a->out);
        y = shp(1, a->out, 0, 0, 0, true);
        set_param(g, nd->in[1], shp(2, a->out, x->d[0], 0, 0, false), GINIT_HE_NORMAL, (int)x->d[0]);
        if (a->has_bias) set_param(g, nd->in[2], shp(1, a->out, 0, 0, 0, false), GINIT_ZERO, 0);
        break;
    case GOP_BATCHNORM: {
        if (act_in(g, n, 0, &x, err)) return -1;
        if (x->rank != 1 && x->rank != 3)
            return fail(err, g, n, "input %s must be [C,H,W] or [C]", graph_dims_str(x, b1, sizeof b1));
        if (!(a->eps > 0)) return fail(err, g, n, "eps must be positive");
        if (!(a->momentum >= 0 && a->momentum <= 1)) return fail(err, g, n, "momentum must be in [0, 1]");
        GraphShape c = shp(1, x->d[0], 0, 0, 0, false);
        static const GraphInit init[4] = {GINIT_ONE, GINIT_ZERO, GINIT_ZERO, GINIT_ONE};
        for (int k = 0; k < 4; k++) set_param(g, nd->in[1 + k], c, init[k], 0);
        V[nd->out[1]].shape = c;
        V[nd->out[2]].shape = c;
        y = *x;
        break;
    }
    case GOP_ACT:
        if (act_in(g, n, 0, &x, err)) return -1;
        if ((unsigned)a->act >= GACT_COUNT) return fail(err, g, n, "unknown activation %d", (int)a->act);
        y = *x;
        break;
    case GOP_MAXPOOL:
    case GOP_AVGPOOL:
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 3, err) || window_attrs(g, n, err) ||
            window_shape(g, n, x, x->d[0], &y, err))
            return -1;
        break;
    case GOP_GLOBAL_AVGPOOL:
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 3, err)) return -1;
        y = shp(1, x->d[0], 0, 0, 0, true);
        break;
    case GOP_FLATTEN:
        if (act_in(g, n, 0, &x, err)) return -1;
        y = shp(1, graph_shape_numel(x, 1), 0, 0, 0, true);
        break;
    case GOP_DROPOUT:
        if (act_in(g, n, 0, &x, err)) return -1;
        if (!(a->p >= 0 && a->p < 1)) return fail(err, g, n, "probability %g must be in [0, 1)", (double)a->p);
        y = *x;
        V[nd->out[1]].shape = *x;
        break;
    case GOP_ADD:
        if (act_in(g, n, 0, &x, err) || act_in(g, n, 1, &x2, err)) return -1;
        if (!graph_shape_equal(x, x2))
            return fail(err, g, n, "shapes %s and %s differ", graph_dims_str(x, b1, sizeof b1),
                        graph_dims_str(x2, b2, sizeof b2));
        y = *x;
        break;
    case GOP_CONCAT: {
        if (nd->nin < 1) return fail(err, g, n, "needs at least one input");
        int64_t c = 0;
        for (int k = 0; k < nd->nin; k++) {
            if (act_in(g, n, k, &x2, err)) return -1;
            if (k == 0) x = x2;
            if (x2->rank != 1 && x2->rank != 3)
                return fail(err, g, n, "input %d %s must be [C,H,W] or [C]", k, graph_dims_str(x2, b1, sizeof b1));
            if (x2->rank != x->rank || (x->rank == 3 && (x2->d[1] != x->d[1] || x2->d[2] != x->d[2])))
                return fail(err, g, n, "input %d %s does not match input 0 %s outside the channels", k,
                            graph_dims_str(x2, b1, sizeof b1), graph_dims_str(x, b2, sizeof b2));
            c += x2->d[0];
        }
        y = *x;
        y.d[0] = c;
        break;
    }
    case GOP_MUL_CHANNEL:
        if (act_in(g, n, 0, &x, err) || act_in(g, n, 1, &x2, err) || need_rank(g, n, x, 3, err)) return -1;
        if (x2->rank != 1 || x2->d[0] != x->d[0])
            return fail(err, g, n, "scale %s must be [%lld] for input %s", graph_dims_str(x2, b1, sizeof b1),
                        (long long)x->d[0], graph_dims_str(x, b2, sizeof b2));
        y = *x;
        break;
    case GOP_IDENTITY:
        if (act_in(g, n, 0, &x, err)) return -1;
        y = *x;
        break;
    case GOP_ZERO:
        if (act_in(g, n, 0, &x, err)) return -1;
        if (a->sh < 1) return fail(err, g, n, "stride %d must be positive", a->sh);
        y = *x;
        if (a->sh > 1) {
            if (x->rank != 3)
                return fail(err, g, n, "a stride needs an input [C,H,W], got %s", graph_dims_str(x, b1, sizeof b1));
            y.d[1] = (x->d[1] + a->sh - 1) / a->sh;
            y.d[2] = (x->d[2] + a->sw - 1) / a->sw;
        }
        break;
    case GOP_CROP: {
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 3, err)) return -1;
        const int *c = a->crop;
        if (c[0] < 0 || c[1] < 0 || c[2] < 0 || c[3] < 0)
            return fail(err, g, n, "the rows and columns to remove (%d, %d, %d, %d) must not be negative", c[0], c[1],
                        c[2], c[3]);
        y = *x;
        y.d[1] = x->d[1] - c[0] - c[2];
        y.d[2] = x->d[2] - c[1] - c[3];
        if (y.d[1] < 1 || y.d[2] < 1)
            return fail(err, g, n, "removing %d rows and %d columns leaves nothing of the input %s", c[0] + c[2],
                        c[1] + c[3], graph_dims_str(x, b1, sizeof b1));
        break;
    }
    case GOP_SOFTMAX_XENT: {
        if (act_in(g, n, 0, &x, err) || need_rank(g, n, x, 1, err)) return -1;
        int l = nd->in[1];
        if (l < 0 || l >= g->nvalues || V[l].dtype != GDT_I32 || V[l].producer < 0 ||
            g->nodes[V[l].producer].op != GOP_LABELS)
            return fail(err, g, n, "input 1 (value %d) is not the labels", l);
        y = shp(0, 0, 0, 0, 0, true);
        break;
    }
    default: return fail(err, g, n, "not a forward op");
    }
    V[nd->out[0]].shape = y;
    return 0;
}

int graph_infer_shapes(Graph *g, GraphError *err)
{
    if (g->error.node >= 0) { /* sticky: recorded during construction */
        if (err) *err = g->error;
        return -1;
    }
    g->nparams = g->nstate = 0;
    g->shapes_ok = false;
    for (int n = 0; n < g->nfwd; n++)
        if (graph_infer_node(g, n, err)) return -1;
    if (err) {
        err->node = -1;
        err->msg[0] = '\0';
    }
    g->shapes_ok = true;
    return 0;
}

int64_t graph_shape_numel(const GraphShape *s, int64_t batch)
{
    int64_t n = s->batched ? batch : 1;
    for (int i = 0; i < s->rank; i++) n *= s->d[i];
    return n;
}

int64_t graph_value_bytes(const Graph *g, int v, int64_t batch)
{
    return graph_shape_numel(&g->values[v].shape, batch) * 4; /* f32 and i32 */
}

int graph_value_dims(const Graph *g, int v, int64_t batch, int64_t dims[GRAPH_MAX_RANK + 1])
{
    const GraphShape *s = &g->values[v].shape;
    int r = 0;
    if (s->batched) dims[r++] = batch;
    for (int i = 0; i < s->rank; i++) dims[r++] = s->d[i];
    return r;
}

static const char *dims_str(const GraphShape *s, bool with_batch, char *buf, size_t n)
{
    size_t k = 0;
    k += (size_t)snprintf(buf, n, "[%s", with_batch && s->batched ? "B" : "");
    for (int i = 0; i < s->rank && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", (i || (with_batch && s->batched)) ? "," : "",
                              (long long)s->d[i]);
    if (k < n) snprintf(buf + k, n - k, "]");
    return buf;
}

const char *graph_shape_str(const GraphShape *s, char *buf, size_t n) { return dims_str(s, true, buf, n); }
const char *graph_dims_str(const GraphShape *s, char *buf, size_t n) { return dims_str(s, false, buf, n); }
