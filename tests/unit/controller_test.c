/* controller_test.c — the ask/tell controllers: valid proposals, determinism under replay
 * (in order and with parallel asks), grid coverage, and learning: evolution, REINFORCE, local
 * search and TPE beat random search on a space whose reward is known (a hidden target
 * architecture), by a stated margin over several seeds. Per algorithm: TPE's Parzen
 * estimators (weights, mass and density integrate to 1, good values favoured), local search's
 * moves (one-decision neighbours of the incumbent until a restart, which comes only when the
 * neighbourhood is used up), REINFORCE's bias-corrected first step. */
#include "controller.h"
#include "parzen.h"
#include "tpe_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

enum { NCAT = 14, MAXSLOTS = 32 };

/* 14 categorical decisions of 5 values, a bool that switches on 2 more, a subset:
 * 5^14 * (1 + 4*4) * C(5,2) ~ 10^12 architectures. */
static Space *make_space(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"test.nas", 1, 1};
    int64_t five[5] = {1, 2, 3, 4, 5};
    for (int i = 0; i < NCAT; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        space_add_ints(s, name, loc, 5, five);
    }
    int skip = space_add_bool(s, "skip", loc);
    int a = space_add_int_range(s, "skip.width", loc, 8, 32, 8);
    int b = space_add_ints(s, "skip.kernel", loc, 4, five);
    space_when(s, a, skip, 1, 1);
    space_when(s, b, skip, 1, 1);
    space_add_subset(s, "inputs", loc, 2, 5, NULL);
    return s;
}

/* Known reward: the fraction of the 14 categorical decisions equal to a hidden target
 * (3 for even i, 1 for odd), plus a bonus for skip with width index 2. In [0, 1]. */
static double reward_of(const Space *s, const int32_t *arch)
{
    int hit = 0;
    for (int i = 0; i < NCAT; i++) hit += arch[i] == (i % 2 ? 1 : 3);
    double r = 0.9 * hit / NCAT;
    int skip = space_find(s, "skip"), w = space_find(s, "skip.width");
    if (arch[skip] == 1 && arch[w] == 2) r += 0.1;
    return r;
}

/* Best reward found within `budget` trials. */
static double run(const Space *s, ControllerKind kind, bool multivariate, uint64_t seed, int budget)
{
    ControllerParams p = controller_defaults(kind);
    p.seed = seed;
    p.multivariate = multivariate;
    p.population = 32;
    p.sample = 8;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    if (!c) {
        fprintf(stderr, "controller_new: %s\n", err);
        failures++;
        return 0;
    }
    int32_t arch[MAXSLOTS];
    double best = -1;
    for (int t = 0; t < budget; t++) {
        if (controller_ask(c, arch) != 0) break;
        SpaceError e;
        if (space_validate(s, arch, &e) != SPACE_OK) {
            fprintf(stderr, "%s proposed an invalid architecture: %s\n", controller_kind_name(kind), e.msg);
            failures++;
            break;
        }
        double r = reward_of(s, arch);
        /* Every 7th trial "fails": failures must not break learning. */
        bool ok = t % 7 != 3;
        controller_tell(c, arch, ok ? r : NAN, ok);
        if (ok && r > best) best = r;
    }
    controller_free(c);
    return best;
}

static void test_learning(const Space *s)
{
    enum { SEEDS = 5, BUDGET = 400 };
    double mean[7] = {0};
    ControllerKind kinds[] = {CONTROLLER_RANDOM, CONTROLLER_SOBOL, CONTROLLER_EVOLUTION, CONTROLLER_REINFORCE,
                              CONTROLLER_LOCAL,  CONTROLLER_TPE,   CONTROLLER_TPE};
    for (int k = 0; k < 7; k++) {
        for (uint64_t seed = 1; seed <= SEEDS; seed++) mean[k] += run(s, kinds[k], k == 6, seed, BUDGET) / SEEDS;
        printf("%-10s%s mean best reward over %d seeds, %d trials: %.3f\n", controller_kind_name(kinds[k]),
               k == 6 ? " (multivariate)" : "", SEEDS, BUDGET, mean[k]);
    }
    /* Random search finds about 8-9 of 14 right; a learning controller must do clearly better. */
    CHECK(mean[2] >= mean[0] + 0.10);
    CHECK(mean[3] >= mean[0] + 0.10);
    CHECK(mean[4] >= mean[0] + 0.10);
    CHECK(mean[5] >= mean[0] + 0.10);
    CHECK(mean[6] >= mean[0] + 0.10);
}

/* Same seed + same history => same proposals: the basis of resume. The history is either
 * in order (ask, tell) or parallel (three asks, then their tells in reverse order). */
static void test_replay(const Space *s)
{
    ControllerKind kinds[] = {CONTROLLER_RANDOM,    CONTROLLER_SOBOL, CONTROLLER_EVOLUTION,
                              CONTROLLER_REINFORCE, CONTROLLER_LOCAL, CONTROLLER_TPE};
    enum { T = 120, WIDTH = 3 };
    for (int k = 0; k < 7; k++) /* 6: tpe multivariate */
        for (int par = 0; par < 2; par++) {
            ControllerParams p = controller_defaults(kinds[k < 6 ? k : 5]);
            p.multivariate = k == 6;
            p.seed = 42;
            p.population = 16;
            p.sample = 4;
            char err[200];
            static int32_t hist[T][MAXSLOTS];
            int32_t arch[MAXSLOTS];
            Controller *a = controller_new(s, &p, err, sizeof err);
            Controller *b = controller_new(s, &p, err, sizeof err);
            bool same = true;
            for (int t = 0; t < T; t++) {
                controller_ask(a, hist[t]);
                /* A resumed controller replays the history from the store: it must ask the same. */
                controller_ask(b, arch);
                same &= space_arch_equal(s, arch, hist[t]);
                bool tell_now = !par || t % WIDTH == WIDTH - 1;
                for (int j = t; tell_now && j > t - (par ? WIDTH : 1); j--) {
                    controller_tell(a, hist[j], reward_of(s, hist[j]), j % 5 != 2);
                    controller_tell(b, hist[j], reward_of(s, hist[j]), j % 5 != 2);
                }
            }
            if (!same)
                fprintf(stderr, "%s%s: replay diverged (%s)\n", controller_kind_name(p.kind),
                        p.multivariate ? " multivariate" : "", par ? "parallel" : "in order");
            CHECK(same);
            controller_free(a);
            controller_free(b);
        }
}

/* ---- TPE ---- */

static double sum_of(const double *x, int n)
{
    double t = 0;
    for (int i = 0; i < n; i++) t += x[i];
    return t;
}

static void test_parzen(void)
{
    double w[40];
    parzen_weights(10, w);
    CHECK(sum_of(w, 10) == 10);
    parzen_weights(40, w); /* ramp 1/40 .. 1 over the oldest 15, then 25 ones */
    CHECK(fabs(w[0] - 1.0 / 40) < 1e-12 && fabs(w[14] - 1) < 1e-12 && w[39] == 1 && w[7] > w[6]);

    /* Categorical: sums to 1, the observed values above the rest, more observations higher. */
    int32_t obs[6] = {2, 2, 2, 0, 2, 0};
    double ones[6] = {1, 1, 1, 1, 1, 1};
    ParzenCat c;
    CHECK(parzen_cat_fit(&c, 5, obs, ones, 6, 1.0));
    CHECK(fabs(sum_of(c.p, 5) - 1) < 1e-12);
    CHECK(c.p[2] > c.p[0] && c.p[0] > c.p[1] && c.p[1] == c.p[4]);
    /* Optuna's closed form: kernel rows (1/7 everywhere + 1 at the value) / (5/7 + 1), the
     * prior row uniform, mixture weights 1/7 each. */
    double row = 5.0 / 7 + 1, want2 = (4 * (1.0 / 7 + 1) / row + 2 * (1.0 / 7) / row + 0.2) / 7;
    CHECK(fabs(c.p[2] - want2) < 1e-12);
    parzen_cat_free(&c);

    /* Numeric on an index grid [-0.5, 19.5]: the cells' masses sum to 1 and the density
     * integrates to 1 (midpoint rule), the observed region is denser. */
    double x[5] = {3, 4, 4, 5, 16};
    ParzenNum e;
    CHECK(parzen_num_fit(&e, -0.5, 19.5, x, ones, 5, 1.0));
    double mass = 0, integral = 0, h = 20.0 / 20000;
    for (int i = 0; i < 20; i++) mass += exp(parzen_num_log_mass(&e, i - 0.5, i + 0.5));
    for (int i = 0; i < 20000; i++) integral += exp(parzen_num_log_pdf(&e, -0.5 + (i + 0.5) * h)) * h;
    CHECK(fabs(mass - 1) < 1e-9);
    CHECK(fabs(integral - 1) < 1e-6);
    CHECK(parzen_num_log_mass(&e, 3.5, 4.5) > parzen_num_log_mass(&e, 10.5, 11.5));
    /* Bandwidths: the prior's is the range, none below range / min(100, 1 + n). */
    for (int i = 0; i < e.n; i++) CHECK(e.sigma[i] >= 20.0 / 6 - 1e-12 && e.sigma[i] <= 20);
    CHECK(e.sigma[e.n - 1] == 20);
    SpaceRng r;
    space_rng_seed(&r, 1);
    for (int i = 0; i < 1000; i++) {
        double v = parzen_num_sample(&e, &r);
        CHECK(v >= -0.5 && v <= 19.5);
        if (!(v >= -0.5 && v <= 19.5)) break;
    }
    parzen_num_free(&e);
}

/* After the startup trials, TPE proposes the values that were good: a categorical value and
 * the region of an integer range; a conditional decision learns only from the trials where
 * it existed. */
static void test_tpe_favours(bool multivariate)
{
    Space *s = space_new();
    SpaceLoc loc = {"tpe.nas", 1, 1};
    const char *ops[5] = {"a", "b", "c", "d", "e"};
    int op = space_add_labels(s, "op", loc, 5, ops);
    int width = space_add_int_range(s, "width", loc, 0, 99, 1);
    int on = space_add_bool(s, "extra", loc);
    int sub = space_add_labels(s, "extra.op", loc, 5, ops);
    space_when(s, sub, on, 1, 1);
    ControllerParams p = controller_defaults(CONTROLLER_TPE);
    p.seed = 9;
    p.multivariate = multivariate;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    int32_t a[4];
    int hits = 0, near = 0, sub_hits = 0, sub_n = 0, model = 0;
    for (int t = 0; t < 150; t++) {
        controller_ask(c, a);
        if (t >= 50) {
            model++;
            hits += a[op] == 3;
            near += abs(a[width] - 70) <= 10;
            if (a[sub] != SPACE_INACTIVE) {
                sub_n++;
                sub_hits += a[sub] == 1;
            }
        }
        double r = (a[op] == 3) + 1.0 - abs(a[width] - 70) / 100.0 + (a[on] == 1 && a[sub] == 1);
        controller_tell(c, a, r, true);
    }
    printf("tpe%s: op d in %d/%d, width within 10 of 70 in %d/%d, extra.op b in %d/%d\n",
           multivariate ? " multivariate" : "", hits, model, near, model, sub_hits, sub_n);
    /* uniform would give 20%, 21% and 20%; the joint kernels stay near single results and
     * concentrate more slowly */
    int pct = multivariate ? 45 : 60;
    CHECK(hits >= model * pct / 100);
    CHECK(near >= model * (pct - 10) / 100);
    CHECK(sub_n > 0 && sub_hits >= sub_n * pct / 100);
    controller_free(c);
    space_free(s);
}

/* Multivariate TPE: over a space of discrete decisions (a conditional one, a subset) l and g
 * are probability distributions over the architectures, and l favours the best results. */
static void test_tpe_joint(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"joint.nas", 1, 1};
    const char *ops[4] = {"a", "b", "c", "d"};
    space_add_labels(s, "op", loc, 3, ops);
    int on = space_add_bool(s, "extra", loc);
    int sub = space_add_labels(s, "extra.op", loc, 4, ops);
    space_when(s, sub, on, 1, 1);
    space_add_subset(s, "inputs", loc, 2, 4, NULL);
    ArchList good, flight;
    arch_list_init(&good, s);
    arch_list_init(&flight, s);
    SpaceRng r;
    space_rng_seed(&r, 4);
    enum { N = 40 };
    Ranked order[N];
    int32_t a[4], best[4];
    double best_r = -1;
    for (int i = 0; i < N; i++) {
        space_sample(s, &r, a);
        double rw = (a[0] == 2) + 0.5 * (a[sub] == 3) + 0.01 * i;
        if (rw > best_r) {
            best_r = rw;
            memcpy(best, a, sizeof a);
        }
        arch_list_add(&good, a, 0);
        order[i] = (Ranked){rw, i};
    }
    for (int i = 0; i < N; i++) /* best first */
        for (int j = i + 1; j < N; j++)
            if (order[j].reward > order[i].reward) {
                Ranked t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    space_sample(s, &r, a);
    arch_list_add(&flight, a, 0);
    TpeHistory h = {s, &good, order, &flight, 24};
    TpeJoint *j = tpe_joint_new(&h);
    SpaceGrid *g = space_grid_new(s, 1);
    double sum_l = 0, sum_g = 0;
    int n = 0;
    while (space_grid_next(g, a)) {
        sum_l += exp(tpe_joint_log_density(j, true, a));
        sum_g += exp(tpe_joint_log_density(j, false, a));
        n++;
    }
    CHECK(n == 3 * (1 + 4) * 6);
    CHECK(fabs(sum_l - 1) < 1e-9 && fabs(sum_g - 1) < 1e-9);
    CHECK(tpe_joint_log_density(j, true, best) > tpe_joint_log_density(j, false, best));
    space_grid_free(g);
    tpe_joint_free(j);
    arch_list_free(&good);
    arch_list_free(&flight);
    space_free(s);
}

/* ---- local search ---- */

static int differing(const Space *s, const int32_t *a, const int32_t *b)
{
    int n = 0;
    for (int d = 0; d < space_count(s); d++) n += a[d] != SPACE_INACTIVE && b[d] != SPACE_INACTIVE && a[d] != b[d];
    return n;
}

/* A decision no other decision depends on. */
static bool is_leaf(const Space *s, int d)
{
    for (int j = 0; j < space_count(s); j++)
        if (space_decision(s, j)->parent == d) return false;
    return true;
}

/* At parallel 1 (ask, tell), mirroring the rule: after the startup samples, every proposal
 * is a one-decision neighbour of the incumbent (the best result of the climb so far) until a
 * restart; a restart comes only when each neighbour that changes a leaf decision has been
 * evaluated (those of a parent decision draw what they switch on, so they cannot be listed). */
static void test_local_moves(const Space *s)
{
    ControllerParams p = controller_defaults(CONTROLLER_LOCAL);
    p.seed = 3;
    p.startup = 5;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    int n = space_count(s);
    enum { T = 600 };
    static int32_t seen[T][MAXSLOTS];
    int32_t inc[MAXSLOTS], nb[MAXSLOTS];
    double inc_r = -1;
    int restarts = 0, moves = 0, early = 0, starts_left = p.startup;
    bool climbing = false;
    for (int t = 0; t < T; t++) {
        int32_t *a = seen[t];
        controller_ask(c, a);
        double r = reward_of(s, a);
        if (starts_left > 0) { /* the climb's start(s) */
            if (r > inc_r || !climbing) {
                memcpy(inc, a, sizeof inc);
                inc_r = r;
            }
            climbing = true;
            starts_left--;
        } else if (differing(s, a, inc) == 1) {
            moves++;
            if (r > inc_r) {
                memcpy(inc, a, sizeof inc);
                inc_r = r;
            }
        } else {
            /* A restart: every leaf neighbour of the incumbent must have been evaluated. */
            restarts++;
            for (int d = 0; d < n; d++) {
                const SpaceDecision *sd = space_decision(s, d);
                if (inc[d] == SPACE_INACTIVE || !is_leaf(s, d) || sd->kind == SPACE_SUBSET) continue;
                for (int32_t v = 0; v < sd->arity; v++) {
                    if (v == inc[d]) continue;
                    memcpy(nb, inc, sizeof nb);
                    nb[d] = v;
                    bool found = false;
                    for (int j = 0; j < t && !found; j++) found = space_arch_equal(s, seen[j], nb);
                    early += !found;
                }
            }
            memcpy(inc, a, sizeof inc); /* a restart starts from one sample */
            inc_r = r;
        }
        controller_tell(c, a, r, true);
    }
    printf("local: %d moves, %d restarts, %d neighbours skipped by a restart\n", moves, restarts, early);
    CHECK(moves > T / 2 && restarts >= 1);
    CHECK(early == 0);
    controller_free(c);
}

/* ---- REINFORCE ---- */

/* One bool, lr 0.1, decay 0.95: the first result sets the baseline, the second (advantage 1)
 * is the first update. Bias-corrected, the spread is 1 and the logits move by lr * (1 - p)
 * = 0.05 each way: P(true) = sigmoid(0.1) = 0.525. Uncorrected (spread 0.05) it would be
 * sigmoid(2) = 0.88. */
static void test_reinforce_first_step(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"rf.nas", 1, 1};
    space_add_bool(s, "x", loc);
    ControllerParams p = controller_defaults(CONTROLLER_REINFORCE);
    p.lr = 0.1;
    p.baseline_decay = 0.95;
    p.entropy = 0;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    int32_t yes = 1, a;
    controller_tell(c, &yes, 0.0, true);
    controller_tell(c, &yes, 1.0, true);
    int n = 40000, k = 0;
    for (int i = 0; i < n; i++) {
        controller_ask(c, &a);
        k += a == 1;
    }
    double f = (double)k / n, want = 1 / (1 + exp(-0.1));
    printf("reinforce: P(true) after the first update %.4f (bias-corrected %.4f)\n", f, want);
    CHECK(fabs(f - want) < 0.01);
    controller_free(c);
    space_free(s);
}

static void test_grid(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"g.nas", 1, 1};
    int64_t v[3] = {1, 2, 3};
    int on = space_add_bool(s, "on", loc);
    int x = space_add_ints(s, "x", loc, 3, v);
    space_when(s, x, on, 1, 1);
    space_add_ints(s, "y", loc, 2, v);
    /* size = (1 + 3) * 2 = 8 */
    ControllerParams p = controller_defaults(CONTROLLER_GRID);
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    int32_t seen[16][3], arch[3];
    int n = 0;
    while (n < 16 && controller_ask(c, arch) == 0) memcpy(seen[n++], arch, sizeof arch);
    CHECK(n == 8);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) CHECK(!space_arch_equal(s, seen[i], seen[j]));
    CHECK(controller_ask(c, arch) == 1); /* stays exhausted */
    controller_free(c);
    space_free(s);
}

static void test_bad_params(const Space *s)
{
    ControllerParams p = controller_defaults(CONTROLLER_EVOLUTION);
    p.sample = 100;
    p.population = 10;
    char err[200] = "";
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "sample") != NULL);
    p = controller_defaults(CONTROLLER_REINFORCE);
    p.lr = 0;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "lr") != NULL);
    CHECK(controller_kind_parse("evolution") == CONTROLLER_EVOLUTION);
    CHECK(controller_kind_parse("tpe") == CONTROLLER_TPE && controller_kind_parse("local") == CONTROLLER_LOCAL);
    CHECK(controller_kind_parse("bo") == CONTROLLER_BO && controller_kind_parse("nsga") == -1);
    p = controller_defaults(CONTROLLER_TPE);
    p.candidates = 0;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "candidates") != NULL);
    p = controller_defaults(CONTROLLER_LOCAL);
    p.startup = 0;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "startup") != NULL);
}

int main(void)
{
    Space *s = make_space();
    CHECK(space_count(s) <= MAXSLOTS);
    test_replay(s);
    test_grid();
    test_bad_params(s);
    test_parzen();
    test_tpe_favours(false);
    test_tpe_favours(true);
    test_tpe_joint();
    test_local_moves(s);
    test_reinforce_first_step();
    test_learning(s);
    space_free(s);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("controller_test: ok\n");
    return 0;
}
