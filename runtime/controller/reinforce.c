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
    float **logits;     /* per decision, arity entries; NULL when not learned */
    double *probs;      /* scratch, MAX_LOGITS */
    double baseline, spread;
    long told;
} Reinforce;

static void softmax(const float *z, int n, double *p)
{
    double m = z[0], sum = 0;
    for (int i = 1; i < n; i++) if (z[i] > m) m = z[i];
    for (int i = 0; i < n; i++) sum += p[i] = exp(z[i] - m);
    for (int i = 0; i < n; i++) p[i] /= sum;
}

static int32_t sample_subset(SpaceRng *r, int k, int n)
{
    int idx[SPACE_SUBSET_MAX_N];
    for (int i = 0; i < n; i++) idx[i] = i;
    int32_t mask = 0;
    for (int i = 0; i < k; i++) {          /* partial Fisher-Yates */
        int j = i + (int)space_rng_below(r, (uint32_t)(n - i));
        int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        mask |= (int32_t)1 << idx[i];
    }
    return mask;
}

static int reinforce_ask(Controller *c, int32_t *arch)
{
    Reinforce *rf = (Reinforce *)c;
    for (int d = 0; d < c->nslots; d++) arch[d] = SPACE_INACTIVE;
    for (int d = 0; d < c->nslots; d++) {
        if (!space_is_active(c->space, arch, d)) continue;
        const SpaceDecision *sd = space_decision(c->space, d);
        if (sd->kind == SPACE_SUBSET) {
            arch[d] = sample_subset(&c->rng, sd->k, sd->n);
        } else if (!rf->logits[d]) {
            arch[d] = (int32_t)space_rng_below(&c->rng, (uint32_t)sd->arity);
        } else {
            softmax(rf->logits[d], sd->arity, rf->probs);
            /* Inverse CDF with a 53-bit uniform: exact and the same on every machine. */
            double u = (double)(space_rng_next(&c->rng) >> 11) * 0x1.0p-53, acc = 0;
            int v = sd->arity - 1;
            for (int i = 0; i < sd->arity; i++) {
                acc += rf->probs[i];
                if (u < acc) { v = i; break; }
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
        rf->spread = 0;
        return;                             /* no advantage yet: nothing to learn */
    }
    double adv = reward - rf->baseline;
    rf->spread = decay * rf->spread + (1 - decay) * fabs(adv);
    rf->baseline = decay * rf->baseline + (1 - decay) * reward;
    double scale = rf->spread > 1e-12 ? adv / rf->spread : 0;
    for (int d = 0; d < c->nslots; d++) {
        float *z = rf->logits[d];
        if (!z || !space_is_active(c->space, arch, d)) continue;
        int n = space_decision(c->space, d)->arity, a = arch[d];
        double *p = rf->probs, h = 0;
        softmax(z, n, p);
        for (int i = 0; i < n; i++) if (p[i] > 0) h -= p[i] * log(p[i]);
        for (int i = 0; i < n; i++) {
            double grad = scale * ((i == a) - p[i]);
            double ent = p[i] > 0 ? -p[i] * (log(p[i]) + h) : 0;   /* d entropy / d z_i */
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

static const ControllerOps reinforce_ops = { reinforce_ask, reinforce_tell, reinforce_free };

Controller *controller_reinforce_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (!(p->lr > 0) || !(p->baseline_decay >= 0 && p->baseline_decay < 1) || !(p->entropy >= 0)) {
        snprintf(err, n, "reinforce: need lr > 0, 0 <= baseline decay < 1, entropy >= 0");
        return NULL;
    }
    Reinforce *rf = (Reinforce *)controller_alloc(sizeof *rf, &reinforce_ops, s, p);
    if (!rf) { snprintf(err, n, "out of memory"); return NULL; }
    int slots = rf->base.nslots;
    rf->logits = calloc((size_t)(slots ? slots : 1), sizeof *rf->logits);
    rf->probs = calloc(MAX_LOGITS, sizeof *rf->probs);
    bool ok = rf->logits && rf->probs;
    for (int d = 0; ok && d < slots; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        if (sd->kind == SPACE_SUBSET || sd->continuous || sd->arity > MAX_LOGITS) continue;
        ok = (rf->logits[d] = calloc((size_t)sd->arity, sizeof(float))) != NULL;   /* uniform start */
    }
    if (!ok) {
        reinforce_free(&rf->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &rf->base;
}
