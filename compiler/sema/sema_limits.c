/* sema_limits.c — checks that relate several values, run once every declaration is typed:
 * the controller's and `prune`'s parameters (each in range, `sample` within `population`, a
 * multi-objective mode only with several objectives), `top` and
 * `max_failed` against the search's `trials`, and `stop when` rules that can never fire.
 * nasrun would otherwise find these at run time, without a location, or never. */
#include <string.h>
#include "sema_int.h"

static Node *value_of(const Node *decl, const char *key)
{
    Node *s = sema_setting(decl, key);
    return s && s->setting.values.count == 1 ? s->setting.values.items[0] : NULL;
}

/* ---- the controller ---- */

/* The parameter, when a constant, must be within lo .. hi (open ends as flagged); `what` says it. */
static void check_param(Sema *S, const Node *alg, const char *name, int pos, double lo, bool lo_open, double hi,
                        bool hi_open, const char *what)
{
    const Node *a = sema_option_arg(alg, name, pos);
    double x;
    if (!a || !sema_const_number(S->p, a, &x)) return;
    bool ok = (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
    if (!ok)
        diag_error(S->d, NAS0612, a->loc, "`%s` of `%s` must be %s, not %g", name, alg->call.callee->name.id, what, x);
}

/* The program's reward (at most one: sema.c), NULL when it declares none. */
static const Node *program_reward(const Sema *S)
{
    for (int i = 0; i < S->p->nmodules; i++) {
        NodeList decls = S->p->modules[i]->ast->decls;
        for (int j = 0; j < decls.count; j++)
            if (decls.items[j]->kind == N_REWARD) return decls.items[j];
    }
    return NULL;
}

/* `multiobjective = true` (tpe, bo) with a reward of one objective would run the scalar controller:
 * a setting with no effect, so it is refused where it is written. */
static void check_multiobjective(Sema *S, const Node *alg)
{
    if (strcmp(alg->call.callee->name.id, "tpe") != 0 && strcmp(alg->call.callee->name.id, "bo") != 0) return;
    const Node *a = sema_option_arg(alg, "multiobjective", strcmp(alg->call.callee->name.id, "tpe") == 0 ? 3 : 1);
    const SemaValue *v = a ? sema_const(S->p, a) : NULL;
    if (!v || v->kind != VAL_BOOL || !v->i) return;
    const Node *reward = program_reward(S);
    int k = 0;
    for (int i = 0; reward && i < reward->decl.items.count; i++) k += reward->decl.items.items[i]->kind == N_OBJECTIVE;
    if (k >= 2) return;
    int di = diag_error(S->d, NAS0612, a->loc,
                        "`multiobjective = true` needs a reward with two or more objectives; this one has %s, for "
                        "which `%s` is the same as without it",
                        k ? "one" : "none but the default `maximize accuracy`", alg->call.callee->name.id);
    if (reward) diag_note(S->d, di, reward->loc, "the reward is declared here");
}

static void check_controller(Sema *S, const Node *decl)
{
    const Node *alg = value_of(decl, "algorithm");
    if (!alg || alg->kind != N_CALL || alg->call.callee->kind != N_NAME) return;
    const char *name = alg->call.callee->name.id;
    check_multiobjective(S, alg);
    if (strcmp(name, "evolution") == 0) {
        const Node *pop = sema_option_arg(alg, "population", 0), *smp = sema_option_arg(alg, "sample", 1);
        int64_t p = 64, s;
        if (pop && sema_const_int(S->p, pop, &p) && p < 2) {
            diag_error(S->d, NAS0612, pop->loc, "`population` of `evolution` must be >= 2, not %lld", (long long)p);
            return;
        }
        if (!smp || !sema_const_int(S->p, smp, &s)) return;
        if (s < 1) {
            diag_error(S->d, NAS0612, smp->loc, "`sample` of `evolution` must be >= 1, not %lld", (long long)s);
        } else if (s > p) {
            int di = diag_error(S->d, NAS0612, smp->loc,
                                "`sample` (%lld) must be at most `population` (%lld): "
                                "a tournament samples from the population",
                                (long long)s, (long long)p);
            if (pop) diag_note(S->d, di, pop->loc, "the population is set here");
            else diag_note(S->d, di, alg->loc, "the population is 64 by default");
        }
    } else if (strcmp(name, "reinforce") == 0) {
        check_param(S, alg, "lr", 0, 0, true, 1e300, false, "> 0");
        check_param(S, alg, "baseline", 1, 0, false, 1, true, "in [0, 1) (the decay of the reward's moving average)");
        check_param(S, alg, "entropy", 2, 0, false, 1e300, false, ">= 0");
    } else if (strcmp(name, "ppo") == 0) {
        check_param(S, alg, "lr", 0, 0, true, 1e300, false, "> 0");
        check_param(S, alg, "clip", 1, 0, true, 1e300, false, "> 0");
        check_param(S, alg, "batch", 2, 2, false, 1e300, false, ">= 2");
        check_param(S, alg, "epochs", 3, 1, false, 1e300, false, ">= 1");
        check_param(S, alg, "entropy", 4, 0, false, 1e300, false, ">= 0");
    } else if (strcmp(name, "bo") == 0) {
        check_param(S, alg, "startup", 0, 1, false, 1e300, false, ">= 1");
    } else if (strcmp(name, "nsga2") == 0) {
        check_param(S, alg, "population", 0, 2, false, 1e300, false, ">= 2");
        check_param(S, alg, "crossover", 1, 0, false, 1, false, "in [0, 1] (a probability)");
    }
}

/* `prune asha(min, max, reduction)` and `prune median(startup, warmup)`. */
static void check_prune(Sema *S, const Node *decl)
{
    const Node *p = value_of(decl, "prune");
    if (!p || p->kind != N_CALL || p->call.callee->kind != N_NAME) return;
    if (strcmp(p->call.callee->name.id, "asha") == 0) {
        check_param(S, p, "min", 0, 1, false, 1e300, false, ">= 1");
        check_param(S, p, "reduction", 2, 2, false, 1e300, false, ">= 2");
        const Node *mn = sema_option_arg(p, "min", 0), *mx = sema_option_arg(p, "max", 1);
        int64_t lo = 1, hi;
        if (mn) sema_const_int(S->p, mn, &lo);
        if (mx && sema_const_int(S->p, mx, &hi) && hi != 0 && hi < lo)
            diag_error(S->d, NAS0612, mx->loc,
                       "`max` of `asha` must be 0 (the trial's epochs) or >= `min` (%lld), not %lld", (long long)lo,
                       (long long)hi);
    } else if (strcmp(p->call.callee->name.id, "median") == 0) {
        check_param(S, p, "startup", 0, 0, false, 1e300, false, ">= 0");
        check_param(S, p, "warmup", 1, 0, false, 1e300, false, ">= 0");
    }
}

/* ---- counts against trials ---- */

static bool search_trials(Sema *S, const Node *search, int64_t *trials, Node **at)
{
    *at = value_of(search, "trials");
    return *at && sema_const_int(S->p, *at, trials);
}

static void check_search(Sema *S, const Node *decl)
{
    int64_t trials, mf;
    Node *tn, *mn = value_of(decl, "max_failed");
    check_prune(S, decl);
    if (!search_trials(S, decl, &trials, &tn)) return;
    if (mn && sema_const_int(S->p, mn, &mf) && mf > trials) {
        int di = diag_error(S->d, NAS0612, mn->loc, "`max_failed` (%lld) must be at most `trials` (%lld)",
                            (long long)mf, (long long)trials);
        diag_note(S->d, di, tn->loc, "trials is set here");
    }
}

static void check_train(Sema *S, const Node *decl)
{
    for (int i = 0; i < decl->decl.items.count; i++) {
        const Node *n = decl->decl.items.items[i];
        if (n->kind != N_FROM || !n->from.top) continue;
        SemaSym *s = sema_find(S, n->from.stage);
        int64_t top, trials;
        Node *tn;
        if (!s || s->kind != SYM_SEARCH || !sema_const_int(S->p, n->from.top, &top) ||
            !search_trials(S, s->decl, &trials, &tn) || top <= trials)
            continue;
        int di = diag_error(S->d, NAS0612, n->from.top->loc, "`top %lld` is more than the %lld trials of `%s`",
                            (long long)top, (long long)trials, s->name);
        diag_note(S->d, di, tn->loc, "trials is set here");
    }
}

/* ---- stop rules that cannot fire ---- */

typedef struct StopCtx {
    Sema *S;
    int64_t trials;
    Node *trials_at;
    double time_limit;
    Node *limit_at;
} StopCtx;

static const char *word(const Node *n)
{
    return n->kind == N_NAME && n->sym && n->sym->kind == SYM_VOCAB ? n->name.id : NULL;
}

/* `var op limit` (either side) normalised to var on the left; false if not such a comparison. */
static bool comparison(const Sema *S, const Node *e, const char **var, int *op, double *limit)
{
    if (e->kind != N_BINARY || e->binary.op < OP_EQ || e->binary.op > OP_GE) return false;
    bool flip = !word(e->binary.lhs);
    *var = word(flip ? e->binary.rhs : e->binary.lhs);
    if (!*var || !sema_const_number(S->p, flip ? e->binary.lhs : e->binary.rhs, limit)) return false;
    static const int mirror[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE, [OP_GT] = OP_LT, [OP_GE] = OP_LE};
    *op = flip && e->binary.op != OP_EQ && e->binary.op != OP_NE ? mirror[e->binary.op] : e->binary.op;
    return true;
}

/* Whether `counter op limit` stays false while the counter only grows up to `max`. */
static bool beyond(int op, double limit, double max)
{
    return (op == OP_GT && limit >= max) || ((op == OP_GE || op == OP_EQ) && limit > max);
}

static void never(StopCtx *c, const Node *e, const Node *because, const char *why)
{
    int di = diag_warning(c->S->d, NAS0704, e->loc, "this stop rule can never fire: %s", why);
    if (because) diag_note(c->S->d, di, because->loc, "set here");
}

/* Leaves reached through `or` and `and` (not through `not`, which turns "never" into "always"). */
static void check_stop(StopCtx *c, const Node *e)
{
    if (e->kind == N_BINARY && (e->binary.op == OP_OR || e->binary.op == OP_AND)) {
        check_stop(c, e->binary.lhs);
        check_stop(c, e->binary.rhs);
        return;
    }
    const SemaValue *cv = sema_const(c->S->p, e);
    if (cv && cv->kind == VAL_BOOL && !cv->i) {
        never(c, e, NULL, "it is always false");
        return;
    }
    if (e->kind == N_CALL && e->call.callee->kind == N_NAME && strcmp(e->call.callee->name.id, "converged") == 0) {
        const Node *w = sema_option_arg(e, "window", 0);
        int64_t window;
        if (c->trials_at && w && sema_const_int(c->S->p, w, &window) && window >= c->trials)
            never(c, e, c->trials_at, "the window is not smaller than the search's trials");
        return;
    }
    const char *var;
    int op;
    double limit;
    if (!comparison(c->S, e, &var, &op, &limit)) return;
    if (strcmp(var, "trials") == 0 && c->trials_at && beyond(op, limit, (double)c->trials))
        never(c, e, c->trials_at, "the search runs no more trials than this");
    else if (strcmp(var, "failed") == 0 && beyond(op, limit, 1.0))
        never(c, e, NULL, "at most 100% of the trials can fail");
    else if (strcmp(var, "elapsed") == 0 && c->limit_at && beyond(op, limit, c->time_limit))
        never(c, e, c->limit_at, "`time_limit` ends the search first");
}

static void check_stop_rules(Sema *S, const Node *decl)
{
    Node *stop = value_of(decl, "stop");
    if (!stop) return;
    StopCtx c = {S, 0, NULL, 0, NULL};
    if (!search_trials(S, decl, &c.trials, &c.trials_at)) c.trials_at = NULL;
    c.limit_at = value_of(decl, "time_limit");
    if (c.limit_at && !sema_const_number(S->p, c.limit_at, &c.time_limit)) c.limit_at = NULL;
    check_stop(&c, stop);
}

void sema_check_limits(Sema *S, const Node *decl)
{
    switch (decl->kind) {
    case N_CONTROLLER: check_controller(S, decl); break;
    case N_SEARCH:
        check_search(S, decl);
        check_stop_rules(S, decl);
        break;
    case N_TRAIN: check_train(S, decl); break;
    default: break;
    }
}
