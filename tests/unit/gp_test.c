/* gp_test.c — bo's Gaussian process and acquisition (runtime/controller/gp.h, bo.c): the
 * mixed kernel against its formula (overlap, Matern 5/2, an inactive slot, a subset), the posterior
 * against the closed-form 2-point solution, the log marginal likelihood's gradient against
 * finite differences, EI against its formula and log EI's far tail, and the bo controller:
 * valid fresh proposals, the same proposals on replay (in order and with parallel asks), and
 * a better best than random search on a hidden-target space; and bo's warm refit past 100
 * results (1 start of 3 iRprop steps from the last fit), reproduced here exactly. */
#include "controller_impl.h" /* the controller's generator, to reproduce its refit */
#include "gp.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) < (tol))

static double m52(double r) { return (1 + sqrt(5) * r + 5.0 / 3 * r * r) * exp(-sqrt(5) * r); }

/* c: labels a|b|c; w: 0..10; flag: bool; sub: labels x|y, exists only when flag is true. */
static Space *small_space(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"gp", 1, 1};
    const char *abc[3] = {"a", "b", "c"}, *xy[2] = {"x", "y"};
    space_add_labels(s, "c", loc, 3, abc);
    space_add_int_range(s, "w", loc, 0, 10, 1);
    int flag = space_add_bool(s, "flag", loc);
    int sub = space_add_labels(s, "sub", loc, 2, xy);
    space_when(s, sub, flag, 1, 1);
    return s;
}

static void test_kernel_and_posterior(void)
{
    Space *s = small_space();
    Gp *g = gp_new(s);
    double *p = gp_params(g);
    p[0] = log(0.7); /* c: overlap weight */
    p[1] = log(4.0); /* w: inverse squared lengthscale */
    p[2] = log(0.3); /* flag */
    p[3] = log(0.5); /* sub */
    p[4] = log(2.0); /* sf2 */
    p[5] = log(0.01);
    int32_t x1[4] = {0, 0, 0, -1}, x2[4] = {1, 5, 1, 1}, x3[4] = {0, 5, 1, 0};
    /* x1 - x2: c differs, flag differs, sub inactive vs active (delta 1), w: u 0 vs 0.5 */
    double k12 = 2.0 * exp(-(0.7 + 0.3 + 0.5)) * m52(sqrt(4.0 * 0.25));
    NEAR(gp_kernel(g, x1, x2), k12, 1e-12);
    NEAR(gp_kernel(g, x1, x1), 2.0, 1e-12);
    /* x2 - x3: c differs, sub differs, w equal */
    NEAR(gp_kernel(g, x2, x3), 2.0 * exp(-(0.7 + 0.5)), 1e-12);

    /* The posterior from 2 points: y standardised to +-1/sqrt(2) (sd of {1, -1} is sqrt 2). */
    int32_t X[8];
    memcpy(X, x1, sizeof x1);
    memcpy(X + 4, x2, sizeof x2);
    double y[2] = {1, -1};
    CHECK(gp_set_data(g, 2, X, y) && gp_factor(g));
    double sf2 = 2.0, sn2 = 0.01, a = sf2 + sn2, det = a * a - k12 * k12;
    double ys[2] = {1 / sqrt(2), -1 / sqrt(2)};
    double k3[2] = {gp_kernel(g, x3, x1), gp_kernel(g, x3, x2)};
    double Kinv_y[2] = {(a * ys[0] - k12 * ys[1]) / det, (-k12 * ys[0] + a * ys[1]) / det};
    double Kinv_k[2] = {(a * k3[0] - k12 * k3[1]) / det, (-k12 * k3[0] + a * k3[1]) / det};
    double mean_s = k3[0] * Kinv_y[0] + k3[1] * Kinv_y[1];
    double var_s = sf2 - (k3[0] * Kinv_k[0] + k3[1] * Kinv_k[1]);
    double mean, sd;
    gp_predict(g, 1, x3, &mean, &sd);
    NEAR(mean, sqrt(2) * mean_s, 1e-9);
    NEAR(sd, sqrt(2) * sqrt(var_s), 1e-9);
    printf("gp: posterior at x3 %.6f +- %.6f (closed form %.6f +- %.6f)\n", mean, sd, sqrt(2) * mean_s,
           sqrt(2) * sqrt(var_s));
    /* At a training point, gp_train_mean is the posterior mean there. */
    gp_predict(g, 1, x1, &mean, &sd);
    NEAR(gp_train_mean(g, 0), mean, 1e-6);
    gp_free(g);
    space_free(s);
}

/* The analytic gradient of the log ML against central differences, on 12 random points. */
static void test_gradient(void)
{
    Space *s = small_space();
    Gp *g = gp_new(s);
    SpaceRng r;
    space_rng_seed(&r, 11);
    int32_t X[12 * 4];
    double y[12];
    for (int i = 0; i < 12; i++) {
        space_sample(s, &r, X + 4 * i);
        y[i] = (double)(space_rng_next(&r) % 1000) / 1000 + X[4 * i];
    }
    CHECK(gp_set_data(g, 12, X, y));
    double *p = gp_params(g);
    for (int j = 0; j < gp_nparams(g); j++) p[j] = -1 + 0.3 * j;
    double grad[6], worst = 0;
    gp_log_ml(g, grad);
    for (int j = 0; j < gp_nparams(g); j++) {
        double h = 1e-5, save = p[j];
        p[j] = save + h;
        double up = gp_log_ml(g, NULL);
        p[j] = save - h;
        double down = gp_log_ml(g, NULL);
        p[j] = save;
        double fd = (up - down) / (2 * h);
        worst = fmax(worst, fabs(fd - grad[j]) / fmax(1, fabs(fd)));
    }
    printf("gp: log ML gradient vs finite differences, worst relative error %.2e\n", worst);
    CHECK(worst < 1e-5);
    /* The fit raises the objective's likelihood part over the defaults. */
    gp_default_params(g);
    double before = gp_log_ml(g, NULL);
    gp_fit(g, &r, 3, 30);
    CHECK(gp_log_ml(g, NULL) > before);
    gp_free(g);
    space_free(s);
}

/* A subset of 3 of 100 elements (its picks span two 64-bit words), present only when a flag
 * is true: the kernel's delta |A xor B| / 2k against hand counts, and a K built from the
 * kernel (log ML without gradient) equal to one built from the fit's stored distances (with). */
static void test_subset_kernel(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"gp", 1, 1};
    int flag = space_add_bool(s, "flag", loc);
    int sub = space_add_subset(s, "in", loc, 3, 100, NULL);
    space_when(s, sub, flag, 1, 1);
    Gp *g = gp_new(s);
    double *p = gp_params(g);
    p[0] = log(0.3);
    p[1] = log(0.9);
    p[2] = log(2.0);
    int e1[3] = {1, 64, 99}, e2[3] = {5, 64, 99}, e3[3] = {0, 63, 65};
    int32_t x1[2] = {1, space_subset_value(s, sub, e1)}, x2[2] = {1, space_subset_value(s, sub, e2)};
    int32_t x3[2] = {1, space_subset_value(s, sub, e3)}, x4[2] = {0, -1};
    NEAR(gp_kernel(g, x1, x2), 2.0 * exp(-0.9 / 3), 1e-12); /* 64 and 99 shared */
    NEAR(gp_kernel(g, x1, x3), 2.0 * exp(-0.9), 1e-12);     /* none shared */
    NEAR(gp_kernel(g, x1, x1), 2.0, 1e-12);
    NEAR(gp_kernel(g, x1, x4), 2.0 * exp(-(0.3 + 0.9)), 1e-12); /* inactive against active */
    NEAR(gp_kernel(g, x4, x4), 2.0, 1e-12);
    SpaceRng r;
    space_rng_seed(&r, 3);
    int32_t X[20 * 2];
    double y[20], grad[4];
    for (int i = 0; i < 20; i++) {
        space_sample(s, &r, X + 2 * i);
        y[i] = (double)(space_rng_next(&r) % 1000) / 1000;
    }
    CHECK(gp_set_data(g, 20, X, y));
    double direct = gp_log_ml(g, NULL), stored = gp_log_ml(g, grad);
    NEAR(direct, stored, 1e-9);
    gp_free(g);
    space_free(s);
}

static void test_ei(void)
{
    /* z = 0.5: Phi = 0.6914624612740131, phi = 0.3520653267642995 */
    NEAR(gp_ei(1, 2, 0), 2 * (0.5 * 0.6914624612740131 + 0.3520653267642995), 1e-12);
    NEAR(gp_ei(0, 1, 0), 0.3989422804014327, 1e-12);
    NEAR(gp_log_ei(1, 2, 0), log(gp_ei(1, 2, 0)), 1e-12);
    NEAR(gp_ei(3, 0, 1), 2, 1e-12); /* no uncertainty: the improvement */
    /* Far below the incumbent: the tail is finite, monotone, and joins the exact form. */
    double exact = gp_log_ei(-5.99, 1, 0), tail = gp_log_ei(-6.01, 1, 0);
    CHECK(isfinite(gp_log_ei(-40, 1, 0)) && gp_log_ei(-40, 1, 0) < gp_log_ei(-39, 1, 0));
    CHECK(fabs(exact - tail) < 0.2 && tail < exact);
}

/* A hidden target: reward = share of the 8 decisions that match it, plus noise. */
static double target_reward(const int32_t *a, const int32_t *t, SpaceRng *noise)
{
    double f = 0;
    for (int d = 0; d < 8; d++) f += a[d] == t[d];
    return f / 8 + 0.01 * ((double)(space_rng_next(noise) % 2001) / 1000 - 1);
}

static double run_search(const Space *s, ControllerKind kind, uint64_t seed, int budget, int32_t *log)
{
    ControllerParams p = controller_defaults(kind);
    p.seed = seed;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    CHECK(c != NULL);
    if (!c) return 0;
    SpaceRng tr, noise;
    space_rng_seed(&tr, seed * 31);
    space_rng_seed(&noise, seed * 17);
    int32_t t[8], a[8];
    space_sample(s, &tr, t);
    double best = 0;
    for (int i = 0; i < budget; i++) {
        CHECK(controller_ask(c, a) == 0);
        SpaceError e;
        CHECK(space_validate(s, a, &e) == SPACE_OK);
        if (log) memcpy(log + 8 * i, a, sizeof a);
        double f = target_reward(a, t, &noise);
        best = fmax(best, f);
        controller_tell(c, a, f, true);
    }
    controller_free(c);
    return best;
}

static void test_bo(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"bo", 1, 1};
    const char *ops[4] = {"a", "b", "c", "d"};
    for (int d = 0; d < 8; d++) {
        char name[8];
        snprintf(name, sizeof name, "o%d", d);
        space_add_labels(s, name, loc, 4, ops);
    }
    /* Replay: the same seed and history give the same proposals, none repeated. */
    int32_t a[40 * 8], b[40 * 8];
    run_search(s, CONTROLLER_BO, 3, 40, a);
    run_search(s, CONTROLLER_BO, 3, 40, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    int repeats = 0;
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < i; j++) repeats += memcmp(a + 8 * i, a + 8 * j, 8 * sizeof *a) == 0;
    CHECK(repeats == 0);
    /* Parallel asks (4 in flight, told oldest first): replayable and distinct in flight. */
    for (int rep = 0; rep < 2; rep++) {
        ControllerParams p = controller_defaults(CONTROLLER_BO);
        p.seed = 5;
        char err[200];
        Controller *c = controller_new(s, &p, err, sizeof err);
        int32_t fl[4][8];
        for (int i = 0; i < 4; i++) controller_ask(c, fl[i]);
        for (int i = 0; i < 32; i++) {
            int k = i % 4;
            controller_tell(c, fl[k], fl[k][0] * 0.1 + fl[k][1] * 0.05, true);
            controller_ask(c, fl[k]);
            memcpy((rep ? b : a) + 8 * i, fl[k], sizeof fl[k]);
            for (int j = 0; j < 4; j++) CHECK(j == k || memcmp(fl[j], fl[k], sizeof fl[k]) != 0);
        }
        controller_free(c);
    }
    CHECK(memcmp(a, b, 32 * 8 * sizeof *a) == 0);
    /* Learning: over 8 seeds at 40 trials, the mean best beats random search's. */
    double bo = 0, rnd = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        bo += run_search(s, CONTROLLER_BO, seed, 40, NULL) / 8;
        rnd += run_search(s, CONTROLLER_RANDOM, seed, 40, NULL) / 8;
    }
    printf("bo: mean best %.3f vs random %.3f at 40 trials (8 seeds)\n", bo, rnd);
    CHECK(bo > rnd + 0.1);
    space_free(s);
}

/* bo refits its hyperparameters whenever the results have grown by a tenth; past 100 results
 * the refit is 1 start of 3 iRprop steps from the last fit, on the 64 results it selects (the
 * best 32 and the most recent of the rest). The rewards here grow with the tell order, so those
 * are the last 64, and the refit can be reproduced: the same data, the same start, the same
 * generator state, gp_fit(1, 3). Between fits the hyperparameters stay as they are. */
static void test_bo_warm_refit(void)
{
    enum { D = 8, T = 130, FIT = 64 };
    Space *s = space_new();
    SpaceLoc loc = {"refit", 1, 1};
    const char *v4[4] = {"a", "b", "c", "d"};
    for (int d = 0; d < D; d++) {
        char name[8];
        snprintf(name, sizeof name, "d%d", d);
        space_add_labels(s, name, loc, 4, v4);
    }
    ControllerParams p = controller_defaults(CONTROLLER_BO);
    p.seed = 9;
    char err[128];
    Controller *c = controller_new(s, &p, err, sizeof err);
    CHECK(c != NULL);
    if (!c) {
        space_free(s);
        return;
    }
    Gp *g = gp_of_bo(c), *h = gp_new(s);
    int P = gp_nparams(g), fits = 0, last_fit = 0, warm = 0;
    static int32_t hist[T][D];
    static double y[T];
    double before[64];
    CHECK(P <= 64 && h != NULL);
    for (int t = 0; t < T && h; t++) {
        memcpy(before, gp_params(g), sizeof *before * (size_t)P);
        SpaceRng r = c->rng;
        CHECK(controller_ask(c, hist[t]) == 0);
        bool moved = memcmp(before, gp_params(g), sizeof *before * (size_t)P) != 0;
        if (moved) {
            fits++;
            if (last_fit >= 100 && !warm) { /* the first warm refit */
                warm = t;
                CHECK(gp_set_data(h, FIT, hist[t - FIT], y + t - FIT));
                memcpy(gp_params(h), before, sizeof *before * (size_t)P);
                gp_fit(h, &r, 1, 3);
                for (int j = 0; j < P; j++) CHECK(gp_params(h)[j] == gp_params(g)[j]);
            }
            last_fit = t;
        }
        /* the rewards increase with t; the architecture orders results within a step */
        y[t] = 0.01 * t + 0.004 * (hist[t][0] == 1) + 0.003 * (hist[t][1] == hist[t][2]) + 0.002 * (hist[t][3] == 3);
        controller_tell(c, hist[t], y[t], true);
    }
    /* fits at 10 .. 20 results every result, then every tenth: ~28 of them by 130 */
    CHECK(fits >= 20);
    CHECK(warm > 100 && warm <= 115); /* the fit past 100 results comes at most a tenth later */
    if (!warm) fprintf(stderr, "gp_test: no refit of bo past 100 results (%d fits, the last at %d)\n", fits, last_fit);
    gp_free(h);
    controller_free(c);
    space_free(s);
}

int main(void)
{
    test_kernel_and_posterior();
    test_gradient();
    test_subset_kernel();
    test_ei();
    test_bo();
    test_bo_warm_refit();
    if (failures) {
        fprintf(stderr, "gp_test: %d failures\n", failures);
        return 1;
    }
    printf("gp_test: ok\n");
    return 0;
}
