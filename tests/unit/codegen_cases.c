/* codegen_cases.c — the kernel patterns (fused forward/backward chains, reductions, loss,
 * optimizers, every op alone) with the input ranges and tolerances they are tested at.
 * Tolerances: exact (0) for arithmetic, compares and selects; 1e-6 relative for exp, log,
 * tanh, sigmoid (sqrt, rsqrt exact); composites of them (swish, gelu and their derivatives) 1e-6
 * relative to max(|x|, 1) because 1 + tanh(u) cancels; sums 1e-5 relative + 1e-4. */
#include "codegen_cases.h"
#include <stdio.h>
#include <string.h>

static CgCase *add_case(CgCase *cs, int *n, int max, const char *name, float lo, float hi, double rtol, double atol)
{
    if (*n >= max) return NULL;
    CgCase *c = &cs[(*n)++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->lo = lo;
    c->hi = hi;
    c->rtol = rtol;
    c->atol = atol;
    return c;
}

static void outs(CgCase *c, int n, int a, int b, int d)
{
    int o[3] = {a, b, d};
    c->nout = n;
    for (int i = 0; i < n; i++) c->outs[i] = o[i];
}

int codegen_cases(CgCase *cs, int max, int64_t outer, int64_t channels, int64_t inner)
{
    int n = 0;
    int64_t N = outer * channels * inner;
    CgCase *c;
    CgSpec *s;
    /* every unary op alone: y = op(x) */
    static const struct {
        CgOpKind k;
        float lo, hi;
        double rtol, atol;
    } un[] = {
        {CG_NEG, -4, 4, 0, 0},           {CG_RELU, -4, 4, 0, 0},        {CG_RELU6, -8, 8, 0, 0},
        {CG_SQRT, 0, 100, 0, 0},         {CG_RSQRT, 0.001f, 100, 0, 0}, {CG_EXP, -100, 90, 1e-6, 1e-30},
        {CG_LOG, 0, 1000, 1e-6, 0},      {CG_TANH, -10, 10, 1e-6, 0},   {CG_SIGMOID, -90, 30, 1e-6, 1e-30},
        {CG_SWISH, -20, 20, 1e-6, 1e-6}, {CG_GELU, -8, 8, 1e-6, 1e-6},  {CG_SWISH_DX, -20, 20, 1e-6, 1e-6},
        {CG_GELU_DX, -8, 8, 1e-6, 2e-6},
    };
    for (size_t k = 0; k < sizeof un / sizeof un[0]; k++) {
        char name[48];
        snprintf(name, sizeof name, "unary_%s", cg_op_name(un[k].k));
        if (!(c = add_case(cs, &n, max, name, un[k].lo, un[k].hi, un[k].rtol, un[k].atol))) return n;
        cg_spec_map(&c->spec, N, 0, 0);
        cg_store(&c->spec, 1, cg_un(&c->spec, un[k].k, cg_load(&c->spec, 0)));
        outs(c, 1, 1, 0, 0);
    }
    /* binary ops, fma, select, const, scalar: exact */
    static const CgOpKind bin[] = {CG_ADD, CG_SUB, CG_MUL, CG_DIV, CG_MAX, CG_MIN};
    for (size_t k = 0; k < sizeof bin / sizeof bin[0]; k++) {
        char name[48];
        snprintf(name, sizeof name, "binary_%s", cg_op_name(bin[k]));
        if (!(c = add_case(cs, &n, max, name, -4, 4, 0, 0))) return n;
        s = &c->spec;
        cg_spec_map(s, N, 0, 0);
        cg_store(s, 2, cg_bin(s, bin[k], cg_load(s, 0), cg_load(s, 1)));
        outs(c, 1, 2, 0, 0);
    }
    if (!(c = add_case(cs, &n, max, "fma_select_scalar", -4, 4, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, 0, 0);
    {
        int x = cg_load(s, 0), y = cg_load(s, 1), z = cg_fma(s, x, y, cg_scalar(s, 0));
        cg_store(s, 2, cg_select(s, CG_LE, z, cg_const(s, 0.5f), z, cg_bin(s, CG_MUL, x, cg_const(s, -3))));
        cg_store(s, 3, cg_select(s, CG_NE, x, y, cg_const(s, 1), cg_const(s, 0)));
    }
    outs(c, 2, 2, 3, 0);

    /* forward chain, NCHW: y = relu((x + bias[c]) * scale[c] + shift[c]) + residual, then
     * dropout(p = scalars[1]) with the seed in scalars[0] and 1/(1-p) in scalars[2] */
    if (!(c = add_case(cs, &n, max, "fwd_bias_bn_relu_res_dropout", -4, 4, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, channels, inner);
    {
        int x = cg_load(s, 0);
        int t = cg_fma(s, cg_bin(s, CG_ADD, x, cg_load_ch(s, 1)), cg_load_ch(s, 2), cg_load_ch(s, 3));
        int a = cg_un(s, CG_RELU, t);
        cg_store(s, 5, a); /* saved for the backward pass */
        int y = cg_bin(s, CG_ADD, a, cg_load(s, 4));
        int keep = cg_rand(s, 0, 7);
        cg_store(s, 6,
                 cg_select(s, CG_GE, keep, cg_scalar(s, 1), cg_bin(s, CG_MUL, y, cg_scalar(s, 2)), cg_const(s, 0)));
    }
    outs(c, 2, 5, 6, 0);
    /* the same with swish and gelu (mobile nets) */
    static const CgOpKind acts[] = {CG_SWISH, CG_GELU, CG_SIGMOID, CG_TANH, CG_RELU6};
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
        char name[48];
        snprintf(name, sizeof name, "fwd_bias_bn_%s", cg_op_name(acts[k]));
        if (!(c = add_case(cs, &n, max, name, -4, 4, 1e-6, 2e-6))) return n;
        s = &c->spec;
        cg_spec_map(s, N, channels, inner);
        int t = cg_fma(s, cg_bin(s, CG_ADD, cg_load(s, 0), cg_load_ch(s, 1)), cg_load_ch(s, 2), cg_load_ch(s, 3));
        cg_store(s, 4, cg_un(s, acts[k], t));
        outs(c, 1, 4, 0, 0);
    }
    /* fully connected bias + relu: [outer*inner, channels] rows, features contiguous */
    if (!(c = add_case(cs, &n, max, "fwd_fc_bias_relu", -4, 4, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, channels, 1);
    cg_store(s, 2, cg_un(s, CG_RELU, cg_bin(s, CG_ADD, cg_load(s, 0), cg_load_ch(s, 1))));
    outs(c, 1, 2, 0, 0);

    /* backward: dropout mask recomputed from the seed, relu from its saved output,
     * residual fan-out (dy reaches both the branch and the skip) */
    if (!(c = add_case(cs, &n, max, "bwd_dropout_res_relu", -4, 4, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, channels, inner);
    {
        int dy = cg_load(s, 0);
        int keep = cg_rand(s, 0, 7);
        int d = cg_select(s, CG_GE, keep, cg_scalar(s, 1), cg_bin(s, CG_MUL, dy, cg_scalar(s, 2)), cg_const(s, 0));
        cg_store(s, 2, cg_bin(s, CG_ADD, cg_load(s, 3), d)); /* skip: accumulate into dres */
        int dt = cg_select(s, CG_GT, cg_load(s, 1), cg_const(s, 0), d, cg_const(s, 0));
        cg_store(s, 4, cg_bin(s, CG_MUL, dt, cg_load_ch(s, 5))); /* through bn scale */
    }
    outs(c, 2, 2, 4, 0);
    if (!(c = add_case(cs, &n, max, "bwd_sigmoid_tanh_from_output", -1, 1, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, 0, 0);
    {
        int dy = cg_load(s, 0), y = cg_load(s, 1), one = cg_const(s, 1);
        cg_store(s, 2, cg_bin(s, CG_MUL, dy, cg_bin(s, CG_MUL, y, cg_bin(s, CG_SUB, one, y))));
        cg_store(s, 3, cg_bin(s, CG_MUL, dy, cg_bin(s, CG_SUB, one, cg_bin(s, CG_MUL, y, y))));
    }
    outs(c, 2, 2, 3, 0);
    if (!(c = add_case(cs, &n, max, "bwd_gelu_swish_relu6_from_input", -8, 8, 1e-6, 2e-6))) return n;
    s = &c->spec;
    cg_spec_map(s, N, 0, 0);
    {
        int dy = cg_load(s, 0), x = cg_load(s, 1);
        cg_store(s, 2, cg_bin(s, CG_MUL, dy, cg_un(s, CG_GELU_DX, x)));
        cg_store(s, 3, cg_bin(s, CG_MUL, dy, cg_un(s, CG_SWISH_DX, x)));
        int in = cg_select(s, CG_LT, x, cg_const(s, 6), dy, cg_const(s, 0));
        cg_store(s, 4, cg_select(s, CG_GT, x, cg_const(s, 0), in, cg_const(s, 0)));
    }
    outs(c, 3, 2, 3, 4);
    /* batchnorm training backward: dx = k[c] * (dy - sum_dy[c]/M - xhat * sum_dyxh[c]/M),
     * xhat = (x - mean[c]) * invstd[c]; slots: 0 dy 1 x 2 mean 3 invstd 4 k 5 sum_dy/M 6 sum_dyxh/M 7 dx */
    if (!(c = add_case(cs, &n, max, "bwd_batchnorm_dx", -4, 4, 0, 0))) return n;
    s = &c->spec;
    cg_spec_map(s, N, channels, inner);
    {
        int xhat = cg_bin(s, CG_MUL, cg_bin(s, CG_SUB, cg_load(s, 1), cg_load_ch(s, 2)), cg_load_ch(s, 3));
        int t = cg_bin(s, CG_SUB, cg_bin(s, CG_SUB, cg_load(s, 0), cg_load_ch(s, 5)),
                       cg_bin(s, CG_MUL, xhat, cg_load_ch(s, 6)));
        cg_store(s, 7, cg_bin(s, CG_MUL, t, cg_load_ch(s, 4)));
    }
    outs(c, 1, 7, 0, 0);

    /* reductions: batchnorm statistics, bias gradient, batchnorm backward sums */
    if (!(c = add_case(cs, &n, max, "sum_bn_stats", -4, 4, 1e-5, 1e-4))) return n;
    s = &c->spec;
    cg_spec_channel_sum(s, outer, channels, inner);
    {
        int x = cg_load(s, 0);
        cg_accum(s, 1, x);
        cg_accum(s, 2, cg_bin(s, CG_MUL, x, x));
    }
    outs(c, 2, 1, 2, 0);
    if (!(c = add_case(cs, &n, max, "sum_bn_bwd", -4, 4, 1e-5, 1e-4))) return n;
    s = &c->spec;
    cg_spec_channel_sum(s, outer, channels, inner);
    {
        int dy = cg_load(s, 0);
        int xhat = cg_bin(s, CG_MUL, cg_bin(s, CG_SUB, cg_load(s, 1), cg_load_ch(s, 2)), cg_load_ch(s, 3));
        cg_accum(s, 4, dy);                          /* = bias / beta gradient */
        cg_accum(s, 5, cg_bin(s, CG_MUL, dy, xhat)); /* = gamma gradient */
    }
    outs(c, 2, 4, 5, 0);

    /* loss: rows = outer * inner, classes = channels */
    if (!(c = add_case(cs, &n, max, "softmax_xent", -8, 8, 1e-6, 1e-6))) return n;
    cg_spec_xent(&c->spec, outer * inner, channels);
    outs(c, 3, CG_XENT_LOSS, CG_XENT_DLOGITS, CG_XENT_CORRECT);

    /* optimizers over a flat vector */
    static const struct {
        const char *name;
        CgOptim o;
    } opt[] = {
        {"optim_sgd_momentum_wd", {.kind = CG_SGD, .momentum = 0.9f, .weight_decay = 5e-4f}},
        {"optim_sgd_nesterov", {.kind = CG_SGD, .momentum = 0.9f, .nesterov = 1}},
        {"optim_adam", {.kind = CG_ADAM, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f}},
        {"optim_adamw", {.kind = CG_ADAMW, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 1e-2f}},
    };
    for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++) {
        if (!(c = add_case(cs, &n, max, opt[k].name, -1, 1, 0, 0))) return n;
        cg_spec_optimizer(&c->spec, N, &opt[k].o);
        outs(c, opt[k].o.kind == CG_SGD ? 2 : 3, 0, 2, 3);
        c->abs_slots = 1u << 3;
    }
    return n;
}
