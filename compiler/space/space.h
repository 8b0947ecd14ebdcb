/* space.h — the Space IR: a flat table of decisions (the "compact sampler") and everything a
 * controller does with it: exact size, architecture IDs, random/grid/Sobol sampling, mutation
 * and crossover. Self-contained (no AST): the runtime and controllers include only this.
 *
 * TABLE. Decisions are added in topological order: a decision's parents (the decisions its
 * existence depends on) always have smaller indices. A decision with no parent always exists.
 * A conditional decision has one GUARD per parent and exists iff every guard holds (a
 * conjunction): the parent exists AND the parent's slot value lies in one of the guard's
 * intervals; nesting follows from the first rule. A guard whose parent is a k-of-n subset
 * names one ELEMENT i instead (cond = [i, i]): it holds iff the subset picked element i (a
 * decision inside that element of the list); such a guard is a decision's only one, and the
 * subset's share of the size is e_k of its elements' counts, not a product. The exact size with guards over several
 * parents sums over the CASES of the decisions that are a second parent somewhere (each
 * inactive or in one class of values the guards tell apart), separately in each group of
 * decisions that guards connect: at most SPACE_CASES_MAX per group. The lowering
 * (model_lower, model.h) decides what becomes a slot: a top-level `let x = choice ...` is ONE slot
 * named "x" that every use reads; a `choice` inside a block body is one slot PER INSTANCE,
 * named by the instance path ("stage[1].kernel"); an unnamed one is "choice@LINE:COL"
 * (qualified the same way). `oneof` is a categorical slot whose branches condition their
 * decisions on value == branch index; `repeat` over a decided count conditions the extra
 * iterations on count index >= i; `if` over a decided value conditions on the value set.
 *
 * ARCHITECTURE. An int32 vector, one slot per decision (length space_count()):
 *   categorical / oneof : index into the value list, 0 .. arity-1
 *   int range           : grid index i, value = lo + i*step
 *   float range, step   : grid index i, value = lo + i*step (log: lo * step^i, step > 1)
 *   float range, no step: CONTINUOUS, quantised to SPACE_FINE_POINTS points including both
 *                         ends: q in 0 .. SPACE_FINE_POINTS-1, value = lo + (hi-lo)*q/(P-1)
 *                         (log: exp of the same interpolation in log space). Exact in IDs.
 *   bool                : 0 false, 1 true
 *   k-of-n subset       : the colex rank of the pick, 0 .. C(n,k)-1 (n <= SPACE_SUBSET_MAX_N and
 *                         C(n,k) <= 2^31 - 1, the one limit of every decision's values); its
 *                         elements by space_subset_picks / space_subset_has, never by bits
 * Inactive slots hold SPACE_INACTIVE (-1), so equal architectures are equal vectors.
 *
 * ID. "1" (format version) + Crockford base32 digits (0-9A-Z without I L O U, most significant
 * first) of the mixed-radix number over the ACTIVE decisions (decision 0 is the least
 * significant digit) + 2 check characters derived from the digits and the table's shape, so
 * a typo or an ID from another space is reported. Decoding accepts lowercase and i/l/o.
 *
 * RNG. Every random function takes an explicit SpaceRng (xoshiro256**, seeded by splitmix64):
 * the same space + seed gives the same architectures on every machine. */
#ifndef NAS_SPACE_H
#define NAS_SPACE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rng.h"

#define SPACE_INACTIVE       (-1)
#define SPACE_FINE_POINTS    (1 << 20) /* grid of a continuous float range */
#define SPACE_SUBSET_MAX_N   1024      /* elements of a subset's list (its picks: an int32 slot) */
#define SPACE_SOBOL_MAX_DIMS 128  /* Joe-Kuo table carried in sobol_dirs.c */
#define SPACE_CASES_MAX      4096 /* per group: combinations of second parents' classes (TABLE) */

typedef enum SpaceKind {
    SPACE_CATEGORICAL, /* choice [..] and oneof [..] */
    SPACE_INT_RANGE,
    SPACE_FLOAT_RANGE,
    SPACE_BOOL,
    SPACE_SUBSET,
} SpaceKind;

typedef enum SpaceValueType { SPACE_VAL_INT, SPACE_VAL_FLOAT, SPACE_VAL_LABEL } SpaceValueType;

typedef enum SpaceStatus {
    SPACE_OK = 0,
    SPACE_E_ARG,          /* invalid construction argument (empty list, lo > hi, bad k ...) */
    SPACE_E_DUPLICATE,    /* a decision with this name already exists */
    SPACE_E_PARENT,       /* parent index not earlier, or parent continuous */
    SPACE_E_INVALID_ARCH, /* an active slot out of range, or an inactive slot not -1 */
    SPACE_E_ID_EMPTY,     /* ID shorter than version + 1 digit + 2 check characters */
    SPACE_E_ID_VERSION,   /* unknown format version character */
    SPACE_E_ID_CHAR,      /* a character outside Crockford base32 */
    SPACE_E_ID_CHECKSUM,  /* check characters do not match: a typo, or another space */
    SPACE_E_ID_RANGE,     /* the number is larger than any architecture of this space */
    SPACE_E_TOO_BIG,      /* the number needs more bits than the bigint holds (4096) */
    SPACE_E_DIMS,         /* Sobol: more decisions than the direction-number table */
    SPACE_E_NOMEM,
    SPACE_E_BUFFER,       /* output buffer too small */
    SPACE_E_NO_MOVE,      /* mutation: no active decision has a second value */
    SPACE_E_ARITY,        /* more than INT32_MAX values in one decision (a subset: C(n,k) picks) */
    SPACE_E_SUBSET_N,     /* a subset of more than SPACE_SUBSET_MAX_N elements */
    SPACE_E_CASES,        /* guards over several parents: a group of more than SPACE_CASES_MAX cases */
    SPACE_E_SUBSET_GUARD, /* a guard on a subset's element with another guard, or a second guard on a
                             decision inside a subset's element (not counted: refused) */
} SpaceStatus;

/* An error with a message; pos is the 0-based character of an ID, or the slot, else -1. */
typedef struct SpaceError {
    SpaceStatus code;
    int pos;
    char msg[160];
} SpaceError;

typedef struct SpaceLoc {
    const char *file;
    int line, col;
} SpaceLoc; /* 1-based; 0 unknown */
typedef struct SpaceInterval {
    int32_t lo, hi;
} SpaceInterval; /* inclusive */

/* One conjunct of a decision's condition: `parent` exists and holds a value in one interval. */
typedef struct SpaceGuard {
    int parent;
    int ncond;
    const SpaceInterval *cond; /* sorted, disjoint, not adjacent */
} SpaceGuard;

/* One decision (read-only for users; the table owns every pointer). */
typedef struct SpaceDecision {
    SpaceKind kind;
    const char *name;
    SpaceLoc loc;
    int32_t arity;   /* distinct slot values: C(n,k) for subsets, FINE_POINTS if continuous */
    bool continuous; /* float range without step: infinite in the size */
    /* categorical */
    SpaceValueType vtype;
    const int64_t *ints;
    const double *floats;
    const char *const *labels;
    /* ranges: int uses ilo/istep, float uses flo/fhi/fstep (0 when continuous), log */
    int64_t ilo, istep;
    double flo, fhi, fstep;
    bool log;
    /* subset: k of n; labels (may be NULL) name the n elements */
    int k, n;
    /* condition: exists iff every guard holds. guards are sorted by parent, latest first;
     * parent/ncond/cond repeat guards[0] (the latest parent: the count's tree parent), the
     * whole condition when nguard == 1. */
    int parent; /* -1: unconditional */
    int ncond;
    const SpaceInterval *cond;
    int nguard;
    const SpaceGuard *guards;
} SpaceDecision;

typedef struct Space Space;

Space *space_new(void); /* NULL on out of memory */
void space_free(Space *s);

/* Construction: each returns the new decision's index (>= 0), or -SpaceStatus on error.
 * name NULL is allowed only if a derived name is wanted ("choice@LINE:COL"). Strings and
 * arrays are copied. */
int space_add_ints(Space *s, const char *name, SpaceLoc loc, int n, const int64_t *vals);
int space_add_floats(Space *s, const char *name, SpaceLoc loc, int n, const double *vals);
int space_add_labels(Space *s, const char *name, SpaceLoc loc, int n, const char *const *labels);
int space_add_int_range(Space *s, const char *name, SpaceLoc loc, int64_t lo, int64_t hi, int64_t step);
/* step 0: continuous. log: lo > 0, and a step is a factor > 1 (geometric grid). */
int space_add_float_range(Space *s, const char *name, SpaceLoc loc, double lo, double hi, double step, bool log);
int space_add_bool(Space *s, const char *name, SpaceLoc loc);
int space_add_subset(Space *s, const char *name, SpaceLoc loc, int k, int n, const char *const *labels);
/* Make decision d exist only when `parent` (index < d, discrete) exists and
 * holds a value in [lo, hi]. Call again with the same parent to add more intervals (either
 * holds), with another parent to add a guard (both must hold). SPACE_E_CASES (nothing
 * changed) when the new guard makes more than SPACE_CASES_MAX cases. A subset parent: lo ==
 * hi is an element index (d exists iff that element is picked), one call only (SPACE_E_ARG);
 * SPACE_E_SUBSET_GUARD (nothing changed) when it would not be d's only guard, or when a
 * second guard's parent lies inside a subset's element. */
SpaceStatus space_when(Space *s, int d, int parent, int32_t lo, int32_t hi);

/* Reading the table. */
int space_count(const Space *s);
const SpaceDecision *space_decision(const Space *s, int d);
int space_find(const Space *s, const char *name); /* index or -1 */
/* Values of slot v of decision d (v active). Numeric kinds convert; bool is 0/1. */
int64_t space_value_int(const Space *s, int d, int32_t v);
double space_value_float(const Space *s, int d, int32_t v);
/* Display text: "32", "0.001", "conv2d", "true", "{a,c}". Returns snprintf's length. */
int space_value_format(const Space *s, int d, int32_t v, char *buf, size_t size);
/* The inverse: the slot whose display text is `text` (a subset as "{a,c}" with its labels or
 * element numbers, in any order). SPACE_E_ARG with a message when no value of d reads so. */
SpaceStatus space_value_parse(const Space *s, int d, const char *text, int32_t *v, SpaceError *err);

/* A subset's picks (d a subset, v an active slot value): its k elements in ascending order
 * into out (room for k; returns k); whether element e is among them; the slot value of the k
 * distinct elements in elems (any order; sorted in place); v with picked element `drop`
 * replaced by the unpicked `add`. Colex ranks over a per-subset table of binomials: O(k log n). */
int space_subset_picks(const Space *s, int d, int32_t v, int *out);
bool space_subset_has(const Space *s, int d, int32_t v, int e);
int32_t space_subset_value(const Space *s, int d, int *elems);
int32_t space_subset_swap(const Space *s, int d, int32_t v, int drop, int add);

/* Size. Exact number of distinct architectures; continuous decisions count once (their
 * discrete part), and *continuous says the true size is infinite. decimal: NUL-terminated
 * digits written to buf (SPACE_E_BUFFER / SPACE_E_TOO_BIG on overflow). */
SpaceStatus space_size(const Space *s, char *buf, size_t size, bool *continuous);
double space_size_log10(const Space *s); /* of the discrete part, exact-ish double */

/* Architectures. */
bool space_is_active(const Space *s, const int32_t *arch, int d);
void space_canonicalize(const Space *s, int32_t *arch); /* inactive slots := -1 */
SpaceStatus space_validate(const Space *s, const int32_t *arch, SpaceError *err);
bool space_arch_equal(const Space *s, const int32_t *a, const int32_t *b); /* canonical view */
uint64_t space_arch_hash(const Space *s, const int32_t *arch);             /* FNV-1a, canonical view */

/* IDs. space_id_len bounds the ID length (with NUL) for any architecture of s. */
size_t space_id_len(const Space *s);
SpaceStatus space_arch_to_id(const Space *s, const int32_t *arch, char *buf, size_t size, SpaceError *err);
SpaceStatus space_id_to_arch(const Space *s, const char *id, int32_t *arch, SpaceError *err);

/* Randomness. */
typedef Rng SpaceRng; /* base/rng.h: one generator for the whole project */
void space_rng_seed(SpaceRng *r, uint64_t seed);
uint64_t space_rng_next(SpaceRng *r);
uint32_t space_rng_below(SpaceRng *r, uint32_t n); /* uniform in [0, n), n >= 1 */

/* How space_sample draws. DECISIONS (the default): each active decision uniform on its own,
 * so a branch of a conditional decision gets the same mass however many architectures it
 * holds. UNIFORM: every architecture equally likely (a value weighted by the number of
 * architectures under it, exact bigint arithmetic). SPACE_E_TOO_BIG when the size does not
 * fit the bigint, SPACE_E_NOMEM. */
typedef enum SpaceSampling { SPACE_SAMPLE_DECISIONS, SPACE_SAMPLE_UNIFORM } SpaceSampling;
SpaceStatus space_set_sampling(Space *s, SpaceSampling how);

/* A random architecture as space_set_sampling says; only active decisions are drawn. Never
 * allocates. With a sampler installed (space_set_sampler), the architecture is its. */
void space_sample(const Space *s, SpaceRng *r, int32_t *arch);
/* Draws of another distribution over the same architectures (compiler/model/feasible.h:
 * only those within a hard constraint) and the test of the set it draws from: fn must give
 * valid canonical vectors on which member holds, and neither may allocate. fn NULL: the
 * table's own draws; member NULL: every architecture is feasible. ctx must outlive its use. */
typedef void (*SpaceSampler)(const void *ctx, SpaceRng *r, int32_t *arch);
typedef bool (*SpaceMember)(const void *ctx, const int32_t *arch);
void space_set_sampler(Space *s, SpaceSampler fn, SpaceMember member, const void *ctx);
/* Is a canonical architecture in the set the sampler draws from (the hard constraints)? The
 * one feasibility test of the moves below and of the controllers' candidate searches. */
bool space_feasible(const Space *s, const int32_t *arch);

/* Grid enumeration in a stable order: an odometer over active decisions, last decision
 * fastest. Continuous ranges take `cont_points` evenly spaced points (1 .. SPACE_FINE_POINTS;
 * NULL otherwise or on out of memory). space_grid_seed, before the first next, visits each
 * decision's values in a seeded order (a permutation per decision): the same grid, a first
 * architecture other than the all-first-value one. -1 on out of memory. */
typedef struct SpaceGrid SpaceGrid;
SpaceGrid *space_grid_new(const Space *s, int cont_points);
int space_grid_seed(SpaceGrid *g, uint64_t seed);
bool space_grid_next(SpaceGrid *g, int32_t *arch); /* false when exhausted */
void space_grid_free(SpaceGrid *g);

/* Sobol (Joe-Kuo new-joe-kuo-6.21201, gray-code order), scrambled by `seed` (a random linear
 * matrix scramble and digital shift, which keep its stratification): dimension j drives
 * decision j; u in [0,1) maps to slot floor(u * arity). */
typedef struct SpaceSobol SpaceSobol;
SpaceSobol *space_sobol_new(const Space *s, uint64_t seed, SpaceError *err); /* NULL: SPACE_E_DIMS/NOMEM */
void space_sobol_next(SpaceSobol *q, int32_t *arch);
/* The next point, unscrambled (point 0 = the origin) and scrambled: space_count(s) values in
 * [0, 2^32) each (u = x / 2^32), for tests. */
void space_sobol_next_raw(SpaceSobol *q, uint32_t *x, uint32_t *scrambled);
void space_sobol_free(SpaceSobol *q);

/* Evolution (inputs must be valid, canonical architectures: see space_validate).
 * mutate: exactly one active decision gets a different value, uniform among the others;
 * decisions it activates are sampled, those it deactivates reset. Returns the mutated
 * decision, or -SPACE_E_NO_MOVE. crossover: each slot from a or b (coin flip), then conditions
 * repaired (a slot that became active takes the other parent's value if it has one, else a
 * sample). out may alias a or b.
 * With a feasible set (space_set_sampler's member), both stay in it: a move that leaves it
 * is drawn again (up to SPACE_MOVE_TRIES times, so a feasible move has the distribution
 * above conditioned on feasibility), after which mutate gives a fresh space_sample (and
 * returns -SPACE_E_NO_MOVE), crossover the first feasible parent (else a space_sample). */
#define SPACE_MOVE_TRIES 64
int space_mutate(const Space *s, SpaceRng *r, int32_t *arch);
void space_crossover(const Space *s, SpaceRng *r, const int32_t *a, const int32_t *b, int32_t *out);

/* The table as JSON: {"decisions": [...], "size": "...", "log10": .., "continuous": ..}. */
void space_write_json(const Space *s, FILE *out);

const char *space_status_string(SpaceStatus st);
#endif
