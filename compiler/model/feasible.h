/* feasible.h — the architectures that satisfy a hard constraint on an additive figure
 * (params, or MACs for FLOPs = 2 x MACs): their exact number, and random draws from them
 * without rejection (docs/language.md, "Hard constraints and the feasible set").
 *
 * How. The exact pass of the static check (check_static.c) walks the model once per path of
 * its own (and the shared) decisions, and each block instance once per argument tuple; its
 * runs are recorded here. A figure is a sum over the instances, so per result of an instance
 * the distribution "figure -> how many ways (and what probability)" composes by convolution
 * into its caller's. Each set of runs becomes a trie of choices, merged into a DAG where
 * subtrees are identical (the states of a chain: what the rest depends on), and every node
 * keeps the distribution of the rest of the figure below it, truncated at the bound (every
 * term is >= 0). The count is exact (128-bit integers); a draw picks a total in the bound
 * with probability proportional to its mass, then walks down choosing each edge by the mass
 * that still reaches that total — no rejection.
 *
 * "Uniform from the feasible set". Under `sampling uniform` every feasible architecture is
 * equally likely. Under `sampling decisions` (the default) a draw has the distribution the
 * table's own sampler would give conditioned on feasibility, i.e. what rejection sampling
 * would give: an architecture's probability is prod(1/arity) over its active decisions,
 * renormalised over the feasible ones.
 *
 * Where the structure defeats the DP (a walk past its budget, a decision of more than 64
 * values or a float that shapes the graph, architectures that do not build, more
 * distribution entries than the budget, a count past 2^128) the count is not known, *info
 * says why, and nothing is installed: draws stay those of the table (and infeasible
 * proposals are rejected at run time). Never a wrong count. */
#ifndef NAS_FEASIBLE_H
#define NAS_FEASIBLE_H
#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "model.h"

typedef enum FeasFigure { FEAS_PARAMS, FEAS_MACS } FeasFigure;

/* figure in [lo, hi] (inclusive, at batch 1). */
typedef struct FeasBound {
    FeasFigure figure;
    int64_t lo, hi;
    char text[96]; /* the constraints it comes from, for messages: "params <= 100000" */
} FeasBound;

typedef struct FeasInfo {
    bool known;      /* count is exact */
    char count[48];  /* feasible architectures (decimal), when known */
    char why[200];   /* not known: why */
    double fraction; /* the chance that a draw of the whole space is feasible: what
                          rejection sampling accepts (under the same sampling) */
    int64_t states;  /* distribution entries the DP kept */
    double seconds;  /* the DP's time (the walk included) */
} FeasInfo;

typedef struct Feasible Feasible;

/* The bound a reward's hard constraints put on params / FLOPs. 1: *b set; 0: no hard
 * constraint on those; -1: one the DP cannot take (memory, latency; two figures), why set. */
int feasible_bound(const NasReward *rw, FeasBound *b, char *why, size_t size);

/* Counts the feasible architectures of ms's space and prepares draws weighted as `how` says.
 * NULL when the count is not known (info->why) or out of memory. Owns its memory. */
Feasible *feasible_new(const ModelSpace *ms, const FeasBound *b, SpaceSampling how, FeasInfo *info);
/* A feasible architecture (a canonical vector of space_count entries). Deterministic in r. */
void feasible_sample(const Feasible *f, SpaceRng *r, int32_t *arch);
void feasible_free(Feasible *f);
/* Makes f the draws of ms's space (space_set_sampler): every space_sample — nasc --sample,
 * every controller's random proposals — draws from the feasible set. f NULL: the table's
 * own again. f must outlive the space's use. */
void feasible_install(ModelSpace *ms, const Feasible *f);
#endif
