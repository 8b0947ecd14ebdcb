/* model.c — the two entry points of the model interpreter (see model.h): lowering a model to
 * its Space, and instantiating one architecture as a Graph with its training loss. */
#include "eval_int.h"
#include "sema.h"
#include <stdio.h>
#include <string.h>

const Space *model_space(const ModelSpace *ms) { return ms->space; }
const Node *model_node(const ModelSpace *ms) { return ms->model; }
Program *model_program(const ModelSpace *ms) { return ms->prog; }

void model_space_free(ModelSpace *ms)
{
    if (ms) space_free(ms->space);
}

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

static const Node *find_model(Program *p, const char *name)
{
    const Node *found = NULL;
    const AstFile *f = p->main->ast;
    int count = 0;
    for (int i = 0; i < f->decls.count; i++) {
        const Node *d = f->decls.items[i];
        if (d->kind != N_MODEL || (name && strcmp(d->fndef.name, name) != 0)) continue;
        if (!found) found = d;
        count++;
    }
    Loc top = { .file = f->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
    if (!found) {
        if (name) diag_error(p->diag, NAS0803, top, "there is no model named `%s`", name);
        else diag_error(p->diag, NAS0803, top, "the file declares no model: a search needs one");
        return NULL;
    }
    if (!name && count > 1) {
        int di = diag_error(p->diag, NAS0803, found->fndef.name_loc,
                            "the file declares %d models; say which one to search", count);
        diag_note(p->diag, di, found->fndef.name_loc, "the first is `%s`", found->fndef.name);
        return NULL;
    }
    return found;
}

/* Binds the model's parameters: the first is the input tensor, the rest need defaults.
 * input: the graph's input value (instantiate) or -1 (lowering). */
static Binding *bind_params(Eval *E, const Node *model, int input)
{
    Binding *env = NULL;
    const NodeList *ps = &model->fndef.params;
    for (int i = 0; i < ps->count; i++) {
        const Node *p = ps->items[i];
        Value *v;
        if (i == 0) {
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
        *b = (Binding){ p->param.name, v, env };
        env = b;
    }
    return env;
}

/* Decisions in training settings are shared decisions of the space, lowered like top-level
 * lets. Those the model does not use cannot change a graph: they stay out of global_slots,
 * which the whole-space check enumerates. */
static void lower_training(Eval *E, const NasConfig *c)
{
    int model_globals = E->ms->nglobal;
    for (int i = 0; i < c->nsearches + c->ntrains; i++) {
        const NasTraining *t = i < c->nsearches ? &c->searches[i].training : &c->trains[i - c->nsearches].training;
        for (int k = 0; k < t->ndecided && !E->failed; k++) eval_at_top(E, t->decided[k].expr, t->decided[k].name);
    }
    E->ms->nglobal = model_globals;
}

ModelSpace *model_lower(Program *p, const char *name, Arena *a)
{
    const Node *model = find_model(p, name);
    if (!model) return NULL;
    if (model->fndef.params.count == 0) {
        diag_error(p->diag, NAS0803, model->fndef.name_loc, "model `%s` needs an input parameter, "
                   "e.g. `x: tensor[1, 28, 28]`", model->fndef.name);
        return NULL;
    }
    ModelSpace *ms = ARENA_NEW(a, ModelSpace);
    ms->prog = p;
    ms->model = model;
    ms->space = space_new();
    ms->keys = keymap_new(a);
    ms->arena = a;
    Frame root = { "" };
    Eval E = { .prog = p, .ms = ms, .a = a, .lowering = true, .space = ms->space, .cond = { .slot = -1 },
               .diag = p->diag, .keys = ms->keys, .frame = &root };
    Binding *env = bind_params(&E, model, -1);
    Value *ret = NULL;
    if (!E.failed) eval_body(&E, &env, &model->fndef.body, &ret);
    if (!E.failed && !ret) eval_fail(&E, model->fndef.name_loc, "model `%s` never returns", model->fndef.name);
    if (!E.failed) lower_training(&E, config_build(p));
    if (E.failed) {
        space_free(ms->space);
        return NULL;
    }
    sema_lint_space_size(p, space_size_log10(ms->space), model->fndef.name_loc);
    return ms;
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

/* Runs the model body in a prepared Eval (instantiate or check mode) and attaches the loss.
 * The graph's shapes are inferred; NULL with E->err filled on failure. */
Graph *model_run(Eval *E)
{
    const Node *model = E->ms->model;
    int rank;
    int64_t dims[GRAPH_MAX_RANK];
    if (!input_dims(E, model->fndef.params.items[0], &rank, dims)) return NULL;
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

bool eval_infer(Eval *E)
{
    GraphError ge;
    if (graph_infer_shapes(E->g, &ge) == 0) return true;
    Loc at = { .file = -1 };
    if (ge.node >= 0 && ge.node < E->g->nnodes) {
        int o = E->g->nodes[ge.node].origin;
        if (o >= 0 && o < E->norigins) at = E->origins[o];
    }
    eval_fail(E, at, "%s", ge.msg);
    return false;
}

Graph *model_instantiate(const ModelSpace *ms, const int32_t *arch, Arena *a, ModelError *err)
{
    err->msg[0] = 0;
    err->loc = (Loc){ .file = -1 };
    SpaceError se;
    if (space_validate(ms->space, arch, &se) != SPACE_OK) {
        snprintf(err->msg, sizeof err->msg, "not an architecture of this space: %s", se.msg);
        return NULL;
    }
    Frame root = { "" };
    Eval E = { .prog = ms->prog, .ms = (ModelSpace *)ms, .a = a, .space = ms->space, .cond = { .slot = -1 },
               .diag = ms->prog->diag, .keys = ms->keys, .arch = arch, .g = graph_new(a), .err = err,
               .frame = &root };
    return model_run(&E);
}

int model_training(const ModelSpace *ms, const int32_t *arch, const NasTraining *t, NasTraining *out,
                   Arena *a, ModelError *err)
{
    *out = *t;
    err->msg[0] = 0;
    err->loc = (Loc){ .file = -1 };
    Frame root = { "" };
    Eval E = { .prog = ms->prog, .ms = (ModelSpace *)ms, .a = a, .space = ms->space, .cond = { .slot = -1 },
               .diag = ms->prog->diag, .keys = ms->keys, .arch = arch, .g = graph_new(a), .err = err,
               .frame = &root };
    for (int k = 0; k < t->ndecided; k++) {
        const NasDecided *d = &t->decided[k];
        Value *v = eval_at_top(&E, d->expr, d->name);
        if (!v) return -1;
        double x = v->kind == V_FLOAT || v->kind == V_QUANTITY ? v->f : (double)v->i;
        if (x < 0 || (d->positive && x <= 0)) {
            snprintf(err->msg, sizeof err->msg, "%s is %g in this architecture: it must be %s", d->what, x,
                     d->positive ? "> 0" : ">= 0");
            err->loc = d->expr->loc;
            return -1;
        }
        config_set_decided(out, d, x);
    }
    return 0;
}
