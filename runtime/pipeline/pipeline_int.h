/* pipeline_int.h — the run context and the pieces of the pipeline (private to pipeline/). */
#ifndef NAS_PIPELINE_INT_H
#define NAS_PIPELINE_INT_H
#include <stdio.h>
#include <sys/types.h>
#include "pipeline.h"
#include "compile.h"
#include "controller.h"
#include "dataset.h"
#include "reward.h"
#include "store.h"

enum { JOB_MAX = 64 };

/* A dataset part as loaded (`d.train` or `d.test`, normalised as the dataset says). */
typedef struct RunPart {
    const NasDataset *ds;
    bool test;
    bool resized; /* a proxy's resolution of the part (run_resized_part), not the part as loaded */
    Dataset set;  /* owned */
} RunPart;

/* One `search` or `train` declaration. The stages run in the order the file gives them (a
 * module's before the main file's, as they are loaded), numbered from 1: the number is the
 * store's `stage` column, `--stage N` and NAS_STAGE. */
typedef struct RunStage {
    int number;
    const char *name;        /* the declaration's name, or "search" / "train" */
    const NasSearch *search; /* a search stage: exactly one of search and train is set */
    const NasTrain *train;   /* a train stage */
    const NasTune *tune;     /* a tune stage (its `from` in `from` too) */
    ModelSpace *tune_ms;     /* tune: the space of its settings' decisions (tune.c) */
    int from;                /* train: the number of the search stage whose best it trains */
    int64_t controller_seed; /* search: the controller's seed + its index among the searches */
    const NasTraining *training;
    /* filled by run_load_data (built-in training only): */
    const RunPart *fit, *val; /* trained on, validated on (a search: both its data part) */
    Split split;              /* search: train / validation indices of fit; train: unused */
    double subset;            /* a proxy's data fraction: trains on this much of split.train (0: all) */
    ModelScale scale;         /* a proxy's candidate: scale.input the input [C, r, w] the graph is
                                 built for, fit and val resized to it (config_proxy_input), NULL:
                                 the declared; scale.width its filters' multiplier, 0: full */
    const char *proxy_note;   /* the first search under a designed proxy: what the design chose */
} RunStage;

/* Everything one nasrun process knows. Owns the compiled file, the loaded data parts and the
 * store connection; run_close frees them. */
typedef struct Run {
    const RunOptions *o;
    Compiled compiled; /* the .nas file: program, config, space, diagnostics */
    NasConfig *cfg;    /* compiled.config */
    ModelSpace *ms;    /* compiled.space */
    const Space *space;
    RunStage *stages;
    int nstages;                  /* file order; stages[k].number == k + 1 */
    const RunStage *first_search; /* NULL when the file has none: then only the views run */
    const char *dir;              /* the .nas file's directory (absolute): relative paths and the
                                        trainer's working directory */
    const char **data_paths;      /* cfg->datasets[i]'s path resolved against its file's directory */
    const NasReward *reward;
    const NasTrainer *trainer; /* external trainer, or NULL: built-in training */
    char source_hash[17];
    Store *store;
    char *weights_dir; /* where trials keep their weights: beside the store (experiment_open) */
    char *jit_dir;     /* where trials keep their JIT kernels for the next ones: beside it too */
    int64_t experiment;
    char worker[96];
    bool data_loaded;
    RunPart *parts;
    int nparts;       /* the distinct parts the stages use (arena array) */
    RunStage *design; /* the proxy design's stages (design.c): stage -1 the full training of the
                         references, -2 - v candidate proxy v; NULL until built */
    int ndesign;
    int results;      /* results this process recorded: the HTML report is refreshed every few */
    int latency_slot; /* the trials this process forks measure their latency in it (train.h),
                         -1: none */
} Run;

/* run.c: loading, compiling, data, store */
int run_open(Run *R, const RunOptions *o, bool need_store); /* returns an exit code */
int run_load_data(Run *R);                                  /* idem; checks every part */
/* One part, loaded, checked and normalised once (an exit code). */
int run_load_part(Run *R, NasDataPart p, const RunPart **out);
/* The part `full` resized to a proxy's input [C, r, w] (data_resize), made once however many
 * stages train at that resolution (an exit code). */
int run_resized_part(Run *R, const RunPart *full, const int64_t input[3], const RunPart **out);
/* A file of examples for the dataset's model: .csv (label first) or an IDX images file with
 * its labels file beside it; checked and normalised as the dataset's parts are. Exit code. */
int run_load_file(Run *R, const NasDataset *ds, const char *path, Dataset *out);
void run_close(Run *R);
int run_arch_of(Run *R, const char *id, int32_t *arch); /* decode, with a message */
char *run_decisions_json(Run *R, const int32_t *arch);  /* malloc'd */
/* The table a stage's trial vectors belong to: the tune's space for a tune, else the model's. */
const Space *run_stage_space(Run *R, int stage);
/* A stored trial ID as the stage's vector: a tune's IDs are `ARCH:SETTINGS`, the settings part
 * in the tune's space. */
SpaceStatus run_arch_decode(Run *R, int stage, const char *id, int32_t *arch, SpaceError *err);
/* A trial's decisions as JSON (malloc'd): a tune's are the architecture's and its settings'. */
char *run_trial_decisions_json(Run *R, int stage, const char *id, const int32_t *arch);
/* Stage `number` (1-based, file order; -1, -2, ...: the proxy design's), or NULL. */
const RunStage *run_stage(Run *R, int number);
/* "stage 2", "design reference", "design proxy 3": how logs name a stage. */
void run_stage_tag(int number, char *buf, size_t n);
/* What the stage's trials train and validate on (after run_load_data, built-in training). */
struct TrainData;
void run_stage_data(Run *R, int number, struct TrainData *d);
/* The stage's data as the declaration says it, for an external trainer (NAS_DATA): the parts
 * (dataset, part, format, resolved path; a search's train/validate fractions and split seed).
 * malloc'd. */
char *run_stage_data_json(Run *R, int number);
/* The stage's settings (the stage exists). */
const NasTraining *run_training(Run *R, int stage);
int64_t run_trials(Run *R, int stage); /* a search's trials (--trials overrides); a train's top */
int64_t run_parallel(Run *R, int stage);
int run_threads(Run *R, int stage); /* threads per trial of the stage; 0: a single training */

/* carry.c: --carry-over OLD.nas (see there). A carried trial is a done trial whose reason
 * begins with CARRY_REASON. */
#define CARRY_REASON "carried over from"
int carry_over(Run *R); /* into the first search, when it holds no trial yet; an exit code */
bool carry_is_carried(const StoreTrial *t);

/* experiment.c: which experiment of the store this run is (see there) */
int experiment_identity(Run *R); /* R->source_hash; an exit code */
int experiment_open(Run *R);     /* open the store; begin, resume or choose; idem */
int experiment_list(Run *R);     /* --experiments */
/* Where the store is: --store, else $NAS_STORE, else FILE.nasdb beside FILE.nas. malloc'd. */
char *experiment_store_where(const RunOptions *o);

/* trial.c: one trial in a child process */
enum { TRIAL_OUTPUT_MAX = 64 * 1024 }; /* what is kept of a trial's output: the last 64 KiB */

typedef struct TrialOutcome {
    TrialState state;
    double reward;
    bool feasible;
    RewardMetrics m;
    char names[512]; /* external metric names that m points into */
    char reason[400];
    char *metrics_json; /* malloc'd */
    char *curve_json;   /* malloc'd */
    double seconds;
} TrialOutcome;

/* One running trial. Owns arch, out and the pipe; trial_job_clear frees them and removes the
 * trial's temporary directory. */
typedef struct Job {
    bool busy;
    pid_t pid; /* the trial's process, leader of its own process group */
    int fd;    /* read end of its stdout pipe; -1 after end of file */
    int stage;
    int64_t seq;
    StoreAttempt claim; /* this worker's attempt of the trial; trial_id 0: none (--check) */
    int32_t *arch;      /* malloc'd copy */
    char arch_id[128];
    double started, last_beat;
    char *out;
    size_t len; /* the last TRIAL_OUTPUT_MAX bytes it printed, NUL-terminated */
    bool timed_out;
    bool exited; /* its process ended (status holds how): reaped already */
    int status;
    char tmpdir[256]; /* external trainer: arch.json and metrics.json live here */
} Job;

struct TrainSettings;
/* The file's training settings (stage 1 or 2) as the trainer's; threads per trial. */
void trial_settings(const NasTraining *t, int threads, const RunOptions *o, struct TrainSettings *s);
int trial_spawn(Run *R, Job *j); /* fork; 0 or -1 (message printed) */
/* Reads what the trial printed so far (never blocks); closes the pipe at end of file. */
void trial_read(Job *j);
/* Reaps the trial's process if it ended (never blocks), then ends what is left of its process
 * group and takes the rest of its output. true once it has ended. */
bool trial_reap(Job *j);
void trial_kill(Job *j);      /* SIGKILL to the trial's process group */
double trial_timeout(Run *R); /* seconds; 0: none */
void trial_outcome(Run *R, Job *j, TrialOutcome *out);
void trial_outcome_free(TrialOutcome *t);
void trial_job_clear(Job *j);
/* Removes the temporary directories this host's dead attempts of (stage, seq) left behind. */
void trial_dirs_remove(Run *R, int stage, int64_t seq);

/* scheduler.c: the one loop that runs trials, `parallel` at a time, for every stage. A source
 * proposes what to run; a sink records what ended. The scheduler owns the pool of processes,
 * the signals, the heartbeats, the timeouts, the tally and the stop rules. */
typedef struct Tally {
    int64_t finished, failed, ok;
    double best;
    int64_t best_seq;
    char best_id[128];
    int64_t since_best; /* finished trials since the best improved */
} Tally;

typedef struct SchedTrial {
    int stage;
    int64_t seq;
    StoreAttempt claim;  /* claimed in the store by the source; {0}: not recorded */
    const int32_t *arch; /* the source's; copied when the trial starts */
    const char *arch_id;
} SchedTrial;

/* A proposal whose architecture breaks a hard constraint on params, flops or memory (the
 * built-in trainer's figures, known from the graph): true with *out its infeasible outcome,
 * untrained; false when it is to run (feasible, or not decidable before training). */
bool trial_precheck(Run *R, const SchedTrial *t, TrialOutcome *out);

typedef struct Sched Sched;
typedef struct Pruner Pruner;
enum SchedNext {
    SCHED_RUN,      /* *t: run it */
    SCHED_ANSWERED, /* *t and *answer: a result without running (cached, given up) */
    SCHED_WAIT,     /* nothing until a running trial ends */
    SCHED_LATER,    /* nothing now: other workers hold the stage's trials; ask again after a
                       heartbeat interval, even with none running here (Sched.shared) */
    SCHED_END,      /* no more trials */
};
typedef struct SchedSource {
    void *ctx;
    /* The next trial: an enum SchedNext, or -(exit code) to end the run. */
    int (*next)(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *answer);
} SchedSource;
typedef struct SchedSink {
    void *ctx;
    /* A trial ended with *out; out NULL: its attempt was taken over by another worker (the
     * scheduler logged it and killed the process). 0, or an exit code that ends the run. */
    int (*done)(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out);
} SchedSink;

struct Sched {
    /* set by the caller */
    int stage;
    int64_t parallel;
    int64_t total;       /* trials expected, for the progress line */
    int64_t max_failed;  /* cancel (exit 3) above this many failures; -1: never */
    double time_limit;   /* seconds, 0: none */
    const NasStop *stop; /* may be NULL */
    bool single;         /* one worker per experiment: re-check after a pause */
    bool dedupe;         /* an architecture in flight is not run twice at once */
    Pruner *prune;       /* the search's early stopping (prune.c), or NULL */
    bool shared;         /* worker mode: the stage is shared with other workers through the store.
                            The source keeps the tally from the store's history (the scheduler
                            counts nothing itself) and is still asked while stopping, for the
                            trials of vanished workers and to wait for the others' */
    SchedSource source;
    SchedSink sink;
    /* kept by the scheduler */
    double started; /* when sched_run began: the stage's `elapsed` and time_limit count from it */
    bool stopping;  /* a stop rule or the time limit was met: no new proposals */
    Tally tally;
    Job jobs[JOB_MAX];
    struct SchedHeld *held; /* proposals waiting for the same architecture in flight */
    int nheld, capheld;
};

/* Runs trials until the source ends (0), a stop rule is met and the running trials finished
 * (0), a sink or source error (its code), too many failures (3), this worker lost its trials
 * to another (4), or a signal (128 + signal: SIGINT 130, SIGTERM 143, SIGHUP 129). */
int sched_run(Run *R, Sched *s);
/* The reason a repeated architecture's CACHED answer carries, from the state of the trial it
 * repeats (DONE, or PRUNED: a low-fidelity result). */
const char *sched_repeat_reason(TrialState repeated);
/* Whether a stop rule or the time limit holds on the tally (sets s->stopping, says so once). */
bool sched_check_stop(Run *R, Sched *s);
/* A result the controller was told before the loop started (a resumed history). */
void sched_record(Sched *s, TrialState st, double reward, int64_t seq, const char *arch_id);
/* Heartbeat interval ($NAS_HEARTBEAT_SECONDS, default 5) and the stale time, a fixed multiple. */
double sched_beat_seconds(void);
double sched_stale_seconds(void);
/* Whether the worker of a RUNNING row is gone: on this host, its process is; on another host,
 * its heartbeat is older than the stale time. why (when gone) says which. */
bool sched_worker_gone(const Run *R, const StoreTrial *t, double now, char *why, size_t size);
/* Whether this scheduler holds the attempt (a running or a held trial of this worker). */
bool sched_holds(const Sched *s, const StoreAttempt *a);
/* Another live worker holds RUNNING rows of these trials: prints who and returns true. */
bool sched_other_worker(const Run *R, const StoreTrialList *h);
/* In a trial's child: the signal dispositions and mask of a fresh process. */
void sched_child_signals(void);
void sched_fmt_time(double s, char *buf, size_t n); /* "42s", "3m05s", "2h10m" */

/* prune.c: a search's early stopping (the rules: prune.h). prune_new: NULL for `none`, or
 * NULL with err set when the rule's parameters are out of range. The search tells it every
 * recorded result (prune_told, in the store's event order) and every proposal it runs
 * (prune_asked); the scheduler lets it read each running trial's output (prune_poll: true
 * when the trial must stop now) and pass on each outcome (prune_outcome: a stopped trial
 * becomes PRUNED with the metrics and curve of the epoch it reached; an external trainer's
 * epoch lines become its curve). */
Pruner *prune_new(const NasPrune *rule, char *err, size_t size);
void prune_free(Pruner *p);
void prune_told(Pruner *p, int64_t tell_event, TrialState st, const char *curve);
int prune_asked(Pruner *p, Run *R, int stage, int64_t seq, int64_t ask_event, const int32_t *arch);
bool prune_poll(Pruner *p, const Job *j);
void prune_outcome(Run *R, Pruner *p, const Job *j, TrialOutcome *out);
int prune_curve_epochs(const char *curve); /* the highest epoch of a stored curve; 0: none */

/* search.c: a search stage, a train stage (the best of its `from` search), the proxy check
 * (the first search) */
int search_stage1(Run *R, const RunStage *st);
int search_stage2(Run *R, const RunStage *st);
int search_check(Run *R);
/* The best `top` distinct finished architectures of a stage (done, finite reward, best first),
 * rows of *l (which the caller frees). 0 or an exit code. */
int stage_best(Run *R, int stage, int64_t top, StoreTrialList *l, StoreTrial **best, int *nbest);

/* A controller's parameters as the configuration says (complete: the settings table's defaults). */
ControllerParams stage_controller_params(const NasController *nc, uint64_t seed);

/* tune.c: a tune stage: its settings' decisions searched for each of the best of its `from`. */
int tune_stage(Run *R, const RunStage *st);

/* Shared by the stages that record trials (search.c): claim a new proposal (SCHED_RUN or
 * -(exit code)); take over a RUNNING row whose worker is gone (SCHED_RUN, SCHED_ANSWERED when
 * given up, or -(exit code)); record a result (0, or an exit code). */
int stage_claim_new(Run *R, const StoreStart *st, int32_t *arch, const char *id, SchedTrial *t);
int stage_take_over(Run *R, const StoreTrial *old, int32_t *arch, char *id, size_t idsize, SchedTrial *t,
                    TrialOutcome *ans);
int stage_record(Run *R, const SchedTrial *t, const TrialOutcome *out, int64_t event);
/* A stage's stored history h: counts *proposed and the next seq; rows left RUNNING go to retry. */
void stage_scan(const StoreTrialList *h, int64_t *proposed, int64_t *next_seq, int *retry, int *nretry);
/* Replays h's events numbered `from` or later into the stage's controller (asks and tells in the
 * order they happened) and fills s's tally. Returns the next event number, -1 out of memory. */
int64_t stage_replay(Run *R, int stage, Controller *c, const StoreTrialList *h, Sched *s, int64_t from);

/* design.c: proxy-task design (`proxy design { ... }`). Trains the references fully and under
 * every candidate proxy (resuming what the store holds), prints the table when trials ran or
 * `table` is set, and sets the first search's proxy to the chosen one. 0 or an exit code. */
int design_run(Run *R, bool table);
/* For --check, which runs no design: the first search trains under the design's cheapest
 * candidate (least epochs x data x pixels), the least any design can choose. 0 or an exit code. */
int design_cheapest(Run *R);

/* model_out.c: the trained weights each trial keeps (beside the store), --export-model,
 * --export-arch and --predict */
bool weights_wanted(const Run *R, int stage); /* this stage's built-in trials keep their weights */
/* <weights dir>/e<experiment>-s<stage>-<arch id>.safetensors: one name per trial, so a rerun or a
 * resumed attempt replaces the file. 0, or -1 when it does not fit. */
int weights_path(const Run *R, int stage, const char *arch_id, char *buf, size_t size);
/* After a finished trial: the file's checksum into the store. 0 or an exit code. */
int weights_record(Run *R, int stage, const char *arch_id);
int model_export(Run *R);
int model_export_arch(Run *R);
int model_predict(Run *R);

/* report.c: the store's views */
int report_status(Run *R);
int report_top(Run *R, int n);
int report_export(Run *R, const char *format);
/* report_csv.c: --export csv, a row per trial, a column per metric and per decision */
int report_csv(Run *R);
void report_summary(Run *R);
/* "stage 2 (train full, full training of the best of stage 1)"; "stage 3" when the file has none. */
void report_stage_title(Run *R, int stage, char *buf, size_t n);
/* The last stage a view covers: the file's, or a later one the store holds. */
int report_last_stage(Run *R, const StoreTrialList *all);
/* The DONE trials of l with every objective of a multi-objective reward measured: n x k
 * objective values as measured, the row of each, and whether it is on the Pareto front
 * (malloc'd, the caller frees all three). n; 0 for a single objective; -1 out of memory. */
int report_pareto_points(Run *R, const StoreTrialList *l, double **pts, int **which, bool **front);
/* html_report.c: the HTML report (plots as inline SVG) of the experiment, written to path
 * (atomically: a temporary file renamed); an exit code, 2 with a message on I/O errors. */
int html_report_write(Run *R, const char *path);
/* After each result a search records: every HTML_REFRESH-th one rewrites the report beside the
 * store, so it can be watched while the search runs (a failure is a warning: the search goes on). */
enum { HTML_REFRESH = 10 };
void html_report_refresh(Run *R);
/* The report a search writes when it ends: beside a SQLite store (space.nasdb -> space.html),
 * else beside the .nas file. malloc'd. */
char *html_report_default_path(Run *R);
/* qsort order of StoreTrials: finished with a reward first, best reward first, then by seq. */
int trial_by_reward(const void *a, const void *b);

/* json.c: the little JSON the pipeline writes and reads */
typedef struct JsonBuf {
    char *s;
    size_t len, cap;
} JsonBuf;
void jb_printf(JsonBuf *b, const char *fmt, ...);
void jb_string(JsonBuf *b, const char *s); /* a quoted, escaped JSON string */
void jb_number(JsonBuf *b, double v);      /* null for NaN/Inf */
/* A trial's report: one JSON object (the last `{` line of its output, or $NAS_METRICS_FILE).
 * Numbers are metrics (known names and external ones); `status` ("ok", "diverged", "error"),
 * `reason` and `curve` (an array) are the report's own fields; other members (strings,
 * arrays such as per_class) are kept in metrics_json but are not metrics. */
typedef struct TrialReport {
    char status[16];
    char reason[320];
    char *metrics_json; /* malloc'd: the object, normalised, without status/reason/curve */
    char *curve_json;   /* malloc'd or NULL */
    char why[160];      /* when the parse fails: "metric accuracy is not finite", ... */
} TrialReport;
/* Parses a report (non-finite numbers, trailing text, hex floats and objects without a number
 * are errors, with r->why). m may be NULL. 0 or -1. */
int json_report_parse(const char *text, TrialReport *r, RewardMetrics *m, char *names, size_t names_size);
void json_report_free(TrialReport *r);
/* The number member `key` of a JSON object text; false when absent or not a number. */
bool json_get_number(const char *json, const char *key, double *out);
/* A stored metrics object as metrics (known names and external ones). */
bool json_to_metrics(const char *json, RewardMetrics *m, char *names, size_t names_size);
#endif
