/* rt_gradcheck.c — every reference op's backward against central finite differences of its
 * forward. L = sum(fwd(inputs) * r) for a fixed random r, accumulated in double; the analytic
 * gradient is bwd(dy = r). Tolerance: |analytic - numeric| <= 1e-2 * max(|a|,|n|) + 2e-3
 * with h = 1e-2 (fp32 forward). Inputs avoid the kinks of relu/relu6/hswish/maxpool. */
#include "ops_ref.h"
#include "rng.h"
#include "rt_check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static Rng rng;

static float *randv(int64_t n, float scale)
{
    float *p = malloc(sizeof(float) * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++) p[i] = scale * rng_normal(&rng);
    return p;
}

/* The op under test: forward writes y from the inputs; backward writes one gradient per
 * input from dy. */
typedef struct Case {
    const char *name;
    int nin;
    float *in[4];
    int64_t nel[4];
    float *y;
    int64_t ny;
    void (*fwd)(struct Case *c);
    void (*bwd)(struct Case *c, const float *dy, float **din);
    void *ctx;
} Case;

static double loss(Case *c, const float *r)
{
    c->fwd(c);
    double s = 0;
    for (int64_t i = 0; i < c->ny; i++) s += (double)c->y[i] * r[i];
    return s;
}

static void gradcheck(Case *c)
{
    float *r = randv(c->ny, 1.0f), *din[4];
    for (int k = 0; k < c->nin; k++) din[k] = calloc((size_t)c->nel[k], sizeof(float));
    c->fwd(c);
    c->bwd(c, r, din);
    const float h = 1e-2f;
    int checked = 0, bad = 0;
    for (int k = 0; k < c->nin; k++) {
        if (!din[k]) continue;
        int64_t step = c->nel[k] > 60 ? c->nel[k] / 60 : 1;
        for (int64_t i = 0; i < c->nel[k]; i += step) {
            float save = c->in[k][i];
            c->in[k][i] = save + h;
            double lp = loss(c, r);
            c->in[k][i] = save - h;
            double lm = loss(c, r);
            c->in[k][i] = save;
            double num = (lp - lm) / (2 * h), an = din[k][i];
            checked++;
            if (fabs(an - num) > 1e-2 * fmax(fabs(an), fabs(num)) + 2e-3) {
                if (bad++ < 3)
                    fprintf(stderr, "  %s: input %d elem %lld: analytic %.6g numeric %.6g\n", c->name, k, (long long)i,
                            an, num);
            }
        }
    }
    CHECK(bad == 0 && checked > 0, "%s: %d of %d gradient entries differ", c->name, bad, checked);
    for (int k = 0; k < c->nin; k++) free(din[k]);
    free(r);
}

static void case_free(Case *c)
{
    for (int k = 0; k < c->nin; k++) free(c->in[k]);
    free(c->y);
}

/* ---- conv ---- */
static void conv_f(Case *c)
{
    ConvDesc *d = c->ctx;
    ref_conv_fwd(d, c->in[0], c->in[1], d->has_bias ? c->in[2] : NULL, c->y);
}
static void conv_b(Case *c, const float *dy, float **din)
{
    ConvDesc *d = c->ctx;
    ref_conv_bwd_data(d, dy, c->in[1], din[0]);
    ref_conv_bwd_filter(d, c->in[0], dy, din[1], d->has_bias ? din[2] : NULL);
}

static void test_conv(int n, int ch, int hw, int oc, int k, int s, int p, int g, int bias, int dil)
{
    ConvDesc d = {.n = n,
                  .c = ch,
                  .h = hw,
                  .w = hw + 1,
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
    Case c = {.name = "conv", .nin = bias ? 3 : 2, .fwd = conv_f, .bwd = conv_b, .ctx = &d};
    c.nel[0] = (int64_t)n * ch * d.h * d.w;
    c.nel[1] = (int64_t)oc * (ch / g) * k * k;
    c.nel[2] = oc;
    for (int i = 0; i < c.nin; i++) c.in[i] = randv(c.nel[i], 1.0f);
    c.ny = (int64_t)n * oc * d.oh * d.ow;
    c.y = malloc(sizeof(float) * (size_t)c.ny);
    gradcheck(&c);
    case_free(&c);
}

/* ---- pooling ---- */
static void pool_f(Case *c) { ref_pool_fwd(c->ctx, c->in[0], c->y); }
static void pool_b(Case *c, const float *dy, float **din) { ref_pool_bwd(c->ctx, c->in[0], dy, din[0]); }

static void test_pool(PoolKind kind, int k, int s, int p)
{
    PoolDesc d = {.kind = kind, .n = 2, .c = 3, .h = 7, .w = 6, .kh = k, .kw = k, .sh = s, .sw = s, .ph = p, .pw = p};
    pool_desc_finish(&d);
    Case c = {.name = kind == POOL_MAX ? "maxpool" : "avgpool", .nin = 1, .fwd = pool_f, .bwd = pool_b, .ctx = &d};
    c.nel[0] = 2 * 3 * 7 * 6;
    /* distinct values far apart (a shuffled ramp): no window has a near-tie */
    c.in[0] = malloc(sizeof(float) * (size_t)c.nel[0]);
    int32_t *perm = malloc(sizeof(int32_t) * (size_t)c.nel[0]);
    for (int i = 0; i < c.nel[0]; i++) perm[i] = i;
    rng_shuffle(&rng, perm, c.nel[0]);
    for (int i = 0; i < c.nel[0]; i++) c.in[0][i] = 0.1f * (float)perm[i];
    free(perm);
    c.ny = 2 * 3 * d.oh * d.ow;
    c.y = malloc(sizeof(float) * (size_t)c.ny);
    gradcheck(&c);
    case_free(&c);
}

/* ---- global average pool, dense, bias, scale ---- */
static void gap_f(Case *c) { ref_gap_fwd(2, 3, 10, c->in[0], c->y); }
static void gap_b(Case *c, const float *dy, float **din) { ref_gap_bwd(2, 3, 10, dy, din[0]); }

static DenseDesc dd = {5, 7, 4, 1};
static void dense_f(Case *c) { ref_dense_fwd(&dd, c->in[0], c->in[1], c->in[2], c->y); }
static void dense_b(Case *c, const float *dy, float **din)
{
    ref_dense_bwd(&dd, c->in[0], c->in[1], dy, din[0], din[1], din[2]);
}

static void bias_f(Case *c)
{
    memcpy(c->y, c->in[0], sizeof(float) * 60);
    ref_bias_fwd(2, 3, 10, c->in[1], c->y);
}
static void bias_b(Case *c, const float *dy, float **din)
{
    memcpy(din[0], dy, sizeof(float) * 60);
    ref_bias_bwd(2, 3, 10, dy, din[1]);
}

static void scale_f(Case *c) { ref_scale_fwd(2, 3, 10, c->in[0], c->in[1], c->y); }
static void scale_b(Case *c, const float *dy, float **din)
{
    ref_scale_bwd(2, 3, 10, c->in[0], c->in[1], dy, din[0], din[1]);
}

/* dropout with a fixed mask: y = x * mask (the mask is data, not differentiated) */
static float dmask[60];
static void drop_f(Case *c) { ref_mul_fwd(60, c->in[0], dmask, c->y); }
static void drop_b(Case *c, const float *dy, float **din) { ref_mul_fwd(60, dy, dmask, din[0]); }

static void add_f(Case *c) { ref_add_fwd(60, c->in[0], c->in[1], c->y); }
static void add_b(Case *c, const float *dy, float **din)
{
    memcpy(din[0], dy, 240);
    memcpy(din[1], dy, 240);
}

static void test_simple(const char *name, int nin, const int64_t *nel, int64_t ny, void (*f)(Case *),
                        void (*b)(Case *, const float *, float **))
{
    Case c = {.name = name, .nin = nin, .fwd = f, .bwd = b};
    for (int i = 0; i < nin; i++) {
        c.nel[i] = nel[i];
        c.in[i] = randv(nel[i], 1.0f);
    }
    c.ny = ny;
    c.y = malloc(sizeof(float) * (size_t)ny);
    gradcheck(&c);
    case_free(&c);
}

/* ---- activations ---- */
static ActKind cur_act;
static void act_f(Case *c) { ref_act_fwd(cur_act, c->nel[0], c->in[0], c->y); }
static void act_b(Case *c, const float *dy, float **din) { ref_act_bwd(cur_act, c->nel[0], c->in[0], dy, din[0]); }

static void test_act(ActKind k)
{
    Case c = {.name = act_name(k), .nin = 1, .fwd = act_f, .bwd = act_b};
    cur_act = k;
    c.nel[0] = 64;
    c.in[0] = randv(64, 3.0f);
    static const float kinks[] = {0, 6, -3, 3};
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 4; j++)
            if (fabsf(c.in[0][i] - kinks[j]) < 0.05f) c.in[0][i] = kinks[j] + 0.3f;
    c.ny = 64;
    c.y = malloc(sizeof(float) * 64);
    gradcheck(&c);
    case_free(&c);
}

/* ---- batchnorm (train mode: the batch statistics depend on x) ---- */
static BnDesc bnd = {4, 3, 5, 1e-5f, 0.1f, 0};
static void bn_f(Case *c)
{
    float m[3], is[3];
    ref_bn_fwd_train(&bnd, c->in[0], c->in[1], c->in[2], c->y, m, is, NULL, NULL);
}
static void bn_b(Case *c, const float *dy, float **din)
{
    float m[3], is[3];
    ref_bn_fwd_train(&bnd, c->in[0], c->in[1], c->in[2], c->y, m, is, NULL, NULL);
    ref_bn_bwd(&bnd, c->in[0], c->in[1], m, is, dy, din[0], din[1], din[2]);
}

/* ---- softmax cross-entropy (the loss itself; r = 1 for the single output) ---- */
static int32_t xlab[6] = {0, 3, 2, 4, 1, 3};
static float xeps; /* the label smoothing of the case */
static void xent_f(Case *c)
{
    float probs[30];
    c->y[0] = (float)ref_xent_fwd(6, 5, c->in[0], xlab, xeps, probs);
}
static void xent_b(Case *c, const float *dy, float **din)
{
    float probs[30];
    ref_xent_fwd(6, 5, c->in[0], xlab, xeps, probs);
    ref_xent_bwd(6, 5, probs, xlab, xeps, din[0]);
    for (int i = 0; i < 30; i++) din[0][i] *= dy[0];
}

int main(void)
{
    rng_seed(&rng, 42);
    test_conv(2, 3, 6, 4, 3, 1, 1, 1, 1, 1); /* same padding, bias */
    test_conv(2, 4, 7, 6, 3, 2, 1, 2, 0, 1); /* stride 2, 2 groups, no bias */
    test_conv(1, 4, 6, 4, 3, 1, 1, 4, 1, 1); /* depthwise */
    test_conv(2, 3, 5, 5, 1, 1, 0, 1, 1, 1); /* pointwise */
    test_conv(1, 2, 8, 3, 5, 2, 2, 1, 1, 1); /* 5x5 stride 2 */
    test_conv(2, 3, 7, 4, 3, 1, 2, 1, 1, 2); /* dilated 2, same padding */
    test_conv(1, 4, 9, 4, 3, 2, 3, 4, 0, 3); /* depthwise dilated 3, stride 2 */
    test_pool(POOL_MAX, 2, 2, 0);
    test_pool(POOL_MAX, 3, 2, 1);
    test_pool(POOL_AVG, 2, 2, 0);
    test_pool(POOL_AVG, 3, 1, 1);
    test_simple("global_avgpool", 1, (int64_t[]){60}, 6, gap_f, gap_b);
    test_simple("dense", 3, (int64_t[]){35, 28, 4}, 20, dense_f, dense_b);
    test_simple("bias", 2, (int64_t[]){60, 3}, 60, bias_f, bias_b);
    test_simple("mul_channel", 2, (int64_t[]){60, 6}, 60, scale_f, scale_b);
    ref_dropout_mask(60, 0.3f, 99, dmask);
    test_simple("dropout", 1, (int64_t[]){60}, 60, drop_f, drop_b);
    test_simple("add", 2, (int64_t[]){60, 60}, 60, add_f, add_b);
    test_simple("batchnorm", 3, (int64_t[]){60, 3, 3}, 60, bn_f, bn_b);
    test_simple("softmax_xent", 1, (int64_t[]){30}, 1, xent_f, xent_b);
    xeps = 0.5f; /* label smoothing (large, so a gradient ignoring it is off by more than the tolerance) */
    test_simple("softmax_xent_smoothed", 1, (int64_t[]){30}, 1, xent_f, xent_b);
    for (int k = 0; k < ACT_COUNT; k++) test_act((ActKind)k);

    /* dropout: mask values are 0 or 1/(1-p), the drop rate is near p, same seed = same mask */
    float m1[4000], m2[4000];
    ref_dropout_mask(4000, 0.25f, 7, m1);
    ref_dropout_mask(4000, 0.25f, 7, m2);
    int zeros = 0, other = 0;
    for (int i = 0; i < 4000; i++) {
        zeros += m1[i] == 0;
        other += m1[i] != 0 && fabsf(m1[i] - 1.0f / 0.75f) > 1e-6f;
    }
    CHECK(!memcmp(m1, m2, sizeof m1), "dropout mask not reproducible");
    CHECK(other == 0 && zeros > 850 && zeros < 1150, "dropout: %d zeros, %d bad values", zeros, other);
    /* batchnorm running statistics follow PyTorch (unbiased variance, momentum 0.1) */
    float x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, gm[1] = {1}, bt[1] = {0}, y[8], mu[1], is[1], rm[1] = {0}, rv[1] = {1};
    BnDesc b1 = {8, 1, 1, 1e-5f, 0.1f, 0};
    ref_bn_fwd_train(&b1, x, gm, bt, y, mu, is, rm, rv);
    CHECK(fabsf(rm[0] - 0.45f) < 1e-6f && fabsf(rv[0] - (0.9f + 0.1f * 6.0f)) < 1e-5f, "running stats %g %g", rm[0],
          rv[0]);
    return RT_DONE("rt_gradcheck");
}
