/* onednn.h — oneDNN (dnnl.h, v2.6/2.7 C API) primitives for the CPU backend: convolution
 * forward / backward-data / backward-weights and pooling, plain NCHW/OIHW layouts (no
 * reorders), user-managed scratchpads. Primitives are created once per plan. */
#ifndef NAS_ONEDNN_H
#define NAS_ONEDNN_H
#include "ops.h"
#include "backend.h"

typedef struct DnnConv DnnConv;
typedef struct DnnPool DnnPool;

int  dnn_init(BkError *err);                  /* engine + stream, once per process */
DnnConv *dnn_conv_create(const ConvDesc *d, BkError *err);
void dnn_conv_fwd(DnnConv *c, const float *x, const float *w, const float *b, float *y);
void dnn_conv_bwd_data(DnnConv *c, const float *dy, const float *w, float *dx);
void dnn_conv_bwd_filter(DnnConv *c, const float *x, const float *dy, float *dw, float *db);
void dnn_conv_destroy(DnnConv *c);

DnnPool *dnn_pool_create(const PoolDesc *d, BkError *err);
void dnn_pool_fwd(DnnPool *p, const float *x, float *y);
void dnn_pool_bwd(DnnPool *p, const float *dy, float *dx);   /* after fwd on the same plan */
void dnn_pool_destroy(DnnPool *p);

/* row-major sgemm on oneDNN's OpenMP pool */
void dnn_sgemm(int transa, int transb, int m, int n, int k, const float *a, const float *b,
               float beta, float *c);
#endif
