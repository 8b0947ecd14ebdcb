/* graph.h — Graph IR: the model of one sampled architecture with static shapes, its
 * statically derived backward graph, statistics (params, MACs, memory) and buffer plan.
 *
 * Layout NCHW. Every activation shape leaves the batch out: [C,H,W], [F] (after flatten /
 * global pooling / dense) or [] (per-row loss); `batched` says a leading B is implied, so
 * an activation of shape [32,14,14] is the tensor [B,32,14,14]. Parameters are not batched.
 * Weights: conv OIHW [O, C/groups, KH, KW]; dense [OUT, IN] (y = x W^T + b).
 *
 * Values and nodes. A value is one tensor; a node is one op reading values (`in`) and
 * writing values (`out`). Values are numbered 0..nvalues-1, nodes 0..nnodes-1, and the
 * node array IS the schedule: executing the nodes of a mode in index order is correct.
 *   nodes [0, nfwd)        forward ops (phase FORWARD) and the loss (phase LOSS)
 *   nodes [nfwd, nnodes)   backward ops (phase BACKWARD), appended by graph_build_backward
 * The optimizer is not a node: it runs after the schedule over the flat parameter buffer.
 *
 * Storage of a value (GraphValue.storage):
 *   GSTORE_ARENA       activations, loss, gradients of activations, saved batchnorm stats,
 *                      dropout masks, the input batch and labels: carved from ONE activation
 *                      buffer at GraphPlan.offset[v] (a liveness plan, different per mode).
 *   GSTORE_PARAM       trainable parameter: element offset `flat` in the flat parameter buffer.
 *   GSTORE_PARAM_GRAD  its gradient: same `flat` offset in the flat gradient buffer.
 *   GSTORE_STATE       non-trainable state (batchnorm running mean/var): `flat` in the state buffer.
 *
 * Modes. GRAPH_TRAIN runs every node (forward in training mode, loss, backward) at batch B.
 * GRAPH_INFER runs the FORWARD nodes only: batchnorm uses running stats and writes only
 * out[0]; dropout is the identity. Values with `train_only` (saved batchnorm statistics,
 * dropout masks) have no storage in GRAPH_INFER (offset -1).
 * Views: flatten, identity, reshape, and dropout in GRAPH_INFER write nothing — their output
 * has the same storage (plan offset) as their input; the executor skips them.
 *
 * Errors: construction never fails (it records); graph_infer_shapes reports the first bad
 * node in a GraphError (node index + message naming the op and the shapes). No asserts
 * on user shapes. Memory: everything lives in the Arena given to graph_new.
 *
 * Ownership: a Graph and all its arrays belong to its Arena; GraphPlan arrays too.
 */
#ifndef NAS_GRAPH_H
#define NAS_GRAPH_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "arena.h"

enum { GRAPH_MAX_RANK = 4 };

/* ---- op kinds. Inputs/outputs of each, in order (optional ones in parentheses) ---- */
typedef enum GraphOp {
    /* forward */
    GOP_INPUT,          /* in: -            out: x [C,H,W] (or any rank) — the executor copies the batch in */
    GOP_LABELS,         /* in: -            out: labels [] int32 (batched: [B]); phase LOSS */
    GOP_CONV2D,         /* in: x, w [O,C/g,KH,KW] (, b [O])           out: y [O,OH,OW]
                             attrs: kh kw sh sw ph pw (symmetric zero padding) dh dw (dilation:
                             the kernel spans (KH-1)*dh+1 rows) groups has_bias;
                             groups == C == O: depthwise; KH=KW=1: pointwise */
    GOP_DENSE,          /* in: x [IN], w [OUT,IN] (, b [OUT])         out: y [OUT] */
    GOP_BATCHNORM,      /* in: x, gamma [C], beta [C], run_mean [C] (STATE), run_var [C] (STATE)
                             out: y, save_mean [C] (train_only), save_invstd [C] (train_only)
                             x is [C,H,W] or [C]; attrs eps, momentum (PyTorch convention:
                             running = (1-momentum)*running + momentum*batch, unbiased var) */
    GOP_ACT,            /* in: x            out: y                     attr act */
    GOP_MAXPOOL,        /* in: x [C,H,W]    out: y [C,OH,OW]           attrs kh kw sh sw ph pw */
    GOP_AVGPOOL,        /* same; padding is excluded from the divisor */
    GOP_GLOBAL_AVGPOOL, /* in: x [C,H,W]    out: y [C] */
    GOP_FLATTEN,        /* in: x [C,H,W]    out: y [C*H*W]   (view) */
    GOP_DROPOUT,        /* in: x            out: y, mask (train_only; same shape as x, values
                             0 or 1/(1-p))    attr p. GRAPH_INFER: view */
    GOP_ADD,            /* in: a, b (same shape)          out: y = a + b (residual) */
    GOP_CONCAT,         /* in: x0..xn-1 (same H,W, or all rank 1)  out: y, channels concatenated */
    GOP_MUL_CHANNEL,    /* in: x [C,H,W], s [C]            out: y = x * s[n,c] (squeeze-excite scale) */
    GOP_IDENTITY,       /* in: x            out: y (view) */
    GOP_ZERO,           /* in: x (only its shape; not read) out: zeros [C,ceil(H/s),ceil(W/s)]
                             attr sh = sw = stride. The executor writes zeros. */
    GOP_SOFTMAX_XENT,   /* in: logits [K], labels       out: loss [] (per row, batched: [B]);
                             phase LOSS. The training loss is the mean over the batch. */
    GOP_CROP,           /* in: x [C,H,W]    out: y [C,H-top-bottom,W-left-right]   attr crop:
                             rows/columns removed (FactorizedReduce's one-pixel shift) */

    /* backward (phase BACKWARD). Every backward op OVERWRITES its outputs (accumulation is
     * explicit: GOP_GRAD_ADD). An `out` entry of -1 means that gradient is not needed
     * (its input needs no gradient): pass NULL / skip it. attrs = the forward node's attrs. */
    GOP_CONV2D_BWD_DATA,    /* in: dy, w                       out: dx */
    GOP_CONV2D_BWD_FILTER,  /* in: x, dy                       out: dw (, db) */
    GOP_DENSE_BWD_DATA,     /* in: dy [OUT], w [OUT,IN]        out: dx [IN]      GEMM dx = dy W */
    GOP_DENSE_BWD_FILTER,   /* in: x [IN], dy [OUT]            out: dw (, db)    GEMM dw = dy^T x, db = sum_rows dy */
    GOP_BATCHNORM_BWD,      /* in: x, gamma, save_mean, save_invstd, dy
                             out: dx (or -1), dgamma, dbeta */
    GOP_ACT_BWD,            /* in: x (the forward INPUT), dy   out: dx = dy * act'(x)   (elementwise) */
    GOP_MAXPOOL_BWD,        /* in: x, dy                       out: dx (routes to the first max) */
    GOP_AVGPOOL_BWD,        /* in: dy                          out: dx [C,H,W] (attrs give H,W via out shape) */
    GOP_GLOBAL_AVGPOOL_BWD, /* in: dy [C]                     out: dx [C,H,W] = dy / (H*W) */
    GOP_RESHAPE,            /* in: dy                          out: dx (view; backward of flatten) */
    GOP_DROPOUT_BWD,        /* in: dy, mask                    out: dx = dy * mask  (elementwise) */
    GOP_MUL_CHANNEL_BWD,    /* in: x, s, dy                    out: dx (or -1), ds (or -1)
                             dx = dy * s[n,c]; ds[n,c] = sum_hw dy * x */
    GOP_SLICE_CHANNELS,     /* in: dy                          out: dx = dy[:, begin:begin+count] (concat bwd) */
    GOP_GRAD_ADD,           /* in: a, b                        out: a + b (gradient accumulation, elementwise) */
    GOP_SOFTMAX_XENT_BWD,   /* in: logits, labels              out: dlogits = (softmax - onehot) * scale,
                             scale = 1/B (runtime scalar): gradient of the batch-mean loss.
                             dlogits is planned live from the loss node (node.fwd) on, so an
                             executor may compute it together with the loss there. */
    GOP_FILL_ZERO,          /* in: -                           out: a parameter gradient that no path
                             reaches (e.g. a branch that feeds only `zero`): write zeros */
    GOP_CROP_BWD,           /* in: dy                          out: dx: dy inside, zeros on the cropped border */
    GOP_COUNT
} GraphOp;

typedef enum GraphAct { GACT_RELU, GACT_RELU6, GACT_SIGMOID, GACT_TANH, GACT_SWISH, GACT_GELU, GACT_COUNT } GraphAct;

typedef enum GraphPad {
    GPAD_VALID,
    GPAD_SAME
} GraphPad; /* SAME needs an odd kernel:
                                  symmetric padding (k-1)*d/2 (d: dilation), output ceil(H/stride) */
typedef enum GraphPhase { GPHASE_FORWARD, GPHASE_LOSS, GPHASE_BACKWARD } GraphPhase;
typedef enum GraphMode { GRAPH_INFER, GRAPH_TRAIN } GraphMode;
typedef enum GraphDType { GDT_F32, GDT_I32 } GraphDType;
typedef enum GraphStorage { GSTORE_ARENA, GSTORE_PARAM, GSTORE_PARAM_GRAD, GSTORE_STATE } GraphStorage;
/* How the executor initialises a parameter or state value (fan_in = C/g*KH*KW or IN). */
typedef enum GraphInit { GINIT_NONE, GINIT_HE_NORMAL, GINIT_ZERO, GINIT_ONE } GraphInit;

typedef struct GraphShape {
    int rank; /* dims below, batch excluded */
    int64_t d[GRAPH_MAX_RANK];
    bool batched; /* a leading batch dimension B is implied */
} GraphShape;

typedef struct GraphAttr {
    int out;                    /* conv: output channels; dense: OUT (depthwise: resolved = C) */
    int kh, kw, sh, sw, ph, pw; /* conv / pool: kernel, stride, padding (resolved) */
    int dh, dw;                 /* conv / pool: dilation, 1 = none (pooling: always 1) */
    GraphPad pad;               /* as requested; ph/pw are filled by graph_infer_shapes */
    int groups;                 /* conv (depthwise: resolved = C by inference) */
    bool depthwise;             /* conv from graph_depthwise: groups = out = C */
    bool has_bias;              /* conv / dense */
    GraphAct act;               /* GOP_ACT, GOP_ACT_BWD */
    float eps, momentum;        /* batchnorm */
    float p;                    /* dropout probability */
    int begin, count;           /* GOP_SLICE_CHANNELS: channel range */
    int crop[4];                /* GOP_CROP(_BWD): rows/columns removed at top, left, bottom, right */
} GraphAttr;

typedef struct GraphValue {
    GraphShape shape; /* filled by graph_infer_shapes */
    GraphDType dtype;
    GraphStorage storage;
    int producer;    /* node writing it; -1 for parameters, state and the unused
                                       placeholder left by a backward `out` entry of -1 */
    int grad;        /* forward value / parameter: its gradient value (after
                                       graph_build_backward), -1 if none */
    int grad_of;     /* gradient values: the value it is the gradient of; else -1 */
    bool train_only; /* no storage in GRAPH_INFER */
    bool saved;      /* forward value read by a backward node (kept alive) */
    bool output;     /* kept alive to the end of the schedule (logits, loss) */
    int64_t flat;    /* PARAM / PARAM_GRAD / STATE: element offset in its flat buffer */
    GraphInit init;
    int fan_in;
    const char *name; /* role of a parameter / state ("w", "b", "gamma", "run_var"...;
                                       printed after its consumer's name) or a user name; may be NULL */
} GraphValue;

typedef struct GraphNode {
    GraphOp op;
    GraphPhase phase;
    int nin, nout;
    int *in, *out; /* value ids (out entries may be -1, see backward ops) */
    GraphAttr a;
    int fwd;          /* backward node: the forward node it differentiates; else -1 */
    const char *name; /* may be NULL */
    int origin;       /* copied from Graph.origin at creation: the lowering's tag for
                                       the source of the op (e.g. an index into its table of Locs) */
} GraphNode;

typedef struct GraphError {
    int node;      /* offending node, -1 if not about one node */
    char msg[256]; /* e.g. "add: shapes [32,14,14] and [64,14,14] differ" */
} GraphError;

typedef struct Graph {
    Arena *arena;
    GraphNode *nodes;
    int nnodes, cap_nodes;
    GraphValue *values;
    int nvalues, cap_values;
    int nfwd;                        /* nodes [0, nfwd) are forward + loss */
    int input, labels, logits, loss; /* value ids, -1 until known */
    int64_t nparams, nstate;         /* elements in the flat parameter / state buffers */
    bool shapes_ok, has_backward;
    int origin;       /* set by the lowering before construction calls (default 0) */
    GraphError error; /* first construction error (error.node = -1 if none) */
} Graph;

/* ---- construction: returns the id of the op's (first) output value ----
 * Never fails. Shapes are inferred eagerly as each node is added, so a builder can read
 * g->values[v].shape right away (e.g. the channels of x for an expansion ratio). The first
 * bad node is recorded in g->error and graph_infer_shapes reports it; after it, no further
 * node is inferred (their shapes stay rank 0). */
Graph *graph_new(Arena *a);
int graph_input(Graph *g, int rank, const int64_t *dims); /* e.g. {1,28,28} */
int graph_labels(Graph *g);
/* An input of this shape standing for a computation of deps (a checker's stand-in for a
 * block instance's result): never executed; graph_live follows it to deps. */
int graph_stand_in(Graph *g, int rank, const int64_t *dims, int ndeps, const int *deps);
/* dilation d >= 1 spreads the kernel's taps d apart (d = 1: an ordinary convolution) */
int graph_conv2d(Graph *g, int x, int out_ch, int kh, int kw, int stride, int dilation, GraphPad pad, int groups,
                 bool bias);
int graph_depthwise(Graph *g, int x, int k, int stride, int dilation, GraphPad pad, bool bias);
int graph_pointwise(Graph *g, int x, int out_ch, bool bias);
int graph_dense(Graph *g, int x, int out, bool bias);
int graph_batchnorm(Graph *g, int x, float eps, float momentum); /* 1e-5, 0.1 usual */
int graph_act(Graph *g, int x, GraphAct act);
int graph_maxpool(Graph *g, int x, int k, int stride, GraphPad pad);
int graph_avgpool(Graph *g, int x, int k, int stride, GraphPad pad);
int graph_global_avgpool(Graph *g, int x);
int graph_flatten(Graph *g, int x);
int graph_dropout(Graph *g, int x, float p);
int graph_add(Graph *g, int a, int b);
int graph_concat(Graph *g, int n, const int *xs);
int graph_mul_channel(Graph *g, int x, int s);
int graph_identity(Graph *g, int x);
int graph_zero(Graph *g, int x, int stride);
/* [C,H,W] -> [C,H-top-bottom,W-left-right]: drops rows and columns at the borders */
int graph_crop(Graph *g, int x, int top, int left, int bottom, int right);
int graph_softmax_xent(Graph *g, int logits, int labels);   /* returns the loss value */
void graph_set_name(Graph *g, int value, const char *name); /* names its producer too */

/* ---- passes ---- */
/* Shapes of every value, resolved padding/groups, parameter shapes and flat offsets (all
 * re-derived from the attributes). 0 on success; -1 with err filled on the first bad node.
 * Idempotent. Sets shapes_ok; call it after construction (the passes below need it). */
int graph_infer_shapes(Graph *g, GraphError *err);
/* Drops the forward nodes whose results reach neither the logits nor a node that does
 * (graph_live with zero: a `zero` keeps its input), and the values only they use; renumbers
 * nodes and values (input, labels, logits and loss follow) and re-infers shapes, so the
 * parameters are those of the kept nodes. Before graph_build_backward. 0 / -1 with err. */
int graph_prune(Graph *g, GraphError *err);
/* Appends the backward nodes (needs shapes and a loss). 0 / -1 with err. Marks `saved`. */
int graph_build_backward(Graph *g, GraphError *err);

/* ---- values ---- */
int64_t graph_shape_numel(const GraphShape *s, int64_t batch); /* batch used if batched */
int64_t graph_value_bytes(const Graph *g, int v, int64_t batch);
/* Full tensor shape with the batch first when batched; returns the rank (<= 5). */
int graph_value_dims(const Graph *g, int v, int64_t batch, int64_t dims[GRAPH_MAX_RANK + 1]);
bool graph_node_in_mode(const Graph *g, int node, GraphMode mode); /* executed in mode? */
bool graph_node_is_view(const Graph *g, int node, GraphMode mode); /* out[0] shares in[0] */
const char *graph_op_name(GraphOp op);
const char *graph_act_name(GraphAct act);
bool graph_shape_equal(const GraphShape *a, const GraphShape *b); /* same rank and dims */
/* "[B,32,14,14]" into buf; returns buf */
const char *graph_shape_str(const GraphShape *s, char *buf, size_t n);

/* ---- statistics (shapes must be inferred) ----
 * params: trainable elements (conv/dense weights and biases, batchnorm gamma and beta).
 *         params, macs and elementwise count live nodes only (graph_live without zero):
 *         a branch that reaches the logits only through `zero` is left out.
 * state:  batchnorm running mean + var (NOT in params; reported separately).
 * macs:   multiply-adds at batch 1 of conv (O*OH*OW*(C/g)*KH*KW) and dense (IN*OUT) only;
 *         bias adds, batchnorm, activations, pooling, add, mul_channel, loss are not MACs.
 * elementwise: element operations of everything else at batch 1, one per output element
 *         (pooling: one per window element; mul_channel and bias: one per output element).
 * Memory in bytes (fp32 = 4): infer_bytes = activation buffer of the GRAPH_INFER plan at
 * batch 1; train_bytes = activation buffer of the GRAPH_TRAIN plan at batch `batch`
 * (builds the backward graph if needed; 0 when the graph has no loss); param/grad/state
 * bytes; optim_bytes = optim_slots copies of the parameters (0 SGD, 1 momentum, 2 Adam);
 * train_total = train + param + grad + state + optim: the peak before anything runs. */
/* live[i] for each forward node i (g->nfwd entries, in g's arena): its result reaches the
 * logits. through_zero: a `zero` reads its input (its shape, as an exporter does); else a
 * branch that feeds only `zero` is dead too. */
bool *graph_live(const Graph *g, bool through_zero);
/* zero[v] for each value (g->nvalues entries, in g's arena): identically zero because every
 * path of data into it passes through a `zero` — written by `zero`, by a node that keeps zeros
 * (add, concat, pooling, flatten, dropout, identity, a channel scale, an activation with
 * f(0) = 0, a convolution or dense layer without bias) from data inputs that all are, or
 * named in seed (may be NULL; g->nvalues entries: a checker's stand-ins for such results). */
bool *graph_zero_values(const Graph *g, const bool *seed);
/* Data inputs of a forward node (its parameters and state left out): n of them in in[]. */
int graph_data_inputs(const Graph *g, int node, const int **in);
/* Trainable elements read by, and MACs (batch 1) of, the nodes marked in live. */
void graph_live_cost(const Graph *g, const bool *live, int64_t *params, int64_t *macs);
typedef struct GraphStats {
    int64_t params, state, macs, elementwise;
    int64_t infer_bytes, train_bytes;
    int64_t param_bytes, grad_bytes, state_bytes, optim_bytes, train_total_bytes;
    int64_t batch;
} GraphStats;
int graph_stats(Graph *g, int64_t batch, int optim_slots, GraphStats *st, GraphError *err);
int64_t graph_node_macs(const Graph *g, int node); /* batch 1 */

/* ---- fusion: chains of consecutive elementwise nodes of a mode's schedule ----
 * Elementwise: bias-free activation, batchnorm in GRAPH_INFER, add, dropout, mul_channel,
 * act_bwd, dropout_bwd, grad_add. A chain links node b after node a when b reads a's out[0],
 * no other node of the same phase reads it, and b is the next node the schedule runs (views
 * aside): the whole chain runs as ONE map at its last node. A chain has at most one channel
 * geometry (batchnorm's [C] or mul_channel's [B,C]) and a bounded number of buffers.
 * Intermediates read outside the chain (by backward) or that are results are `stored`; the
 * others never exist in memory. `anchor` is the conv/dense node whose output starts the chain
 * (its bias can be folded in), else -1. Chains have >= 1 node; with fuse = false every
 * elementwise node is a chain of its own. */
typedef struct GraphChain {
    int n;
    int *nodes;
    int anchor;
    int nstored;
    int *stored;
} GraphChain;
int graph_fusion_chains(Graph *g, GraphMode mode, bool fuse, GraphChain **chains); /* returns count */

/* ---- buffer plan: static liveness + best-fit offsets in one activation buffer ----
 * Step i = the i-th node of the mode's schedule, except that every node of a fusion chain
 * runs at the step of the chain's last node (step[]). A value lives from its producer's step
 * to its last reader's step (outputs to the end); a view extends its root's life. Two values
 * whose lives intersect never share bytes, so a fused map never reads what it overwrites.
 * Chain intermediates that are not stored get no storage. Offsets are 64-byte aligned. */
typedef struct GraphPlan {
    GraphMode mode;
    int64_t batch;
    int nvalues;
    int64_t *offset;   /* per value: byte offset in the buffer, -1 = none */
    int64_t *bytes;    /* per value: bytes at this batch (0 if none / view) */
    int *first, *last; /* per value: life in steps (node indices), -1 if none */
    int *root;         /* per value: the value whose storage it uses (views) */
    int64_t size;      /* bytes of the activation buffer (the peak) */
    int64_t live_peak; /* max over steps of the live bytes (lower bound of size) */
    int64_t total;     /* sum of all planned bytes (no reuse; upper bound) */
    int nchains;
    GraphChain *chains; /* the fusion chains the executor runs */
    int *chain_of;      /* per node: its chain, or -1 */
    int *step;          /* per node: the step it runs at */
} GraphPlan;
int graph_plan(Graph *g, GraphMode mode, int64_t batch, bool fuse, GraphPlan *plan, GraphError *err);
/* The same plan with the executor's storage sizes: bytes[v] for value v instead of its shape's
 * (the CPU executor pads the channels of blocked activations, runtime/backend/exec.c). What
 * the reports show (graph_stats) is graph_plan's: the architecture's, not the padding's. */
int graph_plan_sized(Graph *g, GraphMode mode, int64_t batch, bool fuse, const int64_t *bytes, GraphPlan *plan,
                     GraphError *err);

/* ---- hash: structural, independent of pointers, names and of node creation order that
 * does not change the graph (add is commutative); the same on every machine. Forward only;
 * the same before and after graph_infer_shapes. It mixes the numbers of the forward GraphOp
 * kinds: add new forward kinds right after GOP_SOFTMAX_XENT so none is renumbered. */
uint64_t graph_hash(const Graph *g);

/* ---- printing ---- */
void graph_print_text(const Graph *g, FILE *out);
void graph_print_dot(const Graph *g, FILE *out);
#endif
