/* space_int.h — internals shared by the space*.c files: the table and its hot per-decision data. */
#ifndef NAS_SPACE_INT_H
#define NAS_SPACE_INT_H
#include "space.h"
#include "bigint.h"

/* What the sampler loop reads, packed: one cache line holds four decisions. */
typedef struct SpaceHot {
    int32_t parent;   /* guards[0]'s; -1: unconditional */
    uint32_t radix;   /* slot values (rank radix for subsets) */
    uint64_t mask;    /* condition as a bitmask of parent values when use_mask; member: the element index */
    uint8_t use_mask; /* parent arity <= 64, or member */
    uint8_t member;   /* the parent is a subset: exists iff the element in mask is picked */
    uint8_t more;     /* guards after the first: checked by space__guards_ok */
    uint8_t subset;   /* slot is the colex rank of a pick */
    uint16_t k, n;    /* subset */
} SpaceHot;

/* Uniform sampling over architectures (space_set_sampling): a decision's values fall into
 * segments that activate the same children; each value of segment i weighs w[i] (the product
 * of those children's subtree counts) and cum[i] is the weight of the decision's segments up
 * to i (the last: its subtree count). With second parents (see space.h, TABLE, and the
 * groups of space_count.c) the weights are per case of the decision's group: a case is drawn
 * per group first (case_cum[cbase[g] + k]: architectures of the group's cases 0 .. k), then
 * decision d of group g in case k has segments first[at] .. first[at]+count[at]-1, at =
 * abase[g] + k * (its group's decisions) + pos[d]. in_case[d]: d is a second parent, so its
 * values are restricted to the case's class even in one segment. A k-of-n subset whose
 * elements hold decisions weighs a pick S by the product over S of wt[i] (element i's
 * decisions' subtree counts): at its entry at, sub_at[at] >= 0 and sub[sub_at[at] ..] holds
 * wt[0..n-1] then e[i*(k+1)+j] = the elementary symmetric sum e_j(wt[0..i-1]), i <= n, j <= k. */
typedef struct SpaceUniform {
    int *first, *count; /* per group case and decision */
    int64_t *lo, *len;  /* per segment */
    BigInt *w, *cum;    /* per segment */
    int nseg, cap;
    int ngroup;
    bool multi;          /* a group has more than one case: draw group by group */
    int *group, *pos;    /* per decision */
    int *order, *gstart; /* decisions by group (table order within): order[gstart[g] ..] */
    int *ncase, *cbase;  /* per group: cases, its first case's index in case_cum */
    int64_t *abase;      /* per group: its first entry in first/count */
    BigInt *case_cum;
    uint8_t *in_case;
    int64_t *sub_at; /* per group case and decision, like first: its subset table, or -1 */
    BigInt *sub;
    int64_t nsub, capsub; /* BigInts in sub */
} SpaceUniform;
void space__uniform_free(SpaceUniform *u);

struct Space {
    SpaceDecision *dec;
    SpaceHot *hot;
    uint32_t **binom; /* per decision: a subset's C(c, j), c <= n, j <= k, at c*(k+1)+j
                         (saturated at UINT32_MAX); NULL otherwise. Owned (in owned). */
    int n, cap;
    void **owned;
    int nowned, capowned;  /* copied strings and arrays, freed with the space */
    uint64_t shape;        /* see space__shape */
    SpaceUniform *uniform; /* NULL: each decision uniform on its own (the default) */
    SpaceSampler sampler;  /* NULL: the table's own draws (space_set_sampler) */
    SpaceMember member;    /* NULL: every architecture feasible */
    const void *sampler_ctx;
};

/* Is v one of the parent values under which decision d exists? (parent value only) */
static inline bool space__cond_ok(const Space *s, int d, int32_t v)
{
    const SpaceHot *h = &s->hot[d];
    if (h->member) return v >= 0 && space_subset_has(s, h->parent, v, (int)h->mask);
    if (h->use_mask) return (uint32_t)v < 64 && ((h->mask >> v) & 1);
    const SpaceDecision *x = &s->dec[d];
    for (int i = 0; i < x->ncond; i++)
        if (v >= x->cond[i].lo && v <= x->cond[i].hi) return true;
    return false;
}

/* Does v lie in one of g's intervals? (-1, inactive, never does) */
static inline bool space__guard_has(const SpaceGuard *g, int64_t v)
{
    for (int i = 0; i < g->ncond; i++)
        if (v >= g->cond[i].lo && v <= g->cond[i].hi) return true;
    return false;
}

/* The guards after the first, parents holding canonical values. */
static inline bool space__guards_ok(const Space *s, const int32_t *arch, int d)
{
    const SpaceDecision *x = &s->dec[d];
    for (int i = 1; i < x->nguard; i++)
        if (!space__guard_has(&x->guards[i], arch[x->guards[i].parent])) return false;
    return true;
}

/* Activity when parents before d already hold canonical values (-1 when inactive). */
static inline bool space__active_canon(const Space *s, const int32_t *arch, int d)
{
    const SpaceHot *h = &s->hot[d];
    return h->parent < 0 || (space__cond_ok(s, d, arch[h->parent]) && (!h->more || space__guards_ok(s, arch, d)));
}

/* C(c, j) of subset d's table (c <= n, j <= k), saturated at UINT32_MAX. */
static inline uint32_t space__binom(const Space *s, int d, int c, int j)
{
    return s->binom[d][(size_t)c * (size_t)(s->hot[d].k + 1) + (size_t)j];
}
/* Is v a valid active value of decision d? */
bool space__value_ok(const Space *s, int d, int32_t v);
/* Cases the exact count sums over (1 without second parents); -1 on out of memory. */
int64_t space__cases(const Space *s);
uint64_t space__shape(const Space *s); /* FNV-1a of kinds, arities, conditions: the ID check */
void space__set_error(SpaceError *err, SpaceStatus code, int pos, const char *fmt, ...);
#endif
