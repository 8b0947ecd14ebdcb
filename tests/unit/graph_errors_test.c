/* graph_errors_test.c — bad shapes and attributes give an error naming the node and the
 * shapes, never a crash; the first error sticks. */
#include <string.h>
#include "graph_models.h"

typedef struct Case {
    const char *what;
    int (*build)(Graph *g, int x); /* x = input [32,14,14]; returns the failing value */
    const char *msg;               /* expected message, exactly */
} Case;

static int c_add(Graph *g, int x)
{
    int y = graph_conv2d(g, x, 64, 1, 1, 1, 1, GPAD_VALID, 1, false);
    return graph_add(g, x, y);
}
static int c_dense_not_flat(Graph *g, int x) { return graph_dense(g, x, 10, true); }
static int c_kernel_too_big(Graph *g, int x) { return graph_conv2d(g, x, 8, 15, 15, 1, 1, GPAD_VALID, 1, true); }
static int c_same_even(Graph *g, int x) { return graph_conv2d(g, x, 8, 2, 2, 1, 1, GPAD_SAME, 1, true); }
static int c_groups(Graph *g, int x) { return graph_conv2d(g, x, 8, 3, 3, 1, 1, GPAD_SAME, 3, true); }
static int c_concat(Graph *g, int x)
{
    int p = graph_maxpool(g, x, 2, 2, GPAD_VALID);
    int xs[2] = {x, p};
    return graph_concat(g, 2, xs);
}
static int c_scale(Graph *g, int x)
{
    int s = graph_dense(g, graph_global_avgpool(g, x), 16, true);
    return graph_mul_channel(g, x, s);
}
static int c_bad_id(Graph *g, int x) { return graph_act(g, 999, GACT_RELU); }
static int c_pool_stride(Graph *g, int x) { return graph_maxpool(g, x, 3, 0, GPAD_SAME); }
static int c_dropout(Graph *g, int x) { return graph_dropout(g, x, 1.5f); }
static int c_loss_labels(Graph *g, int x)
{
    int l = graph_dense(g, graph_flatten(g, x), 10, true);
    return graph_softmax_xent(g, l, x);
}
static int c_loss_rank(Graph *g, int x) { return graph_softmax_xent(g, x, graph_labels(g)); }
static int c_pool_mask(Graph *g, int x)
{
    /* the dropout mask is training-only state, not an activation */
    int y = graph_dropout(g, x, 0.5f);
    return graph_act(g, y + 1, GACT_RELU);
}

static const Case cases[] = {
    {"add", c_add, "add: shapes [32,14,14] and [64,14,14] differ"},
    {"dense", c_dense_not_flat, "dense: input [32,14,14] is not flat; flatten it first"},
    {"kernel", c_kernel_too_big, "conv2d: kernel 15x15 larger than the padded input [32,14,14]"},
    {"same", c_same_even, "conv2d: padding 'same' needs an odd kernel, got 2x2"},
    {"groups", c_groups, "conv2d: groups 3 must divide input channels 32 and output channels 8"},
    {"concat", c_concat, "concat: input 1 [32,7,7] does not match input 0 [32,14,14] outside the channels"},
    {"scale", c_scale, "mul_channel: scale [16] must be [32] for input [32,14,14]"},
    {"id", c_bad_id, "act: input 0 is not a value (id 999)"},
    {"stride", c_pool_stride, "maxpool: stride 0 must be positive"},
    {"dropout", c_dropout, "dropout: probability 1.5 must be in [0, 1)"},
    {"labels", c_loss_labels, "softmax_xent: input 1 (value 0) is not the labels"},
    {"loss rank", c_loss_rank, "softmax_xent: input [32,14,14] is not flat; flatten it first"},
    {"mask", c_pool_mask, "act: input 0 (value 2) is not an activation"},
};

static void run_case(const Case *c)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){32, 14, 14});
    int bad = c->build(g, x);
    int bad_node = g->values[bad].producer;
    /* later nodes do not replace the first error */
    graph_act(g, bad, GACT_RELU);
    GraphError err;
    memset(&err, 0, sizeof err);
    int rc = graph_infer_shapes(g, &err);
    CHECK_EQ(rc, -1);
    CHECK_EQ(err.node, bad_node);
    CHECK_EQ(g->error.node, bad_node);
    if (strcmp(err.msg, c->msg) != 0) {
        graph_test_failures++;
        fprintf(stderr, "case %s: message\n  got:      %s\n  expected: %s\n", c->what, err.msg, c->msg);
    }
    CHECK(!g->shapes_ok);
    CHECK_EQ(graph_build_backward(g, &err), -1); /* refuses without shapes */
    GraphPlan p;
    CHECK_EQ(graph_plan(g, GRAPH_INFER, 1, true, &p, &err), -1);
    arena_free(&a);
}

/* Bad inputs and a node added after backward. */
static void test_misc(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    graph_input(g, 3, (const int64_t[]){3, 0, 8});
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), -1);
    CHECK(strcmp(err.msg, "input: dimension 1 of the input is 0") == 0);

    g = graph_new(&a);
    graph_input(g, 5, (const int64_t[]){1, 2, 3, 4, 5});
    CHECK_EQ(graph_infer_shapes(g, &err), -1);
    CHECK(strstr(err.msg, "1 to 3 dimensions") != NULL);

    g = graph_new(&a);
    int x = graph_input(g, 1, (const int64_t[]){20});
    int y = graph_labels(g);
    int l = graph_dense(g, x, 5, true);
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(graph_build_backward(g, &err), -1);
    CHECK(strstr(err.msg, "no loss") != NULL);
    graph_softmax_xent(g, l, y);
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(graph_build_backward(g, &err), 0);
    int n_before = g->nnodes;
    CHECK_EQ(graph_build_backward(g, &err), 0); /* idempotent */
    CHECK_EQ(g->nnodes, n_before);
    graph_act(g, l, GACT_RELU);
    CHECK_EQ(graph_infer_shapes(g, &err), -1);
    CHECK(strcmp(err.msg, "act: added after the backward graph was built") == 0);
    arena_free(&a);
}

/* Deterministic random op sequences with random (often bad) arguments: every graph either
 * passes all passes or stops with a message — no crash, no sanitizer report. */
static uint32_t rng_state = 12345;
static int rnd(int n)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (int)((rng_state >> 8) % (uint32_t)n);
}

static void test_random_graphs(void)
{
    int ok = 0, failed = 0;
    for (int iter = 0; iter < 400; iter++) {
        Arena a;
        arena_init(&a);
        Graph *g = graph_new(&a);
        int v[64], nv = 0;
        int64_t dims[3] = {1 + rnd(8), 1 + rnd(12), 1 + rnd(12)};
        int rank = rnd(6) == 0 ? 1 : 3;
        v[nv++] = graph_input(g, rank, dims);
        int labels = graph_labels(g);
        int steps = 1 + rnd(20);
        for (int s = 0; s < steps && nv < 60; s++) {
            int x = v[rnd(nv)], x2 = v[rnd(nv)];
            if (rnd(40) == 0) x = rnd(200) - 20; /* a bad value id now and then */
            int k = 1 + rnd(5), st = rnd(8) == 0 ? 0 : 1 + rnd(2);
            GraphPad pad = rnd(2) ? GPAD_SAME : GPAD_VALID;
            int y;
            switch (rnd(17)) {
            case 0: y = graph_conv2d(g, x, 1 + rnd(8), k, k, st, 1, pad, 1 + rnd(2), rnd(2)); break;
            case 1: y = graph_depthwise(g, x, k, st, 1, pad, rnd(2)); break;
            case 2: y = graph_pointwise(g, x, 1 + rnd(8), rnd(2)); break;
            case 3: y = graph_dense(g, x, 1 + rnd(16), rnd(2)); break;
            case 4: y = graph_batchnorm(g, x, 1e-5f, 0.1f); break;
            case 5: y = graph_act(g, x, (GraphAct)rnd(GACT_COUNT)); break;
            case 6: y = graph_maxpool(g, x, k, st, pad); break;
            case 7: y = graph_avgpool(g, x, k, st, pad); break;
            case 8: y = graph_global_avgpool(g, x); break;
            case 9: y = graph_flatten(g, x); break;
            case 10: y = graph_dropout(g, x, 0.3f); break;
            case 11: y = graph_add(g, x, x2); break;
            case 12: {
                int xs[2] = {x, x2};
                y = graph_concat(g, 2, xs);
                break;
            }
            case 13: y = graph_mul_channel(g, x, x2); break;
            case 14: y = graph_identity(g, x); break;
            case 15: y = graph_zero(g, x, 1 + rnd(2)); break;
            default: y = graph_dense(g, graph_flatten(g, x), 1 + rnd(6), true); break;
            }
            v[nv++] = y;
        }
        graph_softmax_xent(g, rnd(3) ? graph_dense(g, graph_flatten(g, v[nv - 1]), 4, true) : v[nv - 1], labels);
        GraphError err;
        err.msg[0] = '\0';
        GraphPlan p;
        GraphStats st;
        GraphChain *ch;
        if (graph_infer_shapes(g, &err) == 0 && graph_build_backward(g, &err) == 0 &&
            graph_plan(g, GRAPH_TRAIN, 1 + rnd(4), true, &p, &err) == 0 && graph_stats(g, 2, 1, &st, &err) == 0) {
            ok++;
            CHECK(p.size >= p.live_peak && p.size <= p.total);
            graph_fusion_chains(g, GRAPH_TRAIN, true, &ch);
            graph_fusion_chains(g, GRAPH_INFER, true, &ch);
        } else {
            failed++;
            CHECK(err.msg[0] != '\0');
        }
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            graph_print_text(g, null);
            graph_print_dot(g, null);
            fclose(null);
        }
        (void)graph_hash(g);
        arena_free(&a);
    }
    CHECK(ok > 20 && failed > 20); /* both paths exercised */
    printf("random graphs: %d valid, %d rejected with a message\n", ok, failed);
}

int main(void)
{
    test_random_graphs();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(&cases[i]);
    test_misc();
    if (graph_test_failures) fprintf(stderr, "%d check(s) failed\n", graph_test_failures);
    else printf("graph_errors_test: ok (%zu cases)\n", sizeof cases / sizeof cases[0]);
    return graph_test_failures != 0;
}
