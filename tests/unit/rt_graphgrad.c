/* rt_graphgrad.c — gradients through whole graphs run by the executor (oneDNN convolutions, dilated too,
 * and pooling, sgemm, JIT kernels, batchnorm, dropout, residual add, concat, squeeze-excite,
 * global pooling, crop, the fused loss) against central finite differences of the loss over the
 * parameters and the input. Tolerance: |a - n| <= 5e-2 * max(|a|,|n|) + 1e-3, h = 2e-3,
 * and at least 97% of the checked entries (max pooling / relu kinks may flip an entry).
 * Fused vs unfused and blocked (nChw8c or nChw16c, channels padded to the block) vs NCHW runs
 * must agree (check_variant); a blocked 12/24-channel step reorders almost nothing (check_reorders). */
#include "exec.h"
#include "rng.h"
#include "models.h"
#include "train.h"
#include "rt_check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { B = 4 };

static double run_loss(Exec *e, const float *x, const int32_t *y)
{
    exec_set_batch(e, x, y);
    exec_run(e, 1234);
    double l, c;
    exec_batch_metrics(e, &l, &c);
    return l / B;
}

/* Shapes and the backward graph; false (and a failure) when the graph is malformed. */
static bool ready(const char *name, Graph *g)
{
    GraphError ge;
    if (graph_infer_shapes(g, &ge) || graph_build_backward(g, &ge)) {
        CHECK(0, "%s: graph: %s", name, ge.msg);
        return false;
    }
    return true;
}

/* A batch of normal inputs (malloc'd, *n floats). */
static float *random_batch(const Graph *g, uint64_t seed, int64_t *n)
{
    *n = graph_shape_numel(&g->values[g->input].shape, B);
    float *x = malloc(sizeof(float) * (size_t)*n);
    Rng r;
    rng_seed(&r, seed);
    for (int64_t i = 0; i < *n; i++) x[i] = rng_normal(&r);
    return x;
}

static void check_graph(const char *name, Graph *g, Backend *bk)
{
    BkError be;
    if (!ready(name, g)) return;
    ModelBuffers m;
    Exec e;
    if (model_buffers_alloc(bk, g, &m, &be) || exec_create(&e, g, bk, &m, GRAPH_TRAIN, B, 1, &be)) {
        CHECK(0, "%s: %s", name, be.msg);
        return;
    }
    init_params(g, m.params, m.state, 5);
    for (int64_t i = 0; i < g->nparams; i++) m.params[i] += 0.05f * (float)((i * 7919) % 13 - 6) / 6.0f;
    int64_t nin;
    float *x = random_batch(g, 77, &nin);
    int32_t y[B] = {0, 1, 2, 1};
    float *state0 = malloc(sizeof(float) * (size_t)(g->nstate + 1));
    memcpy(state0, m.state, sizeof(float) * (size_t)g->nstate);

    run_loss(&e, x, y);
    float *grad = malloc(sizeof(float) * (size_t)g->nparams);
    memcpy(grad, m.grads, sizeof(float) * (size_t)g->nparams);
    /* the input's gradient, when the graph computes one */
    int gx = g->values[g->input].grad;
    float *gin = NULL;
    if (gx >= 0 && exec_value(&e, gx)) {
        gin = malloc(sizeof(float) * (size_t)nin);
        memcpy(gin, exec_value(&e, gx), sizeof(float) * (size_t)nin);
    }
    const float h = 2e-3f;
    int checked = 0, bad = 0;
    for (int which = 0; which < 2; which++) {
        float *p = which ? x : m.params;
        const float *an = which ? gin : grad;
        int64_t n = which ? nin : g->nparams;
        if (!an) continue;
        int64_t step = n > 150 ? n / 150 : 1;
        for (int64_t i = (which ? 3 : 0); i < n; i += step) {
            float save = p[i];
            p[i] = save + h;
            double lp = run_loss(&e, x, y);
            p[i] = save - h;
            double lm = run_loss(&e, x, y);
            p[i] = save;
            double num = (lp - lm) / (2 * h);
            checked++;
            if (fabs(an[i] - num) > 5e-2 * fmax(fabs(an[i]), fabs(num)) + 1e-3 && bad++ < 5)
                fprintf(stderr, "  %s: %s[%lld]: analytic %.6g numeric %.6g\n", name, which ? "input" : "param",
                        (long long)i, an[i], num);
        }
    }
    CHECK(checked > 50 && bad <= checked * 3 / 100, "%s: %d of %d gradient entries differ", name, bad, checked);
    printf("%s: %d entries checked, %d off\n", name, checked, bad);
    free(x);
    free(grad);
    free(gin);
    free(state0);
    exec_destroy(&e);
    model_buffers_free(bk, &m);
}

/* Two ways of running the same graph that must agree: one training step and one inference
 * pass each, from the same parameters and batch. FUSION: fuse = 0 vs 1 (gradients bit for
 * bit, logits within 1e-5: batchnorm's fused inference rounds differently). LAYOUTS: NCHW
 * only vs activations kept in the backend's nChw<k>c (both bit for bit: the convolutions and
 * batchnorm compute in nChw<k>c either way and reorders are exact). Each also asserts the variant really happened. */
typedef enum Variant { FUSION, LAYOUTS } Variant;

static void check_variant(const char *name, Graph *g, Backend *bk, Variant what)
{
    if (!ready(name, g)) return;
    BkError be;
    ModelBuffers m[2];
    Exec tr[2], ev[2];
    int64_t nin, nlog = graph_shape_numel(&g->values[g->logits].shape, B);
    float *x = random_batch(g, 99, &nin);
    int32_t y[B] = {2, 0, 1, 1};
    int happened = 0, block = bk->channel_block;
    for (int f = 0; f < 2; f++) {
        if (what == LAYOUTS) bk->channel_block = f ? block : 0;
        int fuse = what == FUSION ? f : 1;
        if (model_buffers_alloc(bk, g, &m[f], &be) || exec_create(&tr[f], g, bk, &m[f], GRAPH_TRAIN, B, fuse, &be) ||
            exec_create(&ev[f], g, bk, &m[f], GRAPH_INFER, B, fuse, &be)) {
            CHECK(0, "%s: %s", name, be.msg);
            return;
        }
        init_params(g, m[f].params, m[f].state, 11);
        run_loss(&tr[f], x, y);
        run_loss(&ev[f], x, y);
        for (int c = 0; what == FUSION && c < tr[f].plan.nchains; c++) happened += f && tr[f].plan.chains[c].n > 1;
        for (int v = 0; what == LAYOUTS && v < g->nvalues; v++) happened += f && tr[f].block[v];
    }
    bk->channel_block = block;
    CHECK(happened > 0, "%s: %s", name,
          what == FUSION ? "no chain of two or more nodes was fused" : "no activation was kept blocked");
    int same = memcmp(m[0].grads, m[1].grads, sizeof(float) * (size_t)g->nparams) == 0;
    CHECK(same, "%s: the gradients differ", name);
    const float *l0 = exec_value(&ev[0], g->logits), *l1 = exec_value(&ev[1], g->logits);
    double worst = 0, tol = what == FUSION ? 1e-5 : 0;
    for (int64_t i = 0; i < nlog; i++) worst = fmax(worst, fabs(l0[i] - l1[i]) / fmax(1.0, fabs(l0[i])));
    CHECK(worst <= tol, "%s: the logits differ by %g", name, worst);
    if (same)
        printf("%s: %d %s, gradients bit for bit, logits within %.2g\n", name, happened,
               what == FUSION ? "chains fused" : "values blocked", worst);
    for (int f = 0; f < 2; f++) {
        exec_destroy(&tr[f]);
        exec_destroy(&ev[f]);
        model_buffers_free(bk, &m[f]);
    }
    free(x);
}

/* A graph with every op kind the executor runs. */
static Graph *zoo(Arena *a)
{
    Graph *g = graph_new(a);
    int x = graph_input(g, 3, (int64_t[]){2, 8, 8});
    int y = graph_labels(g);
    int c1 = graph_act(g, graph_conv2d(g, x, 4, 3, 3, 1, 1, GPAD_SAME, 1, true), GACT_TANH);
    int c2 = graph_act(g, graph_batchnorm(g, graph_conv2d(g, c1, 4, 3, 3, 1, 1, GPAD_SAME, 1, false), 1e-5f, 0.1f),
                       GACT_SWISH);
    int res = graph_add(g, c1, c2); /* residual */
    int dw = graph_act(g, graph_depthwise(g, res, 3, 1, 1, GPAD_SAME, true), GACT_SIGMOID);
    int se = graph_act(g, graph_dense(g, graph_global_avgpool(g, dw), 4, true), GACT_SIGMOID);
    int sc = graph_mul_channel(g, dw, se); /* squeeze-excite */
    int cat = graph_concat(g, 2, (int[]){sc, graph_pointwise(g, res, 3, true)});
    int p1 = graph_maxpool(g, graph_act(g, cat, GACT_GELU), 2, 2, GPAD_VALID);
    int p2 = graph_avgpool(g, p1, 3, 1, GPAD_SAME);
    int f = graph_dropout(g, graph_flatten(g, graph_act(g, p2, GACT_RELU6)), 0.2f);
    int l = graph_dense(g, graph_act(g, graph_dense(g, f, 12, true), GACT_TANH), 3, true);
    graph_softmax_xent(g, l, y);
    return g;
}

/* Dilated convolutions (dense and depthwise, strided) and a crop: DARTS' dil_conv and the
 * shifted half of FactorizedReduce. */
static Graph *dilated(Arena *a)
{
    Graph *g = graph_new(a);
    int x = graph_input(g, 3, (int64_t[]){2, 8, 8});
    int y = graph_labels(g);
    int c = graph_act(g, graph_conv2d(g, x, 4, 3, 3, 1, 2, GPAD_SAME, 1, true), GACT_TANH);
    int d = graph_act(g, graph_depthwise(g, c, 3, 2, 3, GPAD_SAME, false), GACT_SIGMOID);
    int s = graph_conv2d(g, graph_crop(g, c, 1, 1, 0, 0), 4, 1, 1, 2, 1, GPAD_VALID, 1, false);
    int v = graph_conv2d(g, graph_crop(g, x, 0, 2, 1, 0), 3, 3, 3, 1, 2, GPAD_VALID, 1, true);
    int cat = graph_concat(g, 2, (int[]){d, s});
    int l = graph_dense(g, graph_concat(g, 2, (int[]){graph_flatten(g, cat), graph_flatten(g, v)}), 3, true);
    graph_softmax_xent(g, l, y);
    return g;
}

/* A residual net of c and 2c channels ending in global average pooling: the shape of the
 * example's small architectures. 12/24 are not multiples of AVX2's block of 8, 24 not of
 * AVX-512's 16. */
static Graph *small_resnet(Arena *a, int c)
{
    Graph *g = graph_new(a);
    int x = graph_input(g, 3, (int64_t[]){1, 12, 12});
    int y = graph_labels(g);
    int s =
        graph_act(g, graph_batchnorm(g, graph_conv2d(g, x, c, 3, 3, 1, 1, GPAD_SAME, 1, false), 1e-5f, 0.1f), GACT_RELU);
    int h =
        graph_act(g, graph_batchnorm(g, graph_conv2d(g, s, c, 3, 3, 1, 1, GPAD_SAME, 1, false), 1e-5f, 0.1f), GACT_RELU);
    h = graph_batchnorm(g, graph_conv2d(g, h, c, 3, 3, 1, 1, GPAD_SAME, 1, false), 1e-5f, 0.1f);
    int r = graph_act(g, graph_add(g, s, h), GACT_RELU);
    int t =
        graph_act(g, graph_batchnorm(g, graph_conv2d(g, r, 2 * c, 3, 3, 2, 1, GPAD_SAME, 1, false), 1e-5f, 0.1f), GACT_SWISH);
    graph_softmax_xent(g, graph_dense(g, graph_global_avgpool(g, t), 3, true), y);
    return g;
}

/* The layout plan's point, structurally: activation reorders (the backend's counter) in one
 * training step of small_resnet. Blocked, only the 1-channel input's (for the first
 * convolution's filter gradient) and global pooling's [N, C] output and its gradient are
 * left; NCHW throughout, every convolution and batchnorm reorders around itself. The widths
 * are 1.5 blocks and 3 (12/24 with AVX2's 8, 24/48 with AVX-512's 16): below the block
 * oneDNN's AVX-512 kernels want layouts no plan can give a value at once (the forward
 * convolution a plain source, the filter gradient 8-channel blocks: 11 reorders a step). */
static void check_reorders(Arena *a, Backend *bk)
{
    if (!bk->act_reorders) return;
    int block = bk->channel_block, c = block * 3 / 2;
    uint64_t per_step[2] = {0, 0};
    for (int f = 0; f < 2; f++) {
        Graph *g = small_resnet(a, c);
        if (!ready("small resnet", g)) return;
        BkError be;
        ModelBuffers m;
        Exec e;
        bk->channel_block = f ? block : 0;
        if (model_buffers_alloc(bk, g, &m, &be) || exec_create(&e, g, bk, &m, GRAPH_TRAIN, B, 1, &be)) {
            CHECK(0, "small resnet: %s", be.msg);
            bk->channel_block = block;
            return;
        }
        init_params(g, m.params, m.state, 3);
        int64_t nin;
        float *x = random_batch(g, 5, &nin);
        int32_t y[B] = {0, 1, 2, 1};
        run_loss(&e, x, y); /* a first step: nothing is counted while primitives are created */
        uint64_t r0 = bk->act_reorders(bk);
        run_loss(&e, x, y);
        per_step[f] = bk->act_reorders(bk) - r0;
        free(x);
        exec_destroy(&e);
        model_buffers_free(bk, &m);
    }
    bk->channel_block = block;
    CHECK(per_step[1] <= 3, "small resnet (%d/%d channels): %llu activation reorders in a blocked training step", c,
          2 * c, (unsigned long long)per_step[1]);
    CHECK(per_step[0] > per_step[1], "small resnet: NCHW %llu reorders, blocked %llu: the count sees nothing",
          (unsigned long long)per_step[0], (unsigned long long)per_step[1]);
    printf("small resnet (%d/%d channels): activation reorders per training step: %llu blocked, %llu NCHW\n", c,
           2 * c, (unsigned long long)per_step[1], (unsigned long long)per_step[0]);
}

int main(void)
{
    Arena a;
    arena_init(&a);
    for (int jit = 0; jit <= 1; jit++) {
        Backend bk;
        BkError be;
        BackendOptions bo = {2, jit, BK_GEMM_AUTO, BK_PREC_FP32};
        if (backend_open("cpu", &bo, &bk, &be)) {
            fprintf(stderr, "%s\n", be.msg);
            return 1;
        }
        check_graph(jit ? "zoo (jit)" : "zoo (reference kernels)", zoo(&a), &bk);
        check_graph(jit ? "dilated, crop (jit)" : "dilated, crop (reference kernels)", dilated(&a), &bk);
        check_variant(jit ? "zoo fused vs unfused (jit)" : "zoo fused vs unfused (reference kernels)", zoo(&a), &bk,
                      FUSION);
        if (jit) {
            check_variant("cnn 16/32 channels, batchnorm, dropout: blocked vs NCHW",
                          model_cnn(&a, 1, 12, 12, (int[]){16, 32}, 2, 8, 3, 1, 0.2f), &bk, LAYOUTS);
            check_variant("cnn 12/24 channels (padded blocks), batchnorm: blocked vs NCHW",
                          model_cnn(&a, 1, 12, 12, (int[]){12, 24}, 2, 8, 3, 1, 0), &bk, LAYOUTS);
            check_graph("small resnet 12/24 channels (blocked, padded)", small_resnet(&a, 12), &bk);
            check_reorders(&a, &bk);
            check_graph("mlp", model_mlp(&a, 1, 6, 6, (int[]){10, 8}, 2, 3), &bk);
            check_graph("cnn", model_cnn(&a, 1, 8, 8, (int[]){3, 4}, 2, 8, 3, 0, 0), &bk);
            bo.gemm = BK_GEMM_OPENBLAS;
            backend_close(&bk);
            backend_open("cpu", &bo, &bk, &be);
            check_graph("cnn (openblas)", model_cnn(&a, 1, 8, 8, (int[]){3, 4}, 2, 8, 3, 1, 0), &bk);
        }
        backend_close(&bk);
    }
    arena_free(&a);
    return RT_DONE("rt_graphgrad");
}
