/* ops_ref.c — reference forward/backward of every runtime op (the spec; see ops_ref.h). */
#include "ops_ref.h"
#include "rng.h"
#include <math.h>
#include <string.h>

void conv_desc_finish(ConvDesc *d)
{
    if (d->groups < 1) d->groups = 1;
    if (d->dh < 1) d->dh = 1; /* a descriptor written without dilation is undilated */
    if (d->dw < 1) d->dw = 1;
    d->oh = (d->h + 2 * d->ph - ((d->kh - 1) * d->dh + 1)) / d->sh + 1;
    d->ow = (d->w + 2 * d->pw - ((d->kw - 1) * d->dw + 1)) / d->sw + 1;
}

void pool_desc_finish(PoolDesc *d)
{
    d->oh = (d->h + 2 * d->ph - d->kh) / d->sh + 1;
    d->ow = (d->w + 2 * d->pw - d->kw) / d->sw + 1;
}

const char *act_name(ActKind k)
{
    static const char *names[ACT_COUNT] = {"identity", "relu",   "relu6",    "sigmoid", "tanh",
                                           "swish",    "hswish", "hsigmoid", "gelu"};
    return (unsigned)k < ACT_COUNT ? names[k] : "?";
}

/* ---- convolution ---- */

void ref_conv_fwd(const ConvDesc *d, const float *x, const float *w, const float *b, float *y)
{
    int cg = d->c / d->groups, og = d->oc / d->groups;
    for (int n = 0; n < d->n; n++)
        for (int o = 0; o < d->oc; o++) {
            int g = o / og;
            for (int oy = 0; oy < d->oh; oy++)
                for (int ox = 0; ox < d->ow; ox++) {
                    double s = b ? b[o] : 0.0;
                    for (int ci = 0; ci < cg; ci++) {
                        int c = g * cg + ci;
                        for (int ky = 0; ky < d->kh; ky++) {
                            int iy = oy * d->sh - d->ph + ky * d->dh;
                            if (iy < 0 || iy >= d->h) continue;
                            for (int kx = 0; kx < d->kw; kx++) {
                                int ix = ox * d->sw - d->pw + kx * d->dw;
                                if (ix < 0 || ix >= d->w) continue;
                                s += (double)x[((int64_t)(n * d->c + c) * d->h + iy) * d->w + ix] *
                                     w[((int64_t)(o * cg + ci) * d->kh + ky) * d->kw + kx];
                            }
                        }
                    }
                    y[((int64_t)(n * d->oc + o) * d->oh + oy) * d->ow + ox] = (float)s;
                }
        }
}

void ref_conv_bwd_data(const ConvDesc *d, const float *dy, const float *w, float *dx)
{
    int cg = d->c / d->groups, og = d->oc / d->groups;
    for (int n = 0; n < d->n; n++)
        for (int c = 0; c < d->c; c++) {
            int g = c / cg, ci = c % cg;
            for (int iy = 0; iy < d->h; iy++)
                for (int ix = 0; ix < d->w; ix++) {
                    double s = 0;
                    for (int oo = 0; oo < og; oo++) {
                        int o = g * og + oo;
                        for (int ky = 0; ky < d->kh; ky++) {
                            int t = iy + d->ph - ky * d->dh;
                            if (t < 0 || t % d->sh) continue;
                            int oy = t / d->sh;
                            if (oy >= d->oh) continue;
                            for (int kx = 0; kx < d->kw; kx++) {
                                int u = ix + d->pw - kx * d->dw;
                                if (u < 0 || u % d->sw) continue;
                                int ox = u / d->sw;
                                if (ox >= d->ow) continue;
                                s += (double)dy[((int64_t)(n * d->oc + o) * d->oh + oy) * d->ow + ox] *
                                     w[((int64_t)(o * cg + ci) * d->kh + ky) * d->kw + kx];
                            }
                        }
                    }
                    dx[((int64_t)(n * d->c + c) * d->h + iy) * d->w + ix] = (float)s;
                }
        }
}

void ref_conv_bwd_filter(const ConvDesc *d, const float *x, const float *dy, float *dw, float *db)
{
    int cg = d->c / d->groups, og = d->oc / d->groups;
    for (int o = 0; o < d->oc; o++) {
        int g = o / og;
        for (int ci = 0; ci < cg; ci++)
            for (int ky = 0; ky < d->kh; ky++)
                for (int kx = 0; kx < d->kw; kx++) {
                    double s = 0;
                    int c = g * cg + ci;
                    for (int n = 0; n < d->n; n++)
                        for (int oy = 0; oy < d->oh; oy++) {
                            int iy = oy * d->sh - d->ph + ky * d->dh;
                            if (iy < 0 || iy >= d->h) continue;
                            for (int ox = 0; ox < d->ow; ox++) {
                                int ix = ox * d->sw - d->pw + kx * d->dw;
                                if (ix < 0 || ix >= d->w) continue;
                                s += (double)x[((int64_t)(n * d->c + c) * d->h + iy) * d->w + ix] *
                                     dy[((int64_t)(n * d->oc + o) * d->oh + oy) * d->ow + ox];
                            }
                        }
                    dw[((int64_t)(o * cg + ci) * d->kh + ky) * d->kw + kx] = (float)s;
                }
        if (db) {
            double s = 0;
            for (int n = 0; n < d->n; n++)
                for (int i = 0; i < d->oh * d->ow; i++) s += dy[(int64_t)(n * d->oc + o) * d->oh * d->ow + i];
            db[o] = (float)s;
        }
    }
}

/* ---- pooling ---- */

/* The window of output (oy,ox) clipped to the input; returns the element count. */
static int pool_window(const PoolDesc *d, int oy, int ox, int *y0, int *y1, int *x0, int *x1)
{
    *y0 = oy * d->sh - d->ph;
    *y1 = *y0 + d->kh;
    *x0 = ox * d->sw - d->pw;
    *x1 = *x0 + d->kw;
    if (*y0 < 0) *y0 = 0;
    if (*x0 < 0) *x0 = 0;
    if (*y1 > d->h) *y1 = d->h;
    if (*x1 > d->w) *x1 = d->w;
    return (*y1 - *y0) * (*x1 - *x0);
}

void ref_pool_fwd(const PoolDesc *d, const float *x, float *y)
{
    for (int nc = 0; nc < d->n * d->c; nc++) {
        const float *xp = x + (int64_t)nc * d->h * d->w;
        for (int oy = 0; oy < d->oh; oy++)
            for (int ox = 0; ox < d->ow; ox++) {
                int y0, y1, x0, x1, cnt = pool_window(d, oy, ox, &y0, &y1, &x0, &x1);
                double s = 0;
                float m = -INFINITY;
                for (int iy = y0; iy < y1; iy++)
                    for (int ix = x0; ix < x1; ix++) {
                        float v = xp[iy * d->w + ix];
                        s += v;
                        if (v > m) m = v;
                    }
                y[((int64_t)nc * d->oh + oy) * d->ow + ox] = d->kind == POOL_MAX ? m : (float)(s / (cnt > 0 ? cnt : 1));
            }
    }
}

void ref_pool_bwd(const PoolDesc *d, const float *x, const float *dy, float *dx)
{
    memset(dx, 0, sizeof(float) * (size_t)d->n * d->c * d->h * d->w);
    for (int nc = 0; nc < d->n * d->c; nc++) {
        const float *xp = x + (int64_t)nc * d->h * d->w;
        float *dxp = dx + (int64_t)nc * d->h * d->w;
        for (int oy = 0; oy < d->oh; oy++)
            for (int ox = 0; ox < d->ow; ox++) {
                int y0, y1, x0, x1, cnt = pool_window(d, oy, ox, &y0, &y1, &x0, &x1);
                float g = dy[((int64_t)nc * d->oh + oy) * d->ow + ox];
                if (cnt <= 0) continue;
                if (d->kind == POOL_AVG) {
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) dxp[iy * d->w + ix] += g / cnt;
                    continue;
                }
                int best = y0 * d->w + x0;
                for (int iy = y0; iy < y1; iy++)
                    for (int ix = x0; ix < x1; ix++)
                        if (xp[iy * d->w + ix] > xp[best]) best = iy * d->w + ix;
                dxp[best] += g;
            }
    }
}

void ref_gap_fwd(int n, int c, int hw, const float *x, float *y)
{
    for (int i = 0; i < n * c; i++) {
        double s = 0;
        for (int j = 0; j < hw; j++) s += x[(int64_t)i * hw + j];
        y[i] = (float)(s / hw);
    }
}

void ref_gap_bwd(int n, int c, int hw, const float *dy, float *dx)
{
    for (int i = 0; i < n * c; i++)
        for (int j = 0; j < hw; j++) dx[(int64_t)i * hw + j] = dy[i] / hw;
}

/* ---- dense ---- */

void ref_gemm(int transa, int transb, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
              float *c)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                float av = transa ? a[(int64_t)p * m + i] : a[(int64_t)i * k + p];
                float bv = transb ? b[(int64_t)j * k + p] : b[(int64_t)p * n + j];
                s += (double)av * bv;
            }
            float *cp = &c[(int64_t)i * n + j];
            *cp = (float)(alpha * s + (beta == 0.0f ? 0.0 : (double)beta * *cp));
        }
}

void ref_dense_fwd(const DenseDesc *d, const float *x, const float *w, const float *b, float *y)
{
    ref_gemm(0, 1, d->n, d->out, d->in, 1.0f, x, w, 0.0f, y);
    if (b) ref_bias_fwd(d->n, d->out, 1, b, y);
}

void ref_dense_bwd(const DenseDesc *d, const float *x, const float *w, const float *dy, float *dx, float *dw, float *db)
{
    if (dx) ref_gemm(0, 0, d->n, d->in, d->out, 1.0f, dy, w, 0.0f, dx);
    ref_gemm(1, 0, d->out, d->in, d->n, 1.0f, dy, x, 0.0f, dw);
    if (db) ref_bias_bwd(d->n, d->out, 1, dy, db);
}

/* ---- elementwise ---- */

#define GELU_K 0.7978845608f /* sqrt(2/pi) */

static float sigmoidf_(float x) { return 1.0f / (1.0f + expf(-x)); }

float ref_act(ActKind k, float x)
{
    switch (k) {
    case ACT_IDENTITY: return x;
    case ACT_RELU: return x > 0 ? x : 0;
    case ACT_RELU6: return x < 0 ? 0 : x > 6 ? 6 : x;
    case ACT_SIGMOID: return sigmoidf_(x);
    case ACT_TANH: return tanhf(x);
    case ACT_SWISH: return x * sigmoidf_(x);
    case ACT_HSWISH: return x * (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6);
    case ACT_HSIGMOID: return x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6;
    case ACT_GELU: return 0.5f * x * (1 + tanhf(GELU_K * (x + 0.044715f * x * x * x)));
    default: return x;
    }
}

float ref_act_grad(ActKind k, float x)
{
    float s;
    switch (k) {
    case ACT_IDENTITY: return 1;
    case ACT_RELU: return x > 0 ? 1 : 0;
    case ACT_RELU6: return x > 0 && x < 6 ? 1 : 0;
    case ACT_SIGMOID: s = sigmoidf_(x); return s * (1 - s);
    case ACT_TANH: s = tanhf(x); return 1 - s * s;
    case ACT_SWISH: s = sigmoidf_(x); return s * (1 + x * (1 - s));
    case ACT_HSWISH: return x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
    case ACT_HSIGMOID: return x <= -3 || x >= 3 ? 0 : 1.0f / 6;
    case ACT_GELU:
        s = tanhf(GELU_K * (x + 0.044715f * x * x * x));
        return 0.5f * (1 + s) + 0.5f * x * (1 - s * s) * GELU_K * (1 + 3 * 0.044715f * x * x);
    default: return 1;
    }
}

void ref_act_fwd(ActKind k, int64_t n, const float *x, float *y)
{
    for (int64_t i = 0; i < n; i++) y[i] = ref_act(k, x[i]);
}

void ref_act_bwd(ActKind k, int64_t n, const float *x, const float *dy, float *dx)
{
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * ref_act_grad(k, x[i]);
}

void ref_bias_fwd(int n, int c, int hw, const float *b, float *y)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++)
            for (int p = 0; p < hw; p++) y[((int64_t)i * c + j) * hw + p] += b[j];
}

void ref_bias_bwd(int n, int c, int hw, const float *dy, float *db)
{
    for (int j = 0; j < c; j++) {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < hw; p++) s += dy[((int64_t)i * c + j) * hw + p];
        db[j] = (float)s;
    }
}

void ref_add_fwd(int64_t n, const float *a, const float *b, float *y)
{
    for (int64_t i = 0; i < n; i++) y[i] = a[i] + b[i];
}

void ref_mul_fwd(int64_t n, const float *a, const float *b, float *y)
{
    for (int64_t i = 0; i < n; i++) y[i] = a[i] * b[i];
}

void ref_scale_fwd(int n, int c, int hw, const float *x, const float *s, float *y)
{
    for (int64_t i = 0; i < (int64_t)n * c; i++)
        for (int p = 0; p < hw; p++) y[i * hw + p] = x[i * hw + p] * s[i];
}

void ref_scale_bwd(int n, int c, int hw, const float *x, const float *s, const float *dy, float *dx, float *ds)
{
    for (int64_t i = 0; i < (int64_t)n * c; i++) {
        double acc = 0;
        for (int p = 0; p < hw; p++) {
            dx[i * hw + p] = dy[i * hw + p] * s[i];
            acc += (double)dy[i * hw + p] * x[i * hw + p];
        }
        ds[i] = (float)acc;
    }
}

/* ---- batchnorm ---- */

void ref_bn_fwd_train(const BnDesc *d, const float *x, const float *gamma, const float *beta, float *y,
                      float *save_mean, float *save_invstd, float *run_mean, float *run_var)
{
    int64_t m = (int64_t)d->n * d->hw;
    for (int c = 0; c < d->c; c++) {
        double s = 0, ss = 0;
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) s += x[((int64_t)i * d->c + c) * d->hw + p];
        double mean = s / m;
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) {
                double t = x[((int64_t)i * d->c + c) * d->hw + p] - mean;
                ss += t * t;
            }
        double var = ss / m, invstd = 1.0 / sqrt(var + d->eps);
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) {
                int64_t k = ((int64_t)i * d->c + c) * d->hw + p;
                y[k] = (float)((x[k] - mean) * invstd * gamma[c] + beta[c]);
            }
        save_mean[c] = (float)mean;
        save_invstd[c] = (float)invstd;
        if (run_mean) { /* running variance is unbiased, as PyTorch keeps it */
            double unbiased = m > 1 ? ss / (m - 1) : var;
            run_mean[c] = (float)((1 - d->momentum) * run_mean[c] + d->momentum * mean);
            run_var[c] = (float)((1 - d->momentum) * run_var[c] + d->momentum * unbiased);
        }
    }
}

void ref_bn_fwd_infer(const BnDesc *d, const float *x, const float *gamma, const float *beta, const float *run_mean,
                      const float *run_var, float *y)
{
    for (int c = 0; c < d->c; c++) {
        double invstd = 1.0 / sqrt((double)run_var[c] + d->eps);
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) {
                int64_t k = ((int64_t)i * d->c + c) * d->hw + p;
                y[k] = (float)((x[k] - run_mean[c]) * invstd * gamma[c] + beta[c]);
            }
    }
}

void ref_bn_bwd(const BnDesc *d, const float *x, const float *gamma, const float *save_mean, const float *save_invstd,
                const float *dy, float *dx, float *dgamma, float *dbeta)
{
    int64_t m = (int64_t)d->n * d->hw;
    for (int c = 0; c < d->c; c++) {
        double sdy = 0, sdyxh = 0, mean = save_mean[c], is = save_invstd[c];
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) {
                int64_t k = ((int64_t)i * d->c + c) * d->hw + p;
                sdy += dy[k];
                sdyxh += dy[k] * (x[k] - mean) * is;
            }
        dgamma[c] = (float)sdyxh;
        dbeta[c] = (float)sdy;
        for (int i = 0; i < d->n; i++)
            for (int p = 0; p < d->hw; p++) {
                int64_t k = ((int64_t)i * d->c + c) * d->hw + p;
                double xh = (x[k] - mean) * is;
                if (dx) dx[k] = (float)(gamma[c] * is * (dy[k] - sdy / m - xh * sdyxh / m));
            }
    }
}

/* ---- dropout ---- */

void ref_dropout_mask(int64_t n, float p, uint64_t seed, float *mask)
{
    Rng r;
    rng_seed(&r, seed);
    float keep = p < 1 ? 1.0f / (1.0f - p) : 0.0f;
    for (int64_t i = 0; i < n; i++) mask[i] = rng_uniform(&r) < p ? 0.0f : keep;
}

/* ---- loss ---- */

double ref_xent_fwd(int n, int k, const float *logits, const int32_t *labels, float eps, float *probs)
{
    double loss = 0;
    for (int i = 0; i < n; i++) {
        const float *l = logits + (int64_t)i * k;
        float *p = probs + (int64_t)i * k;
        float mx = l[0];
        for (int j = 1; j < k; j++)
            if (l[j] > mx) mx = l[j];
        double s = 0;
        for (int j = 0; j < k; j++) s += exp((double)l[j] - mx);
        double lse = log(s) + mx;
        for (int j = 0; j < k; j++) {
            p[j] = (float)(exp((double)l[j] - mx) / s);
            loss -= ((j == labels[i] ? 1.0 - eps : 0.0) + (double)eps / k) * (l[j] - lse);
        }
    }
    return loss / n;
}

void ref_xent_bwd(int n, int k, const float *probs, const int32_t *labels, float eps, float *dlogits)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++)
            dlogits[(int64_t)i * k + j] =
                (probs[(int64_t)i * k + j] - ((j == labels[i] ? 1.0f - eps : 0.0f) + eps / (float)k)) / n;
}
