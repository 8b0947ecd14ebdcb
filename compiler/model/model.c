/* model.c — the two entry points of the model interpreter (see model.h): lowering a model to
 * its Space, and instantiating one architecture as a Graph with its training loss. Both are
 * clients of the interpreter (eval_int.h): each sets up an Eval and installs its hooks. */
#include "eval_int.h"
#include "sema.h"
#include <stdio.h>
#include <string.h>

const Space *model_space(const ModelSpace *ms) { return ms->space; }
SpaceStatus model_set_sampling(ModelSpace *ms, SpaceSampling how) { return space_set_sampling(ms->space, how); }
const Node *model_node(const ModelSpace *ms) { return ms->model; }
Program *model_program(const ModelSpace *ms) { return ms->prog; }

void model_space_free(ModelSpace *ms)
{
    if (ms) space_free(ms->space);
}

static const Node *find_model(Program *p, const char *name)
{
    int count;
    const Node *found = sema_model(p, name, &count);
    const AstFile *f = p->main->ast;
    Loc top = {.file = f->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1};
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

/* Lowering never asks for a decision's value (decisions become slots) nor meets a sampled
 * float; instantiation reads the architecture and meets no sampled float either. */
static int32_t no_decision(Eval *E, int slot, bool *sampled) { return SPACE_INACTIVE; }

static void nothing_sampled(Eval *E) {}

static const EvalHooks lower_hooks = {eval_call_user, no_decision, nothing_sampled, .defer_shared = false};

/* Decisions in training settings and those the trainer declares (`decisions [lr]`, names of
 * top-level lets) are shared decisions of the space, lowered like top-level lets. Those the
 * model does not use cannot change a graph: they stay out of global_slots, which the
 * whole-space check enumerates. */
static void lower_training(Eval *E, const NasConfig *c)
{
    int model_globals = E->ms->nglobal;
    for (int i = 0; i < c->nsearches + c->ntrains; i++) {
        const NasTraining *t = i < c->nsearches ? &c->searches[i].training : &c->trains[i - c->nsearches].training;
        for (int k = 0; k < t->ndecided && !E->failed; k++) eval_at_top(E, t->decided[k].expr, t->decided[k].name);
    }
    for (int k = 0; c->trainer && k < c->trainer->ndecisions && !E->failed; k++) {
        const Node *n = c->trainer->decisions[k];
        eval_at_top(E, n, n->name.id);
    }
    E->ms->nglobal = model_globals;
}

ModelSpace *model_lower(Program *p, const char *name, Arena *a)
{
    const Node *model = find_model(p, name);
    if (!model) return NULL;
    if (model->fndef.params.count == 0) {
        diag_error(p->diag, NAS0803, model->fndef.name_loc,
                   "model `%s` needs an input parameter, "
                   "e.g. `x: tensor[1, 28, 28]`",
                   model->fndef.name);
        return NULL;
    }
    ModelSpace *ms = ARENA_NEW(a, ModelSpace);
    ms->prog = p;
    ms->model = model;
    ms->space = space_new();
    ms->keys = keymap_new(a);
    ms->arena = a;
    Frame root = {""};
    Eval E = {.prog = p,
              .ms = ms,
              .a = a,
              .lowering = true,
              .hooks = &lower_hooks,
              .space = ms->space,
              .diag = p->diag,
              .keys = ms->keys,
              .frame = &root};
    bool ok = eval_model_lower(&E);
    if (ok) {
        lower_training(&E, config_build(p));
        ok = !E.failed;
    }
    if (!ok) {
        space_free(ms->space);
        return NULL;
    }
    sema_lint_space_size(p, space_size_log10(ms->space), model->fndef.name_loc);
    return ms;
}

ModelSpace *model_lower_tune(const ModelSpace *ms, const NasTraining *t, Arena *a)
{
    ModelSpace *tms = ARENA_NEW(a, ModelSpace);
    *tms = (ModelSpace){.prog = ms->prog, .model = ms->model, .space = space_new(), .keys = keymap_new(a), .arena = a};
    Frame root = {""};
    Eval E = {.prog = ms->prog,
              .ms = tms,
              .a = a,
              .lowering = true,
              .hooks = &lower_hooks,
              .space = tms->space,
              .diag = ms->prog->diag,
              .keys = tms->keys,
              .frame = &root};
    for (int k = 0; k < t->ndecided && !E.failed; k++) eval_at_top(&E, t->decided[k].expr, t->decided[k].name);
    if (E.failed) {
        space_free(tms->space);
        return NULL;
    }
    return tms;
}

/* Instantiation: the client is the architecture (validated against the space). */
static int32_t arch_decision(Eval *E, int slot, bool *sampled)
{
    const int32_t *arch = E->client;
    return arch[slot];
}

static const EvalHooks instantiate_hooks = {eval_call_user, arch_decision, nothing_sampled, .defer_shared = false};

/* An interpreter for one architecture: its decisions fixed, its graph built in a (root: the
 * model's frame, owned by the caller). */
static Eval instantiate_eval(const ModelSpace *ms, const int32_t *arch, Arena *a, ModelError *err, Frame *root)
{
    err->msg[0] = 0;
    err->loc = (Loc){.file = -1};
    return (Eval){.prog = ms->prog,
                  .ms = (ModelSpace *)ms,
                  .a = a,
                  .hooks = &instantiate_hooks,
                  .client = (void *)arch,
                  .space = ms->space,
                  .diag = ms->prog->diag,
                  .keys = ms->keys,
                  .g = graph_new(a),
                  .err = err,
                  .frame = root};
}

Graph *model_instantiate(const ModelSpace *ms, const int32_t *arch, Arena *a, ModelError *err)
{
    return model_instantiate_at(ms, arch, NULL, a, err);
}

bool model_scale_changes(const ModelScale *s) { return s && (s->input || (s->width > 0 && s->width < 1)); }

Graph *model_instantiate_at(const ModelSpace *ms, const int32_t *arch, const ModelScale *scale, Arena *a,
                            ModelError *err)
{
    Frame root = {""};
    Eval E = instantiate_eval(ms, arch, a, err, &root);
    const Node *in = ms->model->fndef.params.items[0]->param.type;
    if (scale && scale->input && (!in || !in->texpr.has_dims || in->texpr.dims.count != 3)) {
        snprintf(err->msg, sizeof err->msg, "a resolution resizes an input [C, H, W]: the model's input is not one");
        return NULL;
    }
    if (scale) {
        E.input = scale->input;
        E.width = scale->width;
    }
    SpaceError se;
    if (space_validate(ms->space, arch, &se) != SPACE_OK) {
        snprintf(err->msg, sizeof err->msg, "not an architecture of this space: %s", se.msg);
        return NULL;
    }
    Graph *g = eval_model_graph(&E);
    /* What the architecture does not use (the elements a subset did not pick) is built by
     * the interpreter but neither run nor trained. */
    GraphError ge;
    if (g && graph_prune(g, &ge)) {
        snprintf(err->msg, sizeof err->msg, "internal error: %s", ge.msg);
        return NULL;
    }
    return g;
}

int model_training(const ModelSpace *ms, const int32_t *arch, const NasTraining *t, NasTraining *out, Arena *a,
                   ModelError *err)
{
    *out = *t;
    Frame root = {""};
    Eval E = instantiate_eval(ms, arch, a, err, &root);
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
