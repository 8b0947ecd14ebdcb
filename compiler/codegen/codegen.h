/* codegen.h — LLVM code generator for fused kernels: one IR builder, two targets
 * (x86-64 through ORC LLJIT with the host's vector units; NVPTX sm_80/sm_90 as PTX text).
 *
 * A kernel is described by a CgSpec, independent of the graph IR: shapes are constants,
 * buffers are numbered slots, runtime scalars (learning rate, seeds, scales) are numbered
 * float slots, and the body is a small SSA list of elementwise ops.
 *
 * Kernel kinds and their parallel domain (what [begin, end) splits, see cg_spec_domain):
 *   CG_MAP           out[i] = f(in[i], per-channel[c], scalars) for i in [0, n).
 *                    Element i of an NCHW tensor has channel c = (i / inner) % channels.
 *                    CPU domain: elements [0, n).  GPU domain: elements [0, n).
 *   CG_CHANNEL_SUM   for an NCHW tensor of n = outer*channels*inner elements, the body is
 *                    evaluated per element and CG_ACCUM ops add it into out[c] (+=, the
 *                    caller zeroes out[] first). Batchnorm statistics, bias gradients.
 *                    CPU domain: channels [0, channels) (no two threads touch one out[c]).
 *                    GPU domain: rows [0, outer*channels), one row = inner elements, atomics.
 *   CG_SOFTMAX_XENT  logits [rows, cols] f32, labels [rows] int32 -> per-row loss
 *                    -sum_k t_k log softmax_k against the label smoothed by eps = scalars[1],
 *                    t = (1 - eps) onehot(label) + eps / cols (eps 0: plain cross-entropy),
 *                    dlogits = (softmax - t) * scalars[0], per-row correct
 *                    (1.0f if the first argmax equals the label). Fixed slot layout:
 *                    CG_XENT_LOGITS, CG_XENT_LABELS, CG_XENT_LOSS, CG_XENT_DLOGITS, CG_XENT_CORRECT.
 *                    A label outside [0, cols) gives loss = NaN, dlogits row = 0, correct = 0.
 *                    The dlogits buffer may be NULL (evaluation): loss and correct only.
 *                    Domain (both targets): rows [0, rows).
 * The optimizer update is a CG_MAP spec built by cg_spec_optimizer (one flat buffer of all
 * parameters, gradients and state).
 *
 * Buffers: slot k is float32 unless it is the xent labels slot (int32). Buffers bound to
 * different slots must not overlap; in-place update = load and store the same slot.
 * Accuracy vs. the C reference with libm (tests/unit/codegen_*): add, sub, mul, div, min, max,
 * fma (mul then add), neg, relu, relu6, select, sqrt, rsqrt, rand exact on the CPU; exp, log,
 * tanh, sigmoid within 1e-6 relative (measured <= 2.8e-7); swish, gelu and their derivatives
 * within 1e-6 * max(1, |x|). One implementation (polynomials in IR) on CPU and GPU; the GPU
 * may fuse mul+add into fma (last-bit differences).
 *
 * Errors: every function returning int returns 0 on success, -1 on failure with a message
 * in CgError (LLVM target missing, verifier failure, malformed spec). Never aborts.
 */
#ifndef NAS_CODEGEN_H
#define NAS_CODEGEN_H
#include <stdint.h>
#include <stddef.h>

enum { CG_MAX_OPS = 160, CG_MAX_BUFS = 16, CG_MAX_SCALARS = 16 };

typedef struct CgError {
    char msg[512];
} CgError;

typedef enum CgKind { CG_MAP, CG_CHANNEL_SUM, CG_SOFTMAX_XENT } CgKind;

typedef enum CgOpKind {
    /* leaves */
    CG_LOAD,    /* buf[i]                                  (a: -, buf: slot) */
    CG_LOAD_CH, /* buf[c], c = channel of element i        (buf: slot) */
    CG_CONST,   /* imm */
    CG_SCALAR,  /* scalars[buf]                            (buf: scalar slot) */
    CG_RAND,    /* uniform [0,1) from hash(seed, imm-as-stream, i); seed = the 32 bits of
                       scalars[buf] (write them with memcpy); same on CPU, GPU, cg_ref_rand */
    /* binary (a, b) */
    CG_ADD,
    CG_SUB,
    CG_MUL,
    CG_DIV,
    CG_MAX,
    CG_MIN,
    /* unary (a) */
    CG_NEG,
    CG_EXP,
    CG_LOG,
    CG_SQRT,
    CG_RSQRT,
    CG_TANH,
    CG_SIGMOID,
    CG_RELU,
    CG_RELU6,
    CG_SWISH,    /* x * sigmoid(x) */
    CG_GELU,     /* 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
    CG_SWISH_DX, /* d swish / dx at x */
    CG_GELU_DX,  /* d gelu / dx at x (tanh approximation) */
    /* ternary */
    CG_FMA,    /* a * b + c (rounded as mul then add, so the C reference is exact) */
    CG_SELECT, /* (a CMP b) ? c : d        (cmp, and d in field `d`) */
    /* effects (no value) */
    CG_STORE, /* buf[i] = a                              (CG_MAP only) */
    CG_ACCUM, /* out_buf[c] += a over the channel        (CG_CHANNEL_SUM only) */
} CgOpKind;

typedef enum CgCmp { CG_LT, CG_LE, CG_GT, CG_GE, CG_EQ, CG_NE } CgCmp;

/* One SSA op. Operands a..d are indices of earlier ops (values). */
typedef struct CgOp {
    CgOpKind kind;
    CgCmp cmp;
    int a, b, c, d;
    int buf;   /* buffer slot or scalar slot */
    float imm; /* CG_CONST value; CG_RAND stream id (integer-valued) */
} CgOp;

typedef struct CgSpec {
    CgKind kind;
    int64_t n;          /* elements (CG_MAP, CG_CHANNEL_SUM); n = outer*channels*inner */
    int64_t channels;   /* 0 when no per-channel access; else C of NCHW (features for [B,F]) */
    int64_t inner;      /* elements per channel row: H*W (1 for [B,F]) */
    int64_t rows, cols; /* CG_SOFTMAX_XENT */
    int nbufs, nscalars;
    int nops;
    CgOp ops[CG_MAX_OPS];
} CgSpec;

enum { CG_XENT_LOGITS, CG_XENT_LABELS, CG_XENT_LOSS, CG_XENT_DLOGITS, CG_XENT_CORRECT };

/* ---- building a spec (values are returned as op indices; -1 after an error, which is
 *      remembered and reported by cg_spec_check / the compile functions) ---- */
void cg_spec_map(CgSpec *s, int64_t n, int64_t channels, int64_t inner);
void cg_spec_channel_sum(CgSpec *s, int64_t outer, int64_t channels, int64_t inner);
void cg_spec_xent(CgSpec *s, int64_t rows, int64_t cols); /* scalars: grad scale, eps */
int cg_load(CgSpec *s, int slot);
int cg_load_ch(CgSpec *s, int slot);
int cg_const(CgSpec *s, float c);
int cg_scalar(CgSpec *s, int slot);
int cg_rand(CgSpec *s, int seed_slot, int stream);
int cg_bin(CgSpec *s, CgOpKind k, int a, int b);
int cg_un(CgSpec *s, CgOpKind k, int a);
int cg_fma(CgSpec *s, int a, int b, int c);
int cg_select(CgSpec *s, CgCmp cmp, int a, int b, int t, int f);
void cg_store(CgSpec *s, int slot, int v);
void cg_accum(CgSpec *s, int slot, int v);
int cg_spec_check(const CgSpec *s, CgError *err); /* 0 if well-formed */
uint64_t cg_spec_hash(const CgSpec *s);
const char *cg_op_name(CgOpKind k);

typedef enum CgTarget { CG_TARGET_CPU, CG_TARGET_PTX } CgTarget;
int64_t cg_spec_domain(const CgSpec *s, CgTarget t); /* see the table above */

/* ---- optimizer: one CG_MAP over the flat parameter vector ----
 * slots: 0 params, 1 grads, 2 state1 (momentum / Adam m), 3 state2 (Adam v)
 * scalars (cg_optim_scalars fills them for step t >= 1):
 *   0 lr, 1 = 1/(1-beta1^t), 2 = 1/sqrt(1-beta2^t)     (1 and 2 unused by SGD)
 * SGD:   g += wd*p; v = mu*v + g; p -= lr * (nesterov ? g + mu*v : v)       (PyTorch)
 * Adam:  g += wd*p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 *        p -= lr * (m*s1) / (sqrt(v)*s2 + eps)
 * AdamW: as Adam with wd = 0, and first p -= lr*wd*p (decoupled)             */
typedef enum CgOptimKind { CG_SGD, CG_ADAM, CG_ADAMW } CgOptimKind;
typedef struct CgOptim {
    CgOptimKind kind;
    float momentum;
    int nesterov;            /* SGD */
    float beta1, beta2, eps; /* Adam, AdamW */
    float weight_decay;
} CgOptim;
void cg_spec_optimizer(CgSpec *s, int64_t n, const CgOptim *o);
void cg_optim_scalars(const CgOptim *o, int64_t step, float lr, float scalars[3]);

/* ---- plain-C reference (the spec of every op; tests compare JIT results with it) ---- */
float cg_ref_rand(uint32_t seed, int stream, int64_t i);
/* Runs spec s on the CPU with scalar C code over domain [begin, end) (same contract as
 * CgCpuFn). Uses libm (expf, tanhf, ...). Returns -1 if the spec is malformed. */
int cg_ref_run(const CgSpec *s, void *const *bufs, int64_t begin, int64_t end, const float *scalars, CgError *err);

/* ---- CPU: ORC LLJIT, host CPU features, O3, cached by spec hash within the process ----
 * The compiled function processes domain items [begin, end) (0 <= begin <= end <= domain);
 * split [0, cg_spec_domain(s, CG_TARGET_CPU)) across threads. Thread-safe. */
typedef void (*CgCpuFn)(void *const *bufs, int64_t begin, int64_t end, const float *scalars);
typedef struct CgJit CgJit;
typedef struct CgJitStats {
    int compiled, cache_hits;
    int loaded;              /* of `compiled`: read from the cache directory, not generated */
    double compile_ms_total; /* IR build + optimize + native codegen (or the load), wall time */
    double compile_ms_last;
    int vector_width; /* floats per vector the CPU kernels use (4, 8 or 16) */
} CgJitStats;
int cg_jit_create(CgJit **out, CgError *err);
int cg_jit_get(CgJit *j, const CgSpec *s, CgCpuFn *fn, CgError *err);
/* A directory (created if missing; NULL: none) where compiled kernels are kept as object files
 * by spec, host CPU and LLVM version, so the next process that needs the same kernel (the next
 * trial of a search: the same shapes recur) loads it instead of generating it. Files are
 * written whole (a rename) and checked against the spec when read; one that does not match or
 * load is regenerated. */
void cg_jit_set_cache_dir(CgJit *j, const char *dir);
void cg_jit_stats(CgJit *j, CgJitStats *st);
void cg_jit_destroy(CgJit *j); /* frees all kernels; NULL ok */
/* Frees every compiled kernel and empties the cache (e.g. between trials, so a long search
 * does not accumulate code); function pointers obtained before become invalid. */
int cg_jit_clear(CgJit *j, CgError *err);
/* Optimized IR (LLVM text) and x86 assembly of a spec, for tests and --dump; malloc'd. */
int cg_cpu_dump(const CgSpec *s, char **ir, char **asm_text, CgError *err);

/* ---- NVPTX: PTX text for sm (80 or 90) ----
 * Entry name: `name`. Parameters in order: one .global pointer per buffer slot
 * (nbufs, float* / int* for xent labels), then one f32 per scalar slot (nscalars), passed
 * by value (cuLaunchKernel kernelParams = {&d_buf0, ..., &scalar0, ...}).
 * Grid-stride loop over the domain: any grid works; 256 threads per block and
 * min(ceil(domain/256), 65535) blocks is a good default. *ptx is malloc'd. */
int cg_ptx_emit(const CgSpec *s, int sm, const char *name, char **ptx, CgError *err);
#endif
