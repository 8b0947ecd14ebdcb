/* compile.c — nas_compile: load -> sema -> config -> lower, stopping at the first phase with
 * errors (see compile.h). */
#include "compile.h"
#include <string.h>

static bool declares(const Program *p, NodeKind kind)
{
    const AstFile *f = p->main->ast;
    for (int i = 0; i < f->decls.count; i++)
        if (f->decls.items[i]->kind == kind) return true;
    return false;
}

static int run(Compiled *c, const char *path, const char *text, const CompileOptions *o)
{
    static const CompileOptions defaults = {0};
    if (!o) o = &defaults;
    CompilePhase upto = o->upto ? o->upto : COMPILE_SPACE;
    memset(c, 0, sizeof *c);
    arena_init(&c->arena);
    diag_init(&c->diag, &c->arena);
    c->prog = text ? program_load_string(&c->arena, &c->diag, path, text, o->stdlib_dir)
                   : program_load(&c->arena, &c->diag, path, o->stdlib_dir);
    if (!c->prog) return 2;
    if (c->diag.errors) return 1;
    c->done = COMPILE_PARSE;
    if (upto == COMPILE_PARSE) return 0;
    if (!sema_check(c->prog) || c->diag.errors) return 1;
    c->sema = c->prog->sema;
    c->config = config_build(c->prog);
    sema_check_boundary(c->prog, c->config, o->model);
    if (c->diag.errors) return 1;
    c->done = COMPILE_SEMA;
    if (upto == COMPILE_SEMA) return 0;
    if (o->space_optional && !declares(c->prog, N_MODEL) && !declares(c->prog, N_SEARCH)) return 0;
    c->space = model_lower(c->prog, o->model, &c->arena);
    if (!c->space) return 1;
    /* The file's sampling holds for every random draw: nasc's samples and every controller's. */
    _Static_assert((int)NAS_SAMPLE_UNIFORM == (int)SPACE_SAMPLE_UNIFORM, "one sampling enum");
    SpaceStatus st = model_set_sampling(c->space, (SpaceSampling)c->config->controller.sampling);
    if (st != SPACE_OK) {
        diag_error(&c->diag, NAS0801, model_node(c->space)->fndef.name_loc,
                   "`sampling uniform` needs the exact size of the space: %s", space_status_string(st));
        return 1;
    }
    /* Hard constraints on params / FLOPs: every random draw from the feasible set. */
    int k = o->skip_feasible ? 0 : feasible_bound(c->config->reward, &c->bound, c->feas.why, sizeof c->feas.why);
    c->constrained = k != 0;
    if (k > 0) c->feasible = feasible_new(c->space, &c->bound, (SpaceSampling)c->config->controller.sampling, &c->feas);
    feasible_install(c->space, c->feasible);
    c->done = COMPILE_SPACE;
    return c->diag.errors ? 1 : 0;
}

int nas_compile(Compiled *c, const char *path, const CompileOptions *o) { return run(c, path, NULL, o); }

int nas_compile_string(Compiled *c, const char *name, const char *text, const CompileOptions *o)
{
    return run(c, name, text, o);
}

void nas_compile_free(Compiled *c)
{
    model_space_free(c->space);
    feasible_free(c->feasible);
    diag_free(&c->diag);
    arena_free(&c->arena);
    memset(c, 0, sizeof *c);
}

/* The memory estimate is at the first search's batch (the largest, if decided) and optimizer. */
static void check_options_training(CheckOptions *co, const Program *p, const NasConfig *c)
{
    if (!c->nsearches) return;
    const NasTraining *t = &c->searches[0].training;
    co->batch = config_batch_max(p, t);
    co->optim_slots = t->optimizer.kind != NAS_OPT_SGD ? 2 : t->optimizer.momentum != 0;
}

int nas_compile_check(Compiled *c, CheckOptions *co, CheckResult *r, char *proxies, size_t size)
{
    int before = c->diag.errors;
    *co = check_defaults();
    check_options_training(co, c->prog, c->config);
    feasible_install(c->space, NULL);
    check_space(c->space, co, r);
    check_proxy_scales(c->space, co, c->config, proxies, size);
    feasible_install(c->space, c->feasible);
    return c->diag.errors - before;
}
