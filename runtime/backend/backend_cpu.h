/* backend_cpu.h — opening the CPU backend (for the registry) and process memory figures. */
#ifndef NAS_BACKEND_CPU_H
#define NAS_BACKEND_CPU_H
#include <stddef.h>
#include "backend.h"

int backend_cpu_open(const BackendOptions *opt, Backend *b, BkError *err);
void cpu_rss(size_t *rss, size_t *peak); /* VmRSS and VmHWM of this process, bytes */
#endif
