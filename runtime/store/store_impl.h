/* store_impl.h — what a store backend implements (SQLite now; PostgreSQL later). Private to store/. */
#ifndef NAS_STORE_IMPL_H
#define NAS_STORE_IMPL_H
#include "store.h"

typedef struct StoreOps {
    void (*close)(Store *s);
    int (*experiment_begin)(Store *s, const StoreExperiment *e, bool start_new,
                            int64_t *id, bool *resumed, StoreError *err);
    int (*trial_start)(Store *s, int64_t experiment, int stage, int64_t seq, int64_t ask_event,
                       const char *arch_id, const char *decisions, const char *worker,
                       int64_t *trial_id, StoreError *err);
    int (*trial_heartbeat)(Store *s, int64_t trial_id, StoreError *err);
    int (*trial_finish)(Store *s, int64_t trial_id, TrialState state, double reward,
                        const char *metrics, const char *curve, const char *reason,
                        int64_t tell_event, StoreError *err);
    int (*reclaim_stale)(Store *s, int64_t experiment, double stale_seconds,
                         StoreTrialList *out, StoreError *err);
    int (*trials)(Store *s, int64_t experiment, int stage, const char *arch_id,
                  bool done_only, StoreTrialList *out, StoreError *err);
    int (*experiments)(Store *s, StoreExperimentList *out, StoreError *err);
} StoreOps;

/* Every backend's Store begins with this. */
struct Store { const StoreOps *ops; };

void store_errorf(StoreError *err, const char *fmt, ...);
#endif
