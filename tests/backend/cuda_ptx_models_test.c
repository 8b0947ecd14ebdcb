/* cuda_ptx_models_test.c — the fused kernels the executor really builds for the Fashion-MNIST
 * models (runtime/train/models.c: MLP, CNN with and without batchnorm and dropout) and the
 * graph tests' networks (LeNet-5, Fashion CNN, MobileNetV2), in train mode, evaluation and
 * batch-1 inference, plus the optimizer kernels: each emitted as PTX for sm_80 and sm_90 and
 * assembled by NVIDIA's ptxas — what the CUDA backend would load, checked without a GPU.
 * The specs are collected by wrapping the CPU backend's kernel_build, so they are exactly the
 * executor's. usage: cuda_ptx_models_test PTXAS WORKDIR */
#include "arena.h"
#include "exec.h"
#include "graph_models.h"
#include "models.h"
#include "train.h"
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

enum { MAX_SPECS = 512 };
static CgSpec specs[MAX_SPECS];
static uint64_t hashes[MAX_SPECS];
static int nspecs, failures;
static int (*cpu_build)(Backend *, BkKernel *, BkError *);

/* the CPU backend's kernel_build, recording each distinct spec on the way */
static int record_build(Backend *b, BkKernel *k, BkError *err)
{
    uint64_t h = cg_spec_hash(&k->spec);
    int seen = 0;
    for (int i = 0; i < nspecs; i++) seen |= hashes[i] == h;
    if (!seen && nspecs < MAX_SPECS) {
        hashes[nspecs] = h;
        specs[nspecs++] = k->spec;
    }
    return cpu_build(b, k, err);
}

static void collect(Backend *bk, const char *name, Graph *g, int64_t train_batch)
{
    GraphError ge;
    BkError be;
    if (graph_infer_shapes(g, &ge)) {
        failures++;
        fprintf(stderr, "FAIL %s: %s\n", name, ge.msg);
        return;
    }
    ModelBuffers m;
    if (model_buffers_alloc(bk, g, &m, &be)) {
        failures++;
        fprintf(stderr, "FAIL %s: %s\n", name, be.msg);
        return;
    }
    /* the Execs train_run creates: training, evaluation (batch 500), latency (batch 1) */
    struct {
        GraphMode mode;
        int64_t batch;
    } runs[] = {{GRAPH_TRAIN, train_batch}, {GRAPH_INFER, 500}, {GRAPH_INFER, 1}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        Exec e;
        int before = nspecs;
        if (exec_create(&e, g, bk, &m, runs[r].mode, runs[r].batch, 1, &be)) {
            failures++;
            fprintf(stderr, "FAIL %s: %s\n", name, be.msg);
            continue;
        }
        printf("%-22s %-5s batch %3lld: %d new kernel specs\n", name, runs[r].mode == GRAPH_TRAIN ? "train" : "infer",
               (long long)runs[r].batch, nspecs - before);
        exec_destroy(&e);
    }
    model_buffers_free(bk, &m);
}

static int run_ptxas(const char *ptxas, int sm, const char *path)
{
    char arch[32];
    snprintf(arch, sizeof arch, "-arch=sm_%d", sm);
    char *argv[] = {(char *)ptxas, arch, "--warning-as-error", (char *)path, "-o", "/dev/null", NULL};
    pid_t pid;
    if (posix_spawn(&pid, ptxas, NULL, NULL, argv, environ) != 0) return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void assemble(const char *ptxas, const char *dir, int i, int sm)
{
    char name[48], path[512];
    snprintf(name, sizeof name, "nas_%016llx", (unsigned long long)hashes[i]);
    snprintf(path, sizeof path, "%s/%s_sm%d.ptx", dir, name, sm);
    CgError err;
    char *ptx;
    if (cg_ptx_emit(&specs[i], sm, name, &ptx, &err)) {
        failures++;
        fprintf(stderr, "FAIL %s sm_%d: cg_ptx_emit: %s\n", name, sm, err.msg);
        return;
    }
    FILE *f = fopen(path, "w");
    int ok = f && fputs(ptx, f) >= 0;
    if (f && fclose(f)) ok = 0;
    free(ptx);
    if (!ok) {
        failures++;
        fprintf(stderr, "FAIL cannot write %s\n", path);
        return;
    }
    int rc = run_ptxas(ptxas, sm, path);
    if (rc != 0) {
        failures++;
        fprintf(stderr, "FAIL ptxas sm_%d rejected %s (exit %d)\n", sm, path, rc);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || !argv[1][0] || !strcmp(argv[1], "NAS_PTXAS-NOTFOUND")) {
        fprintf(stderr, "FAIL: ptxas not found: install the CUDA toolkit (/usr/local/cuda/bin/ptxas)\n");
        return 1;
    }
    mkdir(argv[2], 0777);
    Backend bk;
    BkError be;
    BackendOptions bo = {1, 0, BK_GEMM_AUTO, BK_PREC_FP32}; /* plain-C kernels: no JIT time spent */
    if (backend_open("cpu", &bo, &bk, &be)) {
        fprintf(stderr, "FAIL: %s\n", be.msg);
        return 1;
    }
    cpu_build = bk.kernel_build;
    bk.kernel_build = record_build;

    Arena a;
    arena_init(&a);
    collect(&bk, "mlp 256-128", model_mlp(&a, 1, 28, 28, (int[]){256, 128}, 2, 10), 128);
    collect(&bk, "cnn 32-64", model_cnn(&a, 1, 28, 28, (int[]){32, 64}, 2, 128, 10, 0, 0), 128);
    collect(&bk, "cnn 32-64 bn dropout", model_cnn(&a, 1, 28, 28, (int[]){32, 64}, 2, 128, 10, 1, 0.25f), 128);
    int (*const builders[])(Graph *) = {model_lenet5, model_fashion_cnn, model_mobilenet};
    const char *names[] = {"lenet5", "fashion cnn (graph)", "mobilenet v2"};
    for (int i = 0; i < 3; i++) {
        Graph *g = graph_new(&a);
        builders[i](g);
        collect(&bk, names[i], g, 32);
    }
    /* the optimizer kernels (one CG_MAP over all parameters) */
    const OptimKind optims[] = {OPT_SGD, OPT_ADAM, OPT_ADAMW};
    for (int i = 0; i < 3; i++) {
        TrainSettings s;
        train_settings_default(&s);
        s.optimizer = optims[i];
        s.nesterov = i == 0;
        Optim op;
        if (optim_create(&op, &bk, &s, 1000, &be)) {
            failures++;
            fprintf(stderr, "FAIL optimizer: %s\n", be.msg);
        } else optim_destroy(&op, &bk);
    }
    arena_free(&a);
    backend_close(&bk);

    int kinds[3] = {0};
    for (int i = 0; i < nspecs; i++) {
        kinds[specs[i].kind]++;
        assemble(argv[1], argv[2], i, 80);
        assemble(argv[1], argv[2], i, 90);
    }
    /* a vacuous pass (no kernels collected) would hide a broken executor or wrapper */
    if (nspecs < 20 || !kinds[CG_MAP] || !kinds[CG_CHANNEL_SUM] || !kinds[CG_SOFTMAX_XENT]) {
        failures++;
        fprintf(stderr, "FAIL: only %d kernel specs collected (map %d, channel-sum %d, xent %d)\n", nspecs, kinds[0],
                kinds[1], kinds[2]);
    }
    printf("cuda_ptx_models: %d distinct kernels (map %d, channel-sum %d, xent %d) x sm_80, sm_90: %s\n", nspecs,
           kinds[0], kinds[1], kinds[2], failures ? "FAILED" : "all assembled by ptxas");
    return failures ? 1 : 0;
}
