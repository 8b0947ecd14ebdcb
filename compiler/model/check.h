/* check.h — whole-space checks: does every architecture of the space instantiate (types and
 * shapes), and what are the bounds of params, MACs and training memory over the space.
 *
 * The verdict comes from the static check (check_static.c): sets of shapes per block
 * instance, without enumerating the space; it is a proof unless a decision is continuous or
 * wider than 64 values (then tried at three points) or the budget runs out, and says so.
 * The bounds come from instantiating architectures: all of them when the space holds at most
 * `exhaustive_limit` (exact), else `samples` drawn uniformly (and the result says so). */
#ifndef NAS_CHECK_H
#define NAS_CHECK_H
#include <stdbool.h>
#include <stdint.h>
#include "model.h"

typedef struct CheckOptions {
    double exhaustive_limit; /* default 256 */
    int samples;             /* default 64 */
    uint64_t seed;           /* default 1 */
    int64_t batch;           /* training memory at this batch (default 128) */
    int optim_slots;         /* 1 = SGD momentum (default), 2 = Adam */
    int64_t static_budget;   /* evaluations the static check may take (default 20000) */
    /* A proxy's candidate: the check of the graphs built at a resolution [C, r, w] instead of the
     * declared [C, H, W] (config_proxy_input) and/or at a width multiplier, a failure reported as
     * NAS0903 at scale_at; {0}: the declared model. */
    ModelScale scale;
    Loc scale_at;
} CheckOptions;

typedef struct CheckBound {
    int64_t min, max;
} CheckBound;

typedef struct CheckResult {
    bool proven;          /* the static check covered every architecture (check_static.c) */
    bool static_complete; /* it finished (within its budget), continuous decisions sampled */
    int64_t static_runs;  /* instance and model evaluations it took */
    bool static_bounds;   /* params and MACs over every building architecture, from the
                                  static check (exact when proven) */
    CheckBound static_params, static_macs;
    bool static_loose;          /* proven, but the bounds may not be attained: shared decisions made the
                          extremes of different instances disagree, and the exact pass stopped */
    bool exhaustive;            /* every architecture was instantiated (for the bounds) */
    int64_t checked;            /* architectures instantiated */
    int64_t instantiate_failed; /* of those, how many have no graph */
    int64_t failed;             /* failing evaluations the static check met */
    int errors_reported;        /* distinct failures reported as diagnostics */
    CheckBound params, macs, train_bytes, infer_bytes;
    int64_t width_same; /* at a width alone (scale.width, no input): built architectures whose graph
                           is the declared one's (graph_hash), the width changing none of them */
} CheckResult;

CheckOptions check_defaults(void);

/* Instantiates the architectures and reports each distinct failure (by source location and
 * message) once as NAS0901 in the program's Diag, with a counterexample: its decisions and
 * its architecture ID. Returns 0 when every checked architecture is fine. */
int check_space(const ModelSpace *ms, const CheckOptions *opt, CheckResult *out);

/* A proxy's candidates whose graphs differ from the declared model's (c->proxy): check_space again
 * at each resolution below the full one, each width below 1, and each combination of the two, its
 * failures NAS0903 at the resolution or the width; a width that changes none of the architectures
 * checked (no conv2d or pointwise, or their filters round back) NAS0904 there. buf: "[1, 14, 14]
 * (proven), width 0.5 (proven), [1, 14, 14] at width 0.5 (proven)" for a summary. */
void check_proxy_scales(const ModelSpace *ms, const CheckOptions *co, const NasConfig *c, char *buf, size_t size);

/* Writes "name=value, ..." for the active decisions of arch (for notes and listings). */
void check_format_decisions(const Space *s, const int32_t *arch, char *buf, size_t size);
#endif
