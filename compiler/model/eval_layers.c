/* eval_layers.c — the built-in layers of std.layers (their `extern block` signatures) as
 * Graph IR ops. Arguments arrive bound to the signature's parameters, defaults filled in.
 * While lowering, layers produce tensors whose shapes eval_shape.c follows (in a scratch
 * graph, through eval_layer_op). */
#include "eval_int.h"
#include <string.h>

typedef struct Args {
    Eval *E;
    const Node *decl;
    Value **v;
    const Node *site;
} Args;

static Value *arg(const Args *A, const char *name)
{
    const NodeList *ps = &A->decl->fndef.params;
    for (int i = 0; i < ps->count; i++)
        if (strcmp(ps->items[i]->param.name, name) == 0) return A->v[i];
    return NULL;
}

/* Where argument `name` was written when the call gives it by keyword (`dilation = 0`), so
 * a bad value is reported at the value; else the call. */
static Loc arg_loc(const Args *A, const char *name)
{
    if (A->site->kind == N_CALL)
        for (int i = 0; i < A->site->call.args.count; i++) {
            const Node *a = A->site->call.args.items[i];
            if (a->kind == N_ARG && a->arg.name && !strcmp(a->arg.name, name)) return a->arg.value->loc;
        }
    return A->site->loc;
}

static bool get_int(const Args *A, const char *name, int lo, int *out)
{
    Value *v = arg(A, name);
    if (v && v->kind == V_INT && v->i >= lo && v->i <= (1 << 24)) {
        *out = (int)v->i;
        return true;
    }
    eval_fail(A->E, arg_loc(A, name), "`%s`: `%s` must be an int >= %d here", A->decl->fndef.name, name, lo);
    return false;
}

/* How a float argument acts on the graph, for the whole-space check's sampled floats: FREE
 * (an attribute: batchnorm's momentum), RANGE (also checked against an interval: dropout's
 * rate; the ends of a decision's range cover it), SHAPES (sets sizes: squeeze_excite). */
typedef enum FloatUse { FLOAT_FREE, FLOAT_RANGE, FLOAT_SHAPES } FloatUse;

static bool get_float(const Args *A, const char *name, FloatUse use, double *out)
{
    Value *v = arg(A, name);
    if (v && (use == FLOAT_SHAPES ? v->sampled : use == FLOAT_RANGE ? v->sampled == SAMPLED_DERIVED : false))
        A->E->hooks->sampled_observed(A->E);
    if (v && (v->kind == V_FLOAT || v->kind == V_QUANTITY)) {
        *out = v->f;
        return true;
    }
    if (v && v->kind == V_INT) {
        *out = (double)v->i;
        return true;
    }
    eval_fail(A->E, A->site->loc, "`%s`: `%s` must be a number", A->decl->fndef.name, name);
    return false;
}

static bool get_bool(const Args *A, const char *name, bool *out)
{
    Value *v = arg(A, name);
    if (v && v->kind == V_BOOL) {
        *out = v->i != 0;
        return true;
    }
    eval_fail(A->E, A->site->loc, "`%s`: `%s` must be a bool", A->decl->fndef.name, name);
    return false;
}

static bool get_pad(const Args *A, GraphPad *out)
{
    Value *v = arg(A, "padding");
    if (v && v->kind == V_STRING && (!strcmp(v->s, "same") || !strcmp(v->s, "valid"))) {
        *out = !strcmp(v->s, "same") ? GPAD_SAME : GPAD_VALID;
        return true;
    }
    eval_fail(A->E, A->site->loc, "`%s`: padding must be \"same\" or \"valid\"", A->decl->fndef.name);
    return false;
}

static bool get_tensor(const Args *A, const char *name, int *out)
{
    Value *v = arg(A, name);
    if (v && v->kind == V_TENSOR) {
        *out = v->t;
        return true;
    }
    eval_fail(A->E, A->site->loc, "`%s`: `%s` must be a tensor, not a %s", A->decl->fndef.name, name,
              eval_value_kind(v));
    return false;
}

static bool get_tensors(const Args *A, const char *name, int *n, int **out)
{
    Value *v = arg(A, name);
    if (!v || v->kind != V_LIST || v->list.n == 0) {
        eval_fail(A->E, A->site->loc, "`%s`: `%s` must be a non-empty list of tensors", A->decl->fndef.name, name);
        return false;
    }
    *n = v->list.n;
    *out = ARENA_ARRAY(A->E->a, int, *n);
    for (int i = 0; i < *n; i++) {
        if (v->list.items[i]->kind != V_TENSOR) {
            eval_fail(A->E, A->site->loc, "`%s`: element %d of `%s` is a %s, not a tensor", A->decl->fndef.name, i,
                      name, eval_value_kind(v->list.items[i]));
            return false;
        }
        (*out)[i] = v->list.items[i]->t;
    }
    return true;
}

static const struct {
    const char *name;
    GraphAct act;
} acts[] = {
    {"relu", GACT_RELU}, {"relu6", GACT_RELU6}, {"sigmoid", GACT_SIGMOID},
    {"tanh", GACT_TANH}, {"swish", GACT_SWISH}, {"gelu", GACT_GELU},
};

/* Squeeze-and-excitation needs the channel count of its input: infer shapes so far. */
static int channels_of(Eval *E, int x)
{
    if (!eval_infer(E)) return -1;
    return E->g->values[x].shape.rank >= 1 ? (int)E->g->values[x].shape.d[0] : -1;
}

/* Here, beside the layers it scales, as the interpreter may not call its clients (model.c). */
int model_scaled_filters(int filters, double width)
{
    if (!(width > 0 && width < 1)) return filters;
    int f = (int)(filters * width + 0.5); /* round half up: both are positive */
    return f > 1 ? f : 1;
}

static int build(const Args *A)
{
    Eval *E = A->E;
    Graph *g = E->g;
    const char *n = A->decl->fndef.name;
    int x = -1, k, s, d, f, grp;
    bool bias;
    GraphPad pad;
    double r;
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++)
        if (!strcmp(n, acts[i].name)) return get_tensor(A, "x", &x) ? graph_act(g, x, acts[i].act) : -1;
    if (!strcmp(n, "conv2d")) {
        if (!get_tensor(A, "x", &x) || !get_int(A, "filters", 1, &f) || !get_int(A, "kernel", 1, &k) ||
            !get_int(A, "stride", 1, &s) || !get_int(A, "dilation", 1, &d) || !get_pad(A, &pad) ||
            !get_int(A, "groups", 1, &grp) || !get_bool(A, "bias", &bias))
            return -1;
        return graph_conv2d(g, x, model_scaled_filters(f, E->width), k, k, s, d, pad, grp, bias);
    }
    if (!strcmp(n, "depthwise_conv2d")) {
        int mult;
        if (!get_tensor(A, "x", &x) || !get_int(A, "kernel", 1, &k) || !get_int(A, "stride", 1, &s) ||
            !get_int(A, "dilation", 1, &d) || !get_pad(A, &pad) || !get_int(A, "multiplier", 1, &mult) ||
            !get_bool(A, "bias", &bias))
            return -1;
        if (mult != 1) {
            eval_fail(E, A->site->loc, "depthwise_conv2d: a channel multiplier other than 1 is not supported yet");
            return -1;
        }
        return graph_depthwise(g, x, k, s, d, pad, bias);
    }
    if (!strcmp(n, "pointwise")) {
        if (!get_tensor(A, "x", &x) || !get_int(A, "filters", 1, &f) || !get_bool(A, "bias", &bias)) return -1;
        return graph_pointwise(g, x, model_scaled_filters(f, E->width), bias);
    }
    if (!strcmp(n, "dense")) {
        if (!get_tensor(A, "x", &x) || !get_int(A, "units", 1, &f) || !get_bool(A, "bias", &bias)) return -1;
        return graph_dense(g, x, f, bias);
    }
    if (!strcmp(n, "batchnorm")) {
        double m, eps;
        if (!get_tensor(A, "x", &x) || !get_float(A, "momentum", FLOAT_FREE, &m) ||
            !get_float(A, "eps", FLOAT_FREE, &eps))
            return -1;
        return graph_batchnorm(g, x, (float)eps, (float)m);
    }
    if (!strcmp(n, "maxpool") || !strcmp(n, "avgpool")) {
        if (!get_tensor(A, "x", &x) || !get_int(A, "size", 1, &k) || !get_int(A, "stride", 0, &s) || !get_pad(A, &pad))
            return -1;
        if (s == 0) s = k;
        return n[0] == 'm' ? graph_maxpool(g, x, k, s, pad) : graph_avgpool(g, x, k, s, pad);
    }
    if (!strcmp(n, "crop")) {
        int c[4];
        if (!get_tensor(A, "x", &x) || !get_int(A, "above", 0, &c[0]) || !get_int(A, "left", 0, &c[1]) ||
            !get_int(A, "below", 0, &c[2]) || !get_int(A, "right", 0, &c[3]))
            return -1;
        return graph_crop(g, x, c[0], c[1], c[2], c[3]);
    }
    if (!strcmp(n, "global_avgpool")) return get_tensor(A, "x", &x) ? graph_global_avgpool(g, x) : -1;
    if (!strcmp(n, "flatten")) return get_tensor(A, "x", &x) ? graph_flatten(g, x) : -1;
    if (!strcmp(n, "identity")) return get_tensor(A, "x", &x) ? graph_identity(g, x) : -1;
    if (!strcmp(n, "zero")) return get_tensor(A, "x", &x) ? graph_zero(g, x, 1) : -1;
    if (!strcmp(n, "dropout")) {
        if (!get_tensor(A, "x", &x) || !get_float(A, "rate", FLOAT_RANGE, &r)) return -1;
        if (!(r >= 0 && r < 1)) {
            eval_fail(E, A->site->loc, "dropout: rate %g is outside [0, 1)", r);
            return -1;
        }
        return graph_dropout(g, x, (float)r);
    }
    if (!strcmp(n, "add") || !strcmp(n, "multiply")) {
        int y;
        if (!get_tensor(A, "x", &x) || !get_tensor(A, n[0] == 'a' ? "y" : "gate", &y)) return -1;
        return n[0] == 'a' ? graph_add(g, x, y) : graph_mul_channel(g, x, y);
    }
    if (!strcmp(n, "concat") || !strcmp(n, "sum")) {
        int cnt, *xs;
        if (!get_tensors(A, "xs", &cnt, &xs)) return -1;
        if (n[0] == 'c') return graph_concat(g, cnt, xs);
        int acc = xs[0];
        for (int i = 1; i < cnt; i++) acc = graph_add(g, acc, xs[i]);
        return cnt == 1 ? graph_identity(g, acc) : acc;
    }
    if (!strcmp(n, "squeeze_excite")) {
        if (!get_tensor(A, "x", &x) || !get_float(A, "ratio", FLOAT_SHAPES, &r)) return -1;
        int c = channels_of(E, x);
        if (c < 0) return -1;
        int mid = (int)(c * r) > 0 ? (int)(c * r) : 1;
        int sq = graph_global_avgpool(g, x);
        int h = graph_act(g, graph_dense(g, sq, mid, true), GACT_RELU);
        int gate = graph_act(g, graph_dense(g, h, c, true), GACT_SIGMOID);
        return graph_mul_channel(g, x, gate);
    }
    eval_fail(E, A->site->loc, "layer `%s` has no implementation in the graph phase", n);
    return -1;
}

Value *eval_layer(Eval *E, const Node *decl, Value **args, const Node *site)
{
    if (decl->fndef.is_fn) {
        eval_fail(E, site->loc, "`%s` is a function for rewards, not a layer", decl->fndef.name);
        return NULL;
    }
    if (E->lowering) return eval_lowered_layer(E, decl, args, site);
    eval_set_origin(E, site->loc);
    int r = eval_layer_op(E, decl, args, site);
    if (r < 0) return NULL;
    Value *t = eval_new(E, V_TENSOR);
    t->t = r;
    return t;
}

int eval_layer_op(Eval *E, const Node *decl, Value **args, const Node *site)
{
    Args A = {E, decl, args, site};
    return build(&A);
}
