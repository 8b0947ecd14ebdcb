/* init.c — parameter and state initialisation from the graph's init kinds, seeded. */
#include "train.h"
#include "rng.h"
#include <math.h>

/* Values in id order, elements in order: the same seed gives the same weights everywhere. */
void init_params(const Graph *g, float *params, float *state, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed ^ 0x1417a5e5d00dull);
    for (int v = 0; v < g->nvalues; v++) {
        const GraphValue *gv = &g->values[v];
        if (gv->storage != GSTORE_PARAM && gv->storage != GSTORE_STATE) continue;
        float *p = (gv->storage == GSTORE_PARAM ? params : state) + gv->flat;
        int64_t n = graph_shape_numel(&gv->shape, 1);
        float std = gv->fan_in > 0 ? sqrtf(2.0f / (float)gv->fan_in) : 0.0f;
        for (int64_t i = 0; i < n; i++)
            p[i] = gv->init == GINIT_HE_NORMAL ? std * rng_normal(&r) : gv->init == GINIT_ONE ? 1.0f : 0.0f;
    }
}
