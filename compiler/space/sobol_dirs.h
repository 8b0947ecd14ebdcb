/* sobol_dirs.h — the Joe-Kuo direction-number table (sobol_dirs.c) for dimensions 2..128. */
#ifndef NAS_SOBOL_DIRS_H
#define NAS_SOBOL_DIRS_H
#include <stdint.h>

#define SOBOL_DIRS_COUNT 127 /* dimensions 2 .. 128 */
typedef struct SobolDir {
    uint8_t s;
    uint16_t a;
    uint16_t m[10];
} SobolDir;
extern const SobolDir sobol_dirs[SOBOL_DIRS_COUNT];
#endif
