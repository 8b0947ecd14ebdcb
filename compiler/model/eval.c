/* eval.c — the model interpreter's core: values, names, expressions, statements and calls.
 * Decisions are in eval_decide.c, built-in layers in eval_layers.c, the model's body and its
 * graph in eval_model.c; the clients (lowering and instantiation in model.c, the whole-space
 * check in check_static.c) drive it through EvalHooks (eval_int.h). The program was accepted
 * by sema, so what is checked here is only what depends on the decisions. */
#include "eval_int.h"
#include "sema.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { MAX_DEPTH = 64, MAX_ARGS = 32, MAX_REPEAT = 1024 };

Value *eval_new(Eval *E, ValKind k)
{
    Value *v = ARENA_NEW(E->a, Value);
    v->kind = k;
    return v;
}

Value *eval_int(Eval *E, int64_t i)
{
    Value *v = eval_new(E, V_INT);
    v->i = i;
    return v;
}

static Value *mk_float(Eval *E, double f)
{
    Value *v = eval_new(E, V_FLOAT);
    v->f = f;
    return v;
}

static Value *mk_bool(Eval *E, bool b)
{
    Value *v = eval_new(E, V_BOOL);
    v->i = b;
    return v;
}

static Value *mk_tensor(Eval *E, int t)
{
    Value *v = eval_new(E, V_TENSOR);
    v->t = t;
    return v;
}

/* Lowering: the tensor that is a where then_ok[v] holds for the value v of slot, else b. */
static Value *tensor_by(Eval *E, int slot, const bool *then_ok, Value *a, Value *b)
{
    int n = space_decision(E->space, slot)->arity;
    Value **alts = ARENA_ARRAY(E->a, Value *, n);
    for (int v = 0; v < n; v++) alts[v] = then_ok[v] ? a : b;
    return eval_lowered_pick(E, slot, alts);
}

const char *eval_value_kind(const Value *v)
{
    static const char *names[] = {"nothing", "int",  "float", "bool",          "string",  "quantity",
                                  "tensor",  "list", "layer", "decided value", "decision"};
    return v ? names[v->kind] : "nothing";
}

void eval_fail(Eval *E, Loc loc, const char *fmt, ...)
{
    if (E->failed) return; /* the first problem explains the rest */
    E->failed = true;
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (E->lowering) {
        diag_error(E->diag, NAS0801, loc, "%s", msg);
    } else if (E->err) {
        snprintf(E->err->msg, sizeof E->err->msg, "%s", msg);
        E->err->loc = loc;
    }
}

/* ---- global names: declarations of every module, top-level lets evaluated once ---- */

typedef struct GlobalLet {
    const Node *decl;
    Value *val;
    bool busy;
} GlobalLet;
struct Globals {
    GlobalLet *lets;
    int nlets;
};

static const char *decl_name(const Node *d)
{
    switch (d->kind) {
    case N_LET: return d->let.name;
    case N_BLOCK:
    case N_MODEL:
    case N_EXTERN: return d->fndef.name;
    case N_DATASET: return d->decl.name;
    default: return NULL;
    }
}

/* Top-level names of every module, hashed once per ModelSpace. Modules are in dependency
 * order, main last: a later declaration wins, as in sema. */
const Node *eval_find_decl(Eval *E, const char *name)
{
    struct ModelSpace *ms = E->ms;
    if (!ms->names) {
        ms->names = keymap_new(ms->arena);
        for (int m = 0; m < E->prog->nmodules; m++) {
            const AstFile *f = E->prog->modules[m]->ast;
            for (int i = 0; i < f->decls.count; i++) {
                const char *n = decl_name(f->decls.items[i]);
                if (n) keymap_put(ms->names, n, (intptr_t)f->decls.items[i]);
            }
        }
    }
    bool found;
    intptr_t d = keymap_get(ms->names, name, &found);
    return found ? (const Node *)d : NULL;
}

static Value *global_let(Eval *E, const Node *decl)
{
    if (!E->globals) {
        E->globals = ARENA_NEW(E->a, struct Globals);
        E->globals->lets = ARENA_ARRAY(E->a, GlobalLet, 64);
    }
    struct Globals *G = E->globals;
    for (int i = 0; i < G->nlets; i++) {
        if (G->lets[i].decl != decl) continue;
        if (G->lets[i].busy) {
            eval_fail(E, decl->loc, "`%s` is defined in terms of itself", decl->let.name);
            return NULL;
        }
        return G->lets[i].val;
    }
    if (G->nlets == 64) {
        eval_fail(E, decl->loc, "more than 64 top-level lets are used by the model");
        return NULL;
    }
    GlobalLet *gl = &G->lets[G->nlets++];
    gl->decl = decl;
    gl->busy = true;
    gl->val = eval_at_top(E, decl->let.value, decl->let.name);
    gl->busy = false;
    return gl->val;
}

Value *eval_at_top(Eval *E, const Node *e, const char *name)
{
    /* A shared decision lives at the top: no block instance, no repeat, no condition. */
    Frame *frame = E->frame;
    Frame root = {""};
    Cond cond = E->cond;
    char iter[sizeof E->iter];
    memcpy(iter, E->iter, sizeof iter);
    E->frame = &root;
    E->iter[0] = 0;
    E->cond = (Cond){0};
    E->let_site = e;
    E->let_name = name;
    bool in_global = E->in_global;
    E->in_global = true;
    Binding *env = NULL;
    Value *v = eval_expr(E, &env, e);
    E->in_global = in_global;
    E->frame = frame;
    E->cond = cond;
    memcpy(E->iter, iter, sizeof iter);
    return v;
}

static Value *callable(Eval *E, const Node *decl)
{
    Value *v = eval_new(E, V_CALLABLE);
    v->fn.decl = decl;
    return v;
}

/* A deferred shared decision is read where it is used: in this Eval, once (global_let). */
static Value *force(Eval *E, Value *v) { return v && v->kind == V_DEFERRED ? global_let(E, v->deferred.decl) : v; }

/* `name` as an argument of a call: a top-level let holding a decision (or a parameter bound
 * to one) stays unread when the hooks defer shared decisions; NULL otherwise. */
static Value *deferrable(Eval *E, Binding *env, const char *name)
{
    if (!E->hooks->defer_shared) return NULL;
    for (Binding *b = env; b; b = b->next)
        if (strcmp(b->name, name) == 0) return b->val && b->val->kind == V_DEFERRED ? b->val : NULL;
    const Node *d = eval_find_decl(E, name);
    if (!d || d->kind != N_LET || !d->let.value) return NULL;
    NodeKind k = d->let.value->kind;
    if (k != N_CHOICE && k != N_ONEOF) return NULL;
    Value *v = eval_new(E, V_DEFERRED);
    v->deferred.decl = d;
    return v;
}

static Value *lookup(Eval *E, Binding *env, const char *name, Loc loc)
{
    for (Binding *b = env; b; b = b->next)
        if (strcmp(b->name, name) == 0) return force(E, b->val);
    const Node *d = eval_find_decl(E, name);
    if (!d) {
        eval_fail(E, loc, "unknown name `%s`", name);
        return NULL;
    }
    if (d->kind == N_LET) return global_let(E, d);
    if (d->kind == N_DATASET) {
        eval_fail(E, loc, "a dataset cannot be used inside a model");
        return NULL;
    }
    return callable(E, d);
}

static Binding *bind(Eval *E, Binding *env, const char *name, Value *v)
{
    Binding *b = ARENA_NEW(E->a, Binding);
    b->name = name;
    b->val = v;
    b->next = env;
    return b;
}

/* ---- arithmetic ---- */

static bool is_number(const Value *v)
{
    return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_QUANTITY || v->kind == V_BOOL;
}

static double num(const Value *v) { return v->kind == V_FLOAT || v->kind == V_QUANTITY ? v->f : (double)v->i; }

static Value *sym_op(Eval *E, int op, Value *a, Value *b)
{
    Value *v = eval_new(E, V_SYM);
    v->sym.op = op;
    v->sym.a = a;
    v->sym.b = b;
    v->sym.slot = -1;
    return v;
}

/* Lowering: a comparison of values of two different decisions whose answer is the same for
 * every pair of their values (the widths of two stages that never meet, in `x.channels ==
 * filters`) is that answer: no branch has to depend on both. NULL: it is not. */
static Value *constant_comparison(Eval *E, int op, const Value *a, const Value *b)
{
    enum { MAX_PAIRS = 4096 };
    int sa = eval_sym_slot(a), sb = eval_sym_slot(b);
    if (sa < 0 || sb < 0 || sa == sb) return NULL;
    const SpaceDecision *da = space_decision(E->space, sa), *db = space_decision(E->space, sb);
    if (da->continuous || db->continuous || (int64_t)da->arity * db->arity > MAX_PAIRS) return NULL;
    int32_t *assign = ARENA_ARRAY(E->a, int32_t, space_count(E->space));
    for (int i = 0; i < space_count(E->space); i++) assign[i] = SPACE_INACTIVE;
    int answer = -1;
    for (int x = 0; x < da->arity; x++)
        for (int y = 0; y < db->arity; y++) {
            assign[sa] = x;
            assign[sb] = y;
            Value *va = eval_sym_value(E, a, assign), *vb = va ? eval_sym_value(E, b, assign) : NULL;
            Value *r = vb ? eval_binop(E, op, va, vb, (Loc){.file = -1}) : NULL;
            if (!r || r->kind != V_BOOL || (answer >= 0 && r->i != answer)) return NULL;
            answer = (int)r->i;
        }
    return mk_bool(E, answer == 1);
}

Value *eval_binop(Eval *E, int op, Value *a, Value *b, Loc loc)
{
    if (!a || !b) return NULL;
    if (a->kind == V_SYM || b->kind == V_SYM) {
        /* Lowering: a value that depends on decisions stays an expression over them. */
        if (a->kind == V_TENSOR || b->kind == V_TENSOR)
            return eval_lowered_opaque(E, "it combines a tensor with a decided value");
        /* `false and ...` is false whatever the decided side is (`stride == 1 and
         * x.channels == filters` in a strided block); `true or ...` is true. */
        if ((op == OP_AND || op == OP_OR) &&
            ((a->kind == V_BOOL && a->i == (op == OP_OR)) || (b->kind == V_BOOL && b->i == (op == OP_OR))))
            return mk_bool(E, op == OP_OR);
        Value *c = op >= OP_EQ && op <= OP_GE ? constant_comparison(E, op, a, b) : NULL;
        return c ? c : sym_op(E, op, a, b);
    }
    if (a->kind == V_TENSOR && b->kind == V_TENSOR && (op == OP_ADD || op == OP_MUL)) {
        if (E->lowering) return eval_lowered_binop(E, op, a, b);
        eval_set_origin(E, loc);
        return mk_tensor(E, op == OP_ADD ? graph_add(E->g, a->t, b->t) : graph_mul_channel(E->g, a->t, b->t));
    }
    if (op == OP_AND || op == OP_OR) {
        if (a->kind != V_BOOL || b->kind != V_BOOL) goto bad;
        return mk_bool(E, op == OP_AND ? (a->i && b->i) : (a->i || b->i));
    }
    if ((op == OP_EQ || op == OP_NE) && a->kind == V_STRING && b->kind == V_STRING) {
        bool eq = strcmp(a->s, b->s) == 0;
        return mk_bool(E, op == OP_EQ ? eq : !eq);
    }
    if (!is_number(a) || !is_number(b)) goto bad;
    if (op >= OP_EQ && op <= OP_GE) {
        if (a->sampled || b->sampled) E->hooks->sampled_observed(E);
        double x = num(a), y = num(b);
        bool r = op == OP_EQ   ? x == y
                 : op == OP_NE ? x != y
                 : op == OP_LT ? x < y
                 : op == OP_LE ? x <= y
                 : op == OP_GT ? x > y
                               : x >= y;
        return mk_bool(E, r);
    }
    if (a->kind == V_INT && b->kind == V_INT) {
        int64_t x = a->i, y = b->i, r;
        switch (op) {
        case OP_ADD:
            if (__builtin_add_overflow(x, y, &r)) goto overflow;
            return eval_int(E, r);
        case OP_SUB:
            if (__builtin_sub_overflow(x, y, &r)) goto overflow;
            return eval_int(E, r);
        case OP_MUL:
            if (__builtin_mul_overflow(x, y, &r)) goto overflow;
            return eval_int(E, r);
        case OP_DIV:
            if (y == 0) {
                eval_fail(E, loc, "division by zero");
                return NULL;
            }
            /* Integer division of channel counts (c / 2) stays an integer when exact. */
            if (x % y == 0) return eval_int(E, x / y);
            return mk_float(E, (double)x / (double)y);
        }
    }
    {
        double x = num(a), y = num(b), r = 0;
        switch (op) {
        case OP_ADD: r = x + y; break;
        case OP_SUB: r = x - y; break;
        case OP_MUL: r = x * y; break;
        case OP_DIV:
            if (y == 0) {
                eval_fail(E, loc, "division by zero");
                return NULL;
            }
            r = x / y;
            break;
        default: goto bad;
        }
        Value *v = mk_float(E, r);
        v->sampled = a->sampled || b->sampled ? SAMPLED_DERIVED : SAMPLED_NO;
        if (a->kind == V_QUANTITY || b->kind == V_QUANTITY) {
            v->kind = V_QUANTITY;
            v->dim = a->kind == V_QUANTITY ? a->dim : b->dim;
        }
        return v;
    }
overflow:
    eval_fail(E, loc, "integer overflow in `%s`", ast_op_text(op));
    return NULL;
bad:
    eval_fail(E, loc, "`%s` cannot combine a %s and a %s", ast_op_text(op), eval_value_kind(a), eval_value_kind(b));
    return NULL;
}

Value *eval_unop(Eval *E, int op, Value *a, Loc loc)
{
    if (!a) return NULL;
    if (a->kind == V_SYM) return sym_op(E, op, a, NULL);
    if (op == OP_NOT) {
        if (a->kind != V_BOOL) goto bad;
        return mk_bool(E, !a->i);
    }
    if (a->kind == V_INT) return eval_int(E, -a->i);
    if (a->kind == V_FLOAT || a->kind == V_QUANTITY) {
        Value *v = mk_float(E, -a->f);
        v->kind = a->kind;
        v->dim = a->dim;
        v->sampled = a->sampled ? SAMPLED_DERIVED : SAMPLED_NO;
        return v;
    }
bad:
    eval_fail(E, loc, "`%s` cannot apply to a %s", ast_op_text(op), eval_value_kind(a));
    return NULL;
}

/* ---- calls ---- */

/* The parameters of a callable's declaration. */
static const NodeList *params_of(const Node *decl) { return &decl->fndef.params; }

static int param_index(const Node *decl, const char *name)
{
    const NodeList *ps = params_of(decl);
    for (int i = 0; i < ps->count; i++)
        if (strcmp(ps->items[i]->param.name, name) == 0) return i;
    return -1;
}

Value *eval_call_user(Eval *E, const Node *decl, Value **args, const Node *site)
{
    const NodeList *ps = params_of(decl);
    Binding *env = NULL;
    for (int i = 0; i < ps->count; i++) env = bind(E, env, ps->items[i]->param.name, args[i]);
    Frame *saved = E->frame;
    char iter[sizeof E->iter];
    memcpy(iter, E->iter, sizeof iter);
    Frame frame = {eval_instance_name(E, decl, site)};
    if (E->failed) return NULL;
    E->frame = &frame;
    E->iter[0] = 0;
    Value *ret = NULL;
    bool ok = eval_body(E, &env, &decl->fndef.body, &ret);
    E->frame = saved;
    memcpy(E->iter, iter, sizeof iter);
    if (!ok) return NULL;
    if (!ret) {
        eval_fail(E, site->loc, "block `%s` ended without `return`", decl->fndef.name);
        return NULL;
    }
    return ret;
}

Value *eval_call_value(Eval *E, Value *fn, Value **pos, int npos, const char **knames, Value **kvals, int nk,
                       const Node *site)
{
    if (!fn || E->failed) return NULL;
    if (fn->kind == V_SYM) {
        /* Lowering: a decided callable (`let op = choice [relu, stage]` then `op(x)`):
         * each alternative is called under "slot == i", for the decisions inside it. */
        if (fn->sym.op == 0 && fn->sym.vals) {
            int n = space_decision(E->space, fn->sym.slot)->arity;
            bool *allowed = ARENA_ARRAY(E->a, bool, n);
            Value **alts = ARENA_ARRAY(E->a, Value *, n);
            for (int i = 0; i < n; i++) {
                if (!fn->sym.vals[i] || fn->sym.vals[i]->kind != V_CALLABLE) continue;
                memset(allowed, 0, sizeof *allowed * (size_t)n);
                allowed[i] = true;
                Cond saved;
                if (!eval_enter_cond(E, fn->sym.slot, allowed, &saved)) continue;
                alts[i] = eval_call_value(E, fn->sym.vals[i], pos, npos, knames, kvals, nk, site);
                eval_leave_cond(E, &saved);
                if (!alts[i]) return NULL;
            }
            return eval_lowered_pick(E, fn->sym.slot, alts);
        }
        return eval_lowered_opaque(E, "a decided value is called");
    }
    if (fn->kind != V_CALLABLE) {
        eval_fail(E, site->loc, "a %s cannot be called", eval_value_kind(fn));
        return NULL;
    }
    const Node *decl = fn->fn.decl;
    /* A partial application holds trailing arguments: new positional ones go first
     * (`x |> f(a)` is `f(x, a)`). */
    Value *allpos[MAX_ARGS];
    const char *alln[MAX_ARGS];
    Value *allk[MAX_ARGS];
    int np = 0, nkk = 0;
    for (int i = 0; i < npos && np < MAX_ARGS; i++) allpos[np++] = pos[i];
    for (int i = 0; i < fn->fn.nargs && np < MAX_ARGS; i++) {
        if (fn->fn.names[i]) {
            alln[nkk] = fn->fn.names[i];
            allk[nkk++] = fn->fn.args[i];
        } else allpos[np++] = fn->fn.args[i];
    }
    for (int i = 0; i < nk && nkk < MAX_ARGS; i++) {
        alln[nkk] = knames[i];
        allk[nkk++] = kvals[i];
    }

    const NodeList *ps = params_of(decl);
    if (ps->count > MAX_ARGS) {
        eval_fail(E, site->loc, "`%s` has too many parameters", decl->fndef.name);
        return NULL;
    }
    Value *args[MAX_ARGS] = {0};
    for (int i = 0; i < np; i++) {
        if (i >= ps->count) {
            eval_fail(E, site->loc, "`%s` takes %d arguments, %d given", decl->fndef.name, ps->count, np);
            return NULL;
        }
        args[i] = allpos[i];
    }
    for (int i = 0; i < nkk; i++) {
        int j = param_index(decl, alln[i]);
        if (j < 0) {
            eval_fail(E, site->loc, "`%s` has no parameter `%s`", decl->fndef.name, alln[i]);
            return NULL;
        }
        args[j] = allk[i];
    }
    for (int i = 0; i < ps->count; i++) {
        if (args[i]) continue;
        const Node *p = ps->items[i];
        if (!p->param.dflt) {
            /* A missing required argument makes a partial application: the pipeline or a
             * later call supplies the leading arguments. */
            Value *v = callable(E, decl);
            v->fn.nargs = np + nkk;
            v->fn.args = ARENA_ARRAY(E->a, Value *, v->fn.nargs + 1);
            v->fn.names = ARENA_ARRAY(E->a, const char *, v->fn.nargs + 1);
            for (int k = 0; k < np; k++) v->fn.args[k] = force(E, allpos[k]);
            for (int k = 0; k < nkk; k++) {
                v->fn.args[np + k] = force(E, allk[k]);
                v->fn.names[np + k] = alln[k];
            }
            return v;
        }
        Binding *none = NULL;
        args[i] = eval_expr(E, &none, p->param.dflt);
        if (!args[i]) return NULL;
    }
    if (++E->depth > MAX_DEPTH) {
        eval_fail(E, site->loc, "blocks call each other more than %d deep (recursion?)", MAX_DEPTH);
        return NULL;
    }
    if (decl->kind != N_BLOCK) /* a layer reads its arguments */
        for (int i = 0; i < ps->count; i++)
            if (!(args[i] = force(E, args[i])) && E->failed) return NULL;
    Value *r = decl->kind == N_EXTERN  ? eval_layer(E, decl, args, site)
               : decl->kind == N_BLOCK ? E->hooks->call_block(E, decl, args, site)
                                       : NULL;
    E->depth--;
    if (!r && !E->failed) eval_fail(E, site->loc, "`%s` cannot be called inside a model", decl->fndef.name);
    return r;
}

/* Evaluates a call node; `input` (may be NULL) is the pipeline's left-hand side. */
/* fn(pos..., kn = kv...) as a value: a partial application that a pipeline or a later call
 * completes (`x |> f` is `f(x, pos..., fn's own arguments...)`). */
static Value *partial_of(Eval *E, const Value *fn, Value **pos, int np, const char **kn, Value **kv, int nk)
{
    Value *v = callable(E, fn->fn.decl);
    v->fn.nargs = np + fn->fn.nargs + nk;
    v->fn.args = ARENA_ARRAY(E->a, Value *, v->fn.nargs + 1);
    v->fn.names = ARENA_ARRAY(E->a, const char *, v->fn.nargs + 1);
    int n = 0;
    for (int i = 0; i < np; i++) v->fn.args[n++] = force(E, pos[i]);
    for (int i = 0; i < fn->fn.nargs; i++) {
        v->fn.names[n] = fn->fn.names[i];
        v->fn.args[n++] = fn->fn.args[i];
    }
    for (int i = 0; i < nk; i++) {
        v->fn.names[n] = kn[i];
        v->fn.args[n++] = force(E, kv[i]);
    }
    return v;
}

static Value *eval_call(Eval *E, Binding **env, const Node *e, Value *input)
{
    Value *fn = eval_expr(E, env, e->call.callee);
    if (!fn) return NULL;
    /* sema typed it a partial application (a choice or list item outside a pipeline, e.g.
     * `maxpool(3, stride = 1)` whose other parameters have defaults): bind, do not call */
    bool partial = !input && e->type && e->type->kind == TY_CALLABLE && fn->kind == V_CALLABLE;
    Value *pos[MAX_ARGS], *kv[MAX_ARGS];
    const char *kn[MAX_ARGS];
    int np = 0, nk = 0;
    if (input) pos[np++] = input;
    for (int i = 0; i < e->call.args.count && np < MAX_ARGS && nk < MAX_ARGS; i++) {
        const Node *a = e->call.args.items[i];
        Value *v = a->arg.value->kind == N_NAME ? deferrable(E, *env, a->arg.value->name.id) : NULL;
        if (!v) v = eval_expr(E, env, a->arg.value);
        if (!v) return NULL;
        if (a->arg.name) {
            kn[nk] = a->arg.name;
            kv[nk++] = v;
        } else pos[np++] = v;
    }
    if (partial) return partial_of(E, fn, pos, np, kn, kv, nk);
    return eval_call_value(E, fn, pos, np, kn, kv, nk, e);
}

/* `input |> rhs`: a call gets input as its first argument; a decision over callables
 * applies the chosen one; anything else must evaluate to a callable. */
Value *eval_apply(Eval *E, Binding **env, const Node *rhs, Value *input)
{
    if (rhs->kind == N_CALL) return eval_call(E, env, rhs, input);
    if (rhs->kind == N_CHOICE || rhs->kind == N_ONEOF) return eval_decision(E, env, rhs, input);
    Value *fn = eval_expr(E, env, rhs);
    return eval_call_value(E, fn, &input, 1, NULL, NULL, 0, rhs);
}

Value *eval_expr(Eval *E, Binding **env, const Node *e)
{
    if (E->failed) return NULL;
    Value *v;
    switch (e->kind) {
    case N_INT: return eval_int(E, e->num.i);
    case N_FLOAT: return mk_float(E, e->num.f);
    case N_BOOL: return mk_bool(E, e->num.i != 0);
    case N_QUANTITY:
        v = mk_float(E, e->num.f);
        v->kind = V_QUANTITY;
        v->dim = e->num.dim;
        return v;
    case N_STRING:
        v = eval_new(E, V_STRING);
        v->s = e->str.value;
        return v;
    case N_NAME: return lookup(E, *env, e->name.id, e->loc);
    case N_LIST:
        v = eval_new(E, V_LIST);
        v->list.n = e->list.items.count;
        v->list.items = ARENA_ARRAY(E->a, Value *, v->list.n + 1);
        for (int i = 0; i < v->list.n; i++)
            if (!(v->list.items[i] = eval_expr(E, env, e->list.items.items[i]))) return NULL;
        return v;
    case N_UNARY: return eval_unop(E, e->unary.op, eval_expr(E, env, e->unary.operand), e->loc);
    case N_BINARY: {
        Value *a = eval_expr(E, env, e->binary.lhs);
        Value *b = a ? eval_expr(E, env, e->binary.rhs) : NULL;
        return eval_binop(E, e->binary.op, a, b, e->loc);
    }
    case N_PIPE: {
        Value *x = eval_expr(E, env, e->pipe.lhs);
        return x ? eval_apply(E, env, e->pipe.rhs, x) : NULL;
    }
    case N_CALL: return eval_call(E, env, e, NULL);
    case N_MEMBER: return eval_member(E, eval_expr(E, env, e->member.object), e);
    case N_INDEX: {
        Value *l = eval_expr(E, env, e->index.object);
        Value *i = l ? eval_expr(E, env, e->index.at) : NULL;
        if (!i) return NULL;
        if (i->kind == V_SYM) {
            eval_fail(E, e->index.at->loc, "an index cannot depend on a decision");
            return NULL;
        }
        if (l->kind != V_LIST || i->kind != V_INT || i->i < 0 || i->i >= l->list.n) {
            eval_fail(E, e->index.at->loc, "index %lld is outside this list of %d (in this instance)",
                      i->kind == V_INT ? (long long)i->i : -1LL, l->kind == V_LIST ? l->list.n : 0);
            return NULL;
        }
        return l->list.items[i->i];
    }
    case N_CHOICE:
    case N_ONEOF: return eval_decision(E, env, e, NULL);
    default: eval_fail(E, e->loc, "this expression cannot be used inside a model"); return NULL;
    }
}

/* ---- statements ---- */

static Binding *find_binding(Binding *env, const char *name)
{
    for (Binding *b = env; b; b = b->next)
        if (strcmp(b->name, name) == 0) return b;
    return NULL;
}

static bool truthy(Eval *E, const Value *v, Loc loc, bool *out)
{
    if (v->kind == V_BOOL || v->kind == V_INT) {
        *out = v->i != 0;
        return true;
    }
    eval_fail(E, loc, "a condition must be a bool, not a %s", eval_value_kind(v));
    return false;
}

/* A branch or repeat count is lowered by enumerating its deciding slot's values: continuous
 * decisions and very wide ranges cannot be. */
#define EVAL_ENUMERABLE_MAX 65536
static bool enumerable(Eval *E, const SpaceDecision *d, Loc at, const char *what)
{
    if (d->continuous) eval_fail(E, at, "%s cannot depend on the continuous decision `%s`", what, d->name);
    else if (d->arity > EVAL_ENUMERABLE_MAX)
        eval_fail(E, at, "%s can depend on a decision of at most %d values; `%s` has %d", what, EVAL_ENUMERABLE_MAX,
                  d->name, (int)d->arity);
    return !d->continuous && d->arity <= EVAL_ENUMERABLE_MAX;
}

/* One branch of a lowered `if`: the set of value combinations of the deciding slots under
 * which it runs, given as its projections ok[i][v] (slot i may hold v) and whether the set is
 * their product (a conjunction: each slot's projection is a guard). */
typedef struct Branch {
    bool **ok;
    int64_t size; /* combinations in the set */
    bool box;
} Branch;

/* Runs body under the branch's condition: one conjunct per deciding slot; a set that is no
 * product still runs (for the values it computes) with decisions refused inside. */
static bool run_branch(Eval *E, Binding **env, const NodeList *body, const int *slots, int n, Branch *b, Loc at,
                       Value **ret)
{
    Cond saved = E->cond, inner;
    for (int i = 0; i < n; i++)
        if (!eval_enter_cond(E, slots[i], b->ok[i], &inner)) {
            E->cond = saved;
            return true; /* no architecture gets here: an enclosing test of the slot excludes it */
        }
    if (!b->box && !E->cond.refused) {
        E->cond.refused = true;
        E->cond.refused_at = at;
    }
    bool ok = eval_body(E, env, body, ret);
    E->cond = saved;
    return ok;
}

/* Lowering: `if` over a decided value. Both branches run, each under the condition "the
 * deciding slots hold values for which the test is (not) true": the test is evaluated for
 * every combination of their values, and a branch's combinations that form a product (an
 * `and` of one test per slot) become one guard per slot. Variables the branches change
 * become decided values too (tensors: picked per value of a single deciding slot,
 * eval_shape.c; over several slots their shape is not followed). */
/* The tensor after a lowered `if`: a where the then-branch runs, else b. */
static Value *branch_tensor(Eval *E, const int *slots, int n, const Branch *br, Value *a, Value *b)
{
    if (n == 1) return tensor_by(E, slots[0], br[0].ok[0], a, b);
    return eval_lowered_opaque(E, "an `if` over several decisions changes it");
}

static bool lower_if(Eval *E, Binding **env, const Node *s, Value *c, Value **ret)
{
    enum { MAX_SLOTS = 16 };
    int slots[MAX_SLOTS], n = eval_sym_slots(c, slots, MAX_SLOTS);
    Loc at = s->if_.cond->loc;
    if (n < 0) {
        eval_fail(E, at,
                  "this condition reads a shape that depends on several decisions at once (a width such as "
                  "`a * b`): a branch cannot depend on it; make that width one decision");
        return false;
    }
    if (n > MAX_SLOTS) {
        eval_fail(E, at, "this condition depends on %d decisions; a branch can depend on at most %d", n, MAX_SLOTS);
        return false;
    }
    int64_t combos = 1;
    const SpaceDecision *d[MAX_SLOTS];
    for (int i = 0; i < n; i++) {
        d[i] = space_decision(E->space, slots[i]);
        if (!enumerable(E, d[i], at, "a branch")) return false;
        combos *= d[i]->arity;
        if (combos > EVAL_ENUMERABLE_MAX) {
            eval_fail(E, at, "this condition depends on decisions with more than %d combinations of values",
                      EVAL_ENUMERABLE_MAX);
            return false;
        }
    }
    Branch br[2]; /* then, else */
    for (int k = 0; k < 2; k++) {
        br[k] = (Branch){.ok = ARENA_ARRAY(E->a, bool *, n)};
        for (int i = 0; i < n; i++) br[k].ok[i] = ARENA_ARRAY(E->a, bool, d[i]->arity);
    }
    int32_t *assign = ARENA_ARRAY(E->a, int32_t, space_count(E->space));
    for (int i = 0; i < space_count(E->space); i++) assign[i] = SPACE_INACTIVE;
    int32_t digit[MAX_SLOTS] = {0};
    for (int64_t k = 0; k < combos; k++) { /* an odometer over the slots' values */
        for (int i = 0; i < n; i++) assign[slots[i]] = digit[i];
        Value *cv = eval_sym_value(E, c, assign);
        bool t;
        if (!cv || !truthy(E, cv, at, &t)) return false;
        Branch *b = &br[t ? 0 : 1];
        b->size++;
        for (int i = 0; i < n; i++) b->ok[i][digit[i]] = true;
        for (int i = 0; i < n && ++digit[i] == d[i]->arity; i++) digit[i] = 0;
    }
    for (int k = 0; k < 2; k++) {
        int64_t product = 1;
        for (int i = 0; i < n; i++) {
            int m = 0;
            for (int v = 0; v < d[i]->arity; v++) m += br[k].ok[i][v];
            product *= m;
        }
        br[k].box = product == br[k].size;
    }
    /* Copy the bindings so each branch starts from the same values. */
    Binding *before = *env, *then_env = NULL, *else_env = NULL;
    for (Binding *b = before; b; b = b->next) then_env = bind(E, then_env, b->name, b->val);
    for (Binding *b = before; b; b = b->next) else_env = bind(E, else_env, b->name, b->val);
    Value *r1 = NULL, *r2 = NULL;
    if (br[0].size && !run_branch(E, &then_env, &s->if_.then, slots, n, &br[0], at, &r1)) return false;
    if (br[1].size && s->if_.has_else && !run_branch(E, &else_env, &s->if_.els, slots, n, &br[1], at, &r2))
        return false;
    for (Binding *b = before; b; b = b->next) {
        Binding *t = find_binding(then_env, b->name), *f = find_binding(else_env, b->name);
        Value *tv = t ? t->val : b->val, *fv = f ? f->val : b->val;
        if (tv == fv) continue;
        if (tv->kind == V_TENSOR && fv->kind == V_TENSOR) b->val = branch_tensor(E, slots, n, br, tv, fv);
        else if (tv->kind == V_TENSOR || fv->kind == V_TENSOR)
            b->val = eval_lowered_opaque(E, "a decided `if` makes it a tensor in one branch only");
        else {
            Value *sel = sym_op(E, 'S', tv, fv);
            sel->sym.c = c;
            b->val = sel;
        }
    }
    /* Both branches return: a tensor is the one of the branch taken (for x.channels). */
    if (!*ret && r1 && r2 && r1->kind == V_TENSOR && r2->kind == V_TENSOR) *ret = branch_tensor(E, slots, n, br, r1, r2);
    else if (!*ret) *ret = r1 ? r1 : r2;
    return true;
}

static bool run_if(Eval *E, Binding **env, const Node *s, Value **ret)
{
    Value *c = eval_expr(E, env, s->if_.cond);
    if (!c) return false;
    if (c->kind == V_SYM) return lower_if(E, env, s, c, ret);
    bool t;
    if (!truthy(E, c, s->if_.cond->loc, &t)) return false;
    if (t) return eval_body(E, env, &s->if_.then, ret);
    return s->if_.has_else ? eval_body(E, env, &s->if_.els, ret) : true;
}

bool eval_iteration(Eval *E, Binding **env, const NodeList *body, int i, Value **ret)
{
    char saved[sizeof E->iter];
    memcpy(saved, E->iter, sizeof saved);
    size_t n = strlen(E->iter);
    snprintf(E->iter + n, sizeof E->iter - n, "%s%d", n ? "." : "", i);
    bool ok = eval_body(E, env, body, ret);
    memcpy(E->iter, saved, sizeof saved);
    return ok;
}

bool eval_repeat_from(Eval *E, Binding **env, const Node *s, int from, int count, Value **ret)
{
    int h = E->hooks->repeat ? E->hooks->repeat(E, env, s, from, count) : 0;
    if (h) return h > 0;
    for (int i = from; i < count; i++)
        if (!eval_iteration(E, env, &s->repeat.body, i, ret)) return false;
    return true;
}

static bool run_repeat(Eval *E, Binding **env, const Node *s, Value **ret)
{
    Value *c = eval_expr(E, env, s->repeat.count);
    if (!c) return false;
    if (c->kind == V_INT) {
        if (c->i < 0 || c->i > MAX_REPEAT) {
            eval_fail(E, s->repeat.count->loc, "repeat count %lld is outside 0..%d", (long long)c->i, MAX_REPEAT);
            return false;
        }
        return eval_repeat_from(E, env, s, 0, (int)c->i, ret);
    }
    if (c->kind != V_SYM) {
        eval_fail(E, s->repeat.count->loc, "a repeat count must be an int, not a %s", eval_value_kind(c));
        return false;
    }
    /* Lowering a decided count: iteration i exists for the slot values whose count > i. */
    int slot = eval_sym_slot(c);
    if (slot == -2) {
        eval_fail(E, s->repeat.count->loc, "this repeat count depends on several decisions; it can depend on one only");
        return false;
    }
    const SpaceDecision *d = space_decision(E->space, slot);
    if (!enumerable(E, d, s->repeat.count->loc, "a repeat count")) return false;
    int64_t *count = ARENA_ARRAY(E->a, int64_t, d->arity), max = 0;
    int32_t *assign = ARENA_ARRAY(E->a, int32_t, space_count(E->space));
    for (int i = 0; i < space_count(E->space); i++) assign[i] = SPACE_INACTIVE;
    for (int v = 0; v < d->arity; v++) {
        assign[slot] = v;
        Value *cv = eval_sym_value(E, c, assign);
        if (!cv) return false;
        if (cv->kind != V_INT || cv->i < 0 || cv->i > MAX_REPEAT) {
            eval_fail(E, s->repeat.count->loc, "repeat count must be an int in 0..%d for every choice of `%s`",
                      MAX_REPEAT, d->name);
            return false;
        }
        count[v] = cv->i;
        if (cv->i > max) max = cv->i;
    }
    /* the body adds decisions, which may move the table: d is not read past here */
    int arity = d->arity;
    bool *allowed = ARENA_ARRAY(E->a, bool, arity);
    /* The tensors of the variables after i iterations: after the loop each is the one of
     * its count, per value of the deciding slot (what `x.channels` reads while lowering). */
    int nvars = 0;
    for (Binding *b = *env; b; b = b->next) nvars++;
    Value **after = ARENA_ARRAY(E->a, Value *, (size_t)(max + 1) * (size_t)nvars + 1);
    Binding *vars = *env;
    for (int i = 0; i <= max; i++) {
        if (i > 0) {
            bool all = true;
            for (int v = 0; v < arity; v++) all &= (allowed[v] = count[v] > i - 1);
            Cond saved;
            if (all || eval_enter_cond(E, slot, allowed, &saved)) {
                bool ok = eval_iteration(E, env, &s->repeat.body, i - 1, ret);
                if (!all) eval_leave_cond(E, &saved);
                if (!ok) return false;
            }
        }
        int j = 0;
        for (Binding *b = vars; b; b = b->next) after[i * nvars + j++] = b->val;
    }
    Value **alts = ARENA_ARRAY(E->a, Value *, arity);
    int j = 0;
    for (Binding *b = vars; b; b = b->next, j++) {
        if (b->val->kind != V_TENSOR || b->val == after[j]) continue;
        for (int v = 0; v < arity; v++) alts[v] = after[count[v] * nvars + j];
        b->val = eval_lowered_pick(E, slot, alts);
    }
    return true;
}

bool eval_body(Eval *E, Binding **env, const NodeList *body, Value **ret)
{
    for (int i = 0; i < body->count; i++) {
        const Node *s = body->items[i];
        if (E->failed) return false;
        switch (s->kind) {
        case N_LET: {
            E->let_site = s->let.value;
            E->let_name = s->let.name;
            Value *v = eval_expr(E, env, s->let.value);
            if (!v) return false;
            *env = bind(E, *env, s->let.name, v);
            break;
        }
        case N_ASSIGN: {
            Value *v = eval_expr(E, env, s->assign.value);
            if (!v) return false;
            Binding *b = find_binding(*env, s->assign.name);
            if (!b) {
                eval_fail(E, s->assign.name_loc, "`%s` is not defined here", s->assign.name);
                return false;
            }
            b->val = v;
            break;
        }
        case N_RETURN:
            *ret = eval_expr(E, env, s->ret.value);
            if (!*ret) return false;
            /* While lowering, a return under a decided branch does not end the walk: the
             * rest of the body may hold decisions too. */
            if (!E->lowering || E->cond.nterm == 0) return true;
            break;
        case N_REPEAT:
            if (!run_repeat(E, env, s, ret)) return false;
            if (*ret && !E->lowering) return true;
            break;
        case N_IF:
            if (!run_if(E, env, s, ret)) return false;
            if (*ret && !E->lowering) return true;
            break;
        default: eval_fail(E, s->loc, "this statement cannot be used inside a block"); return false;
        }
    }
    return !E->failed;
}
