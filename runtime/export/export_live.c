/* export_live.c — which parameters the live nodes (graph_live) read (export_int.h). */
#include "export_int.h"

bool export_value_live(const Graph *g, const bool *live, int v)
{
    for (int i = 0; i < g->nfwd; i++)
        for (int k = 0; live[i] && k < g->nodes[i].nin; k++)
            if (g->nodes[i].in[k] == v) return true;
    return false;
}
