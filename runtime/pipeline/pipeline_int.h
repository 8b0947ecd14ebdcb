/* pipeline_int.h — the run context and the pieces of the pipeline (private to pipeline/). */
#ifndef NAS_PIPELINE_INT_H
#define NAS_PIPELINE_INT_H
#include <stdio.h>
#include <sys/types.h>
#include "pipeline.h"
#include "config.h"
#include "controller.h"
#include "dataset.h"
#include "model.h"
#include "reward.h"
#include "store.h"

enum { JOB_MAX = 64 };

/* A dataset part as loaded (`d.train` or `d.test`, normalised as the dataset says). */
typedef struct RunPart {
    const NasDataset *ds;
    bool test;
    Dataset set;                  /* owned */
} RunPart;

/* One `search` or `train` declaration. The stages run in the order the file gives them (a
 * module's before the main file's, as they are loaded), numbered from 1: the number is the
 * store's `stage` column, `--stage N` and NAS_STAGE. */
typedef struct RunStage {
    int number;
    const char *name;             /* the declaration's name, or "search" / "train" */
    const NasSearch *search;      /* a search stage: exactly one of search and train is set */
    const NasTrain *train;        /* a train stage */
    int from;                     /* train: the number of the search stage whose best it trains */
    int64_t controller_seed;      /* search: the controller's seed + its index among the searches */
    const NasTraining *training;
    /* filled by run_load_data (built-in training only): */
    const RunPart *fit, *val;     /* trained on, validated on (a search: both its data part) */
    Split split;                  /* search: train / validation indices of fit; train: unused */
} RunStage;

/* Everything one nasrun process knows. Owns the arena (compiler data), the loaded data parts
 * and the store connection; run_close frees them. */
typedef struct Run {
    const RunOptions *o;
    Arena arena;
    Diag diag;
    Program *prog;
    NasConfig *cfg;
    ModelSpace *ms;
    const Space *space;
    RunStage *stages; int nstages;   /* file order; stages[k].number == k + 1 */
    const RunStage *first_search;    /* NULL when the file has none: then only the views run */
    const char *dir;                 /* the .nas file's directory (absolute): relative paths and the
                                        trainer's working directory */
    const char **data_paths;         /* cfg->datasets[i]'s path resolved against its file's directory */
    const NasReward *reward;
    const NasTrainer *trainer;    /* external trainer, or NULL: built-in training */
    char source_hash[17];
    Store *store;
    int64_t experiment;
    char worker[96];
    bool data_loaded;
    RunPart *parts; int nparts;      /* the distinct parts the stages use (arena array) */
    double started;               /* this process's start (store_now) */
} Run;

/* run.c: loading, compiling, data, store */
int  run_open(Run *R, const RunOptions *o, bool need_store);   /* returns an exit code */
int  run_load_data(Run *R);                                     /* idem; checks every part */
void run_close(Run *R);
int  run_arch_of(Run *R, const char *id, int32_t *arch);       /* decode, with a message */
char *run_decisions_json(Run *R, const int32_t *arch);          /* malloc'd */
/* Stage `number` (1-based, file order), or NULL. */
const RunStage *run_stage(Run *R, int number);
/* What the stage's trials train and validate on (after run_load_data, built-in training). */
struct TrainData;
void run_stage_data(Run *R, int number, struct TrainData *d);
/* The stage's data as the declaration says it, for an external trainer (NAS_DATA): the parts
 * (dataset, part, format, resolved path; a search's train/validate fractions and split seed).
 * malloc'd. */
char *run_stage_data_json(Run *R, int number);
/* The stage's settings (the stage exists). */
const NasTraining *run_training(Run *R, int stage);
int64_t run_trials(Run *R, int stage);   /* a search's trials (--trials overrides); a train's top */
int64_t run_parallel(Run *R, int stage);
int run_threads(Run *R, int stage);      /* threads per trial of the stage; 0: a single training */

/* trial.c: one trial in a child process */
typedef struct TrialOutcome {
    TrialState state;
    double reward;
    bool feasible;
    RewardMetrics m;
    char names[512];              /* external metric names that m points into */
    char reason[400];
    char *metrics_json;           /* malloc'd */
    char *curve_json;             /* malloc'd */
    double seconds;
} TrialOutcome;

typedef struct Job {
    bool busy;
    pid_t pid;
    int fd;                       /* read end of the child's report pipe */
    int stage;
    int64_t seq, trial_id;
    int32_t *arch;                /* malloc'd copy */
    char arch_id[128];
    double started, last_beat;
    char *buf; size_t len, cap;   /* what the child wrote */
    bool timed_out;
    bool exited;                  /* its process ended (status holds how): reaped already */
    int status;
    char tmpdir[64];              /* external trainer: arch.json and metrics.json live here */
} Job;

struct TrainSettings;
/* The file's training settings (stage 1 or 2) as the trainer's; threads per trial. */
void trial_settings(const NasTraining *t, int threads, const RunOptions *o, struct TrainSettings *s);
int  trial_spawn(Run *R, Job *j);                     /* fork; 0 or -1 (message printed) */
/* Waits up to `ms` milliseconds for a running job to end; returns its index or -1. Beats the
 * store's heartbeat of running trials and kills those past the trial timeout. A job whose
 * process exited is over even if something it started still holds the pipe. */
int  trial_wait_any(Run *R, Job *jobs, int njobs, int ms);
void trial_outcome(Run *R, Job *j, int status, TrialOutcome *out);
void trial_outcome_free(TrialOutcome *t);
void trial_job_clear(Job *j);

/* search.c: a search stage, a train stage (the best of its `from` search), the proxy check
 * (the first search) */
int search_stage1(Run *R, const RunStage *st);
int search_stage2(Run *R, const RunStage *st);
int search_check(Run *R);

/* report.c: the store's views */
int report_status(Run *R);
int report_top(Run *R, int n);
int report_export(Run *R, const char *format);
void report_summary(Run *R);
/* qsort order of StoreTrials: finished with a reward first, best reward first, then by seq. */
int trial_by_reward(const void *a, const void *b);

/* json.c: the little JSON the pipeline writes and reads */
typedef struct JsonBuf { char *s; size_t len, cap; } JsonBuf;
void jb_printf(JsonBuf *b, const char *fmt, ...);
void jb_string(JsonBuf *b, const char *s);            /* a quoted, escaped JSON string */
void jb_number(JsonBuf *b, double v);                 /* null for NaN/Inf */
/* Finds "key": number in a flat JSON object text; false when absent or not a number. */
bool json_get_number(const char *json, const char *key, double *out);
/* Parses a flat JSON object of numbers into metrics (known names and external ones). */
bool json_to_metrics(const char *json, RewardMetrics *m, char *names, size_t names_size);
#endif
