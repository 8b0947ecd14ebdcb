/* backend_cuda.c — the CUDA backend's core: device and handles, device memory (tracked, zeroed,
 * checked against free memory), copies on one stream, the device clock (CUDA events) and the
 * table that the other cuda_*.c files fill with cuDNN, cuBLAS and PTX-kernel entries. */
#include "cuda_int.h"
#include "backend_cpu.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int backend_cuda_open(const BackendOptions *opt, Backend *b, BkError *err);

enum { WS_LIMIT = 256 << 20 };                /* cuDNN workspace budget (less when memory is short) */
static const size_t MEM_RESERVE = 128u << 20; /* left free for cuDNN/cuBLAS internals */

int cuda_check(cudaError_t e, const char *what, BkError *err)
{
    if (e == cudaSuccess) return 0;
    snprintf(err->msg, sizeof err->msg, "cuda: %s: %s (%s)", what, cu.cudaGetErrorString(e), cu.cudaGetErrorName(e));
    return -1;
}

int cudnn_check(cudnnStatus_t s, const char *what, BkError *err)
{
    if (s == CUDNN_STATUS_SUCCESS) return 0;
    snprintf(err->msg, sizeof err->msg, "cudnn: %s: %s", what, cu.cudnnGetErrorString(s));
    return -1;
}

int cublas_check(cublasStatus_t s, const char *what, BkError *err)
{
    if (s == CUBLAS_STATUS_SUCCESS) return 0;
    snprintf(err->msg, sizeof err->msg, "cublas: %s: %s", what, cu.cublasGetStatusString(s));
    return -1;
}

void cuda_report(const char *what, int code, const char *text)
{
    static int reported; /* the first failure explains the rest */
    if (reported++) return;
    fprintf(stderr, "nas: cuda backend: %s failed: %s (%d)\n", what, text ? text : "?", code);
}

/* ---- memory ---- */

void *cuda_alloc(Backend *b, size_t bytes)
{
    CudaState *s = cuda_st(b);
    if (s->nallocs == s->capallocs) {
        int cap = s->capallocs ? 2 * s->capallocs : 64;
        CudaAlloc *na = realloc(s->allocs, sizeof *na * (size_t)cap);
        if (!na) return NULL;
        s->allocs = na;
        s->capallocs = cap;
    }
    void *p = NULL;
    size_t padded = bytes ? (bytes + 255) / 256 * 256 : 256;
    if (cu.cudaMalloc(&p, padded) != cudaSuccess) {
        (void)cu.cudaGetLastError();
        return NULL;
    }
    if (cu.cudaMemsetAsync(p, 0, padded, s->stream) != cudaSuccess) {
        cu.cudaFree(p);
        return NULL;
    }
    s->allocs[s->nallocs++] = (CudaAlloc){p, bytes};
    s->allocated += bytes;
    if (s->allocated > s->peak) s->peak = s->allocated;
    return p;
}

void cuda_free(Backend *b, void *p)
{
    CudaState *s = cuda_st(b);
    if (!p) return;
    for (int i = s->nallocs - 1; i >= 0; i--)
        if (s->allocs[i].p == p) {
            s->allocated -= s->allocs[i].bytes;
            s->allocs[i] = s->allocs[--s->nallocs];
            /* work queued on the stream may still read p: cudaFree waits for the device */
            cu.cudaFree(p);
            return;
        }
    cuda_report("free of an unknown pointer", 0, "not allocated by this backend");
}

int cuda_workspace(Backend *b, size_t bytes, BkError *err)
{
    CudaState *s = cuda_st(b);
    if (bytes <= s->ws_bytes) return 0;
    if (cuda_check(cu.cudaStreamSynchronize(s->stream), "workspace sync", err)) return -1;
    cuda_free(b, s->ws);
    s->ws = NULL;
    s->ws_bytes = 0;
    if (!(s->ws = cuda_alloc(b, bytes))) {
        snprintf(err->msg, sizeof err->msg, "cuda: cannot allocate a %zu MiB cuDNN workspace", bytes >> 20);
        return -1;
    }
    s->ws_bytes = bytes;
    return 0;
}

static int cuda_mem_check(Backend *b, size_t bytes, BkError *err)
{
    size_t fr = 0, total = 0;
    if (cuda_check(cu.cudaMemGetInfo(&fr, &total), "cudaMemGetInfo", err)) return -1;
    if (bytes + MEM_RESERVE <= fr) return 0;
    snprintf(err->msg, sizeof err->msg,
             "cuda: the plan needs %.1f MiB of device memory (+%zu MiB reserve) but %s has only "
             "%.1f MiB free of %.1f MiB",
             bytes / 1048576.0, MEM_RESERVE >> 20, cuda_st(b)->devname, fr / 1048576.0, total / 1048576.0);
    return -1;
}

static void cuda_to_device(Backend *b, void *dst, const void *src, size_t bytes)
{
    /* from pageable memory the call returns once src is staged, so the caller may reuse it */
    cudaError_t e = cu.cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, cuda_st(b)->stream);
    if (e) cuda_report("cudaMemcpyAsync to device", e, cu.cudaGetErrorString(e));
}

static void cuda_to_host(Backend *b, void *dst, const void *src, size_t bytes)
{
    CudaState *s = cuda_st(b);
    cudaError_t e = cu.cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s->stream);
    if (!e) e = cu.cudaStreamSynchronize(s->stream);
    if (e) cuda_report("copy to host", e, cu.cudaGetErrorString(e));
}

static void cuda_fill_zero(Backend *b, float *p, int64_t n)
{
    cudaError_t e = cu.cudaMemsetAsync(p, 0, sizeof(float) * (size_t)n, cuda_st(b)->stream);
    if (e) cuda_report("cudaMemsetAsync", e, cu.cudaGetErrorString(e));
}

static void cuda_copy_rows(Backend *b, void *dst, size_t dst_stride, const void *src, size_t src_stride,
                           size_t row_bytes, int64_t rows)
{
    cudaError_t e = cu.cudaMemcpy2DAsync(dst, dst_stride, src, src_stride, row_bytes, (size_t)rows,
                                         cudaMemcpyDeviceToDevice, cuda_st(b)->stream);
    if (e) cuda_report("cudaMemcpy2DAsync", e, cu.cudaGetErrorString(e));
}

/* ---- clock and sync ---- */

static void cuda_sync(Backend *b)
{
    cudaError_t e = cu.cudaStreamSynchronize(cuda_st(b)->stream);
    if (e) cuda_report("cudaStreamSynchronize", e, cu.cudaGetErrorString(e));
}

/* Device time in seconds: an event recorded on the stream, waited for, and the elapsed time
 * since the previous one added to a double (one float elapsed over hours would lose precision).
 * Work queued before the call is included, so `sync; t0 = now; run; sync; t1 = now` times the
 * device. */
static double cuda_now(Backend *b)
{
    CudaState *s = cuda_st(b);
    float ms = 0;
    if (cu.cudaEventRecord(s->ev_cur, s->stream) || cu.cudaEventSynchronize(s->ev_cur) ||
        cu.cudaEventElapsedTime(&ms, s->ev_last, s->ev_cur)) {
        cuda_report("event timing", 0, cu.cudaGetErrorString(cu.cudaGetLastError()));
        return s->clock_s;
    }
    cudaEvent_t t = s->ev_last;
    s->ev_last = s->ev_cur;
    s->ev_cur = t;
    s->clock_s += ms * 1e-3;
    return s->clock_s;
}

static void cuda_mem_info(Backend *b, BkMemInfo *m)
{
    m->allocated = cuda_st(b)->allocated;
    m->peak = cuda_st(b)->peak;
    cpu_rss(&m->rss, &m->rss_peak);
}

/* ---- open / shutdown ---- */

static void cuda_shutdown(Backend *b)
{
    CudaState *s = cuda_st(b);
    if (!s) return;
    if (s->stream) cu.cudaStreamSynchronize(s->stream);
    cuda_kernels_shutdown(b);
    while (s->nallocs) cuda_free(b, s->allocs[s->nallocs - 1].p); /* workspace and leaks */
    free(s->allocs);
    if (s->blas) cu.cublasDestroy_v2(s->blas);
    if (s->dnn) cu.cudnnDestroy(s->dnn);
    if (s->ev_last) cu.cudaEventDestroy(s->ev_last);
    if (s->ev_cur) cu.cudaEventDestroy(s->ev_cur);
    if (s->stream) cu.cudaStreamDestroy(s->stream);
    free(s);
    b->impl = NULL;
}

static int driver_entry(const char *sym, void *fnptr, BkError *err)
{
    void *p = NULL;
    enum cudaDriverEntryPointQueryResult q;
    cudaError_t e = cu.cudaGetDriverEntryPointByVersion(sym, &p, 12000, cudaEnableDefault, &q);
    if (e || q != cudaDriverEntryPointSuccess || !p) {
        snprintf(err->msg, sizeof err->msg, "cuda: driver entry point %s not found (%s)", sym,
                 e ? cu.cudaGetErrorString(e) : "driver too old");
        return -1;
    }
    memcpy(fnptr, &p, sizeof p);
    return 0;
}

static int open_device(CudaState *s, BkError *err)
{
    int n = 0;
    cudaError_t e = cu.cudaGetDeviceCount(&n);
    if (e || n == 0) {
        snprintf(err->msg, sizeof err->msg, "cuda: no device (%s)",
                 e ? cu.cudaGetErrorString(e) : "cudaGetDeviceCount returned 0");
        (void)cu.cudaGetLastError();
        return -1;
    }
    if (cuda_lib_load(1, err)) return -1;
    struct cudaDeviceProp prop;
    if (cuda_check(cu.cudaSetDevice(s->device), "cudaSetDevice", err) ||
        cuda_check(cu.cudaGetDeviceProperties(&prop, s->device), "cudaGetDeviceProperties", err))
        return -1;
    snprintf(s->devname, sizeof s->devname, "%s", prop.name);
    int cc = prop.major * 10 + prop.minor;
    if (cc < 80) {
        snprintf(err->msg, sizeof err->msg,
                 "cuda: %s has compute capability %d.%d; the generated "
                 "kernels target sm_80 and sm_90 (Ampere or newer)",
                 prop.name, prop.major, prop.minor);
        return -1;
    }
    s->sm = cc >= 90 ? 90 : 80; /* sm_80 PTX is JIT-compiled by the driver for 8.x */
    s->sms = prop.multiProcessorCount;
    size_t fr = 0, total = 0;
    if (cuda_check(cu.cudaMemGetInfo(&fr, &total), "cudaMemGetInfo", err)) return -1;
    s->ws_limit = fr / 8 < WS_LIMIT ? fr / 8 : WS_LIMIT;
    CudaDriver *d = &s->drv;
    if (driver_entry("cuModuleLoadData", &d->module_load_data, err) ||
        driver_entry("cuModuleGetFunction", &d->module_get_function, err) ||
        driver_entry("cuModuleUnload", &d->module_unload, err) ||
        driver_entry("cuLaunchKernel", &d->launch_kernel, err) ||
        driver_entry("cuGetErrorString", &d->get_error_string, err))
        return -1;
    if (cuda_check(cu.cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking), "cudaStreamCreate", err) ||
        cuda_check(cu.cudaEventCreate(&s->ev_last), "cudaEventCreate", err) ||
        cuda_check(cu.cudaEventCreate(&s->ev_cur), "cudaEventCreate", err) ||
        cuda_check(cu.cudaEventRecord(s->ev_last, s->stream), "cudaEventRecord", err))
        return -1;
    if (cudnn_check(cu.cudnnCreate(&s->dnn), "cudnnCreate", err) ||
        cudnn_check(cu.cudnnSetStream(s->dnn, s->stream), "cudnnSetStream", err))
        return -1;
    /* fp32 exactly: no TF32 tensor cores (the conformance tolerances assume fp32 math) */
    if (cublas_check(cu.cublasCreate_v2(&s->blas), "cublasCreate", err) ||
        cublas_check(cu.cublasSetStream_v2(s->blas, s->stream), "cublasSetStream", err) ||
        cublas_check(cu.cublasSetMathMode(s->blas, CUBLAS_DEFAULT_MATH), "cublasSetMathMode", err))
        return -1;
    return 0;
}

int backend_cuda_open(const BackendOptions *opt, Backend *b, BkError *err)
{
    memset(b, 0, sizeof *b);
    if (cuda_lib_load(0, err)) return -1;
    CudaState *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err->msg, sizeof err->msg, "cuda: out of memory");
        return -1;
    }
    b->impl = s;
    if (opt->precision < BK_PREC_FP32 || opt->precision > BK_PREC_FP16) {
        snprintf(err->msg, sizeof err->msg, "cuda: unknown precision %d", opt->precision);
        cuda_shutdown(b);
        return -1;
    }
    s->precision = opt->precision;
    if (open_device(s, err)) {
        cuda_shutdown(b);
        return -1;
    }
    /* opt->use_jit is ignored: a GPU has no plain-C reference path, kernels are always PTX */
    b->name = "cuda";
    b->threads = 1; /* host threads: the device does the work */
    b->shutdown = cuda_shutdown;
    b->alloc = cuda_alloc;
    b->free = cuda_free;
    b->to_device = cuda_to_device;
    b->to_host = cuda_to_host;
    b->fill_zero = cuda_fill_zero;
    b->copy_rows = cuda_copy_rows;
    b->plan_free = cuda_plan_free;
    b->sync = cuda_sync;
    b->now = cuda_now;
    b->mem_info = cuda_mem_info;
    b->mem_check = cuda_mem_check;
    cuda_dnn_install(b);
    cuda_blas_install(b);
    cuda_kernels_install(b);
    return 0;
}
