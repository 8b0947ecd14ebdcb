/* tensor.h — a dense fp32 tensor view (NCHW, batch first): shape + a pointer it does not own. */
#ifndef NAS_TENSOR_H
#define NAS_TENSOR_H
#include <stddef.h>
#include <stdint.h>

#define TENSOR_MAXDIM 4

typedef struct Tensor {
    float  *data;                 /* owned by whoever carved it (a buffer plan, a dataset) */
    int     ndim;
    int64_t shape[TENSOR_MAXDIM]; /* shape[0] is the batch when the tensor is an activation */
} Tensor;

static inline int64_t tensor_numel(const Tensor *t)
{
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->shape[i];
    return n;
}

static inline Tensor tensor_make(float *data, int ndim, const int64_t *shape)
{
    Tensor t = { data, ndim, { 1, 1, 1, 1 } };
    for (int i = 0; i < ndim; i++) t.shape[i] = shape[i];
    return t;
}
#endif
