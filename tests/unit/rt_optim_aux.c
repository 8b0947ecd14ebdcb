/* rt_optim_aux.c — the optimizer's device-neutral helpers (global gradient norm, gradient
 * scaling, parameter finite check: codegen kernels through the backend table) against plain
 * double loops on the CPU backend, JIT and reference kernels, with NaN/Inf injected at the
 * first, a middle and the last parameter. Also prints the cost per call of both on a
 * 400k-parameter buffer (the loops are the helpers' former host implementation). */
#include "train.h"
#include "rt_check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double loop_norm(const float *g, int64_t n, int threads)
{
    double s = 0;
#pragma omp parallel for reduction(+ : s) num_threads(threads)
    for (int64_t i = 0; i < n; i++) s += (double)g[i] * g[i];
    return sqrt(s);
}

static void loop_scale(float *g, int64_t n, float scale, int threads)
{
#pragma omp parallel for num_threads(threads)
    for (int64_t i = 0; i < n; i++) g[i] *= scale;
}

static int loop_finite(const float *p, int64_t n, int threads)
{
    int bad = 0;
#pragma omp parallel for reduction(| : bad) num_threads(threads)
    for (int64_t i = 0; i < n; i++) bad |= !isfinite(p[i]);
    return !bad;
}

/* deterministic values in [-mag, mag] */
static void fill(float *x, int64_t n, uint32_t seed, float mag)
{
    uint32_t s = seed * 2654435761u + 1;
    for (int64_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = mag * ((float)(s >> 8) / 8388608.0f - 1.0f);
    }
}

typedef struct Fix {
    Backend bk;
    Optim op;
    ModelBuffers m;
    int64_t n, np;
} Fix;

static int fix_open(Fix *f, int use_jit, int threads, int64_t n)
{
    BackendOptions bo = {.threads = threads, .use_jit = use_jit};
    BkError e;
    memset(f, 0, sizeof *f);
    if (backend_open("cpu", &bo, &f->bk, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    TrainSettings s;
    train_settings_default(&s);
    s.clip_norm = 1.0f; /* so optim_create compiles the clipping kernels */
    f->n = n;
    f->np = exec_params_padded(n);
    f->m.nparams = n;
    f->m.params = f->bk.alloc(&f->bk, sizeof(float) * (size_t)f->np);
    f->m.grads = f->bk.alloc(&f->bk, sizeof(float) * (size_t)f->np);
    if (!f->m.params || !f->m.grads || optim_create(&f->op, &f->bk, &s, n, &e)) {
        fprintf(stderr, "setup: %s\n", f->m.params && f->m.grads ? e.msg : "out of memory");
        return -1;
    }
    return 0;
}

static void fix_close(Fix *f)
{
    optim_destroy(&f->op, &f->bk);
    f->bk.free(&f->bk, f->m.params);
    f->bk.free(&f->bk, f->m.grads);
    backend_close(&f->bk);
}

static void check_size(int use_jit, int64_t n)
{
    Fix f;
    if (fix_open(&f, use_jit, 2, n)) {
        CHECK(0, "cannot set up n=%lld", (long long)n);
        return;
    }
    Backend *b = &f.bk;
    float *h = malloc(sizeof(float) * (size_t)n), *back = malloc(sizeof(float) * (size_t)f.np);
    if (!h || !back) {
        CHECK(0, "out of memory");
        free(h);
        free(back);
        fix_close(&f);
        return;
    }

    /* norm: the kernels sum rows in float, the host adds rows in double */
    fill(h, n, 7, 3.0f);
    b->to_device(b, f.m.grads, h, sizeof(float) * (size_t)n);
    double want = loop_norm(h, n, 1), got = optim_grad_norm(&f.op, b, &f.m);
    CHECK(fabs(got - want) <= 1e-6 * want, "jit %d n %lld: norm %.9g, loop %.9g", use_jit, (long long)n, got, want);
    /* twice in a row: the row sums restart from zero */
    got = optim_grad_norm(&f.op, b, &f.m);
    CHECK(fabs(got - want) <= 1e-6 * want, "jit %d n %lld: second norm %.9g, loop %.9g", use_jit, (long long)n, got,
          want);

    /* scale: bit-identical to g *= s, the padded tail stays zero */
    optim_scale_grads(&f.op, b, &f.m, 0.37f);
    loop_scale(h, n, 0.37f, 1);
    b->to_host(b, back, f.m.grads, sizeof(float) * (size_t)f.np);
    int64_t bad = -1;
    for (int64_t i = 0; i < f.np && bad < 0; i++)
        if (back[i] != (i < n ? h[i] : 0.0f)) bad = i;
    CHECK(bad < 0, "jit %d n %lld: scaled gradient %lld differs", use_jit, (long long)n, (long long)bad);

    /* finite: params with a NaN, +Inf or -Inf at the first, a middle and the last element */
    fill(h, n, 9, 1e30f); /* large but finite: x*0 stays 0 */
    b->to_device(b, f.m.params, h, sizeof(float) * (size_t)n);
    CHECK(optim_params_finite(&f.op, b, &f.m) && loop_finite(h, n, 1), "jit %d n %lld: finite params reported bad",
          use_jit, (long long)n);
    fill(h, n, 9, 3.0f); /* g*g below: no overflow of its own */
    const float poison[3] = {NAN, INFINITY, -INFINITY};
    const int64_t at[3] = {0, n / 2, n - 1};
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 3; j++) {
            float keep = h[at[j]];
            h[at[j]] = poison[k];
            b->to_device(b, f.m.params, h, sizeof(float) * (size_t)n);
            CHECK(!optim_params_finite(&f.op, b, &f.m) && !loop_finite(h, n, 1),
                  "jit %d n %lld: %g at %lld not detected", use_jit, (long long)n, poison[k], (long long)at[j]);
            /* the gradient norm of a poisoned gradient is not finite either */
            b->to_device(b, f.m.grads, h, sizeof(float) * (size_t)n);
            CHECK(!isfinite(optim_grad_norm(&f.op, b, &f.m)), "jit %d n %lld: norm finite with %g at %lld", use_jit,
                  (long long)n, poison[k], (long long)at[j]);
            h[at[j]] = keep;
        }
    b->to_device(b, f.m.params, h, sizeof(float) * (size_t)n);
    CHECK(optim_params_finite(&f.op, b, &f.m), "jit %d n %lld: restored params reported bad", use_jit, (long long)n);
    free(h);
    free(back);
    fix_close(&f);
}

/* Cost per call on n parameters, kernels vs the host loops (CPU backend): the fastest of 30
 * calls, robust to other jobs on a shared machine. */
static void measure(int64_t n, int threads)
{
    Fix f;
    if (fix_open(&f, 1, threads, n)) {
        CHECK(0, "cannot set up the measurement");
        return;
    }
    Backend *b = &f.bk;
    fill(f.m.grads, n, 3, 1.0f); /* CPU backend: device memory is host memory */
    fill(f.m.params, n, 4, 1.0f);
    double best[6] = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9}, sink = 0;
    int th = b->threads;
    for (int i = 0; i < 30; i++) {
        double t[7];
        t[0] = b->now(b);
        sink += optim_grad_norm(&f.op, b, &f.m);
        t[1] = b->now(b);
        sink += loop_norm(f.m.grads, n, th);
        t[2] = b->now(b);
        optim_scale_grads(&f.op, b, &f.m, 1.0f);
        t[3] = b->now(b);
        loop_scale(f.m.grads, n, 1.0f, th);
        t[4] = b->now(b);
        sink += optim_params_finite(&f.op, b, &f.m);
        t[5] = b->now(b);
        sink += loop_finite(f.m.params, n, th);
        t[6] = b->now(b);
        for (int k = 0; k < 6; k++) best[k] = fmin(best[k], (t[k + 1] - t[k]) * 1e6);
    }
    printf("%lld params, %d threads, us per call (kernel / host loop): norm %.1f / %.1f  scale %.1f / %.1f  "
           "finite %.1f / %.1f  (sink %g)\n",
           (long long)n, th, best[0], best[1], best[2], best[3], best[4], best[5], sink > 0 ? 1.0 : 0.0);
    fix_close(&f);
}

int main(int argc, char **argv)
{
    static const int64_t sizes[] = {1, 1000, 1023, 1024, 5000, 400037};
    for (int jit = 1; jit >= 0; jit--)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) check_size(jit, sizes[i]);
    for (int th = 1; th <= 2; th++) measure(argc > 1 ? atoll(argv[1]) : 400000, th);
    return RT_DONE("rt_optim_aux");
}
