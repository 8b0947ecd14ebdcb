/* onednn.c — oneDNN convolution and pooling primitives (see onednn.h). */
#include "onednn.h"
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dnnl_engine_t g_eng;
static dnnl_stream_t g_stream;
static uint64_t g_act_reorders; /* activation reorders run so far (dnn_act_reorders) */

#define DNN_TRY(call)                                                                         \
    do {                                                                                      \
        dnnl_status_t st_ = (call);                                                           \
        if (st_ != dnnl_success) {                                                            \
            snprintf(err->msg, sizeof err->msg, "oneDNN: %s failed (status %d)", #call, st_); \
            goto fail;                                                                        \
        }                                                                                     \
    } while (0)

/* oneDNN's jit kernels for batchnorm and pooling exist for nChw16c with AVX-512 and for
 * nChw8c below it (AVX2, AVX, SSE4.1); the other blocked layout gets reference loops (30x
 * slower on AVX2). Its convolutions with format `any` pick the same block. */
int dnn_channel_block(void)
{
    unsigned isa = (unsigned)dnnl_get_effective_cpu_isa();
    return (isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core ||
                   (isa & dnnl_cpu_isa_avx512_mic) == dnnl_cpu_isa_avx512_mic
               ? 16
               : 8;
}

/* the activation layout of a *Desc block field: 0 = NCHW, else nChw<block>c */
static dnnl_format_tag_t act_tag(int block)
{
    return block == 16 ? dnnl_nChw16c : block == 8 ? dnnl_nChw8c : dnnl_nchw;
}

uint64_t dnn_act_reorders(void) { return g_act_reorders; }

int dnn_init(BkError *err)
{
    if (g_eng) return 0;
    DNN_TRY(dnnl_engine_create(&g_eng, dnnl_cpu, 0));
    DNN_TRY(dnnl_stream_create(&g_stream, g_eng, dnnl_stream_default_flags));
    return 0;
fail:
    return -1;
}

/* One argument of a primitive. The caller's buffer is in the caller's layout (OIHW weights;
 * NCHW or, by the *Desc block fields, nChw<k>c activations); when the primitive runs in
 * another one (convolutions with `any`: nChw16c / OIhw16i16o for oneDNN's direct AVX-512
 * kernels instead of im2col + gemm, nChw8c with AVX2; pooling and batchnorm: the CPU's block)
 * the argument owns a buffer in that layout and a reorder into it (inputs) or out of it
 * (outputs) around every run. */
typedef struct Arg {
    dnnl_memory_t user;       /* the caller's layout; data handle set per call */
    dnnl_memory_t inner;      /* the primitive's layout, or NULL when it is the caller's */
    dnnl_primitive_t reorder; /* user -> inner (input) or inner -> user (output) */
    void *buf;                /* inner's storage, owned */
    int output;
    int act; /* an activation or its gradient (not weights, statistics, a workspace) */
} Arg;

/* One primitive with its user scratchpad and its arguments. */
typedef struct Prim {
    dnnl_primitive_t prim;
    dnnl_memory_t scratch;
    void *scratch_buf;
    int nargs, nexec;
    Arg arg[9];
    dnnl_exec_arg_t exec[10]; /* what the primitive reads: inner or user memories + scratchpad */
} Prim;

static dnnl_memory_t mem_none(const dnnl_memory_desc_t *md)
{
    dnnl_memory_t m = NULL;
    if (dnnl_memory_create(&m, md, g_eng, DNNL_MEMORY_NONE) != dnnl_success) return NULL;
    return m;
}

static int arg_is_output(int kind)
{
    return kind == DNNL_ARG_DST || kind == DNNL_ARG_DIFF_SRC || kind == DNNL_ARG_DIFF_WEIGHTS ||
           kind == DNNL_ARG_DIFF_BIAS || kind == DNNL_ARG_WORKSPACE || kind == DNNL_ARG_DIFF_SCALE ||
           kind == DNNL_ARG_DIFF_SHIFT;
}

/* Sets up argument a: the user memory in the caller's layout `user_md`, and when the primitive
 * chose another layout for it, the inner buffer and the reorder. */
static int arg_make(Arg *a, dnnl_primitive_desc_t pd, int kind, const dnnl_memory_desc_t *user_md, BkError *err)
{
    dnnl_primitive_desc_t rpd = NULL;
    a->output = arg_is_output(kind);
    a->act = kind == DNNL_ARG_SRC || kind == DNNL_ARG_DST || kind == DNNL_ARG_DIFF_SRC || kind == DNNL_ARG_DIFF_DST;
    const dnnl_memory_desc_t *pmd = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, kind);
    if (kind == DNNL_ARG_WORKSPACE || !pmd || dnnl_memory_desc_equal(pmd, user_md)) {
        if (!(a->user = mem_none(user_md))) goto oom;
        return 0;
    }
    size_t sz = dnnl_memory_desc_get_size(pmd);
    if (!(a->user = mem_none(user_md)) || !(a->buf = aligned_alloc(64, (sz + 63) / 64 * 64))) goto oom;
    DNN_TRY(dnnl_memory_create(&a->inner, pmd, g_eng, a->buf));
    if (a->output) DNN_TRY(dnnl_reorder_primitive_desc_create(&rpd, pmd, g_eng, user_md, g_eng, NULL));
    else DNN_TRY(dnnl_reorder_primitive_desc_create(&rpd, user_md, g_eng, pmd, g_eng, NULL));
    DNN_TRY(dnnl_primitive_create(&a->reorder, rpd));
    dnnl_primitive_desc_destroy(rpd);
    return 0;
oom:
    snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
    return -1;
fail:
    if (rpd) dnnl_primitive_desc_destroy(rpd);
    return -1;
}

/* Creates the primitive from pd (consumed), its scratchpad, and its arguments (kinds[i]
 * with the caller's layouts mds[i]). */
static int prim_make(Prim *p, dnnl_primitive_desc_t pd, int nargs, const int *kinds,
                     const dnnl_memory_desc_t *const *mds, BkError *err)
{
    memset(p, 0, sizeof *p);
    const dnnl_memory_desc_t *smd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t ss = smd ? dnnl_memory_desc_get_size(smd) : 0;
    DNN_TRY(dnnl_primitive_create(&p->prim, pd));
    p->nargs = nargs;
    for (int i = 0; i < nargs; i++) {
        if (arg_make(&p->arg[i], pd, kinds[i], mds[i], err)) goto fail;
        p->exec[i].arg = kinds[i];
        p->exec[i].memory = p->arg[i].inner ? p->arg[i].inner : p->arg[i].user;
    }
    p->nexec = nargs;
    if (ss) {
        p->scratch_buf = aligned_alloc(64, (ss + 63) / 64 * 64);
        if (!p->scratch_buf) {
            snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
            goto fail;
        }
        DNN_TRY(dnnl_memory_create(&p->scratch, smd, g_eng, p->scratch_buf));
        p->exec[p->nexec].arg = DNNL_ARG_SCRATCHPAD;
        p->exec[p->nexec++].memory = p->scratch;
    }
    dnnl_primitive_desc_destroy(pd);
    return 0;
fail:
    dnnl_primitive_desc_destroy(pd);
    return -1;
}

static void reorder_run(const Arg *a)
{
    g_act_reorders += (uint64_t)a->act;
    dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, a->output ? a->inner : a->user},
                            {DNNL_ARG_TO, a->output ? a->user : a->inner}};
    dnnl_primitive_execute(a->reorder, g_stream, 2, r);
}

static void prim_run(Prim *p, const void *const *ptrs)
{
    for (int i = 0; i < p->nargs; i++) {
        dnnl_memory_set_data_handle(p->arg[i].user, (void *)ptrs[i]);
        if (p->arg[i].reorder && !p->arg[i].output) reorder_run(&p->arg[i]);
    }
    dnnl_status_t st = dnnl_primitive_execute(p->prim, g_stream, p->nexec, p->exec);
    static int reported; /* planned primitives do not fail: say so once if one does */
    if (st != dnnl_success && !reported++) fprintf(stderr, "nas: oneDNN: a primitive failed to run (status %d)\n", st);
    for (int i = 0; i < p->nargs; i++)
        if (p->arg[i].reorder && p->arg[i].output) reorder_run(&p->arg[i]);
    dnnl_stream_wait(g_stream);
}

static void prim_free(Prim *p)
{
    for (int i = 0; i < p->nargs; i++) {
        Arg *a = &p->arg[i];
        if (a->user) dnnl_memory_destroy(a->user);
        if (a->inner) dnnl_memory_destroy(a->inner);
        if (a->reorder) dnnl_primitive_destroy(a->reorder);
        free(a->buf);
    }
    if (p->scratch) dnnl_memory_destroy(p->scratch);
    if (p->prim) dnnl_primitive_destroy(p->prim);
    free(p->scratch_buf);
    memset(p, 0, sizeof *p);
}

/* User scratchpad; bf16: the fpmath mode that allows down-conversion of f32 operands (oneDNN
 * 2.6 ignores it without AMX, so the bf16 primitives also get explicit bf16 operands);
 * accumulate: dst += result (a sum post-op). */
static dnnl_primitive_attr_t make_attr(int bf16, int accumulate)
{
    dnnl_primitive_attr_t a = NULL;
    dnnl_post_ops_t po = NULL;
    if (dnnl_primitive_attr_create(&a) != dnnl_success) return NULL;
    dnnl_primitive_attr_set_scratchpad_mode(a, dnnl_scratchpad_mode_user);
    if (bf16) dnnl_primitive_attr_set_fpmath_mode(a, dnnl_fpmath_mode_bf16);
    if (accumulate && dnnl_post_ops_create(&po) == dnnl_success) {
        dnnl_post_ops_append_sum(po, 1.0f);
        dnnl_primitive_attr_set_post_ops(a, po);
        dnnl_post_ops_destroy(po);
    }
    return a;
}

/* ---- convolution ---- */

struct DnnConv {
    ConvDesc d;
    Prim fwd, bwd_data, bwd_w, bwd_w_nobias;
};

DnnConv *dnn_conv_create(const ConvDesc *d, int bf16, BkError *err)
{
    DnnConv *c = calloc(1, sizeof *c);
    dnnl_primitive_attr_t attr = make_attr(bf16, 0);
    dnnl_primitive_desc_t fpd = NULL, pd = NULL;
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
        return NULL;
    }
    c->d = *d;
    int g = d->groups;
    dnnl_memory_desc_t src, wei, bia, dst;
    dnnl_dims_t sd = {d->n, d->c, d->h, d->w}, dd = {d->n, d->oc, d->oh, d->ow}, bd = {d->oc};
    dnnl_dims_t st = {d->sh, d->sw}, pad = {d->ph, d->pw};
    dnnl_dims_t dil = {d->dh - 1, d->dw - 1}; /* oneDNN counts the gaps between taps: 0 = none */
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src, 4, sd, dnnl_f32, act_tag(d->block_x)));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, act_tag(d->block_y)));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&bia, 1, bd, dnnl_f32, dnnl_x));
    if (g == 1) {
        dnnl_dims_t wd = {d->oc, d->c, d->kh, d->kw};
        DNN_TRY(dnnl_memory_desc_init_by_tag(&wei, 4, wd, dnnl_f32, dnnl_oihw));
    } else {
        dnnl_dims_t wd = {g, d->oc / g, d->c / g, d->kh, d->kw};
        DNN_TRY(dnnl_memory_desc_init_by_tag(&wei, 5, wd, dnnl_f32, dnnl_goihw));
    }
    /* the primitives choose their layouts (any); arguments reorder from and to ours. Each
     * tensor has an input form (read by a primitive: bf16 when asked, the reorder rounds)
     * and an output form (written: always f32, the storage type) */
    dnnl_data_type_t in = bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t src_in, wei_in, dst_in, src_out, wei_out, dst_out;
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src_in, 4, sd, in, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst_in, 4, dd, in, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&wei_in, wei.ndims, wei.dims, in, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src_out, 4, sd, dnnl_f32, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst_out, 4, dd, dnnl_f32, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&wei_out, wei.ndims, wei.dims, dnnl_f32, dnnl_format_tag_any));
    const dnnl_memory_desc_t *bp = d->has_bias ? &bia : NULL;
    dnnl_convolution_desc_t cd;
    DNN_TRY(dnnl_dilated_convolution_forward_desc_init(&cd, dnnl_forward_training, dnnl_convolution_direct, &src_in,
                                                       &wei_in, bp, &dst_out, st, dil, pad, pad));
    DNN_TRY(dnnl_primitive_desc_create(&fpd, &cd, attr, g_eng, NULL));
    {
        int k[4] = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST, DNNL_ARG_BIAS};
        const dnnl_memory_desc_t *m[4] = {&src, &wei, &dst, &bia};
        DNN_TRY(dnnl_primitive_desc_create(&pd, &cd, attr, g_eng, NULL));
        if (prim_make(&c->fwd, pd, d->has_bias ? 4 : 3, k, m, err)) goto fail_quiet;
    }
    {
        dnnl_convolution_desc_t bd_;
        DNN_TRY(dnnl_dilated_convolution_backward_data_desc_init(&bd_, dnnl_convolution_direct, &src_out, &wei_in,
                                                                 &dst_in, st, dil, pad, pad));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &bd_, attr, g_eng, fpd));
        int k[3] = {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC};
        const dnnl_memory_desc_t *m[3] = {&dst, &wei, &src};
        if (prim_make(&c->bwd_data, pd, 3, k, m, err)) goto fail_quiet;
    }
    for (int withb = 0; withb <= d->has_bias; withb++) {
        dnnl_convolution_desc_t wd_;
        DNN_TRY(dnnl_dilated_convolution_backward_weights_desc_init(&wd_, dnnl_convolution_direct, &src_in, &wei_out,
                                                                    withb ? &bia : NULL, &dst_in, st, dil, pad, pad));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &wd_, attr, g_eng, fpd));
        int k[4] = {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS};
        const dnnl_memory_desc_t *m[4] = {&src, &dst, &wei, &bia};
        if (prim_make(withb ? &c->bwd_w : &c->bwd_w_nobias, pd, 3 + withb, k, m, err)) goto fail_quiet;
    }
    dnnl_primitive_desc_destroy(fpd);
    dnnl_primitive_attr_destroy(attr);
    return c;
fail:
fail_quiet:
    if (fpd) dnnl_primitive_desc_destroy(fpd);
    dnnl_primitive_attr_destroy(attr);
    dnn_conv_destroy(c);
    return NULL;
}

void dnn_conv_fwd(DnnConv *c, const float *x, const float *w, const float *b, float *y)
{
    const void *p[4] = {x, w, y, b};
    prim_run(&c->fwd, p);
}

void dnn_conv_bwd_data(DnnConv *c, const float *dy, const float *w, float *dx)
{
    const void *p[3] = {dy, w, dx};
    prim_run(&c->bwd_data, p);
}

void dnn_conv_bwd_filter(DnnConv *c, const float *x, const float *dy, float *dw, float *db)
{
    const void *p[4] = {x, dy, dw, db};
    prim_run(db ? &c->bwd_w : &c->bwd_w_nobias, p);
}

void dnn_conv_destroy(DnnConv *c)
{
    if (!c) return;
    prim_free(&c->fwd);
    prim_free(&c->bwd_data);
    prim_free(&c->bwd_w);
    prim_free(&c->bwd_w_nobias);
    free(c);
}

/* ---- pooling ---- */

struct DnnPool {
    PoolDesc d;
    Prim fwd, bwd;
    void *ws; /* max pooling: argmax workspace written by fwd, read by bwd */
};

DnnPool *dnn_pool_create(const PoolDesc *d, BkError *err)
{
    DnnPool *p = calloc(1, sizeof *p);
    dnnl_primitive_attr_t attr = make_attr(0, 0);
    dnnl_primitive_desc_t fpd = NULL, pd = NULL;
    if (!p) {
        snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
        return NULL;
    }
    p->d = *d;
    dnnl_memory_desc_t src, dst;
    dnnl_dims_t sd = {d->n, d->c, d->h, d->w}, dd = {d->n, d->c, d->oh, d->ow};
    dnnl_dims_t k = {d->kh, d->kw}, st = {d->sh, d->sw}, pad = {d->ph, d->pw}, dil = {0, 0};
    /* oneDNN pads asymmetrically on the right when the last window would overhang; our
     * spec has symmetric padding and floor output sizes, so right padding is derived. */
    dnnl_dims_t padr = {(d->oh - 1) * d->sh + d->kh - d->h - d->ph, (d->ow - 1) * d->sw + d->kw - d->w - d->pw};
    /* the primitives run on the CPU's blocked layout (oneDNN's NCHW pooling is a plain loop, 4x
     * slower than its jit kernel on AVX2); the args reorder from and to the caller's layouts,
     * so a pooling whose output must be NCHW (before a flatten) reorders only its output */
    dnnl_memory_desc_t srcb, dstb;
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src, 4, sd, dnnl_f32, act_tag(d->block_x)));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, act_tag(d->block_y)));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&srcb, 4, sd, dnnl_f32, act_tag(dnn_channel_block())));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dstb, 4, dd, dnnl_f32, act_tag(dnn_channel_block())));
    dnnl_alg_kind_t alg = d->kind == POOL_MAX ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding;
    dnnl_pooling_v2_desc_t fd;
    DNN_TRY(dnnl_pooling_v2_forward_desc_init(&fd, dnnl_forward_training, alg, &srcb, &dstb, st, k, dil, pad, padr));
    DNN_TRY(dnnl_primitive_desc_create(&fpd, &fd, attr, g_eng, NULL));
    const dnnl_memory_desc_t *wmd = dnnl_primitive_desc_query_md(fpd, dnnl_query_workspace_md, 0);
    size_t wsz = wmd ? dnnl_memory_desc_get_size(wmd) : 0;
    dnnl_memory_desc_t wcopy;
    if (wsz) {
        wcopy = *wmd;
        if (!(p->ws = aligned_alloc(64, (wsz + 63) / 64 * 64))) {
            snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
            goto fail;
        }
    }
    {
        int kk[3] = {DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE};
        const dnnl_memory_desc_t *m[3] = {&src, &dst, &wcopy};
        DNN_TRY(dnnl_primitive_desc_create(&pd, &fd, attr, g_eng, NULL));
        if (prim_make(&p->fwd, pd, wsz ? 3 : 2, kk, m, err)) goto fail;
    }
    {
        dnnl_pooling_v2_desc_t bd;
        DNN_TRY(dnnl_pooling_v2_backward_desc_init(&bd, alg, &srcb, &dstb, st, k, dil, pad, padr));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &bd, attr, g_eng, fpd));
        int kk[3] = {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC, DNNL_ARG_WORKSPACE};
        const dnnl_memory_desc_t *m[3] = {&dst, &src, &wcopy};
        if (prim_make(&p->bwd, pd, wsz ? 3 : 2, kk, m, err)) goto fail;
    }
    dnnl_primitive_desc_destroy(fpd);
    dnnl_primitive_attr_destroy(attr);
    return p;
fail:
    if (fpd) dnnl_primitive_desc_destroy(fpd);
    dnnl_primitive_attr_destroy(attr);
    dnn_pool_destroy(p);
    return NULL;
}

void dnn_pool_fwd(DnnPool *p, const float *x, float *y)
{
    const void *a[3] = {x, y, p->ws};
    prim_run(&p->fwd, a);
}

void dnn_pool_bwd(DnnPool *p, const float *dy, float *dx)
{
    const void *a[3] = {dy, dx, p->ws};
    prim_run(&p->bwd, a);
}

void dnn_pool_destroy(DnnPool *p)
{
    if (!p) return;
    prim_free(&p->fwd);
    prim_free(&p->bwd);
    free(p->ws);
    free(p);
}

void dnn_sgemm(int transa, int transb, int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
    dnnl_sgemm(transa ? 'T' : 'N', transb ? 'T' : 'N', m, n, k, 1.0f, a, transa ? m : k, b, transb ? k : n, beta, c, n);
}

/* ---- batch normalization: x as [n, c, hw, 1] NCHW, scale and shift [c], statistics [c] ---- */

struct DnnBn {
    Prim train, bwd;
};

DnnBn *dnn_bn_create(const BnDesc *d, BkError *err)
{
    DnnBn *b = calloc(1, sizeof *b);
    dnnl_primitive_attr_t attr = make_attr(0, 0);
    dnnl_primitive_desc_t fpd = NULL, pd = NULL;
    if (!b || !attr) {
        snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
        goto fail;
    }
    /* the primitives run on the CPU's blocked layout (oneDNN's jit kernels: on AVX-512 2x
     * faster than its plain-layout version even with the reorders the args add for an NCHW x) */
    dnnl_memory_desc_t x, xb, v;
    dnnl_dims_t xd = {d->n, d->c, d->hw, 1}, vd = {d->c};
    DNN_TRY(dnnl_memory_desc_init_by_tag(&x, 4, xd, dnnl_f32, act_tag(d->block)));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&xb, 4, xd, dnnl_f32, act_tag(dnn_channel_block())));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&v, 1, vd, dnnl_f32, dnnl_x));
    unsigned ss = dnnl_use_scale | dnnl_use_shift;
    dnnl_batch_normalization_desc_t bd;
    DNN_TRY(dnnl_batch_normalization_forward_desc_init(&bd, dnnl_forward_training, &xb, d->eps, ss));
    DNN_TRY(dnnl_primitive_desc_create(&fpd, &bd, attr, g_eng, NULL));
    DNN_TRY(dnnl_primitive_desc_create(&pd, &bd, attr, g_eng, NULL));
    {
        int k[6] = {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DST, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};
        const dnnl_memory_desc_t *m[6] = {&x, &v, &v, &x, &v, &v};
        if (prim_make(&b->train, pd, 6, k, m, err)) goto fail;
    }
    DNN_TRY(dnnl_batch_normalization_backward_desc_init(&bd, dnnl_backward, &xb, &xb, d->eps, ss));
    DNN_TRY(dnnl_primitive_desc_create(&pd, &bd, attr, g_eng, fpd));
    {
        /* oneDNN 2.6 refuses to run without a SHIFT argument, which the backward never reads */
        int k[9] = {DNNL_ARG_SRC,      DNNL_ARG_SCALE,      DNNL_ARG_MEAN,       DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_DST,
                    DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT, DNNL_ARG_SHIFT};
        const dnnl_memory_desc_t *m[9] = {&x, &v, &v, &v, &x, &x, &v, &v, &v};
        if (prim_make(&b->bwd, pd, 9, k, m, err)) goto fail;
    }
    dnnl_primitive_desc_destroy(fpd);
    dnnl_primitive_attr_destroy(attr);
    return b;
fail:
    if (fpd) dnnl_primitive_desc_destroy(fpd);
    if (attr) dnnl_primitive_attr_destroy(attr);
    dnn_bn_destroy(b);
    return NULL;
}

void dnn_bn_fwd_train(DnnBn *b, const float *x, const float *gamma, const float *beta, float *y, float *mean,
                      float *var)
{
    const void *p[6] = {x, gamma, beta, y, mean, var};
    prim_run(&b->train, p);
}

void dnn_bn_bwd(DnnBn *b, const float *x, const float *gamma, const float *mean, const float *var, const float *dy,
                float *dx, float *dgamma, float *dbeta)
{
    const void *p[9] = {x, gamma, mean, var, dy, dx, dgamma, dbeta, gamma /* unread SHIFT */};
    prim_run(&b->bwd, p);
}

void dnn_bn_destroy(DnnBn *b)
{
    if (!b) return;
    prim_free(&b->train);
    prim_free(&b->bwd);
    free(b);
}

/* ---- matmul primitive (bf16 operands; the f32 path is dnn_sgemm) ---- */

struct DnnMatmul {
    Prim p;
};

DnnMatmul *dnn_matmul_create(int transa, int transb, int m, int n, int k, int accumulate, int bf16, BkError *err)
{
    DnnMatmul *mm = calloc(1, sizeof *mm);
    dnnl_primitive_attr_t attr = make_attr(bf16, accumulate);
    dnnl_primitive_desc_t pd = NULL;
    if (!mm || !attr) {
        snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory");
        goto fail;
    }
    /* row-major operands; a transposed one is the same dims with swapped strides */
    dnnl_memory_desc_t a, b, c, a_in, b_in;
    dnnl_dims_t ad = {m, k}, bd = {k, n}, cdims = {m, n};
    dnnl_dims_t as = {transa ? 1 : k, transa ? m : 1}, bs = {transb ? 1 : n, transb ? k : 1}, cs = {n, 1};
    dnnl_data_type_t in = bf16 ? dnnl_bf16 : dnnl_f32;
    DNN_TRY(dnnl_memory_desc_init_by_strides(&a, 2, ad, dnnl_f32, as));
    DNN_TRY(dnnl_memory_desc_init_by_strides(&b, 2, bd, dnnl_f32, bs));
    DNN_TRY(dnnl_memory_desc_init_by_strides(&c, 2, cdims, dnnl_f32, cs));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&a_in, 2, ad, in, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&b_in, 2, bd, in, dnnl_format_tag_any));
    dnnl_matmul_desc_t md;
    /* c keeps the caller's layout: the sum post-op reads it in place */
    DNN_TRY(dnnl_matmul_desc_init(&md, &a_in, &b_in, NULL, &c));
    DNN_TRY(dnnl_primitive_desc_create(&pd, &md, attr, g_eng, NULL));
    int kinds[3] = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
    const dnnl_memory_desc_t *mds[3] = {&a, &b, &c};
    if (prim_make(&mm->p, pd, 3, kinds, mds, err)) goto fail;
    dnnl_primitive_attr_destroy(attr);
    return mm;
fail:
    if (attr) dnnl_primitive_attr_destroy(attr);
    dnn_matmul_destroy(mm);
    return NULL;
}

void dnn_matmul_run(DnnMatmul *mm, const float *a, const float *b, float *c)
{
    const void *p[3] = {a, b, c};
    prim_run(&mm->p, p);
}

void dnn_matmul_destroy(DnnMatmul *mm)
{
    if (!mm) return;
    prim_free(&mm->p);
    free(mm);
}

/* Whether oneDNN has bf16 convolutions here (AVX-512 at least; native with avx512_bf16):
 * a small one is planned. */
int dnn_bf16_check(BkError *err)
{
    dnnl_memory_desc_t s, w, d;
    dnnl_dims_t sd = {8, 16, 8, 8}, wd = {16, 16, 3, 3}, st = {1, 1}, pad = {1, 1};
    dnnl_primitive_desc_t pd = NULL;
    dnnl_convolution_desc_t cd;
    DNN_TRY(dnnl_memory_desc_init_by_tag(&s, 4, sd, dnnl_bf16, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&w, 4, wd, dnnl_bf16, dnnl_format_tag_any));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&d, 4, sd, dnnl_f32, dnnl_format_tag_any));
    DNN_TRY(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_training, dnnl_convolution_direct, &s, &w, NULL, &d,
                                               st, pad, pad));
    if (dnnl_primitive_desc_create(&pd, &cd, NULL, g_eng, NULL) != dnnl_success) {
        snprintf(err->msg, sizeof err->msg,
                 "precision bf16: oneDNN has no bf16 convolution for this CPU "
                 "(it needs AVX-512); use fp32");
        return -1;
    }
    dnnl_primitive_desc_destroy(pd);
    return 0;
fail:
    return -1;
}
