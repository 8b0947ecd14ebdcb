/* parego.c — ParEGO's weight lattice and augmented Tchebycheff scalarisation (parego.h). */
#include "parego.h"
#include "controller.h"
#include <math.h>

int parego_divisions(int k) { return k == 2 ? 10 : k == 3 ? 4 : k == 1 ? 1 : 3; }

void parego_lambda(SpaceRng *r, int k, double *lambda)
{
    /* Stars and bars: a uniform (k - 1)-subset of the s + k - 1 positions are the bars
     * (selection sampling, Knuth's algorithm S), the stars between them the numerators. Every
     * composition of s into k parts is one subset, so every lattice vector is equally likely. */
    int s = parego_divisions(k), slots = s + k - 1, bars = k - 1, j = 0, stars = 0;
    for (int t = 0; t < slots; t++) {
        if (bars > 0 && (int)space_rng_below(r, (uint32_t)(slots - t)) < bars) {
            lambda[j++] = stars / (double)s;
            stars = 0;
            bars--;
        } else {
            stars++;
        }
    }
    lambda[j] = stars / (double)s;
}

void parego_scalarise(const double *obj, int n, int k, const double *lambda, double *f)
{
    double lo[CONTROLLER_MAX_OBJECTIVES], hi[CONTROLLER_MAX_OBJECTIVES];
    for (int j = 0; j < k; j++) {
        lo[j] = INFINITY, hi[j] = -INFINITY;
        for (int i = 0; i < n; i++) {
            lo[j] = fmin(lo[j], obj[(size_t)i * k + j]);
            hi[j] = fmax(hi[j], obj[(size_t)i * k + j]);
        }
    }
    for (int i = 0; i < n; i++) {
        double worst = 0, sum = 0;
        for (int j = 0; j < k; j++) {
            double c = hi[j] > lo[j] ? (hi[j] - obj[(size_t)i * k + j]) / (hi[j] - lo[j]) : 0; /* 1 - y */
            worst = fmax(worst, lambda[j] * c);
            sum += lambda[j] * c;
        }
        f[i] = -(worst + PAREGO_RHO * sum);
    }
}
