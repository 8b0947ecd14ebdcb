/* prune_test.c — the early-stopping rules (runtime/pipeline/prune.h) on synthetic curves:
 * ASHA's rungs and its top-1/reduction test (the first trials of a rung included), the median
 * rule's startup and warmup and its best-so-far against the median, no stop at a trial's last
 * epoch, and the parameter checks. */
#include "prune.h"
#include "check.h"
#include <math.h>
#include <string.h>

static const NasPrune asha3 = {.kind = NAS_PRUNE_ASHA, .min = 1, .max = 0, .reduction = 3};

static void test_asha(void)
{
    /* 8 recorded trials with values 0.1 .. 0.8 at epoch 1 (and 3 for the last three) */
    double v[8][9];
    PruneTrial h[8];
    for (int i = 0; i < 8; i++) {
        for (int e = 0; e < 9; e++) v[i][e] = (i + 1) / 10.0 + e / 100.0;
        h[i] = (PruneTrial){v[i], i >= 5 ? 9 : 1, i >= 5};
    }
    /* at epoch 1, 9 values compete, this one's included: the top 3 go on */
    double c[9];
    c[0] = 0.55; /* below 0.8, 0.7, 0.6 */
    CHECK(prune_stops(&asha3, h, 8, c, 1, 9));
    c[0] = 0.65; /* third */
    CHECK(!prune_stops(&asha3, h, 8, c, 1, 9));
    c[0] = 0.6; /* ties with the third best: goes on */
    CHECK(!prune_stops(&asha3, h, 8, c, 1, 9));
    /* epoch 2 is no rung; epoch 3 is: 3 trials reached it (0.62, 0.72, 0.82) + this one = 4,
     * top 4 / 3 = 1: only the best goes on */
    for (int e = 0; e < 9; e++) c[e] = 0.75;
    CHECK(!prune_stops(&asha3, h, 8, c, 2, 9));
    CHECK(prune_stops(&asha3, h, 8, c, 3, 9));
    c[2] = 0.9;
    CHECK(!prune_stops(&asha3, h, 8, c, 3, 9));
    /* the first trial of a rung (nothing to compare) goes on; a second, worse one stops */
    CHECK(!prune_stops(&asha3, NULL, 0, c, 1, 9));
    double worse[1] = {0.05};
    PruneTrial one = {c, 9, true};
    CHECK(prune_stops(&asha3, &one, 1, worse, 1, 9));
    /* never at the last epoch, nor at or beyond max */
    CHECK(!prune_stops(&asha3, &one, 1, worse, 1, 1));
    NasPrune capped = asha3;
    capped.max = 1;
    CHECK(!prune_stops(&capped, &one, 1, worse, 1, 9));
    /* a missing value at a rung decides nothing */
    double missing[1] = {NAN};
    CHECK(!prune_stops(&asha3, &one, 1, missing, 1, 9));
    /* the first stop of a curve: epoch 3 here (epoch 1 is fine) */
    double curve[9] = {0.8, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    CHECK(prune_first_stop(&asha3, h, 8, curve, 9, 9) == 3);
    /* min 2, reduction 2: rungs 2, 4, 8 */
    NasPrune r2 = {.kind = NAS_PRUNE_ASHA, .min = 2, .reduction = 2};
    CHECK(prune_first_stop(&r2, &one, 1, worse, 1, 9) == 0);
    double low[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK(prune_first_stop(&r2, &one, 1, low, 9, 9) == 2);
}

static void test_median(void)
{
    NasPrune m = {.kind = NAS_PRUNE_MEDIAN, .startup = 3, .warmup = 1};
    double a[4] = {0.2, 0.4, 0.6, 0.8}, b[4] = {0.1, 0.3, 0.5, 0.7}, c[4] = {0.3, 0.5, 0.7, 0.9}, p[2] = {0.9, 0.9};
    PruneTrial h[4] = {{a, 4, true}, {b, 4, true}, {p, 2, false}, {c, 4, true}};
    double x[4] = {0.35, 0.38, 0.45, 0.5};
    /* two complete trials: fewer than startup, no stop */
    CHECK(!prune_stops(&m, h, 2, x, 2, 4));
    /* three complete (the pruned one does not count, nor do its values): median at epoch 2 is
     * 0.4; epoch 1 is warmup */
    CHECK(!prune_stops(&m, h, 4, x, 1, 4));
    CHECK(prune_stops(&m, h, 4, x, 2, 4));
    /* best so far counts: 0.45 then at epoch 3 the median is 0.6 */
    double y[4] = {0.45, 0.41, 0.2, 0.2};
    CHECK(!prune_stops(&m, h, 4, y, 2, 4));
    CHECK(prune_stops(&m, h, 4, y, 3, 4));
    CHECK(prune_first_stop(&m, h, 4, y, 4, 4) == 3);
    /* last epoch: never */
    CHECK(!prune_stops(&m, h, 4, y, 4, 4));
    /* even count: the mean of the middle two (0.4, 0.5 at epoch 3 -> with a, b, c: 0.6) */
    PruneTrial h2[2] = {{a, 4, true}, {b, 4, true}};
    NasPrune m0 = {.kind = NAS_PRUNE_MEDIAN, .startup = 0, .warmup = 0};
    double z[4] = {0.14, 0.14, 0.14, 0.14}, z2[4] = {0.16, 0.16, 0.16, 0.16};
    CHECK(prune_stops(&m0, h2, 2, z, 1, 4)); /* median of 0.2, 0.1: 0.15 */
    CHECK(!prune_stops(&m0, h2, 2, z2, 1, 4));
    CHECK(!prune_stops(&m0, NULL, 0, z, 1, 4)); /* nothing finished yet */
}

static void test_check(void)
{
    char err[200];
    CHECK(prune_check(&asha3, err, sizeof err) == 0);
    NasPrune bad = asha3;
    bad.reduction = 1;
    CHECK(prune_check(&bad, err, sizeof err) != 0 && strstr(err, "reduction"));
    bad = asha3;
    bad.min = 4, bad.max = 2;
    CHECK(prune_check(&bad, err, sizeof err) != 0 && strstr(err, "max"));
    NasPrune none = {.kind = NAS_PRUNE_NONE};
    double x[2] = {0, 0};
    CHECK(prune_check(&none, err, sizeof err) == 0 && prune_first_stop(&none, NULL, 0, x, 2, 9) == 0);
}

int main(void)
{
    test_asha();
    test_median();
    test_check();
    if (failures) {
        fprintf(stderr, "prune_test: %d failures\n", failures);
        return 1;
    }
    printf("prune_test: ok\n");
    return 0;
}
