/* split.c — train/validation splits, normalisation, epoch shuffles and batches. */
#include "dataset.h"
#include "rng.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dataset_free(Dataset *d)
{
    free(d->x);
    free(d->y);
    d->x = NULL;
    d->y = NULL;
    d->n = 0;
}

void data_stats(const Dataset *d, const int32_t *idx, int64_t n, double *mean, double *std)
{
    int64_t nf = dataset_features(d);
    double s = 0, ss = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *row = d->x + (idx ? idx[i] : i) * nf;
        for (int64_t j = 0; j < nf; j++) {
            s += row[j];
            ss += (double)row[j] * row[j];
        }
    }
    double cnt = (double)n * nf, m = cnt > 0 ? s / cnt : 0;
    *mean = m;
    *std = cnt > 0 ? sqrt(fmax(ss / cnt - m * m, 0)) : 1;
}

void data_normalize(Dataset *d, float mean, float std)
{
    float inv = std > 0 ? 1.0f / std : 1.0f;
    int64_t total = d->n * dataset_features(d);
    for (int64_t i = 0; i < total; i++) d->x[i] = (d->x[i] - mean) * inv;
}

static uint64_t fnv1a(uint64_t h, const int32_t *a, int64_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    for (int64_t i = 0; i < n * 4; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static int split_alloc(int64_t n, Split *s, DataError *err)
{
    memset(s, 0, sizeof *s);
    s->train = malloc(sizeof(int32_t) * (size_t)(n > 0 ? n : 1));
    s->val = malloc(sizeof(int32_t) * (size_t)(n > 0 ? n : 1));
    if (s->train && s->val && n > 0 && n <= INT32_MAX) return 0;
    snprintf(err->msg, sizeof err->msg, "split: %s", n <= 0 ? "empty dataset" : "out of memory");
    data_split_free(s);
    return -1;
}

static void split_hash(Split *s)
{
    s->hash = fnv1a(fnv1a(0xcbf29ce484222325ull, s->train, s->ntrain), s->val, s->nval);
}

int data_split(int64_t n, double train_frac, uint64_t seed, Split *s, DataError *err)
{
    if (split_alloc(n, s, err)) return -1;
    int32_t *all = s->train;
    for (int64_t i = 0; i < n; i++) all[i] = (int32_t)i;
    Rng r;
    rng_seed(&r, seed);
    rng_shuffle(&r, all, n);
    s->ntrain = (int64_t)llround(train_frac * (double)n);
    if (s->ntrain > n) s->ntrain = n;
    s->nval = n - s->ntrain;
    memcpy(s->val, all + s->ntrain, sizeof(int32_t) * (size_t)s->nval);
    s->seed = seed;
    split_hash(s);
    return 0;
}

int data_split_all(int64_t n, Split *s, DataError *err)
{
    if (split_alloc(n, s, err)) return -1;
    for (int64_t i = 0; i < n; i++) s->train[i] = (int32_t)i;
    s->ntrain = n;
    split_hash(s);
    return 0;
}

void data_split_free(Split *s)
{
    free(s->train);
    free(s->val);
    s->train = s->val = NULL;
    s->ntrain = s->nval = 0;
}

void data_epoch_order(const int32_t *idx, int64_t n, uint64_t seed, int epoch, int32_t *order)
{
    memcpy(order, idx, sizeof(int32_t) * (size_t)n);
    Rng r;
    rng_seed(&r, seed * 0x9e3779b97f4a7c15ull + (uint64_t)epoch + 1);
    rng_shuffle(&r, order, n);
}

void data_batch(const Dataset *d, const int32_t *order, int64_t start, int64_t count, float *xbuf, int32_t *ybuf,
                const float **xp, const int32_t **yp)
{
    int64_t nf = dataset_features(d);
    if (!order) {
        *xp = d->x + start * nf;
        *yp = d->y + start;
        return;
    }
    for (int64_t i = 0; i < count; i++) {
        int64_t k = order[start + i];
        memcpy(xbuf + i * nf, d->x + k * nf, sizeof(float) * (size_t)nf);
        ybuf[i] = d->y[k];
    }
    *xp = xbuf;
    *yp = ybuf;
}
