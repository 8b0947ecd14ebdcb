/* space_int.h — internals shared by the space*.c files: the table and its hot per-decision data. */
#ifndef NAS_SPACE_INT_H
#define NAS_SPACE_INT_H
#include "space.h"
#include "bigint.h"

/* What the sampler loop reads, packed: one cache line holds four decisions. */
typedef struct SpaceHot {
    int32_t parent;   /* -1: unconditional */
    uint32_t radix;   /* slot values (rank radix for subsets) */
    uint64_t mask;    /* condition as a bitmask of parent values when use_mask; member: the element */
    uint8_t use_mask; /* parent arity <= 64 */
    uint8_t member;   /* the parent is a subset: exists iff the element in mask is picked */
    uint8_t subset;   /* slot is a bitmask, digit is its rank */
    uint8_t k, n;     /* subset */
} SpaceHot;

/* Uniform sampling over architectures (space_set_sampling): a decision's values fall into
 * segments that activate the same children; each value of segment i weighs w[i] (the product
 * of those children's subtree counts) and cum[i] is the weight of the decision's segments up
 * to i (the last: its subtree count). Decision d's segments: first[d] .. first[d]+count[d]-1.
 * A k-of-n subset whose elements hold decisions weighs a pick S by the product over S of
 * wt[i] (element i's decisions' subtree counts); its table at sub[sub_at[d]] holds wt[0..n-1]
 * then e[i*(k+1)+j] = the elementary symmetric sum e_j(wt[0..i-1]) for i <= n, j <= k. */
typedef struct SpaceUniform {
    int *first, *count; /* per decision */
    int64_t *lo, *len;  /* per segment */
    BigInt *w, *cum;    /* per segment */
    int nseg, cap;
    int *sub_at;        /* per decision: its table in sub, or -1 */
    BigInt *sub;
    int nsub, capsub;   /* BigInts in sub */
} SpaceUniform;
void space__uniform_free(SpaceUniform *u);

struct Space {
    SpaceDecision *dec;
    SpaceHot *hot;
    int n, cap;
    void **owned;
    int nowned, capowned;  /* copied strings and arrays, freed with the space */
    uint64_t shape;        /* see space__shape */
    SpaceUniform *uniform; /* NULL: each decision uniform on its own (the default) */
};

/* Is v one of the parent values under which decision d exists? (parent value only) */
static inline bool space__cond_ok(const Space *s, int d, int32_t v)
{
    const SpaceHot *h = &s->hot[d];
    if (h->member) return v >= 0 && ((uint64_t)(uint32_t)v & h->mask) != 0;
    if (h->use_mask) return (uint32_t)v < 64 && ((h->mask >> v) & 1);
    const SpaceDecision *x = &s->dec[d];
    for (int i = 0; i < x->ncond; i++)
        if (v >= x->cond[i].lo && v <= x->cond[i].hi) return true;
    return false;
}

/* Activity when parents before d already hold canonical values (-1 when inactive). */
static inline bool space__active_canon(const Space *s, const int32_t *arch, int d)
{
    int p = s->hot[d].parent;
    return p < 0 || space__cond_ok(s, d, arch[p]);
}

uint32_t space__binom(int n, int k);               /* C(n,k), n <= 31 */
uint32_t space__subset_rank(uint32_t mask, int k); /* colex rank of a k-subset */
uint32_t space__subset_unrank(uint32_t rank, int k, int n);
uint32_t space__subset_sample(SpaceRng *r, int k, int n);
/* Slot value for digit g (0 .. radix-1): the digit itself, or the unranked subset. */
static inline int32_t space__from_digit(const SpaceHot *h, uint32_t g)
{
    return h->subset ? (int32_t)space__subset_unrank(g, h->k, h->n) : (int32_t)g;
}
static inline uint32_t space__to_digit(const SpaceHot *h, int32_t v)
{
    return h->subset ? space__subset_rank((uint32_t)v, h->k) : (uint32_t)v;
}
/* Is v a valid active value of decision d? */
bool space__value_ok(const Space *s, int d, int32_t v);
uint64_t space__shape(const Space *s); /* FNV-1a of kinds, arities, conditions: the ID check */
void space__set_error(SpaceError *err, SpaceStatus code, int pos, const char *fmt, ...);
#endif
