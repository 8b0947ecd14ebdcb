/* feasible.h — the architectures that satisfy hard constraints on additive figures
 * (params, MACs for FLOPs = 2 x MACs, or both at once): their exact number, random draws
 * from them without rejection, and a membership test for the controllers' moves
 * (docs/language.md, "Hard constraints and the feasible set").
 *
 * How. The exact pass of the static check (check_static.c) walks the model once per path of
 * its own (and the shared) decisions, and each block instance (and loop tail) once per
 * argument tuple; its runs are recorded here. A figure is a sum over the instances, so per
 * outcome of an instance the distribution "figure -> how many ways (and what probability)"
 * composes by convolution into its caller's. An instance of several results (a loop tail
 * carrying a cell's two previous outputs) counts the layers reaching those its caller uses, so
 * its runs are recorded once per subset of its results, each with that subset's figures, and a
 * caller's run convolves with the distribution of the subset live in it (none: only the ways). Each set of runs becomes a trie of choices, merged into a DAG where
 * subtrees are identical (the states of a chain: what the rest depends on), and every node
 * keeps the distribution of the rest of the figure below it, truncated at the bound (every
 * term is >= 0). The count is exact (128-bit integers); a draw picks a total in the bound
 * with probability proportional to its mass, then walks down choosing each edge by the mass
 * that still reaches that total — no rejection. With bounds on both figures a total is the
 * pair (params, MACs), packed into one integer key params * (MACs bound + 1) + MACs (a sum
 * of two in-bound keys is the key of the sum as long as the MACs stay in bound, which is
 * checked): the same tables, two-dimensional, every entry outside the box dropped.
 *
 * "Uniform from the feasible set". Under `sampling uniform` every feasible architecture is
 * equally likely. Under `sampling decisions` (the default) a draw has the distribution the
 * table's own sampler would give conditioned on feasibility, i.e. what rejection sampling
 * would give: an architecture's probability is prod(1/arity) over its active decisions,
 * renormalised over the feasible ones.
 *
 * Where the structure defeats the DP (a walk past its budget, a decision of more than 64
 * values or a float that shapes the graph, architectures that do not build, more
 * distribution entries than the budget, a count past 2^128, two bounds whose packed key
 * does not fit 62 bits) the count is not known, *info says why, and nothing is installed:
 * draws stay those of the table, every architecture passes space_feasible (and infeasible
 * proposals are rejected at run time). Never a wrong count. */
#ifndef NAS_FEASIBLE_H
#define NAS_FEASIBLE_H
#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "model.h"

typedef enum FeasFigure { FEAS_PARAMS, FEAS_MACS } FeasFigure;

/* Each figure with on[f] in [lo[f], hi[f]] (inclusive, at batch 1): a bound on params, on
 * MACs, or on both (the DP's key is then the pair: see feasible.c). */
typedef struct FeasBound {
    bool on[2]; /* indexed by FeasFigure */
    int64_t lo[2], hi[2];
    char text[160]; /* the constraints it comes from, for messages: "params <= 100000" */
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

/* The bound a reward's hard constraints put on params and / or FLOPs. 1: *b set; 0: no hard
 * constraint on those; -1: one the DP cannot take (memory, latency, !=), why set. */
int feasible_bound(const NasReward *rw, FeasBound *b, char *why, size_t size);

/* Counts the feasible architectures of ms's space and prepares draws weighted as `how` says.
 * NULL when the count is not known (info->why) or out of memory. Owns its memory. */
Feasible *feasible_new(const ModelSpace *ms, const FeasBound *b, SpaceSampling how, FeasInfo *info);
/* A feasible architecture (a canonical vector of space_count entries). Deterministic in r. */
void feasible_sample(const Feasible *f, SpaceRng *r, int32_t *arch);
void feasible_free(Feasible *f);
/* The bounded figures of a canonical architecture read off the DP's tables (no graph is
 * built): fig[FEAS_PARAMS] / fig[FEAS_MACS] for those the bound is on (the others 0). false
 * when arch is no path of the tables (not a valid canonical vector of the space). */
bool feasible_figures(const Feasible *f, const int32_t *arch, int64_t fig[2]);
/* Is arch within the bound? (feasible_figures, then the box.) */
bool feasible_contains(const Feasible *f, const int32_t *arch);
/* Makes f the draws and the feasibility test of ms's space (space_set_sampler): every
 * space_sample — nasc --sample, every controller's random proposals — draws from the
 * feasible set, and space_feasible (mutation, crossover, the controllers' candidate
 * searches) says whether an architecture is in it. f NULL: the table's own draws again, and
 * every architecture feasible. f must outlive the space's use. */
void feasible_install(ModelSpace *ms, const Feasible *f);
#endif
