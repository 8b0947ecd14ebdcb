/* graph_backward_test.c — the statically derived backward graph has the expected ops,
 * wiring, accumulation, parameter gradients and saved activations. */
#include <string.h>
#include "graph_models.h"

static int count_op(const Graph *g, GraphOp op)
{
    int c = 0;
    for (int n = g->nfwd; n < g->nnodes; n++) c += g->nodes[n].op == op;
    return c;
}

static int find_op(const Graph *g, GraphOp op)
{
    for (int n = g->nfwd; n < g->nnodes; n++)
        if (g->nodes[n].op == op) return n;
    return -1;
}

/* Invariants every backward graph must satisfy. */
static void check_invariants(const Graph *g)
{
    for (int n = g->nfwd; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        CHECK_EQ(nd->phase, GPHASE_BACKWARD);
        CHECK(nd->op == GOP_FILL_ZERO || (nd->fwd >= 0 && nd->fwd < g->nfwd));
        for (int k = 0; k < nd->nin; k++) { /* topological: inputs exist before the node */
            const GraphValue *v = &g->values[nd->in[k]];
            CHECK(v->producer < n);
            CHECK(v->producer >= 0 || v->storage == GSTORE_PARAM || v->storage == GSTORE_STATE);
        }
    }
    for (int v = 0; v < g->nvalues; v++) {
        const GraphValue *val = &g->values[v];
        if (val->storage != GSTORE_PARAM) continue;
        CHECK(val->grad >= 0); /* every parameter gets a gradient, in the gradient buffer */
        const GraphValue *gv = &g->values[val->grad];
        CHECK_EQ(gv->storage, GSTORE_PARAM_GRAD);
        CHECK_EQ(gv->flat, val->flat);
        CHECK_EQ(graph_shape_numel(&gv->shape, 1), graph_shape_numel(&val->shape, 1));
    }
}

/* x -> conv(+b) -> bn -> relu = a;  a + conv(a) -> gap -> dense -> loss */
static void test_residual(void)
{
    Arena ar;
    arena_init(&ar);
    Graph *g = graph_new(&ar);
    int x = graph_input(g, 3, (const int64_t[]){3, 8, 8});
    int y = graph_labels(g);
    int c1 = graph_conv2d(g, x, 4, 3, 3, 1, 1, GPAD_SAME, 1, true);
    int b1 = graph_batchnorm(g, c1, 1e-5f, 0.1f);
    int a = graph_act(g, b1, GACT_RELU);
    int c2 = graph_conv2d(g, a, 4, 3, 3, 1, 1, GPAD_SAME, 1, false);
    int s = graph_add(g, a, c2);
    int p = graph_global_avgpool(g, s);
    int l = graph_dense(g, p, 10, true);
    graph_softmax_xent(g, l, y);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    int nfwd = g->nnodes;
    CHECK_EQ(graph_build_backward(g, &err), 0);
    CHECK_EQ(g->nfwd, nfwd);
    CHECK_EQ(g->nnodes - g->nfwd, 10);
    CHECK_EQ(count_op(g, GOP_SOFTMAX_XENT_BWD), 1);
    CHECK_EQ(count_op(g, GOP_DENSE_BWD_DATA), 1);
    CHECK_EQ(count_op(g, GOP_DENSE_BWD_FILTER), 1);
    CHECK_EQ(count_op(g, GOP_GLOBAL_AVGPOOL_BWD), 1);
    CHECK_EQ(count_op(g, GOP_CONV2D_BWD_DATA), 1); /* conv1's input needs no gradient */
    CHECK_EQ(count_op(g, GOP_CONV2D_BWD_FILTER), 2);
    CHECK_EQ(count_op(g, GOP_GRAD_ADD), 1); /* a feeds add and conv2 */
    CHECK_EQ(count_op(g, GOP_ACT_BWD), 1);
    CHECK_EQ(count_op(g, GOP_BATCHNORM_BWD), 1);
    CHECK_EQ(count_op(g, GOP_FILL_ZERO), 0);
    /* the first backward node is the loss gradient, reading logits and labels */
    const GraphNode *xb = &g->nodes[g->nfwd];
    CHECK_EQ(xb->op, GOP_SOFTMAX_XENT_BWD);
    CHECK_EQ(xb->in[0], l);
    CHECK_EQ(xb->in[1], y);
    CHECK_EQ(g->values[l].grad, xb->out[0]);
    /* add fans out: the gradient of s is used as is for a's first contribution and conv2's dy */
    int ds = g->values[s].grad;
    CHECK(ds >= 0);
    CHECK_EQ(g->values[c2].grad, ds);
    const GraphNode *acc = &g->nodes[find_op(g, GOP_GRAD_ADD)];
    const GraphNode *c2d = &g->nodes[find_op(g, GOP_CONV2D_BWD_DATA)];
    CHECK_EQ(c2d->in[0], ds);
    CHECK_EQ(c2d->in[1], g->nodes[g->values[c2].producer].in[1]); /* conv2's weight */
    CHECK(acc->in[0] == ds && acc->in[1] == c2d->out[0]);
    CHECK_EQ(g->values[a].grad, acc->out[0]);
    /* relu backward reads the relu INPUT (bn output) and the accumulated gradient */
    const GraphNode *ab = &g->nodes[find_op(g, GOP_ACT_BWD)];
    CHECK_EQ(ab->in[0], b1);
    CHECK_EQ(ab->in[1], acc->out[0]);
    CHECK_EQ(ab->a.act, GACT_RELU);
    /* bn backward: x, gamma, saved stats, dy -> dx, dgamma, dbeta */
    const GraphNode *bb = &g->nodes[find_op(g, GOP_BATCHNORM_BWD)];
    const GraphNode *bf = &g->nodes[g->values[b1].producer];
    CHECK_EQ(bb->in[0], c1);
    CHECK_EQ(bb->in[1], bf->in[1]);
    CHECK_EQ(bb->in[2], bf->out[1]);
    CHECK_EQ(bb->in[3], bf->out[2]);
    CHECK_EQ(bb->in[4], ab->out[0]);
    CHECK(bb->out[0] >= 0);
    CHECK_EQ(g->values[bf->in[1]].grad, bb->out[1]);
    /* conv1: only the filter gradient, with the bias gradient as second output */
    int fnode = -1;
    for (int n = g->nfwd; n < g->nnodes; n++)
        if (g->nodes[n].op == GOP_CONV2D_BWD_FILTER && g->nodes[n].fwd == g->values[c1].producer) fnode = n;
    CHECK(fnode >= 0);
    CHECK_EQ(g->nodes[fnode].in[0], x);
    CHECK_EQ(g->nodes[fnode].in[1], bb->out[0]);
    CHECK_EQ(g->nodes[fnode].nout, 2);
    CHECK_EQ(g->values[x].grad, -1);
    /* saved for backward: input, conv1 out, bn out and stats, a, gap out, logits, labels;
     * not saved: relu-free values nobody reads backward (s, c2) */
    CHECK(g->values[x].saved && g->values[c1].saved && g->values[b1].saved && g->values[a].saved);
    CHECK(g->values[bf->out[1]].saved && g->values[p].saved && g->values[l].saved && g->values[y].saved);
    CHECK(!g->values[s].saved && !g->values[c2].saved);
    check_invariants(g);
    arena_free(&ar);
}

/* concat + zero + squeeze-excite scale + dropout + pools + identity + flatten */
static void test_branches(void)
{
    Arena ar;
    arena_init(&ar);
    Graph *g = graph_new(&ar);
    int x = graph_input(g, 3, (const int64_t[]){4, 8, 8});
    int y = graph_labels(g);
    int br1 = graph_pointwise(g, x, 4, false);
    int br2 = graph_conv2d(g, x, 2, 3, 3, 1, 1, GPAD_SAME, 1, false);
    int z = graph_zero(g, graph_pointwise(g, x, 3, false), 1);
    int xs[3] = {br1, br2, z};
    int cat = graph_concat(g, 3, xs);
    int s = graph_act(g, graph_dense(g, graph_global_avgpool(g, cat), 9, true), GACT_SIGMOID);
    int m = graph_mul_channel(g, cat, s);
    int d = graph_dropout(g, m, 0.25f);
    int mp = graph_maxpool(g, d, 2, 2, GPAD_VALID);
    int ap = graph_avgpool(g, mp, 3, 1, GPAD_SAME);
    int f = graph_flatten(g, graph_identity(g, ap));
    int l = graph_dense(g, f, 10, true);
    graph_softmax_xent(g, l, y);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(g->values[cat].shape.d[0], 9);
    CHECK_EQ(g->values[f].shape.d[0], 9 * 4 * 4);
    CHECK_EQ(graph_build_backward(g, &err), 0);
    CHECK_EQ(count_op(g, GOP_SLICE_CHANNELS), 2); /* the zero branch gets no slice */
    CHECK_EQ(count_op(g, GOP_FILL_ZERO), 1);      /* the 1x1 conv feeding zero */
    CHECK_EQ(count_op(g, GOP_CONV2D_BWD_DATA), 0);
    CHECK_EQ(count_op(g, GOP_CONV2D_BWD_FILTER), 2);
    CHECK_EQ(count_op(g, GOP_MUL_CHANNEL_BWD), 1);
    CHECK_EQ(count_op(g, GOP_GRAD_ADD), 1); /* cat feeds gap and mul_channel */
    CHECK_EQ(count_op(g, GOP_DROPOUT_BWD), 1);
    CHECK_EQ(count_op(g, GOP_MAXPOOL_BWD), 1);
    CHECK_EQ(count_op(g, GOP_AVGPOOL_BWD), 1);
    CHECK_EQ(count_op(g, GOP_RESHAPE), 1);
    for (int n = g->nfwd; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        if (nd->op != GOP_SLICE_CHANNELS) continue;
        int target = g->values[nd->out[0]].grad_of;
        CHECK(target == br1 || target == br2);
        CHECK_EQ(nd->a.begin, target == br1 ? 0 : 4);
        CHECK_EQ(nd->a.count, target == br1 ? 4 : 2);
        CHECK_EQ(g->values[nd->out[0]].shape.d[0], nd->a.count);
    }
    const GraphNode *mb = &g->nodes[find_op(g, GOP_MUL_CHANNEL_BWD)];
    CHECK(mb->out[0] >= 0 && mb->out[1] >= 0);
    CHECK_EQ(g->values[mb->out[1]].shape.d[0], 9);
    const GraphNode *db = &g->nodes[find_op(g, GOP_DROPOUT_BWD)];
    CHECK_EQ(db->in[1], g->nodes[g->values[d].producer].out[1]); /* the mask */
    CHECK(g->values[db->in[1]].saved && g->values[db->in[1]].train_only);
    CHECK_EQ(g->values[z].grad, -1);
    /* the identity passes its gradient through: same value for ap and the identity output */
    CHECK_EQ(g->values[ap].grad, g->values[g->nodes[g->values[f].producer].in[0]].grad);
    check_invariants(g);
    arena_free(&ar);
}

/* batchnorm straight on the input: its dx is not needed (-1) */
static void test_bn_on_input(void)
{
    Arena ar;
    arena_init(&ar);
    Graph *g = graph_new(&ar);
    int x = graph_input(g, 1, (const int64_t[]){6});
    int y = graph_labels(g);
    int h = graph_act(g, graph_batchnorm(g, x, 1e-5f, 0.1f), GACT_GELU);
    graph_softmax_xent(g, graph_dense(g, h, 3, false), y);
    GraphError err;
    CHECK_EQ(graph_infer_shapes(g, &err), 0);
    CHECK_EQ(graph_build_backward(g, &err), 0);
    const GraphNode *bb = &g->nodes[find_op(g, GOP_BATCHNORM_BWD)];
    CHECK_EQ(bb->out[0], -1);
    CHECK(bb->out[1] >= 0 && bb->out[2] >= 0);
    CHECK_EQ(count_op(g, GOP_DENSE_BWD_FILTER), 1);
    CHECK_EQ(g->nodes[find_op(g, GOP_DENSE_BWD_FILTER)].nout, 1); /* no bias */
    check_invariants(g);
    arena_free(&ar);
}

int main(void)
{
    test_residual();
    test_branches();
    test_bn_on_input();
    if (graph_test_failures) fprintf(stderr, "%d check(s) failed\n", graph_test_failures);
    else printf("graph_backward_test: ok\n");
    return graph_test_failures != 0;
}
