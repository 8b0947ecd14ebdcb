/* augment.h — data augmentation of a training batch, on the host before the step: random
 * crop with zero padding, horizontal flip and cutout (random erasing of a square), in that
 * order. Deterministic: the draws come from (seed, step), so the same seed gives the same
 * augmented batches, whatever ran before. Validation and latency never see it. */
#ifndef NAS_AUGMENT_H
#define NAS_AUGMENT_H
#include <stdbool.h>
#include <stdint.h>

typedef struct TrainAugment {
    int crop_padding; /* > 0: pad by this many zeros, crop back at a random offset */
    float flip_p;     /* probability of a left-right flip (0: none) */
    int cutout_size;  /* > 0: zero a size x size square at a random centre ... */
    float cutout_p;   /* ... with this probability */
} TrainAugment;

bool augment_active(const TrainAugment *a);
/* Augments n examples of shape [c, h, w] in x (row-major, in place) for one training step.
 * scratch holds at least c * h * w floats. */
void augment_batch(const TrainAugment *a, float *x, int64_t n, int c, int h, int w, uint64_t seed, int64_t step,
                   float *scratch);
#endif
