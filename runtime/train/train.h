/* train.h — training a Graph on a Dataset: optimizers, schedules, init, the loop, metrics.
 * train_run is the one entry point nasrun's --train-one and the drivers call. */
#ifndef NAS_TRAIN_H
#define NAS_TRAIN_H
#include <stdint.h>
#include <stdio.h>
#include "backend.h"
#include "exec.h"
#include "graph.h"
#include "dataset.h"
#include "augment.h"

typedef enum OptimKind { OPT_SGD, OPT_ADAM, OPT_ADAMW } OptimKind;
typedef enum SchedKind { SCHED_CONSTANT, SCHED_COSINE, SCHED_LINEAR } SchedKind;

typedef struct TrainSettings {
    int epochs;
    int batch;
    uint64_t seed; /* init, shuffles, dropout */
    int threads;   /* 0 = all cores */
    OptimKind optimizer;
    float lr, momentum, beta1, beta2, eps, weight_decay;
    int nesterov;
    SchedKind schedule;   /* after warmup: constant, cosine or linear decay to min_lr */
    int64_t warmup_steps; /* linear warmup from 0 */
    float min_lr;
    float clip_norm;                 /* gradient clipping by global norm; 0 = off */
    TrainAugment augment;            /* of the training batches (augment.h); zero = none */
    float label_smoothing;           /* eps in [0, 1) of the training loss's target; 0 = none */
    int use_jit;                     /* 1: LLVM-JIT kernels; 0: plain-C reference kernels */
    const char *device;              /* backend: "cpu" (default), "cuda" or "auto" (backend.h) */
    int gemm;                        /* BK_GEMM_* */
    int precision;                   /* BK_PREC_*: convolutions and matmuls (default fp32, exact) */
    int64_t max_steps;               /* stop after this many steps in total (0 = no limit) */
    int no_shuffle;                  /* 1: batches in split order every epoch (PyTorch checks) */
    int profile;                     /* 1: print the phases and the time per op kind of the training
                                        steps to log */
    int no_fuse;                     /* 1: every elementwise node its own kernel (to measure fusion) */
    int plain_layouts;               /* 1: activations NCHW only (to measure the blocked layouts) */
    int eval_batch;                  /* 0 = 500 */
    int latency_runs;                /* batch-1 inference runs for the median (0 = skip) */
    const char *jit_cache;           /* a directory the JIT keeps its kernels in across trials (NULL: none) */
    int slot_fd;                     /* the latency slot of the trials this one runs beside (a
                                        train_slot_create file), -1: none (train_settings_default) */
    const char *init_file;           /* raw float32 parameters to start from instead of init */
    const char *dump_init;           /* write the initial parameters here (for PyTorch checks) */
    const char *save_weights;        /* after training: the trained weights, safetensors (weights.h) */
    const char *const *weights_meta; /* its __metadata__: NULL-terminated key, value pairs */
    FILE *log;                       /* per-epoch lines; NULL = quiet */
    FILE *step_log;                  /* per-step losses (step, loss); NULL = none */
    FILE *epoch_json;                /* a JSON line per epoch as it ends, {"epoch", "accuracy", "loss"} with
                                        the validation values (what nasrun's pruning reads); NULL = none */
} TrainSettings;

void train_settings_default(TrainSettings *s); /* SGD lr 0.01 m 0.9, batch 128, 1 epoch */

typedef struct TrainData {
    const Dataset *train;
    const int32_t *train_idx;
    int64_t ntrain;
    const Dataset *val;
    const int32_t *val_idx;
    int64_t nval; /* idx NULL: in order */
} TrainData;

typedef enum TrainStatus { TRAIN_OK, TRAIN_DIVERGED, TRAIN_ERROR } TrainStatus;
const char *train_status_name(TrainStatus s);

typedef struct EpochStat {
    double train_loss, train_acc, val_loss, val_acc, seconds, images_per_s;
} EpochStat;

typedef struct TrainResult {
    TrainStatus status;
    char msg[512];
    EpochStat *curve;
    int nepochs;                        /* malloc'd; train_result_free */
    double val_loss, val_acc;           /* after the last epoch */
    int64_t steps, params, macs, flops; /* flops = 2*macs at batch 1 */
    double train_seconds, images_per_s; /* training steps only (no evaluation) */
    double latency_ms;                  /* median batch-1 inference */
    double jit_ms;                      /* JIT compile time of this trial */
    double setup_seconds;               /* backend, plans, kernels (JIT), buffers, init: before step 1 */
    double eval_seconds;                /* validation passes */
    double latency_seconds;             /* the latency runs, their wait for the slot included */
    int64_t planned_bytes;              /* params+grads+state+optim+activations (plan) */
    size_t rss_peak;                    /* measured process peak RSS */
} TrainResult;

int train_run(Graph *g, const TrainData *data, const TrainSettings *s, TrainResult *r);

/* What train_run reports of g before it trains (params, macs, flops, planned_bytes of r),
 * from the graph alone: so a hard constraint on them can be checked without training. Builds
 * g's shapes and backward when missing. 0, or -1 with err (node and message). */
int train_figures(Graph *g, const TrainSettings *s, TrainResult *r, char *err, size_t size);
/* The median batch-1 inference latency of g over s->latency_runs runs (r->latency_ms; the rest
 * of r untouched unless it fails: status and msg), in the latency slot like train_run's: a
 * trial trained on a smaller proxy resolution measures its full-resolution graph so. 0 or -1. */
int train_latency(Graph *g, const TrainSettings *s, TrainResult *r);

/* The latency slot (slot.c): trials that share one measure their latency while none of the
 * others computes, so the latency metric does not depend on what trains beside it. The
 * creator makes the file before forking the trials (-1: none, then trials run unsynchronised);
 * each trial opens its own description of it (train_slot_open: -1 on failure) and holds it
 * shared (`alone` false: its set-up, each step and each validation batch) or alone (the
 * latency runs) between enter and leave. The kernel frees a dead trial's hold. fd -1: no-ops. */
int train_slot_create(void);
int train_slot_open(int shared_fd);
void train_slot_enter(int fd, bool alone);
void train_slot_leave(int fd);
void train_result_free(TrainResult *r);

/* Inference with given weights (params [nparams], state [nstate]) over every example of d,
 * in batches of s->eval_batch on s->device: the logits [n, classes], the first argmax of each
 * row, and loss and accuracy as the trainer's evaluation computes them (the same kernels). */
typedef struct PredictResult {
    int64_t n;
    int classes;
    float *logits;   /* [n, classes], malloc'd */
    int32_t *argmax; /* [n], malloc'd */
    double loss, accuracy;
} PredictResult;
int train_predict(Graph *g, const Dataset *d, const float *params, const float *state, const TrainSettings *s,
                  PredictResult *r, char *err, size_t errsize);
void predict_result_free(PredictResult *r);

/* ---- pieces (the other train/ files) ---- */
float sched_lr(const TrainSettings *s, int64_t step, int64_t total_steps);    /* schedule.c */
void init_params(const Graph *g, float *params, float *state, uint64_t seed); /* init.c (host) */

typedef struct Optim { /* optim.c */
    CgOptim o;
    BkKernel k;                       /* the update */
    BkKernel sumsq, scale, nonfinite; /* gradient norm, clipping, finite check (aux specs) */
    float *m, *v;                     /* device state, nparams each (v only for Adam) */
    float *rowsum, *host_rowsum;      /* row sums of the reductions: device, host; rows each */
    int64_t n, t, rows;
} Optim;
int optim_create(Optim *op, Backend *b, const TrainSettings *s, int64_t nparams, BkError *err);
void optim_step(Optim *op, Backend *b, ModelBuffers *m, float lr);
/* gradient clipping: compiled by optim_create only when s->clip_norm > 0 (without, these two
 * run the kernels unbuilt: the CPU's plain-C reference, or a compile at the first GPU run) */
double optim_grad_norm(Optim *op, Backend *b, const ModelBuffers *m); /* global L2 norm */
void optim_scale_grads(Optim *op, Backend *b, ModelBuffers *m, float scale);
int optim_params_finite(Optim *op, Backend *b, const ModelBuffers *m); /* 0 if a NaN/Inf */
void optim_destroy(Optim *op, Backend *b);
/* The kernels behind the three helpers above, for a model of nparams parameters over the
 * padded buffers (exec_params_padded): per-row sums of g*g into slot 1 (CG_CHANNEL_SUM,
 * rows of EXEC_PARAM_PAD), slot 0 *= scalars[0] (CG_MAP), per-row sums of x*0 into slot 1. */
void optim_aux_specs(int64_t nparams, CgSpec *sumsq, CgSpec *scale, CgSpec *nonfinite);
#endif
