/* evolution.c — regularized evolution (Real et al. 2019, "aging evolution"): the first
 * `population` proposals are uniform samples; after that each proposal mutates the best of
 * `sample` members drawn uniformly from the population, and each result joins the population
 * while the oldest member leaves. Failed trials never join. */
#include "controller_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Evolution {
    Controller base;
    int cap;    /* population size */
    int count;  /* members now */
    int oldest; /* ring index of the oldest member */
    long asked;
    int32_t *archs;  /* cap x nslots */
    double *rewards; /* cap */
} Evolution;

static int32_t *member(Evolution *e, int i) { return e->archs + (size_t)i * (size_t)e->base.nslots; }

static int evolution_ask(Controller *c, int32_t *arch)
{
    Evolution *e = (Evolution *)c;
    long asked = e->asked++;
    /* Still seeding the population (or every trial so far failed): explore uniformly. */
    if (asked < e->cap || e->count == 0) {
        space_sample(c->space, &c->rng, arch);
        return 0;
    }
    int best = -1;
    int draws = c->params.sample < e->count ? c->params.sample : e->count;
    for (int i = 0; i < draws; i++) {
        int m = (int)space_rng_below(&c->rng, (uint32_t)e->count);
        if (best < 0 || e->rewards[m] > e->rewards[best]) best = m;
    }
    memcpy(arch, member(e, best), sizeof *arch * (size_t)c->nslots);
    /* A space with one architecture has no move: propose the parent again. */
    (void)space_mutate(c->space, &c->rng, arch);
    return 0;
}

static void evolution_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    Evolution *e = (Evolution *)c;
    if (!ok) return;
    int slot;
    if (e->count < e->cap) {
        slot = (e->oldest + e->count++) % e->cap;
    } else {
        slot = e->oldest; /* aging: the oldest dies, whatever its reward */
        e->oldest = (e->oldest + 1) % e->cap;
    }
    memcpy(member(e, slot), arch, sizeof *arch * (size_t)c->nslots);
    e->rewards[slot] = reward;
}

static void evolution_free(Controller *c)
{
    Evolution *e = (Evolution *)c;
    free(e->archs);
    free(e->rewards);
    free(e);
}

static const ControllerOps evolution_ops = {evolution_ask, evolution_tell, evolution_free};

Controller *controller_evolution_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->population < 2 || p->sample < 1 || p->sample > p->population) {
        snprintf(err, n,
                 "evolution: need population >= 2 and 1 <= sample <= population "
                 "(got population %d, sample %d)",
                 p->population, p->sample);
        return NULL;
    }
    Evolution *e = (Evolution *)controller_alloc(sizeof *e, &evolution_ops, s, p);
    if (!e) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    e->cap = p->population;
    e->archs = calloc((size_t)e->cap * (size_t)(e->base.nslots ? e->base.nslots : 1), sizeof *e->archs);
    e->rewards = calloc((size_t)e->cap, sizeof *e->rewards);
    if (!e->archs || !e->rewards) {
        evolution_free(&e->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &e->base;
}
