/* graph_hash_test.c — the structural hash ignores creation order, names and inference, and
 * sees every attribute change; the text and dot printers show the graph. */
#include <stdlib.h>
#include <string.h>
#include "graph_models.h"

/* x -> two conv branches (kernels k1, k2) -> add -> gap -> dense -> loss; `swap` creates the
 * branches (and the add operands) in the other order, `named` names the nodes. */
static uint64_t two_branch(int k1, int k2, bool swap, bool named, bool infer)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){8, 12, 12});
    int y = graph_labels(g);
    int b1, b2;
    if (!swap) {
        b1 = graph_conv2d(g, x, 8, k1, k1, 1, 1, GPAD_SAME, 1, true);
        b2 = graph_conv2d(g, x, 8, k2, k2, 1, 1, GPAD_SAME, 1, true);
    } else {
        b2 = graph_conv2d(g, x, 8, k2, k2, 1, 1, GPAD_SAME, 1, true);
        b1 = graph_conv2d(g, x, 8, k1, k1, 1, 1, GPAD_SAME, 1, true);
    }
    if (named) {
        graph_set_name(g, b1, "left");
        graph_set_name(g, b2, "right");
    }
    int s = swap ? graph_add(g, b2, b1) : graph_add(g, b1, b2);
    graph_softmax_xent(g, graph_dense(g, graph_global_avgpool(g, s), 10, true), y);
    GraphError err;
    if (infer && graph_infer_shapes(g, &err)) graph_test_failures++;
    uint64_t h = graph_hash(g);
    arena_free(&a);
    return h;
}

static uint64_t lenet_hash(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    model_lenet5(g);
    uint64_t h = graph_hash(g);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(graph_build_backward(g, &err), 0);
    CHECK(graph_hash(g) == h); /* forward only: backward and inference change nothing */
    arena_free(&a);
    return h;
}

/* One 3x3 convolution (depthwise or not) at dilation d, after a crop of `crop` rows on top
 * and columns on the left (and `bottom` rows at the bottom). */
static uint64_t dilated(bool depthwise, int d, int crop, int bottom)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){4, 12, 12});
    if (crop || bottom) x = graph_crop(g, x, crop, crop, bottom, 0);
    if (depthwise) graph_depthwise(g, x, 3, 1, d, GPAD_SAME, false);
    else graph_conv2d(g, x, 8, 3, 3, 1, d, GPAD_SAME, 1, false);
    uint64_t h = graph_hash(g);
    arena_free(&a);
    return h;
}

static void test_hash(void)
{
    /* dilation and crop are part of the structure: a result cached (or carried over) for one
     * is never reused for the other */
    CHECK(dilated(false, 2, 0, 0) != dilated(false, 1, 0, 0));
    CHECK(dilated(false, 2, 0, 0) != dilated(false, 3, 0, 0));
    CHECK(dilated(true, 2, 0, 0) != dilated(true, 1, 0, 0));
    CHECK(dilated(false, 2, 0, 0) == dilated(false, 2, 0, 0));
    CHECK(dilated(false, 1, 1, 0) != dilated(false, 1, 0, 0));
    CHECK(dilated(false, 1, 1, 0) != dilated(false, 1, 0, 1));
    CHECK(dilated(false, 1, 1, 0) != dilated(false, 1, 2, 0));
    CHECK(dilated(false, 1, 1, 0) != dilated(false, 1, 1, 1));

    uint64_t base = two_branch(3, 5, false, false, true);
    CHECK(two_branch(3, 5, true, false, true) == base);  /* other construction order */
    CHECK(two_branch(3, 5, false, true, true) == base);  /* names do not count */
    CHECK(two_branch(3, 5, true, true, false) == base);  /* before inference */
    CHECK(two_branch(3, 7, false, false, true) != base); /* a different kernel */
    CHECK(two_branch(5, 3, false, false, true) == base); /* add is commutative */
    CHECK(two_branch(5, 5, false, false, true) != base);
    CHECK(lenet_hash() == lenet_hash());
    /* the same on every machine and run: integer-only mixing, pinned here */
    printf("lenet5 hash %016llx\n", (unsigned long long)lenet_hash());
    CHECK(lenet_hash() == 0x1e37f7924a3a8aa6ULL);

    /* concat is not commutative; depthwise before and after inference hashes the same */
    Arena a;
    arena_init(&a);
    uint64_t h[2];
    for (int order = 0; order < 2; order++) {
        Graph *g = graph_new(&a);
        int x = graph_input(g, 3, (const int64_t[]){4, 8, 8});
        int p = graph_maxpool(g, x, 3, 1, GPAD_SAME);
        int d = graph_depthwise(g, x, 3, 1, 1, GPAD_SAME, false);
        int xs[2] = {order ? d : p, order ? p : d};
        graph_concat(g, 2, xs);
        h[order] = graph_hash(g);
        GraphError err;
        CHECK_EQ(graph_infer_shapes(g, &err), 0);
        CHECK(graph_hash(g) == h[order]);
    }
    CHECK(h[0] != h[1]);
    arena_free(&a);
}

static char *capture(void (*print)(const Graph *, FILE *), const Graph *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    print(g, f);
    fclose(f);
    return buf;
}

static int count(const char *s, const char *sub)
{
    int c = 0;
    for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub)) c++;
    return c;
}

/* LeNet-5 with its backward graph, the first conv's output named `name`; NULL if it fails. */
static Graph *named_lenet(Arena *a, const char *name)
{
    Graph *g = graph_new(a);
    model_lenet5(g);
    graph_set_name(g, g->nodes[2].out[0], name);
    GraphError err;
    return graph_infer_shapes(g, &err) || graph_build_backward(g, &err) ? NULL : g;
}

static void test_print(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = named_lenet(&a, "conv\"1");
    CHECK(g != NULL);
    if (!g) {
        arena_free(&a);
        return;
    }
    char *text = capture(graph_print_text, g);
    CHECK_EQ(count(text, "\n"), g->nnodes + 1);
    CHECK(strstr(text, "61706 params") != NULL);
    CHECK(strstr(text, "conv2d 6 5x5 s1 p0 g1 +b") != NULL);
    CHECK(strstr(text, "[B,6,28,28]") != NULL);
    CHECK(strstr(text, "w@param+0[6,1,5,5]") != NULL);
    CHECK(strstr(text, "conv2d_bwd_filter") != NULL);
    CHECK(strstr(text, "act_bwd tanh") != NULL);
    char *dot = capture(graph_print_dot, g);
    CHECK(strncmp(dot, "digraph nas {", 13) == 0);
    CHECK_EQ(count(dot, "[label="), g->nnodes);
    int edges = 0; /* one edge per input produced by a node */
    for (int n = 0; n < g->nnodes; n++)
        for (int k = 0; k < g->nodes[n].nin; k++) edges += g->values[g->nodes[n].in[k]].producer >= 0;
    CHECK_EQ(count(dot, " -> n"), edges);
    CHECK(strstr(dot, "conv\\\"1") != NULL); /* quotes escaped */
    CHECK(strstr(dot, "style=dashed") != NULL);
    free(text);
    free(dot);
    arena_free(&a);
}

/* `graph_hash_test --dot`: print the dot of LeNet-5 with its backward graph (CMake feeds it
 * to Graphviz's dot, which must accept it). */
static int emit_dot(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = named_lenet(&a, "conv \"1\" \\ x");
    if (g) graph_print_dot(g, stdout);
    arena_free(&a);
    return g ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--dot") == 0) return emit_dot();
    test_hash();
    test_print();
    if (graph_test_failures) fprintf(stderr, "%d check(s) failed\n", graph_test_failures);
    else printf("graph_hash_test: ok\n");
    return graph_test_failures != 0;
}
