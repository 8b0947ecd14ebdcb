/* controller.c — the ask/tell face of every search algorithm: dispatch, defaults, names. */
#include "controller_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_names[] = {"random", "grid", "sobol", "evolution", "reinforce", "local", "tpe", "nsga2", "bo", "ppo"};

ControllerParams controller_defaults(ControllerKind kind)
{
    return (ControllerParams){.kind = kind,
                              .seed = 0,
                              .population = 64,
                              .sample = 16,
                              .lr = kind == CONTROLLER_PPO ? 0.5 : 0.2,
                              .baseline_decay = 0.9,
                              .entropy = 0.01,
                              .clip = 0.3,
                              .batch = 8,
                              .epochs = 4,
                              .grid_points = 5,
                              .startup = 10,
                              .candidates = 24,
                              .multivariate = false,
                              .multiobjective = false,
                              .nsga2_population = 20,
                              .crossover = 0.9};
}

int controller_kind_parse(const char *name)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(name, kind_names[i]) == 0) return (int)i;
    return -1;
}

const char *controller_kind_name(ControllerKind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof *kind_names ? kind_names[kind] : "?";
}

Controller *controller_alloc(size_t size, const ControllerOps *ops, const Space *s, const ControllerParams *p)
{
    Controller *c = calloc(1, size);
    if (!c) return NULL;
    c->ops = ops;
    c->space = s;
    c->params = *p;
    c->nslots = space_count(s);
    space_rng_seed(&c->rng, p->seed);
    return c;
}

int32_t controller_draw(const Space *s, SpaceRng *r, int d)
{
    /* every kind alike: a subset's slot is the rank of its pick, so this is a uniform pick */
    return (int32_t)space_rng_below(r, (uint32_t)space_decision(s, d)->arity);
}

void controller_set(const Space *s, SpaceRng *r, int32_t *arch, int d, int32_t v)
{
    arch[d] = v;
    for (int j = d + 1, n = space_count(s); j < n; j++) {
        if (!space_is_active(s, arch, j)) arch[j] = SPACE_INACTIVE;
        else if (arch[j] == SPACE_INACTIVE) arch[j] = controller_draw(s, r, j);
    }
}

double controller_uniform(SpaceRng *r) { return (double)(space_rng_next(r) >> 11) * 0x1.0p-53; }

Controller *controller_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    switch (p->kind) {
    case CONTROLLER_RANDOM: return controller_random_new(s, p, err, n);
    case CONTROLLER_GRID: return controller_grid_new(s, p, err, n);
    case CONTROLLER_SOBOL: return controller_sobol_new(s, p, err, n);
    case CONTROLLER_EVOLUTION: return controller_evolution_new(s, p, err, n);
    case CONTROLLER_REINFORCE: return controller_reinforce_new(s, p, err, n);
    case CONTROLLER_LOCAL: return controller_local_new(s, p, err, n);
    case CONTROLLER_TPE: return controller_tpe_new(s, p, err, n);
    case CONTROLLER_NSGA2: return controller_nsga2_new(s, p, err, n);
    case CONTROLLER_BO: return controller_bo_new(s, p, err, n);
    case CONTROLLER_PPO: return controller_ppo_new(s, p, err, n);
    }
    snprintf(err, n, "unknown controller kind %d", (int)p->kind);
    return NULL;
}

void controller_free(Controller *c)
{
    if (c) c->ops->free(c);
}

int controller_ask(Controller *c, int32_t *arch) { return c->ops->ask(c, arch); }

void controller_tell(Controller *c, const int32_t *arch, double reward, bool ok) { c->ops->tell(c, arch, reward, ok); }

void controller_tell_objectives(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj, bool ok)
{
    if (c->tell_objectives) c->tell_objectives(c, arch, reward, obj, nobj, ok);
    else c->ops->tell(c, arch, reward, ok);
}
