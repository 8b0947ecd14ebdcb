/* cpu_bn_test.c — the CPU backend's batchnorm (oneDNN) keeps the reference's contract
 * (runtime/backend/ops_ref.c): y, save_mean, save_invstd = 1/sqrt(var + eps), the running mean and the
 * unbiased running variance, inference from the running statistics, and the backward with and
 * without dx, on shapes larger than the conformance suite's. Prints oneDNN vs reference time
 * (fastest of 20 runs; x in NCHW, so oneDNN's time includes the reorders into and out of the
 * CPU's blocked layout, which the executor avoids when it keeps activations blocked). */
#include "backend.h"
#include "ops_ref.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static float *rnd(int64_t n, uint32_t seed, float lo, float hi)
{
    float *x = malloc(sizeof(float) * (size_t)(n + 1));
    uint32_t s = seed * 747796405u + 7;
    for (int64_t i = 0; x && i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = lo + (hi - lo) * (float)(s >> 8) / 16777216.0f;
    }
    return x;
}

/* |got - want| <= tol * max(1, max |want|), as tests/backend/conformance.c (tol 1e-4) */
static void compare(const char *shape, const char *what, const float *got, const float *want, int64_t n, double tol)
{
    double worst = 0, scale = 1;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(want[i]));
    for (int64_t i = 0; i < n; i++) worst = fmax(worst, fabs((double)got[i] - want[i]));
    if (!(worst <= tol * scale)) {
        failures++;
        fprintf(stderr, "FAIL %s %s: max difference %.3g (scale %.3g)\n", shape, what, worst, scale);
    }
}

static double now(Backend *b) { return b->now(b); }

static void check(Backend *b, int n, int c, int hw, int timing)
{
    BnDesc d = {n, c, hw, 1e-5f, 0.1f, 0};
    char shape[64];
    snprintf(shape, sizeof shape, "[%d,%d,%d]", n, c, hw);
    int64_t nx = (int64_t)n * c * hw;
    /* an offset mean, so the variance is small next to the mean's square */
    float *x = rnd(nx, 1, 2.0f, 4.0f), *dy = rnd(nx, 2, -1, 1), *g = rnd(c, 3, 0.5f, 1.5f), *bt = rnd(c, 4, -1, 1);
    float *rm = rnd(c, 5, -1, 1), *rv = rnd(c, 6, 0.5f, 1.5f), *rm2 = malloc(4 * (size_t)c),
          *rv2 = malloc(4 * (size_t)c);
    float *y = malloc(4 * (size_t)nx), *ry = malloc(4 * (size_t)nx), *dx = malloc(4 * (size_t)nx),
          *rdx = malloc(4 * (size_t)nx);
    float sm[256], si[256], rsm[256], rsi[256], dg[256], db[256], rdg[256], rdb[256];
    memcpy(rm2, rm, 4 * (size_t)c);
    memcpy(rv2, rv, 4 * (size_t)c);
    BkError err;
    BkPlan *p = b->bn_plan(b, &d, &err);
    if (!p) {
        failures++;
        fprintf(stderr, "FAIL %s plan: %s\n", shape, err.msg);
        return;
    }

    b->bn_fwd_train(b, p, x, g, bt, y, sm, si, rm, rv);
    ref_bn_fwd_train(&d, x, g, bt, ry, rsm, rsi, rm2, rv2);
    compare(shape, "train y", y, ry, nx, 1e-4);
    /* oneDNN sums a channel in one fp32 accumulator (per thread) on AVX2, in its jit and its
     * reference kernel alike: each of the m additions rounds by up to u = 2^-24 of the partial
     * sum, a random walk that leaves the mean u*sqrt(m)/3 off (relative) on average and up to
     * u*sqrt(m) over the channels. That summation order on the [128,32,784] data (m = 100352)
     * gives exactly the 3.0e-5 at scale 3 measured there (1.0e-5 relative; u*sqrt(m) = 1.9e-5);
     * the reference sums in double. */
    double mean_tol = fmax(1e-5, sqrt((double)n * hw) / 16777216.0);
    compare(shape, "save_mean", sm, rsm, c, mean_tol);
    compare(shape, "save_invstd (1/std)", si, rsi, c, 1e-4);
    compare(shape, "running mean", rm, rm2, c, 1e-5);
    compare(shape, "running var (unbiased)", rv, rv2, c, 1e-5);

    b->bn_bwd(b, p, x, g, rsm, rsi, dy, dx, dg, db);
    ref_bn_bwd(&d, x, g, rsm, rsi, dy, rdx, rdg, rdb);
    compare(shape, "bwd dx", dx, rdx, nx, 1e-4);
    compare(shape, "bwd dgamma", dg, rdg, c, 1e-4);
    compare(shape, "bwd dbeta", db, rdb, c, 1e-4);
    memset(dg, 0, sizeof dg);
    b->bn_bwd(b, p, x, g, rsm, rsi, dy, NULL, dg, db);
    compare(shape, "bwd without dx: dgamma", dg, rdg, c, 1e-4);

    if (timing) { /* the fastest of 20 runs: robust to a shared machine */
        double best[4] = {1e9, 1e9, 1e9, 1e9};
        for (int i = 0; i < 20; i++) {
            double t[5];
            t[0] = now(b);
            b->bn_fwd_train(b, p, x, g, bt, y, sm, si, rm, rv);
            t[1] = now(b);
            b->bn_bwd(b, p, x, g, sm, si, dy, dx, dg, db);
            t[2] = now(b);
            ref_bn_fwd_train(&d, x, g, bt, ry, rsm, rsi, rm2, rv2);
            t[3] = now(b);
            ref_bn_bwd(&d, x, g, rsm, rsi, dy, rdx, rdg, rdb);
            t[4] = now(b);
            for (int k = 0; k < 4; k++) best[k] = fmin(best[k], t[k + 1] - t[k]);
        }
        printf("%s %d threads, ms (oneDNN / reference loops): forward %.3f / %.3f, backward %.3f / %.3f\n", shape,
               b->threads, best[0] * 1e3, best[2] * 1e3, best[1] * 1e3, best[3] * 1e3);
    }
    b->plan_free(b, p);
    free(x);
    free(dy);
    free(g);
    free(bt);
    free(rm);
    free(rv);
    free(rm2);
    free(rv2);
    free(y);
    free(ry);
    free(dx);
    free(rdx);
}

int main(void)
{
    for (int th = 1; th <= 2; th++) {
        Backend b;
        BkError e;
        BackendOptions o = {.threads = th};
        if (backend_open("cpu", &o, &b, &e)) {
            fprintf(stderr, "FAIL: %s\n", e.msg);
            return 1;
        }
        check(&b, 2, 3, 5, 0);
        check(&b, 128, 64, 1, 0); /* after a dense layer */
        check(&b, 32, 16, 196, 0);
        check(&b, 1, 4, 1, 0);      /* one value per channel: variance 0 */
        check(&b, 128, 32, 784, 1); /* the Fashion CNN's (nastrain cnn --bn) two, batch 128 */
        check(&b, 128, 64, 196, 1);
        backend_close(&b);
    }
    printf("cpu_bn_test: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
