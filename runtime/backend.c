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
