/* graph_plan_test.c — the liveness buffer plan never overlaps two live values, its size lies
 * between the live peak and the no-reuse total; fusion chains are well formed. */
#include <stdlib.h>
#include <string.h>
#include "graph_models.h"

static bool storage_needed(const Graph *g, int v) { return v >= 0 && g->values[v].storage == GSTORE_ARENA; }

static void check_plan(Graph *g, GraphMode mode, int64_t batch, bool fuse, const char *what)
{
    GraphPlan p;
    GraphError err;
    int fails = graph_test_failures;
    CHECK_EQ(graph_plan(g, mode, batch, fuse, &p, &err), 0);
    CHECK(p.live_peak > 0 && p.size >= p.live_peak && p.size <= p.total);
    /* every pair of roots whose lives intersect occupies disjoint bytes (all pairs) */
    for (int u = 0; u < p.nvalues; u++) {
        if (p.root[u] != u || p.bytes[u] == 0) continue;
        CHECK(p.offset[u] >= 0 && p.offset[u] % 64 == 0 && p.offset[u] + p.bytes[u] <= p.size);
        CHECK(p.bytes[u] >= graph_value_bytes(g, u, batch));
        for (int v = u + 1; v < p.nvalues; v++) {
            if (p.root[v] != v || p.bytes[v] == 0) continue;
            bool live_together = p.first[u] <= p.last[v] && p.first[v] <= p.last[u];
            bool apart = p.offset[u] + p.bytes[u] <= p.offset[v] || p.offset[v] + p.bytes[v] <= p.offset[u];
            if (live_together && !apart) {
                graph_test_failures++;
                fprintf(stderr, "%s: values %d and %d overlap while live\n", what, u, v);
            }
        }
    }
    /* chain intermediates that nobody outside reads have no storage; all others do */
    bool *inner = calloc((size_t)p.nvalues, sizeof(bool));
    for (int c = 0; c < p.nchains; c++) {
        const GraphChain *ch = &p.chains[c];
        if (!fuse) CHECK_EQ(ch->n, 1);
        for (int i = 0; i < ch->n; i++) {
            CHECK_EQ(p.chain_of[ch->nodes[i]], c);
            CHECK_EQ(p.step[ch->nodes[i]], ch->nodes[ch->n - 1]);
            if (i < ch->n - 1) inner[g->nodes[ch->nodes[i]].out[0]] = true;
        }
        for (int k = 0; k < ch->nstored; k++) inner[ch->stored[k]] = false;
    }
    /* the schedule's reads and writes (at each node's step) are covered by storage and life */
    for (int n = 0; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        if (!graph_node_in_mode(g, n, mode)) continue;
        int t = p.step[n];
        for (int k = 0; k < nd->nout; k++) {
            int v = nd->out[k];
            if (!storage_needed(g, v) || (mode == GRAPH_INFER && g->values[v].train_only)) continue;
            if (inner[v]) {
                CHECK_EQ(p.offset[v], -1);
                continue;
            }
            CHECK(p.offset[v] >= 0 && p.first[v] <= t && p.last[v] >= t);
        }
        if (nd->op == GOP_ZERO) continue;
        for (int k = 0; k < nd->nin; k++) {
            int v = nd->in[k];
            if (!storage_needed(g, v) || inner[v]) continue;
            CHECK(p.offset[v] >= 0 && p.first[v] <= t && p.last[v] >= t);
        }
        if (graph_node_is_view(g, n, mode)) CHECK_EQ(p.offset[nd->out[0]], p.offset[nd->in[0]]);
        /* the executor may write dlogits while running the loss node */
        if (nd->op == GOP_SOFTMAX_XENT_BWD) CHECK_EQ(p.first[nd->out[0]], nd->fwd);
    }
    for (int v = 0; v < p.nvalues; v++) {
        const GraphValue *val = &g->values[v];
        if (mode == GRAPH_INFER && (val->train_only || (val->producer >= g->nfwd))) CHECK_EQ(p.offset[v], -1);
        if (mode == GRAPH_TRAIN && val->saved) CHECK(p.last[v] >= g->nfwd); /* kept for backward */
        if (val->storage != GSTORE_ARENA) CHECK_EQ(p.offset[v], -1);
    }
    free(inner);
    if (graph_test_failures != fails)
        fprintf(stderr, "  (in plan %s, mode %d, batch %lld, fuse %d)\n", what, mode, (long long)batch, fuse);
}

static void check_chains_well_formed(Graph *g, GraphMode mode)
{
    GraphChain *ch;
    int nc = graph_fusion_chains(g, mode, true, &ch);
    int *seen = calloc((size_t)g->nnodes, sizeof(int));
    for (int c = 0; c < nc; c++) {
        CHECK(ch[c].n >= 1);
        for (int i = 0; i < ch[c].n; i++) {
            int n = ch[c].nodes[i];
            CHECK(graph_node_in_mode(g, n, mode));
            CHECK(!(mode == GRAPH_TRAIN && g->nodes[n].op == GOP_BATCHNORM));
            CHECK(seen[n]++ == 0);
            if (i > 0) {
                const GraphNode *nd = &g->nodes[n];
                int prev = g->nodes[ch[c].nodes[i - 1]].out[0];
                bool reads = false;
                for (int k = 0; k < nd->nin; k++) reads |= nd->in[k] == prev;
                CHECK(reads);
                CHECK(n > ch[c].nodes[i - 1]);
                CHECK(graph_shape_equal(&g->values[nd->out[0]].shape, &g->values[prev].shape));
            }
        }
    }
    free(seen);
}

static void plan_model(int (*build)(Graph *), const char *what)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    build(g);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    check_chains_well_formed(g, GRAPH_INFER);
    for (int fuse = 0; fuse <= 1; fuse++) {
        check_plan(g, GRAPH_INFER, 1, fuse, what);
        if (!g->has_backward) CHECK_EQ(graph_build_backward(g, &err), 0);
        check_plan(g, GRAPH_INFER, 3, fuse, what);
        check_plan(g, GRAPH_TRAIN, 1, fuse, what);
        check_plan(g, GRAPH_TRAIN, 32, fuse, what);
        GraphPlan p;
        CHECK_EQ(graph_plan(g, GRAPH_TRAIN, 32, fuse, &p, &err), 0);
        check_chains_well_formed(g, GRAPH_TRAIN);
        printf("%-10s train B=32 %-8s buffer %lld B, live peak %lld B, no-reuse total %lld B\n", what,
               fuse ? "fused:" : "unfused:", (long long)p.size, (long long)p.live_peak, (long long)p.total);
    }
    arena_free(&a);
}

/* x [1,8,8] (256 B) -> relu -> relu -> relu. Unfused: lives [0,1] [1,2] [2,3] [3,end]; two
 * buffers alternate, so the plan is exactly 512 B (the live peak) out of 1024 B. Fused: one
 * map from x to the output at the last relu's step; the two intermediates never exist. */
static void test_chain_exact(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){1, 8, 8});
    for (int i = 0; i < 3; i++) x = graph_act(g, x, GACT_RELU);
    graph_set_name(g, x, "out");
    g->values[x].output = true;
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    GraphPlan p;
    CHECK_EQ(graph_plan(g, GRAPH_INFER, 1, false, &p, &err), 0);
    CHECK_EQ(p.size, 512);
    CHECK_EQ(p.live_peak, 512);
    CHECK_EQ(p.total, 1024);
    CHECK_EQ(p.last[x], g->nnodes);
    CHECK_EQ(graph_plan(g, GRAPH_INFER, 1, true, &p, &err), 0);
    CHECK_EQ(p.nchains, 1);
    CHECK_EQ(p.chains[0].n, 3);
    CHECK_EQ(p.size, 512);
    CHECK_EQ(p.total, 512);
    CHECK_EQ(p.first[x], g->nnodes - 1);
    CHECK_EQ(p.offset[g->nodes[g->nnodes - 2].out[0]], -1);
    /* the executor's sizes (padded channels) replace the shapes' and are what gets placed */
    int64_t *bytes = malloc(sizeof(int64_t) * (size_t)g->nvalues);
    for (int v = 0; v < g->nvalues; v++) bytes[v] = 2 * graph_value_bytes(g, v, 1);
    CHECK_EQ(graph_plan_sized(g, GRAPH_INFER, 1, false, bytes, &p, &err), 0);
    CHECK_EQ(p.size, 1024);
    CHECK_EQ(p.total, 2048);
    CHECK_EQ(p.bytes[x], 2 * 256);
    free(bytes);
    CHECK_EQ(graph_plan(g, GRAPH_TRAIN, 1, true, &p, &err), -1); /* no backward graph */
    CHECK(strstr(err.msg, "backward") != NULL);
    CHECK_EQ(graph_plan(g, GRAPH_INFER, 0, true, &p, &err), -1);
    arena_free(&a);
}

static void test_fusion(void)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){24, 14, 14});
    model_mbv2_block(g, x, 24, 6, 1);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    /* inference: [bn, relu6] after expand, [bn, relu6] after depthwise, [bn, add] after project */
    GraphChain *ch;
    int nc = graph_fusion_chains(g, GRAPH_INFER, true, &ch);
    CHECK_EQ(nc, 3);
    static const GraphOp second[3] = {GOP_ACT, GOP_ACT, GOP_ADD};
    for (int c = 0; c < nc && c < 3; c++) {
        CHECK_EQ(ch[c].n, 2);
        CHECK_EQ(g->nodes[ch[c].nodes[0]].op, GOP_BATCHNORM);
        CHECK_EQ(g->nodes[ch[c].nodes[1]].op, second[c]);
        CHECK(ch[c].anchor >= 0 && g->nodes[ch[c].anchor].op == GOP_CONV2D);
        CHECK_EQ(ch[c].nstored, 0);
    }
    check_chains_well_formed(g, GRAPH_INFER);

    /* training: x -> dense -> relu -> sigmoid -> dense -> loss. Forward chain [relu, sigmoid]
     * must store the relu output (sigmoid's backward reads it); backward chain
     * [act_bwd sigmoid, act_bwd relu]. */
    g = graph_new(&a);
    x = graph_input(g, 1, (const int64_t[]){12});
    int y = graph_labels(g);
    int d1 = graph_dense(g, x, 8, true);
    int r = graph_act(g, d1, GACT_RELU);
    int s = graph_act(g, r, GACT_SIGMOID);
    graph_softmax_xent(g, graph_dense(g, s, 3, true), y);
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(graph_build_backward(g, &err), 0);
    nc = graph_fusion_chains(g, GRAPH_TRAIN, true, &ch);
    int fwd_chain = -1, bwd_chain = -1;
    for (int c = 0; c < nc; c++) {
        if (ch[c].n == 2 && g->nodes[ch[c].nodes[0]].op == GOP_ACT) fwd_chain = c;
        if (ch[c].n == 2 && g->nodes[ch[c].nodes[0]].op == GOP_ACT_BWD) bwd_chain = c;
    }
    CHECK(fwd_chain >= 0 && bwd_chain >= 0);
    if (fwd_chain >= 0) {
        CHECK_EQ(ch[fwd_chain].nodes[0], g->values[r].producer);
        CHECK_EQ(ch[fwd_chain].anchor, g->values[d1].producer);
        CHECK_EQ(ch[fwd_chain].nstored, 1);
        CHECK_EQ(ch[fwd_chain].stored[0], r);
    }
    if (bwd_chain >= 0) {
        CHECK_EQ(g->nodes[ch[bwd_chain].nodes[0]].a.act, GACT_SIGMOID);
        CHECK_EQ(g->nodes[ch[bwd_chain].nodes[1]].a.act, GACT_RELU);
        CHECK_EQ(ch[bwd_chain].anchor, -1);
    }
    check_chains_well_formed(g, GRAPH_TRAIN);
    arena_free(&a);
}

static int residual_model(Graph *g)
{
    int x = graph_input(g, 3, (const int64_t[]){8, 16, 16});
    int y = graph_labels(g);
    int h = model_mbv2_block(g, x, 8, 4, 1);
    int parts[2] = {h, graph_zero(g, x, 1)};
    h = graph_concat(g, 2, parts);
    h = graph_dropout(g, graph_flatten(g, graph_identity(g, graph_maxpool(g, h, 2, 2, GPAD_VALID))), 0.5f);
    h = graph_dense(g, h, 10, true);
    graph_softmax_xent(g, h, y);
    return h;
}

int main(void)
{
    test_chain_exact();
    plan_model(model_lenet5, "lenet5");
    plan_model(model_fashion_cnn, "fashion");
    plan_model(model_mobilenet, "mobilenet");
    plan_model(residual_model, "residual");
    test_fusion();
    if (graph_test_failures) fprintf(stderr, "%d check(s) failed\n", graph_test_failures);
    else printf("graph_plan_test: ok\n");
    return graph_test_failures != 0;
}
