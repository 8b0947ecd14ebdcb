/* check.h — whole-space checks: does every architecture of the space instantiate (types and
 * shapes), and what are the bounds of params, MACs and training memory over the space.
 *
 * Today's method: when the space holds at most `exhaustive_limit` architectures every one is
 * instantiated, so the verdict and the bounds are exact; above that, `samples` architectures
 * are drawn (uniform, seeded) and the result says it is sampled (no proof). The static,
 * abstract-interpretation proof over sets of shapes is not built yet. */
#ifndef NAS_CHECK_H
#define NAS_CHECK_H
#include <stdbool.h>
#include <stdint.h>
#include "model.h"

typedef struct CheckOptions {
    double exhaustive_limit;   /* default 1e5 */
    int samples;               /* default 2000 */
    uint64_t seed;             /* default 1 */
    int64_t batch;             /* training memory at this batch (default 128) */
    int optim_slots;           /* 1 = SGD momentum (default), 2 = Adam */
} CheckOptions;

typedef struct CheckBound { int64_t min, max; } CheckBound;

typedef struct CheckResult {
    bool exhaustive;           /* every architecture was instantiated */
    int64_t checked;           /* architectures instantiated */
    int64_t failed;            /* of those, how many have no graph */
    int errors_reported;       /* distinct failures reported as diagnostics */
    CheckBound params, macs, train_bytes, infer_bytes;
} CheckResult;

CheckOptions check_defaults(void);

/* Instantiates the architectures and reports each distinct failure (by source location and
 * message) once as NAS0901 in the program's Diag, with a counterexample: its decisions and
 * its architecture ID. Returns 0 when every checked architecture is fine. */
int check_space(const ModelSpace *ms, const CheckOptions *opt, CheckResult *out);

/* Writes "name=value, ..." for the active decisions of arch (for notes and listings). */
void check_format_decisions(const Space *s, const int32_t *arch, char *buf, size_t size);
#endif
