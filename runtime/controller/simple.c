/* simple.c — the controllers that learn nothing: random, grid and Sobol sampling, each ordered
 * by the seed (grid: each decision's values in a seeded order; Sobol: scrambled). Under hard
 * constraints with a known feasible set (space_feasible), the grid skips infeasible points
 * (it enumerates the feasible set) and Sobol skips up to SPACE_MOVE_TRIES of them in a row,
 * then takes a feasible sample. */
#include "controller_impl.h"
#include <stdio.h>
#include <stdlib.h>

static void tell_nothing(Controller *c, const int32_t *arch, double reward, bool ok)
{
    (void)c;
    (void)arch;
    (void)reward;
    (void)ok;
}

static void free_plain(Controller *c) { free(c); }

/* random */
static int random_ask(Controller *c, int32_t *arch)
{
    space_sample(c->space, &c->rng, arch);
    return 0;
}

static const ControllerOps random_ops = {random_ask, tell_nothing, free_plain};

Controller *controller_random_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    Controller *c = controller_alloc(sizeof(Controller), &random_ops, s, p);
    if (!c) snprintf(err, n, "out of memory");
    return c;
}

/* grid */
typedef struct GridController {
    Controller base;
    SpaceGrid *grid;
} GridController;

static int grid_ask(Controller *c, int32_t *arch)
{
    while (space_grid_next(((GridController *)c)->grid, arch))
        if (space_feasible(c->space, arch)) return 0;
    return 1;
}

static void grid_free(Controller *c)
{
    space_grid_free(((GridController *)c)->grid);
    free(c);
}

static const ControllerOps grid_ops = {grid_ask, tell_nothing, grid_free};

Controller *controller_grid_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->grid_points < 1) {
        snprintf(err, n, "grid: points on a continuous range must be >= 1 (got %d)", p->grid_points);
        return NULL;
    }
    GridController *g = (GridController *)controller_alloc(sizeof *g, &grid_ops, s, p);
    if (g) g->grid = space_grid_new(s, p->grid_points);
    if (!g || !g->grid || space_grid_seed(g->grid, p->seed) != 0) {
        if (g) space_grid_free(g->grid);
        free(g);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &g->base;
}

/* sobol */
typedef struct SobolController {
    Controller base;
    SpaceSobol *seq;
} SobolController;

static int sobol_ask(Controller *c, int32_t *arch)
{
    for (int t = 0; t < SPACE_MOVE_TRIES; t++) {
        space_sobol_next(((SobolController *)c)->seq, arch);
        if (space_feasible(c->space, arch)) return 0;
    }
    space_sample(c->space, &c->rng, arch);
    return 0;
}

static void sobol_free(Controller *c)
{
    space_sobol_free(((SobolController *)c)->seq);
    free(c);
}

static const ControllerOps sobol_ops = {sobol_ask, tell_nothing, sobol_free};

Controller *controller_sobol_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    SobolController *q = (SobolController *)controller_alloc(sizeof *q, &sobol_ops, s, p);
    if (!q) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    SpaceError e;
    q->seq = space_sobol_new(s, p->seed, &e);
    if (!q->seq) {
        snprintf(err, n, "sobol: %s", e.msg);
        free(q);
        return NULL;
    }
    return &q->base;
}
