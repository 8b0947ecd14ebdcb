/* onednn.c — oneDNN convolution and pooling primitives (see onednn.h). */
#include "onednn.h"
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dnnl_engine_t g_eng;
static dnnl_stream_t g_stream;

#define DNN_TRY(call)                                                                        \
    do {                                                                                     \
        dnnl_status_t st_ = (call);                                                          \
        if (st_ != dnnl_success) {                                                           \
            snprintf(err->msg, sizeof err->msg, "oneDNN: %s failed (status %d)", #call, st_); \
            goto fail;                                                                       \
        }                                                                                    \
    } while (0)

int dnn_init(BkError *err)
{
    if (g_eng) return 0;
    DNN_TRY(dnnl_engine_create(&g_eng, dnnl_cpu, 0));
    DNN_TRY(dnnl_stream_create(&g_stream, g_eng, dnnl_stream_default_flags));
    return 0;
fail:
    return -1;
}

/* One primitive with its user scratchpad and its argument memories (handles set per call). */
typedef struct Prim {
    dnnl_primitive_t prim;
    dnnl_memory_t scratch;
    void *scratch_buf;
    int nargs;
    dnnl_exec_arg_t args[6];
} Prim;

static dnnl_memory_t mem_none(const dnnl_memory_desc_t *md)
{
    dnnl_memory_t m = NULL;
    if (dnnl_memory_create(&m, md, g_eng, DNNL_MEMORY_NONE) != dnnl_success) return NULL;
    return m;
}

/* Creates the primitive from pd (consumed), its scratchpad, and the argument list. */
static int prim_make(Prim *p, dnnl_primitive_desc_t pd, int nargs, const int *kinds,
                     const dnnl_memory_desc_t *const *mds, BkError *err)
{
    memset(p, 0, sizeof *p);
    const dnnl_memory_desc_t *smd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t ss = smd ? dnnl_memory_desc_get_size(smd) : 0;
    DNN_TRY(dnnl_primitive_create(&p->prim, pd));
    if (ss) {
        p->scratch_buf = aligned_alloc(64, (ss + 63) / 64 * 64);
        if (!p->scratch_buf) { snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory"); goto fail; }
        DNN_TRY(dnnl_memory_create(&p->scratch, smd, g_eng, p->scratch_buf));
    }
    for (int i = 0; i < nargs; i++) {
        p->args[i].arg = kinds[i];
        if (!(p->args[i].memory = mem_none(mds[i]))) {
            snprintf(err->msg, sizeof err->msg, "oneDNN: memory_create failed");
            goto fail;
        }
    }
    p->nargs = nargs;
    if (ss) { p->args[nargs].arg = DNNL_ARG_SCRATCHPAD; p->args[nargs].memory = p->scratch; p->nargs++; }
    dnnl_primitive_desc_destroy(pd);
    return 0;
fail:
    dnnl_primitive_desc_destroy(pd);
    return -1;
}

static void prim_run(Prim *p, const void *const *ptrs)
{
    int n = p->nargs - (p->scratch ? 1 : 0);
    for (int i = 0; i < n; i++) dnnl_memory_set_data_handle(p->args[i].memory, (void *)ptrs[i]);
    dnnl_primitive_execute(p->prim, g_stream, p->nargs, p->args);
    dnnl_stream_wait(g_stream);
}

static void prim_free(Prim *p)
{
    int n = p->nargs - (p->scratch ? 1 : 0);
    for (int i = 0; i < n; i++) dnnl_memory_destroy(p->args[i].memory);
    if (p->scratch) dnnl_memory_destroy(p->scratch);
    if (p->prim) dnnl_primitive_destroy(p->prim);
    free(p->scratch_buf);
    memset(p, 0, sizeof *p);
}

static dnnl_primitive_attr_t user_scratch_attr(void)
{
    dnnl_primitive_attr_t a = NULL;
    if (dnnl_primitive_attr_create(&a) == dnnl_success)
        dnnl_primitive_attr_set_scratchpad_mode(a, dnnl_scratchpad_mode_user);
    return a;
}

/* ---- convolution ---- */

struct DnnConv {
    ConvDesc d;
    Prim fwd, bwd_data, bwd_w, bwd_w_nobias;
};

DnnConv *dnn_conv_create(const ConvDesc *d, BkError *err)
{
    DnnConv *c = calloc(1, sizeof *c);
    dnnl_primitive_attr_t attr = user_scratch_attr();
    dnnl_primitive_desc_t fpd = NULL, pd = NULL;
    if (!c) { snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory"); return NULL; }
    c->d = *d;
    int g = d->groups;
    dnnl_memory_desc_t src, wei, bia, dst;
    dnnl_dims_t sd = { d->n, d->c, d->h, d->w }, dd = { d->n, d->oc, d->oh, d->ow }, bd = { d->oc };
    dnnl_dims_t st = { d->sh, d->sw }, pad = { d->ph, d->pw };
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src, 4, sd, dnnl_f32, dnnl_nchw));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, dnnl_nchw));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&bia, 1, bd, dnnl_f32, dnnl_x));
    if (g == 1) {
        dnnl_dims_t wd = { d->oc, d->c, d->kh, d->kw };
        DNN_TRY(dnnl_memory_desc_init_by_tag(&wei, 4, wd, dnnl_f32, dnnl_oihw));
    } else {
        dnnl_dims_t wd = { g, d->oc / g, d->c / g, d->kh, d->kw };
        DNN_TRY(dnnl_memory_desc_init_by_tag(&wei, 5, wd, dnnl_f32, dnnl_goihw));
    }
    const dnnl_memory_desc_t *bp = d->has_bias ? &bia : NULL;
    dnnl_convolution_desc_t cd;
    DNN_TRY(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_training, dnnl_convolution_direct,
                                               &src, &wei, bp, &dst, st, pad, pad));
    DNN_TRY(dnnl_primitive_desc_create(&fpd, &cd, attr, g_eng, NULL));
    {
        int k[4] = { DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST, DNNL_ARG_BIAS };
        const dnnl_memory_desc_t *m[4] = { &src, &wei, &dst, &bia };
        DNN_TRY(dnnl_primitive_desc_create(&pd, &cd, attr, g_eng, NULL));
        if (prim_make(&c->fwd, pd, d->has_bias ? 4 : 3, k, m, err)) goto fail_quiet;
    }
    {
        dnnl_convolution_desc_t bd_;
        DNN_TRY(dnnl_convolution_backward_data_desc_init(&bd_, dnnl_convolution_direct, &src, &wei,
                                                         &dst, st, pad, pad));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &bd_, attr, g_eng, fpd));
        int k[3] = { DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC };
        const dnnl_memory_desc_t *m[3] = { &dst, &wei, &src };
        if (prim_make(&c->bwd_data, pd, 3, k, m, err)) goto fail_quiet;
    }
    for (int withb = 0; withb <= d->has_bias; withb++) {
        dnnl_convolution_desc_t wd_;
        DNN_TRY(dnnl_convolution_backward_weights_desc_init(&wd_, dnnl_convolution_direct, &src,
                                                            &wei, withb ? &bia : NULL, &dst, st, pad, pad));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &wd_, attr, g_eng, fpd));
        int k[4] = { DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS };
        const dnnl_memory_desc_t *m[4] = { &src, &dst, &wei, &bia };
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
    const void *p[4] = { x, w, y, b };
    prim_run(&c->fwd, p);
}

void dnn_conv_bwd_data(DnnConv *c, const float *dy, const float *w, float *dx)
{
    const void *p[3] = { dy, w, dx };
    prim_run(&c->bwd_data, p);
}

void dnn_conv_bwd_filter(DnnConv *c, const float *x, const float *dy, float *dw, float *db)
{
    const void *p[4] = { x, dy, dw, db };
    prim_run(db ? &c->bwd_w : &c->bwd_w_nobias, p);
}

void dnn_conv_destroy(DnnConv *c)
{
    if (!c) return;
    prim_free(&c->fwd); prim_free(&c->bwd_data); prim_free(&c->bwd_w); prim_free(&c->bwd_w_nobias);
    free(c);
}

/* ---- pooling ---- */

struct DnnPool {
    PoolDesc d;
    Prim fwd, bwd;
    void *ws;                     /* max pooling: argmax workspace written by fwd, read by bwd */
};

DnnPool *dnn_pool_create(const PoolDesc *d, BkError *err)
{
    DnnPool *p = calloc(1, sizeof *p);
    dnnl_primitive_attr_t attr = user_scratch_attr();
    dnnl_primitive_desc_t fpd = NULL, pd = NULL;
    if (!p) { snprintf(err->msg, sizeof err->msg, "oneDNN: out of memory"); return NULL; }
    p->d = *d;
    dnnl_memory_desc_t src, dst;
    dnnl_dims_t sd = { d->n, d->c, d->h, d->w }, dd = { d->n, d->c, d->oh, d->ow };
    dnnl_dims_t k = { d->kh, d->kw }, st = { d->sh, d->sw }, pad = { d->ph, d->pw }, dil = { 0, 0 };
    /* oneDNN pads asymmetrically on the right when the last window would overhang; our
     * spec has symmetric padding and floor output sizes, so right padding is derived. */
    dnnl_dims_t padr = { (d->oh - 1) * d->sh + d->kh - d->h - d->ph,
                         (d->ow - 1) * d->sw + d->kw - d->w - d->pw };
    DNN_TRY(dnnl_memory_desc_init_by_tag(&src, 4, sd, dnnl_f32, dnnl_nchw));
    DNN_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, dnnl_nchw));
    dnnl_alg_kind_t alg = d->kind == POOL_MAX ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding;
    dnnl_pooling_v2_desc_t fd;
    DNN_TRY(dnnl_pooling_v2_forward_desc_init(&fd, dnnl_forward_training, alg, &src, &dst, st, k,
                                              dil, pad, padr));
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
        int kk[3] = { DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE };
        const dnnl_memory_desc_t *m[3] = { &src, &dst, &wcopy };
        DNN_TRY(dnnl_primitive_desc_create(&pd, &fd, attr, g_eng, NULL));
        if (prim_make(&p->fwd, pd, wsz ? 3 : 2, kk, m, err)) goto fail;
    }
    {
        dnnl_pooling_v2_desc_t bd;
        DNN_TRY(dnnl_pooling_v2_backward_desc_init(&bd, alg, &src, &dst, st, k, dil, pad, padr));
        DNN_TRY(dnnl_primitive_desc_create(&pd, &bd, attr, g_eng, fpd));
        int kk[3] = { DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC, DNNL_ARG_WORKSPACE };
        const dnnl_memory_desc_t *m[3] = { &dst, &src, &wcopy };
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
    const void *a[3] = { x, y, p->ws };
    prim_run(&p->fwd, a);
}

void dnn_pool_bwd(DnnPool *p, const float *dy, float *dx)
{
    const void *a[3] = { dy, dx, p->ws };
    prim_run(&p->bwd, a);
}

void dnn_pool_destroy(DnnPool *p)
{
    if (!p) return;
    prim_free(&p->fwd); prim_free(&p->bwd);
    free(p->ws);
    free(p);
}

void dnn_sgemm(int transa, int transb, int m, int n, int k, const float *a, const float *b,
               float beta, float *c)
{
    dnnl_sgemm(transa ? 'T' : 'N', transb ? 'T' : 'N', m, n, k, 1.0f, a, transa ? m : k, b,
               transb ? k : n, beta, c, n);
}
