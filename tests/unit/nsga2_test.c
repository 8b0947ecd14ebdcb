/* nsga2_test.c — NSGA-II's pieces: non-dominated sorting against a brute-force peeling of the
 * fronts (random points with many ties, 2 to 4 objectives), crowding distance against values
 * worked out by hand, and the controller: the same seed and history give the same proposals,
 * and its proposals move to the Pareto front of two conflicting objectives it is told; the same
 * for TPE's multi-objective mode. */
#include "controller.h"
#include "nsga2.h"
#include "check.h"
#include "front_space.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The fronts by definition: front f is what no point left (of front >= f) dominates. */
static void brute_fronts(const double *p, int n, int k, int *rank)
{
    for (int i = 0; i < n; i++) rank[i] = -1;
    for (int f = 0, left = n; left > 0; f++) {
        int mark[256];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (rank[i] >= 0) continue;
            bool dominated = false;
            for (int j = 0; j < n && !dominated; j++)
                if (j != i && rank[j] < 0 && nsga2_dominates(p + j * k, p + i * k, k)) dominated = true;
            if (!dominated) mark[m++] = i;
        }
        for (int a = 0; a < m; a++) rank[mark[a]] = f;
        left -= m;
    }
}

static void test_sort(void)
{
    SpaceRng r;
    space_rng_seed(&r, 42);
    for (int round = 0; round < 200; round++) {
        int n = 1 + (int)space_rng_below(&r, 120), k = 2 + (int)space_rng_below(&r, 3);
        double p[120 * 4];
        for (int i = 0; i < n * k; i++) p[i] = (double)space_rng_below(&r, 6); /* ties on purpose */
        int rank[120], want[120];
        int nf = nsga2_sort(p, n, k, rank);
        brute_fronts(p, n, k, want);
        int maxf = 0;
        for (int i = 0; i < n; i++) maxf = want[i] > maxf ? want[i] : maxf;
        CHECK(nf == maxf + 1);
        for (int i = 0; i < n; i++) CHECK(rank[i] == want[i]);
    }
    /* dominance: equal points do not dominate each other */
    double a[2] = {1, 2}, b[2] = {1, 2}, c[2] = {1, 3};
    CHECK(!nsga2_dominates(a, b, 2) && nsga2_dominates(c, a, 2) && !nsga2_dominates(a, c, 2));
}

static void test_crowding(void)
{
    /* one front, both objectives maximised: (1,5) (2,4) (3,3) (4,1) */
    const double p[] = {3, 3, 1, 5, 4, 1, 2, 4};
    int idx[] = {0, 1, 2, 3};
    double d[4];
    nsga2_crowding(p, idx, 4, 2, d);
    CHECK(isinf(d[1]) && isinf(d[2]));
    /* (2,4): (3-1)/(4-1) + (5-3)/(5-1); (3,3): (4-2)/3 + (4-1)/4 */
    CHECK(fabs(d[3] - (2.0 / 3 + 0.5)) < 1e-12);
    CHECK(fabs(d[0] - (2.0 / 3 + 0.75)) < 1e-12);
    /* two points or fewer: all extremes */
    nsga2_crowding(p, idx, 2, 2, d);
    CHECK(isinf(d[0]) && isinf(d[1]));
    /* an objective with no spread adds nothing: only the other one counts */
    const double q[] = {1, 7, 2, 7, 3, 7};
    int qi[] = {0, 1, 2};
    nsga2_crowding(q, qi, 3, 2, d);
    CHECK(fabs(d[1] - 1.0) < 1e-12);
}

static void test_controller(void)
{
    Space *s = front_space();
    ControllerParams p = controller_defaults(CONTROLLER_NSGA2);
    p.seed = 5;
    char err[200];
    Controller *a = controller_new(s, &p, err, sizeof err), *b = controller_new(s, &p, err, sizeof err);
    CHECK(a && b);
    enum { N = 200 };
    int32_t la[6 * N], lb[6 * N];
    front_run(a, N, la);
    front_run(b, N, lb);
    CHECK(memcmp(la, lb, sizeof la) == 0);
    /* The population moves to the front: a point's gap to it is 4 per nonzero decision minus
     * the sum (uniform samples: 1.5 per nonzero decision on average). A child is one mutation
     * from its parents, so even a perfect population has children a move off the front. */
    double gap_first = 0, gap_last = 0;
    for (int t = 0; t < 40; t++) {
        double o[2];
        front_objectives(la + 6 * t, o);
        gap_first += (-4 * o[1] - o[0]) / 40;
        front_objectives(la + 6 * (N - 40 + t), o);
        gap_last += (-4 * o[1] - o[0]) / 40;
    }
    CHECK(gap_first > 4 && gap_last < 3);
    controller_free(a);
    controller_free(b);
    p.nsga2_population = 1;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "population"));
    p.nsga2_population = 20;
    p.crossover = 1.5;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "crossover"));
    space_free(s);
}

/* TPE's multi-objective mode on the same objectives: deterministic, and it moves to the front
 * (its split ranks results by front); told only the scalar sum it would chase the sum instead. */
static void test_motpe(void)
{
    Space *s = front_space();
    ControllerParams p = controller_defaults(CONTROLLER_TPE);
    p.seed = 9;
    p.multiobjective = true;
    char err[200];
    Controller *a = controller_new(s, &p, err, sizeof err), *b = controller_new(s, &p, err, sizeof err);
    CHECK(a && b);
    enum { N = 120 };
    int32_t la[6 * N], lb[6 * N];
    front_run(a, N, la);
    front_run(b, N, lb);
    CHECK(memcmp(la, lb, sizeof la) == 0);
    double gap_first = 0, gap_last = 0, spread = 0;
    bool seen[7] = {false};
    for (int t = 0; t < 20; t++) {
        double o[2];
        front_objectives(la + 6 * t, o);
        gap_first += (-4 * o[1] - o[0]) / 20;
    }
    for (int t = N - 40; t < N; t++) {
        double o[2];
        front_objectives(la + 6 * t, o);
        gap_last += (-4 * o[1] - o[0]) / 40;
        if (o[0] == -4 * o[1]) seen[(int)-o[1]] = true;
    }
    for (int i = 0; i < 7; i++) spread += seen[i];
    /* on the front, and along it: front points of several sizes, not one end */
    CHECK(gap_first > 4 && gap_last < 3 && spread >= 3);
    controller_free(a);
    controller_free(b);
    space_free(s);
}

int main(void)
{
    test_sort();
    test_crowding();
    test_controller();
    test_motpe();
    if (failures) {
        fprintf(stderr, "nsga2_test: %d failures\n", failures);
        return 1;
    }
    printf("nsga2_test: ok\n");
    return 0;
}
