/* prune.h — the rules that stop a trial early from its per-epoch results (a search's
 * `prune`): the median stopping rule (Golovin et al. 2017, Vizier; Optuna's MedianPruner) and
 * asynchronous successive halving, ASHA (Li et al. 2020; Optuna's SuccessiveHalvingPruner).
 * A decision depends only on the trial's own curve and on the trials recorded before it was
 * proposed, so a resumed search decides the same. The pipeline's side (epoch lines, the
 * scheduler's hook, the store) is in pipeline_int.h. */
#ifndef NAS_PRUNE_H
#define NAS_PRUNE_H
#include <stdbool.h>
#include <stddef.h>
#include "config.h"

/* A recorded trial: its value after each epoch (v[e - 1], larger is better; NaN: not
 * reported) and whether it ran all its epochs (not pruned). */
typedef struct PruneTrial {
    const double *v;
    int n;
    bool complete;
} PruneTrial;

/* 0, or -1 with a message: parameters out of range (asha: 1 <= min, max 0 or >= min,
 * reduction >= 2; median: startup, warmup >= 0). */
int prune_check(const NasPrune *rule, char *err, size_t size);
/* Whether the rule stops, after epoch e (1-based), a trial of `epochs` epochs whose values so far
 * are v[0..e-1], given the trials before it (hist). Never at or after its last epoch. */
bool prune_stops(const NasPrune *rule, const PruneTrial *hist, int nhist, const double *v, int e, int epochs);
/* The first epoch at which the rule stops the curve v[0..n-1]; 0: none. */
int prune_first_stop(const NasPrune *rule, const PruneTrial *hist, int nhist, const double *v, int n, int epochs);
#endif
