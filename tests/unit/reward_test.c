/* reward_test.c — rewards from metrics: MNasNet soft constraints, hard constraints, missing
 * metrics, Pareto fronts and 2-D hypervolume, against values worked out by hand. */
#include "reward.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#define NEAR(a, b) (fabs((a) - (b)) <= 1e-9 * (1 + fabs(b)))

int main(void)
{
    RewardMetrics m;
    reward_metrics_init(&m);
    m.accuracy = 0.8;
    m.latency = 0.004; /* 4 ms */
    m.params = 2e6;
    RewardResult r;

    /* No reward declaration: accuracy. */
    reward_compute(NULL, &m, &r);
    CHECK(NEAR(r.reward, 0.8) && r.feasible);

    /* MNasNet: 0.8 * (4ms / 2ms)^-0.07 = 0.8 * 2^-0.07 = 0.8 * 0.95264 = 0.76211 */
    NasObjective acc = {.metric = {NAS_METRIC_ACCURACY, NULL}, .maximize = true};
    NasConstraint soft = {
        .metric = {NAS_METRIC_LATENCY, NULL}, .cmp = NAS_CMP_LE, .target = 0.002, .soft = true, .weight = -0.07};
    NasConstraint hard = {.metric = {NAS_METRIC_PARAMS, NULL}, .cmp = NAS_CMP_LE, .target = 1e6, .hard = true};
    NasConstraint both[2] = {soft, hard};
    NasReward rw = {.objectives = &acc, .nobjectives = 1, .constraints = both, .nconstraints = 1};
    reward_compute(&rw, &m, &r);
    CHECK(NEAR(r.reward, 0.8 * pow(2.0, -0.07)) && r.feasible);
    CHECK(fabs(r.reward - 0.76211) < 1e-4);

    /* Hard: 2M params over a 1M limit is infeasible, the reward is still computed. */
    rw.nconstraints = 2;
    reward_compute(&rw, &m, &r);
    CHECK(!r.feasible && strstr(r.why, "params") != NULL);
    CHECK(NEAR(r.reward, 0.8 * pow(2.0, -0.07)));

    /* A missing metric makes the reward NaN and says which. */
    m.latency = NAN;
    reward_compute(&rw, &m, &r);
    CHECK(isnan(r.reward) && strstr(r.why, "latency") != NULL);

    /* Minimized first objective: the controller climbs its negation. */
    NasObjective lat = {.metric = {NAS_METRIC_LATENCY, NULL}, .maximize = false};
    NasReward mo = {.objectives = (NasObjective[]){acc, lat}, .nobjectives = 2};
    m.latency = 0.003;
    reward_compute(&mo, &m, &r);
    CHECK(r.nobjectives == 2 && NEAR(r.objectives[1], 0.003) && NEAR(r.reward, 0.8));
    NasReward lo = {.objectives = &lat, .nobjectives = 1};
    reward_compute(&lo, &m, &r);
    CHECK(NEAR(r.reward, -0.003));

    /* External metrics by name. */
    m.nexternal = 1;
    m.external_name[0] = "bleu";
    m.external[0] = 31.5;
    NasObjective bleu = {.metric = {NAS_METRIC_EXTERNAL, "bleu"}, .maximize = true};
    NasReward ext = {.objectives = &bleu, .nobjectives = 1};
    reward_compute(&ext, &m, &r);
    CHECK(NEAR(r.reward, 31.5));

    /* Pareto: (acc max, latency min). (0.9,5) (0.8,3) (0.85,4) are on the front;
     * (0.7,4) is dominated by (0.8,3) and (0.85,4). */
    double pts[] = {0.9, 5, 0.8, 3, 0.7, 4, 0.85, 4};
    bool dir[2] = {true, false}, front[4];
    reward_pareto_front(pts, 4, 2, dir, front);
    CHECK(front[0] && front[1] && !front[2] && front[3]);

    /* Hypervolume against ref (0.5, 6): strips by hand:
     * (0.4,1) + (0.35,2)-(0.4..) : points as gains: (0.4,1) (0.3,3) (0.2,2) (0.35,2)
     * sorted by x desc: (0.4,1): 0.4*1 = 0.4; (0.35,2): 0.35*1 = 0.35; (0.3,3): 0.3*1 = 0.3;
     * (0.2,2): nothing. Total 1.05. */
    double ref[2] = {0.5, 6};
    CHECK(NEAR(reward_hypervolume2(pts, 4, dir, ref), 1.05));
    /* A point worse than the reference adds nothing. */
    double worse[] = {0.4, 7};
    CHECK(NEAR(reward_hypervolume2(worse, 1, dir, ref), 0.0));

    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("reward_test: ok\n");
    return 0;
}
