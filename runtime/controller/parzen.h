/* parzen.h — the Parzen estimators of TPE, one per decision and per group (good l, bad g),
 * as Optuna's TPESampler builds them (3.x, univariate, prior on, magic clip on, endpoints
 * off). Public so that the unit test can check them; only tpe.c uses them.
 *
 * Weights: observations come in trial order; with n of them each weighs 1 when n < 25, else
 * a ramp from 1/n up to 1 for the older n - 25 and 1 for the newest 25; the prior weighs
 * prior_weight. The mixture weights are these, normalised.
 *
 * Ownership: a fitted estimator owns its arrays; parzen_*_free releases them. */
#ifndef NAS_PARZEN_H
#define NAS_PARZEN_H
#include <stdbool.h>
#include <stdint.h>
#include "space.h"

/* Optuna's default_weights: w[0 .. n-1] for n observations in trial order. */
void parzen_weights(int n, double *w);

/* Categorical: every observation is a kernel with mass 1 on its value plus prior_weight /
 * (kernels) on every value, normalised; the prior kernel is uniform. p[v] sums to 1. */
typedef struct ParzenCat {
    int k;
    double *p;
    double *logp;
} ParzenCat;
/* obs[i] in 0 .. k-1 with weight w[i] (parzen_weights, or equal for a subset's members). */
bool parzen_cat_fit(ParzenCat *e, int k, const int32_t *obs, const double *w, int n, double prior_weight);
int32_t parzen_cat_sample(const ParzenCat *e, SpaceRng *r);
void parzen_cat_free(ParzenCat *e);

/* Numeric: a mixture of Gaussians truncated to [lo, hi], one at each observation and a prior
 * at the middle with sigma hi - lo. A kernel's sigma is the larger distance to its sorted
 * neighbours (the prior included), clipped to [(hi - lo) / min(100, 1 + n), hi - lo]. */
typedef struct ParzenNum {
    int n; /* kernels, the prior included */
    double lo, hi;
    double *mu, *sigma;
    double *w; /* mixture weight, per kernel (sums to 1) */
    double *c; /* w / the kernel's truncated mass on [lo, hi] */
} ParzenNum;
bool parzen_num_fit(ParzenNum *e, double lo, double hi, const double *obs, const double *w, int n, double prior_weight);
double parzen_num_log_pdf(const ParzenNum *e, double x);
/* log P(a <= X <= b), a < b, inside [lo, hi]. */
double parzen_num_log_mass(const ParzenNum *e, double a, double b);
double parzen_num_sample(const ParzenNum *e, SpaceRng *r);
/* P(a <= Z <= b) for a standard normal Z, precise in both tails. */
double parzen_normal_mass(double a, double b);
/* A draw from N(mu, sigma) truncated to [lo, hi] (mu inside, sigma <= hi - lo). */
double parzen_truncated_normal(SpaceRng *r, double mu, double sigma, double lo, double hi);
void parzen_num_free(ParzenNum *e);
#endif
