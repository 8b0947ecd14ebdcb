/* nsga2_bench.c — NSGA-II against random search and regularized evolution on a two-objective
 * space whose Pareto front is known: hypervolume of what each found.
 *
 * The space (per seed): 8 decisions of 4 values, a width w_i in {0..3} each. Accuracy (max) =
 * an NK landscape over the widths (each decision with its next neighbour, cyclic) plus 0.3 x
 * the mean width; cost (min) = the sum of widths plus a per-seed random cost of each value of
 * each decision (0..1): more width buys accuracy at a price, with structure the search must
 * find. The true front and its hypervolume come from enumerating the 4^8 architectures. The
 * reference point: accuracy 0 and the largest cost. Noise: none.
 * Each controller gets what nasrun gives it: nsga2, tpe(multiobjective = true) and
 * bo(multiobjective = true) (ParEGO) both objectives (accuracy, -cost); random nothing; evolution and tpe the MNasNet scalar of `maximize accuracy` with `subject to cost <= target
 * soft(weight = -0.07)`, target = the middle of the cost range, acc x (cost / target)^-0.07.
 * Printed: mean and standard error over the seeds of the hypervolume of the proposals after
 * 50, 100 and 200 trials, as a share of the true front's; `--only NAME` (repeatable) runs only
 * the controllers so named (bo costs ~100x the others' CPU). `--latency` instead times one ask
 * (CPU) after 1,000 told trials, for nsga2, tpe(multiobjective = true) and bo(multiobjective = true).
 * Usage: nsga2_bench [--seeds S] [--only NAME]... [--latency]. */
#include "controller.h"
#include "reward.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { D = 8, A = 4, NARCH = 1 << 16, MAXB = 200 };
static const int budgets[] = {50, 100, 200};

typedef struct Land {
    double nk[D][A * A], cost[D][A];
    double maxcost, target, hv; /* the true front's hypervolume */
    Space *space;
} Land;

static double uni(SpaceRng *r) { return (double)(space_rng_next(r) >> 11) * 0x1.0p-53; }

static void eval(const Land *L, const int32_t *a, double *acc, double *cost)
{
    double f = 0, c = 0, w = 0;
    for (int d = 0; d < D; d++) {
        f += L->nk[d][a[d] * A + a[(d + 1) % D]] / D;
        c += a[d] + L->cost[d][a[d]];
        w += a[d] / 3.0 / D;
    }
    *acc = f + 0.3 * w;
    *cost = c;
}

static double hypervolume(const Land *L, const double *pts, int n)
{
    static const bool dir[2] = {true, false};
    double ref[2] = {0, L->maxcost};
    return reward_hypervolume2(pts, n, dir, ref);
}

static void build(Land *L, uint64_t seed)
{
    SpaceRng r;
    space_rng_seed(&r, seed * 104729 + 5);
    L->space = space_new();
    SpaceLoc loc = {"bench", 1, 1};
    int64_t vals[A] = {0, 1, 2, 3};
    for (int d = 0; d < D; d++) {
        char name[8];
        snprintf(name, sizeof name, "w%d", d);
        space_add_ints(L->space, name, loc, A, vals);
        for (int j = 0; j < A * A; j++) L->nk[d][j] = uni(&r);
        for (int j = 0; j < A; j++) L->cost[d][j] = uni(&r);
    }
    double *pts = malloc(sizeof *pts * 2 * NARCH), lo = INFINITY, hi = -INFINITY;
    for (int code = 0; code < NARCH; code++) {
        int32_t a[D];
        for (int d = 0; d < D; d++) a[d] = (code >> (2 * d)) & 3;
        eval(L, a, &pts[2 * code], &pts[2 * code + 1]);
        lo = fmin(lo, pts[2 * code + 1]);
        hi = fmax(hi, pts[2 * code + 1]);
    }
    L->maxcost = hi + 1e-9;
    L->target = (lo + hi) / 2;
    L->hv = hypervolume(L, pts, NARCH);
    free(pts);
}

typedef struct Entrant {
    const char *name;
    ControllerKind kind;
    bool multiobjective;
} Entrant;

/* HV share after each budget of one controller on one landscape. */
static void run(const Land *L, const Entrant *en, uint64_t seed, double *share)
{
    ControllerParams p = controller_defaults(en->kind);
    p.seed = seed;
    p.multiobjective = en->multiobjective;
    if (en->kind == CONTROLLER_EVOLUTION) p.population = 20, p.sample = 5; /* sized like nsga2's 20 */
    char err[256];
    Controller *c = controller_new(L->space, &p, err, sizeof err);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    double pts[2 * MAXB];
    for (int t = 0, b = 0; t < MAXB; t++) {
        int32_t a[D];
        controller_ask(c, a);
        double acc, cost;
        eval(L, a, &acc, &cost);
        pts[2 * t] = acc;
        pts[2 * t + 1] = cost;
        double obj[2] = {acc, -cost}, reward = acc * pow(cost / L->target, -0.07);
        controller_tell_objectives(c, a, reward, obj, 2, true);
        if (t + 1 == budgets[b]) share[b++] = hypervolume(L, pts, t + 1) / L->hv;
    }
    controller_free(c);
}

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* One ask after 1,000 results told (median of 5 asks, each after one more tell). */
static void latency(const Land *L, const Entrant *en)
{
    ControllerParams p = controller_defaults(en->kind);
    p.multiobjective = en->multiobjective;
    char err[256];
    Controller *c = controller_new(L->space, &p, err, sizeof err);
    double ms[5];
    for (int t = 0; t < 1005; t++) {
        int32_t a[D];
        double t0 = cpu_ms();
        controller_ask(c, a);
        if (t >= 1000) ms[t - 1000] = cpu_ms() - t0;
        double acc, cost;
        eval(L, a, &acc, &cost);
        double obj[2] = {acc, -cost};
        controller_tell_objectives(c, a, acc, obj, 2, true);
    }
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (ms[j] < ms[i]) {
                double x = ms[i];
                ms[i] = ms[j];
                ms[j] = x;
            }
    printf("%-20s ask after 1000 trials: %.3f ms CPU (median of 5; %.3f .. %.3f)\n", en->name, ms[2], ms[0], ms[4]);
    controller_free(c);
}

int main(int argc, char **argv)
{
    const Entrant es[] = {{"random", CONTROLLER_RANDOM, false}, {"evolution", CONTROLLER_EVOLUTION, false},
                          {"tpe", CONTROLLER_TPE, false},       {"tpe(multiobjective)", CONTROLLER_TPE, true},
                          {"nsga2", CONTROLLER_NSGA2, false},   {"bo(multiobjective)", CONTROLLER_BO, true}};
    enum { NE = sizeof es / sizeof *es };
    int seeds = 100, nonly = 0;
    bool lat = false, only[NE] = {false};
    for (int i = 1; i < argc; i++) {
        int k = NE;
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
            seeds = atoi(argv[++i]);
            continue;
        }
        if (!strcmp(argv[i], "--latency")) {
            lat = true;
            continue;
        }
        if (!strcmp(argv[i], "--only") && i + 1 < argc)
            for (k = 0; k < NE && strcmp(es[k].name, argv[i + 1]); k++) {}
        if (k == NE) {
            fprintf(stderr, "usage: nsga2_bench [--seeds S] [--only NAME]... [--latency]\n");
            return 2;
        }
        only[k] = true;
        nonly++;
        i++;
    }
    for (int k = 0; k < NE; k++) only[k] |= nonly == 0;
    double s[NE][3] = {{0}}, ss[NE][3] = {{0}};
    Land *L = malloc(sizeof *L);
    if (!L) return 2;
    if (lat) {
        build(L, 1);
        latency(L, &es[3]);
        latency(L, &es[4]);
        latency(L, &es[5]);
        space_free(L->space);
        free(L);
        return 0;
    }
    for (int sd = 1; sd <= seeds; sd++) {
        build(L, (uint64_t)sd);
        for (int k = 0; k < NE; k++) {
            if (!only[k]) continue;
            double share[3];
            run(L, &es[k], (uint64_t)sd, share);
            for (int b = 0; b < 3; b++) {
                s[k][b] += share[b];
                ss[k][b] += share[b] * share[b];
            }
        }
        space_free(L->space);
    }
    printf("two-objective benchmark (max accuracy, min cost; 4^8 architectures): hypervolume of the proposals as a "
           "share of the true front's, %d seeds\n",
           seeds);
    printf("%-20s %18s %18s %18s\n", "controller", "50 trials", "100 trials", "200 trials");
    for (int k = 0; k < NE; k++) {
        if (!only[k]) continue;
        printf("%-20s", es[k].name);
        for (int b = 0; b < 3; b++) {
            double m = s[k][b] / seeds, sdv = sqrt(fmax(0, ss[k][b] / seeds - m * m) / (seeds > 1 ? seeds - 1 : 1));
            printf("    %.4f +- %.4f", m, sdv);
        }
        printf("\n");
    }
    free(L);
    return 0;
}
