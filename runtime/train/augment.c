/* augment.c — random crop with padding, horizontal flip and cutout (augment.h). One Rng per
 * step, seeded from (seed, step): a step's batch is augmented the same way however many steps
 * ran before it (a resumed or repeated trial sees the same data). */
#include "augment.h"
#include "rng.h"
#include <string.h>

bool augment_active(const TrainAugment *a) { return a->crop_padding > 0 || a->flip_p > 0 || a->cutout_size > 0; }

/* x shifted by (dy, dx): out[y][x] = in[y + dy][x + dx], zero outside: the crop of the
 * zero-padded image at offset (pad + dy, pad + dx). */
static void shift(float *img, int c, int h, int w, int dy, int dx, float *tmp)
{
    memcpy(tmp, img, sizeof(float) * (size_t)c * h * w);
    for (int k = 0; k < c; k++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sy = y + dy, sx = x + dx;
                img[((size_t)k * h + y) * w + x] =
                    sy >= 0 && sy < h && sx >= 0 && sx < w ? tmp[((size_t)k * h + sy) * w + sx] : 0.0f;
            }
}

static void flip(float *img, int c, int h, int w)
{
    for (int k = 0; k < c; k++)
        for (int y = 0; y < h; y++) {
            float *row = img + ((size_t)k * h + y) * w;
            for (int x = 0; x < w / 2; x++) {
                float t = row[x];
                row[x] = row[w - 1 - x];
                row[w - 1 - x] = t;
            }
        }
}

/* A size x size square centred at (cy, cx), clipped at the borders (DeVries & Taylor). */
static void cutout(float *img, int c, int h, int w, int cy, int cx, int size)
{
    int y0 = cy - size / 2, x0 = cx - size / 2;
    for (int k = 0; k < c; k++)
        for (int y = y0 < 0 ? 0 : y0; y < y0 + size && y < h; y++)
            for (int x = x0 < 0 ? 0 : x0; x < x0 + size && x < w; x++) img[((size_t)k * h + y) * w + x] = 0.0f;
}

void augment_batch(const TrainAugment *a, float *x, int64_t n, int c, int h, int w, uint64_t seed, int64_t step,
                   float *scratch)
{
    Rng r;
    rng_seed(&r, seed * 0x9e3779b97f4a7c15ULL ^ (uint64_t)step * 0xbf58476d1ce4e5b9ULL ^ 0x6175676dULL);
    size_t nf = (size_t)c * h * w;
    for (int64_t i = 0; i < n; i++) {
        float *img = x + (size_t)i * nf;
        if (a->crop_padding > 0) {
            int span = 2 * a->crop_padding + 1;
            int dy = (int)rng_below(&r, (uint64_t)span) - a->crop_padding;
            int dx = (int)rng_below(&r, (uint64_t)span) - a->crop_padding;
            if (dy || dx) shift(img, c, h, w, dy, dx, scratch);
        }
        if (a->flip_p > 0 && rng_uniform(&r) < a->flip_p) flip(img, c, h, w);
        if (a->cutout_size > 0 && rng_uniform(&r) < a->cutout_p) {
            int cy = (int)rng_below(&r, (uint64_t)h), cx = (int)rng_below(&r, (uint64_t)w);
            cutout(img, c, h, w, cy, cx, a->cutout_size);
        }
    }
}
