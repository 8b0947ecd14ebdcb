/* sample_bench.c — throughput of the Space IR on the peer benchmark's space (30 categorical
 * decisions of 4 or 5 values, 20^15 ~ 3.3e19 architectures): uniform sampling, sampling plus
 * the compact ID, Sobol, and mutation. Prints one "name per_second" line per measure.
 * Usage: sample_bench [seconds per measure, default 0.5] */
#include "space.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NDEC 30

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef enum Measure { M_SAMPLE, M_SAMPLE_ID, M_SOBOL, M_MUTATE } Measure;

/* Runs batches of the measure until `seconds` passed; returns operations per second.
 * *sink accumulates results so the compiler cannot drop the work. */
static double run(const Space *s, Measure m, double seconds, uint64_t *sink)
{
    SpaceRng r;
    space_rng_seed(&r, 7);
    SpaceSobol *q = m == M_SOBOL ? space_sobol_new(s, 7, NULL) : NULL;
    int32_t arch[NDEC];
    char id[64];
    space_sample(s, &r, arch);
    long done = 0;
    const int batch = 4096;
    double t0 = now(), t;
    do {
        for (int i = 0; i < batch; i++) {
            switch (m) {
            case M_SAMPLE: space_sample(s, &r, arch); break;
            case M_SAMPLE_ID:
                space_sample(s, &r, arch);
                space_arch_to_id(s, arch, id, sizeof id, NULL);
                *sink += (uint64_t)id[3];
                break;
            case M_SOBOL: space_sobol_next(q, arch); break;
            case M_MUTATE: space_mutate(s, &r, arch); break;
            }
            *sink += (uint64_t)arch[i % NDEC];
        }
        done += batch;
        t = now();
    } while (t - t0 < seconds);
    space_sobol_free(q);
    return (double)done / (t - t0);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 0.5;
    if (seconds <= 0 || seconds > 60) {
        fprintf(stderr, "sample_bench: seconds must be in (0, 60]\n");
        return 2;
    }
    Space *s = space_new();
    static const int64_t vals[5] = {1, 2, 3, 4, 5};
    for (int i = 0; i < NDEC; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        if (space_add_ints(s, name, (SpaceLoc){0}, i % 2 ? 5 : 4, vals) < 0) return 1;
    }
    char size[64];
    space_size(s, size, sizeof size, NULL);
    printf("space %d decisions size %s log10 %.2f\n", NDEC, size, space_size_log10(s));
    uint64_t sink = 0;
    static const char *const names[] = {"sample", "sample+id", "sobol", "mutate"};
    for (int m = M_SAMPLE; m <= M_MUTATE; m++) printf("%s %.0f\n", names[m], run(s, (Measure)m, seconds, &sink));
    printf("sink %llu\n", (unsigned long long)sink);
    space_free(s);
    return 0;
}
