/* config.h — the run configuration of a checked program as plain C structs: datasets, the
 * controller, searches, trains, the reward, proxies and the trainer. The runtime and nasrun
 * read this, never the AST. The configuration is complete: every field holds the file's value
 * or the default of the settings table (sema_settings.c, listed in docs/settings.md), so no
 * reader applies a default of its own. */
#ifndef NAS_CONFIG_H
#define NAS_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "program.h"

#define NAS_MAX_INPUT_DIMS 8

typedef enum NasFormat { NAS_FORMAT_IDX, NAS_FORMAT_CSV, NAS_FORMAT_SYNTHETIC } NasFormat;

typedef struct NasDataset {
    const char *name;
    NasFormat format;
    const char *path; /* NULL for synthetic */
    int64_t synthetic_n, synthetic_seed;
    int64_t input[NAS_MAX_INPUT_DIMS];
    int ninput; /* one example's shape, e.g. [1, 28, 28] */
    int64_t classes;
    bool has_mean, has_std; /* normalize mean(m), std(s): x' = (x - m) / s */
    double mean, std;       /* defaults 0 and 1 */
} NasDataset;

/* A dataset part: `d.train` or `d.test`. */
typedef struct NasDataPart {
    const NasDataset *dataset;
    bool test;
} NasDataPart;

typedef enum NasAlgorithm {
    NAS_ALGO_RANDOM,
    NAS_ALGO_GRID,
    NAS_ALGO_SOBOL,
    NAS_ALGO_EVOLUTION,
    NAS_ALGO_REINFORCE,
    NAS_ALGO_LOCAL,
    NAS_ALGO_TPE,
    NAS_ALGO_NSGA2,
    NAS_ALGO_BO,
    NAS_ALGO_PPO,
} NasAlgorithm;

/* How random architectures are drawn (space.h: SpaceSampling has the same values). */
typedef enum NasSampling { NAS_SAMPLE_DECISIONS, NAS_SAMPLE_UNIFORM } NasSampling;

/* Every parameter of every algorithm, the program's or the settings table's default. */
typedef struct NasController {
    NasAlgorithm algorithm;
    int64_t population, sample;   /* evolution */
    double lr, baseline, entropy; /* reinforce; lr, entropy: ppo */
    double clip;                  /* ppo */
    int64_t batch, epochs;        /* ppo */
    int64_t startup;              /* local, tpe, bo */
    int64_t candidates;           /* tpe */
    bool multivariate;            /* tpe */
    bool multiobjective;          /* tpe, bo */
    int64_t nsga2_population;     /* nsga2 */
    double crossover;             /* nsga2 */
    int64_t seed;                 /* default 0 */
    NasSampling sampling;         /* default decisions */
} NasController;

typedef enum NasOptimizerKind { NAS_OPT_SGD, NAS_OPT_ADAM, NAS_OPT_ADAMW } NasOptimizerKind;
typedef struct NasOptimizer {
    NasOptimizerKind kind;
    double lr, momentum, weight_decay; /* sgd: lr required, momentum 0, weight_decay 0 */
    bool nesterov;
    double beta1, beta2, eps; /* adam/adamw: 0.9, 0.999, 1e-8; lr 0.001; adamw wd 0.01 */
} NasOptimizer;

typedef enum NasScheduleKind {
    NAS_SCHED_CONSTANT,
    NAS_SCHED_LINEAR_WARMUP,
    NAS_SCHED_COSINE,
    NAS_SCHED_LINEAR_DECAY,
} NasScheduleKind;
typedef struct NasSchedule {
    NasScheduleKind kind;
    int64_t warmup; /* steps of linear warmup, default 0 */
    double min_lr;  /* cosine: final learning rate, default 0 */
    double final;   /* linear_decay: final learning rate, default 0 */
} NasSchedule;

/* What convolutions and matmuls compute in; the order is the runtime's BK_PREC_* (backend.h). */
typedef enum NasPrecision { NAS_PREC_FP32, NAS_PREC_BF16, NAS_PREC_FP16 } NasPrecision;

/* A training value that a decision of the space sets (`optimizer adam(lr = choice lr 1e-4 ..
 * 1e-2 log)`, `batch choice [32, 64]`): its field holds the setting's default, and
 * model_training (model.h) writes the value of one architecture. */
typedef struct NasDecided {
    const char *name;        /* "batch", "lr": names an unnamed decision */
    const char *what;        /* "batch", "lr of adam": for messages */
    size_t offset;           /* of the field in NasTraining */
    bool integer;            /* an int64_t field, else a double */
    bool positive;           /* the value must be > 0 (else >= 0) */
    const struct Node *expr; /* the setting's value (or the option's argument) */
} NasDecided;

/* `augment crop(padding = 4), flip(p = 0.5), cutout(size = 8, p = 1)`: the built-in trainer's
 * augmentation of training batches; each absent transform is off (0). */
typedef struct NasAugment {
    int64_t crop_padding;
    double flip_p;
    int64_t cutout_size;
    double cutout_p;
} NasAugment;

/* Settings shared by a search (stage 1) and a train (stage 2). */
typedef struct NasTraining {
    int64_t epochs, batch;  /* search: 1, 64; train: 10, 64 */
    NasOptimizer optimizer; /* default sgd(lr = 0.1, momentum = 0.9) */
    NasSchedule schedule;   /* default constant */
    double clip_norm;       /* 0: no clipping */
    NasPrecision precision; /* default fp32 */
    int64_t parallel;       /* default 1 */
    int64_t seed;           /* default 0 */
    NasAugment augment;     /* default none */
    double label_smoothing; /* in [0, 1); 0: none */
    const NasDecided *decided;
    int ndecided; /* fields set per architecture */
} NasTraining;

/* `stop when` condition, a small expression tree. */
typedef enum NasStopKind {
    NAS_STOP_OR,
    NAS_STOP_AND,
    NAS_STOP_NOT,
    NAS_STOP_CONST,
    NAS_STOP_CONVERGED,
    NAS_STOP_COMPARE
} NasStopKind;
/* A condition's variables: a search's `stop when` (failed, trials, elapsed) and a proxy's `keep
 * when` (kendall, spearman; `correlation` is Kendall's tau). */
typedef enum NasStopVar {
    NAS_STOP_FAILED,
    NAS_STOP_TRIALS,
    NAS_STOP_ELAPSED,
    NAS_KEEP_KENDALL,
    NAS_KEEP_SPEARMAN,
} NasStopVar;
typedef enum NasCmp { NAS_CMP_EQ, NAS_CMP_NE, NAS_CMP_LT, NAS_CMP_LE, NAS_CMP_GT, NAS_CMP_GE } NasCmp;
/* x cmp limit: the one reading of a comparison (stop and keep rules, constraints). */
bool config_compare(double x, NasCmp cmp, double limit);
typedef struct NasStop {
    NasStopKind kind;
    const struct NasStop *a, *b; /* OR, AND: a and b; NOT: a */
    bool value;                  /* CONST */
    int64_t window;              /* CONVERGED: no better reward in the last `window` trials (100) */
    NasStopVar var;
    NasCmp cmp;   /* COMPARE: var cmp limit; the variable is always on the left */
    double limit; /* failed: a fraction; elapsed: seconds; trials: a count */
} NasStop;

/* `prune` of a search: stop trials early from their per-epoch results (runtime/pipeline/prune.c). */
typedef enum NasPruneKind { NAS_PRUNE_NONE, NAS_PRUNE_MEDIAN, NAS_PRUNE_ASHA } NasPruneKind;
typedef struct NasPrune {
    NasPruneKind kind;
    int64_t startup, warmup;     /* median: finished trials before any stop; epochs never stopped at */
    int64_t min, max, reduction; /* asha: first rung, last rung (0: the trial's epochs), factor */
} NasPrune;

typedef struct NasSearch {
    const char *name;
    NasDataPart data;
    double train_fraction, valid_fraction; /* `split 90% / 10%`: 0.9, 0.1 */
    NasTraining training;
    int64_t trials;
    int64_t max_failed;  /* default trials / 3 */
    const NasStop *stop; /* NULL: run all trials */
    double time_limit;   /* seconds; 0: none */
    NasPrune prune;      /* default none */
} NasSearch;

typedef struct NasTrain {
    const char *name;
    const NasSearch *from;
    int64_t top;      /* default 1 */
    NasDataPart data; /* train on */
    bool has_validate;
    NasDataPart validate; /* `data a / b`: validate on b */
    NasTraining training;
} NasTrain;

/* `tune t { from s top K ... }`: the training settings' decisions searched for each of the best
 * K architectures of a search or a train, in a space of their own (model_lower_tune). */
typedef struct NasTune {
    const char *name;
    const NasSearch *from_search; /* exactly one of the two */
    const struct NasTrain *from_train;
    int64_t top; /* default 1 */
    NasDataPart data;
    double train_fraction, valid_fraction;
    NasTraining training;
    int64_t trials;           /* per architecture */
    NasController controller; /* its algorithm (default sobol) and parameters; seed unused */
} NasTune;

typedef enum NasMetric {
    NAS_METRIC_ACCURACY,
    NAS_METRIC_LOSS,
    NAS_METRIC_LATENCY,
    NAS_METRIC_MEMORY,
    NAS_METRIC_PARAMS,
    NAS_METRIC_FLOPS,
    NAS_METRIC_EXTERNAL, /* reported by a trainer: name */
} NasMetric;
typedef struct NasMetricRef {
    NasMetric metric;
    const char *name;
} NasMetricRef;

typedef struct NasObjective {
    NasMetricRef metric;
    bool maximize;
    bool has_ref;
    double ref; /* hypervolume reference point, base units (s, B) */
} NasObjective;

typedef struct NasConstraint {
    NasMetricRef metric;
    NasCmp cmp;    /* metric cmp target (normalised: metric on the left) */
    double target; /* base units */
    bool soft;
    double weight; /* soft: reward *= (metric / target)^weight, default -0.07 */
    bool hard;     /* hard: infeasible trials are kept but marked */
} NasConstraint;

typedef struct NasReward {
    const char *name; /* may be NULL */
    NasObjective *objectives;
    int nobjectives;
    NasConstraint *constraints;
    int nconstraints;
    NasMetricRef *report;
    int nreport;
} NasReward;

typedef struct NasTrainer {
    const char *name; /* may be NULL (one-line form) */
    const char *exec;
    double timeout; /* seconds; 0: none */
    /* `decisions [lr]`: the names of top-level lets whose decisions only the trainer reads;
     * lowered as shared decisions of the space (model.c), so they reach NAS_DECISIONS. */
    const struct Node *const *decisions;
    int ndecisions;
} NasTrainer;

/* `proxy design { ... }`: the proxy-task design of the first search (docs/nasrun.md). Every
 * candidate proxy is one of epochs x data x resolution x width. */
typedef struct NasProxy {
    const char *name;
    int64_t reference;   /* architectures trained fully (the first train's settings) */
    int64_t full_epochs; /* the references' epochs; 0: the first train's */
    const int64_t *epochs;
    int nepochs;
    const double *data; /* fractions of the search's training split; default [1] */
    int ndata;
    /* image heights in pixels (config_proxy_input gives the input); default [0]: the declared
     * input. resolution_at: where each is written (none for the default) */
    const int64_t *resolution;
    const Loc *resolution_at;
    int nresolution;
    /* width multipliers in (0, 1] of the convolutions' filters (model_scaled_filters); default
     * [1]: the full width. width_at: where each is written (none for the default) */
    const double *width;
    const Loc *width_at;
    int nwidth;
    const NasStop *keep; /* NULL: keep the best-correlated */
} NasProxy;

typedef struct NasConfig {
    NasDataset *datasets;
    int ndatasets;
    NasController controller; /* a default (random, seed 0) when none is declared */
    NasSearch *searches;
    int nsearches;
    NasTrain *trains;
    int ntrains;
    NasReward *reward;   /* NULL when none is declared */
    NasTrainer *trainer; /* NULL when none is declared */
    NasProxy *proxy;     /* NULL when none is declared */
    NasTune *tunes;
    int ntunes;
} NasConfig;

/* Builds the view from a program sema_check accepted (no errors); arena-allocated in
 * p->arena. Never NULL. */
NasConfig *config_build(Program *p);

/* The largest batch t trains with: its batch, or the largest value of a decided one (a choice
 * of constants or a range; else the default). For estimates that must bound memory. */
int64_t config_batch_max(const Program *p, const NasTraining *t);

/* Writes v to the decided field d of t (rounded for an int field). */
void config_set_decided(NasTraining *t, const NasDecided *d, double v);

/* Whether two shapes name the same example: they agree once leading 1s are dropped
 * ([1, 28, 28] and [28, 28]; not [784]). The rule of the loaders and of nasc's check. */
bool config_same_shape(const int64_t *a, int na, const int64_t *b, int nb);
/* "[1, 28, 28]" */
void config_shape_text(const int64_t *d, int n, char *buf, size_t size);
/* The input a proxy's resolution r (NasProxy.resolution) trains at: the first search's dataset's
 * [C, H, W] with H scaled to r and W in proportion (rounded, at least 1), into out. false when r
 * is the full resolution (0, or H itself): the declared input, unchanged. sema made sure the
 * input is [C, H, W] and r <= H. */
bool config_proxy_input(const NasConfig *c, int64_t r, int64_t out[3]);
/* Whether a reward reads `latency` (an objective or a constraint on it); r may be NULL. */
bool config_reward_reads_latency(const NasReward *r);

const NasDataset *config_dataset(const NasConfig *c, const char *name);
const NasSearch *config_search(const NasConfig *c, const char *name);
#endif
