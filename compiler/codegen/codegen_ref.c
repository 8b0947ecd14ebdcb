/* codegen_ref.c — plain-C reference of every kernel spec: the meaning the JIT must match. */
#include "codegen.h"
#include <math.h>
#include <string.h>

static uint32_t mix32(uint32_t x) /* "lowbias32" integer hash (C. Wellons) */
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

float cg_ref_rand(uint32_t seed, int stream, int64_t i)
{
    uint32_t lo = (uint32_t)i, hi = (uint32_t)((uint64_t)i >> 32);
    uint32_t key = mix32(seed ^ mix32(hi + (uint32_t)stream * 0x9e3779b9u));
    uint32_t h = mix32(lo ^ key);
    return (float)(int32_t)(h >> 8) * (1.0f / 16777216.0f);
}

static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

static const float GELU_K0 = 0.7978845608028654f, GELU_K1 = 0.044715f;

static int cmp(CgCmp c, float a, float b)
{
    switch (c) {
    case CG_LT: return a < b;
    case CG_LE: return a <= b;
    case CG_GT: return a > b;
    case CG_GE: return a >= b;
    case CG_EQ: return a == b;
    case CG_NE: return a != b; /* ordered: NaN compares false everywhere except here */
    }
    return 0;
}

/* Evaluates the ops for element i (channel ch); accum ops add into acc[op]. */
static void eval(const CgSpec *s, void *const *bufs, const float *scalars, int64_t i, int64_t ch, float *v, double *acc)
{
    for (int k = 0; k < s->nops; k++) {
        const CgOp *o = &s->ops[k];
        float a = o->a >= 0 ? v[o->a] : 0, b = o->b >= 0 ? v[o->b] : 0;
        float r = 0;
        switch (o->kind) {
        case CG_LOAD: r = ((const float *)bufs[o->buf])[i]; break;
        case CG_LOAD_CH: r = ((const float *)bufs[o->buf])[ch]; break;
        case CG_CONST: r = o->imm; break;
        case CG_SCALAR: r = scalars[o->buf]; break;
        case CG_RAND: {
            uint32_t seed;
            memcpy(&seed, &scalars[o->buf], 4);
            r = cg_ref_rand(seed, (int)o->imm, i);
            break;
        }
        case CG_ADD: r = a + b; break;
        case CG_SUB: r = a - b; break;
        case CG_MUL: r = a * b; break;
        case CG_DIV: r = a / b; break;
        case CG_MAX: r = a > b ? a : b; break;
        case CG_MIN: r = a < b ? a : b; break;
        case CG_NEG: r = -a; break;
        case CG_EXP: r = expf(a); break;
        case CG_LOG: r = logf(a); break;
        case CG_SQRT: r = sqrtf(a); break;
        case CG_RSQRT: r = 1.0f / sqrtf(a); break;
        case CG_TANH: r = tanhf(a); break;
        case CG_SIGMOID: r = sigmoid(a); break;
        case CG_RELU: r = a > 0 ? a : 0.0f; break;
        case CG_RELU6: r = a > 0 ? (a < 6.0f ? a : 6.0f) : 0.0f; break;
        case CG_SWISH: r = a * sigmoid(a); break;
        case CG_SWISH_DX: {
            float sg = sigmoid(a);
            r = sg * (1.0f + a * (1.0f - sg));
            break;
        }
        case CG_GELU: r = 0.5f * a * (1.0f + tanhf(GELU_K0 * (a + GELU_K1 * a * a * a))); break;
        case CG_GELU_DX: {
            float t = tanhf(GELU_K0 * (a + GELU_K1 * a * a * a));
            r = 0.5f * (1.0f + t) + 0.5f * a * (1.0f - t * t) * GELU_K0 * (1.0f + 3.0f * GELU_K1 * a * a);
            break;
        }
        case CG_FMA: r = a * b + v[o->c]; break;
        case CG_SELECT: r = cmp(o->cmp, a, b) ? v[o->c] : v[o->d]; break;
        case CG_STORE: ((float *)bufs[o->buf])[i] = a; break;
        case CG_ACCUM: acc[k] += a; break;
        }
        v[k] = r;
    }
}

/* The target is the label smoothed by eps: t = (1 - eps) onehot + eps / cols, so the loss
 * -sum_k t_k log p_k = lse - (1 - eps) x[label] - eps / cols * sum_k x_k (sum_k t_k = 1). */
static void xent_row(const CgSpec *s, void *const *bufs, float scale, float eps, int64_t b)
{
    const float *x = (const float *)bufs[CG_XENT_LOGITS] + b * s->cols;
    int32_t label = ((const int32_t *)bufs[CG_XENT_LABELS])[b];
    float *dx = bufs[CG_XENT_DLOGITS] ? (float *)bufs[CG_XENT_DLOGITS] + b * s->cols : NULL;
    float mx = -INFINITY;
    int64_t arg = 0;
    for (int64_t k = 0; k < s->cols; k++)
        if (x[k] > mx) {
            mx = x[k];
            arg = k;
        }
    float sum = 0, sumx = 0;
    for (int64_t k = 0; k < s->cols; k++) {
        sum += expf(x[k] - mx);
        sumx += x[k];
    }
    int valid = label >= 0 && label < s->cols;
    float spread = eps / (float)s->cols;
    ((float *)bufs[CG_XENT_LOSS])[b] = valid ? logf(sum) + mx - (1.0f - eps) * x[label] - spread * sumx : NAN;
    ((float *)bufs[CG_XENT_CORRECT])[b] = valid && arg == label ? 1.0f : 0.0f;
    if (!dx) return;
    float inv = 1.0f / sum;
    for (int64_t k = 0; k < s->cols; k++)
        dx[k] = valid ? (expf(x[k] - mx) * inv - ((k == label ? 1.0f - eps : 0.0f) + spread)) * scale : 0.0f;
}

int cg_ref_run(const CgSpec *s, void *const *bufs, int64_t begin, int64_t end, const float *scalars, CgError *err)
{
    if (cg_spec_check(s, err)) return -1;
    if (s->kind == CG_SOFTMAX_XENT) {
        for (int64_t b = begin; b < end; b++) xent_row(s, bufs, scalars[0], scalars[1], b);
        return 0;
    }
    float v[CG_MAX_OPS];
    double acc[CG_MAX_OPS];
    if (s->kind == CG_MAP) {
        for (int64_t i = begin; i < end; i++)
            eval(s, bufs, scalars, i, s->channels > 0 ? (i / s->inner) % s->channels : 0, v, acc);
        return 0;
    }
    int64_t outer = s->n / (s->channels * s->inner);
    for (int64_t c = begin; c < end; c++) {
        memset(acc, 0, sizeof acc);
        for (int64_t n = 0; n < outer; n++)
            for (int64_t j = 0; j < s->inner; j++)
                eval(s, bufs, scalars, (n * s->channels + c) * s->inner + j, c, v, acc);
        for (int k = 0; k < s->nops; k++)
            if (s->ops[k].kind == CG_ACCUM) ((float *)bufs[s->ops[k].buf])[c] += (float)acc[k];
    }
    return 0;
}
