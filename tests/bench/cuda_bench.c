/* cuda_bench.c — GPU throughput of the runtime: training steps (forward, loss, backward, SGD
 * momentum) and inference of the Fashion-MNIST MLP and CNN (docs/peers.md's models) at batch 128,
 * and batch-1 latency, timed with CUDA events through the backend's sync/now. Synthetic
 * inputs in [0,1): the data pipeline is not measured. Prints one line per figure:
 *   <model> train|infer|latency <value> img/s|ms
 * usage: cuda_bench [cuda|cpu] [steps]   Exit 77 (skip) when the backend cannot be opened. */
#include "arena.h"
#include "exec.h"
#include "rng.h"
#include "models.h"
#include "train.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { B = 128 };

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench(Backend *bk, const char *name, Graph *g, int steps)
{
    GraphError ge;
    BkError be;
    ModelBuffers m;
    Exec tr, inf, lat;
    Optim op;
    TrainSettings ts;
    train_settings_default(&ts);
    GraphStats st;
    if (graph_infer_shapes(g, &ge) || graph_stats(g, B, 1, &st, &ge)) {
        fprintf(stderr, "%s: %s\n", name, ge.msg);
        return -1;
    }
    /* the planned peak against free device memory, before anything is allocated */
    if (bk->mem_check && bk->mem_check(bk, (size_t)st.train_total_bytes, &be)) {
        fprintf(stderr, "%s: %s\n", name, be.msg);
        return -1;
    }
    if (model_buffers_alloc(bk, g, &m, &be) || exec_create(&tr, g, bk, &m, GRAPH_TRAIN, B, 1, &be) ||
        exec_create(&inf, g, bk, &m, GRAPH_INFER, B, 1, &be) || exec_create(&lat, g, bk, &m, GRAPH_INFER, 1, 1, &be) ||
        optim_create(&op, bk, &ts, g->nparams, &be)) {
        fprintf(stderr, "%s: %s\n", name, be.msg);
        return -1;
    }
    float *params = malloc(4 * (size_t)(g->nparams + g->nstate + 1));
    init_params(g, params, params + g->nparams, 1);
    bk->to_device(bk, m.params, params, 4 * (size_t)g->nparams);
    bk->to_device(bk, m.state, params + g->nparams, 4 * (size_t)g->nstate);
    int64_t nin = graph_shape_numel(&g->values[g->input].shape, B);
    float *x = malloc(4 * (size_t)nin);
    int32_t y[B];
    Rng r;
    rng_seed(&r, 3);
    for (int64_t i = 0; i < nin; i++) x[i] = (float)rng_uniform(&r);
    for (int i = 0; i < B; i++) y[i] = (int32_t)rng_below(&r, 10);
    exec_set_batch(&tr, x, y);
    exec_set_batch(&inf, x, y);
    exec_set_batch(&lat, x, y);

    for (int phase = 0; phase < 2; phase++) { /* warm-up (algorithms, caches), then timed */
        int n = phase ? steps : 3;
        bk->sync(bk);
        double t0 = bk->now(bk);
        for (int s = 0; s < n; s++) {
            exec_run(&tr, (uint32_t)s);
            optim_step(&op, bk, &m, 0.01f);
        }
        bk->sync(bk);
        double t1 = bk->now(bk);
        if (phase) printf("%s train %.0f img/s\n", name, (double)n * B / (t1 - t0));
    }
    bk->sync(bk);
    double t0 = bk->now(bk);
    for (int s = 0; s < steps; s++) exec_run(&inf, 0);
    bk->sync(bk);
    printf("%s infer %.0f img/s\n", name, (double)steps * B / (bk->now(bk) - t0));
    double *ms = malloc(sizeof(double) * (size_t)steps);
    for (int s = 0; s < steps; s++) {
        double a = bk->now(bk);
        exec_run(&lat, 0);
        bk->sync(bk);
        ms[s] = (bk->now(bk) - a) * 1e3;
    }
    qsort(ms, (size_t)steps, sizeof *ms, cmp_d);
    printf("%s latency %.4f ms\n", name, ms[steps / 2]);
    free(ms);
    free(x);
    free(params);
    optim_destroy(&op, bk);
    exec_destroy(&lat);
    exec_destroy(&inf);
    exec_destroy(&tr);
    model_buffers_free(bk, &m);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dev = argc > 1 ? argv[1] : "cuda";
    int steps = argc > 2 ? atoi(argv[2]) : 200;
    if (steps < 1) steps = 1;
    Backend bk;
    BkError be;
    BackendOptions bo = {0, 1, BK_GEMM_AUTO, BK_PREC_FP32};
    if (backend_open(dev, &bo, &bk, &be)) {
        printf("%s: skipped, %s\n", dev, be.msg);
        return 77;
    }
    Arena a;
    arena_init(&a);
    int rc = bench(&bk, "mlp", model_mlp(&a, 1, 28, 28, (int[]){256, 128}, 2, 10), steps) ||
             bench(&bk, "cnn", model_cnn(&a, 1, 28, 28, (int[]){32, 64}, 2, 128, 10, 0, 0), steps);
    arena_free(&a);
    backend_close(&bk);
    return rc ? 1 : 0;
}
