/* pipeline.h — what `nasrun space.nas` carries out: stage 1 (the search on the proxy task),
 * stage 2 (full training of the best), the proxy check, single-architecture training, and
 * the views of the trial store (status, top, export). nasrun.c parses the command line
 * into RunOptions and calls pipeline_main; everything else lives behind it. */
#ifndef NAS_PIPELINE_H
#define NAS_PIPELINE_H
#include <stdbool.h>
#include <stdint.h>

typedef enum RunAction {
    RUN_SEARCH,       /* stage 1 then stage 2 (or only the stage asked for) */
    RUN_CHECK,        /* --check: 5 trials, time per trial, reward spread, projected cost */
    RUN_TRAIN_ONE,    /* --train-one ID */
    RUN_STATUS,       /* --status */
    RUN_TOP,          /* --top N */
    RUN_EXPORT,       /* --export csv|json */
    RUN_EXPERIMENTS,  /* --experiments: the store's experiments */
    RUN_EXPORT_MODEL, /* --export-model ID PATH: ONNX (.onnx) or PyTorch (.py) with the trained weights */
    RUN_EXPORT_ARCH,  /* --export-arch ID PATH.py: the untrained architecture as a PyTorch module */
    RUN_PREDICT,      /* --predict ID [DATA]: inference with the saved weights, accuracy, predictions */
    RUN_REPORT,       /* --report FILE.html */
} RunAction;

enum { RUN_STAGE_DESIGN = -1 }; /* --stage design */

typedef struct RunOptions {
    RunAction action;
    const char *path;       /* the .nas file */
    const char *store_path; /* a file or postgresql:// URL; NULL: $NAS_STORE, else <name>.nasdb beside the .nas file */
    const char *stdlib;     /* NULL: NAS_STDLIB or the built-in directory */
    const char *cmdline;    /* recorded in the experiment */
    int stage;              /* 0: every stage; N: only stage N; RUN_STAGE_DESIGN: only the proxy design */
    bool start_new;         /* --new: begin a new experiment even if the source changed */
    const char *carry_over; /* --carry-over OLD.nas: begin with the old experiment's results that still hold */
    bool worker;            /* --worker: one of many nasruns serving the experiment together */
    int64_t experiment;     /* --experiment N: the one the views show; 0: the file's, else the latest */
    bool seed_set;          /* --seed S: the controller seed instead of the file's */
    uint64_t seed;
    int64_t trials, parallel, max_failed; /* -1: as the file says */
    double time_limit;                    /* seconds; -1: as the file says */
    double trial_timeout;                 /* seconds a trial may run; 0: none (the trainer's own timeout applies) */
    int threads;                          /* threads per trial; 0: cores / parallel */
    const char *device;                   /* "cpu" (default), "cuda" or "auto" (backend.h) */
    int precision;                        /* BK_PREC_* (backend.h): conv/matmul math for every stage;
                                    -1: each stage's `precision` setting (fp32 by default) */
    const char *arch_id;                  /* --train-one, --export-model, --export-arch, --predict */
    const char *model_path;               /* --export-model, --export-arch: the .onnx or .py file to write */
    const char *predict_data;             /* --predict: a .csv or IDX file; NULL: the stage's test part */
    const char *output;                   /* --predict: the predictions CSV; NULL: ID.predictions.csv */
    bool keep_weights;                    /* --keep-weights: a search's trials keep theirs too */
    int epochs;                           /* --epochs for --train-one; 0: as the file says */
    bool profile;                         /* --profile for --train-one: the trial's time breakdown */
    int top;                              /* --top N */
    const char *export_format;            /* "csv" or "json" */
    const char *report_path;              /* --report: the HTML report's file */
    bool wide;                            /* --wide: --status and --top print full values, however wide */
    bool json;                            /* --json: --status and --top as JSON */
    int colour;                           /* diagnostics in colour: 1 always, 0 never, -1 auto (cli.h) */
    bool progress;                        /* a live progress line (stderr is a terminal) */
    bool quiet;
    bool exact; /* a view of this file's own experiment only (--carry-over's old one): none other instead */
} RunOptions;

/* Runs the action. Messages go to stderr, results to stdout. Returns the process exit code:
 * 0 done, 1 errors in the input (diagnostics printed), 2 usage or I/O error,
 * 3 the search was cancelled (too many failed trials), 4 another worker took this one's
 * trials over, 128 + n after signal n (SIGINT 130, SIGTERM 143, SIGHUP 129). */
int pipeline_main(const RunOptions *o);
#endif
