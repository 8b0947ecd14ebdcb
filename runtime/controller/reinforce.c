/* reinforce.c — REINFORCE policy gradient over the decision table, the controller Vertex AI
 * NAS describes: the policy (policy.h) samples each proposal; each result moves the logits
 * of the decisions it used by advantage * grad log p, plus an entropy bonus that keeps
 * exploring. The advantage is the reward minus a moving-average baseline, divided by a
 * moving estimate of the reward's spread, so the step size does not depend on the reward's
 * scale (accuracy vs. latency-weighted). */
#include "controller_impl.h"
#include "policy.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Reinforce {
    Controller base;
    Policy policy;
    double baseline, spread;
    double spread_weight; /* 1 - decay^k after k updates: the bias correction of spread */
    long told;
} Reinforce;

static int reinforce_ask(Controller *c, int32_t *arch)
{
    policy_sample(&((Reinforce *)c)->policy, &c->rng, arch);
    return 0;
}

static void reinforce_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    Reinforce *rf = (Reinforce *)c;
    if (!ok || !isfinite(reward)) return;
    double decay = c->params.baseline_decay;
    if (rf->told++ == 0) {
        rf->baseline = reward;
        return; /* no advantage yet: nothing to learn */
    }
    double adv = reward - rf->baseline;
    /* The spread average starts at 0: divided by 1 - decay^k (k updates so far, as Adam
     * does) it is an unbiased mean from the first update on, so early steps are not up to
     * 1 / (1 - decay) times larger than later ones. */
    rf->spread = decay * rf->spread + (1 - decay) * fabs(adv);
    rf->spread_weight = decay * rf->spread_weight + (1 - decay);
    rf->baseline = decay * rf->baseline + (1 - decay) * reward;
    double spread = rf->spread / rf->spread_weight;
    policy_step(&rf->policy, arch, spread > 1e-12 ? adv / spread : 0, c->params.entropy, c->params.lr);
}

static void reinforce_free(Controller *c)
{
    Reinforce *rf = (Reinforce *)c;
    policy_free(&rf->policy);
    free(rf);
}

static const ControllerOps reinforce_ops = {reinforce_ask, reinforce_tell, reinforce_free};

Controller *controller_reinforce_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (!(p->lr > 0) || !(p->baseline_decay >= 0 && p->baseline_decay < 1) || !(p->entropy >= 0)) {
        snprintf(err, n, "reinforce: need lr > 0, 0 <= baseline decay < 1, entropy >= 0");
        return NULL;
    }
    Reinforce *rf = (Reinforce *)controller_alloc(sizeof *rf, &reinforce_ops, s, p);
    if (!rf || !policy_init(&rf->policy, s)) {
        if (rf) reinforce_free(&rf->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &rf->base;
}
