/* codegen_test.c — JIT-built CPU kernels against the C reference: every pattern of
 * codegen_cases.c at several shapes (N = 0, 1, odd, not a multiple of the vector width),
 * split in two ranges like the runtime's two threads; hand-written loops for the fused
 * chain, batchnorm statistics and several optimizer steps; the cache, vector code in the
 * output, and error reporting. */
#include "codegen.h"
#include "codegen_cases.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...)                                         \
    do {                                                         \
        if (!(cond)) {                                           \
            failures++;                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                        \
            fputc('\n', stderr);                                 \
        }                                                        \
    } while (0)

static uint32_t rng = 12345;
static float frand(float lo, float hi)
{
    rng = rng * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)(rng >> 8) / 16777216.0f;
}

static const uint32_t SEED = 0x2545f491u;

/* |a - b| <= atol + rtol*|b|; equal infinities and NaN == NaN count as equal. */
static int close_enough(float a, float b, double rtol, double atol)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (a == b) return 1;
    if (isinf(a) || isinf(b)) return 0;
    return fabs((double)a - (double)b) <= atol + rtol * fabs((double)b);
}

/* Elements in slot k: per-channel if any op reads it per channel or accumulates into it. */
static int64_t slot_len(const CgSpec *s, int k)
{
    if (s->kind == CG_SOFTMAX_XENT) return k == CG_XENT_LOGITS || k == CG_XENT_DLOGITS ? s->rows * s->cols : s->rows;
    for (int i = 0; i < s->nops; i++)
        if ((s->ops[i].kind == CG_LOAD_CH || s->ops[i].kind == CG_ACCUM) && s->ops[i].buf == k) return s->channels;
    return s->n;
}

static int is_out(const CgCase *c, int k)
{
    for (int i = 0; i < c->nout; i++)
        if (c->outs[i] == k) return 1;
    return 0;
}

static int is_loaded(const CgSpec *s, int k)
{
    for (int i = 0; i < s->nops; i++)
        if ((s->ops[i].kind == CG_LOAD || s->ops[i].kind == CG_LOAD_CH || s->ops[i].kind == CG_ACCUM) &&
            s->ops[i].buf == k)
            return 1;
    return 0;
}

static void set_scalars(const CgCase *c, float *sc)
{
    memcpy(&sc[0], &SEED, 4);
    sc[1] = 0.3f;
    sc[2] = 1.0f / 0.7f;
    if (c->spec.kind == CG_SOFTMAX_XENT) sc[0] = 0.125f;
    if (strncmp(c->name, "optim", 5) == 0) {
        CgOptim o = {.kind = CG_ADAM, .beta1 = 0.9f, .beta2 = 0.999f};
        cg_optim_scalars(&o, 3, 0.01f, sc);
    }
}

static float special_values[] = {0.0f,  -0.0f, INFINITY, -INFINITY, NAN,     1e-40f, -1e-40f,  1.0f,
                                 -1.0f, 88.7f, -88.0f,   100.0f,    -100.0f, 0.625f, -0.6251f, 1e-4f};

/* Runs case c with the JIT (domain split in two at an odd point) and the reference. */
static void run_case(CgJit *jit, const CgCase *c, int specials)
{
    const CgSpec *s = &c->spec;
    CgError err;
    CgCpuFn fn;
    if (cg_jit_get(jit, s, &fn, &err)) {
        CHECK(0, "%s: %s", c->name, err.msg);
        return;
    }
    void *a[CG_MAX_BUFS] = {0}, *b[CG_MAX_BUFS] = {0};
    for (int k = 0; k < s->nbufs; k++) {
        int64_t len = slot_len(s, k);
        a[k] = malloc(sizeof(float) * (size_t)(len + 1));
        b[k] = malloc(sizeof(float) * (size_t)(len + 1));
        for (int64_t i = 0; i < len; i++) {
            float va, vb;
            if (s->kind == CG_SOFTMAX_XENT && k == CG_XENT_LABELS) {
                int32_t l = (int32_t)(frand(0, 1) * (float)s->cols);
                if (i == 1) l = -1;
                if (i == 2) l = (int32_t)s->cols;
                memcpy(&va, &l, 4);
                vb = va;
            } else if (is_out(c, k) && !is_loaded(s, k)) {
                va = 777.0f; /* a missed write shows up as a mismatch */
                vb = -555.0f;
            } else {
                va = vb = frand(c->lo, c->hi);
                if (c->abs_slots >> k & 1) va = vb = fabsf(va);
                if (specials && k == 0 && i < (int64_t)(sizeof special_values / sizeof special_values[0]))
                    va = vb = special_values[i];
            }
            ((float *)a[k])[i] = va;
            ((float *)b[k])[i] = vb;
        }
    }
    float sc[CG_MAX_SCALARS] = {0};
    set_scalars(c, sc);
    int64_t d = cg_spec_domain(s, CG_TARGET_CPU), mid = d / 3;
    fn(a, 0, mid, sc);
    fn(a, mid, d, sc);
    CHECK(cg_ref_run(s, b, 0, d, sc, &err) == 0, "%s: reference: %s", c->name, err.msg);
    for (int o = 0; o < c->nout; o++) {
        int k = c->outs[o], bad = 0;
        int64_t len = slot_len(s, k);
        for (int64_t i = 0; i < len; i++) {
            float x = ((float *)a[k])[i], y = ((float *)b[k])[i];
            if (!close_enough(x, y, c->rtol, c->atol) && bad++ < 3)
                CHECK(0, "%s (n=%lld C=%lld inner=%lld): slot %d [%lld]: jit %.9g ref %.9g (input %.9g)", c->name,
                      (long long)s->n, (long long)s->channels, (long long)s->inner, k, (long long)i, x, y,
                      k == 0 || len != slot_len(s, 0) ? 0.0 : ((float *)b[0])[i]);
        }
    }
    for (int k = 0; k < s->nbufs; k++) {
        free(a[k]);
        free(b[k]);
    }
}

static void test_all_cases(CgJit *jit)
{
    static const int64_t shapes[][3] = {
        {0, 3, 5}, {1, 1, 1}, {2, 3, 5}, {3, 5, 17}, {2, 16, 49}, {7, 10, 1}, {5, 37, 1}, {2, 3, 4},
    };
    static CgCase cases[128];
    for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
        int n = codegen_cases(cases, 128, shapes[sh][0], shapes[sh][1], shapes[sh][2]);
        CHECK(n > 30 && n < 128, "case count %d", n);
        for (int i = 0; i < n; i++) run_case(jit, &cases[i], 0);
    }
    /* special values (inf, NaN, subnormals, branch points) through every op */
    int n = codegen_cases(cases, 128, 4, 5, 3);
    for (int i = 0; i < n; i++) run_case(jit, &cases[i], 1);
}

/* The chain written as the plain loop it replaces. */
static void test_hand_written_chain(CgJit *jit)
{
    enum { B = 3, C = 5, HW = 13 };
    CgSpec s;
    cg_spec_map(&s, B * C * HW, C, HW);
    int x = cg_load(&s, 0);
    int t = cg_fma(&s, cg_bin(&s, CG_ADD, x, cg_load_ch(&s, 1)), cg_load_ch(&s, 2), cg_load_ch(&s, 3));
    cg_store(&s, 4, cg_un(&s, CG_RELU, t));
    float in[B * C * HW], bias[C], scale[C], shift[C], out[B * C * HW], ref[B * C * HW];
    for (int i = 0; i < B * C * HW; i++) in[i] = frand(-3, 3);
    for (int c = 0; c < C; c++) {
        bias[c] = frand(-1, 1);
        scale[c] = frand(0.5f, 2);
        shift[c] = frand(-1, 1);
    }
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++)
            for (int j = 0; j < HW; j++) {
                int i = (b * C + c) * HW + j;
                float v = (in[i] + bias[c]) * scale[c] + shift[c];
                ref[i] = v > 0 ? v : 0;
            }
    CgError err;
    CgCpuFn fn;
    CHECK(cg_jit_get(jit, &s, &fn, &err) == 0, "%s", err.msg);
    void *bufs[5] = {in, bias, scale, shift, out};
    fn(bufs, 0, B * C * HW, NULL);
    CHECK(memcmp(out, ref, sizeof out) == 0, "bias+bn+relu differs from the hand-written loop");

    /* batchnorm statistics */
    CgSpec st;
    cg_spec_channel_sum(&st, B, C, HW);
    int v = cg_load(&st, 0);
    cg_accum(&st, 1, v);
    cg_accum(&st, 2, cg_bin(&st, CG_MUL, v, v));
    float sum[C] = {0}, sq[C] = {0};
    CHECK(cg_jit_get(jit, &st, &fn, &err) == 0, "%s", err.msg);
    void *sb[3] = {in, sum, sq};
    fn(sb, 0, 2, NULL);
    fn(sb, 2, C, NULL);
    for (int c = 0; c < C; c++) {
        double rs = 0, rq = 0;
        for (int b = 0; b < B; b++)
            for (int j = 0; j < HW; j++) {
                double e = in[(b * C + c) * HW + j];
                rs += e;
                rq += e * e;
            }
        CHECK(fabs(sum[c] - rs) <= 1e-4 + 1e-5 * fabs(rs) && fabs(sq[c] - rq) <= 1e-4 + 1e-5 * rq,
              "bn stats channel %d: %g %g vs %g %g", c, sum[c], sq[c], rs, rq);
    }
}

/* Dropout: the mask matches cg_ref_rand bit for bit and keeps about 1-p. */
static void test_dropout_statistics(CgJit *jit)
{
    enum { N = 100003 };
    CgSpec s;
    cg_spec_map(&s, N, 0, 0);
    cg_store(&s, 0, cg_rand(&s, 0, 3));
    float *u = malloc(sizeof(float) * N), sc[1];
    memcpy(&sc[0], &SEED, 4);
    CgError err;
    CgCpuFn fn;
    CHECK(cg_jit_get(jit, &s, &fn, &err) == 0, "%s", err.msg);
    fn((void *[]){u}, 0, N, sc);
    double mean = 0;
    int same = 1;
    for (int i = 0; i < N; i++) {
        mean += u[i];
        same &= u[i] == cg_ref_rand(SEED, 3, i) && u[i] >= 0 && u[i] < 1;
    }
    mean /= N;
    CHECK(same, "rand differs from cg_ref_rand or leaves [0,1)");
    CHECK(fabs(mean - 0.5) < 0.005, "rand mean %g", mean);
    CHECK(cg_ref_rand(SEED, 3, 5) != cg_ref_rand(SEED, 4, 5) && cg_ref_rand(SEED, 3, 5) != cg_ref_rand(SEED + 1, 3, 5),
          "streams and seeds must give different numbers");
    free(u);
}

/* Several optimizer steps against PyTorch's formulas written out here. */
static void test_optimizer_steps(CgJit *jit)
{
    enum { N = 1037, STEPS = 6 };
    static const CgOptim opts[] = {
        {.kind = CG_SGD, .momentum = 0.9f, .weight_decay = 5e-4f},
        {.kind = CG_SGD, .momentum = 0.9f, .nesterov = 1, .weight_decay = 1e-4f},
        {.kind = CG_ADAM, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 1e-4f},
        {.kind = CG_ADAMW, .beta1 = 0.9f, .beta2 = 0.99f, .eps = 1e-6f, .weight_decay = 1e-2f},
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        const CgOptim *o = &opts[k];
        static float p[N], g[N], m[N], v[N], rp[N], rm[N], rv[N];
        for (int i = 0; i < N; i++) {
            p[i] = rp[i] = frand(-1, 1);
            m[i] = v[i] = rm[i] = rv[i] = 0;
        }
        CgSpec s;
        cg_spec_optimizer(&s, N, o);
        CgError err;
        CgCpuFn fn;
        if (cg_jit_get(jit, &s, &fn, &err)) {
            CHECK(0, "%s", err.msg);
            continue;
        }
        for (int t = 1; t <= STEPS; t++) {
            float lr = 0.05f / (float)t, sc[3];
            for (int i = 0; i < N; i++) g[i] = frand(-1, 1);
            cg_optim_scalars(o, t, lr, sc);
            fn((void *[]){p, g, m, v}, 0, N / 2, sc);
            fn((void *[]){p, g, m, v}, N / 2, N, sc);
            double bc1 = 1 - pow(o->beta1, t), bc2 = 1 - pow(o->beta2, t);
            for (int i = 0; i < N; i++) {
                float gi = g[i];
                if (o->kind == CG_SGD) {
                    gi += o->weight_decay * rp[i];
                    rm[i] = o->momentum * rm[i] + gi;
                    rp[i] -= lr * (o->nesterov ? gi + o->momentum * rm[i] : rm[i]);
                    continue;
                }
                if (o->kind == CG_ADAMW) rp[i] -= lr * o->weight_decay * rp[i];
                else gi += o->weight_decay * rp[i];
                rm[i] = o->beta1 * rm[i] + (1 - o->beta1) * gi;
                rv[i] = o->beta2 * rv[i] + (1 - o->beta2) * gi * gi;
                rp[i] -= (float)(lr * (rm[i] / bc1) / (sqrt(rv[i]) / sqrt(bc2) + o->eps));
            }
        }
        int bad = 0;
        for (int i = 0; i < N; i++)
            if (!close_enough(p[i], rp[i], 1e-5, 1e-7) || !close_enough(m[i], rm[i], 1e-6, 1e-9)) bad++;
        CHECK(bad == 0, "optimizer %zu: %d of %d parameters differ after %d steps (p[0] %.9g vs %.9g)", k, bad, N,
              STEPS, p[0], rp[0]);
    }
}

static void test_cache_and_vectors(CgJit *jit)
{
    CgCase cases[128];
    int n = codegen_cases(cases, 128, 2, 3, 5);
    CgJitStats before, after;
    cg_jit_stats(jit, &before);
    CgError err;
    CgCpuFn f1, f2;
    CHECK(cg_jit_get(jit, &cases[0].spec, &f1, &err) == 0 && cg_jit_get(jit, &cases[0].spec, &f2, &err) == 0, "%s",
          err.msg);
    cg_jit_stats(jit, &after);
    CHECK(f1 == f2 && after.compiled == before.compiled && after.cache_hits == before.cache_hits + 2,
          "cache: compiled %d->%d hits %d->%d", before.compiled, after.compiled, before.cache_hits, after.cache_hits);
    /* clear frees the kernels; the next get compiles again and still computes the right thing */
    CHECK(cg_jit_clear(jit, &err) == 0, "clear: %s", err.msg);
    run_case(jit, &cases[0], 0);
    CgJitStats cleared;
    cg_jit_stats(jit, &cleared);
    CHECK(cleared.compiled == after.compiled + 1, "after clear: compiled %d, want %d", cleared.compiled,
          after.compiled + 1);
    CgSpec other = cases[0].spec;
    other.n += 1;
    CHECK(cg_spec_hash(&other) != cg_spec_hash(&cases[0].spec), "hash ignores n");
    CHECK(after.vector_width >= 8, "vector width %d on a host with AVX", after.vector_width);
    printf("codegen: %d kernels compiled, %.1f ms JIT on average, %d cache hits, %d-float vectors\n", after.compiled,
           after.compile_ms_total / (after.compiled ? after.compiled : 1), after.cache_hits, after.vector_width);

    /* the fused chain must come out as vector code */
    for (int i = 0; i < n; i++) {
        if (strcmp(cases[i].name, "fwd_bias_bn_relu_res_dropout") != 0) continue;
        char *ir = NULL, *as = NULL;
        CHECK(cg_cpu_dump(&cases[i].spec, &ir, &as, &err) == 0, "%s", err.msg);
        if (!ir || !as) break;
        CHECK(strstr(ir, "<16 x float>") || strstr(ir, "<8 x float>"), "no <8|16 x float> in the optimized IR");
        CHECK(strstr(as, "zmm") || strstr(as, "ymm"), "no ymm/zmm register in the x86 code");
        CHECK(strstr(as, "vmaxps") || strstr(as, "vcmp") || strstr(as, "vblendv"), "relu/select not vectorized");
        free(ir);
        free(as);
    }
}

static void test_errors(CgJit *jit)
{
    CgSpec s;
    CgError err = {""};
    CgCpuFn fn = (CgCpuFn)1;
    cg_spec_map(&s, 10, 0, 0);
    cg_store(&s, 1, cg_bin(&s, CG_ADD, cg_load(&s, 0), 57)); /* operand 57 does not exist */
    CHECK(cg_jit_get(jit, &s, &fn, &err) == -1 && fn == NULL && strstr(err.msg, "malformed"), "bad operand: '%s'",
          err.msg);
    cg_spec_map(&s, 10, 4, 3); /* 10 is not a multiple of 12 */
    cg_store(&s, 1, cg_load_ch(&s, 0));
    CHECK(cg_jit_get(jit, &s, &fn, &err) == -1 && strstr(err.msg, "multiple"), "bad shape: '%s'", err.msg);
    cg_spec_map(&s, 10, 0, 0);
    cg_accum(&s, 1, cg_load(&s, 0));
    CHECK(cg_jit_get(jit, &s, &fn, &err) == -1 && strstr(err.msg, "accum"), "accum in map: '%s'", err.msg);
    cg_spec_map(&s, 10, 0, 0);
    cg_load(&s, 0);
    CHECK(cg_spec_check(&s, &err) == -1 && strstr(err.msg, "no store"), "no effect: '%s'", err.msg);
    cg_spec_map(&s, 10, 0, 0);
    cg_store(&s, CG_MAX_BUFS, cg_load(&s, 0));
    CHECK(cg_spec_check(&s, &err) == -1, "slot out of range accepted");
    cg_spec_map(&s, 10, 0, 0); /* more than CG_MAX_OPS ops */
    int v = cg_load(&s, 0);
    for (int i = 0; i < CG_MAX_OPS; i++) v = cg_un(&s, CG_NEG, v);
    cg_store(&s, 1, v);
    CHECK(cg_spec_check(&s, &err) == -1 && strstr(err.msg, "more than"), "op overflow: '%s'", err.msg);
    char *ptx = NULL;
    cg_spec_map(&s, 10, 0, 0);
    cg_store(&s, 1, cg_load(&s, 0));
    CHECK(cg_ptx_emit(&s, 70, "k", &ptx, &err) == -1 && ptx == NULL && strstr(err.msg, "sm_70"), "sm_70: '%s'",
          err.msg);
    CHECK(cg_ptx_emit(&s, 80, "bad name", &ptx, &err) == -1 && strstr(err.msg, "identifier"), "name: '%s'", err.msg);
    CHECK(cg_ptx_emit(&s, 80, "copy", &ptx, &err) == 0 && ptx && strstr(ptx, ".entry copy"), "ptx: %s", err.msg);
    free(ptx);
}

/* Cross-entropy with no dlogits buffer (evaluation) writes loss and correct only. */
static void test_xent_eval(CgJit *jit)
{
    enum { B = 4, K = 3 };
    CgSpec s;
    cg_spec_xent(&s, B, K);
    float logits[B * K] = {1, 2, 3, 3, 2, 1, 0, 0, 0, 5, -5, 0}, loss[B], correct[B];
    int32_t labels[B] = {2, 1, 0, 7};
    float sc[2] = {1.0f, 0};
    CgError err;
    CgCpuFn fn;
    CHECK(cg_jit_get(jit, &s, &fn, &err) == 0, "%s", err.msg);
    fn((void *[]){logits, labels, loss, NULL, correct}, 0, B, sc);
    double l0 = log(exp(1.0) + exp(2.0) + exp(3.0)) - 3;
    CHECK(fabs(loss[0] - l0) < 1e-6 && fabs(loss[2] - log(3.0)) < 1e-6 && isnan(loss[3]), "losses %g %g %g", loss[0],
          loss[2], loss[3]);
    CHECK(correct[0] == 1 && correct[1] == 0 && correct[2] == 1 && correct[3] == 0, "correct %g %g %g %g", correct[0],
          correct[1], correct[2], correct[3]);
}

/* Label smoothing eps = 0.1 against the closed form, on the reference and the JIT: logits
 * log 1, log 2, log 5 give p = 1/8, 2/8, 5/8; with label 0 the target is t = (0.9 + 0.1/3,
 * 0.1/3, 0.1/3), loss = -sum t log p, dlogits = (p - t) * scale. */
static void test_xent_smoothed(CgJit *jit)
{
    CgSpec s;
    cg_spec_xent(&s, 1, 3);
    float logits[3] = {0, logf(2), logf(5)}, sc[2] = {0.5f, 0.1f};
    int32_t label = 0;
    double u = 0.1 / 3, t[3] = {0.9 + u, u, u}, p[3] = {1.0 / 8, 2.0 / 8, 5.0 / 8};
    double want = -(t[0] * log(p[0]) + t[1] * log(p[1]) + t[2] * log(p[2]));
    CgError err;
    CgCpuFn fn;
    CHECK(cg_jit_get(jit, &s, &fn, &err) == 0, "%s", err.msg);
    for (int jit_run = 0; jit_run < 2; jit_run++) {
        float loss = 0, dl[3] = {0}, correct = -1;
        void *bufs[5] = {logits, &label, &loss, dl, &correct};
        if (jit_run) fn(bufs, 0, 1, sc);
        else CHECK(cg_ref_run(&s, bufs, 0, 1, sc, &err) == 0, "%s", err.msg);
        const char *who = jit_run ? "jit" : "reference";
        CHECK(fabs(loss - want) < 1e-6, "%s: smoothed loss %.9g, closed form %.9g", who, loss, want);
        for (int k = 0; k < 3; k++)
            CHECK(fabs(dl[k] - (p[k] - t[k]) * 0.5) < 1e-6, "%s: dlogits[%d] %.9g, closed form %.9g", who, k, dl[k],
                  (p[k] - t[k]) * 0.5);
        CHECK(correct == 0, "%s: correct %g (argmax 2, label 0)", who, correct);
    }
}

/* Two threads asking for kernels at once (the runtime's pool may): each gets working code. */
typedef struct GetArgs {
    CgJit *jit;
    int id, ok;
} GetArgs;
static void *get_kernels(void *p)
{
    GetArgs *g = p;
    g->ok = 1;
    for (int k = 0; k < 4; k++) {
        CgSpec s;
        cg_spec_map(&s, 33, 0, 0);
        cg_store(&s, 1, cg_bin(&s, CG_ADD, cg_load(&s, 0), cg_const(&s, (float)(k % 2 + 10 * g->id))));
        CgError err;
        CgCpuFn fn;
        float x[33], y[33];
        for (int i = 0; i < 33; i++) x[i] = (float)i;
        if (cg_jit_get(g->jit, &s, &fn, &err)) {
            g->ok = 0;
            continue;
        }
        fn((void *[]){x, y}, 0, 33, NULL);
        for (int i = 0; i < 33; i++) g->ok &= y[i] == (float)i + (float)(k % 2 + 10 * g->id);
    }
    return NULL;
}

static void test_threads(CgJit *jit)
{
    pthread_t t;
    GetArgs a = {jit, 1, 0}, b = {jit, 2, 0};
    pthread_create(&t, NULL, get_kernels, &a);
    get_kernels(&b);
    pthread_join(t, NULL);
    CHECK(a.ok && b.ok, "concurrent cg_jit_get: thread results %d %d", a.ok, b.ok);
}

/* The cache directory: a second JIT (the next trial's process) loads every kernel the first
 * one generated instead of generating it, and the loaded kernels compute what the reference
 * does (run_case); a damaged file is generated again, and rewritten. */
static int cached_round(const char *dir, const CgCase *cases, int k, CgJitStats *st)
{
    CgJit *j;
    CgError err;
    if (cg_jit_create(&j, &err)) {
        CHECK(0, "%s", err.msg);
        return -1;
    }
    cg_jit_set_cache_dir(j, dir);
    for (int i = 0; i < k; i++) run_case(j, &cases[i], 0);
    cg_jit_stats(j, st);
    cg_jit_destroy(j);
    return 0;
}

static void test_disk_cache(void)
{
    char dir[] = "/tmp/nas-jit-cache-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    CgCase cases[128];
    int n = codegen_cases(cases, 128, 2, 3, 5), k = n < 16 ? n : 16;
    CgJitStats first, second, third;
    if (cached_round(dir, cases, k, &first) || cached_round(dir, cases, k, &second)) return;
    CHECK(first.compiled > 0 && first.loaded == 0, "first process: %d compiled, %d loaded", first.compiled,
          first.loaded);
    CHECK(second.compiled == first.compiled && second.loaded == first.compiled,
          "second process: %d kernels, %d of them loaded; want all %d loaded", second.compiled, second.loaded,
          first.compiled);
    /* damage one file: its kernel is generated again, the others are still loaded */
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512] = "";
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && !path[0]) snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (d) closedir(d);
    FILE *f = fopen(path, "r+b");
    if (f) {
        fseek(f, -1, SEEK_END); /* the object file's last byte */
        int c = fgetc(f);
        fseek(f, -1, SEEK_END);
        fputc(c ^ 0x5a, f);
        fclose(f);
    }
    if (cached_round(dir, cases, k, &third)) return;
    CHECK(f && third.loaded == first.compiled - 1, "after damaging %s: %d of %d loaded, want %d", path, third.loaded,
          third.compiled, first.compiled - 1);
    printf("codegen: cache directory: %d kernels generated in %.1f ms, loaded in %.1f ms\n", first.compiled,
           first.compile_ms_total, second.compile_ms_total);
    d = opendir(dir);
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d) closedir(d);
    rmdir(dir);
}

int main(void)
{
    CgJit *jit;
    CgError err;
    if (cg_jit_create(&jit, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    test_all_cases(jit);
    test_hand_written_chain(jit);
    test_dropout_statistics(jit);
    test_optimizer_steps(jit);
    test_xent_eval(jit);
    test_xent_smoothed(jit);
    test_cache_and_vectors(jit);
    test_errors(jit);
    test_threads(jit);
    test_disk_cache();
    cg_jit_destroy(jit);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("codegen_test: all passed\n");
    return 0;
}
