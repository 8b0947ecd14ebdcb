/* backend_cpu.h — opening the CPU backend (for the registry) and process memory figures. */
#ifndef NAS_BACKEND_CPU_H
#define NAS_BACKEND_CPU_H
#include <stddef.h>
#include "backend.h"

int backend_cpu_open(const BackendOptions *opt, Backend *b, BkError *err);
void cpu_rss(size_t *rss, size_t *peak); /* VmRSS and VmHWM of this process, bytes */
/* Keeps the JIT's kernels in dir across processes (cg_jit_set_cache_dir); a no-op on another
 * backend, without the JIT, or with dir NULL. */
void backend_cpu_set_jit_cache(Backend *b, const char *dir);
#endif
