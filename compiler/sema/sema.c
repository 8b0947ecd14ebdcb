/* sema.c — the sema phase's entry point: declares every module's top-level names, then checks
 * each declaration (lets, blocks, settings) and runs the lints. */
#include <string.h>
#include "sema_int.h"

static bool top_kind(const Node *d, SemaSymKind *k, const char **name, Loc *loc)
{
    switch (d->kind) {
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL:
        *k = d->kind == N_MODEL   ? SYM_MODEL
             : d->kind == N_BLOCK ? SYM_BLOCK
             : d->fndef.is_fn     ? SYM_EXTERN_FN
                                  : SYM_EXTERN_BLOCK;
        *name = d->fndef.name;
        *loc = d->fndef.name_loc;
        return *name != NULL;
    case N_LET:
        *k = SYM_LET;
        *name = d->let.name;
        *loc = d->let.name_loc;
        return true;
    case N_DATASET: *k = SYM_DATASET; break;
    case N_SEARCH: *k = SYM_SEARCH; break;
    case N_TRAIN: *k = SYM_TRAIN; break;
    case N_REWARD: *k = SYM_REWARD; break;
    case N_CONTROLLER: *k = SYM_CONTROLLER; break;
    case N_PROXY: *k = SYM_PROXY; break;
    case N_TUNE: *k = SYM_TUNE; break;
    case N_TRAINER: *k = SYM_TRAINER; break;
    default: return false;
    }
    *name = d->decl.name;
    *loc = d->decl.name_loc;
    return *name != NULL;
}

static void declare_top(Sema *S, Node *d)
{
    SemaSymKind k;
    const char *name;
    Loc loc;
    if (!top_kind(d, &k, &name, &loc)) return;
    SymTab *own = &S->info->modtabs[S->modidx];
    SemaSym *dup = symtab_find(own, name);
    if (dup) {
        int di = diag_error(S->d, NAS0302, loc, "`%s` is already declared", name);
        diag_note(S->d, di, dup->loc, "first declared here");
        return;
    }
    d->sym = sema_new_sym(S, k, name, loc, d);
    symtab_put(S->a, own, d->sym);
}

/* A top-level name hiding one of a used module: legal, but worth a warning. */
static void warn_shadowed_imports(Sema *S)
{
    SymTab *own = &S->info->modtabs[S->modidx];
    for (int i = 0; i < own->cap; i++) {
        SemaSym *s = own->slots[i];
        if (!s) continue;
        for (int u = 0; u < S->mod->nuses; u++)
            for (int j = 0; j < S->p->nmodules; j++) {
                if (S->p->modules[j] != S->mod->uses[u]) continue;
                SemaSym *o = symtab_find(&S->info->modtabs[j], s->name);
                if (!o) continue;
                int di = diag_warning(S->d, NAS0303, s->loc, "`%s` shadows a declaration of module `%s`", s->name,
                                      S->mod->uses[u]->name);
                diag_note(S->d, di, o->loc, "shadowed declaration is here");
            }
    }
}

/* At most one controller, one reward and one proxy in a program. */
static void check_unique(Sema *S, Node *d, Node **first, const char *what)
{
    if (!*first) {
        *first = d;
        return;
    }
    int di = diag_error(S->d, NAS0611, d->loc, "a program has at most one %s", what);
    diag_note(S->d, di, (*first)->loc, "the first %s is here", what);
}

static void check_decl(Sema *S, Node *d)
{
    switch (d->kind) {
    case N_LET: {
        SemaSym *s = symtab_find(&S->info->modtabs[S->modidx], d->let.name);
        if (s && s->decl == d) {
            sema_check_global_let(S, s);
        } else {
            sema_expr(S, d->let.value);
        }
        break;
    }
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL: sema_check_fndef(S, d); break;
    case N_USE: break;
    default: sema_check_settings(S, d); break;
    }
}

/* Chains of top-level lets (`let a0 = a1 + 1`, `let a1 = ...`, thousands long) would
 * recurse once per link when resolved on first use; resolving each let's dependencies
 * first, with an explicit stack, keeps that recursion one level deep. A cycle is left to
 * the normal order, which reports it. state: 0 new, 3 on this stack, 2 done. */
typedef struct LetFrame {
    SemaSym *s;
    SemaSym **deps;
    int ndeps, cap, i;
    Sema *S;
} LetFrame;

static bool let_dep(Node *n, void *ctx)
{
    LetFrame *f = ctx;
    SemaSym *s = n->kind == N_NAME ? sema_find(f->S, n->name.id) : NULL;
    if (!s || s->kind != SYM_LET || s->state == 2) return false;
    if (f->ndeps == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4;
        SemaSym **d = ARENA_ARRAY(f->S->a, SemaSym *, f->cap);
        if (f->ndeps) memcpy(d, f->deps, sizeof *d * (size_t)f->ndeps);
        f->deps = d;
    }
    f->deps[f->ndeps++] = s;
    return false;
}

static void resolve_lets_first(Sema *S)
{
    NodeList decls = S->mod->ast->decls;
    LetFrame *stack = NULL;
    int cap = 0;
    for (int j = 0; j < decls.count; j++) {
        Node *d = decls.items[j];
        if (d->kind != N_LET || !d->sym || d->sym->state != 0) continue;
        SemaSym *next = d->sym;
        int n = 0;
        bool cycle = false;
        while ((next || n > 0) && !cycle) {
            if (next) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    LetFrame *ns = ARENA_ARRAY(S->a, LetFrame, cap);
                    if (n) memcpy(ns, stack, sizeof *ns * (size_t)n);
                    stack = ns;
                }
                stack[n] = (LetFrame){.s = next, .S = S};
                sema_walk(next->decl->let.value, let_dep, &stack[n]);
                next->state = 3;
                n++;
                next = NULL;
                continue;
            }
            LetFrame *f = &stack[n - 1];
            if (f->i < f->ndeps) {
                SemaSym *dep = f->deps[f->i++];
                if (dep->state == 3) cycle = true;
                else if (dep->state == 0) next = dep;
                continue;
            }
            f->s->state = 0;
            sema_check_global_let(S, f->s);
            n--;
        }
        for (int i = 0; i < n; i++) stack[i].s->state = 0;
    }
}

bool sema_check(Program *p)
{
    SemaInfo *info = ARENA_NEW(p->arena, SemaInfo);
    info->modtabs = ARENA_ARRAY(p->arena, SymTab, p->nmodules ? p->nmodules : 1);
    p->sema = info;
    Sema S = {.p = p, .a = p->arena, .d = p->diag, .info = info};
    int errors = p->diag->errors;
    for (int i = 0; i < p->nmodules; i++) {
        S.modidx = i;
        S.mod = p->modules[i];
        NodeList decls = S.mod->ast->decls;
        for (int j = 0; j < decls.count; j++) {
            declare_top(&S, decls.items[j]);
            if (decls.items[j]->kind == N_TRAINER) S.has_trainer = true;
        }
    }
    Node *controller = NULL, *reward = NULL, *proxy = NULL;
    int nsearch = 0, ntrain = 0;
    for (int i = 0; i < p->nmodules; i++) {
        S.modidx = i;
        S.mod = p->modules[i];
        warn_shadowed_imports(&S);
        resolve_lets_first(&S);
        NodeList decls = S.mod->ast->decls;
        for (int j = 0; j < decls.count; j++) {
            Node *d = decls.items[j];
            if (d->kind == N_CONTROLLER) check_unique(&S, d, &controller, "controller");
            if (d->kind == N_REWARD) check_unique(&S, d, &reward, "reward");
            if (d->kind == N_PROXY) check_unique(&S, d, &proxy, "proxy");
            nsearch += d->kind == N_SEARCH;
            ntrain += d->kind == N_TRAIN;
            check_decl(&S, d);
        }
    }
    /* The design compares the first search's proxy task with the first train's full training. */
    if (proxy && (!nsearch || !ntrain))
        diag_error(S.d, NAS0706, proxy->loc,
                   "proxy design needs a `search` (whose proxy task it designs) and a `train` (the full training "
                   "its reference architectures are trained with); this program has no %s",
                   !nsearch ? "search" : "train");
    sema_lint_program(&S);
    return p->diag->errors == errors;
}

Node *sema_setting(const Node *decl, const char *key)
{
    for (int i = 0; i < decl->decl.items.count; i++) {
        Node *n = decl->decl.items.items[i];
        if (n->kind == N_SETTING && strcmp(n->setting.key, key) == 0) return n;
    }
    return NULL;
}

const Node *sema_option_arg(const Node *v, const char *name, int pos)
{
    if (!v || v->kind != N_CALL) return NULL;
    int k = 0;
    for (int i = 0; i < v->call.args.count; i++) {
        const Node *a = v->call.args.items[i];
        if (a->arg.name ? strcmp(a->arg.name, name) == 0 : k++ == pos) return a->arg.value;
    }
    return NULL;
}

SemaSym *sema_lookup_global(const Program *p, const char *name)
{
    if (!p->sema) return NULL;
    for (int i = 0; i < p->nmodules; i++) {
        if (p->modules[i] != p->main) continue;
        SemaSym *s = symtab_find(&p->sema->modtabs[i], name);
        if (s) return s;
        for (int u = 0; u < p->main->nuses; u++)
            for (int j = 0; j < p->nmodules; j++)
                if (p->modules[j] == p->main->uses[u] && (s = symtab_find(&p->sema->modtabs[j], name))) return s;
    }
    return NULL;
}

const Node *sema_model(const Program *p, const char *name, int *count)
{
    const Node *found = NULL;
    const AstFile *f = p->main->ast;
    *count = 0;
    for (int i = 0; i < f->decls.count; i++) {
        const Node *d = f->decls.items[i];
        if (d->kind != N_MODEL || (name && strcmp(d->fndef.name, name) != 0)) continue;
        if (!found) found = d;
        ++*count;
    }
    return found;
}
