/* rng.h — the runtime's seeded random numbers (splitmix64 seeding a xoshiro256**):
 * the same seed gives the same stream on every machine. */
#ifndef NAS_RNG_H
#define NAS_RNG_H
#include <stdint.h>

typedef struct Rng {
    uint64_t s[4];
} Rng;

void rng_seed(Rng *r, uint64_t seed);

/* xoshiro256** (Blackman and Vigna), inline: the architecture samplers draw in tight loops. */
static inline uint64_t rng__rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rng__rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng__rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n), n >= 1, from the high 32 bits of a draw: Lemire's multiply-shift with
 * rejection, unbiased, almost never divides (the space samplers' draw). */
static inline uint32_t rng_below32(Rng *r, uint32_t n)
{
    uint64_t m = (rng_next(r) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t t = (uint32_t)-n % n;
        while (low < t) {
            m = (rng_next(r) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double rng_uniform(Rng *r);                      /* [0, 1) */
float rng_normal(Rng *r);                        /* N(0, 1), Box-Muller */
uint64_t rng_below(Rng *r, uint64_t n);          /* uniform in [0, n), unbiased (modulo rejection) */
void rng_shuffle(Rng *r, int32_t *a, int64_t n); /* Fisher-Yates */
#endif
