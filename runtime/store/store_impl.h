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
    int (*check)(Store *s, StoreError *err); /* store_check */
    void (*set_lock_wait)(Store *s, double seconds); /* store_set_lock_wait; NULL: the backend's own */
} StoreOps;

/* Every backend's Store begins with this. */
struct Store {
    const StoreOps *ops;
    bool damaged; /* store_damaged */
};

void store_errorf(StoreError *err, const char *fmt, ...);

/* Limits a sane row stays within; beyond them a row was written by something else. */
#define STORE_STAGE_MAX    64
#define STORE_STAGE_MIN    (-1024) /* a proxy design's trials: stage -1 (references), -1 - v (candidate v) */
#define STORE_SEQ_MAX      ((int64_t)1 << 40)
#define STORE_ATTEMPTS_MAX 1000000

/* ---- what a backend reads back: never trusted (store.c checks it, the same for every
 * backend) ---- */

/* A trial row as the backend read it. The backend parses each column into its C type and
 * sets `bad` when one is not of that type ("state is not an integer"); text columns point
 * into the backend's result (NULL: SQL NULL); a NULL time is 0, a NULL reward has_reward false. */
typedef struct StoreRow {
    const char *bad;
    int64_t id, stage, seq, state, attempts, ask_event, tell_event;
    bool has_reward;
    double reward, started, finished, heartbeat;
    const char *arch_id, *decisions, *metrics, *curve, *reason, *worker;
} StoreRow;

/* Range-checks a row and makes the trial from it: a state of the enum, a stage, seq and
 * attempts a nasrun can have written, finite times not ahead of `now` (the clock they were
 * written with) by more than a minute, a finite reward, an architecture ID, text that is
 * UTF-8, and decisions, metrics and curve that are JSON of their type, printed again
 * normalised. 0; -1 with the row's fault in *why (a constant string); -2 out of memory. */
int store_row_check(const StoreRow *r, double now, StoreTrial *t, const char **why);
/* "store: trial row id 5 (stage 1, seq 3): why" in err. */
void store_row_error(StoreError *err, const char *store, const StoreRow *r, const char *why);

/* An experiment row of the listing, read the same way. */
typedef struct StoreExperimentRow {
    const char *bad;
    int64_t id, trials;
    bool has_seed, has_best1, has_best2;
    int64_t seed;
    double created, best1, best2;
    const char *name, *source_hash;
} StoreExperimentRow;

/* Like store_row_check, for an experiment; strings copied into *e. 0, -1 (*why) or -2. */
int store_experiment_row_check(const StoreExperimentRow *r, double now, StoreExperimentInfo *e, const char **why);

/* What the caller hands to store_trial_start and store_trial_finish, made safe to store and to
 * export: JSON parsed and printed again (non-finite numbers become null), bytes that are not
 * UTF-8 replaced. malloc'd (NULL for NULL); -1 with err when the JSON is not of its type. */
int store_json_normalise(const char *json, bool array, const char *what, char **out, StoreError *err);
int store_text_normalise(const char *text, char **out, StoreError *err); /* invalid UTF-8 -> U+FFFD */
#endif
