/* ops.h — shape descriptors of the runtime's ops, shared by the reference ops, the backends
 * and the executor. Layout is NCHW for activations, OIHW for conv weights, [out,in] for dense. */
#ifndef NAS_OPS_H
#define NAS_OPS_H
#include <stdint.h>

typedef struct ConvDesc {
    int n, c, h, w;     /* input */
    int oc, kh, kw;     /* weight [oc, c/groups, kh, kw] */
    int sh, sw, ph, pw; /* stride, symmetric zero padding */
    int dh, dw;         /* dilation: taps dh rows apart (1 = none; conv_desc_finish turns 0 into 1) */
    int groups;         /* 1 = dense conv, c = depthwise */
    int oh, ow;         /* output, = (h + 2ph - ((kh-1)dh+1))/sh + 1 (conv_desc_finish fills them) */
    int has_bias;
    int block_x, block_y; /* x and dx / y and dy: 0 = NCHW, k = nChw<k>c (Backend.channel_block) */
} ConvDesc;

typedef enum PoolKind { POOL_MAX, POOL_AVG } PoolKind;
typedef struct PoolDesc {
    PoolKind kind;
    int n, c, h, w;
    int kh, kw, sh, sw, ph, pw; /* avg pooling excludes padding from the divisor */
    int oh, ow;
    int block_x, block_y; /* x and dx / y and dy: 0 = NCHW, k = nChw<k>c (Backend.channel_block) */
} PoolDesc;

typedef struct DenseDesc {
    int n, in, out, has_bias;
} DenseDesc; /* y[n,out] = x W^T + b */

typedef struct BnDesc {
    int n, c, hw;        /* x is [n, c, hw] (hw = 1 after a dense layer) */
    float eps, momentum; /* running = (1-momentum)*running + momentum*batch (PyTorch) */
    int block;           /* x, y, dx, dy: 0 = NCHW, k = nChw<k>c (Backend.channel_block) */
} BnDesc;

typedef enum ActKind {
    ACT_IDENTITY,
    ACT_RELU,
    ACT_RELU6,
    ACT_SIGMOID,
    ACT_TANH,
    ACT_SWISH,
    ACT_HSWISH,
    ACT_HSIGMOID,
    ACT_GELU, /* tanh approximation */
    ACT_COUNT
} ActKind;

void conv_desc_finish(ConvDesc *d);
void pool_desc_finish(PoolDesc *d);
const char *act_name(ActKind k);
#endif
