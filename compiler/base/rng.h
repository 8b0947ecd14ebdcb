/* rng.h — the runtime's seeded random numbers (splitmix64 seeding a xoshiro256**):
 * the same seed gives the same stream on every machine. */
#ifndef NAS_RNG_H
#define NAS_RNG_H
#include <stdint.h>

typedef struct Rng { uint64_t s[4]; } Rng;

void     rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
double   rng_uniform(Rng *r);                /* [0, 1) */
float    rng_normal(Rng *r);                 /* N(0, 1), Box-Muller */
uint64_t rng_below(Rng *r, uint64_t n);      /* uniform in [0, n), unbiased */
void     rng_shuffle(Rng *r, int32_t *a, int64_t n);   /* Fisher-Yates */
#endif
