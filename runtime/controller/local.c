/* local.c — local search (White et al. 2020, "Local search is state of the art for neural
 * architecture search benchmarks"): the first climb starts at the best of `startup` uniform
 * samples (their num_init), a restart at one; the incumbent is the climb's best result so
 * far, and each proposal is an untried one-decision neighbour of the incumbent, in random
 * order. The first neighbour that beats the incumbent becomes the incumbent (first
 * improvement: a cell space has hundreds of neighbours). When every
 * neighbour has been tried and told without improvement the incumbent is a local optimum:
 * the next proposal restarts from a new uniform sample.
 *
 * A neighbour changes one active decision: a categorical, bool or short range (<= ALL_MAX
 * values) to any other value; a longer range by +- arity/4, /16, ... and 1 grid step; a
 * subset by swapping one member for one non-member. Decisions the change switches on are drawn,
 * those it switches off are cleared (the table's conditions hold). Under hard constraints
 * with a known feasible set (space_feasible) an infeasible neighbour is skipped. Architectures already
 * evaluated or in flight are never proposed again while an alternative exists; with
 * parallel asks, an ask that finds the neighbourhood used up while some of it is still in
 * flight proposes a uniform sample, which informs nothing but the evaluated set. */
#include "controller_impl.h"
#include "arch_list.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ALL_MAX = 16, TAG_FILLER = -1, TAG_UNKNOWN = -2 };

typedef struct Move {
    int d;
    int32_t v;
} Move;

typedef struct Local {
    Controller base;
    int climb;          /* restarts so far: the tag of this climb's proposals */
    bool has_incumbent; /* the climb has started: its starts are all told */
    bool has_start;     /* some start of this climb has a reward (held in incumbent) */
    int starts_asked, starts_told;
    double incumbent_reward;
    int32_t *incumbent; /* nslots */
    Move *moves;        /* the incumbent's neighbourhood, shuffled */
    int nmoves, cap_moves, next_move;
    ArchList evaluated; /* every architecture told, ok or not */
    ArchList flight;    /* asked, not yet told; tag = the climb (or TAG_FILLER) */
} Local;

/* Out of memory: the move is left out (the climb sees a smaller neighbourhood). */
static void push_move(Local *l, int d, int32_t v)
{
    if (l->nmoves == l->cap_moves) {
        int cap = l->cap_moves ? 2 * l->cap_moves : 64;
        Move *m = realloc(l->moves, sizeof *m * (size_t)cap);
        if (!m) return;
        l->moves = m;
        l->cap_moves = cap;
    }
    l->moves[l->nmoves++] = (Move){d, v};
}

/* The incumbent's one-decision moves, in a random order. */
static void enumerate_moves(Local *l)
{
    const Space *s = l->base.space;
    const int32_t *a = l->incumbent;
    l->nmoves = l->next_move = 0;
    for (int d = 0; d < l->base.nslots; d++) {
        if (a[d] == SPACE_INACTIVE) continue;
        const SpaceDecision *sd = space_decision(s, d);
        if (sd->kind == SPACE_SUBSET) {
            int picks[SPACE_SUBSET_MAX_N], k = space_subset_picks(s, d, a[d], picks);
            bool picked[SPACE_SUBSET_MAX_N] = {0};
            for (int i = 0; i < k; i++) picked[picks[i]] = true;
            for (int i = 0; i < k; i++) /* swap one picked element for one left out */
                for (int out = 0; out < sd->n; out++)
                    if (!picked[out]) push_move(l, d, space_subset_swap(s, d, a[d], picks[i], out));
        } else if (sd->arity <= ALL_MAX || (sd->kind != SPACE_INT_RANGE && sd->kind != SPACE_FLOAT_RANGE)) {
            for (int32_t v = 0; v < sd->arity; v++)
                if (v != a[d]) push_move(l, d, v);
        } else {
            /* +- arity/4, /16, /64, ... down to one grid step: a handful of scales, so a
             * continuous range does not fill the neighbourhood. */
            for (int64_t step = sd->arity / 4;; step = step / 4 > 0 ? step / 4 : 1) {
                if (a[d] - step >= 0) push_move(l, d, (int32_t)(a[d] - step));
                if (a[d] + step < sd->arity) push_move(l, d, (int32_t)(a[d] + step));
                if (step == 1) break;
            }
        }
    }
    for (int i = l->nmoves - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)space_rng_below(&l->base.rng, (uint32_t)(i + 1));
        Move t = l->moves[i];
        l->moves[i] = l->moves[j];
        l->moves[j] = t;
    }
}

/* The first climb starts from the best of `startup` uniform samples, a restart from one. */
static int starts_of(const Local *l) { return l->climb == 0 ? l->base.params.startup : 1; }

static bool climb_in_flight(const Local *l)
{
    for (int i = 0; i < l->flight.n; i++)
        if (l->flight.tag[i] == l->climb) return true;
    return false;
}

static int local_ask(Controller *c, int32_t *arch)
{
    Local *l = (Local *)c;
    int tag = TAG_FILLER;
    for (;;) {
        if (!l->has_incumbent) {
            /* A climb's starts; asks beyond them wait for their results as fillers. */
            if (l->starts_asked < starts_of(l)) {
                tag = l->climb;
                l->starts_asked++;
            }
            arch_sample_fresh(&l->evaluated, &l->flight, &c->rng, arch);
            break;
        }
        bool found = false;
        while (!found && l->next_move < l->nmoves) {
            const Move *m = &l->moves[l->next_move++];
            memcpy(arch, l->incumbent, sizeof *arch * (size_t)c->nslots);
            controller_set(c->space, &c->rng, arch, m->d, m->v);
            /* a neighbour outside the hard constraints is no neighbour */
            found = space_feasible(c->space, arch) && arch_fresh(&l->evaluated, &l->flight, arch);
        }
        if (found) {
            tag = l->climb;
            break;
        }
        if (climb_in_flight(l)) {
            arch_sample_fresh(&l->evaluated, &l->flight, &c->rng, arch);
            break;
        }
        /* A local optimum, every neighbour told: restart. */
        l->climb++;
        l->has_incumbent = l->has_start = false;
        l->starts_asked = l->starts_told = 0;
    }
    arch_list_add(&l->flight, arch, tag); /* out of memory: only a repeat risk */
    return 0;
}

static void local_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    Local *l = (Local *)c;
    int i = arch_list_find(&l->flight, arch), tag = TAG_UNKNOWN;
    if (i >= 0) {
        tag = l->flight.tag[i];
        arch_list_remove(&l->flight, i);
    }
    if (arch_list_find(&l->evaluated, arch) < 0) arch_list_add(&l->evaluated, arch, 0);
    if (tag != l->climb) return;
    bool better = ok && isfinite(reward) && (!l->has_start || reward > l->incumbent_reward);
    if (better) {
        l->has_start = true;
        l->incumbent_reward = reward;
        memcpy(l->incumbent, arch, sizeof *arch * (size_t)c->nslots);
    }
    if (!l->has_incumbent && ++l->starts_told == starts_of(l)) {
        if (l->has_start) {
            l->has_incumbent = true;
            enumerate_moves(l);
        } else l->starts_asked = l->starts_told = 0; /* every start failed: again */
        return;
    }
    if (better && l->has_incumbent) enumerate_moves(l);
}

static void local_free(Controller *c)
{
    Local *l = (Local *)c;
    arch_list_free(&l->evaluated);
    arch_list_free(&l->flight);
    free(l->incumbent);
    free(l->moves);
    free(l);
}

static const ControllerOps local_ops = {local_ask, local_tell, local_free};

Controller *controller_local_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->startup < 1) {
        snprintf(err, n, "local: need startup >= 1 (got %d)", p->startup);
        return NULL;
    }
    Local *l = (Local *)controller_alloc(sizeof *l, &local_ops, s, p);
    if (!l) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    arch_list_init(&l->evaluated, s);
    arch_list_init(&l->flight, s);
    l->incumbent = calloc((size_t)(l->base.nslots ? l->base.nslots : 1), sizeof *l->incumbent);
    if (!l->incumbent) {
        local_free(&l->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &l->base;
}
