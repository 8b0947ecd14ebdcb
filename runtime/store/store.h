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
    char msg[512]; /* "store.db: file is not a database", ... */
} StoreError;

/* The trial states, in the order of their stored numbers: one line each, so adding one is a
 * one-line change (the stored number is the position; never reorder). */
#define STORE_STATES(X)                                                                             \
    X(TRIAL_RUNNING, "running")       /* claimed by a worker; heartbeat refreshed while it runs */  \
    X(TRIAL_DONE, "done")             /* finished with metrics and reward */                        \
    X(TRIAL_INFEASIBLE, "infeasible") /* finished, but a hard constraint failed: kept and marked */ \
    X(TRIAL_FAILED, "failed")         /* crashed, diverged, timed out, out of memory, bad output */ \
    X(TRIAL_CACHED, "cached")         /* repeated a done or pruned one: answered from the store */  \
    X(TRIAL_PRUNED, "pruned")         /* stopped early by the search's `prune`: the epoch it reached */

typedef enum TrialState {
#define STORE_STATE_ENUM(e, name) e,
    STORE_STATES(STORE_STATE_ENUM)
#undef STORE_STATE_ENUM
        TRIAL_NSTATES /* how many there are; not a state */
} TrialState;

const char *store_state_name(TrialState s);

typedef struct StoreExperiment {
    int64_t id;
    const char *name;        /* e.g. the .nas file's base name */
    const char *source;      /* full .nas source text (all modules concatenated by the caller) */
    const char *source_hash; /* hex digest of source */
    const char *cmdline;
    uint64_t seed;
    const char *version; /* nas version */
} StoreExperiment;

typedef struct StoreTrial {
    int64_t id;            /* store row id */
    int stage;             /* the search or train declaration it belongs to: 1, 2, ... in file order */
    int64_t seq;           /* proposal number within the stage: the controller's history order */
    const char *arch_id;   /* compact architecture ID (space.h) */
    const char *decisions; /* JSON object: decision name -> value */
    TrialState state;
    double reward;                       /* NaN when none */
    const char *metrics;                 /* JSON object: accuracy, loss, latency_ms, params, flops, memory, ... */
    const char *curve;                   /* JSON array of per-epoch objects */
    const char *reason;                  /* failure reason, NULL unless FAILED/INFEASIBLE; while RUNNING,
                               why the previous attempt was lost (NULL on the first) */
    const char *worker;                  /* "host:pid" */
    int attempts;                        /* how many times it was claimed: the current attempt's fencing
                               token (StoreAttempt.attempt) */
    double started, finished, heartbeat; /* unix seconds; 0 when not set */
    int64_t ask_event, tell_event;       /* the controller's history order: when it was proposed and
                                       when its result was told (-1: not yet); resume replays
                                       asks and tells in this order */
} StoreTrial;

typedef struct StoreTrialList {
    StoreTrial *items;
    int count;
} StoreTrialList;

/* Opens the store `where` names: a postgresql:// or postgres:// URL is a PostgreSQL store,
 * anything else a SQLite file. create: a search (creates or migrates the schema); else a view,
 * which never writes. */
Store *store_open(const char *where, bool create, StoreError *err);
/* Opens a SQLite store at path: a search (`create`) creates it and switches it to WAL mode; a
 * view opens it read-only and writes nothing. Either checks it (PRAGMA quick_check). NULL +
 * err on failure (unwritable directory, missing, corrupt or foreign file, newer schema). */
Store *store_open_sqlite(const char *path, bool create, StoreError *err);
/* Connects to a PostgreSQL store (a libpq URL); a search creates or migrates its tables, a view
 * opens a read-only session. A database with other tables is refused. */
Store *store_open_postgres(const char *url, bool create, StoreError *err);
void store_close(Store *s);

/* Begins or resumes the experiment for this source. If the store already holds an
 * experiment with the same name but a different source hash, fails with a message
 * unless start_new is set (then a new experiment begins). Sets *resumed. */
int store_experiment_begin(Store *s, const StoreExperiment *e, bool start_new, int64_t *experiment_id, bool *resumed,
                           StoreError *err);

/* One experiment of the store as the listing shows it. Strings owned by the list. */
typedef struct StoreExperimentInfo {
    int64_t id;
    char *name; /* what store_experiment_begin was given */
    char *source_hash;
    uint64_t seed;
    double created;      /* unix seconds */
    int trials;          /* rows of every stage */
    double best1, best2; /* best reward of a finished trial in stage 1, 2; NaN when none */
} StoreExperimentInfo;

typedef struct StoreExperimentList {
    StoreExperimentInfo *items;
    int count;
} StoreExperimentList;

/* Every experiment of the store, retired or not, oldest first. */
int store_experiments(Store *s, StoreExperimentList *out, StoreError *err);
void store_experiments_free(StoreExperimentList *l);

/* A worker's claim of a trial: the row and the attempt number, which is its fencing token.
 * Every write about a running trial carries it; the store refuses the write once the trial
 * finished or another worker took it over (a newer attempt), so a paused or partitioned
 * worker can never overwrite a result or store one against another architecture. */
typedef struct StoreAttempt {
    int64_t trial_id;
    int attempt; /* 1 for the first claim, +1 for each take-over */
} StoreAttempt;

typedef struct StoreStart {
    int stage;
    int64_t seq;       /* proposal number within the stage */
    int64_t ask_event; /* orders it among the controller's asks and tells */
    const char *arch_id, *decisions, *worker;
    int take_over;    /* 0: a new proposal, refused when (stage, seq) already exists;
                               n > 0: a retry of the RUNNING row whose attempt is still n (its
                               worker vanished); refused when it finished or moved on */
    const char *lost; /* with take_over: why attempt n ended, kept as the row's reason
                               until the trial finishes (may be NULL) */
} StoreStart;

/* What a claim or a fenced write returns besides 0 (done) and -1 (error, err says why). */
enum { STORE_REFUSED = 1 }; /* not this attempt's row (any more); err says whose it is */

/* Claims a trial for this worker: inserts the proposal as RUNNING, or takes over a stale
 * RUNNING row (attempts + 1). Never hands back a finished row; a row whose architecture is
 * not st->arch_id is an error. 0 + *out, STORE_REFUSED or -1. */
int store_trial_start(Store *s, int64_t experiment, const StoreStart *st, StoreAttempt *out, StoreError *err);
/* Refreshes the heartbeat of a running attempt. 0, STORE_REFUSED (fenced off) or -1. */
int store_trial_heartbeat(Store *s, const StoreAttempt *a, StoreError *err);
/* Finishes a running attempt: state DONE, INFEASIBLE, FAILED, CACHED or PRUNED. reason may be NULL.
 * tell_event orders the result among the controller's asks and tells.
 * 0, STORE_REFUSED (fenced off: nothing written) or -1. */
int store_trial_finish(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                       const char *curve, const char *reason, int64_t tell_event, StoreError *err);
/* Trials still RUNNING whose heartbeat is older than stale_seconds: their worker may have
 * vanished. The caller decides (store.h knows no processes) and takes them over with
 * StoreStart.take_over = the row's attempts. */
int store_reclaim_stale(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err);

/* Worker mode: serialises the workers of one experiment. Between store_lock and store_unlock no
 * other worker's store_lock of the experiment returns, and the calls in between are one
 * transaction (SQLite: BEGIN IMMEDIATE, one writer of the file at a time; PostgreSQL: a
 * transaction holding an advisory lock keyed by the experiment). unlock commits, or with
 * commit false rolls back. 0 or -1. */
int store_lock(Store *s, int64_t experiment, StoreError *err);
int store_unlock(Store *s, bool commit, StoreError *err);
/* How long a write waits for another process's transaction before it fails (SQLite: the busy
 * timeout, 30 s until set; PostgreSQL ends a session idle in a transaction itself). A search
 * sets its stale time: a lock held longer than that is held by a stopped or hung worker, and the
 * error says so. */
void store_set_lock_wait(Store *s, double seconds);
/* The next number of a stage's history order: one past every ask and tell event recorded. */
int store_next_event(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err);

/* Every trial of a stage in proposal order (seq). stage 0 = all stages. */
int store_trials(Store *s, int64_t experiment, int stage, StoreTrialList *out, StoreError *err);
/* The finished trial (DONE) with this architecture in this stage, if any. */
int store_find_done(Store *s, int64_t experiment, int stage, const char *arch_id, StoreTrial *out, bool *found,
                    StoreError *err);
/* The result a repeat of this architecture is answered with: its DONE trial, else its first
 * PRUNED one (a low-fidelity result, told to the controller like the original was). */
int store_find_result(Store *s, int64_t experiment, int stage, const char *arch_id, StoreTrial *out, bool *found,
                      StoreError *err);
void store_trial_free(StoreTrial *t); /* frees the strings of one trial */
void store_trials_free(StoreTrialList *l);

/* Trained weights kept beside the store: one file per (experiment, stage, architecture),
 * recorded with its SHA-256 and size so a reader can tell the file is the one trained. */
typedef struct StoreWeights {
    int stage;
    char *arch_id, *path, *sha256; /* owned; store_weights_free */
    int64_t bytes;
    double created; /* unix seconds */
} StoreWeights;
/* Records (or replaces: a rerun's file) the weights of arch_id in stage. 0 or -1. */
int store_weights_put(Store *s, int64_t experiment, const StoreWeights *w, StoreError *err);
/* The weights of arch_id: of `stage`, or (stage 0) of the highest stage that has some. */
int store_weights_find(Store *s, int64_t experiment, int stage, const char *arch_id, StoreWeights *out, bool *found,
                       StoreError *err);
void store_weights_free(StoreWeights *w);

/* Checks the store itself is sound (SQLite: PRAGMA quick_check of the file as it is on disk,
 * on a connection of its own, so a page cached before the damage does not hide it); a search
 * calls it when it ends. 0, or -1 with err; then store_damaged is true. */
int store_check(Store *s, StoreError *err);
/* A call failed because the store itself is damaged (an I/O error or a bad page, and PRAGMA
 * quick_check then failed): a search cannot go on. */
bool store_damaged(const Store *s);

double store_now(void); /* unix time in seconds, as stored */
#endif
