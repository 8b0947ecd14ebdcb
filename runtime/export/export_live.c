/* export_live.c — which forward nodes reach the logits (export_int.h). The node array is a
 * schedule, so one backward sweep marks every producer of a live node's inputs. */
#include "export_int.h"
#include <stdlib.h>

bool *export_live(const Graph *g)
{
    bool *live = calloc((size_t)g->nfwd + 1, sizeof *live);
    bool *need = calloc((size_t)g->nvalues + 1, sizeof *need);
    if (!live || !need) {
        free(live);
        free(need);
        return NULL;
    }
    need[g->logits] = true;
    for (int i = g->nfwd - 1; i >= 0; i--) {
        const GraphNode *nd = &g->nodes[i];
        if (nd->phase != GPHASE_FORWARD) continue;
        for (int k = 0; k < nd->nout && !live[i]; k++) live[i] = nd->out[k] >= 0 && need[nd->out[k]];
        for (int k = 0; live[i] && k < nd->nin; k++) need[nd->in[k]] = true;
    }
    free(need);
    return live;
}

bool export_value_live(const Graph *g, const bool *live, int v)
{
    for (int i = 0; i < g->nfwd; i++)
        for (int k = 0; live[i] && k < g->nodes[i].nin; k++)
            if (g->nodes[i].in[k] == v) return true;
    return false;
}
