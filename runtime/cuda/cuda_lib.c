/* cuda_lib.c — loads libcudart, libcublas and libcudnn with dlopen when the CUDA backend is
 * first opened, and fills the `cu` table (cuda_int.h) with their functions. Sonames come from
 * the toolkit the backend was compiled against; the build's library directory is the fallback
 * when the loader's search path does not list it. */
#include "cuda_int.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

CudaLib cu;

#define STR_(x) #x
#define STR(x)  STR_(x)

static void *open_lib(const char *soname, BkError *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", NAS_CUDA_LIBDIR, soname);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    if (!h) snprintf(err->msg, sizeof err->msg, "cuda: cannot load %s: %s", soname, dlerror());
    return h;
}

/* Two stages, each once per process: the runtime (enough to ask for a device), then cuBLAS and
 * cuDNN (~215 MB of relocated code), loaded only when a device answers. */
typedef struct Stage {
    pthread_once_t once;
    int result;
    BkError err;
} Stage;
static Stage stages[2] = {{PTHREAD_ONCE_INIT, -1, {""}}, {PTHREAD_ONCE_INIT, -1, {""}}};

#define CUDA_LIB_SYM(lib, f, err)                                                           \
    if (!(p = dlsym(lib, #f))) {                                                            \
        snprintf((err)->msg, sizeof(err)->msg, "cuda: %s is missing from the library", #f); \
        return;                                                                             \
    }                                                                                       \
    memcpy(&cu.f, &p, sizeof p);

static void load_runtime(void)
{
    BkError *err = &stages[0].err;
    void *rt = open_lib("libcudart.so." STR(NAS_CUDA_MAJOR), err), *p;
    if (!rt) return;
#define RT(f) CUDA_LIB_SYM(rt, f, err)
    CUDA_LIB_CUDART(RT)
    stages[0].result = 0;
}

static void load_dnn(void)
{
    BkError *err = &stages[1].err;
    void *blas = open_lib("libcublas.so." STR(NAS_CUDA_MAJOR), err);
    void *dnn = blas ? open_lib("libcudnn.so." STR(CUDNN_MAJOR), err) : NULL, *p;
    if (!dnn) return;
#define DNN(f)  CUDA_LIB_SYM(dnn, f, err)
#define BLAS(f) CUDA_LIB_SYM(blas, f, err)
    CUDA_LIB_CUDNN(DNN)
    CUDA_LIB_CUBLAS(BLAS)
    stages[1].result = 0;
}

int cuda_lib_load(int stage, BkError *err)
{
    Stage *s = &stages[stage];
    pthread_once(&s->once, stage ? load_dnn : load_runtime);
    if (s->result) *err = s->err;
    return s->result;
}
