/* sema_setting_check.c — checks the settings of each declaration (dataset, controller, search,
 * train, reward, proxy, trainer) against the settings table (settings.h): names, value types
 * and ranges, options like sgd(...), the words of `stop when`, `keep when` and reward metrics. */
#include <string.h>
#include <math.h>
#include "settings.h"
#include "sema_int.h"

#define COUNT(arr) (int)(sizeof arr / sizeof arr[0])

/* ---- vocabularies ---- */

typedef struct Word {
    const char *name;
    const SemaType *type;
} Word;
static const Word metric_words[] = {
    {"accuracy", &sema_ty_float}, {"loss", &sema_ty_float},   {"latency", &sema_ty_time},
    {"memory", &sema_ty_memory},  {"params", &sema_ty_count}, {"flops", &sema_ty_count},
};
static const Word stop_words[] = {
    {"failed", &sema_ty_ratio},
    {"trials", &sema_ty_int},
    {"elapsed", &sema_ty_time},
};
/* `correlation` is Kendall's tau (docs/nasrun.md, Proxy-task design). */
static const Word keep_words[] = {
    {"correlation", &sema_ty_float}, {"kendall", &sema_ty_float}, {"spearman", &sema_ty_float}};

static SemaSig *option_sig(Sema *S, const Option *o, const SemaType *result)
{
    const char *names[8];
    const SemaType *types[8];
    bool dflt[8];
    for (int i = 0; i < o->n; i++) {
        names[i] = o->params[i].name;
        types[i] = o->params[i].type;
        dflt[i] = o->params[i].has_default;
    }
    return sema_sig_builtin(S->a, o->name, result, o->n, names, types, dflt);
}

static SymTab *vocab(Sema *S, const Word *w, int n)
{
    SymTab *t = ARENA_NEW(S->a, SymTab);
    for (int i = 0; i < n; i++) {
        SemaSym *s = sema_new_sym(S, SYM_VOCAB, w[i].name, (Loc){0}, NULL);
        s->module = NULL;
        s->type = w[i].type;
        symtab_put(S->a, t, s);
    }
    return t;
}

static SymTab *stop_vocab(Sema *S)
{
    SymTab *t = vocab(S, stop_words, COUNT(stop_words));
    SemaSym *s = sema_new_sym(S, SYM_VOCAB, "converged", (Loc){0}, NULL);
    s->module = NULL;
    s->type = &sema_ty_bool;
    s->sig = option_sig(S, &settings_converged, &sema_ty_bool);
    symtab_put(S->a, t, s);
    return t;
}

/* Metric names in e: known ones resolve through the vocabulary; with a trainer declared,
 * any other free name is one of its reported metrics (a float); otherwise NAS0609. */
static void declare_metrics(Sema *S, SymTab *words, Node *e)
{
    if (!e) return;
    switch (e->kind) {
    case N_NAME:
        if (symtab_find(words, e->name.id) || sema_find(S, e->name.id)) return; /* a metric, or a constant */
        if (S->has_trainer) {
            SemaSym *s = sema_new_sym(S, SYM_VOCAB, e->name.id, e->loc, NULL);
            s->module = NULL;
            s->type = &sema_ty_float;
            symtab_put(S->a, words, s);
            return;
        }
        {
            const char *names[COUNT(metric_words)];
            for (int i = 0; i < COUNT(metric_words); i++) names[i] = metric_words[i].name;
            int di = diag_error(S->d, NAS0609, e->loc, "unknown metric `%s`", e->name.id);
            const char *c = sema_closest(e->name.id, names, COUNT(metric_words));
            if (c) diag_note(S->d, di, e->loc, "did you mean `%s`?", c);
            else
                diag_note(S->d, di, e->loc,
                          "metrics are accuracy, loss, latency, memory, params, flops, "
                          "and those a declared trainer reports");
            e->type = (SemaType *)&sema_ty_error;
        }
        return;
    case N_BINARY:
        declare_metrics(S, words, e->binary.lhs);
        declare_metrics(S, words, e->binary.rhs);
        return;
    case N_UNARY: declare_metrics(S, words, e->unary.operand); return;
    default: return;
    }
}

/* ---- values ---- */

static const SemaType *expr_in(Sema *S, Node *e, SymTab *words)
{
    SymTab *saved = S->vocab;
    S->vocab = words;
    const SemaType *t = sema_expr(S, e);
    S->vocab = saved;
    return t;
}

static void wrong_value(Sema *S, Node *v, const char *key, const char *want, const SemaType *got)
{
    if (got->kind == TY_ERROR) return;
    diag_error(S->d, NAS0604, v->loc, "`%s` needs %s, not %s", key, want, sema_type_name(S->a, got));
}

/* A value that is not a constant. A decision is accepted where the table allows one (a
 * training value: it becomes a decision of the space, ranges are checked per trial); true
 * when the value was refused. */
static bool refused(Sema *S, Node *v, const char *what, bool decidable)
{
    if (!sema_has_decision(v)) {
        diag_error(S->d, NAS0413, v->loc, "%s needs a constant", what);
        return true;
    }
    if (decidable) return false;
    int di = diag_error(S->d, NAS0413, v->loc, "%s cannot be a decision", what);
    diag_note(S->d, di, v->loc,
              "decisions may set the training values of a search or train: epochs, batch, "
              "clip_norm and the numbers of optimizer and schedule");
    return true;
}

/* A decided training value: each constant value of its choice must be >= min (> min when
 * open), reported at the value; a trial would fail on it. */
static void check_decided_range(Sema *S, const Node *expr, const char *what, double min, bool open)
{
    const Node *e = sema_choice_of(expr);
    int n = !e ? 0 : e->choice.form == CHOICE_LIST ? e->choice.items.count : e->choice.form == CHOICE_RANGE ? 1 : 0;
    for (int i = 0; i < n; i++) {
        const Node *it = e->choice.form == CHOICE_RANGE ? e->choice.lo : e->choice.items.items[i];
        double x;
        if (sema_const_number(S->p, it, &x) && (open ? x <= min : x < min))
            diag_error(S->d, NAS0612, it->loc, "%s must be %s %g, but the decision can be %g", what,
                       open ? ">" : ">=", min, x);
    }
}

static void check_int(Sema *S, Node *v, const char *key, int64_t min, bool decidable)
{
    const SemaType *t = sema_expr(S, v);
    if (t->kind != TY_INT) {
        wrong_value(S, v, key, "an int", t);
        return;
    }
    const SemaValue *c = sema_get_const(S, v);
    const char *what = arena_printf(S->a, "`%s`", key);
    if (!c) {
        if (!refused(S, v, what, decidable)) check_decided_range(S, v, what, (double)min, false);
    } else if (c->i < min)
        diag_error(S->d, NAS0612, v->loc, "`%s` must be >= %lld, not %lld", key, (long long)min, (long long)c->i);
}

static void check_positive(Sema *S, Node *v, const char *key, const SemaType *want, bool positive, bool decidable)
{
    const SemaType *t = sema_expr(S, v);
    if (!sema_ty_assignable(want, t) || (want->kind == TY_QUANTITY && t->kind != TY_QUANTITY)) {
        wrong_value(S, v, key, want->kind == TY_QUANTITY ? "a time such as `30min`" : "a number", t);
        return;
    }
    const SemaValue *c = sema_get_const(S, v);
    double x = 0;
    const char *what = arena_printf(S->a, "`%s`", key);
    if (!c) {
        if (!refused(S, v, what, decidable)) check_decided_range(S, v, what, 0, positive);
    } else if (positive && sema_const_number(S->p, v, &x) && x <= 0)
        diag_error(S->d, NAS0612, v->loc, "`%s` must be > 0", key);
}

static void check_fraction(Sema *S, Node *v, const char *key)
{
    const SemaType *t = sema_expr(S, v);
    if (!sema_ty_assignable(&sema_ty_float, t)) {
        wrong_value(S, v, key, "a number", t);
        return;
    }
    double x = 0;
    if (!sema_get_const(S, v)) refused(S, v, arena_printf(S->a, "`%s`", key), false);
    else if (sema_const_number(S->p, v, &x) && !(x >= 0 && x < 1))
        diag_error(S->d, NAS0612, v->loc, "`%s` must be in [0, 1), not %g", key, x);
}

/* An item of a list of multipliers: a constant number in (0, 1]. */
static void check_multiplier(Sema *S, Node *v, const char *key)
{
    const SemaType *t = sema_expr(S, v);
    if (!sema_ty_assignable(&sema_ty_float, t)) {
        wrong_value(S, v, key, "a number", t);
        return;
    }
    double x = 0;
    if (!sema_get_const(S, v)) diag_error(S->d, NAS0413, v->loc, "`%s` needs constants", key);
    else if (sema_const_number(S->p, v, &x) && !(x > 0 && x <= 1))
        diag_error(S->d, NAS0612, v->loc, "a multiplier of `%s` must be in (0, 1], not %g", key, x);
}

static void check_list(Sema *S, Node *v, const SettingSpec *sp)
{
    bool percents = sp->kind == SK_PERCENT_LIST;
    const SemaType *t = sema_expr(S, v);
    if (t->kind == TY_ERROR) return;
    if (v->kind != N_LIST || v->list.items.count == 0) {
        wrong_value(S, v, sp->key,
                    percents                         ? "a list of percents such as `[10%, 100%]`"
                    : sp->kind == SK_MULTIPLIER_LIST ? "a list of numbers in (0, 1] such as `[0.5, 1]`"
                                                     : "a list of ints such as `[1, 28, 28]`",
                    t);
        if (v->kind == N_LIST) diag_error(S->d, NAS0608, v->loc, "`%s` needs at least one item", sp->key);
        return;
    }
    for (int i = 0; i < v->list.items.count; i++) {
        Node *it = v->list.items.items[i];
        if (sp->kind == SK_MULTIPLIER_LIST) {
            check_multiplier(S, it, sp->key);
            continue;
        }
        if (!percents) {
            check_int(S, it, sp->key, sp->min, false);
            continue;
        }
        const SemaType *et = it->type;
        const SemaValue *c = sema_get_const(S, it);
        if (!(et->kind == TY_QUANTITY && et->dim == DIM_RATIO)) wrong_value(S, it, sp->key, "a percent", et);
        else if (!c) diag_error(S->d, NAS0413, it->loc, "`%s` needs constants", sp->key);
        else if (c->f <= 0 || c->f > 1 + 1e-12)
            diag_error(S->d, NAS0612, it->loc, "a percent of `%s` must be in (0%%, 100%%]", sp->key);
    }
}

static void check_option(Sema *S, Node *v, const SettingSpec *sp)
{
    Node *head = v->kind == N_CALL ? v->call.callee : v;
    if (head->kind != N_NAME) {
        const SemaType *t = sema_expr(S, v);
        char *want = arena_printf(S->a, "one of: %s", sp->opts[0].name);
        for (int i = 1; i < sp->nopts; i++) want = arena_printf(S->a, "%s, %s", want, sp->opts[i].name);
        wrong_value(S, v, sp->key, want, t);
        return;
    }
    const Option *o = NULL;
    const char **names = ARENA_ARRAY(S->a, const char *, sp->nopts); /* as many as the setting has */
    for (int i = 0; i < sp->nopts; i++) {
        names[i] = sp->opts[i].name;
        if (strcmp(sp->opts[i].name, head->name.id) == 0) o = &sp->opts[i];
    }
    if (v->kind == N_CALL)
        for (int i = 0; i < v->call.args.count; i++) {
            Node *a = v->call.args.items[i];
            a->type = (SemaType *)sema_expr(S, a->arg.value);
        }
    if (!o) {
        char *all = arena_strdup(S->a, names[0]);
        for (int i = 1; i < sp->nopts; i++) all = arena_printf(S->a, "%s | %s", all, names[i]);
        int di = diag_error(S->d, NAS0605, head->loc, "unknown %s `%s` (expected %s)", sp->key, head->name.id, all);
        const char *c = sema_closest(head->name.id, names, sp->nopts);
        if (c) diag_note(S->d, di, head->loc, "did you mean `%s`?", c);
        return;
    }
    head->type = (SemaType *)&sema_ty_decl;
    v->type = (SemaType *)&sema_ty_decl;
    if (!sema_check_args(S, option_sig(S, o, &sema_ty_decl), v, NULL, v->loc, false, true)) return;
    /* Arguments are constants, or decisions where the setting may be decided (numbers only). */
    for (int i = 0, pos = 0; v->kind == N_CALL && i < v->call.args.count; i++) {
        Node *a = v->call.args.items[i];
        const char *name = a->arg.name;
        if (!name) name = pos < o->n ? o->params[pos++].name : "?";
        const OptParam *pa = NULL;
        for (int j = 0; j < o->n; j++)
            if (strcmp(o->params[j].name, name) == 0) pa = &o->params[j];
        double x = 0;
        if (sema_get_const(S, a->arg.value)) {
            if (pa && pa->positive && sema_const_number(S->p, a->arg.value, &x) && x <= 0)
                diag_error(S->d, NAS0612, a->arg.value->loc, "`%s` of `%s` must be > 0", name, o->name);
            continue;
        }
        if (a->type && a->type->kind == TY_ERROR) continue;
        const char *what = arena_printf(S->a, "`%s` of `%s`", name, o->name);
        if (!refused(S, a->arg.value, what, sp->decidable && pa && (pa->ftype == F_INT || pa->ftype == F_FLOAT)))
            check_decided_range(S, a->arg.value, what, 0, pa->positive);
    }
}

/* A constant percent > 0, or NULL (the caller reports the split once). */
static const SemaValue *percent_of(Sema *S, Node *e, bool *bad)
{
    const SemaType *t = sema_expr(S, e);
    const SemaValue *c = sema_get_const(S, e);
    if (t->kind == TY_ERROR) return NULL;
    if (t->kind != TY_QUANTITY || t->dim != DIM_RATIO || !c || c->f <= 0) {
        *bad = true;
        return NULL;
    }
    return c;
}

/* The datasets a file can name, for the note of an undefined one: "`a`, `b`" or NULL. */
static const char *dataset_names(Sema *S)
{
    const char *all = NULL;
    for (int m = 0; m < S->p->nmodules; m++) {
        const SymTab *t = &S->info->modtabs[m];
        for (int j = 0; j < t->cap; j++)
            if (t->slots[j] && t->slots[j]->kind == SYM_DATASET)
                all = all ? arena_printf(S->a, "%s, `%s`", all, t->slots[j]->name)
                          : arena_printf(S->a, "`%s`", t->slots[j]->name);
    }
    return all;
}

static void check_data_part(Sema *S, Node *e, const char *key)
{
    int before = S->d->count;
    const SemaType *t = sema_expr(S, e);
    Node *obj = e->kind == N_MEMBER ? e->member.object : e;
    if (obj->kind == N_NAME && !obj->sym && S->d->count > before) { /* an undefined dataset */
        const char *names = dataset_names(S);
        if (names) diag_note(S->d, S->d->count - 1, obj->loc, "the declared datasets are %s", names);
        else
            diag_note(S->d, S->d->count - 1, obj->loc, "no dataset is declared: add `dataset %s { ... }`",
                      obj->name.id);
    }
    if (t->kind != TY_DATA_PART && t->kind != TY_ERROR) {
        int di = diag_error(S->d, NAS0309, e->loc, "`%s` needs a dataset part such as `d.train`, not %s", key,
                            sema_type_name(S->a, t));
        if (e->sym && e->sym->kind == SYM_DATASET)
            diag_note(S->d, di, e->loc, "write `%s.train` or `%s.test`", e->sym->name, e->sym->name);
    }
}

static void check_split(Sema *S, Node *v)
{
    if (v->kind != N_SPLIT) {
        check_data_part(S, v, "data");
        if (v->type && v->type->kind == TY_DATA_PART)
            diag_error(S->d, NAS0606, v->loc, "a search needs a validation part: write `%s split 90%% / 10%%`",
                       "d.train");
        return;
    }
    check_data_part(S, v->split.data, "data");
    v->type = (SemaType *)&sema_ty_data_part;
    Node *r = v->split.ratio;
    if (r->kind != N_BINARY || r->binary.op != OP_DIV) {
        diag_error(S->d, NAS0606, r->loc, "a split is written `a / b`, for example `90%% / 10%%`");
        return;
    }
    bool bad = false;
    const SemaValue *a = percent_of(S, r->binary.lhs, &bad), *b = percent_of(S, r->binary.rhs, &bad);
    if (bad)
        diag_error(S->d, NAS0606, r->loc,
                   "the parts of a split must be constant percents greater than 0%%, "
                   "such as `90%% / 10%%`");
    else if (a && b && fabs(a->f + b->f - 1.0) > 1e-9)
        diag_error(S->d, NAS0606, r->loc, "the parts of a split must sum to 100%%, not %g%%", (a->f + b->f) * 100);
}

static void check_data_pair(Sema *S, Node *v)
{
    if (v->kind == N_BINARY && v->binary.op == OP_DIV) {
        check_data_part(S, v->binary.lhs, "data");
        check_data_part(S, v->binary.rhs, "data");
        v->type = (SemaType *)&sema_ty_data_part;
    } else {
        check_data_part(S, v, "data");
    }
}

static void check_when(Sema *S, Node *v, SymTab *words, const char *key)
{
    const SemaType *t = expr_in(S, v, words);
    if (t->kind != TY_BOOL && t->kind != TY_ERROR)
        diag_error(S->d, NAS0403, v->loc, "`%s when` needs a condition (a bool), not %s", key, sema_type_name(S->a, t));
}

/* `decisions [lr, wd]`: names of top-level lets that hold a decision (sema_expr marks them
 * used, so NAS0705 does not fire for them). */
static void check_lets(Sema *S, Node *v, const char *key)
{
    if (v->kind != N_LIST || v->list.items.count == 0) {
        diag_error(S->d, NAS0604, v->loc, "`%s` needs a list of top-level lets holding decisions, such as `[lr]`", key);
        return;
    }
    for (int i = 0; i < v->list.items.count; i++) {
        Node *it = v->list.items.items[i];
        const SemaType *t = sema_expr(S, it);
        if (t->kind == TY_ERROR) continue;
        if (it->kind == N_NAME && it->sym && it->sym->kind == SYM_LET && sema_has_decision(it->sym->decl->let.value))
            continue;
        int di =
            diag_error(S->d, NAS0604, it->loc, "`%s` lists top-level lets holding a decision: this is not one", key);
        diag_note(S->d, di, it->loc, "write `let lr = choice learning_rate 1e-4 .. 1e-2 log` and list `lr`");
    }
}

static void check_value(Sema *S, Node *v, const SettingSpec *sp)
{
    switch (sp->kind) {
    case SK_INT: check_int(S, v, sp->key, sp->min, sp->decidable); break;
    case SK_FLOAT: check_positive(S, v, sp->key, &sema_ty_float, sp->min > 0, sp->decidable); break;
    case SK_TIME: check_positive(S, v, sp->key, &sema_ty_time, sp->min > 0, false); break;
    case SK_FRACTION: check_fraction(S, v, sp->key); break;
    case SK_STRING: {
        const SemaType *t = sema_expr(S, v);
        if (t->kind != TY_STRING) wrong_value(S, v, sp->key, "a string", t);
        else if (!sema_get_const(S, v)) diag_error(S->d, NAS0413, v->loc, "`%s` needs a constant", sp->key);
        break;
    }
    case SK_INT_LIST:
    case SK_PERCENT_LIST:
    case SK_MULTIPLIER_LIST: check_list(S, v, sp); break;
    case SK_OPTION: check_option(S, v, sp); break;
    case SK_SPLIT: check_split(S, v); break;
    case SK_DATA_PAIR: check_data_pair(S, v); break;
    case SK_STOP: check_when(S, v, stop_vocab(S), sp->key); break;
    case SK_KEEP: check_when(S, v, vocab(S, keep_words, COUNT(keep_words)), sp->key); break;
    case SK_METRICS: {
        SymTab *words = vocab(S, metric_words, COUNT(metric_words));
        if (v->kind != N_NAME) {
            wrong_value(S, v, sp->key, "a metric name", sema_expr(S, v));
            break;
        }
        declare_metrics(S, words, v);
        expr_in(S, v, words);
        break;
    }
    case SK_LETS: check_lets(S, v, sp->key); break;
    }
}

/* ---- reward items and `from` ---- */

static void check_objective(Sema *S, Node *n, SymTab *words)
{
    Node *m = n->objective.metric;
    declare_metrics(S, words, m);
    const SemaType *t = expr_in(S, m, words);
    if (t->kind != TY_ERROR && !sema_ty_numeric(t) && t->kind != TY_QUANTITY)
        diag_error(S->d, NAS0604, m->loc, "an objective needs a metric, not %s", sema_type_name(S->a, t));
    if (n->objective.ref) {
        const SemaType *rt = sema_expr(S, n->objective.ref);
        if (!sema_ty_assignable(t, rt) ||
            (t->kind == TY_QUANTITY && rt->kind != TY_QUANTITY && !sema_ty_assignable(t, rt))) {
            int di = diag_error(S->d, NAS0401, n->objective.ref->loc, "the reference point is %s, but the metric is %s",
                                sema_type_name(S->a, rt), sema_type_name(S->a, t));
            diag_note(S->d, di, m->loc, "the metric");
        } else if (!sema_get_const(S, n->objective.ref)) {
            diag_error(S->d, NAS0413, n->objective.ref->loc, "the reference point must be a constant");
        }
    }
}

static void check_constraint(Sema *S, Node *n, SymTab *words)
{
    Node *c = n->constraint.cond;
    declare_metrics(S, words, c);
    const SemaType *t = expr_in(S, c, words);
    bool compare = c->kind == N_BINARY && c->binary.op >= OP_EQ && c->binary.op <= OP_GE;
    if (!compare && t->kind != TY_ERROR) {
        diag_error(S->d, NAS0610, c->loc,
                   "`subject to` needs a comparison of a metric with a target, such as `latency <= 2ms`");
        return;
    }
    if (!n->constraint.is_soft) return;
    if (compare && c->binary.op != OP_LE && c->binary.op != OP_GE)
        diag_error(S->d, NAS0610, c->loc, "a soft constraint needs `<=` or `>=`, not `%s`", ast_op_text(c->binary.op));
    double target;
    if (compare && !(sema_const_number(S->p, c->binary.rhs, &target) && target > 0) &&
        !(c->binary.rhs->type && c->binary.rhs->type->kind == TY_ERROR))
        diag_error(S->d, NAS0610, c->loc, "a soft constraint needs a constant target greater than 0");
    Node *call = ARENA_NEW(S->a, Node);
    call->kind = N_CALL;
    call->loc = n->loc;
    call->call.args = n->constraint.soft;
    for (int i = 0; i < call->call.args.count; i++) {
        Node *a = call->call.args.items[i];
        a->type = (SemaType *)sema_expr(S, a->arg.value);
    }
    sema_check_args(S, option_sig(S, &settings_soft, &sema_ty_decl), call, NULL, n->loc, false, true);
}

/* A train fully trains the best of a search; a tune tunes the best of a search or a train. */
static void check_from(Sema *S, Node *n, bool tune)
{
    SemaSym *s = sema_resolve(S, n->from.stage, n->from.stage_loc);
    if (s && s->kind != SYM_SEARCH && !(tune && s->kind == SYM_TRAIN)) {
        int di = diag_error(S->d, NAS0309, n->from.stage_loc, "`from` needs a search%s, but `%s` is not one",
                            tune ? " or a train" : "", s->name);
        if (s->kind != SYM_VOCAB) diag_note(S->d, di, s->loc, "`%s` is declared here", s->name);
    }
    if (n->from.top) check_int(S, n->from.top, "top", 1, false);
}

/* ---- the declaration ---- */

void sema_check_settings(Sema *S, Node *decl)
{
    const DeclSpec *ds = settings_decl(decl->kind);
    if (!ds) return;
    Node **seen = ARENA_ARRAY(S->a, Node *, ds->n);
    SymTab *metrics = vocab(S, metric_words, COUNT(metric_words));
    bool has_objective = false, has_from = false;
    for (int i = 0; i < decl->decl.items.count; i++) {
        Node *n = decl->decl.items.items[i];
        if (n->kind == N_OBJECTIVE) {
            has_objective = true;
            check_objective(S, n, metrics);
            continue;
        }
        if (n->kind == N_CONSTRAINT) {
            check_constraint(S, n, metrics);
            continue;
        }
        if (n->kind == N_FROM) {
            if (has_from) diag_error(S->d, NAS0602, n->loc, "`from` is given twice");
            has_from = true;
            check_from(S, n, decl->kind == N_TUNE);
            continue;
        }
        if (n->kind != N_SETTING) continue;
        int k = -1;
        const char *names[16];
        for (int j = 0; j < ds->n; j++) {
            names[j] = ds->s[j].key;
            if (strcmp(ds->s[j].key, n->setting.key) == 0) k = j;
        }
        if (k < 0) {
            int di =
                diag_error(S->d, NAS0601, n->setting.key_loc, "a %s has no setting `%s`", ds->what, n->setting.key);
            const char *c = sema_closest(n->setting.key, names, ds->n);
            if (c) diag_note(S->d, di, n->setting.key_loc, "did you mean `%s`?", c);
            const char *where = NULL, *last = NULL; /* "a `search`, a `train` and a `proxy`" */
            for (int j = 0; j < settings_ndecls; j++) {
                if (!settings_find(&settings_decls[j], n->setting.key)) continue;
                if (last)
                    where = where ? arena_printf(S->a, "%s, a `%s`", where, last) : arena_printf(S->a, "a `%s`", last);
                last = settings_decls[j].what;
            }
            if (last)
                diag_note(S->d, di, n->setting.key_loc, "`%s` is a setting of %s%sa `%s`", n->setting.key,
                          where ? where : "", where ? " and " : "", last);
            continue;
        }
        const SettingSpec *sp = &ds->s[k];
        if (seen[k]) {
            int di = diag_error(S->d, NAS0602, n->setting.key_loc, "setting `%s` is given twice", sp->key);
            diag_note(S->d, di, seen[k]->setting.key_loc, "first given here");
            continue;
        }
        seen[k] = n;
        bool wants_when = sp->kind == SK_STOP || sp->kind == SK_KEEP;
        if (wants_when != n->setting.when) {
            diag_error(S->d, NAS0607, n->setting.key_loc,
                       wants_when ? "write `%s when <condition>`" : "`%s` takes a value, not `when`", sp->key);
            continue;
        }
        if (!sp->multi && n->setting.values.count != 1) {
            diag_error(S->d, NAS0608, n->setting.values.count ? n->setting.values.items[1]->loc : n->loc,
                       "`%s` takes one value, not %d", sp->key, n->setting.values.count);
            continue;
        }
        for (int j = 0; j < n->setting.values.count; j++) check_value(S, n->setting.values.items[j], sp);
    }
    Loc at = decl->decl.name ? decl->decl.name_loc : decl->loc;
    const char *what = decl->decl.name ? decl->decl.name : ds->what;
    for (int j = 0; j < ds->n; j++) {
        bool required = ds->s[j].required;
        if (decl->kind == N_DATASET && strcmp(ds->s[j].key, "path") == 0) {
            /* a synthetic dataset has no files */
            Node *f = seen[0] && seen[0]->setting.values.count ? seen[0]->setting.values.items[0] : NULL;
            Node *head = f && f->kind == N_CALL ? f->call.callee : f;
            required = !(head && head->kind == N_NAME && strcmp(head->name.id, "synthetic") == 0);
        }
        if (required && !seen[j])
            diag_error(S->d, NAS0603, at, "%s `%s` needs a `%s` setting", ds->what, what, ds->s[j].key);
    }
    if (decl->kind == N_REWARD && !has_objective)
        diag_error(S->d, NAS0603, at, "reward needs at least one `maximize` or `minimize` objective");
    if (decl->kind == N_TRAIN && !has_from)
        diag_error(S->d, NAS0603, at, "train `%s` needs `from <search> top N`", what);
    if (decl->kind == N_TUNE && !has_from)
        diag_error(S->d, NAS0603, at, "tune `%s` needs `from <search or train> top N`", what);
    if (decl->kind == N_TUNE) { /* what it searches: the decisions of its training settings */
        bool decided = false;
        for (int i = 0; i < decl->decl.items.count && !decided; i++) {
            Node *n = decl->decl.items.items[i];
            if (n->kind != N_SETTING) continue;
            for (int k = 0; k < n->setting.values.count && !decided; k++)
                decided = sema_has_decision(n->setting.values.items[k]);
        }
        if (!decided)
            diag_error(S->d, NAS0707, at,
                       "tune `%s` searches nothing: give a training setting a decision, e.g. `optimizer sgd(lr = "
                       "choice lr 1e-3 .. 1.0 log)`",
                       what);
    }
}
