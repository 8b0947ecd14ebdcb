/* eval_model.c — the model's body in the interpreter: its parameters bound, the body run
 * while lowering (decisions only) or to a graph with the training loss attached; and the
 * graph's bookkeeping (where each op comes from, shape inference with the error there). */
#include "eval_int.h"
#include <string.h>

void eval_set_origin(Eval *E, Loc loc)
{
    if (E->norigins == E->caporigins) {
        int cap = E->caporigins ? 2 * E->caporigins : 64;
        Loc *grown = ARENA_ARRAY(E->a, Loc, cap);
        if (E->norigins) memcpy(grown, E->origins, sizeof *grown * (size_t)E->norigins);
        E->origins = grown;
        E->caporigins = cap;
    }
    E->origins[E->norigins] = loc;
    E->g->origin = E->norigins++;
}

bool eval_infer(Eval *E)
{
    GraphError ge;
    if (graph_infer_shapes(E->g, &ge) == 0) return true;
    Loc at = {.file = -1};
    if (ge.node >= 0 && ge.node < E->g->nnodes) {
        int o = E->g->nodes[ge.node].origin;
        if (o >= 0 && o < E->norigins) at = E->origins[o];
    }
    eval_fail(E, at, "%s", ge.msg);
    return false;
}

static bool input_dims(Eval *E, const Node *param, int *rank, int64_t dims[GRAPH_MAX_RANK]);

/* Binds the model's parameters: the first is the input tensor, the rest need defaults.
 * input: the graph's input value (instantiate) or -1 (lowering: its shape, when declared,
 * for `x.channels`; the graph phase reports a missing one). */
static Binding *bind_params(Eval *E, const Node *model, int input)
{
    Binding *env = NULL;
    const NodeList *ps = &model->fndef.params;
    for (int i = 0; i < ps->count; i++) {
        const Node *p = ps->items[i];
        Value *v;
        const Node *ty = p->param.type;
        int rank;
        int64_t dims[GRAPH_MAX_RANK];
        if (i == 0 && input < 0 && ty && ty->texpr.has_dims && ty->texpr.dims.count <= GRAPH_MAX_RANK) {
            if (!input_dims(E, p, &rank, dims)) return NULL;
            v = eval_lowered_input(E, rank, dims);
        } else if (i == 0 && input < 0) {
            v = eval_lowered_opaque(E, "the model's input has no static shape");
        } else if (i == 0) {
            v = eval_new(E, V_TENSOR);
            v->t = input;
        } else if (p->param.dflt) {
            Binding *none = NULL;
            if (!(v = eval_expr(E, &none, p->param.dflt))) return NULL;
        } else {
            eval_fail(E, p->loc, "model parameter `%s` needs a default value", p->param.name);
            return NULL;
        }
        Binding *b = ARENA_NEW(E->a, Binding);
        *b = (Binding){p->param.name, v, env};
        env = b;
    }
    return env;
}

bool eval_model_lower(Eval *E)
{
    const Node *model = E->ms->model;
    Binding *env = bind_params(E, model, -1);
    Value *ret = NULL;
    if (!E->failed) eval_body(E, &env, &model->fndef.body, &ret);
    if (!E->failed && !ret) eval_fail(E, model->fndef.name_loc, "model `%s` never returns", model->fndef.name);
    return !E->failed;
}

static bool input_dims(Eval *E, const Node *param, int *rank, int64_t dims[GRAPH_MAX_RANK])
{
    const Node *t = param->param.type;
    if (!t || !t->texpr.has_dims || t->texpr.dims.count == 0 || t->texpr.dims.count > GRAPH_MAX_RANK) {
        eval_fail(E, param->loc, "the model input needs a static shape of rank 1..%d, e.g. tensor[1, 28, 28]",
                  GRAPH_MAX_RANK);
        return false;
    }
    *rank = t->texpr.dims.count;
    for (int i = 0; i < *rank; i++) {
        Binding *none = NULL;
        Value *v = eval_expr(E, &none, t->texpr.dims.items[i]);
        if (!v || v->kind != V_INT || v->i < 1) {
            eval_fail(E, t->texpr.dims.items[i]->loc, "a tensor dimension must be a positive int");
            return false;
        }
        dims[i] = v->i;
    }
    return true;
}

/* The declared result shape (e.g. tensor[10]) against the logits'. */
static bool check_result(Eval *E, const Node *model, int logits)
{
    const Node *t = model->fndef.result;
    if (!t || !t->texpr.has_dims) return true;
    const GraphShape *sh = &E->g->values[logits].shape;
    bool same = sh->rank == t->texpr.dims.count;
    for (int i = 0; same && i < sh->rank; i++) {
        Binding *none = NULL;
        Value *v = eval_expr(E, &none, t->texpr.dims.items[i]);
        same = v && v->kind == V_INT && v->i == sh->d[i];
    }
    if (!same) {
        char buf[64];
        eval_fail(E, t->loc, "the model returns a tensor of shape %s, not the declared one",
                  graph_shape_str(sh, buf, sizeof buf));
    }
    return same;
}

Graph *eval_model_graph(Eval *E)
{
    const Node *model = E->ms->model;
    int rank;
    int64_t dims[GRAPH_MAX_RANK];
    if (!input_dims(E, model->fndef.params.items[0], &rank, dims)) return NULL;
    for (int i = 0; E->input && i < rank; i++) dims[i] = E->input[i];
    eval_set_origin(E, model->fndef.params.items[0]->loc);
    int input = graph_input(E->g, rank, dims);
    Binding *env = bind_params(E, model, input);
    Value *ret = NULL;
    if (E->failed || !eval_body(E, &env, &model->fndef.body, &ret)) return NULL;
    if (!ret || ret->kind != V_TENSOR || ret->t < 0) {
        eval_fail(E, model->fndef.name_loc, "model `%s` must return a tensor, not a %s", model->fndef.name,
                  eval_value_kind(ret));
        return NULL;
    }
    eval_set_origin(E, model->fndef.name_loc);
    int labels = graph_labels(E->g);
    graph_softmax_xent(E->g, ret->t, labels);
    if (!eval_infer(E)) return NULL;
    if (!check_result(E, model, ret->t)) return NULL;
    return E->g;
}
