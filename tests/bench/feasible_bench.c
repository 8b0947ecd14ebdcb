/* feasible_bench.c — the feasible-set DP (compiler/model/feasible.c) on a 3.7e13-architecture
 * space (tests/bench/feasible_space.nas) under `params <= LIMIT`, against rejection sampling:
 * per sampling (decisions, uniform) the DP's time and state count, the exact feasible count,
 * the DP's draws per second (a sample of them checked by building their graphs), and
 * rejection's: draws of the whole space, each built for its params, per second, and the
 * feasible architectures per second that gives. Prints "name value" lines.
 * Usage: feasible_bench STDLIB SPACE.nas [LIMIT (default 116000)] [seconds per measure (default 2)] */
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int64_t params_of(const ModelSpace *ms, const int32_t *arch)
{
    Arena a;
    arena_init(&a);
    ModelError me;
    Graph *g = model_instantiate(ms, arch, &a, &me);
    GraphStats st;
    GraphError ge;
    int64_t p = g && graph_stats(g, 1, 0, &st, &ge) == 0 ? st.params : -1;
    arena_free(&a);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: feasible_bench STDLIB SPACE.nas [LIMIT] [SECONDS]\n");
        return 2;
    }
    long long limit = argc > 3 ? atoll(argv[3]) : 116000;
    double seconds = argc > 4 ? atof(argv[4]) : 2;
    Compiled c;
    if (nas_compile(&c, argv[2], &(CompileOptions){.stdlib_dir = argv[1]}) != 0 || !c.space) {
        fprintf(stderr, "feasible_bench: %s does not compile\n", argv[2]);
        nas_compile_free(&c);
        return 1;
    }
    const Space *s = model_space(c.space);
    char size[64];
    bool cont;
    space_size(s, size, sizeof size, &cont);
    printf("space_architectures %s\n", size);
    FeasBound b = {.on = {true, false}, .hi = {limit, 0}};
    snprintf(b.text, sizeof b.text, "params <= %lld", limit);
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    int bad = 0;
    for (int how = 0; how < 2; how++) {
        const char *mode = how ? "uniform" : "decisions";
        FeasInfo info;
        Feasible *f = feasible_new(c.space, &b, how ? SPACE_SAMPLE_UNIFORM : SPACE_SAMPLE_DECISIONS, &info);
        if (!f) {
            printf("%s_not_known %s\n", mode, info.why);
            continue;
        }
        printf("%s_dp_seconds %.3f\n%s_dp_states %lld\n%s_feasible %s\n%s_rejection_accepts %.4g\n", mode, info.seconds,
               mode, (long long)info.states, mode, info.count, mode, info.fraction);
        SpaceRng r;
        space_rng_seed(&r, 1);
        long n = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < 256; i++) feasible_sample(f, &r, arch);
            n += 256;
        } while ((t = now() - t0) < seconds);
        double dp_rate = n / t;
        printf("%s_dp_draws_per_s %.0f\n", mode, dp_rate);
        for (int i = 0; i < 200; i++) { /* every draw feasible by construction: check some */
            feasible_sample(f, &r, arch);
            int64_t p = params_of(c.space, arch);
            bad += p < 0 || p > limit;
        }
        /* Rejection: the table's own draws, each built to know its params. */
        feasible_install(c.space, NULL);
        if (how) model_set_sampling(c.space, SPACE_SAMPLE_UNIFORM);
        long draws = 0, hits = 0;
        t0 = now();
        do {
            space_sample(s, &r, arch);
            int64_t p = params_of(c.space, arch);
            draws++;
            hits += p >= 0 && p <= limit;
        } while ((t = now() - t0) < seconds);
        printf("%s_rejection_draws_per_s %.0f\n%s_rejection_accepted %ld of %ld\n", mode, draws / t, mode, hits, draws);
        printf("%s_rejection_feasible_per_s %.2f (draws/s x the exact acceptance)\n", mode, draws / t * info.fraction);
        printf("%s_speedup %.0fx\n", mode, dp_rate / (draws / t * info.fraction));
        model_set_sampling(c.space, SPACE_SAMPLE_DECISIONS);
        feasible_free(f);
    }
    printf("dp_draws_checked_infeasible %d of 400\n", bad);
    free(arch);
    nas_compile_free(&c);
    return bad ? 1 : 0;
}
