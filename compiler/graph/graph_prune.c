/* graph_prune.c — drops the forward nodes whose results cannot reach the logits: a tensor
 * that a subset did not pick, a `let` nothing reads. They would run forward and backward and
 * hold parameters (and optimizer slots) that change nothing the architecture computes. */
#include "graph_int.h"
#include <stdio.h>

int graph_prune(Graph *g, GraphError *err)
{
    if (g->has_backward) {
        if (err) {
            err->node = -1;
            snprintf(err->msg, sizeof err->msg, "prune: the backward graph is already built");
        }
        return -1;
    }
    if (g->logits < 0) return 0; /* no result known: every node counts (graph_live) */
    const bool *live = graph_live(g, true); /* a `zero` keeps its input: exporters read its shape */
    int *node_to = ARENA_ARRAY(g->arena, int, g->nnodes + 1), *value_to = ARENA_ARRAY(g->arena, int, g->nvalues + 1);
    bool *used = ARENA_ARRAY(g->arena, bool, g->nvalues + 1);
    int nodes = 0;
    for (int i = 0; i < g->nnodes; i++) {
        const GraphNode *nd = &g->nodes[i];
        bool keep = nd->phase != GPHASE_FORWARD || live[i] || (nd->nout > 0 && nd->out[0] == g->input);
        node_to[i] = keep ? nodes++ : -1;
        for (int k = 0; keep && k < nd->nin; k++) used[nd->in[k]] = true;
        for (int k = 0; keep && k < nd->nout; k++)
            if (nd->out[k] >= 0) used[nd->out[k]] = true;
    }
    if (nodes == g->nnodes) return 0;
    const int roots[] = {g->input, g->labels, g->logits, g->loss};
    for (int r = 0; r < 4; r++)
        if (roots[r] >= 0) used[roots[r]] = true;
    int values = 0;
    for (int v = 0; v < g->nvalues; v++) {
        value_to[v] = used[v] ? values : -1;
        if (!used[v]) continue;
        GraphValue *to = &g->values[values++];
        *to = g->values[v];
        if (to->producer >= 0) to->producer = node_to[to->producer];
    }
    for (int i = 0; i < g->nnodes; i++) {
        if (node_to[i] < 0) continue;
        GraphNode *to = &g->nodes[node_to[i]];
        *to = g->nodes[i];
        for (int k = 0; k < to->nin; k++) to->in[k] = value_to[to->in[k]];
        for (int k = 0; k < to->nout; k++)
            if (to->out[k] >= 0) to->out[k] = value_to[to->out[k]];
    }
    g->nnodes = g->nfwd = nodes;
    g->nvalues = values;
    g->input = g->input >= 0 ? value_to[g->input] : -1;
    g->labels = g->labels >= 0 ? value_to[g->labels] : -1;
    g->logits = value_to[g->logits];
    g->loss = g->loss >= 0 ? value_to[g->loss] : -1;
    return graph_infer_shapes(g, err); /* parameter offsets again, without the dropped ones */
}
