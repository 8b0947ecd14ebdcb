/* sema_expr.c — typing of expressions, units, decisions, pipelines, and constant folding. */
#include <string.h>
#include <math.h>
#include "sema_int.h"

/* ---- the constant table: Node* -> folded value ---- */

static unsigned hash_ptr(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0xed5ad4bbu;
    x ^= x >> 11;
    return (unsigned)x;
}

void sema_set_const(Sema *S, const Node *n, SemaValue v)
{
    SemaInfo *I = S->info;
    if ((I->vcount + 1) * 2 > I->vcap) {
        int ocap = I->vcap;
        ValEntry *old = I->vals;
        I->vcap = ocap ? ocap * 2 : 64;
        I->vals = ARENA_ARRAY(S->a, ValEntry, I->vcap);
        I->vcount = 0;
        for (int i = 0; i < ocap; i++)
            if (old[i].key) sema_set_const(S, old[i].key, old[i].v);
    }
    for (unsigned i = hash_ptr(n) & (unsigned)(I->vcap - 1);; i = (i + 1) & (unsigned)(I->vcap - 1)) {
        if (!I->vals[i].key) {
            I->vals[i].key = n;
            I->vals[i].v = v;
            I->vcount++;
            return;
        }
        if (I->vals[i].key == n) {
            I->vals[i].v = v;
            return;
        }
    }
}

static const SemaValue *info_const(const SemaInfo *I, const Node *n)
{
    if (!I || !I->vcap || !n) return NULL;
    for (unsigned i = hash_ptr(n) & (unsigned)(I->vcap - 1);; i = (i + 1) & (unsigned)(I->vcap - 1)) {
        if (!I->vals[i].key) return NULL;
        if (I->vals[i].key == n) return &I->vals[i].v;
    }
}

const SemaValue *sema_get_const(const Sema *S, const Node *n) { return info_const(S->info, n); }
const SemaValue *sema_const(const Program *p, const Node *n) { return info_const(p->sema, n); }

bool sema_const_int(const Program *p, const Node *n, int64_t *out)
{
    const SemaValue *v = sema_const(p, n);
    if (!v || v->kind != VAL_INT) return false;
    *out = v->i;
    return true;
}

static bool value_number(const SemaValue *v, double *out)
{
    if (!v) return false;
    if (v->kind == VAL_INT) {
        *out = (double)v->i;
        return true;
    }
    if (v->kind == VAL_FLOAT || v->kind == VAL_QUANTITY) {
        *out = v->f;
        return true;
    }
    return false;
}

bool sema_const_number(const Program *p, const Node *n, double *out) { return value_number(sema_const(p, n), out); }

static SemaValue val_int(int64_t i) { return (SemaValue){.kind = VAL_INT, .i = i}; }
static SemaValue val_float(double f) { return (SemaValue){.kind = VAL_FLOAT, .f = f}; }
static SemaValue val_bool(bool b) { return (SemaValue){.kind = VAL_BOOL, .i = b}; }

/* ---- names ---- */

void sema_check_global_let(Sema *S, SemaSym *s)
{
    if (s->state == 2) return;
    if (s->state == 1) return; /* the caller reports the cycle */
    Sema saved = *S;
    s->state = 1;
    S->scope = NULL;
    S->fn = NULL;
    S->vocab = NULL;
    for (int i = 0; i < S->p->nmodules; i++)
        if (S->p->modules[i] == s->module) {
            S->modidx = i;
            S->mod = s->module;
        }
    s->type = sema_expr(S, s->decl->let.value);
    const SemaValue *v = sema_get_const(S, s->decl->let.value);
    if (v) sema_set_const(S, s->decl, *v);
    s->state = 2;
    S->scope = saved.scope;
    S->fn = saved.fn;
    S->vocab = saved.vocab;
    S->modidx = saved.modidx;
    S->mod = saved.mod;
}

static const SemaType *type_of_name(Sema *S, Node *e)
{
    SemaSym *s = sema_resolve(S, e->name.id, e->loc);
    e->sym = s;
    if (!s) return &sema_ty_error;
    s->used = true;
    switch (s->kind) {
    case SYM_LET:
        if (s->state == 1) {
            int di = diag_error(S->d, NAS0307, e->loc, "the value of `%s` depends on itself", s->name);
            diag_note(S->d, di, s->loc, "`%s` is declared here", s->name);
            return &sema_ty_error;
        }
        sema_check_global_let(S, s);
        if (sema_get_const(S, s->decl)) sema_set_const(S, e, *sema_get_const(S, s->decl));
        return s->type ? s->type : &sema_ty_error;
    case SYM_LOCAL:
        if (!s->assigned && sema_get_const(S, s->decl)) sema_set_const(S, e, *sema_get_const(S, s->decl));
        return s->type ? s->type : &sema_ty_error;
    case SYM_PARAM:
    case SYM_VOCAB: return s->type ? s->type : &sema_ty_error;
    case SYM_BLOCK:
    case SYM_EXTERN_BLOCK:
    case SYM_EXTERN_FN:
        if (!s->type) s->type = sema_ty_callable(S, s->decl);
        return s->type;
    case SYM_MODEL: return &sema_ty_decl; /* the network itself: not callable */
    case SYM_DATASET: return &sema_ty_dataset;
    case SYM_SEARCH:
    case SYM_TRAIN: return &sema_ty_stage;
    default: return &sema_ty_decl;
    }
}

/* ---- operators ---- */

static bool plain_mixes(const SemaType *q) { return q->dim == DIM_RATIO || q->dim == DIM_COUNT; }

static void units_error(Sema *S, Node *e, const SemaType *lt, const SemaType *rt, const char *what)
{
    Node *l = e->binary.lhs, *r = e->binary.rhs;
    int di = diag_error(S->d, NAS0401, e->loc, "cannot %s %s and %s", what, sema_type_name(S->a, lt),
                        sema_type_name(S->a, rt));
    diag_note(S->d, di, l->loc, "this is a %s", sema_type_name(S->a, lt));
    diag_note(S->d, di, r->loc, "this is a %s", sema_type_name(S->a, rt));
}

static void operands_error(Sema *S, Node *e, const SemaType *lt, const SemaType *rt)
{
    diag_error(S->d, NAS0402, e->loc, "operator `%s` is not defined for %s and %s", ast_op_text(e->binary.op),
               sema_type_name(S->a, lt), sema_type_name(S->a, rt));
}

/* Quantity meets quantity or number in + - and comparisons: the common type, or NULL. */
static const SemaType *unit_join(const SemaType *lt, const SemaType *rt)
{
    bool lq = lt->kind == TY_QUANTITY, rq = rt->kind == TY_QUANTITY;
    if (lq && rq) return lt->dim == rt->dim ? lt : NULL;
    if (lq && sema_ty_numeric(rt)) return plain_mixes(lt) ? lt : NULL;
    if (rq && sema_ty_numeric(lt)) return plain_mixes(rt) ? rt : NULL;
    return NULL;
}

static void fold_arith(Sema *S, Node *e, const SemaType *t)
{
    const SemaValue *a = sema_get_const(S, e->binary.lhs), *b = sema_get_const(S, e->binary.rhs);
    if (!a || !b) return;
    int op = e->binary.op;
    if (t->kind == TY_INT) {
        if (a->kind != VAL_INT || b->kind != VAL_INT) return;
        int64_t r = 0;
        bool ovf = false;
        switch (op) {
        case OP_ADD: ovf = __builtin_add_overflow(a->i, b->i, &r); break;
        case OP_SUB: ovf = __builtin_sub_overflow(a->i, b->i, &r); break;
        case OP_MUL: ovf = __builtin_mul_overflow(a->i, b->i, &r); break;
        case OP_DIV:
            if (b->i == 0) {
                diag_error(S->d, NAS0411, e->loc, "division by zero");
                return;
            }
            if (a->i == INT64_MIN && b->i == -1) ovf = true;
            else r = a->i / b->i;
            break;
        default: return;
        }
        if (ovf) {
            diag_error(S->d, NAS0412, e->loc, "integer overflow in constant expression");
            return;
        }
        sema_set_const(S, e, val_int(r));
        return;
    }
    double x, y, r;
    if (!value_number(a, &x) || !value_number(b, &y)) return;
    switch (op) {
    case OP_ADD: r = x + y; break;
    case OP_SUB: r = x - y; break;
    case OP_MUL: r = x * y; break;
    case OP_DIV:
        if (y == 0) {
            diag_error(S->d, NAS0411, e->loc, "division by zero");
            return;
        }
        r = x / y;
        break;
    default: return;
    }
    SemaValue v = val_float(r);
    if (t->kind == TY_QUANTITY) {
        v.kind = VAL_QUANTITY;
        v.dim = t->dim;
    }
    sema_set_const(S, e, v);
}

static void fold_compare(Sema *S, Node *e)
{
    const SemaValue *a = sema_get_const(S, e->binary.lhs), *b = sema_get_const(S, e->binary.rhs);
    if (!a || !b) return;
    int c;
    double x, y;
    if (a->kind == VAL_STRING && b->kind == VAL_STRING) c = strcmp(a->s, b->s);
    else if (a->kind == VAL_BOOL && b->kind == VAL_BOOL) c = (int)(a->i - b->i);
    else if (a->kind == VAL_INT && b->kind == VAL_INT) c = (a->i > b->i) - (a->i < b->i);
    else if (value_number(a, &x) && value_number(b, &y)) c = (x > y) - (x < y);
    else return;
    bool r;
    switch (e->binary.op) {
    case OP_EQ: r = c == 0; break;
    case OP_NE: r = c != 0; break;
    case OP_LT: r = c < 0; break;
    case OP_LE: r = c <= 0; break;
    case OP_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    sema_set_const(S, e, val_bool(r));
}

static bool need_bool(Sema *S, Node *e, const SemaType *t, const char *what)
{
    if (t->kind == TY_BOOL || t->kind == TY_ERROR) return true;
    diag_error(S->d, NAS0403, e->loc, "%s needs a bool, not %s", what, sema_type_name(S->a, t));
    return false;
}

static const SemaType *check_binary(Sema *S, Node *e)
{
    const SemaType *lt = sema_expr(S, e->binary.lhs), *rt = sema_expr(S, e->binary.rhs);
    int op = e->binary.op;
    if (op == OP_AND || op == OP_OR) {
        bool ok = need_bool(S, e->binary.lhs, lt, ast_op_text(op));
        ok &= need_bool(S, e->binary.rhs, rt, ast_op_text(op));
        const SemaValue *a = sema_get_const(S, e->binary.lhs), *b = sema_get_const(S, e->binary.rhs);
        if (ok && a && b && a->kind == VAL_BOOL && b->kind == VAL_BOOL)
            sema_set_const(S, e, val_bool(op == OP_AND ? (a->i && b->i) : (a->i || b->i)));
        return &sema_ty_bool;
    }
    if (lt->kind == TY_ERROR || rt->kind == TY_ERROR) return op >= OP_EQ ? &sema_ty_bool : &sema_ty_error;
    bool lq = lt->kind == TY_QUANTITY, rq = rt->kind == TY_QUANTITY;
    if (op >= OP_EQ && op <= OP_GE) {
        bool ordered = op >= OP_LT;
        if (lq || rq) {
            if (!(lq || sema_ty_numeric(lt)) || !(rq || sema_ty_numeric(rt))) operands_error(S, e, lt, rt);
            else if (!unit_join(lt, rt)) units_error(S, e, lt, rt, "compare");
            else fold_compare(S, e);
        } else if (sema_ty_numeric(lt) && sema_ty_numeric(rt)) {
            fold_compare(S, e);
        } else if (!ordered && lt->kind == rt->kind && (lt->kind == TY_BOOL || lt->kind == TY_STRING)) {
            fold_compare(S, e);
        } else {
            operands_error(S, e, lt, rt);
        }
        return &sema_ty_bool;
    }
    /* arithmetic */
    const SemaType *t = NULL;
    if (lt->kind == TY_TENSOR && rt->kind == TY_TENSOR && op == OP_ADD) return &sema_ty_tensor;
    if (sema_ty_numeric(lt) && sema_ty_numeric(rt)) {
        t = lt->kind == TY_INT && rt->kind == TY_INT ? &sema_ty_int : &sema_ty_float;
    } else if (lq || rq) {
        if (!(lq || sema_ty_numeric(lt)) || !(rq || sema_ty_numeric(rt))) {
            operands_error(S, e, lt, rt);
            return &sema_ty_error;
        }
        if (op == OP_ADD || op == OP_SUB) {
            t = unit_join(lt, rt);
            if (!t) {
                units_error(S, e, lt, rt, op == OP_ADD ? "add" : "subtract");
                return &sema_ty_error;
            }
        } else if (op == OP_MUL) {
            if (lq && rq) {
                operands_error(S, e, lt, rt);
                return &sema_ty_error;
            }
            t = lq ? lt : rt;
        } else { /* OP_DIV */
            if (lq && rq) {
                if (lt->dim != rt->dim) {
                    units_error(S, e, lt, rt, "divide");
                    return &sema_ty_error;
                }
                t = &sema_ty_float;
            } else if (lq) {
                t = lt;
            } else {
                operands_error(S, e, lt, rt);
                return &sema_ty_error;
            }
        }
    } else {
        operands_error(S, e, lt, rt);
        return &sema_ty_error;
    }
    fold_arith(S, e, t);
    return t;
}

static const SemaType *check_unary(Sema *S, Node *e)
{
    const SemaType *t = sema_expr(S, e->unary.operand);
    const SemaValue *v = sema_get_const(S, e->unary.operand);
    if (e->unary.op == OP_NOT) {
        if (need_bool(S, e->unary.operand, t, "`not`") && v && v->kind == VAL_BOOL)
            sema_set_const(S, e, val_bool(!v->i));
        return &sema_ty_bool;
    }
    if (t->kind == TY_ERROR) return t;
    if (!sema_ty_numeric(t) && t->kind != TY_QUANTITY) {
        diag_error(S->d, NAS0402, e->loc, "unary `-` is not defined for %s", sema_type_name(S->a, t));
        return &sema_ty_error;
    }
    if (v && v->kind == VAL_INT) {
        if (v->i == INT64_MIN) diag_error(S->d, NAS0412, e->loc, "integer overflow in constant expression");
        else sema_set_const(S, e, val_int(-v->i));
    } else if (v) {
        SemaValue r = *v;
        r.f = -r.f;
        sema_set_const(S, e, r);
    }
    return t;
}

/* ---- calls and pipelines ---- */

static bool callable_sym(const SemaSym *s)
{
    return s && (s->kind == SYM_BLOCK || s->kind == SYM_EXTERN_BLOCK || s->kind == SYM_EXTERN_FN ||
                 ((s->kind == SYM_VOCAB) && s->sig));
}

static void not_callable(Sema *S, Node *at, SemaSym *s, const SemaType *t)
{
    int di;
    if (s && s->kind == SYM_MODEL)
        di = diag_error(S->d, NAS0507, at->loc, "`%s` is a model, which cannot be called", s->name);
    else di = diag_error(S->d, NAS0507, at->loc, "this is a %s, which cannot be called", sema_type_name(S->a, t));
    if (s && s->kind != SYM_VOCAB) diag_note(S->d, di, s->loc, "`%s` is declared here", s->name);
}

/* Resolves the callee of a call or a name target: the symbol when it names a callable. */
static SemaSym *callee_sym(Sema *S, Node *callee, const SemaType **vt)
{
    *vt = sema_expr(S, callee);
    return callee->kind == N_NAME && callable_sym(callee->sym) ? callee->sym : NULL;
}

static const SemaType *check_call(Sema *S, Node *e, const SemaType *input, Loc input_loc, bool partial)
{
    const SemaType *ct;
    SemaSym *s = callee_sym(S, e->call.callee, &ct);
    for (int i = 0; i < e->call.args.count; i++) {
        Node *a = e->call.args.items[i];
        a->type = (SemaType *)sema_expr(S, a->arg.value);
    }
    if (!s) {
        if (ct->kind == TY_CALLABLE) return &sema_ty_tensor; /* a decided layer: applied to x */
        if (ct->kind != TY_ERROR) not_callable(S, e->call.callee, e->call.callee->sym, ct);
        return &sema_ty_error;
    }
    const SemaSig *sig = sema_sig_of(S, s);
    sema_check_args(S, sig, e, input, input_loc, partial, true);
    if (partial) return sema_ty_callable(S, s->decl);
    return sig->result;
}

/* A choice item or oneof alternative outside a pipeline: a call that lacks only its first
 * argument is a partially applied layer (a callable); otherwise a full call. */
static const SemaType *check_item(Sema *S, Node *e)
{
    if (e->kind != N_CALL) return sema_expr(S, e);
    const SemaType *ct;
    SemaSym *s = callee_sym(S, e->call.callee, &ct);
    if (s && s->kind != SYM_EXTERN_FN && s->kind != SYM_VOCAB) {
        for (int i = 0; i < e->call.args.count; i++) {
            Node *a = e->call.args.items[i];
            a->type = (SemaType *)sema_expr(S, a->arg.value);
        }
        const SemaSig *sig = sema_sig_of(S, s);
        Loc none = e->loc;
        if (!sema_check_args(S, sig, e, NULL, none, false, false) &&
            sema_check_args(S, sig, e, NULL, none, true, false)) {
            e->type = (SemaType *)sema_ty_callable(S, s->decl);
            return e->type;
        }
    }
    return sema_expr(S, e);
}

/* The common type of choice items / oneof alternatives, reporting mixed kinds. */
static const SemaType *join_items(Sema *S, NodeList items, const SemaType **types)
{
    const SemaType *t = NULL;
    Node *first = NULL;
    for (int i = 0; i < items.count; i++) {
        const SemaType *it = types[i];
        if (it->kind == TY_ERROR) continue;
        if (!t) {
            t = it;
            first = items.items[i];
            continue;
        }
        if (!sema_ty_same_kind(t, it)) {
            int di = diag_error(S->d, NAS0404, items.items[i]->loc, "items of a choice must be of one kind: this is %s",
                                sema_type_name(S->a, it));
            diag_note(S->d, di, first->loc, "the first item is %s", sema_type_name(S->a, t));
            return &sema_ty_error;
        }
        if (t->kind == TY_INT && it->kind == TY_FLOAT) t = it;
        if (t->kind == TY_TENSOR && (t->has_shape != it->has_shape)) t = &sema_ty_tensor;
    }
    return t ? t : &sema_ty_error;
}

const SemaType *sema_apply(Sema *S, Node *target, const SemaType *input, Loc input_loc)
{
    const SemaType *r;
    if (target->kind == N_CALL) {
        r = check_call(S, target, input, input_loc, false);
        target->type = (SemaType *)r;
        return r;
    }
    if ((target->kind == N_CHOICE && target->choice.form == CHOICE_LIST) || target->kind == N_ONEOF) {
        NodeList items = target->kind == N_CHOICE ? target->choice.items : target->oneof.alts;
        const SemaType **ts = ARENA_ARRAY(S->a, const SemaType *, items.count + 1);
        for (int i = 0; i < items.count; i++) ts[i] = sema_apply(S, items.items[i], input, input_loc);
        if (items.count == 0) {
            diag_error(S->d, NAS0404, target->loc, "a choice needs at least one item");
            return &sema_ty_error;
        }
        r = join_items(S, items, ts);
        target->type = (SemaType *)sema_ty_callable(S, NULL);
        return r;
    }
    const SemaType *t;
    SemaSym *s = callee_sym(S, target, &t);
    if (s) {
        const SemaSig *sig = sema_sig_of(S, s);
        sema_check_args(S, sig, target, input, input_loc, false, true);
        return sig->result;
    }
    if (t->kind == TY_CALLABLE) return &sema_ty_tensor;
    if (t->kind != TY_ERROR) {
        int di = diag_error(S->d, NAS0507, target->loc, "the right side of `|>` must be a layer or block, not %s",
                            sema_type_name(S->a, t));
        if (target->sym && target->sym->kind != SYM_VOCAB)
            diag_note(S->d, di, target->sym->loc, "`%s` is declared here", target->sym->name);
    }
    return &sema_ty_error;
}

/* ---- decisions ---- */

static const SemaValue *range_bound(Sema *S, Node *b, bool *is_float)
{
    const SemaType *t = sema_expr(S, b);
    if (t->kind == TY_ERROR) return NULL;
    if (!sema_ty_numeric(t)) {
        diag_error(S->d, NAS0405, b->loc, "a range bound must be an int or a float, not %s", sema_type_name(S->a, t));
        return NULL;
    }
    /* Inside a block a bound may come from its parameters: constant per instance, lowering
     * takes its value there (and refuses one that depends on a decision). */
    const SemaValue *v = sema_get_const(S, b);
    if (!v && !(S->fn && S->fn->kind == N_BLOCK)) {
        diag_error(S->d, NAS0413, b->loc, "a range bound must be a constant (in a block: or the block's parameters)");
        return NULL;
    }
    if (t->kind == TY_FLOAT) *is_float = true;
    return v;
}

static const SemaType *check_range(Sema *S, Node *e)
{
    /* A log range of ints is an int (a geometric grid of ints); with a step (a factor) a float. */
    bool fl = e->choice.log && e->choice.step;
    const SemaValue *lo = range_bound(S, e->choice.lo, &fl);
    const SemaValue *hi = range_bound(S, e->choice.hi, &fl);
    const SemaValue *st = e->choice.step ? range_bound(S, e->choice.step, &fl) : NULL;
    double l, h, s;
    if (lo && hi && value_number(lo, &l) && value_number(hi, &h)) {
        if (l > h) {
            int di =
                diag_error(S->d, NAS0406, e->loc, "empty range: the lower bound %g exceeds the upper bound %g", l, h);
            diag_note(S->d, di, e->choice.lo->loc, "lower bound");
        } else if (e->choice.log && l <= 0) {
            diag_error(S->d, NAS0407, e->choice.lo->loc, "a log range needs a lower bound > 0, not %g", l);
        }
    }
    if (st && value_number(st, &s) && s <= (e->choice.log ? 1 : 0)) /* a log range's step is a factor */
        diag_error(S->d, NAS0408, e->choice.step->loc,
                   e->choice.log ? "the step of a log range is the factor between neighbouring values and must be "
                                   "> 1, not %g"
                                 : "the step of a range must be > 0, not %g",
                   s);
    return fl ? &sema_ty_float : &sema_ty_int;
}

/* `choice name ops`: the items of the list literal that `let ops` holds (a let that is never
 * reassigned), shared with it; false (reported) for anything else. */
static bool named_list(Sema *S, Node *e)
{
    Node *ref = e->choice.list_ref;
    const SemaType *t = sema_expr(S, ref);
    if (t->kind == TY_ERROR) return false;
    const SemaSym *sym = ref->sym;
    const Node *let = sym && sym->decl && sym->decl->kind == N_LET ? sym->decl : NULL;
    const Node *v = let && !sym->assigned ? let->let.value : NULL;
    if (!v || v->kind != N_LIST) {
        int di =
            diag_error(S->d, NAS0413, ref->loc, "`choice %s %s` needs `%s` to be a `let` of a list literal `[...]`",
                       e->choice.name, ref->name.id, ref->name.id);
        if (sym && sym->decl) diag_note(S->d, di, sym->loc, "`%s` is declared here", ref->name.id);
        return false;
    }
    e->choice.items = v->list.items;
    return true;
}

static const SemaType *check_choice(Sema *S, Node *e)
{
    if (e->choice.list_ref && !named_list(S, e)) return &sema_ty_error;
    switch (e->choice.form) {
    case CHOICE_BOOL: return &sema_ty_bool;
    case CHOICE_RANGE: return check_range(S, e);
    case CHOICE_LIST:
    case CHOICE_SUBSET: break;
    }
    NodeList items = e->choice.items;
    const SemaType **ts = ARENA_ARRAY(S->a, const SemaType *, items.count + 1);
    for (int i = 0; i < items.count; i++) ts[i] = check_item(S, items.items[i]);
    if (items.count == 0) {
        diag_error(S->d, NAS0404, e->loc, "a choice needs at least one item");
        return &sema_ty_error;
    }
    const SemaType *t = join_items(S, items, ts);
    if (e->choice.form == CHOICE_LIST) return t;
    const SemaType *kt = sema_expr(S, e->choice.k);
    const SemaValue *k = sema_get_const(S, e->choice.k);
    if (kt->kind != TY_ERROR) {
        if (kt->kind != TY_INT)
            diag_error(S->d, NAS0409, e->choice.k->loc, "the subset size must be an int, not %s",
                       sema_type_name(S->a, kt));
        else if (!k) diag_error(S->d, NAS0413, e->choice.k->loc, "the subset size must be a constant");
        else if (k->i < 1 || k->i > items.count)
            diag_error(S->d, NAS0409, e->choice.k->loc, "cannot choose %lld of %d items: need 1 <= k <= %d",
                       (long long)k->i, items.count, items.count);
    }
    return sema_ty_list_of(S, t);
}

/* ---- the expression switch ---- */

/* A list literal: like choice items, a call lacking only its first argument is a partially
 * applied layer, so `let ops = [conv2d(16), maxpool(3), zero]` lists ops for `choice e ops`
 * or for a block's `op: block` parameter. */
static const SemaType *check_list(Sema *S, Node *e)
{
    const SemaType **ts = ARENA_ARRAY(S->a, const SemaType *, e->list.items.count + 1);
    for (int i = 0; i < e->list.items.count; i++) ts[i] = check_item(S, e->list.items.items[i]);
    if (e->list.items.count == 0) return &sema_ty_list;
    const SemaType *t = join_items(S, e->list.items, ts);
    return sema_ty_list_of(S, t->kind == TY_ERROR ? NULL : t);
}

static const SemaType *check_member(Sema *S, Node *e)
{
    const SemaType *t = sema_expr(S, e->member.object);
    if (t->kind == TY_ERROR) return t;
    if (t->kind == TY_DATASET && (strcmp(e->member.field, "train") == 0 || strcmp(e->member.field, "test") == 0))
        return &sema_ty_data_part;
    /* A tensor's static shape, batch excluded; evaluated per instance (eval_shape.c). */
    static const char *const dims[] = {"channels", "height", "width", "shape"};
    if (t->kind == TY_TENSOR) {
        for (int i = 0; i < 4; i++)
            if (strcmp(e->member.field, dims[i]) == 0) return i < 3 ? &sema_ty_int : sema_ty_list_of(S, &sema_ty_int);
        int di = diag_error(S->d, NAS0416, e->member.field_loc,
                            "a tensor has `channels`, `height`, `width` and `shape`, not `%s`", e->member.field);
        const char *c = sema_closest(e->member.field, dims, 4);
        if (c) diag_note(S->d, di, e->member.field_loc, "did you mean `%s`?", c);
    } else if (t->kind == TY_DATASET) {
        int di = diag_error(S->d, NAS0416, e->member.field_loc, "a dataset has parts `train` and `test`, not `%s`",
                            e->member.field);
        static const char *const parts[] = {"train", "test"};
        const char *c = sema_closest(e->member.field, parts, 2);
        if (c) diag_note(S->d, di, e->member.field_loc, "did you mean `%s`?", c);
    } else {
        diag_error(S->d, NAS0416, e->member.field_loc,
                   "%s has no member `%s`: only a tensor (`x.channels`, `x.shape`, ...) and a dataset "
                   "(`d.train`) have members",
                   sema_type_name(S->a, t), e->member.field);
    }
    return &sema_ty_error;
}

static const SemaType *check_index(Sema *S, Node *e)
{
    const SemaType *t = sema_expr(S, e->index.object), *it = sema_expr(S, e->index.at);
    if (t->kind == TY_ERROR || it->kind == TY_ERROR) return &sema_ty_error;
    if (t->kind != TY_LIST) {
        diag_error(S->d, NAS0418, e->index.object->loc, "only a list can be indexed (such as `x.shape`), not %s",
                   sema_type_name(S->a, t));
        return &sema_ty_error;
    }
    if (it->kind != TY_INT) {
        diag_error(S->d, NAS0418, e->index.at->loc, "an index must be an int, not %s", sema_type_name(S->a, it));
        return &sema_ty_error;
    }
    const SemaValue *k = sema_get_const(S, e->index.at);
    int n = e->index.object->kind == N_LIST ? e->index.object->list.items.count : -1;
    if (k && (k->i < 0 || (n >= 0 && k->i >= n))) {
        diag_error(S->d, NAS0418, e->index.at->loc, "index %lld is outside the list", (long long)k->i);
        return &sema_ty_error;
    }
    return t->elem ? t->elem : &sema_ty_error;
}

static const SemaType *check_oneof(Sema *S, Node *e)
{
    NodeList alts = e->oneof.alts;
    const SemaType **ts = ARENA_ARRAY(S->a, const SemaType *, alts.count + 1);
    for (int i = 0; i < alts.count; i++) ts[i] = check_item(S, alts.items[i]);
    if (alts.count == 0) {
        diag_error(S->d, NAS0404, e->loc, "`oneof` needs at least one alternative");
        return &sema_ty_error;
    }
    return join_items(S, alts, ts);
}

const SemaType *sema_expr(Sema *S, Node *e)
{
    if (!e) return &sema_ty_error; /* a part the parser could not recover */
    if (e->type) return e->type;
    const SemaType *t = &sema_ty_error;
    SemaValue v = {0};
    switch (e->kind) {
    case N_INT:
        t = &sema_ty_int;
        v = val_int(e->num.i);
        break;
    case N_FLOAT:
        t = &sema_ty_float;
        v = val_float(e->num.f);
        break;
    case N_BOOL:
        t = &sema_ty_bool;
        v = val_bool(e->num.i != 0);
        break;
    case N_QUANTITY:
        t = sema_ty_quantity(e->num.dim);
        v = (SemaValue){.kind = VAL_QUANTITY, .f = e->num.f, .dim = e->num.dim};
        break;
    case N_STRING:
        t = &sema_ty_string;
        v = (SemaValue){.kind = VAL_STRING, .s = e->str.value};
        break;
    case N_NAME: t = type_of_name(S, e); break;
    case N_LIST: t = check_list(S, e); break;
    case N_CALL: t = check_call(S, e, NULL, e->loc, false); break;
    case N_ARG: t = sema_expr(S, e->arg.value); break;
    case N_MEMBER: t = check_member(S, e); break;
    case N_INDEX: t = check_index(S, e); break;
    case N_UNARY: t = check_unary(S, e); break;
    case N_BINARY: t = check_binary(S, e); break;
    case N_PIPE: {
        const SemaType *in = sema_expr(S, e->pipe.lhs);
        t = sema_apply(S, e->pipe.rhs, in, e->pipe.lhs->loc);
        break;
    }
    case N_SPLIT: {
        const SemaType *d = sema_expr(S, e->split.data);
        if (d->kind != TY_DATA_PART && d->kind != TY_ERROR)
            diag_error(S->d, NAS0309, e->split.data->loc, "`split` needs a dataset part such as `d.train`, not %s",
                       sema_type_name(S->a, d));
        sema_expr(S, e->split.ratio);
        t = &sema_ty_data_part;
        break;
    }
    case N_CHOICE: t = check_choice(S, e); break;
    case N_ONEOF: t = check_oneof(S, e); break;
    default: break; /* declarations and parts are not expressions */
    }
    if (v.kind) sema_set_const(S, e, v);
    e->type = (SemaType *)t;
    return t;
}
