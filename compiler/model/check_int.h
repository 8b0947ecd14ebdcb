/* check_int.h — between the two whole-space checks (check.c, check_static.c). */
#ifndef NAS_CHECK_INT_H
#define NAS_CHECK_INT_H
#include "check.h"

/* A failing architecture: err says what and where; arch is a full architecture showing it.
 * lint: not a failure but a warning about it (the architecture builds). */
typedef void (*CheckReport)(void *ctx, const ModelError *err, const int32_t *arch, bool lint);

/* The static check (see check_static.c). Returns 1 when it proved the verdict for every
 * architecture; fills r->proven, r->static_complete, r->static_runs, counts r->failed. */
int check_static(const ModelSpace *ms, CheckResult *r, CheckReport report, void *ctx, int64_t budget);
#endif
