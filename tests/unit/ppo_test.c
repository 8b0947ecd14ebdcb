/* ppo_test.c — PPO (runtime/controller/ppo.c) and the policy it shares with REINFORCE
 * (policy.h): the clipped surrogate's gradient coefficient in each case of the clip, a step
 * raising the probability of a positively advantaged architecture, the same proposals on
 * replay, and learning: on a hidden-target space the mean reward of trials 80-99 beats that
 * of trials 0-19 (and random's) over several seeds. */
#include "controller.h"
#include "policy.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define NEAR(a, b) CHECK(fabs((double)(a) - (double)(b)) < 1e-12)

static void test_clip(void)
{
    /* advantage > 0: the ratio may rise to 1 + eps, then the sample stops pushing */
    NEAR(policy_ppo_coef(1.1, 2, 0.2), 2.2);
    NEAR(policy_ppo_coef(1.3, 2, 0.2), 0);
    NEAR(policy_ppo_coef(0.5, 2, 0.2), 1.0); /* below 1 - eps the unclipped term is the minimum */
    /* advantage < 0: the ratio may fall to 1 - eps */
    NEAR(policy_ppo_coef(0.9, -1, 0.2), -0.9);
    NEAR(policy_ppo_coef(0.7, -1, 0.2), 0);
    NEAR(policy_ppo_coef(1.5, -1, 0.2), -1.5);
    NEAR(policy_ppo_coef(3, 0, 0.2), 0);
}

static Space *target_space(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"ppo", 1, 1};
    const char *ops[4] = {"a", "b", "c", "d"};
    for (int d = 0; d < 6; d++) {
        char name[8];
        snprintf(name, sizeof name, "o%d", d);
        space_add_labels(s, name, loc, 4, ops);
    }
    return s;
}

static void test_policy_step(const Space *s)
{
    Policy p;
    CHECK(policy_init(&p, s));
    int32_t a[6] = {0, 1, 2, 3, 0, 1};
    double lp = policy_log_prob(&p, a);
    NEAR(lp, 6 * log(0.25));
    policy_step(&p, a, 1.0, 0, 0.5);
    CHECK(policy_log_prob(&p, a) > lp);
    policy_step(&p, a, -2.0, 0, 0.5);
    CHECK(policy_log_prob(&p, a) < lp);
    policy_free(&p);
}

/* Mean reward of trials [lo, hi) of a 100-trial search, reward = share matching a target. */
static void search(const Space *s, ControllerKind kind, uint64_t seed, double *early, double *late, int32_t *log)
{
    ControllerParams p = controller_defaults(kind);
    p.seed = seed;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    CHECK(c != NULL);
    if (!c) return;
    int32_t t[6], a[6];
    SpaceRng r;
    space_rng_seed(&r, seed + 100);
    space_sample(s, &r, t);
    for (int i = 0; i < 100; i++) {
        controller_ask(c, a);
        if (log) memcpy(log + 6 * i, a, sizeof a);
        double f = 0;
        for (int d = 0; d < 6; d++) f += a[d] == t[d];
        f /= 6;
        if (i < 20) *early += f / 20;
        if (i >= 80) *late += f / 20;
        controller_tell(c, a, f, true);
    }
    controller_free(c);
}

static void test_learns(const Space *s)
{
    int32_t a[600], b[600];
    double e = 0, l = 0;
    search(s, CONTROLLER_PPO, 7, &e, &l, a);
    search(s, CONTROLLER_PPO, 7, &e, &l, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    double early = 0, late = 0, re = 0, rl = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        search(s, CONTROLLER_PPO, seed, &early, &late, NULL);
        search(s, CONTROLLER_RANDOM, seed, &re, &rl, NULL);
    }
    printf("ppo: mean reward trials 0-19 %.3f, 80-99 %.3f (random %.3f, %.3f), 10 seeds\n", early / 10, late / 10,
           re / 10, rl / 10);
    CHECK(late > early + 1.0); /* +0.1 reward a seed on average */
    CHECK(late > rl + 1.0);
    ControllerParams p = controller_defaults(CONTROLLER_PPO);
    p.batch = 1;
    char err[200] = "";
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "batch") != NULL);
}

int main(void)
{
    Space *s = target_space();
    test_clip();
    test_policy_step(s);
    test_learns(s);
    space_free(s);
    if (failures) {
        fprintf(stderr, "ppo_test: %d failures\n", failures);
        return 1;
    }
    printf("ppo_test: ok\n");
    return 0;
}
