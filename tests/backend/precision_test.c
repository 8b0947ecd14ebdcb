/* precision_test.c — the CPU backend's bf16 precision (BackendOptions.precision): every
 * matmul form (transposes, accumulate) and the three convolution passes agree with fp32
 * within the bound of bf16-rounded operands, yet differ from it (the mode is really on);
 * a small CNN on synthetic data still learns in bf16 and its losses differ from fp32's;
 * fp16 and unknown names are refused with a message. */
#include "models.h"
#include "train.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                          \
    do {                                                          \
        if (!(cond)) {                                            \
            failures++;                                           \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                         \
            fputc('\n', stderr);                                  \
        }                                                         \
    } while (0)

static Backend fp, bf; /* CPU backends: fp32 and bf16 */

static float *rnd(int64_t n, uint32_t seed)
{
    float *x = malloc(sizeof(float) * (size_t)n);
    uint32_t s = seed * 747796405u + 1;
    for (int64_t i = 0; x && i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (float)(s >> 8) / 8388608.0f - 1.0f;
    }
    return x;
}

static float *absdup(const float *x, int64_t n)
{
    float *y = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; y && i < n; i++) y[i] = fabsf(x[i]);
    return y;
}

/* bf16 result vs fp32 result: each product of two bf16-rounded operands is off by at most
 * 2^-7 of |a b| (unit roundoff 2^-8 each), fp32 accumulation adds k*2^-23; `mag` is the same
 * op on |operands| (sum of |a b|). Returns the largest difference seen, -1 on a violation. */
static double compare(const char *what, const float *got, const float *want, const float *mag, const float *c0,
                      int64_t n, int64_t k)
{
    double worst = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - want[i]);
        double bound = (ldexp(1, -7) + k * ldexp(1, -23)) * (mag[i] - (c0 ? fabsf(c0[i]) : 0)) +
                       ldexp(1, -22) * (fabs(want[i]) + (c0 ? fabsf(c0[i]) : 0)) + 1e-30;
        if (!(d <= bound)) {
            CHECK(0, "%s: element %lld: bf16 %.9g, fp32 %.9g, bound %.3g", what, (long long)i, got[i], want[i], bound);
            return -1;
        }
        if (d > worst) worst = d;
    }
    return worst;
}

static void check_matmul(int transa, int transb, int accumulate)
{
    enum { M = 37, N = 29, K = 300 };
    BkError e;
    BkPlan *pf = fp.matmul_plan(&fp, transa, transb, M, N, K, accumulate, &e);
    BkPlan *pb = pf ? bf.matmul_plan(&bf, transa, transb, M, N, K, accumulate, &e) : NULL;
    if (!pb) {
        CHECK(0, "matmul plan: %s", e.msg);
        if (pf) fp.plan_free(&fp, pf);
        return;
    }
    float *a = rnd(M * K, 1), *b = rnd(K * N, 2), *c0 = rnd(M * N, 3);
    float *aa = absdup(a, M * K), *ba = absdup(b, K * N), *ca = absdup(c0, M * N);
    float *cf = malloc(sizeof(float) * M * N), *cb = malloc(sizeof(float) * M * N), *cm = malloc(sizeof(float) * M * N);
    memcpy(cf, c0, sizeof(float) * M * N);
    memcpy(cb, c0, sizeof(float) * M * N);
    memcpy(cm, ca, sizeof(float) * M * N);
    fp.matmul(&fp, pf, a, b, cf);
    bf.matmul(&bf, pb, a, b, cb);
    fp.matmul(&fp, pf, aa, ba, cm);
    char what[64];
    snprintf(what, sizeof what, "matmul ta %d tb %d acc %d", transa, transb, accumulate);
    double worst = compare(what, cb, cf, cm, accumulate ? c0 : NULL, M * N, K);
    CHECK(worst != 0, "%s: bf16 result identical to fp32: the bf16 path is not on", what);
    free(a);
    free(b);
    free(c0);
    free(aa);
    free(ba);
    free(ca);
    free(cf);
    free(cb);
    free(cm);
    fp.plan_free(&fp, pf);
    bf.plan_free(&bf, pb);
}

static void check_conv(ConvDesc d)
{
    conv_desc_finish(&d);
    BkError e;
    BkPlan *pf = fp.conv_plan(&fp, &d, &e);
    BkPlan *pb = pf ? bf.conv_plan(&bf, &d, &e) : NULL;
    if (!pb) {
        CHECK(0, "conv plan: %s", e.msg);
        if (pf) fp.plan_free(&fp, pf);
        return;
    }
    int64_t nx = (int64_t)d.n * d.c * d.h * d.w, nw = (int64_t)d.oc * (d.c / d.groups) * d.kh * d.kw;
    int64_t ny = (int64_t)d.n * d.oc * d.oh * d.ow;
    int64_t kf = (int64_t)(d.c / d.groups) * d.kh * d.kw, kd = (int64_t)(d.oc / d.groups) * d.kh * d.kw;
    int64_t kw = (int64_t)d.n * d.oh * d.ow;
    float *x = rnd(nx, 4), *w = rnd(nw, 5), *bias = rnd(d.oc, 6), *dy = rnd(ny, 7); /* oc <= 64 */
    float *xa = absdup(x, nx), *wa = absdup(w, nw), *ba = absdup(bias, d.oc), *dya = absdup(dy, ny);
    float *yf = malloc(sizeof(float) * ny), *yb = malloc(sizeof(float) * ny), *ym = malloc(sizeof(float) * ny);
    float *dxf = malloc(sizeof(float) * nx), *dxb = malloc(sizeof(float) * nx), *dxm = malloc(sizeof(float) * nx);
    float *dwf = malloc(sizeof(float) * nw), *dwb = malloc(sizeof(float) * nw), *dwm = malloc(sizeof(float) * nw);
    float dbf[64], dbb[64], dbm[64];
    int hb = d.has_bias;
    fp.conv_fwd(&fp, pf, x, w, hb ? bias : NULL, yf);
    bf.conv_fwd(&bf, pb, x, w, hb ? bias : NULL, yb);
    fp.conv_fwd(&fp, pf, xa, wa, hb ? ba : NULL, ym);
    double w1 = compare("conv forward", yb, yf, ym, NULL, ny, kf);
    fp.conv_bwd_data(&fp, pf, dy, w, dxf);
    bf.conv_bwd_data(&bf, pb, dy, w, dxb);
    fp.conv_bwd_data(&fp, pf, dya, wa, dxm);
    double w2 = compare("conv backward data", dxb, dxf, dxm, NULL, nx, kd);
    fp.conv_bwd_filter(&fp, pf, x, dy, dwf, hb ? dbf : NULL);
    bf.conv_bwd_filter(&bf, pb, x, dy, dwb, hb ? dbb : NULL);
    fp.conv_bwd_filter(&fp, pf, xa, dya, dwm, hb ? dbm : NULL);
    double w3 = compare("conv backward filter", dwb, dwf, dwm, NULL, nw, kw);
    if (hb) compare("conv backward bias", dbb, dbf, dbm, NULL, d.oc, kw);
    CHECK(w1 != 0 && w2 != 0 && w3 != 0, "conv %dx%d groups %d: a bf16 pass is identical to fp32 (%g %g %g)", d.kh,
          d.kw, d.groups, w1, w2, w3);
    free(x);
    free(w);
    free(bias);
    free(dy);
    free(xa);
    free(wa);
    free(ba);
    free(dya);
    free(yf);
    free(yb);
    free(ym);
    free(dxf);
    free(dxb);
    free(dxm);
    free(dwf);
    free(dwb);
    free(dwm);
    fp.plan_free(&fp, pf);
    bf.plan_free(&bf, pb);
}

/* A small CNN (conv, pool, dense) on synthetic 8x8 images, 4 classes (as tests/unit/rt_train.c). */
static void check_training(void)
{
    Dataset data;
    Split split;
    DataError de;
    if (data_synthetic(1500, 1, 8, 8, 4, 1.0f, 11, &data, &de) || data_split(data.n, 0.8, 1, &split, &de)) {
        CHECK(0, "data: %s", de.msg);
        return;
    }
    TrainData td = {&data, split.train, split.ntrain, &data, split.val, split.nval};
    TrainResult r[2];
    for (int p = 0; p < 2; p++) {
        Arena a;
        arena_init(&a);
        Graph *g = model_cnn(&a, 1, 8, 8, (int[]){4, 8}, 2, 16, 4, 0, 0);
        TrainSettings s;
        train_settings_default(&s);
        s.batch = 32;
        s.epochs = 3;
        s.lr = 0.02f;
        s.seed = 3;
        s.eval_batch = 64;
        s.threads = 2;
        s.precision = p ? BK_PREC_BF16 : BK_PREC_FP32;
        train_run(g, &td, &s, &r[p]);
        arena_free(&a);
        printf("%s: val acc %.4f loss %.6f, train loss epoch 1 %.6f\n", backend_precision_name(s.precision),
               r[p].val_acc, r[p].val_loss, r[p].nepochs ? r[p].curve[0].train_loss : -1.0);
    }
    /* measured: fp32 0.993, bf16 0.997 validation accuracy (3 epochs); 0.9 leaves margin */
    CHECK(r[1].status == TRAIN_OK && r[1].val_acc >= 0.9, "bf16 CNN: status %s (%s), acc %.3f",
          train_status_name(r[1].status), r[1].msg, r[1].val_acc);
    CHECK(r[0].status == TRAIN_OK && r[1].val_loss != r[0].val_loss &&
              r[1].curve[0].train_loss != r[0].curve[0].train_loss,
          "bf16 losses equal fp32's (%.9g, %.9g): the bf16 path is not on", r[1].val_loss, r[0].val_loss);
    train_result_free(&r[0]);
    train_result_free(&r[1]);
    data_split_free(&split);
    dataset_free(&data);
}

int main(void)
{
    BkError e;
    BackendOptions of = {.threads = 2, .precision = BK_PREC_FP32}, ob = {.threads = 2, .precision = BK_PREC_BF16};
    if (backend_open("cpu", &of, &fp, &e)) {
        fprintf(stderr, "FAIL: cannot open the cpu backend: %s\n", e.msg);
        return 1;
    }
    if (backend_open("cpu", &ob, &bf, &e)) {
        /* a CPU without AVX-512: bf16 must be refused with the reason, and the rest is untestable */
        CHECK(strstr(e.msg, "AVX-512") != NULL, "bf16 refused without naming the reason: %s", e.msg);
        backend_close(&fp);
        if (failures) return 1;
        printf("precision_test: SKIP: %s\n", e.msg);
        return 77;
    }
    for (int t = 0; t < 8; t++) check_matmul(t & 1, (t >> 1) & 1, (t >> 2) & 1);
    check_conv((ConvDesc){.n = 4,
                          .c = 8,
                          .h = 12,
                          .w = 12,
                          .oc = 16,
                          .kh = 3,
                          .kw = 3,
                          .sh = 1,
                          .sw = 1,
                          .ph = 1,
                          .pw = 1,
                          .groups = 1,
                          .has_bias = 1});
    /* MobileNet's: a depthwise 3x3 with stride 2, a pointwise 1x1 */
    check_conv((ConvDesc){.n = 4,
                          .c = 32,
                          .h = 14,
                          .w = 14,
                          .oc = 32,
                          .kh = 3,
                          .kw = 3,
                          .sh = 2,
                          .sw = 2,
                          .ph = 1,
                          .pw = 1,
                          .groups = 32,
                          .has_bias = 0});
    check_conv((ConvDesc){
        .n = 4, .c = 32, .h = 7, .w = 7, .oc = 64, .kh = 1, .kw = 1, .sh = 1, .sw = 1, .groups = 1, .has_bias = 0});
    backend_close(&fp);
    backend_close(&bf);

    /* fp16 is the GPU's; an unknown name is refused naming the choices */
    Backend x;
    BackendOptions oh = {.threads = 1, .precision = BK_PREC_FP16};
    CHECK(backend_open("cpu", &oh, &x, &e) != 0 && strstr(e.msg, "fp16"), "cpu accepted fp16 (%s)", e.msg);
    int prec = -1;
    CHECK(backend_precision_parse("fp8", &prec, &e) != 0 && strstr(e.msg, "bf16") && prec == -1, "fp8 accepted");
    CHECK(backend_precision_parse("bf16", &prec, &e) == 0 && prec == BK_PREC_BF16, "bf16 not parsed");

    check_training();
    printf("precision_test: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
