/* cuda_lib_test.c — the CUDA backend's library loading, executed for real without a GPU: both
 * stages (cudart; cuBLAS + cuDNN) load and every function in the `cu` table resolves (a
 * misspelt or missing symbol would otherwise only show on a GPU machine), the loaded cuDNN and
 * cuBLAS answer a version query through the table, and opening the backend without a device
 * fails with a clear message instead of crashing. */
#include "cuda_int.h"
#include <stdio.h>
#include <string.h>

int main(void)
{
    int failures = 0;
    BkError err;
    for (int stage = 0; stage < 2; stage++)
        if (cuda_lib_load(stage, &err)) {
            failures++;
            fprintf(stderr, "FAIL stage %d: %s\n", stage, err.msg);
        }
    if (failures) return 1;
    int n = 0, fields = 0, null = 0;
#define COUNT(f)                                       \
    fields++;                                          \
    if (!cu.f) {                                       \
        null++;                                        \
        fprintf(stderr, "FAIL %s not resolved\n", #f); \
    }
    CUDA_LIB_CUDART(COUNT) CUDA_LIB_CUDNN(COUNT) CUDA_LIB_CUBLAS(COUNT) failures += null;
    /* calls through the table that need no device */
    const char *s = cu.cudnnGetErrorString(CUDNN_STATUS_BAD_PARAM);
    if (!s || !strstr(s, "BAD_PARAM")) {
        failures++;
        fprintf(stderr, "FAIL cudnnGetErrorString: %s\n", s ? s : "NULL");
    }
    s = cu.cublasGetStatusString(CUBLAS_STATUS_NOT_INITIALIZED);
    if (!s || !*s) {
        failures++;
        fprintf(stderr, "FAIL cublasGetStatusString\n");
    }
    cudaError_t e = cu.cudaGetDeviceCount(&n);
    Backend b;
    BackendOptions o = {1, 1, BK_GEMM_AUTO, BK_PREC_FP32};
    int rc = backend_open("cuda", &o, &b, &err);
    if (rc == 0) {
        printf("device present (%d): %s\n", n, b.name);
        backend_close(&b);
    } else if (e == cudaSuccess && n > 0) {
        failures++;
        fprintf(stderr, "FAIL open with %d devices: %s\n", n, err.msg);
    } else if (!strstr(err.msg, "no device")) {
        failures++;
        fprintf(stderr, "FAIL unclear message: %s\n", err.msg);
    } else printf("no device: \"%s\"\n", err.msg);
    printf("cuda_lib: %d functions resolved: %s\n", fields - null, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
