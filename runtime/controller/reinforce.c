/* reinforce.c — REINFORCE policy gradient over the decision table, the controller Vertex AI
 * NAS describes: each decision has softmax logits; a proposal samples the active decisions in
 * table order (parents come first); each result moves the logits of the decisions it used by
 * advantage * grad log p, plus an entropy bonus that keeps exploring. The advantage is the
 * reward minus a moving-average baseline, divided by a moving estimate of the reward's spread,
 * so the step size does not depend on the reward's scale (accuracy vs. latency-weighted).
 * Decisions too wide for logits (continuous ranges, more than MAX_LOGITS values) and subsets
 * are sampled uniformly and not learned. */
#include "controller_impl.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LOGITS 4096

typedef struct Reinforce {
    Controller base;
    float **logits; /* per decision, arity entries; NULL when not learned */
    double *probs;  /* scratch, MAX_LOGITS */
    double baseline, spread;
    double spread_weight; /* 1 - decay^k after k updates: the bias correction of spread */
    long told;
} Reinforce;

static void softmax(const float *z, int n, double *p)
{
    double m = z[0], sum = 0;
    for (int i = 1; i < n; i++)
        if (z[i] > m) m = z[i];
    for (int i = 0; i < n; i++) sum += p[i] = exp(z[i] - m);
    for (int i = 0; i < n; i++) p[i] /= sum;
}

static int reinforce_ask(Controller *c, int32_t *arch)
{
    Reinforce *rf = (Reinforce *)c;
    for (int d = 0; d < c->nslots; d++) arch[d] = SPACE_INACTIVE;
    for (int d = 0; d < c->nslots; d++) {
        if (!space_is_active(c->space, arch, d)) continue;
        const SpaceDecision *sd = space_decision(c->space, d);
        if (!rf->logits[d]) {
            arch[d] = controller_draw(c->space, &c->rng, d); /* not learned: uniform */
        } else {
            softmax(rf->logits[d], sd->arity, rf->probs);
            double u = controller_uniform(&c->rng), acc = 0; /* inverse CDF */
            int v = sd->arity - 1;
            for (int i = 0; i < sd->arity; i++) {
                acc += rf->probs[i];
                if (u < acc) {
                    v = i;
                    break;
                }
            }
            arch[d] = v;
        }
    }
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
    double scale = spread > 1e-12 ? adv / spread : 0;
    for (int d = 0; d < c->nslots; d++) {
        float *z = rf->logits[d];
        if (!z || !space_is_active(c->space, arch, d)) continue;
        int n = space_decision(c->space, d)->arity, a = arch[d];
        double *p = rf->probs, h = 0;
        softmax(z, n, p);
        for (int i = 0; i < n; i++)
            if (p[i] > 0) h -= p[i] * log(p[i]);
        for (int i = 0; i < n; i++) {
            double grad = scale * ((i == a) - p[i]);
            double ent = p[i] > 0 ? -p[i] * (log(p[i]) + h) : 0; /* d entropy / d z_i */
            z[i] += (float)(c->params.lr * (grad + c->params.entropy * ent));
        }
    }
}

static void reinforce_free(Controller *c)
{
    Reinforce *rf = (Reinforce *)c;
    if (rf->logits)
        for (int d = 0; d < c->nslots; d++) free(rf->logits[d]);
    free(rf->logits);
    free(rf->probs);
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
    if (!rf) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    int slots = rf->base.nslots;
    rf->logits = calloc((size_t)(slots ? slots : 1), sizeof *rf->logits);
    rf->probs = calloc(MAX_LOGITS, sizeof *rf->probs);
    bool ok = rf->logits && rf->probs;
    for (int d = 0; ok && d < slots; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        if (sd->kind == SPACE_SUBSET || sd->continuous || sd->arity > MAX_LOGITS) continue;
        ok = (rf->logits[d] = calloc((size_t)sd->arity, sizeof(float))) != NULL; /* uniform start */
    }
    if (!ok) {
        reinforce_free(&rf->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &rf->base;
}
