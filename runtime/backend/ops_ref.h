/* ops_ref.h — the reference ops: plain C loops, forward and backward, the spec every fast path
 * (oneDNN, BLAS, LLVM-JIT, CUDA) is tested against. Single-threaded, fp32 storage, double
 * accumulation. Backward functions OVERWRITE their outputs (the executor accumulates). */
#ifndef NAS_OPS_REF_H
#define NAS_OPS_REF_H
#include <stdint.h>
#include "ops.h"

/* conv2d: x[n,c,h,w], w[oc,c/g,kh,kw], b[oc] (NULL when !has_bias) -> y[n,oc,oh,ow] */
void ref_conv_fwd(const ConvDesc *d, const float *x, const float *w, const float *b, float *y);
void ref_conv_bwd_data(const ConvDesc *d, const float *dy, const float *w, float *dx);
void ref_conv_bwd_filter(const ConvDesc *d, const float *x, const float *dy, float *dw, float *db);

/* pooling: max backward routes to the first maximum of each window (recomputed from x) */
void ref_pool_fwd(const PoolDesc *d, const float *x, float *y);
void ref_pool_bwd(const PoolDesc *d, const float *x, const float *dy, float *dx);

/* global average pool: x[n,c,hw] -> y[n,c] */
void ref_gap_fwd(int n, int c, int hw, const float *x, float *y);
void ref_gap_bwd(int n, int c, int hw, const float *dy, float *dx);

/* C[m,n] = alpha * op(A) op(B) + beta * C, row-major; op = transpose when trans */
void ref_gemm(int transa, int transb, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
              float *c);

/* dense: x[n,in], w[out,in], b[out] -> y[n,out] */
void ref_dense_fwd(const DenseDesc *d, const float *x, const float *w, const float *b, float *y);
void ref_dense_bwd(const DenseDesc *d, const float *x, const float *w, const float *dy, float *dx, float *dw,
                   float *db); /* dx may be NULL (network input) */

/* activations, elementwise; backward gets x (the input) */
float ref_act(ActKind k, float x);
float ref_act_grad(ActKind k, float x); /* d act / dx at x */
void ref_act_fwd(ActKind k, int64_t n, const float *x, float *y);
void ref_act_bwd(ActKind k, int64_t n, const float *x, const float *dy, float *dx);

/* per-channel bias: y[n,c,hw] += b[c]; backward db[c] = sum dy */
void ref_bias_fwd(int n, int c, int hw, const float *b, float *y);
void ref_bias_bwd(int n, int c, int hw, const float *dy, float *db);

/* y = a + b (residual); backward is the identity for both inputs */
void ref_add_fwd(int64_t n, const float *a, const float *b, float *y);

/* channel scale (squeeze-excite): y[n,c,hw] = x * s[n,c] */
void ref_scale_fwd(int n, int c, int hw, const float *x, const float *s, float *y);
void ref_scale_bwd(int n, int c, int hw, const float *x, const float *s, const float *dy, float *dx, float *ds);

/* batchnorm. train: batch statistics, saves mean and inverse std, updates running stats.
 * infer: running statistics. */
void ref_bn_fwd_train(const BnDesc *d, const float *x, const float *gamma, const float *beta, float *y,
                      float *save_mean, float *save_invstd, float *run_mean, float *run_var);
void ref_bn_fwd_infer(const BnDesc *d, const float *x, const float *gamma, const float *beta, const float *run_mean,
                      const float *run_var, float *y);
void ref_bn_bwd(const BnDesc *d, const float *x, const float *gamma, const float *save_mean, const float *save_invstd,
                const float *dy, float *dx, float *dgamma, float *dbeta);
/* dx may be NULL */

/* dropout (inverted): mask[i] = 0 or 1/(1-p) drawn from the seed; y = x*mask, dx = dy*mask */
void ref_dropout_mask(int64_t n, float p, uint64_t seed, float *mask);
void ref_mul_fwd(int64_t n, const float *a, const float *b, float *y);

/* softmax cross-entropy, mean over the batch: logits[n,k], labels[n] in [0,k), against the
 * target t = (1 - eps) onehot + eps / k (label smoothing; eps 0: the one-hot label).
 * fwd writes probs and returns the mean of -sum_j t_j log p_j; bwd: dlogits = (probs - t) / n */
double ref_xent_fwd(int n, int k, const float *logits, const int32_t *labels, float eps, float *probs);
void ref_xent_bwd(int n, int k, const float *probs, const int32_t *labels, float eps, float *dlogits);
#endif
