/* cuda_kernels.c — the fused kernels on the GPU: the same CgSpec the CPU JIT compiles, emitted
 * as PTX by compiler/codegen (cg_ptx_emit, NVPTX sm_80/sm_90), loaded with cuModuleLoadData
 * and launched with cuLaunchKernel on the backend's stream. Modules are cached by spec hash. */
#include "cuda_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static const char *drv_error(const CudaState *s, CUresult r)
{
    const char *t = NULL;
    if (s->drv.get_error_string(r, &t) != CUDA_SUCCESS || !t) t = "unknown driver error";
    return t;
}

/* The spec's kernel, compiled (or found: cached by cg_spec_hash, which covers the whole spec,
 * as the CPU JIT caches). NULL with err on failure. */
static CUfunction kernel_get(Backend *b, const CgSpec *spec, BkError *err)
{
    CudaState *s = cuda_st(b);
    CgError ce;
    if (cg_spec_check(spec, &ce)) {
        snprintf(err->msg, sizeof err->msg, "kernel: %.480s", ce.msg);
        return NULL;
    }
    uint64_t h = cg_spec_hash(spec);
    for (int i = 0; i < s->nmods; i++)
        if (s->mods[i].hash == h) return s->mods[i].fn;
    if (s->nmods == s->capmods) {
        int cap = s->capmods ? 2 * s->capmods : 32;
        CudaModule *nm = realloc(s->mods, sizeof *nm * (size_t)cap);
        if (!nm) {
            snprintf(err->msg, sizeof err->msg, "cuda: out of memory");
            return NULL;
        }
        s->mods = nm;
        s->capmods = cap;
    }
    double t0 = wall_ms();
    char name[32], *ptx = NULL;
    snprintf(name, sizeof name, "nas_%016llx", (unsigned long long)h);
    if (cg_ptx_emit(spec, s->sm, name, &ptx, &ce)) {
        snprintf(err->msg, sizeof err->msg, "PTX: %.480s", ce.msg);
        return NULL;
    }
    CudaModule m = {h, NULL, NULL};
    CUresult r = s->drv.module_load_data(&m.mod, ptx);
    free(ptx);
    if (r == CUDA_SUCCESS) r = s->drv.module_get_function(&m.fn, m.mod, name);
    if (r != CUDA_SUCCESS) {
        snprintf(err->msg, sizeof err->msg, "cuda: loading kernel %s for sm_%d: %s", name, s->sm, drv_error(s, r));
        if (m.mod) s->drv.module_unload(m.mod);
        return NULL;
    }
    s->mods[s->nmods++] = m;
    s->jit_ms += wall_ms() - t0;
    return m.fn;
}

static int cuda_kernel_build(Backend *b, BkKernel *k, BkError *err)
{
    k->fn = kernel_get(b, &k->spec, err);
    return k->fn ? 0 : -1;
}

/* Parameters as codegen.h's PTX contract says: one pointer per buffer slot, then one f32
 * per scalar slot, by value. The grid-stride loop accepts any grid: enough blocks to fill
 * every multiprocessor several times, fewer for small domains. */
static void cuda_kernel_run(Backend *b, const BkKernel *k, void *const *bufs, const float *scalars)
{
    CudaState *s = cuda_st(b);
    int64_t n = cg_spec_domain(&k->spec, CG_TARGET_PTX);
    if (n <= 0) return;
    /* A kernel the caller never built (exec.c skips specs with no ops, which includes the
     * training loss: a CG_SOFTMAX_XENT spec has none) is compiled on its first run. */
    CUfunction fn = k->fn;
    if (!fn) {
        BkError err;
        if (!(fn = kernel_get(b, &k->spec, &err))) {
            cuda_report("kernel build", 0, err.msg);
            return;
        }
    }
    void *ptr[CG_MAX_BUFS], *args[CG_MAX_BUFS + CG_MAX_SCALARS];
    float sc[CG_MAX_SCALARS];
    int na = 0;
    for (int i = 0; i < k->spec.nbufs; i++) {
        ptr[i] = bufs[i];
        args[na++] = &ptr[i];
    }
    for (int i = 0; i < k->spec.nscalars; i++) {
        sc[i] = scalars ? scalars[i] : 0.0f;
        args[na++] = &sc[i];
    }
    int64_t blocks = (n + 255) / 256, cap = (int64_t)s->sms * 16;
    if (blocks > cap) blocks = cap;
    if (blocks > 65535) blocks = 65535;
    CUresult r = s->drv.launch_kernel(fn, (unsigned)blocks, 1, 1, 256, 1, 1, 0, (CUstream)s->stream, args, NULL);
    if (r != CUDA_SUCCESS) cuda_report("cuLaunchKernel", (int)r, drv_error(s, r));
}

static double cuda_jit_ms(Backend *b) { return cuda_st(b)->jit_ms; }

void cuda_kernels_shutdown(Backend *b)
{
    CudaState *s = cuda_st(b);
    for (int i = 0; i < s->nmods; i++) s->drv.module_unload(s->mods[i].mod);
    free(s->mods);
    s->mods = NULL;
    s->nmods = s->capmods = 0;
}

void cuda_kernels_install(Backend *b)
{
    b->kernel_build = cuda_kernel_build;
    b->kernel_run = cuda_kernel_run;
    b->jit_ms = cuda_jit_ms;
}
