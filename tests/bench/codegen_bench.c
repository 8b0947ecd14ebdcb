/* codegen_bench.c — the JIT-built fused bias + batchnorm(inference) + relu over 1M floats
 * (NCHW [16, 64, 32, 32]) against the same plain C loop compiled by gcc -O2, on 1 and 2
 * threads, interleaved; and the JIT time per kernel pattern. Asserts the JIT kernel is
 * correct and not slower than the C loop on one thread (noisy machine: 0.8x allowed). */
#include "codegen.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { B = 16, C = 64, HW = 32 * 32, N = B * C * HW, REPS = 40 };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* the reference: what a C programmer writes, compiled with gcc -O2 (no -march) */
static void plain_chain(const float *x, const float *bias, const float *scale, const float *shift, float *y)
{
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++) {
            const float *xi = x + (b * C + c) * HW;
            float *yo = y + (b * C + c) * HW;
            for (int j = 0; j < HW; j++) {
                float v = (xi[j] + bias[c]) * scale[c] + shift[c];
                yo[j] = v > 0 ? v : 0;
            }
        }
}

/* A persistent second thread (like the runtime's pool): go/done through a barrier. */
typedef struct Worker {
    CgCpuFn fn;
    void **bufs;
    int64_t lo, hi;
    int quit;
    pthread_barrier_t go, done;
} Worker;
static void *worker(void *p)
{
    Worker *w = p;
    for (;;) {
        pthread_barrier_wait(&w->go);
        if (w->quit) return NULL;
        w->fn(w->bufs, w->lo, w->hi, NULL);
        pthread_barrier_wait(&w->done);
    }
}

static double best_of(double *t, int n)
{
    double b = t[0];
    for (int i = 1; i < n; i++)
        if (t[i] < b) b = t[i];
    return b;
}

int main(void)
{
    float *x = malloc(sizeof(float) * N), *y = malloc(sizeof(float) * N), *r = malloc(sizeof(float) * N);
    float bias[C], scale[C], shift[C];
    for (int i = 0; i < N; i++) x[i] = (float)((int)(((unsigned)i * 7919u) % 2001u) - 1000) / 250.0f;
    for (int c = 0; c < C; c++) {
        bias[c] = 0.01f * c - 0.3f;
        scale[c] = 1.0f + 0.01f * c;
        shift[c] = 0.1f;
    }

    CgJit *jit;
    CgError err;
    if (cg_jit_create(&jit, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    CgSpec s;
    cg_spec_map(&s, N, C, HW);
    int t = cg_fma(&s, cg_bin(&s, CG_ADD, cg_load(&s, 0), cg_load_ch(&s, 1)), cg_load_ch(&s, 2), cg_load_ch(&s, 3));
    cg_store(&s, 4, cg_un(&s, CG_RELU, t));
    CgCpuFn fn;
    double t0 = now();
    if (cg_jit_get(jit, &s, &fn, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    double jit_ms = (now() - t0) * 1e3;
    void *bufs[5] = {x, bias, scale, shift, y};

    plain_chain(x, bias, scale, shift, r);
    fn(bufs, 0, N, NULL);
    if (memcmp(y, r, sizeof(float) * N) != 0) {
        fprintf(stderr, "FAIL: JIT result differs from the C loop\n");
        return 1;
    }

    Worker w;
    memset(&w, 0, sizeof w);
    w.fn = fn;
    w.bufs = bufs;
    w.lo = N / 2;
    w.hi = N;
    pthread_barrier_init(&w.go, NULL, 2);
    pthread_barrier_init(&w.done, NULL, 2);
    pthread_t th;
    pthread_create(&th, NULL, worker, &w);
    double tc[REPS], tj[REPS], tj2[REPS];
    for (int k = 0; k < REPS; k++) { /* interleaved, so noise hits all three alike */
        double a = now();
        plain_chain(x, bias, scale, shift, r);
        double b = now();
        fn(bufs, 0, N, NULL);
        double c = now();
        pthread_barrier_wait(&w.go);
        fn(bufs, 0, N / 2, NULL);
        pthread_barrier_wait(&w.done);
        double d = now();
        tc[k] = b - a;
        tj[k] = c - b;
        tj2[k] = d - c;
    }
    w.quit = 1;
    pthread_barrier_wait(&w.go);
    pthread_join(th, NULL);
    pthread_barrier_destroy(&w.go);
    pthread_barrier_destroy(&w.done);
    double bytes = 2.0 * sizeof(float) * N; /* read x, write y (channel params are 768 B) */
    double c1 = best_of(tc, REPS), j1 = best_of(tj, REPS), j2 = best_of(tj2, REPS);
    printf("fused bias+bn+relu, %d floats (best of %d, interleaved):\n", N, REPS);
    printf("  plain C loop, gcc -O2, 1 thread : %7.3f ms  %6.1f GB/s\n", c1 * 1e3, bytes / c1 / 1e9);
    printf("  JIT (LLVM O3, host), 1 thread   : %7.3f ms  %6.1f GB/s  (%.2fx)\n", j1 * 1e3, bytes / j1 / 1e9, c1 / j1);
    printf("  JIT, 2 threads (persistent pool): %7.3f ms  %6.1f GB/s  (%.2fx)\n", j2 * 1e3, bytes / j2 / 1e9, c1 / j2);
    printf("  JIT compile of this kernel      : %7.1f ms\n", jit_ms);

    /* JIT time per kernel pattern (fresh specs: the cache would hide it) */
    struct {
        const char *name;
        CgSpec s;
    } k[5];
    int nk = 0;
    CgSpec *q = &k[nk].s;
    k[nk++].name = "dropout fwd (rand+select)";
    cg_spec_map(q, N, 0, 0);
    cg_store(q, 1,
             cg_select(q, CG_GE, cg_rand(q, 0, 1), cg_scalar(q, 1), cg_bin(q, CG_MUL, cg_load(q, 0), cg_scalar(q, 2)),
                       cg_const(q, 0)));
    q = &k[nk].s;
    k[nk++].name = "gelu fwd + bias";
    cg_spec_map(q, N, C, HW);
    cg_store(q, 2, cg_un(q, CG_GELU, cg_bin(q, CG_ADD, cg_load(q, 0), cg_load_ch(q, 1))));
    q = &k[nk].s;
    k[nk++].name = "batchnorm stats (sum, sumsq)";
    cg_spec_channel_sum(q, B, C, HW);
    {
        int v = cg_load(q, 0);
        cg_accum(q, 1, v);
        cg_accum(q, 2, cg_bin(q, CG_MUL, v, v));
    }
    q = &k[nk].s;
    k[nk++].name = "softmax cross-entropy";
    cg_spec_xent(q, 128, 10);
    q = &k[nk].s;
    k[nk++].name = "adamw update";
    cg_spec_optimizer(
        q, N, &(CgOptim){.kind = CG_ADAMW, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0.01f});
    for (int i = 0; i < nk; i++) {
        CgJitStats st;
        if (cg_jit_get(jit, &k[i].s, &fn, &err)) {
            fprintf(stderr, "FAIL: %s\n", err.msg);
            return 1;
        }
        cg_jit_stats(jit, &st);
        printf("  JIT compile %-28s: %6.1f ms\n", k[i].name, st.compile_ms_last);
    }
    CgJitStats st;
    cg_jit_stats(jit, &st);
    printf("  %d kernels, %.1f ms JIT in total, %d-float vectors\n", st.compiled, st.compile_ms_total, st.vector_width);
    cg_jit_destroy(jit);
    free(x);
    free(y);
    free(r);
    if (j1 > c1 / 0.8) {
        fprintf(stderr, "FAIL: JIT kernel slower than the plain C loop\n");
        return 1;
    }
    return 0;
}
