/* tpe_int.h — what tpe.c shares with its multivariate form (tpe_joint.c). Private. */
#ifndef NAS_TPE_INT_H
#define NAS_TPE_INT_H
#include <stdbool.h>
#include "arch_list.h"

typedef struct Ranked {
    double reward;
    int at;
} Ranked;

/* The history one ask sees (borrowed from the controller for the ask). */
typedef struct TpeHistory {
    const Space *space;
    const ArchList *good;   /* results with a reward, in tell order */
    const Ranked *order;    /* good entries by reward, best first */
    const ArchList *flight; /* asked, not yet told: the constant liar's worst results */
    int candidates;
} TpeHistory;

#define PRIOR_WEIGHT 1.0 /* Optuna's prior_weight */

/* min(ceil(n / 10), 25): how many of n results form the good group. */
static inline int tpe_gamma(int n)
{
    int g = (n + 9) / 10;
    return g < 25 ? g : 25;
}

/* A range is modelled on its grid index; everything else is categorical. */
static inline bool tpe_is_range(const SpaceDecision *sd)
{
    return sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE;
}

/* The joint estimators of one ask (l and g over whole architectures); NULL on out of memory.
 * Ownership: the caller frees it with tpe_joint_free; it borrows h's lists. */
typedef struct TpeJoint TpeJoint;
TpeJoint *tpe_joint_new(const TpeHistory *h);
/* The best of h->candidates architectures drawn from l, by log l - log g; a feasible one
 * (space_feasible) before any infeasible one. */
void tpe_joint_draw(TpeJoint *j, SpaceRng *r, int32_t *arch);
/* log l(arch) (good) or log g(arch), for the tests: over a space of discrete decisions
 * without ranges the densities sum to 1 over every architecture. */
double tpe_joint_log_density(const TpeJoint *j, bool good, const int32_t *arch);
void tpe_joint_free(TpeJoint *j);
#endif
