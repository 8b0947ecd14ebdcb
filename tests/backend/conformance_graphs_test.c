/* conformance_graphs_test.c — the backend conformance suite, part 2 (part 1 is E1's
 * conformance.c: conv, pooling, matmul, batchnorm on every built backend against ops_ref.c).
 * Here, on the backend named on the command line: the fused kernels the executor and the
 * optimizer build (bias/bn/activation chains, activation gradients, dropout's counter-based
 * random mask, channel sums, softmax cross-entropy, AdamW) against cg_ref_run; the memory ops
 * (zeroed alloc, fill_zero, copy_rows); and whole small graphs (MLP, CNN, CNN with batchnorm
 * and dropout: a training step, two AdamW steps, evaluation) against the CPU backend running
 * the plain-C kernels. All data goes through alloc/to_device/to_host, so the same program
 * checks the CPU and the CUDA backend. usage: conformance_graphs_test cpu|cuda
 * Exit: 0 all passed, 1 a mismatch, 77 (ctest skip) when the backend was not built or has no
 * device — printed as "<name>: skipped, ...", never counted as passed.
 * Tolerances, |got - want| <= atol + rtol * |want|:
 *   copies, fill: exact (atol 1e-6)
 *   fused kernels: atol 1e-5, rtol 1e-5  (codegen.h promises 1e-6 relative for exp/log/tanh...)
 *   whole graphs: loss and logits rtol 1e-3; gradients and updated parameters atol 1e-4,
 *   rtol 5e-3 (errors compound through layers) */
#include "arena.h"
#include "backend.h"
#include "exec.h"
#include "rng.h"
#include "models.h"
#include "train.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Backend bk;
static Rng rng;
static int failures, checks;

static void *dalloc(size_t bytes)
{
    void *d = bk.alloc(&bk, bytes);
    if (!d) {
        fprintf(stderr, "FAIL: %s: cannot allocate %zu bytes\n", bk.name, bytes);
        exit(1);
    }
    return d;
}
static float *up(const float *h, int64_t n)
{
    float *d = dalloc(sizeof(float) * (size_t)(n ? n : 1));
    if (n) bk.to_device(&bk, d, h, sizeof(float) * (size_t)n);
    return d;
}
static float *down(const float *d, int64_t n)
{
    float *h = malloc(sizeof(float) * (size_t)(n ? n : 1));
    if (n) bk.to_host(&bk, h, d, sizeof(float) * (size_t)n);
    return h;
}
static float *randv(int64_t n)
{
    float *h = malloc(sizeof(float) * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++) h[i] = rng_normal(&rng);
    return h;
}

/* host arrays: want (the spec) vs got */
static void compare_host(const char *what, const float *got, const float *want, int64_t n, double atol, double rtol)
{
    checks++;
    double worst = 0;
    int64_t at = -1;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(got[i]) && isnan(want[i])) continue;
        double err = fabs((double)got[i] - want[i]), lim = atol + rtol * fabs((double)want[i]);
        if (!(err <= lim) && (at < 0 || err - lim > worst)) {
            worst = err - lim;
            at = i;
        }
    }
    if (at >= 0) {
        failures++;
        fprintf(stderr, "FAIL %s: %s: element %lld of %lld: got %.9g, want %.9g\n", bk.name, what, (long long)at,
                (long long)n, got[at], want[at]);
    }
}
/* a device array against a host array */
static void compare(const char *what, const float *dev, const float *want, int64_t n, double atol, double rtol)
{
    float *got = down(dev, n);
    compare_host(what, got, want, n, atol, rtol);
    free(got);
}
enum { EXACT, KERNEL };
static const double ATOL[] = {1e-6, 1e-5}, RTOL[] = {0, 1e-5};
#define CMP(what, dev, want, n, tol) compare(what, dev, want, n, ATOL[tol], RTOL[tol])

/* ---- fused kernels: the backend's compiled kernel against cg_ref_run on the host ---- */

static void check_kernel(const char *what, CgSpec *s, int64_t *len, const float *scalars)
{
    BkKernel k = {.spec = *s};
    BkError err;
    if (bk.kernel_build(&bk, &k, &err)) {
        failures++;
        fprintf(stderr, "FAIL %s: %s: %s\n", bk.name, what, err.msg);
        return;
    }
    void *host[CG_MAX_BUFS], *dev[CG_MAX_BUFS];
    int is_out[CG_MAX_BUFS] = {0};
    for (int i = 0; i < s->nops; i++)
        if (s->ops[i].kind == CG_STORE || s->ops[i].kind == CG_ACCUM) is_out[s->ops[i].buf] = 1;
    if (s->kind == CG_SOFTMAX_XENT) is_out[CG_XENT_LOSS] = is_out[CG_XENT_DLOGITS] = is_out[CG_XENT_CORRECT] = 1;
    for (int i = 0; i < s->nbufs; i++) {
        float *h = randv(len[i]);
        if (s->kind == CG_SOFTMAX_XENT && i == CG_XENT_LABELS) /* int32 labels in [0, cols) */
            for (int64_t r = 0; r < len[i]; r++) ((int32_t *)h)[r] = (int32_t)rng_below(&rng, (uint64_t)s->cols);
        if (s->kind == CG_CHANNEL_SUM && is_out[i]) memset(h, 0, 4 * (size_t)len[i]); /* += outputs */
        host[i] = h;
        dev[i] = up(h, len[i]);
    }
    CgError ce;
    cg_ref_run(s, host, 0, cg_spec_domain(s, CG_TARGET_CPU), scalars, &ce);
    bk.kernel_run(&bk, &k, dev, scalars);
    for (int i = 0; i < s->nbufs; i++) {
        if (is_out[i]) {
            char w[200];
            snprintf(w, sizeof w, "%s, buffer %d", what, i);
            CMP(w, dev[i], host[i], len[i], KERNEL);
        }
        bk.free(&bk, dev[i]);
        free(host[i]);
    }
}

static void check_kernels(void)
{
    enum { N = 4, C = 6, HW = 37 };
    int64_t n = (int64_t)N * C * HW;
    CgSpec s;
    /* bias + batchnorm-inference + swish, then a second output through gelu and tanh */
    cg_spec_map(&s, n, C, HW);
    int x = cg_load(&s, 0);
    int t = cg_fma(&s, cg_bin(&s, CG_ADD, x, cg_load_ch(&s, 1)), cg_load_ch(&s, 2), cg_load_ch(&s, 3));
    cg_store(&s, 4, cg_un(&s, CG_SWISH, t));
    cg_store(&s, 5, cg_bin(&s, CG_ADD, cg_un(&s, CG_GELU, t), cg_un(&s, CG_TANH, cg_scalar(&s, 0))));
    check_kernel("kernel map bias-bn-swish/gelu", &s, (int64_t[]){n, C, C, C, n, n}, (float[]){0.7f});
    /* dropout: the counter-based random numbers must be the same on every backend */
    cg_spec_map(&s, n, 0, 0);
    int m = cg_select(&s, CG_GE, cg_rand(&s, 0, 3), cg_const(&s, 0.3f), cg_const(&s, 1 / 0.7f), cg_const(&s, 0));
    cg_store(&s, 1, m);
    cg_store(&s, 2, cg_bin(&s, CG_MUL, cg_load(&s, 0), m));
    uint32_t seed = 0x9e3779b9u;
    float sf;
    memcpy(&sf, &seed, 4);
    check_kernel("kernel dropout mask", &s, (int64_t[]){n, n, n}, &sf);
    /* activation gradients: relu6 select chain, sigmoid, exp/log/sqrt/rsqrt */
    cg_spec_map(&s, n, 0, 0);
    x = cg_load(&s, 0);
    int dy = cg_load(&s, 1), zero = cg_const(&s, 0);
    cg_store(&s, 2, cg_select(&s, CG_GT, x, zero, cg_select(&s, CG_LT, x, cg_const(&s, 6), dy, zero), zero));
    int sg = cg_un(&s, CG_SIGMOID, x), ax = cg_bin(&s, CG_ADD, cg_bin(&s, CG_MUL, x, x), cg_const(&s, 0.5f));
    cg_store(&s, 3, cg_bin(&s, CG_MUL, dy, cg_bin(&s, CG_MUL, sg, cg_bin(&s, CG_SUB, cg_const(&s, 1), sg))));
    cg_store(&s, 4,
             cg_bin(&s, CG_ADD, cg_un(&s, CG_LOG, ax),
                    cg_bin(&s, CG_DIV, cg_un(&s, CG_SQRT, ax), cg_un(&s, CG_EXP, cg_un(&s, CG_RSQRT, ax)))));
    check_kernel("kernel activation gradients", &s, (int64_t[]){n, n, n, n, n}, NULL);
    /* batchnorm statistics / bias gradient: per-channel sums (atomics on the GPU) */
    cg_spec_channel_sum(&s, N, C, HW);
    int v = cg_load(&s, 0);
    cg_accum(&s, 1, v);
    cg_accum(&s, 2, cg_bin(&s, CG_MUL, v, v));
    check_kernel("kernel channel sums", &s, (int64_t[]){n, C, C}, NULL);
    /* the loss, label-smoothed */
    cg_spec_xent(&s, 33, 10);
    check_kernel("kernel softmax cross-entropy", &s, (int64_t[]){330, 33, 33, 330, 33}, (float[]){1.0f / 33, 0.1f});
    /* the optimizer */
    CgOptim o = {CG_ADAMW, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0.01f};
    cg_spec_optimizer(&s, 1001, &o);
    float sc[3];
    cg_optim_scalars(&o, 3, 0.01f, sc);
    check_kernel("kernel adamw step", &s, (int64_t[]){1001, 1001, 1001, 1001}, sc);
}

/* ---- memory ops ---- */

static void check_memory(void)
{
    enum { R = 5, SRC = 11, DST = 16, W = 7 };
    float *s = randv(R * SRC), *d = randv(R * DST), *want = malloc(4 * R * DST);
    memcpy(want, d, 4 * R * DST);
    for (int r = 0; r < R; r++) memcpy(want + r * DST + 4, s + r * SRC + 2, 4 * W);
    float *S = up(s, R * SRC), *D = up(d, R * DST);
    bk.copy_rows(&bk, D + 4, 4 * DST, S + 2, 4 * SRC, 4 * W, R);
    CMP("copy_rows", D, want, R * DST, EXACT);
    memset(want + 3, 0, 4 * 50);
    bk.fill_zero(&bk, D + 3, 50);
    CMP("fill_zero", D, want, R * DST, EXACT);
    float *Z = dalloc(4 * 1000), *zeros = calloc(1000, 4);
    CMP("alloc returns zeroed memory", Z, zeros, 1000, EXACT);
    bk.free(&bk, S);
    bk.free(&bk, D);
    bk.free(&bk, Z);
    free(s);
    free(d);
    free(want);
    free(zeros);
}

/* ---- whole graphs: one training step + optimizer + evaluation, against the CPU running
 *      the plain-C kernels (the reference backend) ---- */

typedef struct Side {
    Backend *b;
    ModelBuffers m;
    Exec tr, ev;
    Optim op;
    double loss, correct;
} Side;

static int side_run(Side *sd, Graph *g, const TrainSettings *ts, const float *params, const float *state,
                    const float *x, const int32_t *y, int64_t batch, BkError *err)
{
    Backend *b = sd->b;
    if (model_buffers_alloc(b, g, &sd->m, err) || exec_create(&sd->tr, g, b, &sd->m, GRAPH_TRAIN, batch, 1, err) ||
        exec_create(&sd->ev, g, b, &sd->m, GRAPH_INFER, batch, 1, err) || optim_create(&sd->op, b, ts, g->nparams, err))
        return -1;
    b->to_device(b, sd->m.params, params, 4 * (size_t)g->nparams);
    b->to_device(b, sd->m.state, state, 4 * (size_t)g->nstate);
    exec_set_batch(&sd->tr, x, y);
    exec_run(&sd->tr, 4242);
    exec_batch_metrics(&sd->tr, &sd->loss, &sd->correct);
    return 0;
}

static void side_free(Side *sd)
{
    optim_destroy(&sd->op, sd->b);
    exec_destroy(&sd->ev);
    exec_destroy(&sd->tr);
    model_buffers_free(sd->b, &sd->m);
}

static float *side_host(Side *sd, const void *dev, int64_t n)
{
    float *h = malloc(4 * (size_t)(n ? n : 1));
    if (n) sd->b->to_host(sd->b, h, dev, 4 * (size_t)n);
    return h;
}

static void check_graph(const char *name, Graph *g, Backend *ref)
{
    enum { B = 8 };
    GraphError ge;
    BkError err;
    if (graph_infer_shapes(g, &ge) || graph_build_backward(g, &ge)) {
        failures++;
        fprintf(stderr, "FAIL %s: graph: %s\n", name, ge.msg);
        return;
    }
    TrainSettings ts;
    train_settings_default(&ts);
    ts.optimizer = OPT_ADAMW;
    ts.beta1 = 0.9f;
    ts.beta2 = 0.999f;
    ts.eps = 1e-8f;
    ts.weight_decay = 0.01f;
    float *params = malloc(4 * (size_t)(g->nparams + 1)), *state = malloc(4 * (size_t)(g->nstate + 1));
    init_params(g, params, state, 11);
    int64_t nin = graph_shape_numel(&g->values[g->input].shape, B);
    float *x = randv(nin);
    int32_t y[B];
    for (int i = 0; i < B; i++) y[i] = (int32_t)rng_below(&rng, 3);
    Side a = {.b = ref}, t = {.b = &bk};
    if (side_run(&a, g, &ts, params, state, x, y, B, &err) || side_run(&t, g, &ts, params, state, x, y, B, &err)) {
        failures++;
        fprintf(stderr, "FAIL %s: %s: %s\n", bk.name, name, err.msg);
    } else {
        char what[160];
        float la = (float)a.loss, lt = (float)t.loss;
        snprintf(what, sizeof what, "%s train loss", name);
        compare_host(what, &lt, &la, 1, 0, 1e-3);
        float *ga = side_host(&a, a.m.grads, g->nparams), *gt = side_host(&t, t.m.grads, g->nparams);
        snprintf(what, sizeof what, "%s gradients", name);
        compare_host(what, gt, ga, g->nparams, 1e-4, 5e-3);
        double gmax = 0; /* all-zero gradients would make the comparison vacuous */
        for (int64_t i = 0; i < g->nparams; i++) gmax = fmax(gmax, fabs(ga[i]));
        checks++;
        if (!(gmax > 1e-6)) {
            failures++;
            fprintf(stderr, "FAIL %s: reference gradients are all zero\n", name);
        }
        float *sa = side_host(&a, a.m.state, g->nstate), *st = side_host(&t, t.m.state, g->nstate);
        snprintf(what, sizeof what, "%s state (running stats)", name);
        compare_host(what, st, sa, g->nstate, 1e-4, 5e-3);
        for (int k = 1; k <= 2; k++) { /* optimizer: two steps (momentum terms non-zero) */
            optim_step(&a.op, a.b, &a.m, 0.01f);
            optim_step(&t.op, t.b, &t.m, 0.01f);
        }
        float *pa = side_host(&a, a.m.params, g->nparams), *pt = side_host(&t, t.m.params, g->nparams);
        snprintf(what, sizeof what, "%s parameters after adamw", name);
        compare_host(what, pt, pa, g->nparams, 1e-4, 5e-3);
        exec_set_batch(&a.ev, x, y);
        exec_run(&a.ev, 1);
        exec_batch_metrics(&a.ev, &a.loss, &a.correct);
        exec_set_batch(&t.ev, x, y);
        exec_run(&t.ev, 1);
        exec_batch_metrics(&t.ev, &t.loss, &t.correct);
        int64_t nl = graph_shape_numel(&g->values[g->logits].shape, B);
        float *la2 = side_host(&a, exec_value(&a.ev, g->logits), nl),
              *lt2 = side_host(&t, exec_value(&t.ev, g->logits), nl);
        snprintf(what, sizeof what, "%s eval logits", name);
        compare_host(what, lt2, la2, nl, 1e-4, 1e-3);
        float ea = (float)a.loss, et = (float)t.loss;
        snprintf(what, sizeof what, "%s eval loss", name);
        compare_host(what, &et, &ea, 1, 0, 1e-3);
        free(ga);
        free(gt);
        free(sa);
        free(st);
        free(pa);
        free(pt);
        free(la2);
        free(lt2);
    }
    side_free(&t);
    side_free(&a);
    free(params);
    free(state);
    free(x);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: conformance_graphs_test cpu|cuda\n");
        return 2;
    }
    const char *name = argv[1];
    BackendOptions bo = {2, 1, BK_GEMM_AUTO, BK_PREC_FP32}, refo = {2, 0, BK_GEMM_AUTO, BK_PREC_FP32};
    BkError err;
    if (backend_open(name, &bo, &bk, &err)) {
        if (strcmp(name, "cpu")) {
            printf("%s: skipped, %s: %s\n", name, strstr(backend_list(), name) ? "no device" : "not built", err.msg);
            return 77;
        }
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    Backend ref;
    if (backend_open("cpu", &refo, &ref, &err)) {
        fprintf(stderr, "FAIL: reference: %s\n", err.msg);
        return 1;
    }
    /* the registry: "auto" opens this backend or falls back to the CPU, never fails */
    Backend au;
    checks++;
    if (backend_open("auto", &bo, &au, &err)) {
        failures++;
        fprintf(stderr, "FAIL auto: %s\n", err.msg);
    } else {
        printf("auto -> %s\n", au.name);
        if (strcmp(au.name, "cpu") && strcmp(au.name, "cuda")) {
            failures++;
            fprintf(stderr, "FAIL auto opened '%s'\n", au.name);
        }
        backend_close(&au);
    }
    rng_seed(&rng, 2024);

    check_memory();
    check_kernels();
    Arena a;
    arena_init(&a);
    check_graph("mlp", model_mlp(&a, 1, 6, 6, (int[]){10, 8}, 2, 3), &ref);
    check_graph("cnn", model_cnn(&a, 1, 8, 8, (int[]){3, 4}, 2, 8, 3, 0, 0), &ref);
    check_graph("cnn bn dropout", model_cnn(&a, 1, 8, 8, (int[]){4, 6}, 2, 12, 3, 1, 0.25f), &ref);
    arena_free(&a);

    BkMemInfo mi;
    bk.mem_info(&bk, &mi);
    if (mi.allocated != 0) {
        failures++;
        fprintf(stderr, "FAIL %s: %zu bytes still allocated at the end\n", name, mi.allocated);
    }
    backend_close(&ref);
    backend_close(&bk);
    printf("%s: %d checks, %s\n", name, checks, failures ? "FAILED" : "all within tolerance");
    return failures ? 1 : 0;
}
