/* graph_ops.c — facts about op kinds: names, which mode runs a node, views, elementwise. */
#include "graph_int.h"

const char *graph_op_name(GraphOp op)
{
    static const char *const names[GOP_COUNT] = {
        [GOP_INPUT] = "input",
        [GOP_LABELS] = "labels",
        [GOP_CONV2D] = "conv2d",
        [GOP_DENSE] = "dense",
        [GOP_BATCHNORM] = "batchnorm",
        [GOP_ACT] = "act",
        [GOP_MAXPOOL] = "maxpool",
        [GOP_AVGPOOL] = "avgpool",
        [GOP_GLOBAL_AVGPOOL] = "global_avgpool",
        [GOP_FLATTEN] = "flatten",
        [GOP_DROPOUT] = "dropout",
        [GOP_ADD] = "add",
        [GOP_CONCAT] = "concat",
        [GOP_MUL_CHANNEL] = "mul_channel",
        [GOP_IDENTITY] = "identity",
        [GOP_ZERO] = "zero",
        [GOP_SOFTMAX_XENT] = "softmax_xent",
        [GOP_CROP] = "crop",
        [GOP_CONV2D_BWD_DATA] = "conv2d_bwd_data",
        [GOP_CONV2D_BWD_FILTER] = "conv2d_bwd_filter",
        [GOP_DENSE_BWD_DATA] = "dense_bwd_data",
        [GOP_DENSE_BWD_FILTER] = "dense_bwd_filter",
        [GOP_BATCHNORM_BWD] = "batchnorm_bwd",
        [GOP_ACT_BWD] = "act_bwd",
        [GOP_MAXPOOL_BWD] = "maxpool_bwd",
        [GOP_AVGPOOL_BWD] = "avgpool_bwd",
        [GOP_GLOBAL_AVGPOOL_BWD] = "global_avgpool_bwd",
        [GOP_RESHAPE] = "reshape",
        [GOP_DROPOUT_BWD] = "dropout_bwd",
        [GOP_MUL_CHANNEL_BWD] = "mul_channel_bwd",
        [GOP_SLICE_CHANNELS] = "slice_channels",
        [GOP_GRAD_ADD] = "grad_add",
        [GOP_SOFTMAX_XENT_BWD] = "softmax_xent_bwd",
        [GOP_FILL_ZERO] = "fill_zero",
        [GOP_CROP_BWD] = "crop_bwd",
    };
    return (unsigned)op < GOP_COUNT && names[op] ? names[op] : "?";
}

const char *graph_act_name(GraphAct act)
{
    static const char *const names[GACT_COUNT] = {
        [GACT_RELU] = "relu", [GACT_RELU6] = "relu6", [GACT_SIGMOID] = "sigmoid",
        [GACT_TANH] = "tanh", [GACT_SWISH] = "swish", [GACT_GELU] = "gelu",
    };
    return (unsigned)act < GACT_COUNT ? names[act] : "?";
}

bool graph_node_in_mode(const Graph *g, int node, GraphMode mode)
{
    return mode == GRAPH_TRAIN || g->nodes[node].phase == GPHASE_FORWARD;
}

bool graph_node_is_view(const Graph *g, int node, GraphMode mode)
{
    switch (g->nodes[node].op) {
    case GOP_FLATTEN:
    case GOP_IDENTITY:
    case GOP_RESHAPE: return true;
    case GOP_DROPOUT: return mode == GRAPH_INFER;
    default: return false;
    }
}

bool graph_node_elementwise(const Graph *g, int n, GraphMode mode)
{
    switch (g->nodes[n].op) {
    case GOP_ACT:
    case GOP_ADD:
    case GOP_MUL_CHANNEL:
    case GOP_ACT_BWD:
    case GOP_DROPOUT_BWD:
    case GOP_GRAD_ADD: return true;
    case GOP_BATCHNORM:
    case GOP_DROPOUT: /* bn train needs batch statistics; dropout infer is a view */
        return mode == GRAPH_TRAIN ? g->nodes[n].op == GOP_DROPOUT : g->nodes[n].op == GOP_BATCHNORM;
    default: return false;
    }
}
