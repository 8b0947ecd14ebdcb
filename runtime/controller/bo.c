/* bo.c — Bayesian optimisation with a Gaussian process (gp.h) over the decision table.
 * The first `startup` proposals are uniform. Then each ask:
 *  - trains the GP on at most GP_CAP results: all of them up to the cap, past it the best
 *    GP_CAP / 2 by reward plus the most recent of the rest (the region EI exploits and the
 *    newest information), in tell order. Its hyperparameters are refitted by marginal
 *    likelihood (gp_fit, FIT_RESTARTS starts of FIT_ITERS steps) on at most FIT_CAP results
 *    chosen the same way, whenever the results have grown by a tenth (every result up to 10),
 *    else kept; once GP_CAP results have been fitted, a refit is REFIT_ITERS steps from the
 *    last fit alone (a tenth more results barely move it, and the full fit cost ~50 ms an ask);
 *  - parallel asks: the proposals in flight (the most recent FLIGHT_CAP) join the training
 *    set with the GP's mean as their reward (the Kriging believer), which lowers the EI
 *    around them so a batch spreads out;
 *  - maximises the noisy expected improvement: EI of the latent reward over the best
 *    posterior mean among the results (the plug-in incumbent: a lucky noisy reward is not
 *    the bar, and repeated noisy results of one architecture average out), as log EI. The
 *    search: POOL uniform samples, then a hill climb (best of NEIGH random one-decision
 *    neighbours a step, up to STEPS steps) from each of the TOP_STARTS results with the best
 *    posterior mean and the TOP_STARTS best samples. The best candidate neither evaluated
 *    nor in flight is proposed (a uniform fresh sample when there is none).
 * With `multiobjective` (ParEGO, Knowles 2006; parego.h) the results are told with their
 * objectives, and each ask that uses the model first draws a weight vector from the lattice and
 * replaces every result's reward by its augmented Tchebycheff scalarisation over the results
 * told so far; the rest is as above, on those values.
 * Everything random comes from the controller's generator and every choice depends only on
 * the history, so resume = replay. */
#include "controller_impl.h"
#include "arch_list.h"
#include "gp.h"
#include "parego.h"
#include <cblas.h> /* OpenBLAS's: openblas_set_num_threads */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    GP_CAP = 100,
    FIT_CAP = 64,
    FIT_RESTARTS = 3,
    FIT_ITERS = 30,
    REFIT_ITERS = 3,
    FLIGHT_CAP = 32,
    POOL = 128,
    TOP_STARTS = 3,
    STEPS = 12,
    NEIGH = 8,
    ALL_MAX = 16, /* a range longer than this moves by steps of several scales */
};

typedef struct Bo {
    Controller base;
    Gp *gp;
    ArchList evaluated; /* every architecture told, ok or not */
    ArchList flight;    /* asked, not yet told */
    ArchList results;   /* told with a reward, in tell order (repeats too) */
    double *reward;     /* results.n: what the GP models (multiobjective: this ask's scalarisation) */
    double *obj;        /* multiobjective: results.n x k objectives, larger is better */
    int k;              /* multiobjective: objectives told; 0 until the first result */
    int cap_reward;
    int fitted_n; /* results at the last hyperparameter fit (0: none yet) */
    int asked;
    /* scratch of an ask */
    int *idx;
    int32_t *train, *cand;
    double *y, *mean, *sd, *acq;
} Bo;

typedef struct Ranked {
    double reward;
    int at;
} Ranked;

static int by_reward_desc(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->reward != y->reward) return x->reward < y->reward ? 1 : -1;
    return (x->at > y->at) - (x->at < y->at);
}

static int by_index(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    return (i > j) - (i < j);
}

/* Indices of at most cap results for the GP: all, or the best cap / 2 plus the most recent
 * of the rest; ascending (tell order). Returns the count. */
static int select_training(const Bo *b, int cap, int *idx)
{
    int n = b->results.n;
    for (int i = 0; i < n; i++) idx[i] = i;
    if (n <= cap) return n;
    Ranked *r = malloc(sizeof *r * (size_t)n);
    if (!r) { /* out of memory: the most recent */
        for (int i = 0; i < cap; i++) idx[i] = n - cap + i;
        return cap;
    }
    for (int i = 0; i < n; i++) r[i] = (Ranked){b->reward[i], i};
    qsort(r, (size_t)n, sizeof *r, by_reward_desc);
    int best = cap / 2;
    for (int i = 0; i < n; i++) idx[i] = r[i].at;
    free(r);
    qsort(idx + best, (size_t)(n - best), sizeof *idx, by_index); /* the rest, oldest first */
    memmove(idx + best, idx + n - (cap - best), sizeof *idx * (size_t)(cap - best));
    qsort(idx, (size_t)cap, sizeof *idx, by_index);
    return cap;
}

/* A random one-decision neighbour of a (copied to out); false when no decision can move. */
static bool neighbour(Controller *c, const int32_t *a, int32_t *out)
{
    const Space *s = c->space;
    memcpy(out, a, sizeof *out * (size_t)c->nslots);
    for (int tries = 0; tries < 4 * c->nslots + 4; tries++) {
        int d = (int)space_rng_below(&c->rng, (uint32_t)c->nslots);
        const SpaceDecision *sd = space_decision(s, d);
        if (a[d] == SPACE_INACTIVE || sd->arity < 2) continue;
        int32_t v;
        if (sd->kind == SPACE_SUBSET) {
            if (sd->k == sd->n) continue;
            int in, out_;
            do in = (int)space_rng_below(&c->rng, (uint32_t)sd->n);
            while (!space_subset_has(s, d, a[d], in));
            do out_ = (int)space_rng_below(&c->rng, (uint32_t)sd->n);
            while (space_subset_has(s, d, a[d], out_));
            v = space_subset_swap(s, d, a[d], in, out_);
        } else if ((sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE) && sd->arity > ALL_MAX) {
            /* +- arity / 4^j, j in 1..6, at least one grid step */
            int64_t step = sd->arity >> (2 * (1 + space_rng_below(&c->rng, 6)));
            if (step < 1) step = 1;
            int64_t w = space_rng_below(&c->rng, 2) ? a[d] + step : a[d] - step;
            if (w < 0 || w >= sd->arity) w = a[d] - (w - a[d]);
            if (w < 0 || w >= sd->arity) continue;
            v = (int32_t)w;
        } else {
            v = (int32_t)space_rng_below(&c->rng, (uint32_t)(sd->arity - 1));
            if (v >= a[d]) v++;
        }
        controller_set(s, &c->rng, out, d, v);
        return true;
    }
    return false;
}

static bool ensure(Bo *b, int n)
{
    if (n <= b->cap_reward) return true;
    int cap = b->cap_reward ? 2 * b->cap_reward : 64;
    while (cap < n) cap *= 2;
    size_t S = (size_t)(b->base.nslots ? b->base.nslots : 1), C = (size_t)cap;
    size_t M = C > POOL ? C : POOL, K = b->base.params.multiobjective ? CONTROLLER_MAX_OBJECTIVES : 1;
    void *p[] = {realloc(b->reward, sizeof *b->reward * C),
                 realloc(b->obj, sizeof *b->obj * C * K),
                 realloc(b->idx, sizeof *b->idx * C),
                 realloc(b->train, sizeof *b->train * S * (C + FLIGHT_CAP)),
                 realloc(b->y, sizeof *b->y * (C + FLIGHT_CAP)),
                 realloc(b->cand, sizeof *b->cand * S * M),
                 realloc(b->mean, sizeof *b->mean * M),
                 realloc(b->sd, sizeof *b->sd * M),
                 realloc(b->acq, sizeof *b->acq * M)};
    void **dst[] = {(void **)&b->reward, (void **)&b->obj,  (void **)&b->idx, (void **)&b->train, (void **)&b->y,
                    (void **)&b->cand,   (void **)&b->mean, (void **)&b->sd,  (void **)&b->acq};
    bool ok = true;
    for (int i = 0; i < 9; i++) {
        if (p[i]) *dst[i] = p[i];
        else ok = false;
    }
    if (ok) b->cap_reward = cap;
    return ok;
}

/* Copies the selected results into train / y; returns their count. */
static int gather(Bo *b, int cap)
{
    int n = select_training(b, cap, b->idx), S = b->base.nslots;
    for (int i = 0; i < n; i++) {
        memcpy(b->train + (size_t)i * S, arch_list_at(&b->results, b->idx[i]), sizeof *b->train * (size_t)S);
        b->y[i] = b->reward[b->idx[i]];
    }
    return n;
}

/* Trains the GP for this ask; false on out of memory (the ask then samples). */
static bool train(Bo *b)
{
    int n = b->results.n, S = b->base.nslots;
    if (!ensure(b, n)) return false;
    if (b->fitted_n == 0 || n >= b->fitted_n + (b->fitted_n / 10 > 1 ? b->fitted_n / 10 : 1)) {
        int m = gather(b, FIT_CAP);
        if (!gp_set_data(b->gp, m, b->train, b->y)) return false;
        if (b->fitted_n >= GP_CAP) gp_fit(b->gp, &b->base.rng, 1, REFIT_ITERS);
        else gp_fit(b->gp, &b->base.rng, FIT_RESTARTS, FIT_ITERS);
        b->fitted_n = n;
    }
    int m = gather(b, GP_CAP);
    if (!gp_set_data(b->gp, m, b->train, b->y) || !gp_factor(b->gp)) return false;
    int f = b->flight.n < FLIGHT_CAP ? b->flight.n : FLIGHT_CAP;
    if (f == 0) return true;
    /* Kriging believer: the GP's mean as the reward of each proposal in flight. Conditioning on
     * all at once at the told-only means equals conditioning one by one. */
    for (int i = 0; i < f; i++)
        memcpy(b->train + (size_t)(m + i) * S, arch_list_at(&b->flight, b->flight.n - f + i),
               sizeof *b->train * (size_t)S);
    gp_predict(b->gp, f, b->train + (size_t)m * S, b->y + m, b->sd);
    return gp_set_data(b->gp, m + f, b->train, b->y) && gp_factor(b->gp);
}

typedef struct Search {
    double best_acq;
    int32_t *best; /* nslots */
    bool found;
} Search;

/* log EI of m candidates in b->cand into b->acq; the best fresh one into q. */
static void score(Bo *b, int m, double incumbent, Search *q)
{
    int S = b->base.nslots;
    gp_predict(b->gp, m, b->cand, b->mean, b->sd);
    for (int i = 0; i < m; i++) {
        b->acq[i] = gp_log_ei(b->mean[i], b->sd[i], incumbent);
        const int32_t *a = b->cand + (size_t)i * S;
        if ((!q->found || b->acq[i] > q->best_acq) && space_feasible(b->base.space, a) &&
            arch_fresh(&b->evaluated, &b->flight, a)) {
            q->found = true;
            q->best_acq = b->acq[i];
            memcpy(q->best, a, sizeof *a * (size_t)S);
        }
    }
}

static int argmax(const double *v, int n)
{
    int k = 0;
    for (int i = 1; i < n; i++)
        if (v[i] > v[k]) k = i;
    return k;
}

static void climb(Bo *b, const int32_t *start, double start_acq, double incumbent, Search *q, int32_t *cur)
{
    int S = b->base.nslots;
    memcpy(cur, start, sizeof *cur * (size_t)S);
    double acq = start_acq;
    for (int step = 0; step < STEPS; step++) {
        int m = 0;
        for (int i = 0; i < NEIGH; i++) /* the climb stays in the feasible set */
            m += neighbour(&b->base, cur, b->cand + (size_t)m * S) &&
                 space_feasible(b->base.space, b->cand + (size_t)m * S);
        if (m == 0) return;
        score(b, m, incumbent, q);
        int k = argmax(b->acq, m);
        if (!(b->acq[k] > acq)) return;
        acq = b->acq[k];
        memcpy(cur, b->cand + (size_t)k * S, sizeof *cur * (size_t)S);
    }
}

static bool propose(Bo *b, int32_t *arch)
{
    Controller *c = &b->base;
    int S = c->nslots, told = b->results.n;
    if (c->params.multiobjective) { /* ParEGO: this ask's weights, the results' rewards under them */
        double lambda[CONTROLLER_MAX_OBJECTIVES];
        parego_lambda(&c->rng, b->k, lambda);
        parego_scalarise(b->obj, told, b->k, lambda, b->reward);
    }
    if (!train(b)) return false;
    int m = told < GP_CAP ? told : GP_CAP; /* the told part of the training set, in idx */
    /* The incumbent, and the starts: the results with the best posterior mean. */
    double incumbent = -INFINITY;
    int top[TOP_STARTS], ntop = 0;
    for (int i = 0; i < m; i++) {
        b->mean[i] = gp_train_mean(b->gp, i);
        incumbent = fmax(incumbent, b->mean[i]);
    }
    for (; ntop < TOP_STARTS && ntop < m; ntop++) {
        int k = argmax(b->mean, m);
        top[ntop] = b->idx[k];
        b->mean[k] = -INFINITY;
    }
    int32_t *starts = malloc(sizeof *starts * (size_t)S * (2 * TOP_STARTS + 2));
    if (!starts) return false;
    int32_t *cur = starts + (size_t)S * 2 * TOP_STARTS, *best = cur + S;
    Search q = {-INFINITY, best, false};
    for (int i = 0; i < ntop; i++)
        memcpy(starts + (size_t)i * S, arch_list_at(&b->results, top[i]), sizeof *starts * (size_t)S);
    for (int i = 0; i < POOL; i++) space_sample(c->space, &c->rng, b->cand + (size_t)i * S);
    score(b, POOL, incumbent, &q);
    int nstart = ntop;
    for (int i = 0; i < TOP_STARTS; i++) {
        int k = argmax(b->acq, POOL);
        memcpy(starts + (size_t)nstart++ * S, b->cand + (size_t)k * S, sizeof *starts * (size_t)S);
        b->acq[k] = -INFINITY;
    }
    memcpy(b->cand, starts, sizeof *starts * (size_t)S * (size_t)nstart);
    score(b, nstart, incumbent, &q);
    double start_acq[2 * TOP_STARTS];
    memcpy(start_acq, b->acq, sizeof *start_acq * (size_t)nstart);
    for (int i = 0; i < nstart; i++) climb(b, starts + (size_t)i * S, start_acq[i], incumbent, &q, cur);
    if (q.found) memcpy(arch, best, sizeof *arch * (size_t)S);
    free(starts);
    return q.found;
}

static int bo_ask(Controller *c, int32_t *arch)
{
    Bo *b = (Bo *)c;
    if (b->asked++ < c->params.startup || b->results.n == 0 || !propose(b, arch))
        arch_sample_fresh(&b->evaluated, &b->flight, &c->rng, arch);
    arch_list_add(&b->flight, arch, 0); /* out of memory: the believer misses one */
    return 0;
}

/* A result; obj NULL: the reward is its one objective. Objectives are kept only when
 * multiobjective, and a result whose count differs from the first's does not join. */
static void tell_result(Bo *b, const int32_t *arch, double reward, const double *obj, int nobj, bool ok)
{
    int i = arch_list_find(&b->flight, arch);
    if (i >= 0) arch_list_remove(&b->flight, i);
    if (arch_list_find(&b->evaluated, arch) < 0) arch_list_add(&b->evaluated, arch, 0);
    if (!obj) obj = &reward, nobj = 1;
    for (int j = 0; j < nobj; j++) ok &= isfinite(obj[j]);
    if (b->k == 0 && ok) b->k = nobj < CONTROLLER_MAX_OBJECTIVES ? nobj : CONTROLLER_MAX_OBJECTIVES;
    if (!ok || !isfinite(reward) || nobj != b->k || !ensure(b, b->results.n + 1)) return;
    if (!arch_list_add(&b->results, arch, 0)) return;
    int n = b->results.n - 1;
    b->reward[n] = reward;
    if (b->base.params.multiobjective) memcpy(b->obj + (size_t)n * b->k, obj, sizeof *obj * (size_t)b->k);
}

static void bo_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    tell_result((Bo *)c, arch, reward, NULL, 0, ok);
}

static void bo_tell_objectives(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj, bool ok)
{
    tell_result((Bo *)c, arch, reward, obj, nobj, ok);
}

static void bo_free(Controller *c)
{
    Bo *b = (Bo *)c;
    gp_free(b->gp);
    arch_list_free(&b->evaluated);
    arch_list_free(&b->flight);
    arch_list_free(&b->results);
    free(b->reward);
    free(b->obj);
    free(b->idx);
    free(b->train);
    free(b->cand);
    free(b->y);
    free(b->mean);
    free(b->sd);
    free(b->acq);
    free(b);
}

static const ControllerOps bo_ops = {bo_ask, bo_tell, bo_free};

Gp *gp_of_bo(Controller *c) { return ((Bo *)c)->gp; }

Controller *controller_bo_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->startup < 1) {
        snprintf(err, n, "bo: need startup >= 1");
        return NULL;
    }
    /* As the CPU backend does: OpenBLAS only ever single-threaded. The GP's matrices are small
     * (threads cost more than they save on a shared machine), and one thread gives the same
     * sums, so the same proposals on replay, whatever the machine's core count. */
    openblas_set_num_threads(1);
    Bo *b = (Bo *)controller_alloc(sizeof *b, &bo_ops, s, p);
    if (!b || !(b->gp = gp_new(s))) {
        if (b) bo_free(&b->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    arch_list_init(&b->evaluated, s);
    arch_list_init(&b->flight, s);
    arch_list_init(&b->results, s);
    if (p->multiobjective) b->base.tell_objectives = bo_tell_objectives;
    return &b->base;
}
