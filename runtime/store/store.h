/* store.h — the trial store: the only state shared between nasrun workers.
 * One experiment per (store, .nas source hash); every trial of each stage with its
 * architecture, state, metrics and failure reason. A backend is a table of functions
 * (SQLite now, PostgreSQL later for workers on many machines); callers see only Store.
 *
 * Ownership: a Store is owned by the caller of store_open and freed by store_close.
 * Strings inside a StoreTrial returned by a list call are owned by that StoreTrialList
 * and freed by store_trials_free. */
#ifndef NAS_STORE_H
#define NAS_STORE_H
#include <stdint.h>
#include <stdbool.h>

typedef struct Store Store;

typedef struct StoreError {
    char msg[512];          /* "store.db: file is not a database", ... */
} StoreError;

typedef enum TrialState {
    TRIAL_RUNNING = 0,      /* claimed by a worker; heartbeat refreshed while it runs */
    TRIAL_DONE,             /* finished with metrics and reward */
    TRIAL_INFEASIBLE,       /* finished, but a hard constraint failed: kept and marked */
    TRIAL_FAILED,           /* crashed, diverged, timed out, out of memory, bad trainer output */
    TRIAL_CACHED,           /* a proposal that repeated a finished architecture: answered from the store */
} TrialState;

const char *store_state_name(TrialState s);

typedef struct StoreExperiment {
    int64_t id;
    const char *name;       /* e.g. the .nas file's base name */
    const char *source;     /* full .nas source text (all modules concatenated by the caller) */
    const char *source_hash;/* hex digest of source */
    const char *cmdline;
    uint64_t seed;
    const char *version;    /* nas version */
} StoreExperiment;

typedef struct StoreTrial {
    int64_t id;             /* store row id */
    int stage;              /* the search or train declaration it belongs to: 1, 2, ... in file order */
    int64_t seq;            /* proposal number within the stage: the controller's history order */
    const char *arch_id;    /* compact architecture ID (space.h) */
    const char *decisions;  /* JSON object: decision name -> value */
    TrialState state;
    double reward;          /* NaN when none */
    const char *metrics;    /* JSON object: accuracy, loss, latency_ms, params, flops, memory, ... */
    const char *curve;      /* JSON array of per-epoch objects */
    const char *reason;     /* failure reason, NULL unless FAILED/INFEASIBLE */
    const char *worker;     /* "host:pid" */
    int attempts;           /* how many times it was started (retries after a vanished worker) */
    double started, finished, heartbeat;   /* unix seconds; 0 when not set */
    int64_t ask_event, tell_event;  /* the controller's history order: when it was proposed and
                                       when its result was told (-1: not yet); resume replays
                                       asks and tells in this order */
} StoreTrial;

typedef struct StoreTrialList { StoreTrial *items; int count; } StoreTrialList;

/* Opens a SQLite store at path, WAL mode; creates it when `create` (a search), else a missing
 * file is an error (the views). NULL + err on failure (unwritable directory, corrupt or foreign
 * file, newer schema). */
Store *store_open_sqlite(const char *path, bool create, StoreError *err);
void   store_close(Store *s);

/* Begins or resumes the experiment for this source. If the store already holds an
 * experiment with the same name but a different source hash, fails with a message
 * unless start_new is set (then a new experiment begins). Sets *resumed. */
int store_experiment_begin(Store *s, const StoreExperiment *e, bool start_new,
                           int64_t *experiment_id, bool *resumed, StoreError *err);

/* Records a proposal as RUNNING for this worker, or returns the existing row when
 * (stage, seq) is already present (a resumed worker re-claiming its own proposal).
 * ask_event orders it among the controller's asks and tells. */
int store_trial_start(Store *s, int64_t experiment, int stage, int64_t seq, int64_t ask_event,
                      const char *arch_id, const char *decisions, const char *worker,
                      int64_t *trial_id, StoreError *err);
int store_trial_heartbeat(Store *s, int64_t trial_id, StoreError *err);
/* Finishes a trial: state DONE, INFEASIBLE, FAILED or CACHED. reason may be NULL.
 * tell_event orders the result among the controller's asks and tells. */
int store_trial_finish(Store *s, int64_t trial_id, TrialState state, double reward,
                       const char *metrics, const char *curve, const char *reason,
                       int64_t tell_event, StoreError *err);
/* Trials still RUNNING whose heartbeat is older than stale_seconds: their worker vanished.
 * The caller runs them again; store_trial_start on the same (stage, seq) counts the attempt. */
int store_reclaim_stale(Store *s, int64_t experiment, double stale_seconds,
                        StoreTrialList *out, StoreError *err);

/* Every trial of a stage in proposal order (seq). stage 0 = all stages. */
int store_trials(Store *s, int64_t experiment, int stage, StoreTrialList *out, StoreError *err);
/* The finished trial (DONE) with this architecture in this stage, if any. */
int store_find_done(Store *s, int64_t experiment, int stage, const char *arch_id,
                    StoreTrial *out, bool *found, StoreError *err);
void store_trial_free(StoreTrial *t);          /* frees the strings of one trial */
void store_trials_free(StoreTrialList *l);

double store_now(void);                         /* unix time in seconds, as stored */
#endif
