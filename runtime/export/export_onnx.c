/* export_onnx.c — the inference graph as an ONNX model (opset 13, IR version 7), built as the
 * protobuf-c structs generated from Debian's onnx.proto and packed in one call. Every struct
 * lives in one arena, freed when the file is written.
 *
 * Op by op: conv2d -> Conv (group, strides, symmetric pads); dense -> Gemm (transB = 1);
 * batchnorm -> BatchNormalization with the running statistics; relu, sigmoid, tanh -> the op of
 * that name; relu6 -> Clip(0, 6); swish -> x * Sigmoid(x); gelu (nas's tanh form) ->
 * 0.5 x (1 + Tanh(sqrt(2/pi) (x + 0.044715 x^3))); maxpool -> MaxPool; avgpool -> AveragePool
 * (count_include_pad 0, as nas excludes padding); global_avgpool -> GlobalAveragePool then
 * Flatten (nas's result is [C]); flatten -> Flatten; add -> Add; concat -> Concat(axis 1);
 * squeeze-excite's scale -> Unsqueeze to [N,C,1,1] then Mul; dropout, identity -> Identity;
 * zero -> ConstantOfShape of the (strided) input's shape. Nodes whose result does not reach
 * the logits are left out, with their weights. */
#include "export_int.h"
#include "weights.h"
#include "onnx.pb-c.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPSET = 13, IR_VERSION = 7 };

typedef struct Onnx {
    Arena *a;
    const ExportModel *m;
    Onnx__NodeProto **nodes;
    size_t nnodes, capnodes;
    Onnx__TensorProto **inits;
    size_t ninits, capinits;
    int tmp;    /* numbering of the intermediate names of multi-node ops */
    const bool *live; /* per forward node: reaches the logits (graph_live) */
} Onnx;

static void *grow(Arena *a, void *old, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return old;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = arena_alloc(a, nc * elem);
    if (old) memcpy(p, old, n * elem);
    *cap = nc;
    return p;
}

static const char *vname(Onnx *o, int v) { return arena_printf(o->a, "v%d", v); }
static const char *tmpname(Onnx *o) { return arena_printf(o->a, "t%d", o->tmp++); }

static Onnx__NodeProto *node(Onnx *o, const char *op, int nin, const char *const *in, const char *out)
{
    Onnx__NodeProto *n = ARENA_NEW(o->a, Onnx__NodeProto);
    onnx__node_proto__init(n);
    n->op_type = (char *)op;
    n->name = arena_printf(o->a, "%s_%zu", op, o->nnodes);
    n->n_input = (size_t)nin;
    n->input = ARENA_ARRAY(o->a, char *, nin ? nin : 1);
    for (int i = 0; i < nin; i++) n->input[i] = (char *)in[i];
    n->n_output = 1;
    n->output = ARENA_ARRAY(o->a, char *, 1);
    n->output[0] = (char *)out;
    o->nodes = grow(o->a, o->nodes, o->nnodes, &o->capnodes, sizeof *o->nodes);
    o->nodes[o->nnodes++] = n;
    return n;
}

static Onnx__AttributeProto *attr(Onnx *o, Onnx__NodeProto *n, const char *name)
{
    Onnx__AttributeProto **old = n->attribute;
    n->attribute = ARENA_ARRAY(o->a, Onnx__AttributeProto *, n->n_attribute + 1);
    if (old) memcpy(n->attribute, old, n->n_attribute * sizeof *old);
    Onnx__AttributeProto *at = ARENA_NEW(o->a, Onnx__AttributeProto);
    onnx__attribute_proto__init(at);
    at->name = (char *)name;
    at->has_type = 1;
    n->attribute[n->n_attribute++] = at;
    return at;
}

static void attr_int(Onnx *o, Onnx__NodeProto *n, const char *name, int64_t v)
{
    Onnx__AttributeProto *at = attr(o, n, name);
    at->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
    at->has_i = 1;
    at->i = v;
}

static void attr_float(Onnx *o, Onnx__NodeProto *n, const char *name, float v)
{
    Onnx__AttributeProto *at = attr(o, n, name);
    at->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
    at->has_f = 1;
    at->f = v;
}

static void attr_ints(Onnx *o, Onnx__NodeProto *n, const char *name, int cnt, const int64_t *v)
{
    Onnx__AttributeProto *at = attr(o, n, name);
    at->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
    at->n_ints = (size_t)cnt;
    at->ints = ARENA_ARRAY(o->a, int64_t, cnt);
    memcpy(at->ints, v, sizeof *v * (size_t)cnt);
}

static Onnx__TensorProto *tensor(Onnx *o, const char *name, int dtype, int rank, const int64_t *dims, const void *data,
                                 size_t bytes)
{
    Onnx__TensorProto *t = ARENA_NEW(o->a, Onnx__TensorProto);
    onnx__tensor_proto__init(t);
    t->name = (char *)name;
    t->has_data_type = 1;
    t->data_type = dtype;
    t->n_dims = (size_t)rank;
    t->dims = ARENA_ARRAY(o->a, int64_t, rank ? rank : 1);
    memcpy(t->dims, dims, sizeof *dims * (size_t)rank);
    /* raw_data is little-endian, as the host's memory (weights.c refuses other hosts) */
    t->has_raw_data = 1;
    t->raw_data.len = bytes;
    t->raw_data.data = arena_alloc(o->a, bytes ? bytes : 1);
    memcpy(t->raw_data.data, data, bytes);
    return t;
}

static void initializer(Onnx *o, Onnx__TensorProto *t)
{
    o->inits = grow(o->a, o->inits, o->ninits, &o->capinits, sizeof *o->inits);
    o->inits[o->ninits++] = t;
}

/* A named float constant: a scalar (rank 0) or a vector. */
static const char *constant(Onnx *o, const char *name, int n, const float *v)
{
    int64_t d = n;
    initializer(o,
                tensor(o, name, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, n > 1 ? 1 : 0, &d, v, sizeof(float) * (size_t)n));
    return name;
}

static const char *scalar(Onnx *o, float v) { return constant(o, arena_printf(o->a, "c%d", o->tmp++), 1, &v); }

static const char *ints_const(Onnx *o, int n, const int64_t *v)
{
    const char *name = arena_printf(o->a, "c%d", o->tmp++);
    int64_t d = n;
    initializer(o, tensor(o, name, ONNX__TENSOR_PROTO__DATA_TYPE__INT64, 1, &d, v, sizeof(int64_t) * (size_t)n));
    return name;
}

/* The graph's parameters and state under their weights-file names. */
static void weights_init(Onnx *o)
{
    const Graph *g = o->m->g;
    for (int v = 0; v < g->nvalues; v++) {
        const GraphValue *val = &g->values[v];
        if ((val->storage != GSTORE_PARAM && val->storage != GSTORE_STATE) || !export_value_live(g, o->live, v))
            continue;
        char name[WEIGHTS_NAME_MAX];
        weights_name(g, v, name);
        if (!name[0]) continue; /* read by no forward node */
        int64_t dims[GRAPH_MAX_RANK + 1];
        int rank = graph_value_dims(g, v, 1, dims);
        const float *data = (val->storage == GSTORE_PARAM ? o->m->params : o->m->state) + val->flat;
        initializer(o, tensor(o, arena_strdup(o->a, name), ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, rank, dims, data,
                              sizeof(float) * (size_t)graph_shape_numel(&val->shape, 1)));
    }
}

static const char *param(Onnx *o, int v)
{
    char name[WEIGHTS_NAME_MAX];
    weights_name(o->m->g, v, name);
    return arena_strdup(o->a, name);
}

static const char *unary(Onnx *o, const char *op, const char *x, const char *out)
{
    node(o, op, 1, &x, out);
    return out;
}

static const char *binary(Onnx *o, const char *op, const char *a, const char *b, const char *out)
{
    const char *in[2] = {a, b};
    node(o, op, 2, in, out);
    return out;
}

static void window(Onnx *o, Onnx__NodeProto *n, const GraphAttr *a)
{
    int64_t k[2] = {a->kh, a->kw}, s[2] = {a->sh, a->sw}, p[4] = {a->ph, a->pw, a->ph, a->pw};
    attr_ints(o, n, "kernel_shape", 2, k);
    attr_ints(o, n, "strides", 2, s);
    attr_ints(o, n, "pads", 4, p);
}

static void activation(Onnx *o, GraphAct act, const char *x, const char *y)
{
    switch (act) {
    case GACT_RELU: unary(o, "Relu", x, y); break;
    case GACT_SIGMOID: unary(o, "Sigmoid", x, y); break;
    case GACT_TANH: unary(o, "Tanh", x, y); break;
    case GACT_RELU6: {
        const char *in[3] = {x, scalar(o, 0), scalar(o, 6)};
        node(o, "Clip", 3, in, y);
        break;
    }
    case GACT_SWISH: binary(o, "Mul", x, unary(o, "Sigmoid", x, tmpname(o)), y); break;
    case GACT_GELU: {
        const char *x3 = binary(o, "Mul", binary(o, "Mul", x, x, tmpname(o)), x, tmpname(o));
        const char *in = binary(o, "Add", x, binary(o, "Mul", x3, scalar(o, 0.044715f), tmpname(o)), tmpname(o));
        const char *t = unary(o, "Tanh", binary(o, "Mul", in, scalar(o, 0.7978845608f), tmpname(o)), tmpname(o));
        const char *half = binary(o, "Mul", x, scalar(o, 0.5f), tmpname(o));
        binary(o, "Mul", half, binary(o, "Add", t, scalar(o, 1), tmpname(o)), y);
        break;
    }
    case GACT_COUNT: break;
    }
}

static int forward_node(Onnx *o, int i, char *err, size_t errsize)
{
    const Graph *g = o->m->g;
    const GraphNode *nd = &g->nodes[i];
    const GraphAttr *a = &nd->a;
    if (nd->op == GOP_INPUT || nd->op == GOP_LABELS || nd->op == GOP_SOFTMAX_XENT) return 0;
    const char *y = vname(o, nd->out[0]), *x = nd->nin ? vname(o, nd->in[0]) : NULL;
    Onnx__NodeProto *n;
    switch (nd->op) {
    case GOP_CONV2D: {
        const char *in[3] = {x, param(o, nd->in[1]), a->has_bias ? param(o, nd->in[2]) : NULL};
        n = node(o, "Conv", a->has_bias ? 3 : 2, in, y);
        window(o, n, a);
        attr_ints(o, n, "dilations", 2, (const int64_t[]){a->dh, a->dw});
        attr_int(o, n, "group", a->groups);
        break;
    }
    case GOP_DENSE: {
        const char *in[3] = {x, param(o, nd->in[1]), a->has_bias ? param(o, nd->in[2]) : NULL};
        n = node(o, "Gemm", a->has_bias ? 3 : 2, in, y);
        attr_int(o, n, "transB", 1);
        break;
    }
    case GOP_BATCHNORM: {
        const char *in[5] = {x, param(o, nd->in[1]), param(o, nd->in[2]), param(o, nd->in[3]), param(o, nd->in[4])};
        n = node(o, "BatchNormalization", 5, in, y);
        attr_float(o, n, "epsilon", a->eps);
        break;
    }
    case GOP_ACT: activation(o, a->act, x, y); break;
    case GOP_MAXPOOL:
    case GOP_AVGPOOL:
        n = node(o, nd->op == GOP_MAXPOOL ? "MaxPool" : "AveragePool", 1, &x, y);
        window(o, n, a);
        if (nd->op == GOP_AVGPOOL) attr_int(o, n, "count_include_pad", 0);
        break;
    case GOP_GLOBAL_AVGPOOL:
        n = node(o, "Flatten", 1, (const char *[]){unary(o, "GlobalAveragePool", x, tmpname(o))}, y);
        attr_int(o, n, "axis", 1);
        break;
    case GOP_FLATTEN:
        n = node(o, "Flatten", 1, &x, y);
        attr_int(o, n, "axis", 1);
        break;
    case GOP_DROPOUT:
    case GOP_IDENTITY: unary(o, "Identity", x, y); break;
    case GOP_ADD: binary(o, "Add", x, vname(o, nd->in[1]), y); break;
    case GOP_CONCAT: {
        const char **in = ARENA_ARRAY(o->a, const char *, nd->nin);
        for (int k = 0; k < nd->nin; k++) in[k] = vname(o, nd->in[k]);
        n = node(o, "Concat", nd->nin, in, y);
        attr_int(o, n, "axis", 1);
        break;
    }
    case GOP_MUL_CHANNEL: {
        static const int64_t axes[2] = {2, 3};
        const char *s4 = binary(o, "Unsqueeze", vname(o, nd->in[1]), ints_const(o, 2, axes), tmpname(o));
        binary(o, "Mul", x, s4, y);
        break;
    }
    case GOP_CROP: {
        const GraphShape *xs = &g->values[nd->in[0]].shape;
        const int64_t starts[2] = {a->crop[0], a->crop[1]}, ends[2] = {xs->d[1] - a->crop[2], xs->d[2] - a->crop[3]},
                      axes[2] = {2, 3};
        const char *in[4] = {x, ints_const(o, 2, starts), ints_const(o, 2, ends), ints_const(o, 2, axes)};
        node(o, "Slice", 4, in, y);
        break;
    }
    case GOP_ZERO: {
        const char *src = x;
        if (a->sh > 1) {
            /* every stride-th row and column from the first: ceil(H / s) of them, as nas's shape */
            const int64_t starts[2] = {0, 0}, ends[2] = {INT64_MAX, INT64_MAX}, axes[2] = {2, 3},
                          steps[2] = {a->sh, a->sw};
            const char *in[5] = {x, ints_const(o, 2, starts), ints_const(o, 2, ends), ints_const(o, 2, axes),
                                 ints_const(o, 2, steps)};
            src = tmpname(o);
            node(o, "Slice", 5, in, src);
        }
        n = node(o, "ConstantOfShape", 1, (const char *[]){unary(o, "Shape", src, tmpname(o))}, y);
        Onnx__AttributeProto *at = attr(o, n, "value");
        at->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
        static const float zero = 0;
        static const int64_t one = 1;
        at->t = tensor(o, "zero", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, &one, &zero, sizeof zero);
        break;
    }
    default: snprintf(err, errsize, "node %d: %s has no ONNX form", i, graph_op_name(nd->op)); return -1;
    }
    return 0;
}

/* [N, dims...] of value v, float. */
static Onnx__ValueInfoProto *value_info(Onnx *o, const char *name, int v)
{
    const GraphShape *s = &o->m->g->values[v].shape;
    Onnx__TensorShapeProto *sh = ARENA_NEW(o->a, Onnx__TensorShapeProto);
    onnx__tensor_shape_proto__init(sh);
    sh->n_dim = (size_t)s->rank + 1;
    sh->dim = ARENA_ARRAY(o->a, Onnx__TensorShapeProto__Dimension *, sh->n_dim);
    for (size_t d = 0; d < sh->n_dim; d++) {
        Onnx__TensorShapeProto__Dimension *dim = ARENA_NEW(o->a, Onnx__TensorShapeProto__Dimension);
        onnx__tensor_shape_proto__dimension__init(dim);
        if (d == 0) {
            dim->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
            dim->dim_param = "N";
        } else {
            dim->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
            dim->dim_value = s->d[d - 1];
        }
        sh->dim[d] = dim;
    }
    Onnx__TypeProto__Tensor *tt = ARENA_NEW(o->a, Onnx__TypeProto__Tensor);
    onnx__type_proto__tensor__init(tt);
    tt->has_elem_type = 1;
    tt->elem_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    tt->shape = sh;
    Onnx__TypeProto *tp = ARENA_NEW(o->a, Onnx__TypeProto);
    onnx__type_proto__init(tp);
    tp->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    tp->tensor_type = tt;
    Onnx__ValueInfoProto *vi = ARENA_NEW(o->a, Onnx__ValueInfoProto);
    onnx__value_info_proto__init(vi);
    vi->name = (char *)name;
    vi->type = tp;
    return vi;
}

static int build(Onnx *o, Onnx__ModelProto *model, char *err, size_t errsize)
{
    const ExportModel *m = o->m;
    const Graph *g = m->g;
    weights_init(o);
    /* the dataset's normalisation, as nodes: the model takes what the files hold */
    const char *x = "input";
    if (m->normalize)
        x = binary(o, "Div", binary(o, "Sub", x, constant(o, "input_mean", 1, &m->mean), tmpname(o)),
                   constant(o, "input_std", 1, &m->std), tmpname(o));
    unary(o, "Identity", x, vname(o, g->input));
    for (int i = 0; i < g->nfwd; i++)
        if (g->nodes[i].phase == GPHASE_FORWARD && o->live[i] && forward_node(o, i, err, errsize)) return -1;
    unary(o, "Identity", vname(o, g->logits), "logits");

    Onnx__GraphProto *gp = ARENA_NEW(o->a, Onnx__GraphProto);
    onnx__graph_proto__init(gp);
    gp->name = (char *)(m->name ? m->name : "nas");
    gp->n_node = o->nnodes;
    gp->node = o->nodes;
    gp->n_initializer = o->ninits;
    gp->initializer = o->inits;
    gp->n_input = gp->n_output = 1;
    gp->input = ARENA_ARRAY(o->a, Onnx__ValueInfoProto *, 1);
    gp->output = ARENA_ARRAY(o->a, Onnx__ValueInfoProto *, 1);
    gp->input[0] = value_info(o, "input", g->input);
    gp->output[0] = value_info(o, "logits", g->logits);
    gp->doc_string = arena_printf(o->a, "architecture %s of %s, trained by nas", m->name ? m->name : "?",
                                  m->source_name ? m->source_name : "?");

    Onnx__OperatorSetIdProto *ops = ARENA_NEW(o->a, Onnx__OperatorSetIdProto);
    onnx__operator_set_id_proto__init(ops);
    ops->domain = "";
    ops->has_version = 1;
    ops->version = OPSET;
    onnx__model_proto__init(model);
    model->has_ir_version = 1;
    model->ir_version = IR_VERSION;
    model->n_opset_import = 1;
    model->opset_import = ARENA_ARRAY(o->a, Onnx__OperatorSetIdProto *, 1);
    model->opset_import[0] = ops;
    model->producer_name = "nas";
    model->producer_version = NAS_VERSION;
    model->graph = gp;
    return 0;
}

int export_onnx(const ExportModel *m, const char *path, char *err, size_t errsize)
{
    Arena a;
    arena_init(&a);
    Onnx o = {.a = &a, .m = m, .live = graph_live(m->g, true)};
    Onnx__ModelProto model;
    int rc = build(&o, &model, err, errsize);
    if (rc == 0) {
        size_t n = onnx__model_proto__get_packed_size(&model);
        uint8_t *buf = malloc(n ? n : 1);
        FILE *f = buf ? fopen(path, "wb") : NULL;
        if (!f || onnx__model_proto__pack(&model, buf) != n || fwrite(buf, 1, n, f) != n) rc = -1;
        if (f && fclose(f) != 0) rc = -1;
        if (rc) snprintf(err, errsize, "%s: cannot write: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf);
    }
    arena_free(&a);
    return rc;
}
