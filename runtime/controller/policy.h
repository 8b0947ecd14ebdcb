/* policy.h — the policy REINFORCE and PPO learn (reinforce.c, ppo.c): a softmax over logits
 * per decision; a proposal samples the active decisions in table order (parents first).
 * Decisions too wide for logits (continuous ranges, more than POLICY_MAX_LOGITS values) and
 * subsets are drawn uniformly and not learned. Private to controller/ (and tests/unit).
 *
 * Ownership: policy_init allocates, policy_free releases; the space must outlive it. */
#ifndef NAS_POLICY_H
#define NAS_POLICY_H
#include <stdbool.h>
#include <stdint.h>
#include "space.h"

#define POLICY_MAX_LOGITS 4096

typedef struct Policy {
    const Space *space;
    int nslots;
    float **logits; /* per decision, arity entries (0: uniform); NULL when not learned */
    double *probs;  /* scratch, POLICY_MAX_LOGITS */
} Policy;

bool policy_init(Policy *p, const Space *s); /* false on out of memory (then policy_free) */
void policy_free(Policy *p);
/* A draw of the policy within the space's feasible set (space_feasible): the policy
 * conditioned on feasibility, by redrawing up to SPACE_MOVE_TRIES times, then a feasible
 * space_sample. */
void policy_sample(Policy *p, SpaceRng *r, int32_t *arch);
/* log pi(arch): the sum over its active learned decisions. */
double policy_log_prob(Policy *p, const int32_t *arch);
/* One gradient step on the logits of arch's active learned decisions:
 * z += lr (coef d log pi(arch) / dz + entropy d H / dz), H each decision's entropy. */
void policy_step(Policy *p, const int32_t *arch, double coef, double entropy, double lr);
/* PPO's clipped surrogate min(ratio A, clip(ratio, 1 - eps, 1 + eps) A), differentiated with
 * respect to log pi: ratio A where the unclipped term is the minimum, else 0 (the sample has
 * moved the policy far enough). */
double policy_ppo_coef(double ratio, double adv, double eps);
#endif
