/* ppo.c — proximal policy optimisation (Schulman et al. 2017) over the same policy as
 * REINFORCE (policy.h): each trial is a one-step episode. Results are collected in batches
 * of `batch`; a full batch's advantages are its rewards standardised within the batch (mean
 * 0, sd 1: the baseline and the scale in one), and it is reused for `epochs` passes, each
 * sample a step along the clipped surrogate min(r A, clip(r, 1 - clip, 1 + clip) A), r the
 * ratio of its probability now to that when it was told (the policy changes only at batch
 * ends, so that is the policy that proposed it, up to parallel asks that straddle a batch
 * end), plus the entropy bonus. The clip keeps the reuse from moving the policy far from the
 * one that collected the batch, which is what lets PPO take several steps per sample. */
#include "controller_impl.h"
#include "policy.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Ppo {
    Controller base;
    Policy policy;
    int32_t *archs;          /* batch x nslots */
    double *reward, *old_lp; /* batch */
    int n;                   /* results in the batch so far */
} Ppo;

static int ppo_ask(Controller *c, int32_t *arch)
{
    policy_sample(&((Ppo *)c)->policy, &c->rng, arch);
    return 0;
}

static void update(Ppo *p)
{
    const ControllerParams *q = &p->base.params;
    int n = p->n, S = p->base.nslots;
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++) mean += p->reward[i] / n;
    for (int i = 0; i < n; i++) var += (p->reward[i] - mean) * (p->reward[i] - mean) / n;
    if (!(var > 1e-24)) return; /* all equal: no advantage */
    double sd = sqrt(var);
    for (int e = 0; e < q->epochs; e++)
        for (int i = 0; i < n; i++) {
            const int32_t *a = p->archs + (size_t)i * S;
            double ratio = exp(policy_log_prob(&p->policy, a) - p->old_lp[i]);
            double coef = policy_ppo_coef(ratio, (p->reward[i] - mean) / sd, q->clip);
            policy_step(&p->policy, a, coef, q->entropy, q->lr);
        }
}

static void ppo_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    Ppo *p = (Ppo *)c;
    if (!ok || !isfinite(reward)) return;
    memcpy(p->archs + (size_t)p->n * c->nslots, arch, sizeof *arch * (size_t)c->nslots);
    p->reward[p->n] = reward;
    p->old_lp[p->n] = policy_log_prob(&p->policy, arch);
    if (++p->n == c->params.batch) {
        update(p);
        p->n = 0;
    }
}

static void ppo_free(Controller *c)
{
    Ppo *p = (Ppo *)c;
    policy_free(&p->policy);
    free(p->archs);
    free(p->reward);
    free(p->old_lp);
    free(p);
}

static const ControllerOps ppo_ops = {ppo_ask, ppo_tell, ppo_free};

Controller *controller_ppo_new(const Space *s, const ControllerParams *q, char *err, size_t n)
{
    if (!(q->lr > 0) || !(q->clip > 0) || q->batch < 2 || q->epochs < 1 || !(q->entropy >= 0)) {
        snprintf(err, n, "ppo: need lr > 0, clip > 0, batch >= 2, epochs >= 1, entropy >= 0");
        return NULL;
    }
    Ppo *p = (Ppo *)controller_alloc(sizeof *p, &ppo_ops, s, q);
    size_t B = (size_t)q->batch;
    bool ok = p && policy_init(&p->policy, s);
    if (ok) {
        p->archs = malloc(sizeof *p->archs * B * (size_t)(p->base.nslots ? p->base.nslots : 1));
        p->reward = malloc(sizeof *p->reward * B);
        p->old_lp = malloc(sizeof *p->old_lp * B);
        ok = p->archs && p->reward && p->old_lp;
    }
    if (!ok) {
        if (p) ppo_free(&p->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &p->base;
}
