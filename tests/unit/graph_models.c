/* graph_models.c — reference networks for the graph tests and benchmark (see graph_models.h). */
#include "graph_models.h"

int graph_test_failures;

int model_lenet5(Graph *g)
{
    int x = graph_input(g, 3, (const int64_t[]){1, 32, 32});
    int y = graph_labels(g);
    x = graph_act(g, graph_conv2d(g, x, 6, 5, 5, 1, 1, GPAD_VALID, 1, true), GACT_TANH);  /* [6,28,28] */
    x = graph_avgpool(g, x, 2, 2, GPAD_VALID);                                            /* [6,14,14] */
    x = graph_act(g, graph_conv2d(g, x, 16, 5, 5, 1, 1, GPAD_VALID, 1, true), GACT_TANH); /* [16,10,10] */
    x = graph_avgpool(g, x, 2, 2, GPAD_VALID);                                            /* [16,5,5] */
    x = graph_flatten(g, x);                                                              /* [400] */
    x = graph_act(g, graph_dense(g, x, 120, true), GACT_TANH);
    x = graph_act(g, graph_dense(g, x, 84, true), GACT_TANH);
    x = graph_dense(g, x, 10, true);
    graph_softmax_xent(g, x, y);
    return x;
}

int model_fashion_cnn(Graph *g)
{
    int x = graph_input(g, 3, (const int64_t[]){1, 28, 28});
    int y = graph_labels(g);
    x = graph_act(g, graph_conv2d(g, x, 32, 3, 3, 1, 1, GPAD_SAME, 1, true), GACT_RELU);
    x = graph_maxpool(g, x, 2, 2, GPAD_VALID); /* [32,14,14] */
    x = graph_act(g, graph_conv2d(g, x, 64, 3, 3, 1, 1, GPAD_SAME, 1, true), GACT_RELU);
    x = graph_maxpool(g, x, 2, 2, GPAD_VALID); /* [64,7,7] */
    x = graph_flatten(g, x);                   /* [3136] */
    x = graph_act(g, graph_dense(g, x, 128, true), GACT_RELU);
    x = graph_dense(g, x, 10, true);
    graph_softmax_xent(g, x, y);
    return x;
}

static int bn_act(Graph *g, int x, bool act)
{
    x = graph_batchnorm(g, x, 1e-5f, 0.1f);
    return act ? graph_act(g, x, GACT_RELU6) : x;
}

int model_mbv2_block(Graph *g, int x, int out, int t, int stride)
{
    int c = (int)g->values[x].shape.d[0]; /* shapes are inferred as nodes are added */
    int h = bn_act(g, graph_pointwise(g, x, c * t, false), true);
    h = bn_act(g, graph_depthwise(g, h, 3, stride, 1, GPAD_SAME, false), true);
    h = bn_act(g, graph_pointwise(g, h, out, false), false);
    return stride == 1 && out == c ? graph_add(g, h, x) : h;
}

/* squeeze-excite on x [c,h,w]: gap -> dense c/4 -> relu -> dense c -> sigmoid -> scale */
static int squeeze_excite(Graph *g, int x)
{
    int c = (int)g->values[x].shape.d[0];
    int s = graph_global_avgpool(g, x);
    s = graph_act(g, graph_dense(g, s, c / 4, true), GACT_RELU);
    s = graph_act(g, graph_dense(g, s, c, true), GACT_SIGMOID);
    return graph_mul_channel(g, x, s);
}

int model_mobilenet(Graph *g)
{
    static const int blocks[7][3] = {
        /* out, expansion, stride */
        {16, 1, 1}, {24, 6, 2}, {24, 6, 1}, {32, 6, 2}, {32, 6, 1}, {64, 6, 2}, {64, 6, 1},
    };
    int x = graph_input(g, 3, (const int64_t[]){3, 32, 32});
    int y = graph_labels(g);
    x = bn_act(g, graph_conv2d(g, x, 32, 3, 3, 1, 1, GPAD_SAME, 1, false), true);
    for (int i = 0; i < 7; i++) {
        x = model_mbv2_block(g, x, blocks[i][0], blocks[i][1], blocks[i][2]);
        if (i == 4) x = squeeze_excite(g, x);
    }
    x = bn_act(g, graph_pointwise(g, x, 256, false), true);
    x = graph_dropout(g, graph_global_avgpool(g, x), 0.2f);
    x = graph_dense(g, x, 10, true);
    graph_softmax_xent(g, x, y);
    return x;
}
