/* tpe.c — the tree-structured Parzen estimator (Bergstra et al. 2011), with the defaults of
 * Optuna's TPESampler (3.x, univariate): the first `startup` proposals are uniform; after
 * that each active decision, in table order (parents first), is drawn independently: its
 * n results (the trials where it was active) split into the best gamma(n) = min(ceil(n/10),
 * 25), which fit l(x), and the rest, which fit g(x) (parzen.h); `candidates` draws from l
 * compete and the one with the largest l(x) / g(x) (expected improvement) is kept.
 * Conditional decisions: a trial where a decision was inactive is in neither of its
 * estimators, and the decision is drawn only when its parents' drawn values switch it on.
 *
 * Kinds: a categorical or bool decision is categorical; an int or float range works on its
 * grid index, whose spacing is already linear in the value (log ranges: in its log), on
 * [-0.5, arity - 0.5], with the mass of the index's cell as its probability (the density
 * at the index when the grid is finer than MASS_MAX points, as a continuous range's is);
 * a k-of-n subset is a categorical over its n members, each member of a result one
 * observation, k drawn without replacement and scored by the sum over the members.
 *
 * Parallel asks: the proposals in flight join g as the worst results (Optuna's constant
 * liar), so a second ask does not chase the first. Unlike Optuna, a composed architecture
 * already evaluated or in flight is redrawn (up to REDRAWS times): the pipeline would
 * answer it from the store and the trial would be spent.
 *
 * With `multivariate`, tpe_joint.c draws whole architectures from joint estimators instead
 * (good and bad split over all results; the weights, prior and liar stay the same).
 *
 * With `multiobjective`, the results are told with their objectives and ranked for the split
 * by Pareto front (pareto_keys, MOTPE's split) instead of by the scalar reward. */
#include "controller_impl.h"
#include "nsga2.h"
#include "parzen.h"
#include "tpe_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REDRAWS = 8, MASS_MAX = 1000, MEMO_MAX = 64 };

typedef struct Fit {
    bool fitted, ok;
    ParzenCat lc, gc;      /* categorical, bool, subset */
    ParzenNum ln, gn;      /* ranges */
    double memo[MEMO_MAX]; /* a short range's score per index, NAN until computed: the
                               candidates repeat indices, and each costs O(results) */
} Fit;

typedef struct Tpe {
    Controller base;
    ArchList good;  /* results with a reward, in tell order */
    double *reward; /* per good entry */
    double *obj;    /* multiobjective: per good entry, k objectives (larger is better) */
    int k;          /* objectives told; 0 until the first result */
    int cap_reward;
    ArchList evaluated; /* every result, failed ones too */
    ArchList flight;    /* asked, not yet told */
    Fit *fits;          /* per decision, valid during one ask */
    Ranked *order;      /* good entries by reward, best first (one ask) */
    bool *below;        /* per good entry: in l of the decision being fitted */
} Tpe;

static int by_reward(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->reward != y->reward) return x->reward > y->reward ? -1 : 1;
    return x->at - y->at; /* ties: the earlier result first */
}

/* One group's observations of decision d, in trial order, as the estimators take them. */
typedef struct Obs {
    int n;
    int32_t *v;
    double *x, *w;
} Obs;

static void obs_push(Obs *o, const Space *s, int d, int32_t v, double w)
{
    int picks[SPACE_SUBSET_MAX_N], np = 1;
    if (space_decision(s, d)->kind == SPACE_SUBSET) np = space_subset_picks(s, d, v, picks); /* each member one */
    else picks[0] = v;
    for (int i = 0; i < np; i++) {
        o->v[o->n] = picks[i];
        o->x[o->n] = picks[i];
        o->w[o->n++] = w;
    }
}

/* Weights by trial order (parzen_weights) over the group's `count` results. */
static void group(Tpe *t, int d, bool want_below, Obs *o, double *w)
{
    int count = 0;
    for (int i = 0; i < t->good.n; i++)
        if (arch_list_at(&t->good, i)[d] != SPACE_INACTIVE && t->below[i] == want_below) count++;
    if (!want_below)
        for (int i = 0; i < t->flight.n; i++) count += arch_list_at(&t->flight, i)[d] != SPACE_INACTIVE;
    parzen_weights(count, w);
    int k = 0;
    o->n = 0;
    for (int i = 0; i < t->good.n; i++) {
        int32_t v = arch_list_at(&t->good, i)[d];
        if (v != SPACE_INACTIVE && t->below[i] == want_below) obs_push(o, t->base.space, d, v, w[k++]);
    }
    if (!want_below) /* the constant liar: in flight = worst */
        for (int i = 0; i < t->flight.n; i++) {
            int32_t v = arch_list_at(&t->flight, i)[d];
            if (v != SPACE_INACTIVE) obs_push(o, t->base.space, d, v, w[k++]);
        }
}

static bool fit_pair(const SpaceDecision *sd, Fit *f, const Obs *o, bool l)
{
    if (tpe_is_range(sd))
        return parzen_num_fit(l ? &f->ln : &f->gn, -0.5, sd->arity - 0.5, o->x, o->w, o->n, PRIOR_WEIGHT);
    int k = sd->kind == SPACE_SUBSET ? sd->n : sd->arity;
    return parzen_cat_fit(l ? &f->lc : &f->gc, k, o->v, o->w, o->n, PRIOR_WEIGHT);
}

static void fit_free(const SpaceDecision *sd, Fit *f)
{
    if (f->ok) {
        if (tpe_is_range(sd)) {
            parzen_num_free(&f->ln);
            parzen_num_free(&f->gn);
        } else {
            parzen_cat_free(&f->lc);
            parzen_cat_free(&f->gc);
        }
    }
    f->fitted = f->ok = false;
}

static void fit(Tpe *t, int d)
{
    const SpaceDecision *sd = space_decision(t->base.space, d);
    Fit *f = &t->fits[d];
    f->fitted = true;
    int active = 0, pending = 0;
    for (int i = 0; i < t->good.n; i++) active += arch_list_at(&t->good, i)[d] != SPACE_INACTIVE;
    for (int i = 0; i < t->flight.n; i++) pending += arch_list_at(&t->flight, i)[d] != SPACE_INACTIVE;
    int nbelow = tpe_gamma(active + pending);
    if (nbelow > active) nbelow = active;
    for (int r = 0, taken = 0; r < t->good.n; r++) {
        int i = t->order[r].at;
        bool on = arch_list_at(&t->good, i)[d] != SPACE_INACTIVE;
        t->below[i] = on && taken < nbelow;
        taken += t->below[i];
    }
    size_t cap = (size_t)(t->good.n + t->flight.n + 1), per = sd->kind == SPACE_SUBSET ? (size_t)sd->k : 1;
    Obs o = {0, malloc(sizeof *o.v * cap * per), malloc(sizeof *o.x * cap * per), malloc(sizeof *o.w * cap * per)};
    double *w = malloc(sizeof *w * cap);
    bool ok = o.v && o.x && o.w && w;
    if (ok) {
        group(t, d, true, &o, w);
        ok = fit_pair(sd, f, &o, true);
    }
    if (ok) {
        group(t, d, false, &o, w);
        if (!fit_pair(sd, f, &o, false)) {
            if (tpe_is_range(sd)) parzen_num_free(&f->ln);
            else parzen_cat_free(&f->lc);
            ok = false;
        }
    }
    f->ok = ok;
    for (int i = 0; i < MEMO_MAX; i++) f->memo[i] = NAN;
    free(o.v);
    free(o.x);
    free(o.w);
    free(w);
}

static double score_range(Fit *f, const SpaceDecision *sd, int32_t v)
{
    if (v < MEMO_MAX && !isnan(f->memo[v])) return f->memo[v];
    double s = sd->arity > MASS_MAX
                   ? parzen_num_log_pdf(&f->ln, v) - parzen_num_log_pdf(&f->gn, v)
                   : parzen_num_log_mass(&f->ln, v - 0.5, v + 0.5) - parzen_num_log_mass(&f->gn, v - 0.5, v + 0.5);
    if (v < MEMO_MAX) f->memo[v] = s;
    return s;
}

/* k members without replacement, each by l's probabilities among those left. */
static int32_t draw_subset(const Fit *f, const Space *s, int d, SpaceRng *r, double *score)
{
    const SpaceDecision *sd = space_decision(s, d);
    int picks[SPACE_SUBSET_MAX_N];
    bool taken[SPACE_SUBSET_MAX_N] = {0};
    double left = 1;
    *score = 0;
    for (int j = 0; j < sd->k; j++) {
        double u = controller_uniform(r) * left, acc = 0;
        int pick = -1;
        for (int m = 0; m < sd->n; m++) {
            if (taken[m]) continue;
            pick = m;
            acc += f->lc.p[m];
            if (u < acc) break;
        }
        taken[pick] = true;
        picks[j] = pick;
        left -= f->lc.p[pick];
        *score += f->lc.logp[pick] - f->gc.logp[pick];
    }
    return space_subset_value(s, d, picks);
}

static int32_t draw(Tpe *t, int d)
{
    const SpaceDecision *sd = space_decision(t->base.space, d);
    SpaceRng *r = &t->base.rng;
    Fit *f = &t->fits[d];
    if (!f->fitted) fit(t, d);
    if (!f->ok) return controller_draw(t->base.space, r, d); /* out of memory: uniform */
    int32_t best = 0;
    double best_score = -INFINITY;
    for (int c = 0; c < t->base.params.candidates; c++) {
        int32_t v;
        double s;
        if (tpe_is_range(sd)) {
            v = (int32_t)lround(parzen_num_sample(&f->ln, r));
            v = v < 0 ? 0 : v >= sd->arity ? sd->arity - 1 : v;
            s = score_range(f, sd, v);
        } else if (sd->kind == SPACE_SUBSET) {
            v = draw_subset(f, t->base.space, d, r, &s);
        } else {
            v = parzen_cat_sample(&f->lc, r);
            s = f->lc.logp[v] - f->gc.logp[v];
        }
        if (c == 0 || s > best_score) {
            best = v;
            best_score = s;
        }
    }
    return best;
}

/* MOTPE's split (Ozaki et al. 2020; Optuna's multi-objective TPESampler): results ranked by
 * their non-dominated front, then, within a front, by crowding distance (where Optuna uses the
 * hypervolume contribution): the key is -front + a crowding share in [0, 1/2]. */
static bool pareto_keys(Tpe *t)
{
    int n = t->good.n, k = t->k, *rank = malloc(sizeof *rank * (size_t)n), *idx = calloc((size_t)n, sizeof *idx);
    double *dist = malloc(sizeof *dist * (size_t)n);
    int nf = rank && idx && dist ? nsga2_sort(t->obj, n, k, rank) : -1;
    for (int f = 0; f < nf; f++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (rank[i] == f) idx[m++] = i;
        nsga2_crowding(t->obj, idx, m, k, dist);
        for (int a = 0; a < m; a++)
            t->order[idx[a]] = (Ranked){-f + (isinf(dist[a]) ? 0.5 : 0.5 * dist[a] / (1 + dist[a])), idx[a]};
    }
    free(rank);
    free(idx);
    free(dist);
    return nf >= 0;
}

static int tpe_ask(Controller *c, int32_t *arch)
{
    Tpe *t = (Tpe *)c;
    if (t->good.n < c->params.startup) {
        arch_sample_fresh(&t->evaluated, &t->flight, &c->rng, arch);
    } else {
        if (!(c->params.multiobjective && t->k >= 2 && pareto_keys(t)))
            for (int i = 0; i < t->good.n; i++) t->order[i] = (Ranked){t->reward[i], i};
        qsort(t->order, (size_t)t->good.n, sizeof *t->order, by_reward);
        TpeHistory h = {c->space, &t->good, t->order, &t->flight, c->params.candidates};
        TpeJoint *joint = c->params.multivariate ? tpe_joint_new(&h) : NULL;
        for (int attempt = 0; attempt < REDRAWS; attempt++) {
            if (joint) {
                tpe_joint_draw(joint, &c->rng, arch);
            } else {
                for (int d = 0; d < c->nslots; d++) {
                    arch[d] = SPACE_INACTIVE;
                    if (space_is_active(c->space, arch, d)) arch[d] = draw(t, d);
                }
            }
            if (space_feasible(c->space, arch) && arch_fresh(&t->evaluated, &t->flight, arch)) break;
        }
        /* every redraw outside the hard constraints: a fresh feasible sample instead */
        if (!space_feasible(c->space, arch)) arch_sample_fresh(&t->evaluated, &t->flight, &c->rng, arch);
        tpe_joint_free(joint);
        for (int d = 0; d < c->nslots; d++) fit_free(space_decision(c->space, d), &t->fits[d]);
    }
    arch_list_add(&t->flight, arch, 0); /* out of memory: the liar misses one */
    return 0;
}

/* A result; obj NULL: the reward is its one objective. */
static void tell_result(Tpe *t, const int32_t *arch, double reward, const double *obj, int nobj, bool ok)
{
    int i = arch_list_find(&t->flight, arch);
    if (i >= 0) arch_list_remove(&t->flight, i);
    if (arch_list_find(&t->evaluated, arch) < 0) arch_list_add(&t->evaluated, arch, 0);
    if (!obj) obj = &reward, nobj = 1;
    for (int j = 0; j < nobj; j++) ok &= isfinite(obj[j]);
    if (t->k == 0 && ok) t->k = nobj < CONTROLLER_MAX_OBJECTIVES ? nobj : CONTROLLER_MAX_OBJECTIVES;
    if (!ok || !isfinite(reward) || nobj != t->k) return;
    if (t->good.n == t->cap_reward) {
        int cap = t->cap_reward ? 2 * t->cap_reward : 64;
        double *ob = realloc(t->obj, sizeof *ob * (size_t)cap * CONTROLLER_MAX_OBJECTIVES);
        if (ob) t->obj = ob;
        double *r = realloc(t->reward, sizeof *r * (size_t)cap);
        Ranked *o = realloc(t->order, sizeof *o * (size_t)cap);
        if (o) t->order = o;
        bool *b = realloc(t->below, sizeof *b * (size_t)cap);
        if (b) t->below = b;
        if (r) t->reward = r;
        if (!r || !o || !b || !ob) return; /* out of memory: the result informs nothing */
        t->cap_reward = cap;
    }
    if (!arch_list_add(&t->good, arch, 0)) return;
    t->reward[t->good.n - 1] = reward;
    memcpy(t->obj + (size_t)(t->good.n - 1) * t->k, obj, sizeof *obj * (size_t)t->k);
}

static void tpe_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    tell_result((Tpe *)c, arch, reward, NULL, 0, ok);
}

static void tpe_tell_objectives(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj, bool ok)
{
    tell_result((Tpe *)c, arch, reward, obj, nobj, ok);
}

static void tpe_free(Controller *c)
{
    Tpe *t = (Tpe *)c;
    arch_list_free(&t->good);
    arch_list_free(&t->evaluated);
    arch_list_free(&t->flight);
    free(t->reward);
    free(t->obj);
    free(t->order);
    free(t->below);
    free(t->fits);
    free(t);
}

static const ControllerOps tpe_ops = {tpe_ask, tpe_tell, tpe_free};

Controller *controller_tpe_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->startup < 1 || p->candidates < 1) {
        snprintf(err, n, "tpe: need startup >= 1 and candidates >= 1 (got startup %d, candidates %d)", p->startup,
                 p->candidates);
        return NULL;
    }
    Tpe *t = (Tpe *)controller_alloc(sizeof *t, &tpe_ops, s, p);
    if (!t) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    if (p->multiobjective) t->base.tell_objectives = tpe_tell_objectives;
    arch_list_init(&t->good, s);
    arch_list_init(&t->evaluated, s);
    arch_list_init(&t->flight, s);
    t->fits = calloc((size_t)(t->base.nslots ? t->base.nslots : 1), sizeof *t->fits);
    if (!t->fits) {
        tpe_free(&t->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &t->base;
}
