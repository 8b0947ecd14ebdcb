/* onednn.h — oneDNN (dnnl.h, v2.6/2.7 C API) primitives for the CPU backend: convolution
 * forward / backward-data / backward-weights, pooling, batchnorm and (bf16) matmul. Callers
 * pass NCHW activations (nChw<k>c by the *Desc block fields) and OIHW weights; a primitive runs in the layout (and, for bf16, the type)
 * oneDNN prefers, reordering inside its plan. User-managed scratchpads. Primitives are
 * created once per plan. */
#ifndef NAS_ONEDNN_H
#define NAS_ONEDNN_H
#include <stdint.h>
#include "ops.h"
#include "backend.h"

typedef struct DnnConv DnnConv;
typedef struct DnnPool DnnPool;

int dnn_init(BkError *err); /* engine + stream, once per process */
/* channels per block of the activation layout oneDNN's jit kernels take on this CPU
 * (nChw<k>c): 16 with AVX-512, else 8; honours ONEDNN_MAX_CPU_ISA */
int dnn_channel_block(void);
/* activation reorders (between the caller's layout and a primitive's) run so far in this
 * process: what exec.c's layout plan exists to avoid (tests and --profile count them) */
uint64_t dnn_act_reorders(void);
/* bf16: the primitives read bf16 copies of their inputs (rounded by the reorders) and write
 * f32; 0: f32 throughout */
DnnConv *dnn_conv_create(const ConvDesc *d, int bf16, BkError *err);
void dnn_conv_fwd(DnnConv *c, const float *x, const float *w, const float *b, float *y);
void dnn_conv_bwd_data(DnnConv *c, const float *dy, const float *w, float *dx);
void dnn_conv_bwd_filter(DnnConv *c, const float *x, const float *dy, float *dw, float *db);
void dnn_conv_destroy(DnnConv *c);

DnnPool *dnn_pool_create(const PoolDesc *d, BkError *err);
void dnn_pool_fwd(DnnPool *p, const float *x, float *y);
void dnn_pool_bwd(DnnPool *p, const float *dy, float *dx); /* after fwd on the same plan */
void dnn_pool_destroy(DnnPool *p);

/* batch normalization over x [n, c, hw] (BnDesc): training writes the batch mean and the biased
 * variance; backward reads a mean and a variance (not 1/std). Inference is the executor's fused
 * map (exec.c), on every backend. */
typedef struct DnnBn DnnBn;
DnnBn *dnn_bn_create(const BnDesc *d, BkError *err);
void dnn_bn_fwd_train(DnnBn *b, const float *x, const float *gamma, const float *beta, float *y, float *mean,
                      float *var);
void dnn_bn_bwd(DnnBn *b, const float *x, const float *gamma, const float *mean, const float *var, const float *dy,
                float *dx, float *dgamma, float *dbeta);
void dnn_bn_destroy(DnnBn *b);

/* row-major C[m,n] = op(A) op(B) (+ C when accumulate) as a matmul primitive, operands read
 * in bf16 when asked (the reduced-precision path; fp32 uses dnn_sgemm) */
typedef struct DnnMatmul DnnMatmul;
DnnMatmul *dnn_matmul_create(int transa, int transb, int m, int n, int k, int accumulate, int bf16, BkError *err);
void dnn_matmul_run(DnnMatmul *mm, const float *a, const float *b, float *c);
void dnn_matmul_destroy(DnnMatmul *mm);
/* 0 when oneDNN has bf16 convolutions on this CPU, else -1 with a message */
int dnn_bf16_check(BkError *err);

/* row-major sgemm on oneDNN's OpenMP pool */
void dnn_sgemm(int transa, int transb, int m, int n, int k, const float *a, const float *b, float beta, float *c);
#endif
