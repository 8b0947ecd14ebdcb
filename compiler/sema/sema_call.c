/* sema_call.c — signatures of blocks, layers, fns and setting options, and argument checking. */
#include <string.h>
#include "sema_int.h"

SemaSig *sema_sig_builtin(Arena *a, const char *name, const SemaType *result, int n, const char *const *names,
                          const SemaType *const *types, const bool *has_default)
{
    SemaSig *sig = ARENA_NEW(a, SemaSig);
    sig->name = name;
    sig->result = result;
    sig->nparams = n;
    sig->params = ARENA_ARRAY(a, SemaParam, n ? n : 1);
    for (int i = 0; i < n; i++) {
        sig->params[i].name = names[i];
        sig->params[i].type = types[i];
        sig->params[i].has_default = has_default[i];
    }
    return sig;
}

/* Builds the signature of a declared block/layer/fn in its own module's top-level scope. */
const SemaSig *sema_sig_of(Sema *S, SemaSym *callee)
{
    if (callee->sig) return callee->sig;
    Node *fn = callee->decl;
    Sema saved = *S;
    S->scope = NULL;
    S->fn = NULL;
    S->vocab = NULL;
    for (int i = 0; i < S->p->nmodules; i++)
        if (S->p->modules[i] == callee->module) {
            S->modidx = i;
            S->mod = callee->module;
        }
    SemaSig *sig = ARENA_NEW(S->a, SemaSig);
    callee->sig = sig; /* set first: a default value may mention the callee itself */
    sig->name = callee->name;
    sig->loc = fn->fndef.name_loc;
    sig->has_loc = true;
    sig->nparams = fn->fndef.params.count;
    sig->params = ARENA_ARRAY(S->a, SemaParam, sig->nparams ? sig->nparams : 1);
    sig->result = &sema_ty_error;
    for (int i = 0; i < sig->nparams; i++) {
        Node *p = fn->fndef.params.items[i];
        SemaParam *sp = &sig->params[i];
        sp->name = p->param.name;
        sp->loc = p->param.name_loc;
        sp->has_loc = true;
        sp->type = p->param.type ? sema_type_of(S, p->param.type) : &sema_ty_error;
        p->type = (SemaType *)sp->type;
        sp->has_default = p->param.dflt != NULL;
        for (int j = 0; j < i; j++)
            if (strcmp(sig->params[j].name, sp->name) == 0) {
                int di = diag_error(S->d, NAS0302, sp->loc, "parameter `%s` is declared twice", sp->name);
                diag_note(S->d, di, sig->params[j].loc, "first declared here");
            }
        if (p->param.dflt) {
            const SemaType *dt = sema_expr(S, p->param.dflt);
            if (!sema_ty_assignable(sp->type, dt))
                diag_error(S->d, NAS0414, p->param.dflt->loc, "default value of `%s` is %s, but the parameter is %s",
                           sp->name, sema_type_name(S->a, dt), sema_type_name(S->a, sp->type));
        }
    }
    if (fn->fndef.result) sig->result = sema_type_of(S, fn->fndef.result);
    else sig->result = fn->fndef.is_fn ? &sema_ty_float : &sema_ty_tensor;
    S->scope = saved.scope;
    S->fn = saved.fn;
    S->vocab = saved.vocab;
    S->modidx = saved.modidx;
    S->mod = saved.mod;
    return sig;
}

static void sig_note(Sema *S, int di, const SemaSig *sig)
{
    if (!sig->has_loc) return;
    char *text = arena_printf(S->a, "%s(", sig->name);
    for (int i = 0; i < sig->nparams; i++)
        text = arena_printf(S->a, "%s%s%s%s", text, i ? ", " : "", sig->params[i].name,
                            sig->params[i].has_default ? " = ..." : "");
    diag_note(S->d, di, sig->loc, "`%s)` is declared here", text);
}

bool sema_check_args(Sema *S, const SemaSig *sig, Node *call, const SemaType *input, Loc input_loc, bool partial,
                     bool report)
{
    int n = sig->nparams;
    bool *filled = ARENA_ARRAY(S->a, bool, n + 1);
    bool ok = true;
    int pos = 0, di;
    if (partial || input) {
        if (n == 0) {
            if (report) {
                di = diag_error(S->d, NAS0503, input ? input_loc : call->loc,
                                "`%s` takes no arguments, so it cannot take the pipeline's input", sig->name);
                sig_note(S, di, sig);
            }
            return false;
        }
        filled[0] = true;
        pos = 1;
        if (input && !sema_ty_assignable(sig->params[0].type, input)) {
            if (!report) return false;
            di =
                diag_error(S->d, NAS0506, input_loc, "`%s` expects %s as its input `%s`, got %s", sig->name,
                           sema_type_name(S->a, sig->params[0].type), sig->params[0].name, sema_type_name(S->a, input));
            sig_note(S, di, sig);
            ok = false;
        }
    }
    NodeList args = call && call->kind == N_CALL ? call->call.args : (NodeList){0};
    /* With too many positional arguments they no longer line up with the parameters:
     * report the count, not the types. */
    int npos = pos;
    for (int i = 0; i < args.count; i++) npos += args.items[i]->arg.name == NULL;
    bool misaligned = npos > n;
    bool seen_kw = false;
    for (int i = 0; i < args.count; i++) {
        Node *a = args.items[i];
        const SemaType *at = a->arg.value->type ? a->arg.value->type : &sema_ty_error;
        int slot;
        if (!a->arg.name) {
            if (seen_kw) {
                if (!report) return false;
                di = diag_error(S->d, NAS0505, a->loc, "positional argument after a keyword argument");
                sig_note(S, di, sig);
                ok = false;
                continue;
            }
            if (pos >= n) {
                if (!report) return false;
                di = diag_error(S->d, NAS0503, a->loc, "too many positional arguments: `%s` takes %d%s", sig->name, n,
                                input ? " (including the pipeline's input)" : "");
                sig_note(S, di, sig);
                ok = false;
                continue;
            }
            slot = pos++;
        } else {
            seen_kw = true;
            slot = -1;
            for (int j = 0; j < n; j++)
                if (strcmp(sig->params[j].name, a->arg.name) == 0) slot = j;
            if (slot < 0) {
                if (!report) return false;
                di = diag_error(S->d, NAS0501, a->arg.name_loc, "`%s` has no parameter `%s`", sig->name, a->arg.name);
                const char **names = ARENA_ARRAY(S->a, const char *, n + 1);
                for (int j = 0; j < n; j++) names[j] = sig->params[j].name;
                const char *c = sema_closest(a->arg.name, names, n);
                if (c) diag_note(S->d, di, a->arg.name_loc, "did you mean `%s`?", c);
                sig_note(S, di, sig);
                ok = false;
                continue;
            }
            if (filled[slot]) {
                if (!report) return false;
                di = diag_error(S->d, NAS0504, a->arg.name_loc, "argument `%s` is given twice", a->arg.name);
                sig_note(S, di, sig);
                ok = false;
                continue;
            }
        }
        filled[slot] = true;
        if (!misaligned && !sema_ty_assignable(sig->params[slot].type, at)) {
            if (!report) return false;
            di = diag_error(S->d, NAS0506, a->arg.value->loc, "argument `%s` of `%s` must be %s, not %s",
                            sig->params[slot].name, sig->name, sema_type_name(S->a, sig->params[slot].type),
                            sema_type_name(S->a, at));
            if (sig->params[slot].has_loc) diag_note(S->d, di, sig->params[slot].loc, "parameter declared here");
            ok = false;
        }
    }
    for (int j = 0; j < n && !(seen_kw && !ok); j++) { /* after a misplaced argument, holes are noise */
        if (filled[j] || sig->params[j].has_default) continue;
        if (!report) return false;
        di = diag_error(S->d, NAS0502, call ? call->loc : input_loc, "missing argument `%s` of `%s`",
                        sig->params[j].name, sig->name);
        sig_note(S, di, sig);
        ok = false;
    }
    return ok;
}
