/* synthetic.c — seeded, learnable synthetic data for tests: class pattern + gaussian noise. */
#include "dataset.h"
#include "rng.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int data_synthetic_part(int64_t n, int c, int h, int w, int classes, float noise, uint64_t seed, int part, Dataset *out,
                        DataError *err)
{
    memset(out, 0, sizeof *out);
    int64_t nf = (int64_t)c * h * w;
    if (n <= 0 || nf <= 0 || classes < 2) {
        snprintf(err->msg, sizeof err->msg, "synthetic: bad sizes (n=%lld, features=%lld, classes=%d)", (long long)n,
                 (long long)nf, classes);
        return -1;
    }
    float *pat = malloc(sizeof(float) * (size_t)(nf * classes));
    out->x = malloc(sizeof(float) * (size_t)(n * nf));
    out->y = malloc(sizeof(int32_t) * (size_t)n);
    if (!pat || !out->x || !out->y) {
        free(pat);
        dataset_free(out);
        snprintf(err->msg, sizeof err->msg, "synthetic: out of memory");
        return -1;
    }
    out->n = n;
    out->c = c;
    out->h = h;
    out->w = w;
    out->classes = classes;
    snprintf(out->source, sizeof out->source, "synthetic data (seed %llu, part %d)", (unsigned long long)seed, part);
    Rng r;
    rng_seed(&r, seed);
    for (int64_t i = 0; i < nf * classes; i++) pat[i] = rng_normal(&r);
    /* part 0 goes on with the patterns' stream (what it always drew); another part from its own */
    if (part) rng_seed(&r, seed ^ (0x9e3779b97f4a7c15ull * (uint64_t)part));
    for (int64_t i = 0; i < n; i++) {
        int32_t k = (int32_t)rng_below(&r, (uint64_t)classes);
        out->y[i] = k;
        for (int64_t j = 0; j < nf; j++) out->x[i * nf + j] = pat[k * nf + j] + noise * rng_normal(&r);
    }
    free(pat);
    return 0;
}

int data_synthetic(int64_t n, int c, int h, int w, int classes, float noise, uint64_t seed, Dataset *out,
                   DataError *err)
{
    return data_synthetic_part(n, c, h, w, classes, noise, seed, 0, out, err);
}
