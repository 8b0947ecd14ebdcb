/* parzen.c — see parzen.h. */
#include "parzen.h"
#include "controller_impl.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FLAT = 25 };   /* Optuna: the newest 25 observations weigh fully */
#define MAX_Z    10.0 /* a kernel farther than this many sigmas adds nothing */
#define SQRT2    1.4142135623730951
#define SQRT_2PI 2.5066282746310002
#define TWO_PI   6.283185307179586

void parzen_weights(int n, double *w)
{
    if (n < FLAT) {
        for (int i = 0; i < n; i++) w[i] = 1;
        return;
    }
    int ramp = n - FLAT; /* np.linspace(1/n, 1, ramp) */
    for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
    for (int i = ramp; i < n; i++) w[i] = 1;
}

/* Mixture weights (w[0..n-1], prior) normalised into out[0..n]. */
static void mixture(const double *w, int n, double prior_weight, double *out)
{
    double sum = prior_weight;
    for (int i = 0; i < n; i++) sum += w[i];
    for (int i = 0; i < n; i++) out[i] = w[i] / sum;
    out[n] = prior_weight / sum;
}

/* An index drawn from weights p[0..n-1] summing to ~1 (the last one takes the rounding). */
static int draw_index(const double *p, int n, SpaceRng *r)
{
    double u = controller_uniform(r), acc = 0;
    for (int i = 0; i < n - 1; i++) {
        acc += p[i];
        if (u < acc) return i;
    }
    return n - 1;
}

bool parzen_cat_fit(ParzenCat *e, int k, const int32_t *obs, const double *w, int n, double prior_weight)
{
    e->k = k;
    e->p = calloc((size_t)k, sizeof *e->p);
    e->logp = calloc((size_t)k, sizeof *e->logp);
    double *mw = malloc(sizeof *mw * (size_t)(n + 1));
    if (!e->p || !e->logp || !mw) {
        free(mw);
        parzen_cat_free(e);
        return false;
    }
    mixture(w, n, prior_weight, mw);
    /* Kernel i: (prior_weight / kernels on every value + 1 on obs[i]) / (prior_weight * k /
     * kernels + 1); the prior kernel is uniform. */
    double flat = prior_weight / (n + 1), row = flat * k + 1;
    double base = mw[n] / k;
    for (int i = 0; i < n; i++) base += mw[i] * flat / row;
    for (int v = 0; v < k; v++) e->p[v] = base;
    for (int i = 0; i < n; i++) e->p[obs[i]] += mw[i] / row;
    for (int v = 0; v < k; v++) e->logp[v] = log(e->p[v]);
    free(mw);
    return true;
}

int32_t parzen_cat_sample(const ParzenCat *e, SpaceRng *r) { return draw_index(e->p, e->k, r); }

void parzen_cat_free(ParzenCat *e)
{
    free(e->p);
    free(e->logp);
    e->p = e->logp = NULL;
}

/* P(a <= Z <= b) for a standard normal Z, without cancellation in either tail. */
double parzen_normal_mass(double a, double b)
{
    if (a >= 0) return 0.5 * (erfc(a / SQRT2) - erfc(b / SQRT2));
    if (b <= 0) return 0.5 * (erfc(-b / SQRT2) - erfc(-a / SQRT2));
    return 1 - 0.5 * erfc(-a / SQRT2) - 0.5 * erfc(b / SQRT2);
}

typedef struct Sorted {
    double mu;
    int at;
} Sorted;

static int cmp_sorted(const void *a, const void *b)
{
    const Sorted *x = a, *y = b;
    if (x->mu != y->mu) return x->mu < y->mu ? -1 : 1;
    return x->at - y->at; /* ties in input order: deterministic */
}

bool parzen_num_fit(ParzenNum *e, double lo, double hi, const double *obs, const double *w, int n, double prior_weight)
{
    int m = n + 1; /* kernels: the observations, then the prior */
    memset(e, 0, sizeof *e);
    e->n = m;
    e->lo = lo;
    e->hi = hi;
    e->mu = malloc(sizeof *e->mu * (size_t)m);
    e->sigma = malloc(sizeof *e->sigma * (size_t)m);
    e->w = malloc(sizeof *e->w * (size_t)m);
    e->c = malloc(sizeof *e->c * (size_t)m);
    Sorted *s = malloc(sizeof *s * (size_t)m);
    if (!e->mu || !e->sigma || !e->w || !e->c || !s) {
        free(s);
        parzen_num_free(e);
        return false;
    }
    for (int i = 0; i < n; i++) e->mu[i] = obs[i];
    e->mu[n] = 0.5 * (lo + hi);
    for (int i = 0; i < m; i++) s[i] = (Sorted){e->mu[i], i};
    qsort(s, (size_t)m, sizeof *s, cmp_sorted);
    double range = hi - lo, minsigma = range / fmin(100.0, 1.0 + n);
    for (int j = 0; j < m; j++) {
        /* Distance to the sorted neighbours; the ends use their one neighbour (endpoints
         * off), a lone kernel the whole range. */
        double left = j > 0 ? s[j].mu - s[j - 1].mu : -1, right = j < m - 1 ? s[j + 1].mu - s[j].mu : -1;
        double sg = m == 1 ? range : fmax(left, right);
        e->sigma[s[j].at] = fmin(fmax(sg, minsigma), range);
    }
    e->sigma[n] = range;
    mixture(w, n, prior_weight, e->w);
    for (int i = 0; i < m; i++) {
        double a = (lo - e->mu[i]) / e->sigma[i], b = (hi - e->mu[i]) / e->sigma[i];
        e->c[i] = a < -MAX_Z && b > MAX_Z ? e->w[i] : e->w[i] / parzen_normal_mass(a, b);
    }
    free(s);
    return true;
}

/* The sums run in the linear domain: a kernel within MAX_Z sigmas contributes at least
 * w e^-50, far above underflow, and the prior kernel (sigma = hi - lo) is always within. */
double parzen_num_log_pdf(const ParzenNum *e, double x)
{
    double sum = 0;
    for (int i = 0; i < e->n; i++) {
        double z = (x - e->mu[i]) / e->sigma[i];
        if (fabs(z) <= MAX_Z) sum += e->c[i] / e->sigma[i] * exp(-0.5 * z * z);
    }
    return log(sum / SQRT_2PI);
}

double parzen_num_log_mass(const ParzenNum *e, double a, double b)
{
    double sum = 0;
    for (int i = 0; i < e->n; i++) {
        double za = (a - e->mu[i]) / e->sigma[i], zb = (b - e->mu[i]) / e->sigma[i];
        if (za <= MAX_Z && zb >= -MAX_Z) sum += e->c[i] * parzen_normal_mass(za, zb);
    }
    return log(sum);
}

/* A standard normal (Box-Muller, one of the pair). */
static double gaussian(SpaceRng *r)
{
    double u = 1 - controller_uniform(r), v = controller_uniform(r); /* u in (0, 1] */
    return sqrt(-2 * log(u)) * cos(TWO_PI * v);
}

double parzen_truncated_normal(SpaceRng *r, double mu, double sigma, double lo, double hi)
{
    /* Rejection: with the mean inside and sigma <= hi - lo, at least a third of the mass is. */
    for (;;) {
        double x = mu + sigma * gaussian(r);
        if (x >= lo && x <= hi) return x;
    }
}

double parzen_num_sample(const ParzenNum *e, SpaceRng *r)
{
    int i = draw_index(e->w, e->n, r);
    return parzen_truncated_normal(r, e->mu[i], e->sigma[i], e->lo, e->hi);
}

void parzen_num_free(ParzenNum *e)
{
    free(e->mu);
    free(e->sigma);
    free(e->w);
    free(e->c);
    e->mu = e->sigma = e->w = e->c = NULL;
}
