/* controller_impl.h — what each search algorithm implements. Private to controller/. */
#ifndef NAS_CONTROLLER_IMPL_H
#define NAS_CONTROLLER_IMPL_H
#include "controller.h"

typedef struct ControllerOps {
    int  (*ask)(Controller *c, int32_t *arch);
    void (*tell)(Controller *c, const int32_t *arch, double reward, bool ok);
    void (*free)(Controller *c);
} ControllerOps;

/* Every algorithm's state begins with this. */
struct Controller {
    const ControllerOps *ops;
    const Space *space;
    ControllerParams params;
    SpaceRng rng;
    int nslots;
};

/* Constructors: fill an allocated algorithm state after the common header is set. */
Controller *controller_random_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_grid_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_sobol_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_evolution_new(const Space *s, const ControllerParams *p, char *err, size_t n);
Controller *controller_reinforce_new(const Space *s, const ControllerParams *p, char *err, size_t n);

/* Allocates size bytes (>= sizeof(Controller)), zeroed, with the common header filled. */
Controller *controller_alloc(size_t size, const ControllerOps *ops, const Space *s,
                             const ControllerParams *p);
#endif
