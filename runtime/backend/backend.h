/* backend.h — the device interface: ONE table of function pointers that every backend
 * (CPU: oneDNN + OpenBLAS + LLVM-JIT kernels; CUDA: cuDNN + cuBLAS + LLVM-built PTX) fills.
 * The executor only talks to this table, so a kernel program runs unchanged on either.
 *
 * Pointers passed to the op functions are DEVICE pointers from `alloc`. Heavy primitives are
 * planned once (a BkPlan per graph node: oneDNN primitive descriptors, cuDNN algorithms,
 * workspaces) and run many times; nothing is allocated by the run functions.
 * All ops OVERWRITE their outputs. Errors: plan/init functions return NULL/-1 and fill a
 * BkError; run functions cannot fail once planned (shapes were checked at plan time). */
#ifndef NAS_BACKEND_H
#define NAS_BACKEND_H
#include <stddef.h>
#include <stdint.h>
#include "ops.h"
#include "codegen.h"

typedef struct BkError {
    char msg[512];
} BkError;
typedef struct BkPlan BkPlan; /* backend-specific; freed by plan_free */
typedef struct Backend Backend;

/* A JIT-built fused kernel: the spec (for the reference fallback and the GPU) and the
 * backend's compiled handle (CPU: a CgCpuFn; CUDA: a CUfunction). */
typedef struct BkKernel {
    CgSpec spec;
    void *fn; /* NULL: run the plain-C reference (cg_ref_run) */
} BkKernel;

typedef struct BkMemInfo {
    size_t allocated, peak; /* bytes through alloc, now and at most */
    size_t rss, rss_peak;   /* host process resident set (CPU), bytes */
} BkMemInfo;

struct Backend {
    const char *name; /* "cpu", "cuda" */
    void *impl;       /* backend state */
    int threads;
    /* k > 0: convolution, pooling and batchnorm plans also take activations in nChw<k>c (k
     * channels innermost, C % k == 0; the *Desc block fields), so the executor can keep
     * activations blocked between them (exec.c). The CPU sets the block of oneDNN's jit
     * kernels for the CPU: 16 with AVX-512, 8 below (its nChw16c kernels are reference loops
     * there). 0: NCHW only (CUDA, nastrain --plain-layouts). */
    int channel_block;

    void (*shutdown)(Backend *b);
    /* memory: 64-byte aligned, zeroed */
    void *(*alloc)(Backend *b, size_t bytes);
    void (*free)(Backend *b, void *p);
    void (*to_device)(Backend *b, void *dst, const void *src, size_t bytes);
    void (*to_host)(Backend *b, void *dst, const void *src, size_t bytes);
    void (*fill_zero)(Backend *b, float *p, int64_t n);
    /* device-to-device copy of `rows` rows of row_bytes each (cudaMemcpy2D) */
    void (*copy_rows)(Backend *b, void *dst, size_t dst_stride, const void *src, size_t src_stride, size_t row_bytes,
                      int64_t rows);

    /* convolution (cuDNN / oneDNN): x[n,c,h,w], w OIHW, b[oc] or NULL */
    BkPlan *(*conv_plan)(Backend *b, const ConvDesc *d, BkError *err);
    void (*conv_fwd)(Backend *b, BkPlan *p, const float *x, const float *w, const float *bias, float *y);
    void (*conv_bwd_data)(Backend *b, BkPlan *p, const float *dy, const float *w, float *dx);
    void (*conv_bwd_filter)(Backend *b, BkPlan *p, const float *x, const float *dy, float *dw, float *db);

    /* matmul C[m,n] = op(A) op(B) (+ C when accumulate), row-major, op = transpose if set */
    BkPlan *(*matmul_plan)(Backend *b, int transa, int transb, int m, int n, int k, int accumulate, BkError *err);
    void (*matmul)(Backend *b, BkPlan *p, const float *a, const float *bm, float *c);

    /* pooling (max or avg); backward reads x (max: routes to the first maximum) */
    BkPlan *(*pool_plan)(Backend *b, const PoolDesc *d, BkError *err);
    void (*pool_fwd)(Backend *b, BkPlan *p, const float *x, float *y);
    void (*pool_bwd)(Backend *b, BkPlan *p, const float *x, const float *dy, float *dx);

    /* batchnorm in training (batch stats; saves mean and 1/std; updates running stats) and
     * its backward. Inference is an elementwise map of the executor's fusion chains. */
    BkPlan *(*bn_plan)(Backend *b, const BnDesc *d, BkError *err);
    void (*bn_fwd_train)(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *beta, float *y,
                         float *save_mean, float *save_invstd, float *run_mean, float *run_var);
    void (*bn_bwd)(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *save_mean,
                   const float *save_invstd, const float *dy, float *dx, float *dgamma, float *dbeta);

    void (*plan_free)(Backend *b, BkPlan *p);

    /* fused kernels (compiler/codegen/codegen.h): compile once, run many over the whole domain */
    int (*kernel_build)(Backend *b, BkKernel *k, BkError *err);
    void (*kernel_run)(Backend *b, const BkKernel *k, void *const *bufs, const float *scalars);
    double (*jit_ms)(Backend *b); /* total JIT compile time so far */

    void (*sync)(Backend *b);
    double (*now)(Backend *b); /* seconds, monotonic; call sync first to time device work */
    void (*mem_info)(Backend *b, BkMemInfo *m);
    /* May be NULL (CUDA: no layouts to convert). Activation reorders run so far between the
     * caller's layout and a primitive's (the CPU: oneDNN's), for --profile and the tests. */
    uint64_t (*act_reorders)(Backend *b);
    /* May be NULL (the CPU backend): then nothing is checked.
     * Returns 0 when `bytes` more can be allocated now (device: cudaMemGetInfo's free memory
     * minus a reserve), else -1 with a message naming both figures. A trial calls it with
     * its planned peak (GraphStats) BEFORE creating its executors, so a model that cannot
     * fit is rejected with a clear status instead of failing half-way. */
    int (*mem_check)(Backend *b, size_t bytes, BkError *err);
};

typedef struct BackendOptions {
    int threads; /* 0 = all cores */
    int use_jit; /* 0 = plain-C reference kernels (the spec) */
    int gemm;    /* BK_GEMM_AUTO, BK_GEMM_DNNL, BK_GEMM_OPENBLAS */
    /* BK_PREC_*: what convolutions and matmuls compute in. Storage, master weights, the
     * optimizer and the fused kernels stay fp32. FP32 (0, the default) is exact fp32 math;
     * BF16: CPU oneDNN bf16 operands (native with avx512_bf16), CUDA cuDNN tensor-op math with
     * down-conversion and cuBLAS 32F_FAST_16BF; FP16: CUDA only (32F_FAST_16F). */
    int precision;
} BackendOptions;
enum { BK_GEMM_AUTO, BK_GEMM_DNNL, BK_GEMM_OPENBLAS };
enum { BK_PREC_FP32, BK_PREC_BF16, BK_PREC_FP16 };
/* "fp32", "bf16", "fp16" -> BK_PREC_*; -1 with a message naming the choices otherwise */
int backend_precision_parse(const char *name, int *prec, BkError *err);
const char *backend_precision_name(int prec);

/* The registry: "cpu" always; "cuda" when built with it; "auto" = cuda when built and a
 * device answers, else cpu (b->name says which). Returns 0, or -1 with err. */
int backend_open(const char *name, const BackendOptions *opt, Backend *b, BkError *err);
void backend_close(Backend *b);
const char *backend_list(void); /* "cpu" or "cpu cuda" */
/* Runs kernel k through b->kernel_run; a CG_CHANNEL_SUM's accumulating outputs (its CG_ACCUM
 * slots, `channels` floats each) are zeroed first, as the spec requires. */
void backend_kernel_run(Backend *b, const BkKernel *k, void *const *bufs, const float *scalars);
#endif
