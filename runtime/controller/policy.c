/* policy.c — see policy.h. */
#include "policy.h"
#include "controller_impl.h" /* controller_draw, controller_uniform */
#include <math.h>
#include <stdlib.h>

bool policy_init(Policy *p, const Space *s)
{
    p->space = s;
    p->nslots = space_count(s);
    p->logits = calloc((size_t)(p->nslots ? p->nslots : 1), sizeof *p->logits);
    p->probs = calloc(POLICY_MAX_LOGITS, sizeof *p->probs);
    if (!p->logits || !p->probs) return false;
    for (int d = 0; d < p->nslots; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        if (sd->kind == SPACE_SUBSET || sd->continuous || sd->arity > POLICY_MAX_LOGITS) continue;
        if (!(p->logits[d] = calloc((size_t)sd->arity, sizeof(float)))) return false; /* uniform start */
    }
    return true;
}

void policy_free(Policy *p)
{
    if (p->logits)
        for (int d = 0; d < p->nslots; d++) free(p->logits[d]);
    free(p->logits);
    free(p->probs);
    p->logits = NULL;
    p->probs = NULL;
}

static void softmax(const float *z, int n, double *p)
{
    double m = z[0], sum = 0;
    for (int i = 1; i < n; i++)
        if (z[i] > m) m = z[i];
    for (int i = 0; i < n; i++) sum += p[i] = exp(z[i] - m);
    for (int i = 0; i < n; i++) p[i] /= sum;
}

static void sample_once(Policy *p, SpaceRng *r, int32_t *arch)
{
    for (int d = 0; d < p->nslots; d++) arch[d] = SPACE_INACTIVE;
    for (int d = 0; d < p->nslots; d++) {
        if (!space_is_active(p->space, arch, d)) continue;
        const SpaceDecision *sd = space_decision(p->space, d);
        if (!p->logits[d]) {
            arch[d] = controller_draw(p->space, r, d);
            continue;
        }
        softmax(p->logits[d], sd->arity, p->probs);
        double u = controller_uniform(r), acc = 0; /* inverse CDF */
        int v = sd->arity - 1;
        for (int i = 0; i < sd->arity; i++) {
            acc += p->probs[i];
            if (u < acc) {
                v = i;
                break;
            }
        }
        arch[d] = v;
    }
}

void policy_sample(Policy *p, SpaceRng *r, int32_t *arch)
{
    for (int t = 0; t < SPACE_MOVE_TRIES; t++) {
        sample_once(p, r, arch);
        if (space_feasible(p->space, arch)) return;
    }
    space_sample(p->space, r, arch); /* the policy puts (almost) no mass on the feasible set */
}

double policy_log_prob(Policy *p, const int32_t *arch)
{
    double lp = 0;
    for (int d = 0; d < p->nslots; d++) {
        if (!p->logits[d] || arch[d] == SPACE_INACTIVE) continue;
        softmax(p->logits[d], space_decision(p->space, d)->arity, p->probs);
        lp += log(p->probs[arch[d]]);
    }
    return lp;
}

void policy_step(Policy *p, const int32_t *arch, double coef, double entropy, double lr)
{
    for (int d = 0; d < p->nslots; d++) {
        float *z = p->logits[d];
        if (!z || arch[d] == SPACE_INACTIVE) continue;
        int n = space_decision(p->space, d)->arity, a = arch[d];
        double *q = p->probs, h = 0;
        softmax(z, n, q);
        for (int i = 0; i < n; i++)
            if (q[i] > 0) h -= q[i] * log(q[i]);
        for (int i = 0; i < n; i++) {
            double grad = coef * ((i == a) - q[i]);
            double ent = q[i] > 0 ? -q[i] * (log(q[i]) + h) : 0; /* d entropy / d z_i */
            z[i] += (float)(lr * (grad + entropy * ent));
        }
    }
}

double policy_ppo_coef(double ratio, double adv, double eps)
{
    /* The minimum is the clipped (constant) term when the ratio has passed the clip in the
     * direction the advantage pushes it. */
    if ((adv > 0 && ratio > 1 + eps) || (adv < 0 && ratio < 1 - eps)) return 0;
    return ratio * adv;
}
