/* cuda_blas.c — cuBLAS sgemm behind the backend's row-major matmul. A row-major C[m,n] is the
 * column-major C^T[n,m], so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T: swap the
 * operands and the sizes, keep each operand's transpose flag and leading dimension. */
#include "cuda_int.h"
#include <stdio.h>
#include <stdlib.h>

static BkPlan *cuda_matmul_plan(Backend *b, int transa, int transb, int m, int n, int k,
                                int accumulate, BkError *err)
{
    if (m <= 0 || n <= 0 || k <= 0) {
        snprintf(err->msg, sizeof err->msg, "cublas: matmul with an empty size %dx%dx%d", m, n, k);
        return NULL;
    }
    BkPlan *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err->msg, sizeof err->msg, "cuda: out of memory"); return NULL; }
    p->kind = CP_MATMUL;
    p->transa = transa; p->transb = transb; p->m = m; p->n = n; p->k = k;
    p->accumulate = accumulate;
    return p;
}

static void cuda_matmul(Backend *b, BkPlan *p, const float *a, const float *bm, float *c)
{
    static const float one = 1.0f, zero = 0.0f;
    int lda = p->transa ? p->m : p->k, ldb = p->transb ? p->k : p->n;
    cublasStatus_t st = cu.cublasSgemm_v2(cuda_st(b)->blas, p->transb ? CUBLAS_OP_T : CUBLAS_OP_N,
                                    p->transa ? CUBLAS_OP_T : CUBLAS_OP_N, p->n, p->m, p->k, &one,
                                    bm, ldb, a, lda, p->accumulate ? &one : &zero, c, p->n);
    if (st != CUBLAS_STATUS_SUCCESS) cuda_report("cublasSgemm", (int)st, cu.cublasGetStatusString(st));
}

void cuda_blas_install(Backend *b)
{
    b->matmul_plan = cuda_matmul_plan;
    b->matmul = cuda_matmul;
}
