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

int graph_stats(Graph *g, int64_t batch, int optim_slots, GraphStats *st, GraphError *err)
{
    memset(st, 0, sizeof *st);
    if (!g->shapes_ok && graph_infer_shapes(g, err)) return -1;
    bool train = g->loss >= 0; /* an inference-only graph has no training plan */
    if (train && !g->has_backward && graph_build_backward(g, err)) return -1;
    st->batch = batch;
    st->params = g->nparams;
    st->state = g->nstate;
    for (int n = 0; n < g->nfwd; n++) {
        st->macs += graph_node_macs(g, n);
        st->elementwise += node_elementwise(g, n);
    }
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
