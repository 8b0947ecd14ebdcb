/* conformance.c — every backend that is built (backend_list) against the reference ops:
 * convolution forward / backward-data / backward-filter (dense, strided, grouped,
 * depthwise, pointwise, 5x5, dilated, with and without bias), max and average pooling forward and
 * backward (with padding), matmul in all four transpose cases (and accumulating),
 * batchnorm (train and backward; inference as the executor runs it: a fused map of a graph
 * x -> batchnorm -> relu) and fused JIT kernels vs codegen's C reference.
 * Tolerance: max |backend - reference| <= 1e-4 * max(1, max |reference|). */
#include "arena.h"
#include "backend.h"
#include "exec.h"
#include "ops_ref.h"
#include "rng.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static Rng rng;

static float *dev_rand(Backend *b, int64_t n, float **host)
{
    *host = malloc(sizeof(float) * (size_t)(n + 1));
    for (int64_t i = 0; i < n; i++) (*host)[i] = rng_normal(&rng);
    float *d = b->alloc(b, sizeof(float) * (size_t)(n + 1));
    b->to_device(b, d, *host, sizeof(float) * (size_t)n);
    return d;
}

static void compare(Backend *b, const char *what, const float *dev, const float *ref, int64_t n)
{
    float *h = malloc(sizeof(float) * (size_t)(n + 1));
    b->to_host(b, h, dev, sizeof(float) * (size_t)n);
    double worst = 0, scale = 1;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(ref[i]));
    for (int64_t i = 0; i < n; i++) worst = fmax(worst, fabs(h[i] - ref[i]));
    if (!(worst <= 1e-4 * scale)) {
        failures++;
        fprintf(stderr, "FAIL %s %s: max difference %.3g (scale %.3g)\n", b->name, what, worst, scale);
    }
    free(h);
}

static void conv_case(Backend *b, int n, int c, int h, int oc, int k, int s, int p, int g, int bias, int dil)
{
    ConvDesc d = {.n = n,
                  .c = c,
                  .h = h,
                  .w = h + 2,
                  .oc = oc,
                  .kh = k,
                  .kw = k,
                  .sh = s,
                  .sw = s,
                  .ph = p,
                  .pw = p,
                  .dh = dil,
                  .dw = dil,
                  .groups = g,
                  .has_bias = bias};
    conv_desc_finish(&d);
    int64_t nx = (int64_t)n * c * d.h * d.w, nw = (int64_t)oc * (c / g) * k * k, ny = (int64_t)n * oc * d.oh * d.ow;
    float *hx, *hw, *hb, *hdy;
    float *x = dev_rand(b, nx, &hx), *w = dev_rand(b, nw, &hw), *bb = dev_rand(b, oc, &hb), *dy = dev_rand(b, ny, &hdy);
    float *y = b->alloc(b, 4 * (size_t)ny), *dx = b->alloc(b, 4 * (size_t)nx), *dw = b->alloc(b, 4 * (size_t)nw),
          *db = b->alloc(b, 4 * (size_t)oc);
    float *ry = malloc(4 * (size_t)ny), *rdx = malloc(4 * (size_t)nx), *rdw = malloc(4 * (size_t)nw),
          *rdb = malloc(4 * (size_t)oc);
    BkError err;
    BkPlan *pl = b->conv_plan(b, &d, &err);
    char what[128];
    snprintf(what, sizeof what, "conv n%d c%d h%d oc%d k%d s%d p%d g%d bias%d d%d", n, c, h, oc, k, s, p, g, bias, dil);
    if (!pl) {
        failures++;
        fprintf(stderr, "FAIL %s plan: %s\n", what, err.msg);
    } else {
        b->conv_fwd(b, pl, x, w, bias ? bb : NULL, y);
        b->conv_bwd_data(b, pl, dy, w, dx);
        b->conv_bwd_filter(b, pl, x, dy, dw, bias ? db : NULL);
        b->sync(b);
        ref_conv_fwd(&d, hx, hw, bias ? hb : NULL, ry);
        ref_conv_bwd_data(&d, hdy, hw, rdx);
        ref_conv_bwd_filter(&d, hx, hdy, rdw, bias ? rdb : NULL);
        char w2[160];
        snprintf(w2, sizeof w2, "%s fwd", what);
        compare(b, w2, y, ry, ny);
        snprintf(w2, sizeof w2, "%s bwd_data", what);
        compare(b, w2, dx, rdx, nx);
        snprintf(w2, sizeof w2, "%s bwd_filter", what);
        compare(b, w2, dw, rdw, nw);
        if (bias) {
            snprintf(w2, sizeof w2, "%s bwd_bias", what);
            compare(b, w2, db, rdb, oc);
        }
        b->plan_free(b, pl);
    }
    float *dv[] = {x, w, bb, dy, y, dx, dw, db};
    for (int i = 0; i < 8; i++) b->free(b, dv[i]);
    free(hx);
    free(hw);
    free(hb);
    free(hdy);
    free(ry);
    free(rdx);
    free(rdw);
    free(rdb);
}

static void pool_case(Backend *b, PoolKind kind, int k, int s, int p)
{
    PoolDesc d = {.kind = kind, .n = 3, .c = 5, .h = 9, .w = 8, .kh = k, .kw = k, .sh = s, .sw = s, .ph = p, .pw = p};
    pool_desc_finish(&d);
    int64_t nx = 3 * 5 * 9 * 8, ny = 3 * 5 * (int64_t)d.oh * d.ow;
    float *hx, *hdy;
    float *x = dev_rand(b, nx, &hx), *dy = dev_rand(b, ny, &hdy);
    float *y = b->alloc(b, 4 * (size_t)ny), *dx = b->alloc(b, 4 * (size_t)nx);
    float *ry = malloc(4 * (size_t)ny), *rdx = malloc(4 * (size_t)nx);
    BkError err;
    BkPlan *pl = b->pool_plan(b, &d, &err);
    char what[96];
    snprintf(what, sizeof what, "%s pool k%d s%d p%d", kind == POOL_MAX ? "max" : "avg", k, s, p);
    if (!pl) {
        failures++;
        fprintf(stderr, "FAIL %s plan: %s\n", what, err.msg);
    } else {
        b->pool_fwd(b, pl, x, y);
        b->pool_bwd(b, pl, x, dy, dx);
        ref_pool_fwd(&d, hx, ry);
        ref_pool_bwd(&d, hx, hdy, rdx);
        char w2[128];
        snprintf(w2, sizeof w2, "%s fwd", what);
        compare(b, w2, y, ry, ny);
        snprintf(w2, sizeof w2, "%s bwd", what);
        compare(b, w2, dx, rdx, nx);
        b->plan_free(b, pl);
    }
    b->free(b, x);
    b->free(b, dy);
    b->free(b, y);
    b->free(b, dx);
    free(hx);
    free(hdy);
    free(ry);
    free(rdx);
}

static void matmul_case(Backend *b, int ta, int tb, int m, int n, int k, int acc)
{
    float *ha, *hb, *hc;
    float *a = dev_rand(b, (int64_t)m * k, &ha), *bm = dev_rand(b, (int64_t)k * n, &hb),
          *c = dev_rand(b, (int64_t)m * n, &hc);
    BkError err;
    BkPlan *pl = b->matmul_plan(b, ta, tb, m, n, k, acc, &err);
    char what[96];
    snprintf(what, sizeof what, "matmul ta%d tb%d %dx%dx%d acc%d", ta, tb, m, n, k, acc);
    if (!pl) {
        failures++;
        fprintf(stderr, "FAIL %s plan: %s\n", what, err.msg);
    } else {
        b->matmul(b, pl, a, bm, c);
        ref_gemm(ta, tb, m, n, k, 1.0f, ha, hb, acc ? 1.0f : 0.0f, hc);
        compare(b, what, c, hc, (int64_t)m * n);
        b->plan_free(b, pl);
    }
    b->free(b, a);
    b->free(b, bm);
    b->free(b, c);
    free(ha);
    free(hb);
    free(hc);
}

static void bn_case(Backend *b, int n, int c, int hw)
{
    BnDesc d = {n, c, hw, 1e-5f, 0.1f, 0};
    int64_t nx = (int64_t)n * c * hw;
    float *hx, *hg, *hbt, *hdy, *hrm, *hrv;
    float *x = dev_rand(b, nx, &hx), *g = dev_rand(b, c, &hg), *bt = dev_rand(b, c, &hbt), *dy = dev_rand(b, nx, &hdy);
    float *rm = dev_rand(b, c, &hrm), *rv = dev_rand(b, c, &hrv);
    for (int i = 0; i < c; i++) hrv[i] = fabsf(hrv[i]) + 0.5f;
    b->to_device(b, rv, hrv, 4 * (size_t)c);
    float *y = b->alloc(b, 4 * (size_t)nx), *dx = b->alloc(b, 4 * (size_t)nx), *sm = b->alloc(b, 4 * (size_t)c),
          *si = b->alloc(b, 4 * (size_t)c), *dg = b->alloc(b, 4 * (size_t)c), *dbt = b->alloc(b, 4 * (size_t)c);
    float *ry = malloc(4 * (size_t)nx), *rdx = malloc(4 * (size_t)nx), *rsm = malloc(4 * (size_t)c),
          *rsi = malloc(4 * (size_t)c), *rdg = malloc(4 * (size_t)c), *rdb = malloc(4 * (size_t)c);
    BkError err;
    BkPlan *pl = b->bn_plan(b, &d, &err);
    if (!pl) {
        failures++;
        fprintf(stderr, "FAIL bn plan: %s\n", err.msg);
        return;
    }
    b->bn_fwd_train(b, pl, x, g, bt, y, sm, si, rm, rv);
    ref_bn_fwd_train(&d, hx, hg, hbt, ry, rsm, rsi, hrm, hrv);
    compare(b, "batchnorm train y", y, ry, nx);
    compare(b, "batchnorm running mean", rm, hrm, c);
    compare(b, "batchnorm running var", rv, hrv, c);
    b->bn_bwd(b, pl, x, g, sm, si, dy, dx, dg, dbt);
    ref_bn_bwd(&d, hx, hg, rsm, rsi, hdy, rdx, rdg, rdb);
    compare(b, "batchnorm bwd dx", dx, rdx, nx);
    compare(b, "batchnorm bwd dgamma", dg, rdg, c);
    compare(b, "batchnorm bwd dbeta", dbt, rdb, c);
    b->plan_free(b, pl);
    float *dv[] = {x, g, bt, dy, rm, rv, y, dx, sm, si, dg, dbt};
    for (int i = 0; i < 12; i++) b->free(b, dv[i]);
    float *hv[] = {hx, hg, hbt, hdy, hrm, hrv, ry, rdx, rsm, rsi, rdg, rdb};
    for (int i = 0; i < 12; i++) free(hv[i]);
}

/* Batchnorm inference through the executor: the graph x -> batchnorm -> relu in GRAPH_INFER
 * is one fused map (running statistics, scale and shift per channel, then relu). */
static void bn_infer_case(Backend *b, int n, int c, int h, int w)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    int x = graph_input(g, 3, (const int64_t[]){c, h, w});
    int bn = graph_batchnorm(g, x, 1e-3f, 0.1f);
    int y = graph_act(g, bn, GACT_RELU);
    g->values[y].output = true;
    GraphError ge;
    BkError err;
    ModelBuffers m;
    Exec e;
    if (graph_infer_shapes(g, &ge) || model_buffers_alloc(b, g, &m, &err)) {
        failures++;
        fprintf(stderr, "FAIL batchnorm infer graph\n");
        arena_free(&a);
        return;
    }
    if (exec_create(&e, g, b, &m, GRAPH_INFER, n, 1, &err)) {
        failures++;
        fprintf(stderr, "FAIL batchnorm infer executor: %s\n", err.msg);
    } else {
        const GraphNode *nd = &g->nodes[g->values[bn].producer];
        int64_t nx = (int64_t)n * c * h * w;
        float *hx, *hp, *hs, *hy = malloc(sizeof(float) * (size_t)nx);
        float *dx = dev_rand(b, nx, &hx), *dp = dev_rand(b, g->nparams, &hp), *ds = dev_rand(b, g->nstate, &hs);
        const float *gamma = hp + g->values[nd->in[1]].flat, *beta = hp + g->values[nd->in[2]].flat;
        float *rm = hs + g->values[nd->in[3]].flat, *rv = hs + g->values[nd->in[4]].flat;
        for (int i = 0; i < c; i++) rv[i] = fabsf(rv[i]) + 0.1f;
        b->to_device(b, m.params, hp, sizeof(float) * (size_t)g->nparams);
        b->to_device(b, m.state, hs, sizeof(float) * (size_t)g->nstate);
        exec_set_batch(&e, hx, NULL);
        exec_run(&e, 0);
        BnDesc d = {n, c, h * w, 1e-3f, 0.1f, 0};
        ref_bn_fwd_infer(&d, hx, gamma, beta, rm, rv, hy);
        for (int64_t i = 0; i < nx; i++) hy[i] = hy[i] > 0 ? hy[i] : 0;
        compare(b, "batchnorm infer (fused map)", exec_value(&e, y), hy, nx);
        b->free(b, dx);
        b->free(b, dp);
        b->free(b, ds);
        free(hx);
        free(hp);
        free(hs);
        free(hy);
        exec_destroy(&e);
    }
    model_buffers_free(b, &m);
    arena_free(&a);
}

/* a fused bias + swish chain and a channel sum, large enough to be split across threads */
static void kernel_case(Backend *b)
{
    enum { N = 8, C = 16, HW = 1024 };
    int64_t n = (int64_t)N * C * HW;
    CgSpec s;
    cg_spec_map(&s, n, C, HW);
    cg_store(&s, 2, cg_un(&s, CG_SWISH, cg_bin(&s, CG_ADD, cg_load(&s, 0), cg_load_ch(&s, 1))));
    BkKernel k = {.spec = s};
    BkError err;
    if (b->kernel_build(b, &k, &err)) {
        failures++;
        fprintf(stderr, "FAIL kernel build: %s\n", err.msg);
        return;
    }
    float *hx, *hb;
    float *x = dev_rand(b, n, &hx), *bb = dev_rand(b, C, &hb), *y = b->alloc(b, 4 * (size_t)n);
    float *ry = malloc(4 * (size_t)n);
    void *bufs[3] = {x, bb, y}, *rbufs[3] = {hx, hb, ry};
    b->kernel_run(b, &k, bufs, NULL);
    CgError ce;
    cg_ref_run(&s, rbufs, 0, cg_spec_domain(&s, CG_TARGET_CPU), NULL, &ce);
    compare(b, "kernel bias+swish", y, ry, n);
    CgSpec cs;
    cg_spec_channel_sum(&cs, N, C, HW);
    cg_accum(&cs, 1, cg_load(&cs, 0));
    BkKernel k2 = {.spec = cs};
    b->kernel_build(b, &k2, &err);
    float *sum = b->alloc(b, 4 * C), rsum[C] = {0};
    void *b2[2] = {x, sum}, *r2[2] = {hx, rsum};
    b->kernel_run(b, &k2, b2, NULL);
    cg_ref_run(&cs, r2, 0, C, NULL, &ce);
    compare(b, "kernel channel sum", sum, rsum, C);
    b->free(b, x);
    b->free(b, bb);
    b->free(b, y);
    b->free(b, sum);
    free(hx);
    free(hb);
    free(ry);
}

/* Returns 0 when the backend could not be opened on this machine (built, no device). */
static int run_backend(const char *name, const BackendOptions *o)
{
    Backend b;
    BkError err;
    if (backend_open(name, o, &b, &err)) {
        if (!strcmp(name, "cpu")) {
            failures++;
            fprintf(stderr, "FAIL open %s: %s\n", name, err.msg);
        } else printf("backend %s: skipped (%s)\n", name, err.msg);
        return 0;
    }
    conv_case(&b, 2, 3, 7, 4, 3, 1, 1, 1, 1, 1);
    conv_case(&b, 2, 4, 9, 6, 3, 2, 1, 2, 0, 1);
    conv_case(&b, 3, 8, 8, 8, 3, 1, 1, 8, 1, 1);
    conv_case(&b, 2, 6, 6, 5, 1, 1, 0, 1, 1, 1);
    conv_case(&b, 1, 3, 11, 4, 5, 2, 2, 1, 1, 1);
    conv_case(&b, 4, 1, 28, 32, 3, 1, 1, 1, 1, 1);  /* the benchmark CNN's first layer */
    conv_case(&b, 2, 32, 14, 64, 3, 1, 1, 1, 1, 1); /* and its second */
    conv_case(&b, 2, 3, 9, 4, 3, 1, 2, 1, 1, 2);    /* dilated, "same" padding */
    conv_case(&b, 2, 4, 11, 4, 5, 2, 4, 4, 0, 2);   /* depthwise 5x5 dilated 2, stride 2 (dil_conv_5x5) */
    conv_case(&b, 1, 3, 12, 5, 3, 1, 0, 1, 1, 3);   /* dilated 3, no padding */
    pool_case(&b, POOL_MAX, 2, 2, 0);
    pool_case(&b, POOL_MAX, 3, 2, 1);
    pool_case(&b, POOL_AVG, 2, 2, 0);
    pool_case(&b, POOL_AVG, 3, 1, 1);
    for (int ta = 0; ta <= 1; ta++)
        for (int tb = 0; tb <= 1; tb++) {
            matmul_case(&b, ta, tb, 37, 29, 53, 0);
            matmul_case(&b, ta, tb, 128, 256, 784, ta & tb);
        }
    matmul_case(&b, 0, 0, 3, 200, 17, 1);
    bn_case(&b, 4, 3, 10);
    bn_case(&b, 16, 5, 1);
    bn_infer_case(&b, 3, 5, 7, 9);
    bn_infer_case(&b, 2, 32, 28, 28);
    kernel_case(&b);
    backend_close(&b);
    return 1;
}

int main(void)
{
    rng_seed(&rng, 2024);
    char list[64];
    snprintf(list, sizeof list, "%s", backend_list());
    for (char *name = strtok(list, " "); name; name = strtok(NULL, " ")) {
        int before = failures, ran = 1;
        for (int gemm = BK_GEMM_DNNL; gemm <= BK_GEMM_OPENBLAS && ran; gemm++)
            for (int jit = 0; jit <= 1 && ran; jit++) {
                BackendOptions o = {2, jit, gemm, BK_PREC_FP32};
                ran = run_backend(name, &o);
            }
        if (ran) printf("backend %s: %s\n", name, failures > before ? "FAILED" : "ok");
    }
    return failures ? 1 : 0;
}
