/* controller_impl.h — what each search algorithm implements. Private to controller/. */
#ifndef NAS_CONTROLLER_IMPL_H
#define NAS_CONTROLLER_IMPL_H
#include "controller.h"

typedef struct ControllerOps {
    int (*ask)(Controller *c, int32_t *arch);
    void (*tell)(Controller *c, const int32_t *arch, double reward, bool ok);
    void (*free)(Controller *c);
} ControllerOps;

/* What an algorithm that learns from several objectives implements besides (nsga2; tpe and bo with multiobjective). */
typedef void (*ControllerTellObjectives)(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj,
                                         bool ok);

/* Every algorithm's state begins with this. */
struct Controller {
    const ControllerOps *ops;
    const Space *space;
    ControllerParams params;
    SpaceRng rng;
    int nslots;
    ControllerTellObjectives tell_objectives; /* NULL: learns from the scalar reward (tell) */
};

/* Constructors: fill an allocated algorithm state after the common header is set. */
Controller *controller_random_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_grid_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_sobol_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_evolution_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_reinforce_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_local_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_tpe_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_nsga2_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_bo_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_ppo_new(const Space *s, const ControllerParams *p, char *err, size_t n);

/* A uniform value for decision d (a uniform pick for a subset): what a decision that a move
 * switches on starts with. */
int32_t controller_draw(const Space *s, SpaceRng *r, int d);
/* Sets decision d of arch (canonical, d active) to v and repairs the later slots: those no
 * longer active become SPACE_INACTIVE, those newly active are drawn. The one-decision move
 * of local search and the per-decision sampling of tpe. */
void controller_set(const Space *s, SpaceRng *r, int32_t *arch, int d, int32_t v);
/* A uniform double in [0, 1) from 53 bits: the same on every machine. */
double controller_uniform(SpaceRng *r);

/* Allocates size bytes (>= sizeof(Controller)), zeroed, with the common header filled. */
Controller *controller_alloc(size_t size, const ControllerOps *ops, const Space *s, const ControllerParams *p);
#endif
