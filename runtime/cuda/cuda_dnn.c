/* cuda_dnn.c — cuDNN 9 behind the backend table: convolution (forward, backward data, backward
 * filter + bias) with algorithms chosen once per plan by cuDNN's heuristics within the
 * workspace budget, pooling, batchnorm (train, inference, backward). fp32, NCHW. */
#include "cuda_int.h"
#include <stdio.h>
#include <stdlib.h>

static const float ONE = 1.0f, ZERO = 0.0f;

static void dnn_run(cudnnStatus_t st, const char *what)
{
    if (st != CUDNN_STATUS_SUCCESS) cuda_report(what, (int)st, cu.cudnnGetErrorString(st));
}

void cuda_plan_free(Backend *b, BkPlan *p)
{
    if (!p) return;
    if (p->x) cu.cudnnDestroyTensorDescriptor(p->x);
    if (p->y) cu.cudnnDestroyTensorDescriptor(p->y);
    if (p->bias) cu.cudnnDestroyTensorDescriptor(p->bias);
    if (p->bn_param) cu.cudnnDestroyTensorDescriptor(p->bn_param);
    if (p->w) cu.cudnnDestroyFilterDescriptor(p->w);
    if (p->conv) cu.cudnnDestroyConvolutionDescriptor(p->conv);
    if (p->pool) cu.cudnnDestroyPoolingDescriptor(p->pool);
    free(p);
}

static BkPlan *plan_new(CudaPlanKind k, BkError *err)
{
    BkPlan *p = calloc(1, sizeof *p);
    if (!p) snprintf(err->msg, sizeof err->msg, "cuda: out of memory");
    else p->kind = k;
    return p;
}

static int tensor4(cudnnTensorDescriptor_t *t, int n, int c, int h, int w, BkError *err)
{
    return cudnn_check(cu.cudnnCreateTensorDescriptor(t), "cudnnCreateTensorDescriptor", err) ||
                   cudnn_check(cu.cudnnSetTensor4dDescriptor(*t, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, n, c, h, w),
                               "cudnnSetTensor4dDescriptor", err)
               ? -1
               : 0;
}

/* The first algorithm (heuristics order = expected speed) that succeeds, needs at most the
 * budget and uses fp32 FMA math unless tensor ops are allowed (tc: precision bf16/fp16);
 * deterministic ones first so a trial replays bit for bit. */
#define PICK_ALGO(perf, count, limit, tc, out)                                                   \
    do {                                                                                         \
        int found_ = -1;                                                                         \
        for (int pass_ = 0; pass_ < 2 && found_ < 0; pass_++)                                    \
            for (int i_ = 0; i_ < (count) && found_ < 0; i_++)                                   \
                if ((perf)[i_].status == CUDNN_STATUS_SUCCESS && (perf)[i_].memory <= (limit) && \
                    ((tc) || ((perf)[i_].mathType != CUDNN_TENSOR_OP_MATH &&                     \
                              (perf)[i_].mathType != CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION)) &&  \
                    (pass_ == 1 || (perf)[i_].determinism == CUDNN_DETERMINISTIC))               \
                    found_ = i_;                                                                 \
        (out) = found_;                                                                          \
    } while (0)

static int conv_algos(Backend *b, BkPlan *p, BkError *err)
{
    CudaState *s = cuda_st(b);
    int cnt = 0, i;
    size_t ws = 0, need = 0;
    cudnnConvolutionFwdAlgoPerf_t f[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    cudnnConvolutionBwdDataAlgoPerf_t d[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    cudnnConvolutionBwdFilterAlgoPerf_t w[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];

    if (cudnn_check(cu.cudnnGetConvolutionForwardAlgorithm_v7(s->dnn, p->x, p->w, p->conv, p->y,
                                                              CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &cnt, f),
                    "forward algorithm", err))
        return -1;
    int tc = s->precision != BK_PREC_FP32;
    PICK_ALGO(f, cnt, s->ws_limit, tc, i);
    if (i < 0) goto none;
    p->fwd_algo = f[i].algo;
    if (cudnn_check(cu.cudnnGetConvolutionForwardWorkspaceSize(s->dnn, p->x, p->w, p->conv, p->y, p->fwd_algo, &need),
                    "forward workspace", err))
        return -1;
    ws = need > ws ? need : ws;

    if (cudnn_check(cu.cudnnGetConvolutionBackwardDataAlgorithm_v7(s->dnn, p->w, p->y, p->conv, p->x,
                                                                   CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &cnt, d),
                    "backward-data algorithm", err))
        return -1;
    PICK_ALGO(d, cnt, s->ws_limit, tc, i);
    if (i < 0) goto none;
    p->bwd_data_algo = d[i].algo;
    if (cudnn_check(
            cu.cudnnGetConvolutionBackwardDataWorkspaceSize(s->dnn, p->w, p->y, p->conv, p->x, p->bwd_data_algo, &need),
            "backward-data workspace", err))
        return -1;
    ws = need > ws ? need : ws;

    if (cudnn_check(cu.cudnnGetConvolutionBackwardFilterAlgorithm_v7(s->dnn, p->x, p->y, p->conv, p->w,
                                                                     CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &cnt, w),
                    "backward-filter algorithm", err))
        return -1;
    PICK_ALGO(w, cnt, s->ws_limit, tc, i);
    if (i < 0) goto none;
    p->bwd_filter_algo = w[i].algo;
    if (cudnn_check(cu.cudnnGetConvolutionBackwardFilterWorkspaceSize(s->dnn, p->x, p->y, p->conv, p->w,
                                                                      p->bwd_filter_algo, &need),
                    "backward-filter workspace", err))
        return -1;
    ws = need > ws ? need : ws;
    return cuda_workspace(b, ws, err);
none:
    snprintf(err->msg, sizeof err->msg,
             "cudnn: no %s convolution algorithm fits the %zu MiB "
             "workspace budget",
             backend_precision_name(s->precision), s->ws_limit >> 20);
    return -1;
}

static BkPlan *cuda_conv_plan(Backend *b, const ConvDesc *d, BkError *err)
{
    BkPlan *p = plan_new(CP_CONV, err);
    if (!p) return NULL;
    p->cd = *d;
    int n, c, h, w;
    if (tensor4(&p->x, d->n, d->c, d->h, d->w, err) ||
        cudnn_check(cu.cudnnCreateFilterDescriptor(&p->w), "cudnnCreateFilterDescriptor", err) ||
        cudnn_check(cu.cudnnSetFilter4dDescriptor(p->w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, d->oc, d->c / d->groups,
                                                  d->kh, d->kw),
                    "filter descriptor", err) ||
        cudnn_check(cu.cudnnCreateConvolutionDescriptor(&p->conv), "cudnnCreateConvolutionDescriptor", err) ||
        cudnn_check(cu.cudnnSetConvolution2dDescriptor(p->conv, d->ph, d->pw, d->sh, d->sw, d->dh, d->dw,
                                                       CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                    "convolution descriptor", err) ||
        cudnn_check(cu.cudnnSetConvolutionGroupCount(p->conv, d->groups), "group count", err) ||
        /* fp32: FMA math only (no TF32); bf16/fp16: tensor cores, fp32 operands converted to
         * fp16 on the fly (cuDNN's legacy API offers no bf16 conversion) */
        cudnn_check(cu.cudnnSetConvolutionMathType(p->conv, cuda_st(b)->precision == BK_PREC_FP32
                                                                ? CUDNN_FMA_MATH
                                                                : CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION),
                    "math type", err) ||
        cudnn_check(cu.cudnnGetConvolution2dForwardOutputDim(p->conv, p->x, p->w, &n, &c, &h, &w), "output size", err))
        goto fail;
    if (n != d->n || c != d->oc || h != d->oh || w != d->ow) {
        snprintf(err->msg, sizeof err->msg, "cudnn: convolution output %dx%dx%dx%d, expected %dx%dx%dx%d", n, c, h, w,
                 d->n, d->oc, d->oh, d->ow);
        goto fail;
    }
    if (tensor4(&p->y, n, c, h, w, err) || tensor4(&p->bias, 1, d->oc, 1, 1, err) || conv_algos(b, p, err)) goto fail;
    return p;
fail:
    cuda_plan_free(b, p);
    return NULL;
}

static void cuda_conv_fwd(Backend *b, BkPlan *p, const float *x, const float *w, const float *bias, float *y)
{
    CudaState *s = cuda_st(b);
    dnn_run(cu.cudnnConvolutionForward(s->dnn, &ONE, p->x, x, p->w, w, p->conv, p->fwd_algo, s->ws, s->ws_bytes, &ZERO,
                                       p->y, y),
            "cudnnConvolutionForward");
    if (bias) dnn_run(cu.cudnnAddTensor(s->dnn, &ONE, p->bias, bias, &ONE, p->y, y), "cudnnAddTensor");
}

static void cuda_conv_bwd_data(Backend *b, BkPlan *p, const float *dy, const float *w, float *dx)
{
    CudaState *s = cuda_st(b);
    dnn_run(cu.cudnnConvolutionBackwardData(s->dnn, &ONE, p->w, w, p->y, dy, p->conv, p->bwd_data_algo, s->ws,
                                            s->ws_bytes, &ZERO, p->x, dx),
            "cudnnConvolutionBackwardData");
}

static void cuda_conv_bwd_filter(Backend *b, BkPlan *p, const float *x, const float *dy, float *dw, float *db)
{
    CudaState *s = cuda_st(b);
    dnn_run(cu.cudnnConvolutionBackwardFilter(s->dnn, &ONE, p->x, x, p->y, dy, p->conv, p->bwd_filter_algo, s->ws,
                                              s->ws_bytes, &ZERO, p->w, dw),
            "cudnnConvolutionBackwardFilter");
    if (db)
        dnn_run(cu.cudnnConvolutionBackwardBias(s->dnn, &ONE, p->y, dy, &ZERO, p->bias, db),
                "cudnnConvolutionBackwardBias");
}

/* ---- pooling ---- */

static BkPlan *cuda_pool_plan(Backend *b, const PoolDesc *d, BkError *err)
{
    BkPlan *p = plan_new(CP_POOL, err);
    if (!p) return NULL;
    p->pd = *d;
    /* max: the deterministic mode (backward picks one maximum per window, not a race);
     * avg: padding excluded from the divisor, as ops_ref.h */
    cudnnPoolingMode_t mode =
        d->kind == POOL_MAX ? CUDNN_POOLING_MAX_DETERMINISTIC : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
    int n, c, h, w;
    if (tensor4(&p->x, d->n, d->c, d->h, d->w, err) ||
        cudnn_check(cu.cudnnCreatePoolingDescriptor(&p->pool), "cudnnCreatePoolingDescriptor", err) ||
        cudnn_check(cu.cudnnSetPooling2dDescriptor(p->pool, mode, CUDNN_NOT_PROPAGATE_NAN, d->kh, d->kw, d->ph, d->pw,
                                                   d->sh, d->sw),
                    "pooling descriptor", err) ||
        cudnn_check(cu.cudnnGetPooling2dForwardOutputDim(p->pool, p->x, &n, &c, &h, &w), "pooling output", err))
        goto fail;
    if (h != d->oh || w != d->ow) {
        snprintf(err->msg, sizeof err->msg, "cudnn: pooling output %dx%d, expected %dx%d", h, w, d->oh, d->ow);
        goto fail;
    }
    if (tensor4(&p->y, n, c, h, w, err)) goto fail;
    /* cudnnPoolingBackward reads y (and x): the backward recomputes y into the shared
     * workspace; avg pooling's backward gets no x from the executor, so a dummy x follows
     * there (cuDNN ignores it for avg). Shared: memory is the largest need, not the sum. */
    size_t ny = (size_t)n * c * h * w, nx = (size_t)d->n * d->c * d->h * d->w;
    if (cuda_workspace(b, sizeof(float) * (ny + (d->kind == POOL_AVG ? nx : 0)), err)) goto fail;
    return p;
fail:
    cuda_plan_free(b, p);
    return NULL;
}

static void cuda_pool_fwd(Backend *b, BkPlan *p, const float *x, float *y)
{
    dnn_run(cu.cudnnPoolingForward(cuda_st(b)->dnn, p->pool, &ONE, p->x, x, &ZERO, p->y, y), "cudnnPoolingForward");
}

static void cuda_pool_bwd(Backend *b, BkPlan *p, const float *x, const float *dy, float *dx)
{
    const PoolDesc *d = &p->pd;
    float *y = cuda_st(b)->ws;
    if (!x) x = y + (size_t)d->n * d->c * d->oh * d->ow;
    else cuda_pool_fwd(b, p, x, y);
    dnn_run(cu.cudnnPoolingBackward(cuda_st(b)->dnn, p->pool, &ONE, p->y, y, p->y, dy, p->x, x, &ZERO, p->x, dx),
            "cudnnPoolingBackward");
}

/* ---- batchnorm: spatial mode over [n, c, hw, 1]; running variance unbiased (as PyTorch) ---- */

static BkPlan *cuda_bn_plan(Backend *b, const BnDesc *d, BkError *err)
{
    BkPlan *p = plan_new(CP_BN, err);
    if (!p) return NULL;
    p->bn = *d;
    if (d->eps < CUDNN_BN_MIN_EPSILON) {
        snprintf(err->msg, sizeof err->msg, "cudnn: batchnorm eps %g is below cuDNN's minimum %g", (double)d->eps,
                 (double)CUDNN_BN_MIN_EPSILON);
        goto fail;
    }
    if (tensor4(&p->x, d->n, d->c, d->hw, 1, err) ||
        cudnn_check(cu.cudnnCreateTensorDescriptor(&p->bn_param), "cudnnCreateTensorDescriptor", err) ||
        cudnn_check(cu.cudnnDeriveBNTensorDescriptor(p->bn_param, p->x, CUDNN_BATCHNORM_SPATIAL),
                    "batchnorm parameter descriptor", err))
        goto fail;
    /* the backward's dx when the caller wants none (batchnorm on the network input) */
    if (cuda_workspace(b, sizeof(float) * (size_t)d->n * d->c * d->hw, err)) goto fail;
    return p;
fail:
    cuda_plan_free(b, p);
    return NULL;
}

static void cuda_bn_fwd_train(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *beta, float *y,
                              float *save_mean, float *save_invstd, float *run_mean, float *run_var)
{
    dnn_run(cu.cudnnBatchNormalizationForwardTraining(cuda_st(b)->dnn, CUDNN_BATCHNORM_SPATIAL, &ONE, &ZERO, p->x, x,
                                                      p->x, y, p->bn_param, gamma, beta, p->bn.momentum, run_mean,
                                                      run_var, p->bn.eps, save_mean, save_invstd),
            "cudnnBatchNormalizationForwardTraining");
}

static void cuda_bn_bwd(Backend *b, BkPlan *p, const float *x, const float *gamma, const float *save_mean,
                        const float *save_invstd, const float *dy, float *dx, float *dgamma, float *dbeta)
{
    dnn_run(cu.cudnnBatchNormalizationBackward(cuda_st(b)->dnn, CUDNN_BATCHNORM_SPATIAL, &ONE, &ZERO, &ONE, &ZERO, p->x,
                                               x, p->x, dy, p->x, dx ? dx : cuda_st(b)->ws, p->bn_param, gamma, dgamma,
                                               dbeta, p->bn.eps, save_mean, save_invstd),
            "cudnnBatchNormalizationBackward");
}

void cuda_dnn_install(Backend *b)
{
    b->conv_plan = cuda_conv_plan;
    b->conv_fwd = cuda_conv_fwd;
    b->conv_bwd_data = cuda_conv_bwd_data;
    b->conv_bwd_filter = cuda_conv_bwd_filter;
    b->pool_plan = cuda_pool_plan;
    b->pool_fwd = cuda_pool_fwd;
    b->pool_bwd = cuda_pool_bwd;
    b->bn_plan = cuda_bn_plan;
    b->bn_fwd_train = cuda_bn_fwd_train;
    b->bn_bwd = cuda_bn_bwd;
}
