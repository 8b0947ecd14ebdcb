/* graph_stats.c — parameter counts, MACs, elementwise ops and memory of a graph. */
#include "graph_int.h"
#include <string.h>

int64_t graph_node_macs(const Graph *g, int node)
{
    const GraphNode *nd = &g->nodes[node];
    if (nd->op != GOP_CONV2D && nd->op != GOP_DENSE) return 0;
    /* conv: O*OH*OW * (C/g)*KH*KW; dense: OUT * IN — both = output elements * weight fan-in */
    const GraphValue *w = &g->values[nd->in[1]];
    return graph_shape_numel(&g->values[nd->out[0]].shape, 1) * (int64_t)w->fan_in;
}

/* Element operations of a forward node at batch 1 (see graph.h). */
static int64_t node_elementwise(const Graph *g, int node)
{
    const GraphNode *nd = &g->nodes[node];
    int64_t out = graph_shape_numel(&g->values[nd->out[0]].shape, 1);
    switch (nd->op) {
    case GOP_CONV2D:
    case GOP_DENSE: return nd->a.has_bias ? out : 0;
    case GOP_BATCHNORM:
    case GOP_ACT:
    case GOP_ADD:
    case GOP_MUL_CHANNEL:
    case GOP_DROPOUT: return out;
    case GOP_MAXPOOL:
    case GOP_AVGPOOL: return out * nd->a.kh * nd->a.kw;
    case GOP_GLOBAL_AVGPOOL:
    case GOP_SOFTMAX_XENT: return graph_shape_numel(&g->values[nd->in[0]].shape, 1);
    default: return 0;
    }
}

bool *graph_live(const Graph *g, bool through_zero)
{
    bool *live = ARENA_ARRAY(g->arena, bool, g->nfwd + 1);
    bool *need = ARENA_ARRAY(g->arena, bool, g->nvalues + 1);
    if (g->logits < 0) { /* no result known (a graph under construction): all of it counts */
        for (int i = 0; i < g->nfwd; i++) live[i] = g->nodes[i].phase == GPHASE_FORWARD;
        return live;
    }
    need[g->logits] = true;
    /* The node array is a schedule, so one backward sweep marks every producer of a live
     * node's inputs. */
    for (int i = g->nfwd - 1; i >= 0; i--) {
        const GraphNode *nd = &g->nodes[i];
        if (nd->phase != GPHASE_FORWARD) continue;
        for (int k = 0; k < nd->nout && !live[i]; k++) live[i] = nd->out[k] >= 0 && need[nd->out[k]];
        if (nd->op == GOP_ZERO && !through_zero) continue;
        for (int k = 0; live[i] && k < nd->nin; k++) need[nd->in[k]] = true;
    }
    return live;
}

int graph_data_inputs(const Graph *g, int node, const int **in)
{
    const GraphNode *nd = &g->nodes[node];
    int n = 0;
    /* parameters and state follow the data inputs in every forward op (graph.h) */
    while (n < nd->nin && g->values[nd->in[n]].storage != GSTORE_PARAM && g->values[nd->in[n]].storage != GSTORE_STATE)
        n++;
    *in = nd->in;
    return n;
}

static bool keeps_zero(const GraphNode *nd)
{
    switch (nd->op) {
    case GOP_ADD:
    case GOP_CONCAT:
    case GOP_CROP:
    case GOP_MAXPOOL:
    case GOP_AVGPOOL:
    case GOP_GLOBAL_AVGPOOL:
    case GOP_FLATTEN:
    case GOP_DROPOUT:
    case GOP_IDENTITY:
    case GOP_MUL_CHANNEL: return true;
    case GOP_ACT: return nd->a.act != GACT_SIGMOID; /* sigmoid(0) = 1/2 */
    case GOP_CONV2D:
    case GOP_DENSE: return !nd->a.has_bias;
    default: return false; /* batchnorm shifts by beta; an input or stand-in is data */
    }
}

bool *graph_zero_values(const Graph *g, const bool *seed)
{
    bool *zero = ARENA_ARRAY(g->arena, bool, g->nvalues + 1);
    if (seed) memcpy(zero, seed, sizeof *zero * (size_t)g->nvalues);
    /* The node array is a schedule: one forward sweep sees every input before its reader. */
    for (int i = 0; i < g->nfwd; i++) {
        const GraphNode *nd = &g->nodes[i];
        if (nd->phase != GPHASE_FORWARD || nd->nout < 1 || nd->out[0] < 0 || zero[nd->out[0]]) continue;
        const int *in;
        int n = graph_data_inputs(g, i, &in);
        bool all = n > 0;
        for (int k = 0; all && k < n; k++) all = zero[in[k]];
        zero[nd->out[0]] = nd->op == GOP_ZERO || (all && keeps_zero(nd));
    }
    return zero;
}

void graph_live_cost(const Graph *g, const bool *live, int64_t *params, int64_t *macs)
{
    bool *counted = ARENA_ARRAY(g->arena, bool, g->nvalues + 1);
    *params = *macs = 0;
    for (int n = 0; n < g->nfwd; n++) {
        if (!live[n]) continue;
        *macs += graph_node_macs(g, n);
        for (int k = 0; k < g->nodes[n].nin; k++) {
            int v = g->nodes[n].in[k];
            if (g->values[v].storage != GSTORE_PARAM || counted[v]) continue;
            counted[v] = true;
            *params += graph_shape_numel(&g->values[v].shape, 1);
        }
    }
}

int graph_stats(Graph *g, int64_t batch, int optim_slots, GraphStats *st, GraphError *err)
{
    memset(st, 0, sizeof *st);
    if (!g->shapes_ok && graph_infer_shapes(g, err)) return -1;
    bool train = g->loss >= 0; /* an inference-only graph has no training plan */
    if (train && !g->has_backward && graph_build_backward(g, err)) return -1;
    st->batch = batch;
    st->state = g->nstate;
    /* A layer whose result feeds only `zero` (or nothing) cannot change the logits: its
     * weights and work are not the architecture's, though the buffers still hold them. */
    const bool *live = graph_live(g, false);
    graph_live_cost(g, live, &st->params, &st->macs);
    for (int n = 0; n < g->nfwd; n++)
        if (live[n]) st->elementwise += node_elementwise(g, n);
    GraphPlan p;
    if (graph_plan(g, GRAPH_INFER, 1, true, &p, err)) return -1;
    st->infer_bytes = p.size;
    if (train && graph_plan(g, GRAPH_TRAIN, batch, true, &p, err)) return -1;
    st->train_bytes = train ? p.size : 0;
    st->param_bytes = st->grad_bytes = g->nparams * 4;
    st->state_bytes = g->nstate * 4;
    st->optim_bytes = (int64_t)optim_slots * st->param_bytes;
    st->train_total_bytes = st->train_bytes + st->param_bytes + st->grad_bytes + st->state_bytes + st->optim_bytes;
    return 0;
}
