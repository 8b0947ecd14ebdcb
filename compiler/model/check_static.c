/* check_static.c — the whole-space type and shape check without enumerating the space.
 *
 * Abstract interpretation over finite sets, organised by block instance: what a block
 * instance returns depends only on its arguments (shapes of tensors, values of the rest),
 * the top-level decisions and its own decisions. So each instance is run once per distinct
 * argument tuple, over all of its own decisions (a depth-first walk of the decisions it
 * meets: conditional ones only where they exist), and the SET of distinct results (shapes)
 * it can return is memoised, each with a witness (the decisions that produce it). The
 * caller then branches over that set, not over the instance's decisions. A stand-in for a
 * result depends on the arguments that result reads (results are told apart by those too),
 * so the caller's layers count exactly when they reach the model's output.
 *
 * A repeat is walked the same way, iteration by iteration: its tail (iterations k..N-1 of a
 * constant or already decided count) is an instance too, memoised by the bindings it starts
 * from (the carried tensors' shapes among them), and a run of it is iteration k followed by
 * one outcome of tail k+1. An outcome of a tail is a tuple: per carried tensor (up to
 * MAX_CARRIED, e.g. a cell's two previous outputs) its shape, zero state and reads, each
 * rebound to its own stand-in. So the caller branches over the tuples the carried tensors can
 * have after the loop, not over every path through it. The layers a tail counts depend on
 * which of its results the caller uses, so an outcome's cost is kept per subset of live
 * results (the layers reaching a subset are those reaching any of its results) and the caller
 * counts the subset its run uses. Only a loop that changes tensors only, with no `return` and only
 * fresh lets in its body, is walked so (loop_tail); others run inline. The recording for
 * feasible.c takes tails as it takes block instances, each run once per subset of its results
 * with that subset's figures, and per nested instance the subset of its results it uses.
 *
 * The cost is the sum over instances of (own choices x distinct outcomes of the calls
 * inside; for a tail, one iteration's paths x the next tail's outcomes), instead of the
 * product over the whole space. Every error found comes with the decisions that trigger it,
 * completed to a full architecture of the space.
 *
 * Shared decisions (top-level lets used inside blocks) are checked in two passes. The first,
 * factored, lets every instance run read them as if they were its own: the instances stay
 * memoised by their arguments alone, so 15 cells sharing 6 decisions cost one cell's
 * walk, not 5^6 model runs. It explores a superset of the space's architectures (two
 * instances may disagree on a shared value), so no failure there proves every architecture
 * builds; a failure whose decisions agree is a real counterexample and reported, one whose
 * decisions disagree may be no architecture at all, and then the second, exact pass runs:
 * the shared decisions enumerated at the top, every instance memoised per their values. The
 * factored bounds are exact when the decisions attaining each extreme agree (identical
 * cells); otherwise the exact pass gives them, or they are reported as sound bounds.
 *
 * Exact except: continuous or very wide decisions (more than WIDE values) are tried at three
 * points (ends and middle); then the result says it is not a proof for those. A float
 * range is the exception that keeps the proof: the language cannot turn a float into an int,
 * so its value can change the graph only through a comparison or a layer argument that shapes
 * the graph (squeeze_excite's ratio); the evaluator tracks floats computed from sampled
 * decisions (Value.sampled) and only such an observation makes the result approximate. A
 * layer argument that is merely range-checked (dropout's rate in [0, 1)) is fine when it is
 * the decision's own value: the ends of its range were both tried. */
#include "check_int.h"
#include "eval_int.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_POINTS = 256, WIDE = 64, MAX_TAIL = 256, MAX_CARRIED = 4 };

typedef struct Witness {
    int32_t *slot, *val;
    int n, cap;
} Witness;

/* Parameters and multiply-adds are sums over the instances, and the instances under one
 * caller choose independently, so per result shape the min and max over the instance's own
 * choices compose exactly into the model's. */
typedef struct Cost {
    int64_t pmin, pmax, mmin, mmax;
} Cost;

enum { PMIN, PMAX, MMIN, MMAX, NEXTREMES };

/* Whether a value is identically zero (graph_zero_values), and if so whether a reader of it
 * was already warned about upstream (NAS0902 is reported where the zeros start only). */
typedef enum ZeroState { ZERO_NONE, ZERO_FRESH, ZERO_SEEN } ZeroState;

/* One tensor of an instance's results (a block's one, a loop tail's carried variables). */
typedef struct Result {
    GraphShape shape;
    uint8_t zero; /* ZERO_NONE, or identically zero: every path goes through `zero` (ZeroState) */
    bool *reads;  /* per tensor of the arguments (in add_deps order): it reaches the result */
} Result;

typedef Witness Extremes[NEXTREMES]; /* the decisions of a run attaining each extreme of a Cost */

/* The layers an instance counts depend on which of its results the caller uses, so the cost
 * is kept per nonempty subset of live results (bit i: result i), each exact. */
typedef struct Outcome {
    Result *res; /* Memo.nres of them */
    Witness w;
    Cost *cost;   /* per subset (1 << Memo.nres): params / MACs over the runs giving these results */
    Extremes *at; /* per subset: the decisions of a run attaining each extreme of cost */
} Outcome;

typedef struct Memo {
    bool inline_only; /* results the set cannot hold (lists, layers): run in the caller */
    int nres;
    Outcome *out;
    int n, cap;
} Memo;

typedef struct Checker {
    const ModelSpace *ms;
    Arena a; /* memo, witnesses, keys */
    struct KeyMap *memo;
    int32_t *global_assign;
    int64_t runs, budget;
    bool approximate, gave_up;
    bool factored;   /* shared decisions read per instance run (see the top of the file) */
    bool unsure;     /* factored: a failure whose decisions disagree (maybe no architecture) */
    int32_t *agree;  /* scratch for agrees(): a value per slot */
    bool *is_shared; /* per slot: a top-level decision (ms->global_slots) */
    CheckResult *r;
    CheckReport report; /* check_int.h: how a failure is reported */
    void *report_ctx;
    FeasRec *rec;     /* check_static_record: every run that builds is given to it */
    ModelScale scale; /* a proxy's candidate (eval_int.h: Eval.input and .width); {0}: none */
} Checker;

/* A nested instance's results in the caller's graph (graph_inputs standing for them) and the
 * outcome taken: its cost for the subset of them that is live is counted. */
typedef struct Nested {
    int value[MAX_CARRIED], n;
    const Outcome *o;
} Nested;

typedef struct Oracle {
    Checker *ck;
    int32_t vals[MAX_POINTS], arity[MAX_POINTS];
    int n, pos;
    bool overflow;
    Nested *nested; /* this run: the chosen result of each nested instance */
    int nnested, capnested;
    uint8_t *zero_seed; /* this run: per value of its graph, the ZeroState of a stand-in or import */
    int capseed;
    Witness w;            /* decisions taken in this run, with nested witnesses merged in */
    Witness own;          /* the decisions taken in this run itself (run_cost adds the nested) */
    Witness shared;       /* factored: the shared decisions this run read itself */
    const Witness *outer; /* the caller's witness when this oracle runs a nested instance */
    FeasItem *items;      /* recording: this run's choices in order */
    int nitems, capitems;
} Oracle;

static void wpush(Arena *a, Witness *w, int32_t slot, int32_t val)
{
    if (w->n == w->cap) {
        int cap = w->cap ? 2 * w->cap : 16;
        int32_t *s = ARENA_ARRAY(a, int32_t, cap), *v = ARENA_ARRAY(a, int32_t, cap);
        if (w->n) {
            memcpy(s, w->slot, sizeof *s * (size_t)w->n);
            memcpy(v, w->val, sizeof *v * (size_t)w->n);
        }
        w->slot = s;
        w->val = v;
        w->cap = cap;
    }
    w->slot[w->n] = slot;
    w->val[w->n++] = val;
}

static void wappend(Arena *a, Witness *w, const Witness *from)
{
    for (int i = 0; from && i < from->n; i++) wpush(a, w, from->slot[i], from->val[i]);
}

static int choose(Oracle *o, int arity)
{
    if (o->pos >= MAX_POINTS) {
        o->overflow = true;
        return 0;
    }
    if (o->pos == o->n) {
        o->vals[o->n] = 0;
        o->arity[o->n++] = arity;
    }
    int v = o->vals[o->pos++];
    return v < arity ? v : 0;
}

/* Next path of the depth-first walk: false when every path was taken. */
static bool advance(Oracle *o)
{
    for (int p = o->n - 1; p >= 0; p--) {
        if (o->vals[p] + 1 < o->arity[p]) {
            o->vals[p]++;
            o->n = p + 1;
            return true;
        }
    }
    return false;
}

static void begin_run(Oracle *o)
{
    o->pos = 0;
    o->w.n = 0;
    o->own.n = 0;
    o->shared.n = 0;
    o->nnested = 0;
    if (o->zero_seed) memset(o->zero_seed, 0, sizeof *o->zero_seed * (size_t)o->capseed);
    o->nitems = 0;
    o->ck->runs++;
}

static void note(Oracle *o, FeasItem it)
{
    if (!o->ck->rec) return;
    if (o->nitems == o->capitems) {
        o->capitems = o->capitems ? 2 * o->capitems : 16;
        FeasItem *grown = ARENA_ARRAY(&o->ck->a, FeasItem, o->capitems);
        if (o->nitems) memcpy(grown, o->items, sizeof *grown * (size_t)o->nitems);
        o->items = grown;
    }
    o->items[o->nitems++] = it;
}

static bool samples_float(const SpaceDecision *sd);

/* A decision's value in this run, noted for the recording. */
static void note_decision(Oracle *o, const SpaceDecision *sd, int slot, int32_t v, int count)
{
    note(o, (FeasItem){.kind = samples_float(sd) ? FEAS_FREE : FEAS_DEC, .slot = slot, .val = v, .points = count});
}

/* The subset of nd's results (bit i: result i) that live reaches in g. */
static unsigned live_mask(const Graph *g, const Nested *nd, const bool *live)
{
    unsigned mask = 0;
    for (int r = 0; r < nd->n; r++)
        if (live[g->values[nd->value[r]].producer]) mask |= 1u << r;
    return mask;
}

/* Recording, for a caller using the subset `mask` of the run's results (live: the layers
 * reaching them): the run's own cost and which results of each nested instance count. */
static void record(Oracle *o, const Graph *g, const bool *live, const void *owner, int outcome, unsigned mask)
{
    int64_t params, macs;
    graph_live_cost(g, live, &params, &macs);
    for (int i = 0; i < o->nitems; i++)
        if (o->items[i].kind == FEAS_NESTED) o->items[i].live = live_mask(g, &o->nested[o->items[i].nested], live);
    feas_rec_run(o->ck->rec, owner, outcome, mask, o->items, o->nitems, params, macs);
}

/* The run's cost range: the graph's own live layers (live: graph_live(g, false) from the
 * results, not through `zero`, as graph_stats counts) plus each nested instance's range for
 * the subset of its results that is live; at[k] (in arena a): the run's decisions with the
 * nested ones attaining extreme k (a dead instance's: any of its runs). */
static Cost run_cost(Arena *a, const Oracle *o, const Graph *g, const bool *live, Witness *at)
{
    int64_t params, macs;
    graph_live_cost(g, live, &params, &macs);
    Cost c = {params, params, macs, macs};
    for (int k = 0; k < NEXTREMES; k++) {
        at[k] = (Witness){0};
        wappend(a, &at[k], &o->own);
    }
    for (int i = 0; i < o->nnested; i++) {
        const Nested *nd = &o->nested[i];
        unsigned mask = live_mask(g, nd, live);
        for (int k = 0; k < NEXTREMES; k++) wappend(a, &at[k], &nd->o->at[mask ? mask : 1][k]);
        if (!mask) continue;
        const Cost *n = &nd->o->cost[mask];
        c.pmin += n->pmin;
        c.pmax += n->pmax;
        c.mmin += n->mmin;
        c.mmax += n->mmax;
    }
    return c;
}

static void wcopy(Arena *a, Witness *to, const Witness *from)
{
    to->n = 0;
    wappend(a, to, from);
}

/* Widens c by a run's cost; at[k] keeps the decisions (from) of the run attaining extreme k. */
static void widen(Arena *a, Cost *c, Witness *at, Cost by, const Witness *from, bool first)
{
    bool better[NEXTREMES] = {first || by.pmin < c->pmin, first || by.pmax > c->pmax, first || by.mmin < c->mmin,
                              first || by.mmax > c->mmax};
    if (better[PMIN]) c->pmin = by.pmin;
    if (better[PMAX]) c->pmax = by.pmax;
    if (better[MMIN]) c->mmin = by.mmin;
    if (better[MMAX]) c->mmax = by.mmax;
    for (int k = 0; k < NEXTREMES; k++)
        if (better[k]) wcopy(a, &at[k], &from[k]);
}

/* Do the witness's decisions agree (one value per slot)? Then they are one architecture. */
static bool agrees(Checker *ck, const Witness *w1, const Witness *w2)
{
    const Witness *ws[2] = {w1, w2};
    bool ok = true;
    for (int j = 0; j < 2; j++)
        for (int i = 0; ws[j] && i < ws[j]->n; i++) ck->agree[ws[j]->slot[i]] = SPACE_INACTIVE;
    for (int j = 0; j < 2 && ok; j++)
        for (int i = 0; ws[j] && i < ws[j]->n && ok; i++) {
            int32_t *v = &ck->agree[ws[j]->slot[i]];
            ok = *v == SPACE_INACTIVE || *v == ws[j]->val[i];
            *v = ws[j]->val[i];
        }
    return ok;
}

/* The slot value for the idx-th of `count` tried points of decision d. */
static int32_t point(const SpaceDecision *sd, int idx, int count)
{
    if (count == sd->arity) return idx; /* a subset's too: its slot is the pick's rank */
    return idx == 0 ? 0 : idx == 1 ? sd->arity / 2 : sd->arity - 1;
}

/* A float range tried at a few points. */
static bool samples_float(const SpaceDecision *sd)
{
    return sd->kind == SPACE_FLOAT_RANGE && (sd->continuous || sd->arity > WIDE);
}

static int points_of(Checker *ck, const SpaceDecision *sd)
{
    if (samples_float(sd)) return 3; /* approximate only if observed */
    if (sd->continuous || sd->arity > WIDE) {
        ck->approximate = true;
        return 3;
    }
    return sd->arity;
}

/* ---- the hooks of the interpreter (eval_int.h): Eval.client is the run's Oracle ---- */

static int32_t decision_value(Eval *E, int slot, bool *sampled)
{
    Oracle *o = E->client;
    const SpaceDecision *sd = space_decision(E->space, slot);
    *sampled = samples_float(sd);
    Checker *ck = o->ck;
    if (ck->global_assign[slot] != SPACE_INACTIVE) return ck->global_assign[slot];
    bool shared = ck->factored && ck->is_shared[slot];
    for (int i = 0; shared && i < o->shared.n; i++) /* one value for the run, however often read */
        if (o->shared.slot[i] == slot) return o->shared.val[i];
    int count = points_of(ck, sd);
    int32_t v = point(sd, choose(o, count), count);
    note_decision(o, sd, slot, v, count);
    if (shared) wpush(&ck->a, &o->shared, slot, v);
    wpush(&ck->a, &o->w, slot, v);
    wpush(&ck->a, &o->own, slot, v);
    return v;
}

static void sampled_observed(Eval *E)
{
    Oracle *o = E->client;
    o->ck->approximate = true;
}

static Value *call_block(Eval *E, const Node *decl, Value **args, const Node *site);

static int loop_tail(Eval *E, Binding **env, const Node *s, int from, int count);

static const EvalHooks check_hooks = {call_block, decision_value, sampled_observed, .defer_shared = true,
                                      .repeat = loop_tail};

/* ---- errors ---- */

/* Completes a witness to a valid architecture: active slots not decided take their first
 * value (slots are in topological order, so one pass suffices). */
static void complete(const Space *s, const Witness *w, const int32_t *globals, int32_t *arch)
{
    int n = space_count(s);
    for (int d = 0; d < n; d++) arch[d] = globals[d];
    for (int i = 0; i < w->n; i++) arch[w->slot[i]] = w->val[i];
    for (int d = 0; d < n; d++) {
        if (!space_is_active(s, arch, d)) {
            arch[d] = SPACE_INACTIVE;
            continue;
        }
        if (arch[d] != SPACE_INACTIVE) continue;
        arch[d] = 0; /* the first value; a subset's: its first k elements */
    }
}

/* A failure of this run, or (lint) a warning about it. A lint whose decisions disagree in
 * the factored pass is dropped: it may be about no architecture, and is no reason to run the
 * exact pass. */
static void failure(Checker *ck, const Oracle *o, const ModelError *err, bool lint)
{
    const Space *s = model_space(ck->ms);
    Witness all = {0};
    wappend(&ck->a, &all, o->outer);
    wappend(&ck->a, &all, &o->w);
    if (ck->factored && !agrees(ck, &all, NULL)) {
        ck->unsure |= !lint;
        return;
    }
    int32_t *arch = ARENA_ARRAY(&ck->a, int32_t, space_count(s) + 1);
    complete(s, &all, ck->global_assign, arch);
    if (!lint) ck->r->failed++;
    ck->report(ck->report_ctx, err, arch, lint);
}

/* Sets the ZeroState of value v of o's run (a stand-in or an imported argument). */
static void seed_zero(Checker *ck, Oracle *o, int v, uint8_t state)
{
    if (v >= o->capseed) {
        int cap = 2 * v + 16;
        uint8_t *grown = ARENA_ARRAY(&ck->a, uint8_t, cap);
        if (o->capseed) memcpy(grown, o->zero_seed, (size_t)o->capseed);
        o->zero_seed = grown;
        o->capseed = cap;
    }
    o->zero_seed[v] = state;
}

/* The ZeroState of every value of the run's graph so far. lint: warn (NAS0902) at each node
 * whose data inputs are all zero, one of them fresh — a cell node whose every edge chose
 * `zero`, a layer fed by `zero`: its result cannot depend on the model's input. What such a
 * node feeds is zero too, but seen: not warned again. Within a graph the first reader of
 * zeros has only fresh inputs, so a warning is given exactly when an architecture has a node
 * reading only zero (the unit test compares with building every architecture). */
static uint8_t *run_zero(Checker *ck, const Oracle *o, const Eval *E, bool lint)
{
    const Graph *g = E->g;
    uint8_t *st = ARENA_ARRAY(E->a, uint8_t, g->nvalues + 1);
    bool *seed = ARENA_ARRAY(E->a, bool, g->nvalues + 1);
    for (int v = 0; v < g->nvalues && v < o->capseed; v++) {
        st[v] = o->zero_seed[v];
        seed[v] = st[v] != ZERO_NONE;
    }
    const bool *zero = graph_zero_values(g, seed);
    for (int i = 0; i < g->nfwd; i++) {
        const GraphNode *nd = &g->nodes[i];
        /* a stand-in's inputs are read inside its instance, which warns for itself */
        if (nd->phase != GPHASE_FORWARD || nd->op == GOP_INPUT || nd->nout < 1 || nd->out[0] < 0) continue;
        if (nd->op == GOP_ZERO) {
            st[nd->out[0]] = ZERO_FRESH;
            continue;
        }
        const int *in;
        int n = graph_data_inputs(g, i, &in);
        bool all = n > 0, fresh = false;
        for (int k = 0; all && k < n; k++) {
            all = zero[in[k]];
            fresh |= st[in[k]] == ZERO_FRESH;
        }
        if (zero[nd->out[0]]) st[nd->out[0]] = ZERO_SEEN;
        if (!all || !fresh || !lint) continue;
        ModelError err = {.loc = {.file = -1}};
        if (nd->origin >= 0 && nd->origin < E->norigins) err.loc = E->origins[nd->origin];
        snprintf(err.msg, sizeof err.msg,
                 "every input of this `%s` is `zero`: its result does not depend on the model's input",
                 nd->op == GOP_ADD ? "+" : graph_op_name(nd->op));
        failure(ck, o, &err, true);
    }
    return st;
}

/* ---- block instances ---- */

typedef struct Fp {
    char s[2048];
    size_t n;
    bool full;
} Fp;

static void fp_add(Fp *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fp_add(Fp *f, const char *fmt, ...)
{
    if (f->full) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(f->s + f->n, sizeof f->s - f->n, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= sizeof f->s - f->n) f->full = true;
    else f->n += (size_t)w;
}

/* What the instance's result can depend on, from the caller's side. False: not memoisable. */
static bool fingerprint(Fp *f, const Graph *g, const Value *v, const uint8_t *zero)
{
    switch (v->kind) {
    case V_INT:
    case V_BOOL: fp_add(f, "i%lld,", (long long)v->i); return true;
    case V_FLOAT:
    case V_QUANTITY: fp_add(f, "f%.17g/%d,", v->f, (int)v->dim); return true;
    case V_STRING: fp_add(f, "s%zu:%s,", strlen(v->s), v->s); return true;
    case V_DEFERRED: fp_add(f, "d%p,", (const void *)v->deferred.decl); return true;
    case V_TENSOR: {
        const GraphShape *sh = &g->values[v->t].shape;
        fp_add(f, "t%s%d", zero[v->t] == ZERO_FRESH ? "z" : zero[v->t] ? "Z" : "", sh->rank); /* ZeroState */
        for (int i = 0; i < sh->rank; i++) fp_add(f, ".%lld", (long long)sh->d[i]);
        fp_add(f, ",");
        return true;
    }
    case V_LIST:
        fp_add(f, "[");
        for (int i = 0; i < v->list.n; i++)
            if (!fingerprint(f, g, v->list.items[i], zero)) return false;
        fp_add(f, "]");
        return true;
    case V_CALLABLE:
        fp_add(f, "c%p(", (const void *)v->fn.decl);
        for (int i = 0; i < v->fn.nargs; i++) {
            /* bound tensors would not be imported into the instance's graph */
            if (v->fn.args[i]->kind == V_TENSOR || v->fn.args[i]->kind == V_LIST) return false;
            fp_add(f, "%s=", v->fn.names[i] ? v->fn.names[i] : "");
            if (!fingerprint(f, g, v->fn.args[i], zero)) return false;
        }
        fp_add(f, ")");
        return true;
    default: return false;
    }
}

/* Copies a caller's argument into the instance's own graph: tensors become placeholders. */
static Value *import(Eval *S, const Graph *from, Value *v, const uint8_t *zero)
{
    if (v->kind == V_TENSOR) {
        const GraphShape *sh = &from->values[v->t].shape;
        Value *t = eval_new(S, V_TENSOR);
        t->t = graph_input(S->g, sh->rank, sh->d);
        Oracle *o = S->client;
        if (zero[v->t]) seed_zero(o->ck, o, t->t, zero[v->t]);
        return t;
    }
    if (v->kind == V_LIST) {
        Value *l = eval_new(S, V_LIST);
        l->list.n = v->list.n;
        l->list.items = ARENA_ARRAY(S->a, Value *, v->list.n + 1);
        for (int i = 0; i < v->list.n; i++) l->list.items[i] = import(S, from, v->list.items[i], zero);
        return l;
    }
    return v;
}

/* The tensors an argument holds (itself, or a list's items): what a stand-in depends on. */
typedef struct Deps {
    int *v;
    int n, cap;
} Deps;

static void add_deps(Eval *E, Deps *d, const Value *x)
{
    if (!x) return;
    if (x->kind == V_LIST) {
        for (int i = 0; i < x->list.n; i++) add_deps(E, d, x->list.items[i]);
        return;
    }
    if (x->kind != V_TENSOR || x->t < 0) return;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        int *grown = ARENA_ARRAY(E->a, int, d->cap);
        if (d->n) memcpy(grown, d->v, sizeof *grown * (size_t)d->n);
        d->v = grown;
    }
    d->v[d->n++] = x->t;
}

/* An instance the walk memoises: a block called at site, or (decl NULL, site a repeat) a loop
 * tail: iterations from..count-1 over the caller's bindings names[i] = args[i], of which they
 * change carried[0..ncarried-1] only (loop_tail): its results, in that order. */
typedef struct Inst {
    const Node *decl, *site;
    Value **args;
    const char **names; /* loop tail */
    int nargs;
    const char **carried;
    int ncarried;
    int from, count;
} Inst;

/* The binding of each carried variable, in the order of in->carried. */
static void carried_bindings(const Inst *in, Binding *env, Binding **out)
{
    for (int c = 0; c < in->ncarried; c++) {
        out[c] = env;
        while (strcmp(out[c]->name, in->carried[c]) != 0) out[c] = out[c]->next;
    }
}

/* A run of a loop tail: iteration `from` over the imported bindings, then the rest (a nested
 * tail); res: the carried variables' values after it. The iteration's lets are left out of
 * the rest's bindings: they are fresh names the later iterations cannot read (loop_tail), and
 * would only split its memo. */
static bool run_tail(Eval *S, const Inst *in, Value **mine, Value **res)
{
    Binding *env = NULL, **link = &env;
    for (int i = 0; i < in->nargs; i++) {
        Binding *b = ARENA_NEW(S->a, Binding);
        *b = (Binding){in->names[i], mine[i], NULL};
        *link = b;
        link = &b->next;
    }
    Binding *entry = env, *carried[MAX_CARRIED];
    carried_bindings(in, entry, carried);
    Value *ret = NULL;
    if (!eval_iteration(S, &env, &in->site->repeat.body, in->from, &ret) ||
        !eval_repeat_from(S, &entry, in->site, in->from + 1, in->count, &ret))
        return false;
    for (int c = 0; c < in->ncarried; c++) res[c] = carried[c]->val;
    return true;
}

/* The outcome of m with these results, or a new one. */
static Outcome *outcome_of(Checker *ck, Memo *m, const Result *res, int nreads, bool *fresh)
{
    for (int i = 0; i < m->n; i++) {
        bool same = true;
        for (int r = 0; same && r < m->nres; r++) {
            const Result *x = &m->out[i].res[r];
            same = graph_shape_equal(&x->shape, &res[r].shape) && x->zero == res[r].zero &&
                   memcmp(x->reads, res[r].reads, sizeof *x->reads * (size_t)nreads) == 0;
        }
        if (same) {
            *fresh = false;
            return &m->out[i];
        }
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 4;
        Outcome *o = ARENA_ARRAY(&ck->a, Outcome, m->cap);
        if (m->n) memcpy(o, m->out, sizeof *o * (size_t)m->n);
        m->out = o;
    }
    Outcome *o = &m->out[m->n++];
    *o = (Outcome){.res = ARENA_ARRAY(&ck->a, Result, m->nres),
                   .cost = ARENA_ARRAY(&ck->a, Cost, 1 << m->nres),
                   .at = ARENA_ARRAY(&ck->a, Extremes, 1 << m->nres)};
    for (int r = 0; r < m->nres; r++) {
        o->res[r] = res[r];
        o->res[r].reads = ARENA_ARRAY(&ck->a, bool, nreads + 1);
        memcpy(o->res[r].reads, res[r].reads, sizeof *res[r].reads * (size_t)nreads);
    }
    *fresh = true;
    return o;
}

/* Runs the instance over all of its own decisions; fills the memo entry. */
static void explore(Eval *E, Checker *ck, Memo *m, const Inst *in, const uint8_t *zero)
{
    Oracle sub = {.ck = ck};
    Witness outer = {0};
    Oracle *caller = E->client;
    wappend(&ck->a, &outer, caller->outer);
    wappend(&ck->a, &outer, &caller->w);
    sub.outer = &outer;
    Arena a; /* one run's graph and values, emptied between runs */
    arena_init(&a);
    do {
        begin_run(&sub);
        if (ck->runs > ck->budget) {
            ck->gave_up = true;
            break;
        }
        arena_reset(&a);
        ModelError err = {.loc = {.file = -1}};
        Eval S = {.prog = E->prog,
                  .ms = E->ms,
                  .a = &a,
                  .hooks = &check_hooks,
                  .client = &sub,
                  .space = E->space,
                  .diag = E->diag,
                  .keys = E->keys,
                  .g = graph_new(&a),
                  .err = &err,
                  .width = E->width, /* an instance's filters scale as the model's */
                  .frame = E->frame,
                  .depth = E->depth};
        memcpy(S.iter, E->iter, sizeof S.iter);
        Value **mine = ARENA_ARRAY(&a, Value *, in->nargs + 1);
        eval_set_origin(&S, in->site->loc);
        Deps imported = {0};
        for (int i = 0; i < in->nargs; i++) {
            mine[i] = import(&S, E->g, in->args[i], zero);
            add_deps(&S, &imported, mine[i]);
        }
        Value *r[MAX_CARRIED] = {NULL};
        bool ran = in->decl ? (r[0] = eval_call_user(&S, in->decl, mine, in->site)) != NULL : run_tail(&S, in, mine, r);
        bool tensors = ran;
        for (int i = 0; tensors && i < m->nres; i++) tensors = r[i]->kind == V_TENSOR;
        if (tensors && eval_infer(&S)) {
            /* per result, the layers reaching it: what counts when it is live */
            const bool *live[MAX_CARRIED];
            Result res[MAX_CARRIED];
            const uint8_t *zero = run_zero(ck, &sub, &S, true);
            for (int i = 0; i < m->nres; i++) {
                S.g->logits = r[i]->t;
                live[i] = graph_live(S.g, false);
                /* which arguments the result reads: what the caller's stand-in depends on */
                res[i] = (Result){S.g->values[r[i]->t].shape, zero[r[i]->t], ARENA_ARRAY(&a, bool, imported.n + 1)};
                for (int k = 0; k < imported.n; k++) res[i].reads[k] = live[i][S.g->values[imported.v[k]].producer];
            }
            bool fresh;
            Outcome *o = outcome_of(ck, m, res, imported.n, &fresh);
            if (fresh) wappend(&ck->a, &o->w, &sub.w);
            bool *any = ARENA_ARRAY(&a, bool, S.g->nfwd + 1);
            for (unsigned mask = 1; mask < 1u << m->nres; mask++) {
                for (int k = 0; k < S.g->nfwd; k++) {
                    any[k] = false;
                    for (int i = 0; i < m->nres && !any[k]; i++) any[k] = (mask >> i & 1) && live[i][k];
                }
                if (ck->rec) record(&sub, S.g, any, m, (int)(o - m->out), mask);
                Witness at[NEXTREMES];
                Cost cost = run_cost(&a, &sub, S.g, any, at);
                widen(&ck->a, &o->cost[mask], o->at[mask], cost, at, fresh);
            }
        } else if (ran && !tensors && !S.failed) {
            m->inline_only = true; /* scalars, lists, layers: the caller runs it */
        } else if (S.failed && !S.quiet_fail) {
            failure(ck, &sub, &err, false);
        }
        if (sub.overflow) {
            ck->gave_up = true;
            break;
        }
    } while (!m->inline_only && advance(&sub));
    arena_free(&a);
}

/* The caller's side of an instance whose identity f holds: the set of its outcomes, memoised
 * by what they can depend on; this run takes one of them (a branch of the caller's walk), a
 * stand-in per result (res) depending on the arguments that result reads. 1: taken, 0: not
 * memoisable (the caller runs it), -1: failed (E->failed). */
static int take(Eval *E, Fp *f, const Inst *in, Value **res)
{
    Oracle *caller = E->client;
    Checker *ck = caller->ck;
    bool ok = true;
    const uint8_t *zero = run_zero(ck, caller, E, false);
    for (int i = 0; ok && i < in->nargs; i++) {
        if (in->names) fp_add(f, "%s=", in->names[i]);
        ok = fingerprint(f, E->g, in->args[i], zero);
    }
    for (int i = 0; ok && !ck->factored && i < ck->ms->nglobal; i++)
        fp_add(f, "g%d,", ck->global_assign[ck->ms->global_slots[i]]);
    bool found = false;
    Memo *m = ok && !f->full ? (Memo *)keymap_get(ck->memo, f->s, &found) : NULL;
    if (ok && !f->full && !found) {
        m = ARENA_NEW(&ck->a, Memo);
        m->nres = in->decl ? 1 : in->ncarried;
        keymap_put(ck->memo, f->s, (intptr_t)m);
        explore(E, ck, m, in, zero);
    }
    if (!m || m->inline_only) return 0;
    if (m->n == 0 || ck->gave_up) {
        /* Every way through this instance fails (each failure was reported): this run ends
         * here without a report of its own. */
        E->failed = true;
        E->quiet_fail = true;
        return -1;
    }
    int pick = choose(caller, m->n);
    const Outcome *o = &m->out[pick];
    note(caller, (FeasItem){.kind = FEAS_NESTED, .memo = m, .outcome = pick, .nested = caller->nnested});
    wappend(&ck->a, &caller->w, &o->w);
    eval_set_origin(E, in->site->loc);
    Deps d = {0};
    for (int i = 0; i < in->nargs; i++) add_deps(E, &d, in->args[i]);
    int *deps = ARENA_ARRAY(E->a, int, d.n + 1);
    Nested nd = {.n = m->nres, .o = o};
    for (int r = 0; r < m->nres; r++) {
        const Result *x = &o->res[r];
        int n = 0;
        for (int i = 0; i < d.n; i++)
            if (x->reads[i]) deps[n++] = d.v[i];
        res[r] = eval_new(E, V_TENSOR);
        res[r]->t = nd.value[r] = graph_stand_in(E->g, x->shape.rank, x->shape.d, n, deps);
        if (x->zero) seed_zero(ck, caller, res[r]->t, x->zero);
    }
    if (caller->nnested == caller->capnested) {
        caller->capnested = caller->capnested ? 2 * caller->capnested : 8;
        Nested *grown = ARENA_ARRAY(&ck->a, Nested, caller->capnested);
        if (caller->nnested) memcpy(grown, caller->nested, sizeof *grown * (size_t)caller->nnested);
        caller->nested = grown;
    }
    caller->nested[caller->nnested++] = nd;
    return 1;
}

/* A user block call in check mode: an instance named by the call site. */
static Value *call_block(Eval *E, const Node *decl, Value **args, const Node *site)
{
    if (!eval_infer(E)) return NULL; /* the arguments' shapes are needed */
    Fp f = {.n = 0};
    /* The block too: the alternatives of a decided callable share the site, hence the name. */
    fp_add(&f, "%s|%p|", eval_instance_name(E, decl, site), (const void *)decl);
    Inst in = {.decl = decl, .site = site, .args = args, .nargs = decl->fndef.params.count};
    Value *t = NULL;
    int h = take(E, &f, &in, &t);
    return h == 0 ? eval_call_user(E, decl, args, site) : t;
}

/* Whether a repeat body can run as a loop tail: no `return`, at most MAX_CARRIED variables of
 * the caller it assigns (carried, in the order of their first assignment), and every `let` a
 * fresh name. The interpreter keeps an iteration's lets in the environment; fresh, nothing
 * after them reads them (the language scopes them to the body), so a tail need not carry
 * them. */
typedef struct Scan {
    Eval *E;
    Binding *env;
    const char *carried[MAX_CARRIED];
    int ncarried;
    bool ok;
} Scan;

static bool bound(const Binding *env, const char *name)
{
    for (const Binding *b = env; b; b = b->next)
        if (strcmp(b->name, name) == 0) return true;
    return false;
}

static void scan(Scan *sc, const NodeList *body)
{
    for (int i = 0; sc->ok && i < body->count; i++) {
        const Node *n = body->items[i];
        switch (n->kind) {
        case N_LET: sc->ok = !bound(sc->env, n->let.name) && !eval_find_decl(sc->E, n->let.name); break;
        case N_ASSIGN: {
            if (!bound(sc->env, n->assign.name)) break; /* a let of the body */
            int c = 0;
            while (c < sc->ncarried && strcmp(sc->carried[c], n->assign.name) != 0) c++;
            if (c < sc->ncarried) break;
            sc->ok = c < MAX_CARRIED;
            if (sc->ok) sc->carried[sc->ncarried++] = n->assign.name;
            break;
        }
        case N_IF:
            scan(sc, &n->if_.then);
            scan(sc, &n->if_.els);
            break;
        case N_REPEAT: scan(sc, &n->repeat.body); break;
        default: sc->ok = false; /* a return */
        }
    }
}

/* Iterations from..count-1 of a repeat in check mode: an instance (the loop tail) whose
 * results are the carried tensors after the loop, so the caller branches over those tuples,
 * not over every path through the iterations; each tail's runs branch over the next tail's
 * results: the walk is linear in the count. A tail's results are the next tail's stand-ins,
 * so which of them the caller uses decides what every tail counts (Outcome.cost). The
 * last iteration runs in its caller (a tail of one would only add its runs); tails nest once
 * per iteration on the C stack, so a loop of more than MAX_TAIL runs inline (1,024 levels fit
 * 8 MB, also under ASan). */
static int loop_tail(Eval *E, Binding **env, const Node *s, int from, int count)
{
    if (from >= count - 1 || count - from > MAX_TAIL) return 0;
    Scan sc = {.E = E, .env = *env, .ok = true};
    scan(&sc, &s->repeat.body);
    if (!sc.ok || !sc.ncarried) return 0;
    int n = 0;
    for (Binding *b = *env; b; b = b->next) n++;
    Inst in = {.site = s,
               .args = ARENA_ARRAY(E->a, Value *, n + 1),
               .names = ARENA_ARRAY(E->a, const char *, n + 1),
               .nargs = n,
               .carried = sc.carried,
               .ncarried = sc.ncarried,
               .from = from,
               .count = count};
    Binding *carried[MAX_CARRIED];
    carried_bindings(&in, *env, carried);
    for (int c = 0; c < in.ncarried; c++)
        if (carried[c]->val->kind != V_TENSOR) return 0;
    if (!eval_infer(E)) return -1;
    n = 0;
    for (Binding *b = *env; b; b = b->next, n++) {
        in.names[n] = b->name;
        in.args[n] = b->val;
    }
    Fp f = {.n = 0};
    fp_add(&f, "R%s|%d:%d|%s|%d/%d|", E->frame->path, s->loc.file, s->loc.begin, E->iter, from, count);
    Value *res[MAX_CARRIED];
    int h = take(E, &f, &in, res);
    for (int c = 0; h > 0 && c < in.ncarried; c++) carried[c]->val = res[c];
    return h;
}

/* ---- the model ---- */

/* One pass over the model: every path of the top-level walk (the shared decisions first
 * unless factored). Fills total/at with the cost range over the runs that built. */
static bool model_pass(Checker *ck, Cost *total, Witness *at)
{
    const ModelSpace *ms = ck->ms;
    const Space *s = model_space(ms);
    int n = space_count(s);
    ck->memo = keymap_new(&ck->a);
    Oracle top = {.ck = ck};
    bool any = false;
    Arena a; /* one run's graph and values, emptied between runs */
    arena_init(&a);
    do {
        begin_run(&top);
        if (ck->runs > ck->budget) {
            ck->gave_up = true;
            break;
        }
        for (int d = 0; d < n; d++) ck->global_assign[d] = SPACE_INACTIVE;
        /* The top-level decisions first: every instance sees the same values. */
        for (int i = 0; !ck->factored && i < ms->nglobal; i++) {
            int d = ms->global_slots[i];
            const SpaceDecision *sd = space_decision(s, d);
            int count = points_of(ck, sd);
            ck->global_assign[d] = point(sd, choose(&top, count), count);
            note_decision(&top, sd, d, ck->global_assign[d], count);
            wpush(&ck->a, &top.w, d, ck->global_assign[d]);
            wpush(&ck->a, &top.own, d, ck->global_assign[d]);
        }
        arena_reset(&a);
        ModelError err = {.loc = {.file = -1}};
        Frame root = {""};
        Eval E = {.prog = ms->prog,
                  .ms = (struct ModelSpace *)ms,
                  .a = &a,
                  .hooks = &check_hooks,
                  .client = &top,
                  .space = (Space *)s,
                  .diag = ms->prog->diag,
                  .keys = ms->keys,
                  .g = graph_new(&a),
                  .input = ck->scale.input,
                  .width = ck->scale.width,
                  .err = &err,
                  .frame = &root};
        Graph *g = eval_model_graph(&E);
        if (!g && !E.quiet_fail) failure(ck, &top, &err, false);
        if (g) {
            run_zero(ck, &top, &E, true);
            const bool *live = graph_live(g, false);
            if (ck->rec) record(&top, g, live, NULL, 0, 1);
            Witness run_at[NEXTREMES];
            Cost cost = run_cost(&a, &top, g, live, run_at);
            widen(&ck->a, total, at, cost, run_at, !any);
            any = true;
        }
        if (top.overflow) {
            ck->gave_up = true;
            break;
        }
    } while (advance(&top));
    arena_free(&a);
    return any;
}

int check_static(const ModelSpace *ms, const ModelScale *scale, CheckResult *r, CheckReport report, void *ctx,
                 int64_t budget)
{
    Checker ck = {.ms = ms,
                  .budget = budget,
                  .r = r,
                  .report = report,
                  .report_ctx = ctx,
                  .factored = ms->nglobal > 0,
                  .scale = scale ? *scale : (ModelScale){0}};
    arena_init(&ck.a);
    int n = space_count(model_space(ms));
    ck.global_assign = ARENA_ARRAY(&ck.a, int32_t, n + 1);
    ck.agree = ARENA_ARRAY(&ck.a, int32_t, n + 1);
    ck.is_shared = ARENA_ARRAY(&ck.a, bool, n + 1);
    for (int i = 0; i < ms->nglobal; i++) ck.is_shared[ms->global_slots[i]] = true;
    Cost total = {0};
    Witness at[NEXTREMES] = {{0}};
    bool any = model_pass(&ck, &total, at);
    bool exact_bounds = true;
    for (int k = 0; ck.factored && k < NEXTREMES; k++) exact_bounds &= agrees(&ck, &at[k], NULL);
    r->static_loose = false;
    if (ck.factored && (ck.unsure || ck.gave_up || !exact_bounds)) {
        /* The exact pass: needed for the verdict (unsure, gave up) or only for the bounds. */
        bool proven = !ck.unsure && !ck.gave_up, approximate = ck.approximate;
        Cost loose = total;
        ck.factored = ck.unsure = ck.gave_up = false;
        total = (Cost){0};
        any = model_pass(&ck, &total, at);
        if (proven && ck.gave_up) { /* the verdict stands; the bounds are sound, maybe not attained */
            ck.gave_up = false;
            ck.approximate = approximate;
            total = loose;
            any = true;
            r->static_loose = true;
        }
    }
    r->static_runs = ck.runs;
    if (any) {
        r->static_params = (CheckBound){total.pmin, total.pmax};
        r->static_macs = (CheckBound){total.mmin, total.mmax};
        r->static_bounds = true;
    }
    r->proven = !ck.gave_up && !ck.approximate;
    r->static_complete = !ck.gave_up;
    arena_free(&ck.a);
    return r->proven ? 1 : 0;
}

static void ignore_failure(void *ctx, const ModelError *err, const int32_t *arch, bool lint) {}

int check_static_record(const ModelSpace *ms, FeasRec *rec, int64_t budget, char *why, size_t size)
{
    CheckResult r = {0};
    Checker ck = {.ms = ms, .budget = budget, .r = &r, .report = ignore_failure, .rec = rec};
    arena_init(&ck.a);
    int n = space_count(model_space(ms));
    ck.global_assign = ARENA_ARRAY(&ck.a, int32_t, n + 1);
    ck.agree = ARENA_ARRAY(&ck.a, int32_t, n + 1);
    ck.is_shared = ARENA_ARRAY(&ck.a, bool, n + 1);
    Cost total = {0};
    Witness at[NEXTREMES] = {{0}};
    bool any = model_pass(&ck, &total, at);
    if (ck.gave_up)
        snprintf(why, size, "the walk over the block instances needs more than %lld evaluations", (long long)budget);
    else if (ck.approximate)
        snprintf(why, size, "a decision wider than %d values, or a float that shapes the graph, cannot be enumerated",
                 WIDE);
    else if (r.failed) snprintf(why, size, "some architectures do not build");
    else if (!any) snprintf(why, size, "no architecture builds");
    arena_free(&ck.a);
    return !ck.gave_up && !ck.approximate && !r.failed && any ? 0 : -1;
}
