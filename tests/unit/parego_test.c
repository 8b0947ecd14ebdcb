/* parego_test.c — ParEGO (bo(multiobjective = true)): the augmented Tchebycheff scalarisation
 * against values worked out by hand, the weight lattice (every vector of {0, 1/s, ..., 1}^k
 * summing to 1, each about equally often, and nothing else), and the controller: each ask
 * models the results under a new weight vector (the best result by the GP changes from ask to
 * ask on a fixed history), the same seed and history give the same proposals, and told two
 * conflicting objectives its proposals reach the Pareto front and spread along it. */
#include "controller.h"
#include "gp.h"
#include "parego.h"
#include "check.h"
#include "front_space.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_scalarise(void)
{
    /* objective 1 spans 1 .. 3, objective 2 spans -3 .. -1: y = (0, 0), (1, 1), (0.5, 0.25),
     * cost c = 1 - y = (1, 1), (0, 0), (0.5, 0.75); with lambda (0.3, 0.7):
     * f = -(max(0.3, 0.7) + 0.05 x 1) = -0.75, -0, -(max(0.15, 0.525) + 0.05 x 0.675) = -0.55875 */
    const double obj[] = {1, -3, 3, -1, 2, -2.5}, lambda[] = {0.3, 0.7};
    double f[3];
    parego_scalarise(obj, 3, 2, lambda, f);
    CHECK(fabs(f[0] + 0.75) < 1e-12 && fabs(f[1]) < 1e-12 && fabs(f[2] + 0.55875) < 1e-12);
    /* lambda (1, 0): the first objective alone, f = -1.05 c_1 */
    const double first[] = {1, 0};
    parego_scalarise(obj, 3, 2, first, f);
    CHECK(fabs(f[0] + 1.05) < 1e-12 && fabs(f[1]) < 1e-12 && fabs(f[2] + 0.525) < 1e-12);
    /* a constant objective (cost 0 everywhere) does not bind; three objectives, lambda (0.5, 0.25, 0.25):
     * point 0 costs (1, 0, 1): -(max(0.5, 0, 0.25) + 0.05 x 0.75) = -0.5375; point 1 costs (0, 0, 0) */
    const double flat[] = {0, 7, 0, 2, 7, 4}, l3[] = {0.5, 0.25, 0.25};
    parego_scalarise(flat, 2, 3, l3, f);
    CHECK(fabs(f[0] + 0.5375) < 1e-12 && fabs(f[1]) < 1e-12);
}

/* Draws for k objectives: every one on the lattice, and (k = 2: 11 vectors, 3: 15) each seen
 * within 20% of its share. */
static void test_lattice(int k, int vectors)
{
    int s = parego_divisions(k);
    CHECK(s == (k == 2 ? 10 : k == 3 ? 4 : 3));
    SpaceRng r;
    space_rng_seed(&r, 7);
    enum { DRAWS = 30000 };
    int count[1000] = {0}, distinct = 0;
    for (int t = 0; t < DRAWS; t++) {
        double l[CONTROLLER_MAX_OBJECTIVES], sum = 0;
        parego_lambda(&r, k, l);
        int code = 0;
        for (int j = 0; j < k; j++) {
            double m = l[j] * s;
            CHECK(l[j] >= 0 && fabs(m - round(m)) < 1e-12);
            sum += l[j];
            code = code * (s + 1) + (int)round(m);
        }
        CHECK(fabs(sum - 1) < 1e-12 && code < 1000);
        distinct += count[code]++ == 0;
    }
    CHECK(distinct == vectors);
    for (int c = 0; c < 1000; c++)
        if (count[c]) CHECK(fabs(count[c] - (double)DRAWS / vectors) < 0.2 * DRAWS / vectors);
    double one[1];
    parego_lambda(&r, 1, one);
    CHECK(one[0] == 1);
}

static void test_controller(void)
{
    Space *s = front_space();
    ControllerParams p = controller_defaults(CONTROLLER_BO);
    p.seed = 9;
    p.multiobjective = true;
    char err[200];
    Controller *a = controller_new(s, &p, err, sizeof err), *b = controller_new(s, &p, err, sizeof err);
    CHECK(a && b);
    enum { N = 80 };
    int32_t la[6 * N], lb[6 * N];
    front_run(a, N, la);
    front_run(b, N, lb);
    CHECK(memcmp(la, lb, sizeof la) == 0);
    /* After the 10 uniform startup proposals: the distance to the front (4 per nonzero decision
     * minus the sum) falls, and the front points found have several sizes (one weight vector
     * for the whole search leads to one end or one knee). */
    double gap_first = 0, gap_last = 0;
    bool seen[7] = {false};
    int spread = 0;
    for (int t = 0; t < 10; t++) {
        double o[2];
        front_objectives(la + 6 * t, o);
        gap_first += (-4 * o[1] - o[0]) / 10;
    }
    for (int t = N - 30; t < N; t++) {
        double o[2];
        front_objectives(la + 6 * t, o);
        gap_last += (-4 * o[1] - o[0]) / 30;
        if (o[0] == -4 * o[1]) seen[(int)-o[1]] = true;
    }
    for (int i = 0; i < 7; i++) spread += seen[i];
    printf("parego_test: gap %.2f -> %.2f, front sizes seen %d\n", gap_first, gap_last, spread);
    CHECK(gap_first > 4 && gap_last < 2 && spread >= 4);
    controller_free(a);
    controller_free(b);
    space_free(s);
}

/* Four results told, (1, 0), (0, 1), (0.5, 0.5) on the front and (0, 0) behind it, then asks
 * with nothing more told: the result with the best posterior mean (the GP models this ask's
 * scalarisation) is the first under weights near (1, 0), the second near (0, 1), the third in
 * between, so over 12 asks each of the three must be the best at some ask; never the
 * dominated one. (With one vector drawn for the whole search the best changes once at most,
 * as the believers join.) */
static void test_redrawn(void)
{
    Space *s = front_space();
    ControllerParams p = controller_defaults(CONTROLLER_BO);
    p.seed = 3;
    p.startup = 1;
    p.multiobjective = true;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    CHECK(c != NULL);
    const int32_t told[4][6] = {{4, 4, 4, 0, 0, 0}, {0, 0, 0, 4, 4, 4}, {2, 2, 2, 2, 2, 2}, {0, 0, 0, 0, 0, 0}};
    const double obj[4][2] = {{1, 0}, {0, 1}, {0.5, 0.5}, {0, 0}};
    for (int i = 0; i < 4; i++) controller_tell_objectives(c, told[i], obj[i][0], obj[i], 2, true);
    int best_seen[4] = {0}, kinds = 0;
    for (int t = 0; t < 12; t++) {
        int32_t a[6];
        CHECK(controller_ask(c, a) == 0);
        double mean[4], sd[4];
        gp_predict(gp_of_bo(c), 4, &told[0][0], mean, sd);
        int k = 0;
        for (int i = 1; i < 4; i++)
            if (mean[i] > mean[k]) k = i;
        kinds += best_seen[k]++ == 0;
    }
    CHECK(kinds == 3 && best_seen[3] == 0);
    controller_free(c);
    space_free(s);
}

int main(void)
{
    test_scalarise();
    test_lattice(2, 11);
    test_lattice(3, 15);
    test_lattice(4, 20);
    test_redrawn();
    test_controller();
    if (failures) {
        fprintf(stderr, "parego_test: %d failures\n", failures);
        return 1;
    }
    printf("parego_test: ok\n");
    return 0;
}
