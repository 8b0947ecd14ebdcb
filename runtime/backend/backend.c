/* backend.c — the backend registry: the only place that knows which backends were built. */
#include "backend.h"
#include "backend_cpu.h"
#include <stdio.h>
#include <string.h>

#ifdef NAS_HAVE_CUDA
int backend_cuda_open(const BackendOptions *opt, Backend *b, BkError *err);
#endif

const char *backend_list(void)
{
#ifdef NAS_HAVE_CUDA
    return "cpu cuda";
#else
    return "cpu";
#endif
}

int backend_open(const char *name, const BackendOptions *opt, Backend *b, BkError *err)
{
    if (!name || !strcmp(name, "cpu")) return backend_cpu_open(opt, b, err);
#ifdef NAS_HAVE_CUDA
    if (!strcmp(name, "cuda")) return backend_cuda_open(opt, b, err);
    if (!strcmp(name, "auto") && backend_cuda_open(opt, b, err) == 0) return 0;
#endif
    if (!strcmp(name, "auto")) return backend_cpu_open(opt, b, err);
    snprintf(err->msg, sizeof err->msg, "unknown backend '%s' (built: %s)", name, backend_list());
    return -1;
}

void backend_close(Backend *b)
{
    if (b->shutdown) b->shutdown(b);
    b->shutdown = NULL;
}

void backend_kernel_run(Backend *b, const BkKernel *k, void *const *bufs, const float *scalars)
{
    if (k->spec.kind == CG_CHANNEL_SUM)
        for (int op = 0; op < k->spec.nops; op++)
            if (k->spec.ops[op].kind == CG_ACCUM) b->fill_zero(b, bufs[k->spec.ops[op].buf], k->spec.channels);
    b->kernel_run(b, k, bufs, scalars);
}

static const char *const precisions[] = {"fp32", "bf16", "fp16"};

int backend_precision_parse(const char *name, int *prec, BkError *err)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, precisions[i])) {
            *prec = i;
            return 0;
        }
    snprintf(err->msg, sizeof err->msg, "unknown precision '%s' (fp32, bf16, or fp16 on cuda)", name ? name : "");
    return -1;
}

const char *backend_precision_name(int prec) { return prec >= 0 && prec < 3 ? precisions[prec] : "?"; }
