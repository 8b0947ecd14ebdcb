/* rt_augment.c — the training-batch augmentation (runtime/train/augment.c): the same seed and
 * step give the same batch, another step another one; each transform's effect on a small
 * tensor: a flip reverses every row, a crop with padding moves the image by at most the
 * padding (zeros coming in), a cutout zeroes one clipped square in every channel. */
#include "augment.h"
#include "rt_check.h"
#include <stdlib.h>
#include <string.h>

enum { N = 4, C = 2, H = 6, W = 8, NF = C * H * W };

static void fill(float *x, int n)
{
    for (int i = 0; i < n; i++) x[i] = (float)(i % 97) + 1.0f; /* no zeros: zeros come from augmenting */
}

int main(void)
{
    float a[N * NF], b[N * NF], orig[N * NF], scratch[NF];
    TrainAugment all = {2, 0.5f, 3, 1.0f}, none = {0, 0, 0, 0};

    /* determinism */
    fill(a, N * NF);
    fill(b, N * NF);
    memcpy(orig, a, sizeof a);
    augment_batch(&all, a, N, C, H, W, 7, 11, scratch);
    augment_batch(&all, b, N, C, H, W, 7, 11, scratch);
    CHECK(memcmp(a, b, sizeof a) == 0, "same seed and step, different batches");
    CHECK(memcmp(a, orig, sizeof a) != 0, "augmentation changed nothing");
    fill(b, N * NF);
    augment_batch(&all, b, N, C, H, W, 7, 12, scratch);
    CHECK(memcmp(a, b, sizeof a) != 0, "another step gave the same batch");
    fill(b, N * NF);
    augment_batch(&all, b, N, C, H, W, 8, 11, scratch);
    CHECK(memcmp(a, b, sizeof a) != 0, "another seed gave the same batch");
    CHECK(!augment_active(&none) && augment_active(&all), "augment_active");

    /* flip with p = 1: every row reversed, nothing else */
    TrainAugment fl = {0, 1.0f, 0, 0};
    fill(a, N * NF);
    augment_batch(&fl, a, N, C, H, W, 1, 0, scratch);
    int bad = 0;
    for (int i = 0; i < N * C * H; i++)
        for (int x = 0; x < W; x++) bad += a[i * W + x] != orig[i * W + (W - 1 - x)];
    CHECK(bad == 0, "flip: %d values not mirrored", bad);

    /* crop with padding 2: a single bright pixel moves by at most 2 each way; over many steps
     * every offset of [-2, 2] appears in both directions */
    TrainAugment cr = {2, 0, 0, 0};
    int seen[5][5] = {{0}};
    for (int step = 0; step < 400; step++) {
        float img[NF] = {0};
        img[3 * W + 4] = 1.0f;         /* channel 0, row 3, column 4 */
        img[H * W + 3 * W + 4] = 2.0f; /* channel 1, the same place */
        augment_batch(&cr, img, 1, C, H, W, 3, step, scratch);
        int found = 0, fy = -1, fx = -1;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                if (img[y * W + x] != 0) {
                    found++;
                    fy = y;
                    fx = x;
                }
        CHECK(found == 1, "crop: %d bright pixels (step %d)", found, step);
        if (found != 1) break;
        CHECK(img[H * W + fy * W + fx] == 2.0f, "crop: the channels moved apart");
        int dy = 3 - fy, dx = 4 - fx; /* out[y][x] = in[y + dy][x + dx] */
        CHECK(dy >= -2 && dy <= 2 && dx >= -2 && dx <= 2, "crop: moved by (%d, %d)", dy, dx);
        if (dy >= -2 && dy <= 2 && dx >= -2 && dx <= 2) seen[dy + 2][dx + 2]++;
    }
    int offsets = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) offsets += seen[i][j] > 0;
    CHECK(offsets == 25, "crop: %d of the 25 offsets seen", offsets);

    /* cutout 3 x 3 with p = 1: one square of zeros, clipped at the borders, the same in every
     * channel; an unclipped one is exactly 9 values */
    TrainAugment cu = {0, 0, 3, 1.0f};
    int full = 0;
    for (int step = 0; step < 100; step++) {
        float img[NF];
        fill(img, NF);
        augment_batch(&cu, img, 1, C, H, W, 5, step, scratch);
        int zeros = 0, y0 = H, y1 = -1, x0 = W, x1 = -1, mismatch = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                bool z = img[y * W + x] == 0;
                mismatch += z != (img[H * W + y * W + x] == 0);
                if (!z) continue;
                zeros++;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
            }
        CHECK(zeros >= 1 && zeros <= 9, "cutout: %d zeros", zeros);
        CHECK(zeros == (y1 - y0 + 1) * (x1 - x0 + 1) && y1 - y0 < 3 && x1 - x0 < 3, "cutout: not one square");
        CHECK(mismatch == 0, "cutout: channels differ");
        full += zeros == 9;
    }
    CHECK(full > 0, "cutout: never a whole 3 x 3 square");
    return RT_DONE("rt_augment");
}
