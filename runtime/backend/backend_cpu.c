/* backend_cpu.c — the CPU backend: oneDNN convolutions, pooling and batchnorm, sgemm (oneDNN's
 * or OpenBLAS single-threaded inside our OpenMP team: ONE thread pool, see docs/peers.md; bf16: a
 * oneDNN matmul), and LLVM-JIT fused kernels split across the OpenMP team. */
#include "backend.h"
#include "backend_cpu.h"
#include "onednn.h"
#include "ops_ref.h"
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct CpuState {
    BackendOptions opt;
    CgJit *jit;
    size_t allocated, peak;
} CpuState;

typedef enum PlanKind { PK_CONV, PK_POOL, PK_MATMUL, PK_BN } PlanKind;
struct BkPlan {
    PlanKind kind;
    DnnConv *conv;
    DnnPool *pool;
    DnnMatmul *mm; /* bf16 matmuls (fp32 ones call sgemm) */
    DnnBn *dbn;
    BnDesc bn;
    float *bn_var; /* [c]: the variance oneDNN reads or writes */
    int transa, transb, m, n, k, accumulate;
};

static CpuState *st_(Backend *b) { return b->impl; }

/* ---- memory: a 64-byte header in front of each block records its size ---- */

static void *cpu_alloc(Backend *b, size_t bytes)
{
    size_t total = (bytes + 127) / 64 * 64;
    char *p = aligned_alloc(64, total);
    if (!p) return NULL;
    memset(p, 0, total);
    *(size_t *)p = bytes;
    CpuState *s = st_(b);
    s->allocated += bytes;
    if (s->allocated > s->peak) s->peak = s->allocated;
    return p + 64;
}

static void cpu_free(Backend *b, void *p)
{
    if (!p) return;
    char *base = (char *)p - 64;
    st_(b)->allocated -= *(size_t *)base;
    free(base);
}

static void cpu_copy(Backend *b, void *dst, const void *src, size_t bytes) { memcpy(dst, src, bytes); }
static void cpu_fill_zero(Backend *b, float *p, int64_t n) { memset(p, 0, sizeof(float) * (size_t)n); }

static void cpu_copy_rows(Backend *b, void *dst, size_t dst_stride, const void *src, size_t src_stride,
                          size_t row_bytes, int64_t rows)
{
    for (int64_t r = 0; r < rows; r++)
        memcpy((char *)dst + r * dst_stride, (const char *)src + r * src_stride, row_bytes);
}

static BkPlan *plan_new(PlanKind k, BkError *err)
{
    BkPlan *p = calloc(1, sizeof *p);
    if (!p) snprintf(err->msg, sizeof err->msg, "cpu: out of memory");
    else p->kind = k;
    return p;
}

static void cpu_plan_free(Backend *b, BkPlan *p)
{
    if (!p) return;
    dnn_conv_destroy(p->conv);
    dnn_pool_destroy(p->pool);
    dnn_matmul_destroy(p->mm);
    dnn_bn_destroy(p->dbn);
    free(p->bn_var);
    free(p);
}

/* ---- convolution, pooling: oneDNN ---- */

static BkPlan *cpu_conv_plan(Backend *b, const ConvDesc *d, BkError *err)
{
    BkPlan *p = plan_new(PK_CONV, err);
    if (p && !(p->conv = dnn_conv_create(d, st_(b)->opt.precision == BK_PREC_BF16, err))) {
        free(p);
        return NULL;
    }
    return p;
}
static void cpu_conv_fwd(Backend *b, BkPlan *p, const float *x, const float *w, const float *bias, float *y)
{
    dnn_conv_fwd(p->conv, x, w, bias, y);
}
static void cpu_conv_bwd_data(Backend *b, BkPlan *p, const float *dy, const float *w, float *dx)
{
    dnn_conv_bwd_data(p->conv, dy, w, dx);
}
static void cpu_conv_bwd_filter(Backend *b, BkPlan *p, const float *x, const float *dy, float *dw, float *db)
{
    dnn_conv_bwd_filter(p->conv, x, dy, dw, db);
}

static BkPlan *cpu_pool_plan(Backend *b, const PoolDesc *d, BkError *err)
{
    BkPlan *p = plan_new(PK_POOL, err);
    if (p && !(p->pool = dnn_pool_create(d, err))) {
        free(p);
        return NULL;
    }
    return p;
}
static void cpu_pool_fwd(Backend *b, BkPlan *p, const float *x, float *y) { dnn_pool_fwd(p->pool, x, y); }
static void cpu_pool_bwd(Backend *b, BkPlan *p, const float *x, const float *dy, float *dx)
{
    dnn_pool_bwd(p->pool, dy, dx);
}

/* ---- matmul ---- */

static BkPlan *cpu_matmul_plan(Backend *b, int transa, int transb, int m, int n, int k, int accumulate, BkError *err)
{
    BkPlan *p = plan_new(PK_MATMUL, err);
    if (!p) return NULL;
    p->transa = transa;
    p->transb = transb;
    p->m = m;
    p->n = n;
    p->k = k;
    p->accumulate = accumulate;
    if (st_(b)->opt.precision == BK_PREC_BF16 &&
        !(p->mm = dnn_matmul_create(transa, transb, m, n, k, accumulate, 1, err))) {
        free(p);
        return NULL;
    }
    return p;
}

/* OpenBLAS at one thread per OpenMP thread: rows of C (columns when m is small) split
 * across the team, so OpenBLAS's own pthread pool never competes with OpenMP's. */
static void blas_team(const BkPlan *p, const float *a, const float *bm, float *c, int threads)
{
    float beta = p->accumulate ? 1.0f : 0.0f;
    int lda = p->transa ? p->m : p->k, ldb = p->transb ? p->k : p->n;
    int split_m = p->m >= p->n;
#pragma omp parallel num_threads(threads)
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        int len = split_m ? p->m : p->n, lo = (int)((int64_t)len * t / nt), hi = (int)((int64_t)len * (t + 1) / nt);
        if (hi > lo) {
            if (split_m) {
                const float *ap = p->transa ? a + lo : a + (int64_t)lo * lda;
                cblas_sgemm(CblasRowMajor, p->transa ? CblasTrans : CblasNoTrans, p->transb ? CblasTrans : CblasNoTrans,
                            hi - lo, p->n, p->k, 1.0f, ap, lda, bm, ldb, beta, c + (int64_t)lo * p->n, p->n);
            } else {
                const float *bp = p->transb ? bm + (int64_t)lo * ldb : bm + lo;
                cblas_sgemm(CblasRowMajor, p->transa ? CblasTrans : CblasNoTrans, p->transb ? CblasTrans : CblasNoTrans,
                            p->m, hi - lo, p->k, 1.0f, a, lda, bp, ldb, beta, c + lo, p->n);
            }
        }
    }
}

static void cpu_matmul(Backend *b, BkPlan *p, const float *a, const float *bm, float *c)
{
    if (p->mm) dnn_matmul_run(p->mm, a, bm, c);
    else if (st_(b)->opt.gemm == BK_GEMM_OPENBLAS) blas_team(p, a, bm, c, b->threads);
    else dnn_sgemm(p->transa, p->transb, p->m, p->n, p->k, a, bm, p->accumulate ? 1.0f : 0.0f, c);
}

/* ---- batchnorm: oneDNN, with the reference's contract (ops_ref.c): save_invstd holds
 * 1/sqrt(var + eps) and the running variance is the unbiased one (PyTorch). oneDNN works with
 * the biased variance, so the C-long conversions happen here. ---- */

static BkPlan *cpu_bn_plan(Backend *b, const BnDesc *d, BkError *err)
{
    BkPlan *p = plan_new(PK_BN, err);
    if (!p) return NULL;
    p->bn = *d;
    if (!(p->bn_var = malloc(sizeof(float) * (size_t)d->c))) {
        snprintf(err->msg, sizeof err->msg, "cpu: out of memory");
        cpu_plan_free(b, p);
        return NULL;
    }
    if (!(p->dbn = dnn_bn_create(d, err))) {
        cpu_plan_free(b, p);
        return NULL;
    }
    return p;
}

static void cpu_bn_fwd_train(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *beta, float *y,
                             float *save_mean, float *save_invstd, float *run_mean, float *run_var)
{
    const BnDesc *d = &p->bn;
    dnn_bn_fwd_train(p->dbn, x, gamma, beta, y, save_mean, p->bn_var);
    int64_t m = (int64_t)d->n * d->hw;
    for (int c = 0; c < d->c; c++) {
        double var = p->bn_var[c];
        save_invstd[c] = (float)(1.0 / sqrt(var + d->eps));
        if (run_mean) {
            double unbiased = m > 1 ? var * m / (m - 1) : var;
            run_mean[c] = (float)((1 - d->momentum) * run_mean[c] + d->momentum * save_mean[c]);
            run_var[c] = (float)((1 - d->momentum) * run_var[c] + d->momentum * unbiased);
        }
    }
}
static void cpu_bn_bwd(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *save_mean,
                       const float *save_invstd, const float *dy, float *dx, float *dgamma, float *dbeta)
{
    const BnDesc *d = &p->bn;
    /* no dx wanted (the network's input): oneDNN always writes one, the reference does not */
    if (!dx) {
        ref_bn_bwd(d, x, gamma, save_mean, save_invstd, dy, dx, dgamma, dbeta);
        return;
    }
    for (int c = 0; c < d->c; c++) {
        double is = save_invstd[c];
        p->bn_var[c] = (float)(1.0 / (is * is) - d->eps); /* oneDNN adds eps back */
    }
    dnn_bn_bwd(p->dbn, x, gamma, save_mean, p->bn_var, dy, dx, dgamma, dbeta);
}

/* ---- fused kernels ---- */

static int cpu_kernel_build(Backend *b, BkKernel *k, BkError *err)
{
    CgError ce;
    k->fn = NULL;
    if (cg_spec_check(&k->spec, &ce)) {
        snprintf(err->msg, sizeof err->msg, "kernel: %.480s", ce.msg);
        return -1;
    }
    CpuState *s = st_(b);
    if (!s->jit) return 0;
    CgCpuFn fn;
    if (cg_jit_get(s->jit, &k->spec, &fn, &ce)) {
        snprintf(err->msg, sizeof err->msg, "JIT: %.480s", ce.msg);
        return -1;
    }
    k->fn = (void *)fn;
    return 0;
}

static void cpu_kernel_run(Backend *b, const BkKernel *k, void *const *bufs, const float *scalars)
{
    int64_t n = cg_spec_domain(&k->spec, CG_TARGET_CPU);
    /* a parallel region costs a few microseconds (much more when the cores are shared):
     * only kernels touching >= 64K elements are split */
    int64_t work = k->spec.kind == CG_SOFTMAX_XENT ? k->spec.rows * k->spec.cols : k->spec.n;
    int threads = work >= 65536 && n >= 2 ? b->threads : 1;
    CgCpuFn fn = (CgCpuFn)k->fn;
    if (threads <= 1) {
        CgError ce;
        if (fn) fn(bufs, 0, n, scalars);
        else cg_ref_run(&k->spec, bufs, 0, n, scalars, &ce);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        /* chunk boundaries on multiples of 16 so vector loops stay aligned */
        int64_t lo = n * t / nt, hi = n * (t + 1) / nt;
        if (k->spec.kind == CG_MAP) {
            lo = lo / 16 * 16;
            hi = t == nt - 1 ? n : hi / 16 * 16;
        }
        if (hi > lo) {
            CgError ce;
            if (fn) fn(bufs, lo, hi, scalars);
            else cg_ref_run(&k->spec, bufs, lo, hi, scalars, &ce);
        }
    }
}

static double cpu_jit_ms(Backend *b)
{
    CgJitStats js;
    if (!st_(b)->jit) return 0;
    cg_jit_stats(st_(b)->jit, &js);
    return js.compile_ms_total;
}

void backend_cpu_set_jit_cache(Backend *b, const char *dir)
{
    if (dir && b->jit_ms == cpu_jit_ms && st_(b)->jit) cg_jit_set_cache_dir(st_(b)->jit, dir);
}

/* ---- misc ---- */

static void cpu_sync(Backend *b) {}

static double cpu_now(Backend *b)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

void cpu_rss(size_t *rss, size_t *peak)
{
    *rss = *peak = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned long v;
        if (sscanf(line, "VmRSS: %lu kB", &v) == 1) *rss = v * 1024;
        if (sscanf(line, "VmHWM: %lu kB", &v) == 1) *peak = v * 1024;
    }
    fclose(f);
}

static void cpu_mem_info(Backend *b, BkMemInfo *m)
{
    m->allocated = st_(b)->allocated;
    m->peak = st_(b)->peak;
    cpu_rss(&m->rss, &m->rss_peak);
}

static void cpu_shutdown(Backend *b)
{
    CpuState *s = st_(b);
    if (!s) return;
    cg_jit_destroy(s->jit);
    free(s);
    b->impl = NULL;
}

static uint64_t cpu_act_reorders(Backend *b) { return dnn_act_reorders(); }

int backend_cpu_open(const BackendOptions *opt, Backend *b, BkError *err)
{
    memset(b, 0, sizeof *b);
    CpuState *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err->msg, sizeof err->msg, "cpu: out of memory");
        return -1;
    }
    s->opt = *opt;
    b->impl = s;
    b->name = "cpu";
    b->threads = opt->threads > 0 ? opt->threads : omp_get_num_procs();
    /* one pool: OpenMP sized to the setting; OpenBLAS is only ever called single-threaded */
    omp_set_num_threads(b->threads);
    openblas_set_num_threads(1);
    if (dnn_init(err)) {
        cpu_shutdown(b);
        return -1;
    }
    b->channel_block = dnn_channel_block();
    if (opt->precision != BK_PREC_FP32 && opt->precision != BK_PREC_BF16) {
        snprintf(err->msg, sizeof err->msg, "precision %s: the cpu backend computes in fp32 or bf16%s",
                 backend_precision_name(opt->precision),
                 opt->precision == BK_PREC_FP16 ? " (fp16 needs --device cuda)" : "");
        cpu_shutdown(b);
        return -1;
    }
    if (opt->precision == BK_PREC_BF16 && dnn_bf16_check(err)) {
        cpu_shutdown(b);
        return -1;
    }
    if (opt->use_jit) {
        CgError ce;
        if (cg_jit_create(&s->jit, &ce)) {
            snprintf(err->msg, sizeof err->msg, "JIT: %.480s", ce.msg);
            cpu_shutdown(b);
            return -1;
        }
    }
    b->shutdown = cpu_shutdown;
    b->alloc = cpu_alloc;
    b->free = cpu_free;
    b->to_device = cpu_copy;
    b->to_host = cpu_copy;
    b->fill_zero = cpu_fill_zero;
    b->copy_rows = cpu_copy_rows;
    b->conv_plan = cpu_conv_plan;
    b->conv_fwd = cpu_conv_fwd;
    b->conv_bwd_data = cpu_conv_bwd_data;
    b->conv_bwd_filter = cpu_conv_bwd_filter;
    b->matmul_plan = cpu_matmul_plan;
    b->matmul = cpu_matmul;
    b->pool_plan = cpu_pool_plan;
    b->pool_fwd = cpu_pool_fwd;
    b->pool_bwd = cpu_pool_bwd;
    b->bn_plan = cpu_bn_plan;
    b->bn_fwd_train = cpu_bn_fwd_train;
    b->bn_bwd = cpu_bn_bwd;
    b->plan_free = cpu_plan_free;
    b->kernel_build = cpu_kernel_build;
    b->kernel_run = cpu_kernel_run;
    b->jit_ms = cpu_jit_ms;
    b->sync = cpu_sync;
    b->now = cpu_now;
    b->mem_info = cpu_mem_info;
    b->act_reorders = cpu_act_reorders;
    return 0;
}
