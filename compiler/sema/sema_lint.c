/* sema_lint.c — NAS practice lints (decisions in the optimizer, max_failed vs trials, space
 * size), the recursive-block check, run after every declaration is typed, and the AST walker
 * they share with sema.c. */
#include <math.h>
#include <string.h>
#include "settings.h"
#include "sema_int.h"

bool sema_walk_list(NodeList l, SemaVisit f, void *ctx)
{
    for (int i = 0; i < l.count; i++)
        if (sema_walk(l.items[i], f, ctx)) return true;
    return false;
}

bool sema_walk(Node *n, SemaVisit f, void *ctx)
{
    if (!n) return false;
    if (f(n, ctx)) return true;
    switch (n->kind) {
    case N_LET: return sema_walk(n->let.value, f, ctx);
    case N_ASSIGN: return sema_walk(n->assign.value, f, ctx);
    case N_RETURN: return sema_walk(n->ret.value, f, ctx);
    case N_REPEAT: return sema_walk(n->repeat.count, f, ctx) || sema_walk_list(n->repeat.body, f, ctx);
    case N_IF:
        return sema_walk(n->if_.cond, f, ctx) || sema_walk_list(n->if_.then, f, ctx) ||
               sema_walk_list(n->if_.els, f, ctx);
    case N_LIST: return sema_walk_list(n->list.items, f, ctx);
    case N_CALL: return sema_walk(n->call.callee, f, ctx) || sema_walk_list(n->call.args, f, ctx);
    case N_ARG: return sema_walk(n->arg.value, f, ctx);
    case N_MEMBER: return sema_walk(n->member.object, f, ctx);
    case N_INDEX: return sema_walk(n->index.object, f, ctx) || sema_walk(n->index.index, f, ctx);
    case N_UNARY: return sema_walk(n->unary.operand, f, ctx);
    case N_BINARY: return sema_walk(n->binary.lhs, f, ctx) || sema_walk(n->binary.rhs, f, ctx);
    case N_PIPE: return sema_walk(n->pipe.lhs, f, ctx) || sema_walk(n->pipe.rhs, f, ctx);
    case N_SPLIT: return sema_walk(n->split.data, f, ctx) || sema_walk(n->split.ratio, f, ctx);
    case N_CHOICE:
        return sema_walk_list(n->choice.items, f, ctx) || sema_walk(n->choice.lo, f, ctx) ||
               sema_walk(n->choice.hi, f, ctx) || sema_walk(n->choice.step, f, ctx) || sema_walk(n->choice.k, f, ctx);
    case N_ONEOF: return sema_walk_list(n->oneof.alts, f, ctx);
    case N_SETTING: return sema_walk_list(n->setting.values, f, ctx);
    default: return false;
    }
}

static bool is_decision(Node *n, void *ctx)
{
    int *depth = ctx;
    if (n->kind == N_CHOICE || n->kind == N_ONEOF) return true;
    if (n->kind != N_NAME || !n->sym || n->sym->kind != SYM_LET || *depth >= 64) return false;
    (*depth)++;
    bool found = sema_walk(n->sym->decl->let.value, is_decision, ctx);
    (*depth)--;
    return found;
}

bool sema_has_decision(Node *e)
{
    int depth = 0;
    return sema_walk(e, is_decision, &depth);
}

const Node *sema_choice_of(const Node *e)
{
    for (int depth = 0; e && depth < 64 && e->kind == N_NAME && e->sym && e->sym->kind == SYM_LET; depth++)
        e = e->sym->decl->let.value;
    return e && e->kind == N_CHOICE ? e : NULL;
}

/* ---- NAS0701: a decision feeding a training value (optimizer, schedule, batch, ...) ---- */

/* Walks a setting; every decision reached (directly or through lets) is reported once per
 * setting, at the decision, with a note where the setting mentions it. */
typedef struct FindDecision {
    Sema *S;
    const Node *decl;
    const char *key;
    Node *use; /* the node of the setting the current chain started at */
    Node *seen[8];
    int nseen;
    int depth;
} FindDecision;

static bool find_decision(Node *n, void *ctx)
{
    FindDecision *fd = ctx;
    if (fd->depth == 0) fd->use = n;
    if (n->kind == N_CHOICE || n->kind == N_ONEOF) {
        for (int i = 0; i < fd->nseen; i++)
            if (fd->seen[i] == n) return false;
        if (fd->nseen < 8) fd->seen[fd->nseen++] = n;
        int di = diag_warning(
            fd->S->d, NAS0701, n->loc,
            "a decision feeds the %s of `%s`: this mixes hyperparameter tuning into the architecture search", fd->key,
            fd->decl->decl.name ? fd->decl->decl.name : "?");
        diag_note(fd->S->d, di, fd->use->loc, "used here");
        return false;
    }
    if (n->kind == N_NAME && n->sym && (n->sym->kind == SYM_LET || n->sym->kind == SYM_LOCAL) && fd->depth < 64) {
        fd->depth++;
        sema_walk(n->sym->decl->let.value, find_decision, ctx);
        fd->depth--;
    }
    return false;
}

/* Every setting a decision may set (the table's decidable ones) is a training value. */
static void lint_training_settings(Sema *S, Node *decl)
{
    const DeclSpec *ds = settings_decl(decl->kind);
    for (int k = 0; ds && k < ds->n; k++) {
        Node *s = ds->s[k].decidable ? sema_setting(decl, ds->s[k].key) : NULL;
        if (!s) continue;
        FindDecision fd = {.S = S, .decl = decl, .key = ds->s[k].key};
        sema_walk_list(s->setting.values, find_decision, &fd);
    }
}

/* ---- NAS0705: a top-level decision nothing uses ---- */

/* It would be in no architecture: nothing reads it, so the space (and an external trainer's
 * NAS_DECISIONS) would silently lack it. Only in a main module that declares a model (one
 * without is a library of lets and blocks). */
static bool declares_model(const Module *m)
{
    for (int i = 0; i < m->ast->decls.count; i++)
        if (m->ast->decls.items[i]->kind == N_MODEL) return true;
    return false;
}

static void lint_unused_decision(Sema *S, Node *let)
{
    SemaSym *s = symtab_find(&S->info->modtabs[S->modidx], let->let.name);
    if (!s || s->decl != let || s->used || !sema_has_decision(let->let.value)) return;
    int di = diag_warning(S->d, NAS0705, let->let.name_loc,
                          "`%s` is a decision that nothing uses: "
                          "it is in no architecture",
                          s->name);
    diag_note(S->d, di, let->let.name_loc,
              "use it in the model, in a training setting (`optimizer adam(lr = %s)`) "
              "or in the trainer's `decisions [%s]`, or remove it",
              s->name, s->name);
}

/* ---- NAS0702: max_failed far from a third of trials ---- */

static void lint_max_failed(Sema *S, Node *decl)
{
    Node *mf = sema_setting(decl, "max_failed"), *tr = sema_setting(decl, "trials");
    int64_t f, t;
    if (!mf || !tr || mf->setting.values.count != 1 || tr->setting.values.count != 1) return;
    if (!sema_const_int(S->p, mf->setting.values.items[0], &f) ||
        !sema_const_int(S->p, tr->setting.values.items[0], &t) || t <= 0)
        return;
    double r = (double)f / (double)t;
    if ((r >= 0.2 && r <= 0.5) || f > t) return; /* more than trials is an error (sema_limits.c) */
    int di = diag_warning(S->d, NAS0702, mf->setting.values.items[0]->loc,
                          "max_failed %lld is %.0f%% of trials; about a third (%lld) is recommended", (long long)f,
                          r * 100, (long long)(t / 3));
    diag_note(S->d, di, tr->setting.values.items[0]->loc, "trials is set here");
}

/* ---- NAS0508: recursive blocks ---- */

/* References to blocks in a body. */
typedef struct Refs {
    Sema *S;
    Node **items;
    int n, cap;
} Refs;

static bool block_ref(Node *n, void *ctx)
{
    Refs *r = ctx;
    if (n->kind != N_NAME || !n->sym || n->sym->kind != SYM_BLOCK) return false;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        Node **items = ARENA_ARRAY(r->S->a, Node *, r->cap);
        if (r->n) memcpy(items, r->items, sizeof(Node *) * (size_t)r->n);
        r->items = items;
    }
    r->items[r->n++] = n;
    return false;
}

/* Depth-first over the call graph with an explicit stack (chains of thousands of blocks
 * must not overflow the C stack). state: 0 new, 1 on the stack, 4 on the stack and
 * reported, 2 done. */
typedef struct BlockFrame {
    SemaSym *b;
    Refs refs;
    int i;
} BlockFrame;

static void visit_block(Sema *S, SemaSym *root)
{
    BlockFrame *stack = NULL;
    int n = 0, cap = 0;
    SemaSym *next = root;
    while (next || n > 0) {
        if (next) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                BlockFrame *ns = ARENA_ARRAY(S->a, BlockFrame, cap);
                if (n) memcpy(ns, stack, sizeof *ns * (size_t)n);
                stack = ns;
            }
            stack[n] = (BlockFrame){next, {S, NULL, 0, 0}, 0};
            sema_walk_list(next->decl->fndef.body, block_ref, &stack[n].refs);
            next->state = 1;
            n++;
            next = NULL;
            continue;
        }
        BlockFrame *f = &stack[n - 1];
        if (f->i == f->refs.n) {
            f->b->state = 2;
            n--;
            continue;
        }
        Node *ref = f->refs.items[f->i++];
        SemaSym *b = ref->sym;
        if (b->state == 0) {
            next = b;
        } else if (b->state == 1) {
            int di = diag_error(S->d, NAS0508, ref->loc, "`%s` is recursive: `%s` calls `%s`, which is being built",
                                b->name, f->b->name, b->name);
            diag_note(S->d, di, b->loc, "`%s` is declared here", b->name);
            b->state = 4; /* one report per cycle */
        }
    }
}

void sema_lint_program(Sema *S)
{
    for (int i = 0; i < S->p->nmodules; i++) {
        S->modidx = i;
        S->mod = S->p->modules[i];
        SymTab *t = &S->info->modtabs[i];
        for (int j = 0; j < t->cap; j++)
            if (t->slots[j] && t->slots[j]->kind == SYM_BLOCK && t->slots[j]->state == 0) visit_block(S, t->slots[j]);
        NodeList decls = S->p->modules[i]->ast->decls;
        for (int j = 0; j < decls.count; j++) {
            Node *d = decls.items[j];
            if (d->kind == N_SEARCH || d->kind == N_TRAIN) lint_training_settings(S, d);
            if (d->kind == N_SEARCH) lint_max_failed(S, d);
            if (d->kind == N_LET && S->mod == S->p->main && declares_model(S->mod)) lint_unused_decision(S, d);
            sema_check_limits(S, d);
        }
    }
}

void sema_lint_space_size(Program *p, double log10_size, Loc at)
{
    if (!(log10_size > 20)) return;
    diag_warning(p->diag, NAS0703, at, "the search space holds about 10^%.1f architectures (over 10^20)", log10_size);
}
