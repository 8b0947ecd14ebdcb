/* store_impl.h — what a store backend implements (SQLite now; PostgreSQL later). Private to store/. */
#ifndef NAS_STORE_IMPL_H
#define NAS_STORE_IMPL_H
#include "store.h"

typedef struct StoreOps {
    void (*close)(Store *s);
    int (*experiment_begin)(Store *s, const StoreExperiment *e, bool start_new, int64_t *id, bool *resumed,
                            StoreError *err);
    /* Claims and fenced writes: the semantics of store.h (0, STORE_REFUSED, -1). A claim is
     * one atomic step: an insert that fails on an existing (experiment, stage, seq), or an
     * update of a RUNNING row whose attempts still equal take_over and whose arch_id matches
     * (attempts + 1, worker, started, heartbeat, reason = lost). Heartbeat and finish update
     * only WHERE id = a->trial_id AND attempts = a->attempt AND state = RUNNING; when that
     * matches nothing, they read the row to say whose it is. */
    int (*trial_start)(Store *s, int64_t experiment, const StoreStart *st, StoreAttempt *out, StoreError *err);
    int (*trial_heartbeat)(Store *s, const StoreAttempt *a, StoreError *err);
    int (*trial_finish)(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                        const char *curve, const char *reason, int64_t tell_event, StoreError *err);
    int (*reclaim_stale)(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err);
    int (*trials)(Store *s, int64_t experiment, int stage, const char *arch_id, bool done_only, StoreTrialList *out,
                  StoreError *err);
    int (*experiments)(Store *s, StoreExperimentList *out, StoreError *err);
    int (*weights_put)(Store *s, int64_t experiment, const StoreWeights *w, StoreError *err);
    /* the row of (experiment, arch_id) and stage (0: the highest), or *found = false */
    int (*weights_find)(Store *s, int64_t experiment, int stage, const char *arch_id, StoreWeights *out, bool *found,
                        StoreError *err);
    /* Worker mode (store.h): the experiment's lock, and the next event number of a stage. */
    int (*lock)(Store *s, int64_t experiment, StoreError *err);
    int (*unlock)(Store *s, bool commit, StoreError *err);
    int (*next_event)(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err);
} StoreOps;

/* Every backend's Store begins with this. */
struct Store {
    const StoreOps *ops;
};

void store_errorf(StoreError *err, const char *fmt, ...);
#endif
