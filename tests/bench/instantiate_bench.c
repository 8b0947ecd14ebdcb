/* instantiate_bench.c — from a .nas space to the graph of one architecture: lower once,
 * then sample architectures and time model_instantiate (the interpreter walk, every layer
 * call, shape inference and the loss), plus the whole-space static check.
 * usage: instantiate_bench STDLIB FILE.nas [N] */
#include "check.h"
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: instantiate_bench STDLIB FILE.nas [N]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 2000;
    Compiled comp;
    nas_compile(&comp, argv[2], &(CompileOptions){.stdlib_dir = argv[1]});
    ModelSpace *ms = comp.space;
    if (!ms) {
        diag_print(&comp.diag, stderr, DIAG_TEXT, false);
        return 1;
    }
    const Space *s = model_space(ms);
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    SpaceRng r;
    space_rng_seed(&r, 1);
    long ops = 0;
    double best = 1e9, t0 = now(), c0 = cpu();
    Arena g;
    for (int i = 0; i < n; i++) {
        space_sample(s, &r, arch);
        arena_init(&g);
        ModelError err;
        double t = now();
        Graph *gr = model_instantiate(ms, arch, &g, &err);
        t = now() - t;
        if (!gr) {
            fprintf(stderr, "instantiate: %s\n", err.msg);
            return 1;
        }
        ops += gr->nnodes;
        if (t < best) best = t;
        arena_free(&g);
    }
    double wall = now() - t0, c = cpu() - c0;
    printf("%s: %d architectures, %.1f ops on average\n", argv[2], n, (double)ops / n);
    printf("instantiate + shape inference: %.1f us per architecture (CPU), %.1f us wall, best %.1f us\n", c / n * 1e6,
           wall / n * 1e6, best * 1e6);
    CheckOptions co = check_defaults();
    co.samples = 0;
    co.exhaustive_limit = 0;
    CheckResult res;
    t0 = now();
    check_space(ms, &co, &res);
    printf("static whole-space check: %.1f ms, %lld evaluations, %s (space of 10^%.2f)\n", (now() - t0) * 1e3,
           (long long)res.static_runs, res.proven ? "proved" : "not proved", space_size_log10(s));
    free(arch);
    nas_compile_free(&comp);
    return 0;
}
