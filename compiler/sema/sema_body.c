/* sema_body.c — blocks and models: parameters, statements, block-local scopes, returns. */
#include <string.h>
#include "sema_int.h"

static bool assigned_in(NodeList body, const char *name)
{
    for (int i = 0; i < body.count; i++) {
        Node *n = body.items[i];
        if (n->kind == N_ASSIGN && strcmp(n->assign.name, name) == 0) return true;
        if (n->kind == N_REPEAT && assigned_in(n->repeat.body, name)) return true;
        if (n->kind == N_IF && (assigned_in(n->if_.then, name) || assigned_in(n->if_.els, name))) return true;
    }
    return false;
}

static bool returns(NodeList body)
{
    for (int i = 0; i < body.count; i++) {
        Node *n = body.items[i];
        if (n->kind == N_RETURN) return true;
        if (n->kind == N_REPEAT && returns(n->repeat.body)) return true;
        if (n->kind == N_IF && (returns(n->if_.then) || returns(n->if_.els))) return true;
    }
    return false;
}

static void check_stmts(Sema *S, NodeList body, const SemaSig *sig);

static void check_scoped(Sema *S, NodeList body, const SemaSig *sig)
{
    sema_push_scope(S);
    check_stmts(S, body, sig);
    sema_pop_scope(S);
}

static void check_assign(Sema *S, Node *n)
{
    const SemaType *t = sema_expr(S, n->assign.value);
    SemaSym *s = sema_find(S, n->assign.name);
    n->sym = s;
    if (!s) {
        int di = diag_error(S->d, NAS0304, n->assign.name_loc,
                            "assignment to undeclared name `%s` (use `let %s = ...` to declare it)", n->assign.name,
                            n->assign.name);
        sema_suggest_name(S, di, n->assign.name, n->assign.name_loc);
        return;
    }
    if (s->kind != SYM_LOCAL && s->kind != SYM_PARAM) {
        int di =
            diag_error(S->d, NAS0305, n->assign.name_loc,
                       "cannot assign to `%s`: only parameters and lets of this block can be rebound", n->assign.name);
        if (s->kind != SYM_VOCAB) diag_note(S->d, di, s->loc, "`%s` is declared here", s->name);
        return;
    }
    s->assigned = true;
    if (s->type && !sema_ty_assignable(s->type, t) && !(s->type->kind == TY_TENSOR && t->kind == TY_TENSOR)) {
        int di = diag_error(S->d, NAS0414, n->assign.value->loc, "`%s` is %s; cannot assign %s", s->name,
                            sema_type_name(S->a, s->type), sema_type_name(S->a, t));
        diag_note(S->d, di, s->loc, "`%s` is declared here", s->name);
    }
}

static void check_stmts(Sema *S, NodeList body, const SemaSig *sig)
{
    for (int i = 0; i < body.count; i++) {
        Node *n = body.items[i];
        switch (n->kind) {
        case N_LET: {
            const SemaType *t = sema_expr(S, n->let.value);
            SemaSym *s = sema_new_sym(S, SYM_LOCAL, n->let.name, n->let.name_loc, n);
            s->type = t;
            s->assigned = assigned_in(S->fn->fndef.body, n->let.name);
            const SemaValue *v = sema_get_const(S, n->let.value);
            if (v && !s->assigned) sema_set_const(S, n, *v);
            n->sym = s;
            sema_declare_local(S, s);
            break;
        }
        case N_ASSIGN: check_assign(S, n); break;
        case N_RETURN: {
            const SemaType *t = sema_expr(S, n->ret.value);
            if (!sema_ty_assignable(sig->result, t))
                diag_error(S->d, NAS0414, n->ret.value->loc, "`%s` returns %s, but its result type is %s", sig->name,
                           sema_type_name(S->a, t), sema_type_name(S->a, sig->result));
            break;
        }
        case N_REPEAT: {
            const SemaType *t = sema_expr(S, n->repeat.count);
            const SemaValue *v = sema_get_const(S, n->repeat.count);
            if (t->kind != TY_INT && t->kind != TY_ERROR)
                diag_error(S->d, NAS0410, n->repeat.count->loc, "the repeat count must be an int, not %s",
                           sema_type_name(S->a, t));
            else if (v && v->kind == VAL_INT && v->i < 0)
                diag_error(S->d, NAS0410, n->repeat.count->loc, "the repeat count must be >= 0, not %lld",
                           (long long)v->i);
            check_scoped(S, n->repeat.body, sig);
            break;
        }
        case N_IF: {
            const SemaType *t = sema_expr(S, n->if_.cond);
            if (t->kind != TY_BOOL && t->kind != TY_ERROR)
                diag_error(S->d, NAS0403, n->if_.cond->loc, "the condition of `if` needs a bool, not %s",
                           sema_type_name(S->a, t));
            check_scoped(S, n->if_.then, sig);
            check_scoped(S, n->if_.els, sig);
            break;
        }
        default: sema_expr(S, n); break;
        }
    }
}

void sema_check_fndef(Sema *S, Node *fn)
{
    SemaSym *self = symtab_find(&S->info->modtabs[S->modidx], fn->fndef.name);
    if (!self || self->decl != fn) { /* a duplicate (already reported): check it on its own */
        self = sema_new_sym(S, fn->kind == N_MODEL ? SYM_MODEL : SYM_BLOCK, fn->fndef.name, fn->fndef.name_loc, fn);
    }
    const SemaSig *sig = sema_sig_of(S, self);
    if (fn->kind == N_EXTERN) return;
    S->fn = fn;
    sema_push_scope(S);
    for (int i = 0; i < fn->fndef.params.count; i++) {
        Node *p = fn->fndef.params.items[i];
        if (i > 0 && symtab_find(&S->scope->tab, p->param.name)) continue; /* reported by the sig */
        SemaSym *s = sema_new_sym(S, SYM_PARAM, p->param.name, p->param.name_loc, p);
        s->type = sig->params[i].type;
        p->sym = s;
        sema_declare_local(S, s);
    }
    sema_push_scope(S);
    check_stmts(S, fn->fndef.body, sig);
    sema_pop_scope(S);
    sema_pop_scope(S);
    S->fn = NULL;
    if (!returns(fn->fndef.body))
        diag_error(S->d, NAS0415, fn->fndef.name_loc, "`%s` never returns a value", fn->fndef.name);
}
