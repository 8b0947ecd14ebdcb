/* exec.h — the executor: runs a compiler/graph/graph.h Graph on a Backend. One Exec per (mode,
 * batch): it plans the activation buffer once, allocates it once, creates every backend
 * plan (oneDNN primitives) and JIT kernel once; exec_run then allocates nothing.
 * Parameters, gradients and state live in a ModelBuffers shared by the Execs of one model
 * (the training Exec, the evaluation Exec, the batch-1 latency Exec). */
#ifndef NAS_EXEC_H
#define NAS_EXEC_H
#include <stdint.h>
#include <stdio.h>
#include "backend.h"
#include "graph.h"

/* Parameters and gradients are allocated to a multiple of EXEC_PARAM_PAD floats, the tail
 * zero and never written, so reductions over them can split into equal rows. */
enum { EXEC_PARAM_PAD = 1024 };
static inline int64_t exec_params_padded(int64_t n) { return (n / EXEC_PARAM_PAD + 1) * EXEC_PARAM_PAD; }

typedef struct ModelBuffers {
    float *params, *grads, *state; /* device memory: exec_params_padded(g->nparams) floats
                                           (params, grads), g->nstate + 1 (state) */
    int64_t nparams, nstate;
} ModelBuffers;

int model_buffers_alloc(Backend *b, const Graph *g, ModelBuffers *m, BkError *err);
void model_buffers_free(Backend *b, ModelBuffers *m);

/* One fusion chain's map (GraphPlan.chains[i]): slot k is bound to graph value slot[k]. */
typedef struct ExecChain {
    BkKernel k;
    int nslots, slot[CG_MAX_BUFS];
    int bias_of; /* the dense node whose bias the map adds, or -1 */
} ExecChain;

typedef struct Exec {
    Graph *g;
    Backend *bk;
    ModelBuffers *m;
    GraphMode mode;
    int64_t batch;
    GraphPlan plan;                               /* arrays in the graph's arena */
    char *act;                                    /* activation buffer: plan.size bytes */
    BkPlan **plans;                               /* per node; backward nodes of conv/pool use their
                                           forward node's plan (owned there) */
    BkKernel *kern;                               /* per node outside the chains, EXEC_KPN slots */
    ExecChain *chains;                            /* per plan.chains[i]: run at the chain's last node */
    int fuse;                                     /* 1: chains of several nodes (exec_create's default) */
    unsigned char *block;                         /* per value: k = nChw<k>c (Backend.channel_block), 0 = NCHW */
    int *dlogits;                                 /* SOFTMAX_XENT node -> value of its dlogits, or -1 */
    float *loss_rows, *correct, *dlogits_scratch; /* [B], [B], [B*K] device */
    int32_t *labels;                              /* [B] device: the labels of the current batch */
    float *host_rows;                             /* [2B] host copy of loss_rows and correct */
    /* the loss kernel's scalars: grad scale 1/batch, label smoothing eps (0: none; the trainer
     * sets it on the TRAIN Exec, so evaluation reports the plain cross-entropy) */
    float xent_scalar[2];
    int xent_node;            /* INFER: the loss node whose kernel scores the logits */
    int profile;              /* 1: time every node (adds a sync per node) */
    double prof_s[GOP_COUNT]; /* seconds per op kind, summed over runs */
    int64_t prof_n[GOP_COUNT];
    int64_t prof_runs, prof_reorders; /* exec_runs profiled; activation reorders in them */
} Exec;
enum { EXEC_KPN = 2 }; /* fused kernels per node at most */

/* fuse = 0 runs every elementwise node as its own kernel (for measuring the fusion). */
int exec_create(Exec *e, Graph *g, Backend *bk, ModelBuffers *m, GraphMode mode, int64_t batch, int fuse, BkError *err);
void exec_destroy(Exec *e);
/* Copies a batch (host memory) in: x [batch, input shape], labels [batch] (may be NULL). */
void exec_set_batch(Exec *e, const float *x, const int32_t *labels);
/* TRAIN: forward, loss, backward (gradients overwritten). INFER: forward, and when labels
 * were given, the per-row loss and correctness of the logits. */
void exec_run(Exec *e, uint32_t step_seed);
/* Sums over the batch of the per-row loss and of correct predictions (host values). */
void exec_batch_metrics(Exec *e, double *loss_sum, double *correct_sum);
void *exec_value(const Exec *e, int v);            /* device pointer of value v, NULL if no storage */
void exec_profile_print(const Exec *e, FILE *out); /* time per op kind (profile = 1); a fused
                                                        chain counts as its last node */
#endif
