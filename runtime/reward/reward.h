/* reward.h — what the `reward` declaration says, applied to one trial's metrics: the scalar
 * reward a controller learns from (first objective, with MNasNet soft constraints), hard
 * constraints (infeasible trials are kept and marked), and, for several objectives, the
 * Pareto front and its hypervolume against the declared reference point. */
#ifndef NAS_REWARD_H
#define NAS_REWARD_H
#include <stdbool.h>
#include <stddef.h>
#include "config.h"

#define REWARD_MAX_EXTERNAL   16
#define REWARD_MAX_OBJECTIVES 8

/* One trial's measurements, in base units (seconds, bytes). NaN = not measured. */
typedef struct RewardMetrics {
    double accuracy, loss, latency, memory, params, flops;
    int nexternal;
    const char *external_name[REWARD_MAX_EXTERNAL]; /* metrics an external trainer reported */
    double external[REWARD_MAX_EXTERNAL];
} RewardMetrics;

void reward_metrics_init(RewardMetrics *m);                     /* every metric NaN */
double reward_metric(const RewardMetrics *m, NasMetricRef ref); /* NaN when absent */
const char *reward_metric_name(NasMetricRef ref);               /* "accuracy", or the trainer's name */

typedef struct RewardResult {
    double reward; /* scalar for the controller; NaN when a needed metric is missing */
    bool feasible; /* every hard constraint holds */
    int nobjectives;
    double objectives[REWARD_MAX_OBJECTIVES]; /* as measured (not negated) */
    char why[160];                            /* the first failed hard constraint or the missing metric */
} RewardResult;

/* reward may be NULL: then the reward is the accuracy. */
void reward_compute(const NasReward *reward, const RewardMetrics *m, RewardResult *out);

/* Whether every hard constraint on a measured metric of m holds (those on metrics m lacks
 * are not judged): false with why, as reward_compute words it, when one fails. */
bool reward_hard_holds(const NasReward *reward, const RewardMetrics *m, char *why, size_t size);

/* The objectives as a multi-objective controller climbs them, each larger-is-better (a
 * minimized one negated): writes res->nobjectives values to out and returns their number.
 * reward NULL (or no objectives): the accuracy alone. */
int reward_oriented(const NasReward *reward, const RewardResult *res, double *out);

/* Pareto front: marks front[i] true for every point no other point dominates. points is
 * n x k row-major, maximize[j] tells the direction of objective j. */
void reward_pareto_front(const double *points, int n, int k, const bool *maximize, bool *front);
/* Hypervolume of the given points (2 objectives, exact) against the reference point;
 * points that do not improve on the reference in both objectives add nothing.
 * More than two objectives: not yet (say so where it is reported). */
double reward_hypervolume2(const double *points, int n, const bool *maximize, const double ref[2]);
#endif
