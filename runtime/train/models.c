/* models.c — reference MLP and CNN graphs (see models.h). */
#include "models.h"

static Graph *finish(Graph *g, int x, int classes, int labels)
{
    int logits = graph_dense(g, x, classes, true);
    graph_softmax_xent(g, logits, labels);
    return g;
}

Graph *model_mlp(Arena *a, int c, int h, int w, const int *hidden, int nh, int classes)
{
    Graph *g = graph_new(a);
    int x = graph_flatten(g, graph_input(g, 3, (int64_t[]){c, h, w}));
    int y = graph_labels(g);
    for (int i = 0; i < nh; i++) x = graph_act(g, graph_dense(g, x, hidden[i], true), GACT_RELU);
    return finish(g, x, classes, y);
}

Graph *model_cnn(Arena *a, int c, int h, int w, const int *ch, int nconv, int fc, int classes, int bn, float dropout)
{
    Graph *g = graph_new(a);
    int x = graph_input(g, 3, (int64_t[]){c, h, w});
    int y = graph_labels(g);
    for (int i = 0; i < nconv; i++) {
        x = graph_conv2d(g, x, ch[i], 3, 3, 1, 1, GPAD_SAME, 1, !bn);
        if (bn) x = graph_batchnorm(g, x, 1e-5f, 0.1f);
        x = graph_maxpool(g, graph_act(g, x, GACT_RELU), 2, 2, GPAD_VALID);
    }
    x = graph_act(g, graph_dense(g, graph_flatten(g, x), fc, true), GACT_RELU);
    if (dropout > 0) x = graph_dropout(g, x, dropout);
    return finish(g, x, classes, y);
}
