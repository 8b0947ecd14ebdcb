/* cuda_blas.c — cuBLAS sgemm behind the backend's row-major matmul. A row-major C[m,n] is the
 * column-major C^T[n,m], so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T: swap the
 * operands and the sizes, keep each operand's transpose flag and leading dimension. */
#include "cuda_int.h"
#include <stdio.h>
#include <stdlib.h>

static BkPlan *cuda_matmul_plan(Backend *b, int transa, int transb, int m, int n, int k, int accumulate, BkError *err)
{
    if (m <= 0 || n <= 0 || k <= 0) {
        snprintf(err->msg, sizeof err->msg, "cublas: matmul with an empty size %dx%dx%d", m, n, k);
        return NULL;
    }
    BkPlan *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err->msg, sizeof err->msg, "cuda: out of memory");
        return NULL;
    }
    p->kind = CP_MATMUL;
    p->transa = transa;
    p->transb = transb;
    p->m = m;
    p->n = n;
    p->k = k;
    p->accumulate = accumulate;
    return p;
}

/* fp32: cublasSgemm (exact fp32 math: the handle's math mode excludes TF32). bf16/fp16:
 * cublasGemmEx on the same fp32 buffers with a compute type that lets the tensor cores take
 * the operands rounded to bf16 / fp16, accumulating in fp32. */
static void cuda_matmul(Backend *b, BkPlan *p, const float *a, const float *bm, float *c)
{
    static const float one = 1.0f, zero = 0.0f;
    CudaState *s = cuda_st(b);
    int lda = p->transa ? p->m : p->k, ldb = p->transb ? p->k : p->n;
    cublasOperation_t ta = p->transb ? CUBLAS_OP_T : CUBLAS_OP_N, tb = p->transa ? CUBLAS_OP_T : CUBLAS_OP_N;
    const float *beta = p->accumulate ? &one : &zero;
    cublasStatus_t st;
    if (s->precision == BK_PREC_FP32)
        st = cu.cublasSgemm_v2(s->blas, ta, tb, p->n, p->m, p->k, &one, bm, ldb, a, lda, beta, c, p->n);
    else
        st = cu.cublasGemmEx(s->blas, ta, tb, p->n, p->m, p->k, &one, bm, CUDA_R_32F, ldb, a, CUDA_R_32F, lda, beta, c,
                             CUDA_R_32F, p->n,
                             s->precision == BK_PREC_BF16 ? CUBLAS_COMPUTE_32F_FAST_16BF : CUBLAS_COMPUTE_32F_FAST_16F,
                             CUBLAS_GEMM_DEFAULT);
    if (st != CUBLAS_STATUS_SUCCESS)
        cuda_report(s->precision == BK_PREC_FP32 ? "cublasSgemm" : "cublasGemmEx", (int)st,
                    cu.cublasGetStatusString(st));
}

void cuda_blas_install(Backend *b)
{
    b->matmul_plan = cuda_matmul_plan;
    b->matmul = cuda_matmul;
}
