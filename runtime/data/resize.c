/* resize.c — images scaled down to a proxy's resolution (docs/nasrun.md, Proxy-task design),
 * deterministically: the same data in, the same examples out, on every run and host. */
#include "dataset.h"
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One channel plane, H x W -> h x w, by the mean of each fy x fx block (integer factors). */
static void area(const float *in, int H, int W, float *out, int h, int w)
{
    int fy = H / h, fx = W / w;
    float inv = 1.0f / (float)(fy * fx);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float s = 0;
            for (int i = 0; i < fy; i++)
                for (int j = 0; j < fx; j++) s += in[(y * fy + i) * W + x * fx + j];
            out[y * w + x] = s * inv;
        }
}

/* The source coordinate of output pixel k (pixel centres aligned, clamped at the first pixel),
 * as the lower neighbour *i0, the upper *i1 and the upper's weight *t. */
static void source(int k, int n_in, int n_out, int *i0, int *i1, float *t)
{
    double s = ((double)k + 0.5) * (double)n_in / (double)n_out - 0.5;
    if (s < 0) s = 0;
    *i0 = (int)floor(s);
    if (*i0 > n_in - 1) *i0 = n_in - 1;
    *i1 = *i0 + 1 < n_in ? *i0 + 1 : n_in - 1;
    *t = (float)(s - *i0);
}

/* One channel plane by bilinear interpolation (any factor). */
static void bilinear(const float *in, int H, int W, float *out, int h, int w)
{
    for (int y = 0; y < h; y++) {
        int y0, y1;
        float ty;
        source(y, H, h, &y0, &y1, &ty);
        for (int x = 0; x < w; x++) {
            int x0, x1;
            float tx;
            source(x, W, w, &x0, &x1, &tx);
            float top = in[y0 * W + x0] * (1 - tx) + in[y0 * W + x1] * tx;
            float bottom = in[y1 * W + x0] * (1 - tx) + in[y1 * W + x1] * tx;
            out[y * w + x] = top * (1 - ty) + bottom * ty;
        }
    }
}

int data_resize(const Dataset *in, int h, int w, Dataset *out, DataError *err)
{
    memset(out, 0, sizeof *out);
    if (h < 1 || w < 1 || h > in->h || w > in->w) {
        snprintf(err->msg, sizeof err->msg, "%.400s: cannot resize %dx%d images to %dx%d (only down)", in->source,
                 in->h, in->w, h, w);
        return -1;
    }
    int64_t nf = (int64_t)in->c * h * w, planes = in->n * in->c;
    out->x = malloc(sizeof(float) * (size_t)(in->n * nf > 0 ? in->n * nf : 1));
    out->y = malloc(sizeof(int32_t) * (size_t)(in->n > 0 ? in->n : 1));
    if (!out->x || !out->y) {
        dataset_free(out);
        snprintf(err->msg, sizeof err->msg, "%.400s: out of memory resizing to %dx%d", in->source, h, w);
        return -1;
    }
    bool whole = in->h % h == 0 && in->w % w == 0;
    for (int64_t p = 0; p < planes; p++) {
        const float *src = in->x + p * in->h * in->w;
        float *dst = out->x + p * h * w;
        if (whole) area(src, in->h, in->w, dst, h, w);
        else bilinear(src, in->h, in->w, dst, h, w);
    }
    memcpy(out->y, in->y, sizeof(int32_t) * (size_t)in->n);
    out->n = in->n;
    out->c = in->c;
    out->h = h;
    out->w = w;
    out->classes = in->classes;
    snprintf(out->source, sizeof out->source, "%.480s at %dx%d", in->source, h, w);
    return 0;
}
