/* cuda_int.h — state shared by the CUDA backend's files (backend_cuda.c: device, memory,
 * timing; cuda_kernels.c: LLVM-built PTX through the driver API; cuda_dnn.c: cuDNN conv,
 * pooling, batchnorm; cuda_blas.c: cuBLAS matmul). Not a public header: the executor sees
 * only backend.h. Everything runs in order on ONE stream, so no op needs an event. */
#ifndef NAS_CUDA_INT_H
#define NAS_CUDA_INT_H
#include <cublas_v2.h>
#include <cuda.h>
#include <cuda_runtime.h>
#include <cudnn.h>
#include <stddef.h>
#include "backend.h"

/* Every CUDA runtime, cuDNN and cuBLAS function the backend calls. They are resolved with
 * dlopen/dlsym when the backend is first opened (cuda_lib.c) rather than linked: linking the
 * three libraries into nasrt cost every nas binary ~2 s of start-up and ~215 MB of resident
 * memory (relocating cuDNN and cuBLAS), even on CPU-only runs. Call sites read cu.<name>(...);
 * the headers still type-check every call. */
#define CUDA_LIB_CUDART(X)                                                                                       \
    X(cudaEventCreate)                                                                                           \
    X(cudaEventDestroy)                                                                                          \
    X(cudaEventElapsedTime) X(cudaEventRecord) X(cudaEventSynchronize) X(cudaFree) X(cudaGetDeviceCount)         \
        X(cudaGetDeviceProperties) X(cudaGetDriverEntryPointByVersion) X(cudaGetErrorName) X(cudaGetErrorString) \
            X(cudaGetLastError) X(cudaMalloc) X(cudaMemGetInfo) X(cudaMemcpy2DAsync) X(cudaMemcpyAsync)          \
                X(cudaMemsetAsync) X(cudaSetDevice) X(cudaStreamCreateWithFlags) X(cudaStreamDestroy)            \
                    X(cudaStreamSynchronize)
#define CUDA_LIB_CUDNN(X)                                                                                             \
    X(cudnnAddTensor)                                                                                                 \
    X(cudnnBatchNormalizationBackward)                                                                                \
    X(cudnnBatchNormalizationForwardTraining) X(cudnnConvolutionBackwardBias) X(cudnnConvolutionBackwardData) X(      \
        cudnnConvolutionBackwardFilter) X(cudnnConvolutionForward) X(cudnnCreate) X(cudnnCreateConvolutionDescriptor) \
        X(cudnnCreateFilterDescriptor) X(cudnnCreatePoolingDescriptor) X(cudnnCreateTensorDescriptor)                 \
            X(cudnnDeriveBNTensorDescriptor) X(cudnnDestroy) X(cudnnDestroyConvolutionDescriptor)                     \
                X(cudnnDestroyFilterDescriptor) X(cudnnDestroyPoolingDescriptor) X(cudnnDestroyTensorDescriptor)      \
                    X(cudnnGetConvolution2dForwardOutputDim) X(cudnnGetConvolutionBackwardDataAlgorithm_v7)           \
                        X(cudnnGetConvolutionBackwardDataWorkspaceSize)                                               \
                            X(cudnnGetConvolutionBackwardFilterAlgorithm_v7)                                          \
                                X(cudnnGetConvolutionBackwardFilterWorkspaceSize)                                     \
                                    X(cudnnGetConvolutionForwardAlgorithm_v7)                                         \
                                        X(cudnnGetConvolutionForwardWorkspaceSize) X(cudnnGetErrorString)             \
                                            X(cudnnGetPooling2dForwardOutputDim) X(cudnnPoolingBackward)              \
                                                X(cudnnPoolingForward) X(cudnnSetConvolution2dDescriptor)             \
                                                    X(cudnnSetConvolutionGroupCount) X(cudnnSetConvolutionMathType)   \
                                                        X(cudnnSetFilter4dDescriptor) X(cudnnSetPooling2dDescriptor)  \
                                                            X(cudnnSetStream) X(cudnnSetTensor4dDescriptor)
#define CUDA_LIB_CUBLAS(X) \
    X(cublasCreate_v2)     \
    X(cublasDestroy_v2)    \
    X(cublasGemmEx) X(cublasGetStatusString) X(cublasSetMathMode) X(cublasSetStream_v2) X(cublasSgemm_v2)

typedef struct CudaLib {
#define CUDA_LIB_FIELD(f) __typeof__(&f) f;
    CUDA_LIB_CUDART(CUDA_LIB_FIELD)
    CUDA_LIB_CUDNN(CUDA_LIB_FIELD)
    CUDA_LIB_CUBLAS(CUDA_LIB_FIELD)
#undef CUDA_LIB_FIELD
} CudaLib;
extern CudaLib cu;
/* Loads stage 0 (cudart) or 1 (cuBLAS, cuDNN) once per process; later calls return the first
 * result. 0, or -1 with err naming the library or symbol that is missing. */
int cuda_lib_load(int stage, BkError *err);

/* Driver API entry points, fetched through cudart (cudaGetDriverEntryPointByVersion) so that
 * nothing links libcuda.so.1: binaries still start on machines with the toolkit but no driver. */
typedef struct CudaDriver {
    CUresult (*module_load_data)(CUmodule *m, const void *image);
    CUresult (*module_get_function)(CUfunction *f, CUmodule m, const char *name);
    CUresult (*module_unload)(CUmodule m);
    CUresult (*launch_kernel)(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                              unsigned bz, unsigned shmem, CUstream s, void **params, void **extra);
    CUresult (*get_error_string)(CUresult r, const char **s);
} CudaDriver;

typedef struct CudaModule { /* a loaded kernel, cached by spec hash */
    uint64_t hash;
    CUmodule mod;
    CUfunction fn;
} CudaModule;

typedef struct CudaAlloc {
    void *p;
    size_t bytes;
} CudaAlloc;

typedef struct CudaState {
    int device, sm; /* sm: the PTX target (80 or 90) for this device */
    int sms;        /* multiprocessors, for grid sizing */
    int precision;  /* BK_PREC_* (backend.h): conv and matmul math */
    char devname[256];
    cudaStream_t stream;
    cudnnHandle_t dnn;
    cublasHandle_t blas;
    CudaDriver drv;
    /* memory: every live allocation (frees are rare: executors are created once per trial) */
    CudaAlloc *allocs;
    int nallocs, capallocs;
    size_t allocated, peak;
    /* one workspace shared by all plans (ops run in stream order), grown at plan time: cuDNN
     * convolution workspaces, pooling's recomputed y, batchnorm's unwanted dx */
    void *ws;
    size_t ws_bytes, ws_limit;
    /* device clock: now() adds the elapsed time between two events to a double */
    cudaEvent_t ev_last, ev_cur;
    double clock_s;
    /* kernels */
    CudaModule *mods;
    int nmods, capmods;
    double jit_ms;
} CudaState;

typedef enum CudaPlanKind { CP_CONV, CP_POOL, CP_MATMUL, CP_BN } CudaPlanKind;
struct BkPlan {
    CudaPlanKind kind;
    cudnnTensorDescriptor_t x, y, bias; /* conv: x, y, bias [1,oc,1,1]; pool: x, y */
    cudnnFilterDescriptor_t w;
    cudnnConvolutionDescriptor_t conv;
    cudnnPoolingDescriptor_t pool;
    cudnnConvolutionFwdAlgo_t fwd_algo;
    cudnnConvolutionBwdDataAlgo_t bwd_data_algo;
    cudnnConvolutionBwdFilterAlgo_t bwd_filter_algo;
    ConvDesc cd;
    PoolDesc pd;
    BnDesc bn;
    cudnnTensorDescriptor_t bn_param;        /* [1,c,1,1] */
    int transa, transb, m, n, k, accumulate; /* matmul */
};

static inline CudaState *cuda_st(Backend *b) { return b->impl; }

/* Error text for the three libraries; each returns 0 on success, -1 with err filled. */
int cuda_check(cudaError_t e, const char *what, BkError *err);
int cudnn_check(cudnnStatus_t s, const char *what, BkError *err);
int cublas_check(cublasStatus_t s, const char *what, BkError *err);
/* Run-time failures cannot be returned (backend.h: run functions are void once planned):
 * they are printed once with the call that failed, and the next sync/to_host shows them. */
void cuda_report(const char *what, int code, const char *text);

/* device memory owned by the backend itself (the shared workspace): counted in mem_info */
void *cuda_alloc(Backend *b, size_t bytes);
void cuda_free(Backend *b, void *p);
/* Grows the shared workspace to `bytes` (synchronizes first). -1 with err if it cannot. */
int cuda_workspace(Backend *b, size_t bytes, BkError *err);

/* the per-library halves of the table (each file fills its entries) */
void cuda_dnn_install(Backend *b);
void cuda_blas_install(Backend *b);
void cuda_kernels_install(Backend *b);
void cuda_kernels_shutdown(Backend *b);
void cuda_plan_free(Backend *b, BkPlan *p);
#endif
