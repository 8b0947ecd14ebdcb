/* graph_models_test.c — shapes, parameter counts and MACs of reference networks, checked
 * against counts worked out by hand below. */
#include <string.h>
#include "graph_models.h"

static void shape_is(const Graph *g, int v, int rank, int64_t d0, int64_t d1, int64_t d2)
{
    const GraphShape *s = &g->values[v].shape;
    CHECK_EQ(s->rank, rank);
    CHECK(s->batched);
    const int64_t d[3] = {d0, d1, d2};
    for (int i = 0; i < rank && i < 3; i++) CHECK_EQ(s->d[i], d[i]);
}

/* LeNet-5, 'valid' convolutions on 32x32:
 *   conv1 5x5 1->6:   6*1*5*5 + 6    =    156 params; out [6,28,28]; MACs 6*28*28*1*25   = 117,600
 *   avgpool 2:        [6,14,14]
 *   conv2 5x5 6->16:  16*6*5*5 + 16  =  2,416 params; out [16,10,10]; MACs 16*10*10*6*25 = 240,000
 *   avgpool 2:        [16,5,5] -> flatten 400
 *   fc 400->120:      400*120 + 120  = 48,120;  MACs 48,000
 *   fc 120->84:       120*84 + 84    = 10,164;  MACs 10,080
 *   fc 84->10:        84*10 + 10     =    850;  MACs    840
 *   total params 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706; MACs 416,520 */
static void test_lenet5(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int logits = model_lenet5(g);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    shape_is(g, logits, 1, 10, 0, 0);
    shape_is(g, g->loss, 0, 0, 0, 0);
    /* conv1 output: node 2 (after input and labels) */
    shape_is(g, g->nodes[2].out[0], 3, 6, 28, 28);
    GraphStats st;
    CHECK_EQ(graph_stats(g, 32, 1, &st, &err), 0);
    CHECK_EQ(st.params, 61706);
    CHECK_EQ(st.state, 0);
    CHECK_EQ(st.macs, 416520);
    CHECK_EQ(st.param_bytes, 61706 * 4);
    CHECK_EQ(st.optim_bytes, 61706 * 4);
    CHECK_EQ(st.train_total_bytes, st.train_bytes + 3 * 61706 * 4);
    CHECK(st.infer_bytes > 0 && st.train_bytes > st.infer_bytes);
    /* inference at batch 1 needs at least the two largest neighbours: input 32*32 and conv1
     * output 6*28*28 floats (both live while conv1 runs) */
    CHECK(st.infer_bytes >= (1024 + 4704) * 4);
    arena_free(&a);
}

/* Fashion-MNIST CNN with 'same' padding:
 *   conv 3x3 1->32:   32*1*9 + 32    =     320; out [32,28,28]; MACs 32*28*28*9      =   225,792
 *   maxpool 2 ->      [32,14,14]
 *   conv 3x3 32->64:  64*32*9 + 64   =  18,496; out [64,14,14]; MACs 64*14*14*32*9  = 3,612,672
 *   maxpool 2 ->      [64,7,7] -> flatten 3136
 *   fc 3136->128:     3136*128 + 128 = 401,536; MACs 401,408
 *   fc 128->10:       128*10 + 10    =   1,290; MACs   1,280
 *   total params 320 + 18,496 + 401,536 + 1,290 = 421,642; MACs 4,241,152 */
static void test_fashion_cnn(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int logits = model_fashion_cnn(g);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    shape_is(g, logits, 1, 10, 0, 0);
    GraphStats st;
    CHECK_EQ(graph_stats(g, 128, 0, &st, &err), 0);
    CHECK_EQ(st.params, 421642);
    CHECK_EQ(st.macs, 4241152);
    CHECK_EQ(st.optim_bytes, 0);
    /* the flatten output [3136] is a view of the pool output [64,7,7] */
    int flat = -1;
    for (int n = 0; n < g->nfwd; n++)
        if (g->nodes[n].op == GOP_FLATTEN) flat = n;
    CHECK(flat >= 0);
    shape_is(g, g->nodes[flat].out[0], 1, 3136, 0, 0);
    CHECK(graph_node_is_view(g, flat, GRAPH_TRAIN));
    arena_free(&a);
}

/* MobileNetV2 inverted residual on [24,56,56], expansion 6 (144 channels), stride 1, no biases:
 *   expand 1x1 24->144:   24*144 = 3,456 params;  MACs 56*56*144*24  = 10,838,016
 *   bn 144:               gamma+beta 288;         running mean+var 288 (state)
 *   depthwise 3x3 (144):  144*9  = 1,296 params;  MACs 56*56*144*9   =  4,064,256
 *   bn 144:               288;                    state 288
 *   project 1x1 144->24:  144*24 = 3,456 params;  MACs 56*56*24*144  = 10,838,016
 *   bn 24:                48;                     state 48
 *   residual add (stride 1, 24 == 24)
 *   params 3,456 + 288 + 1,296 + 288 + 3,456 + 48 = 8,832; state 624; MACs 25,740,288
 * Elementwise at batch 1: bn 3136*(144+144+24) = 978,432; relu6 2*3136*144 = 903,168;
 * add 3136*24 = 75,264: total 1,956,864. */
static void test_mbv2_block(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){24, 56, 56});
    int y = model_mbv2_block(g, x, 24, 6, 1);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    shape_is(g, y, 3, 24, 56, 56);
    CHECK_EQ(g->nodes[g->values[y].producer].op, GOP_ADD);
    GraphStats st;
    CHECK_EQ(graph_stats(g, 8, 0, &st, &err), 0); /* no loss: inference only */
    CHECK_EQ(st.params, 8832);
    CHECK_EQ(st.state, 624);
    CHECK_EQ(st.macs, 25740288);
    CHECK_EQ(st.elementwise, 1956864);
    CHECK_EQ(st.train_bytes, 0);
    /* the depthwise conv resolved groups = out = 144 and weight [144,1,3,3] */
    int dw = -1;
    for (int n = 0; n < g->nfwd; n++)
        if (g->nodes[n].op == GOP_CONV2D && g->nodes[n].a.depthwise) dw = n;
    CHECK(dw >= 0);
    CHECK_EQ(g->nodes[dw].a.groups, 144);
    CHECK_EQ(g->nodes[dw].a.ph, 1);
    const GraphShape *w = &g->values[g->nodes[dw].in[1]].shape;
    CHECK_EQ(w->rank, 4);
    CHECK_EQ(w->d[0], 144);
    CHECK_EQ(w->d[1], 1);
    CHECK_EQ(w->d[2] * w->d[3], 9);
    /* stride 2 with 'same': ceil(56/2) = 28, no residual */
    int y2 = model_mbv2_block(g, y, 32, 6, 2);
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    shape_is(g, y2, 3, 32, 28, 28);
    CHECK(g->nodes[g->values[y2].producer].op == GOP_BATCHNORM);
    arena_free(&a);
}

/* The benchmark's MobileNet-shaped network builds, trains (backward) and plans. */
static void test_mobilenet(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int logits = model_mobilenet(g);
    GraphError err = {0};
    CHECK_EQ(g->error.node, -1);
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    shape_is(g, logits, 1, 10, 0, 0);
    GraphStats st;
    CHECK_EQ(graph_stats(g, 64, 2, &st, &err), 0);
    CHECK(st.params > 0 && st.macs > 0);
    CHECK_EQ(st.optim_bytes, 2 * st.param_bytes);
    CHECK(st.train_bytes > 64 * st.infer_bytes / 2);
    printf("mobilenet: %d forward nodes, %d nodes with backward, params %lld, state %lld, MACs %lld, "
           "infer %lld B, train(B=64) %lld B\n",
           g->nfwd, g->nnodes, (long long)st.params, (long long)st.state, (long long)st.macs, (long long)st.infer_bytes,
           (long long)st.train_bytes);
    arena_free(&a);
}

int main(void)
{
    test_lenet5();
    test_fashion_cnn();
    test_mbv2_block();
    test_mobilenet();
    if (graph_test_failures) fprintf(stderr, "%d check(s) failed\n", graph_test_failures);
    else printf("graph_models_test: ok\n");
    return graph_test_failures != 0;
}
