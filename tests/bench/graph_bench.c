/* graph_bench.c — µs to build + shape-infer a MobileNet-sized graph (the target: < 50 µs),
 * and with stats (backward graph, inference and training plans) on top. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "graph_models.h"

static double now_us(clockid_t clk)
{
    struct timespec t;
    clock_gettime(clk, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* One build; level 0: construct + graph_infer_shapes; 1: + graph_stats. Returns params. */
static int64_t build_once(int level, int *nfwd, int *nnodes)
{
    Arena a;
    arena_init(&a);
    Graph *g = graph_new(&a);
    model_mobilenet(g);
    GraphError err;
    int64_t params = -1;
    if (graph_infer_shapes(g, &err) == 0) {
        params = g->nparams;
        GraphStats st;
        if (level == 1 && graph_stats(g, 128, 1, &st, &err)) params = -1;
    }
    *nfwd = g->nfwd;
    *nnodes = g->nnodes;
    arena_free(&a);
    return params;
}

/* Best over 7 rounds of the mean µs per build within a round of `iters` builds, as wall
 * time and as this process's CPU time (what the machine's other load does not inflate). */
typedef struct Timing {
    double wall, cpu;
} Timing;
static Timing measure(int level, int iters, int64_t expect, int *bad)
{
    Timing best = {1e30, 1e30};
    int nfwd, nnodes;
    for (int r = 0; r < 7; r++) {
        double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
        for (int i = 0; i < iters; i++)
            if (build_once(level, &nfwd, &nnodes) != expect) (*bad)++;
        double wall = (now_us(CLOCK_MONOTONIC) - w0) / iters;
        double cpu = (now_us(CLOCK_PROCESS_CPUTIME_ID) - c0) / iters;
        if (wall < best.wall) best.wall = wall;
        if (cpu < best.cpu) best.cpu = cpu;
    }
    return best;
}

int main(void)
{
    int nfwd, nnodes, bad = 0;
    int64_t params = build_once(1, &nfwd, &nnodes);
    if (params <= 0) {
        fprintf(stderr, "graph_bench: the model does not build\n");
        return 1;
    }
    measure(0, 200, params, &bad); /* warm up */
    Timing infer = measure(0, 2000, params, &bad);
    Timing stats = measure(1, 200, params, &bad);
    printf("graph_bench: MobileNet-shaped graph, %d forward ops (%d with backward), %lld params\n", nfwd, nnodes,
           (long long)params);
    printf("  build + shape inference:                     %8.2f us wall, %8.2f us CPU per graph (target < 50)\n",
           infer.wall, infer.cpu);
    printf("  + stats (backward, infer plan, train plan):  %8.2f us wall, %8.2f us CPU per graph\n", stats.wall,
           stats.cpu);
    if (bad) fprintf(stderr, "graph_bench: %d builds gave a different parameter count\n", bad);
    if (infer.cpu >= 50.0) fprintf(stderr, "graph_bench: build + shape inference over 50 us\n");
    return bad || infer.cpu >= 50.0;
}
