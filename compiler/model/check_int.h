/* check_int.h — between the two whole-space checks (check.c, check_static.c). */
#ifndef NAS_CHECK_INT_H
#define NAS_CHECK_INT_H
#include "check.h"

/* A failing architecture: err says what and where; arch is a full architecture showing it.
 * lint: not a failure but a warning about it (the architecture builds). */
typedef void (*CheckReport)(void *ctx, const ModelError *err, const int32_t *arch, bool lint);

/* The static check (see check_static.c), of the graphs a proxy's candidate builds (CheckOptions.scale;
 * NULL: the declared model's). Returns 1 when it proved the verdict for every
 * architecture; fills r->proven, r->static_complete, r->static_runs, counts r->failed. */
int check_static(const ModelSpace *ms, const ModelScale *scale, CheckResult *r, CheckReport report, void *ctx,
                 int64_t budget);

/* What the feasible-set DP (feasible.c) reads of the exact pass: every run of a block
 * instance (or of the model) that builds, as the path of its choices in the walk's order. */
typedef enum FeasKind {
    FEAS_DEC,    /* a decision the walk tries at every value (points of them) */
    FEAS_FREE,   /* a float tried at a few points (check_static.c): drawn on its own */
    FEAS_NESTED, /* a nested instance: which of its results (memo, outcome) this run took */
} FeasKind;
typedef struct FeasItem {
    FeasKind kind;
    int32_t slot, val, points;
    const void *memo; /* identity only: never read */
    int outcome, nested;
    unsigned live; /* NESTED: the subset of its results reaching the run's (bit i: result i): what counts */
} FeasItem;
typedef struct FeasRec FeasRec;
/* A run of `owner` (NULL: the model) giving its outcome number `outcome`, seen from a caller
 * using the subset `mask` of its results (bit i: result i; the model: 1): its own layers
 * reaching them (nested instances excluded) cost params / macs. items: copied. */
void feas_rec_run(FeasRec *rec, const void *owner, int outcome, unsigned mask, const FeasItem *items, int n,
                  int64_t params, int64_t macs);
/* The exact pass alone (shared decisions enumerated at the top), each run given to rec. 0
 * when it covered every architecture exactly; else -1 and why says what stopped it. */
int check_static_record(const ModelSpace *ms, FeasRec *rec, int64_t budget, char *why, size_t size);
#endif
