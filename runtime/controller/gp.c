/* gp.c — see gp.h. */
#include "gp.h"
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { KIND_CAT, KIND_SUBSET, KIND_ORD };
#define ORD_INACTIVE (-0.5)
#define PRIOR_SD     3.0
#define SQRT5        2.23606797749979

struct Gp {
    const Space *space;
    int D, n, cap;
    int *kind;      /* D */
    int *ord, nord; /* the ord decisions */
    int *cat, ncat; /* the cat ones (subsets apart) */
    int *sub, nsub; /* the subsets */
    int *subset_k;  /* D */
    double **u_of;  /* D: the unit position of each value of a numeric choice list, else NULL */
    double *params; /* D + 2 logs */
    double *theta;  /* D: exp(params), set by factor */
    double *th_cat; /* 2D, set by factor: theta of the cat and subset decisions (0 for ord), */
    double *th_ord; /* then theta of the ord ones (0 for the rest); and 2D of gradient sums */
    double *acc;
    double *prior; /* D + 2: the defaults, the prior's centre */
    double *enc;   /* cap x D */
    double *dist;  /* cap (cap - 1) / 2 x D: per pair (i > j), per decision */
    double *y;     /* cap, standardised */
    double ymean, ysd;
    double *L;       /* cap x cap column-major: K's Cholesky factor (lower) */
    double *alpha;   /* cap: K^-1 y */
    double *work;    /* cap x cap */
    double *scratch; /* gp_predict's */
    size_t scratch_n;
    double jitter;
    bool factored, dist_valid;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Gp *gp_new(const Space *s)
{
    Gp *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->space = s;
    g->D = space_count(s);
    size_t D = (size_t)(g->D ? g->D : 1);
    g->kind = calloc(D, sizeof *g->kind);
    g->subset_k = calloc(D, sizeof *g->subset_k);
    g->u_of = calloc(D, sizeof *g->u_of);
    g->params = calloc(D + 2, sizeof *g->params);
    g->prior = calloc(D + 2, sizeof *g->prior);
    g->theta = calloc(D, sizeof *g->theta);
    g->th_cat = calloc(4 * D, sizeof *g->th_cat);
    if (g->th_cat) {
        g->th_ord = g->th_cat + D;
        g->acc = g->th_cat + 2 * D;
    }
    g->ord = calloc(D, sizeof *g->ord);
    g->cat = calloc(D, sizeof *g->cat);
    g->sub = calloc(D, sizeof *g->sub);
    bool ok = g->kind && g->subset_k && g->u_of && g->params && g->prior && g->theta && g->th_cat && g->ord && g->cat &&
              g->sub;
    for (int d = 0; ok && d < g->D; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        if (sd->kind == SPACE_SUBSET) {
            g->kind[d] = KIND_SUBSET;
            g->subset_k[d] = sd->k;
        } else if (sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE) {
            g->kind[d] = KIND_ORD;
        } else if (sd->kind == SPACE_CATEGORICAL && sd->vtype != SPACE_VAL_LABEL && sd->arity > 1) {
            /* A numeric choice list is ordinal: each value at its rank among the values. */
            g->kind[d] = KIND_ORD;
            int n = sd->arity;
            double *v = malloc(sizeof *v * (size_t)n), *u = malloc(sizeof *u * (size_t)n);
            ok = v && u;
            if (ok) {
                for (int i = 0; i < n; i++) v[i] = space_value_float(s, d, i);
                qsort(v, (size_t)n, sizeof *v, cmp_double);
                for (int i = 0; i < n; i++) {
                    double x = space_value_float(s, d, i);
                    int r = 0;
                    while (r < n - 1 && v[r] < x) r++;
                    u[i] = (double)r / (n - 1);
                }
            }
            free(v);
            if (ok) g->u_of[d] = u;
            else free(u);
        } else {
            g->kind[d] = KIND_CAT;
        }
    }
    if (!ok) {
        gp_free(g);
        return NULL;
    }
    for (int d = 0; d < g->D; d++) {
        if (g->kind[d] == KIND_ORD) g->ord[g->nord++] = d;
        else if (g->kind[d] == KIND_SUBSET) g->sub[g->nsub++] = d;
        else g->cat[g->ncat++] = d;
    }
    gp_default_params(g);
    memcpy(g->prior, g->params, sizeof *g->params * (size_t)(g->D + 2));
    return g;
}

void gp_free(Gp *g)
{
    if (!g) return;
    if (g->u_of)
        for (int d = 0; d < g->D; d++) free(g->u_of[d]);
    free(g->u_of);
    free(g->kind);
    free(g->subset_k);
    free(g->params);
    free(g->prior);
    free(g->theta);
    free(g->th_cat);
    free(g->ord);
    free(g->cat);
    free(g->sub);
    free(g->enc);
    free(g->dist);
    free(g->y);
    free(g->L);
    free(g->alpha);
    free(g->work);
    free(g->scratch);
    free(g);
}

int gp_nparams(const Gp *g) { return g->D + 2; }
double *gp_params(Gp *g)
{
    g->factored = false;
    return g->params;
}

void gp_default_params(Gp *g)
{
    double D = g->D ? g->D : 1;
    for (int d = 0; d < g->D; d++) g->params[d] = log(g->kind[d] == KIND_ORD ? 4 / D : 1 / D);
    g->params[g->D] = 0;             /* sf2 = 1: the standardised rewards' variance */
    g->params[g->D + 1] = log(0.05); /* sn2 */
    g->factored = false;
}

static void encode(const Gp *g, const int32_t *a, double *e)
{
    for (int d = 0; d < g->D; d++) {
        if (g->kind[d] != KIND_ORD) e[d] = a[d]; /* the value, or -1 inactive */
        else if (a[d] == SPACE_INACTIVE) e[d] = ORD_INACTIVE;
        else if (g->u_of[d]) e[d] = g->u_of[d][a[d]];
        else {
            int32_t n = space_decision(g->space, d)->arity;
            e[d] = n > 1 ? (double)a[d] / (n - 1) : 0;
        }
    }
}

/* The elements two picks of subset d share (both sorted: a merge). */
static int subset_common(const Space *s, int d, int32_t a, int32_t b)
{
    int pa[SPACE_SUBSET_MAX_N], pb[SPACE_SUBSET_MAX_N], k = space_subset_picks(s, d, a, pa), common = 0;
    space_subset_picks(s, d, b, pb);
    for (int i = 0, j = 0; i < k && j < k;) {
        if (pa[i] == pb[j]) common++, i++, j++;
        else if (pa[i] < pb[j]) i++;
        else j++;
    }
    return common;
}

/* The distance of one decision: delta for cat and subset (|a xor b| / 2k = the share of a's k
 * elements b lacks), the squared difference for ord. */
static double dist1(const Gp *g, int d, double a, double b)
{
    switch (g->kind[d]) {
    case KIND_ORD: return (a - b) * (a - b);
    case KIND_SUBSET:
        if (a < 0 || b < 0 || a == b) return a == b ? 0 : 1;
        return (double)(g->subset_k[d] - subset_common(g->space, d, (int32_t)a, (int32_t)b)) / g->subset_k[d];
    default: return a != b;
    }
}

/* sf2 exp(-s) m52(r) from two encodings, a loop per kind (the hot loop of prediction and of K). */
static double kern_enc(const Gp *g, const double *a, const double *b)
{
    double s = 0, r2 = 0;
    const double *th = g->theta;
    for (int i = 0; i < g->ncat; i++) {
        int d = g->cat[i];
        s += a[d] != b[d] ? th[d] : 0;
    }
    for (int i = 0; i < g->nsub; i++) {
        int d = g->sub[i];
        s += th[d] * dist1(g, d, a[d], b[d]);
    }
    for (int i = 0; i < g->nord; i++) {
        int d = g->ord[i];
        double x = a[d] - b[d];
        r2 += th[d] * x * x;
    }
    double r = sqrt(r2);
    return exp(g->params[g->D] - s - SQRT5 * r) * (1 + SQRT5 * r + 5.0 / 3.0 * r2);
}

double gp_kernel(Gp *g, const int32_t *a, const int32_t *b)
{
    for (int d = 0; d < g->D; d++) g->theta[d] = exp(g->params[d]);
    size_t D = (size_t)(g->D ? g->D : 1);
    double *ea = malloc(sizeof *ea * D * 2);
    if (!ea) return 0;
    encode(g, a, ea);
    encode(g, b, ea + D);
    double k = kern_enc(g, ea, ea + D);
    free(ea);
    return k;
}

static bool grow(void **p, size_t size)
{
    void *q = realloc(*p, size ? size : 1);
    if (q) *p = q;
    return q != NULL;
}

bool gp_set_data(Gp *g, int n, const int32_t *archs, const double *y)
{
    g->factored = false;
    size_t D = (size_t)(g->D ? g->D : 1), N = (size_t)n;
    if (n > g->cap) {
        bool ok = grow((void **)&g->enc, sizeof *g->enc * N * D) &&
                  grow((void **)&g->dist, sizeof *g->dist * (N * (N - 1) / 2 + 1) * D) &&
                  grow((void **)&g->y, sizeof *g->y * N) && grow((void **)&g->L, sizeof *g->L * N * N) &&
                  grow((void **)&g->alpha, sizeof *g->alpha * N) && grow((void **)&g->work, sizeof *g->work * N * N);
        if (!ok) return false;
        g->cap = n;
    }
    g->n = n;
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) sum += y[i];
    g->ymean = n ? sum / n : 0;
    for (int i = 0; i < n; i++) sq += (y[i] - g->ymean) * (y[i] - g->ymean);
    g->ysd = n > 1 && sq > 0 ? sqrt(sq / (n - 1)) : 1;
    for (int i = 0; i < n; i++) {
        g->y[i] = (y[i] - g->ymean) / g->ysd;
        encode(g, archs + (size_t)i * (size_t)g->D, g->enc + (size_t)i * D);
    }
    g->dist_valid = false;
    return true;
}

/* The per-pair distances the gradient of the log ML needs (computed once per training set). */
static void fill_dist(Gp *g)
{
    size_t D = (size_t)(g->D ? g->D : 1);
    if (g->dist_valid) return;
    for (int i = 1; i < g->n; i++)
        for (int j = 0; j < i; j++) {
            double *p = g->dist + ((size_t)i * (size_t)(i - 1) / 2 + (size_t)j) * D;
            for (int d = 0; d < g->D; d++) p[d] = dist1(g, d, g->enc[(size_t)i * D + d], g->enc[(size_t)j * D + d]);
        }
    g->dist_valid = true;
}

static const double *pair_dist(const Gp *g, int i, int j)
{
    return g->dist + ((size_t)i * (size_t)(i - 1) / 2 + (size_t)j) * (size_t)(g->D ? g->D : 1);
}

/* The kernel of a training pair from its distances (after fill_dist): two dot products, the
 * cheap form of kern_enc for the fit, which factorises K at every step. */
static double kern_pair(const Gp *g, const double *dd)
{
    double s = 0, r2 = 0;
    for (int d = 0; d < g->D; d++) {
        s += g->th_cat[d] * dd[d];
        r2 += g->th_ord[d] * dd[d];
    }
    double r = sqrt(r2);
    return exp(g->params[g->D] - s - SQRT5 * r) * (1 + SQRT5 * r + 5.0 / 3.0 * r2);
}

/* K into L (lower), Cholesky by LAPACK, alpha = K^-1 y. The jitter grows tenfold from 1e-10
 * sf2 until K factorises. K's off-diagonal is kept in L's upper triangle too, which LAPACK's
 * lower-triangle routines never touch: the log ML's gradient reads it there instead of
 * computing every kernel value again. */
static bool factor(Gp *g)
{
    int n = g->n;
    size_t D = (size_t)(g->D ? g->D : 1);
    double sf2 = exp(g->params[g->D]), sn2 = exp(g->params[g->D + 1]);
    for (int d = 0; d < g->D; d++) {
        g->theta[d] = exp(g->params[d]);
        g->th_cat[d] = g->kind[d] == KIND_ORD ? 0 : g->theta[d];
        g->th_ord[d] = g->kind[d] == KIND_ORD ? g->theta[d] : 0;
    }
    for (g->jitter = 0;; g->jitter = g->jitter ? g->jitter * 10 : 1e-10 * sf2) {
        if (g->jitter > 1e-2 * sf2) return g->factored = false;
        for (int j = 0; j < n; j++) {
            g->L[(size_t)j * n + j] = sf2 + sn2 + g->jitter;
            for (int i = j + 1; i < n; i++)
                g->L[(size_t)j * n + i] = g->L[(size_t)i * n + j] =
                    g->dist_valid ? kern_pair(g, pair_dist(g, i, j))
                                  : kern_enc(g, g->enc + (size_t)i * D, g->enc + (size_t)j * D);
        }
        if (n == 0 || LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, g->L, n) == 0) break;
    }
    memcpy(g->alpha, g->y, sizeof *g->y * (size_t)n);
    if (n && LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', n, 1, g->L, n, g->alpha, n) != 0) return g->factored = false;
    return g->factored = true;
}

bool gp_factor(Gp *g) { return factor(g); }

double gp_log_ml(Gp *g, double *grad)
{
    int n = g->n, P = g->D + 2;
    if (grad) fill_dist(g); /* first: factor then builds K from the distances too */
    if (!factor(g)) return -INFINITY;
    double ml = -0.5 * n * log(2 * M_PI);
    for (int i = 0; i < n; i++) ml -= 0.5 * g->y[i] * g->alpha[i] + log(g->L[(size_t)i * n + i]);
    if (!grad) return ml;
    /* d ml / d p = 1/2 tr((alpha alpha^T - K^-1) dK/dp); K^-1 from the factor (dpotri), in
     * W's lower triangle; K itself in its upper one (factor). dK/d log theta_d is theta_d dist_d
     * times -k (cat, subset) or dm52 (ord): the sums over the pairs of coefficient x dist_d
     * (acc: the cat ones, then the ord ones), times theta_d at the end. */
    double *W = g->work;
    memcpy(W, g->L, sizeof *W * (size_t)n * (size_t)n);
    for (int j = 0; j < P; j++) grad[j] = 0;
    if (n == 0 || LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', n, W, n) != 0) return ml;
    double sn2 = exp(g->params[g->D + 1]), sf2 = exp(g->params[g->D]), *ac = g->acc, *ao = g->acc + g->D;
    for (int d = 0; d < 2 * g->D; d++) g->acc[d] = 0;
    for (int j = 0; j < n; j++) {
        double w = g->alpha[j] * g->alpha[j] - W[(size_t)j * n + j];
        grad[g->D] += 0.5 * w * sf2;
        grad[g->D + 1] += 0.5 * w * sn2;
        for (int i = j + 1; i < n; i++) {
            w = g->alpha[i] * g->alpha[j] - W[(size_t)j * n + i]; /* the pair counts twice: 1/2 * 2 */
            const double *dd = pair_dist(g, i, j);
            double k = W[(size_t)i * n + j], r2 = 0;
            grad[g->D] += w * k;
            for (int d = 0; d < g->D; d++) r2 += g->th_ord[d] * dd[d];
            /* dm52 = sf2 exp(-s) d m52 / d r^2 = k (-5/6) (1 + sqrt5 r) / (1 + sqrt5 r + 5/3 r^2) */
            double r = sqrt(r2), wo = w * k * (-5.0 / 6.0) * (1 + SQRT5 * r) / (1 + SQRT5 * r + 5.0 / 3.0 * r2);
            double wc = -w * k;
            for (int d = 0; d < g->D; d++) {
                ac[d] += wc * dd[d];
                ao[d] += wo * dd[d];
            }
        }
    }
    for (int d = 0; d < g->D; d++) grad[d] = g->theta[d] * (g->kind[d] == KIND_ORD ? ao[d] : ac[d]);
    return ml;
}

/* The boxes of the logs: theta in [1e-3, 1e2], sf2 in [0.05, 20], sn2 in [1e-6, 1]. */
static double clampp(const Gp *g, int j, double v)
{
    double lo = j < g->D ? log(1e-3) : j == g->D ? log(0.05) : log(1e-6);
    double hi = j < g->D ? log(1e2) : j == g->D ? log(20) : 0;
    return v < lo ? lo : v > hi ? hi : v;
}

static double objective(Gp *g, double *grad)
{
    double f = gp_log_ml(g, grad);
    for (int j = 0; j < g->D + 2; j++) {
        double z = (g->params[j] - g->prior[j]) / PRIOR_SD;
        f -= 0.5 * z * z;
        if (grad) grad[j] -= z / PRIOR_SD;
    }
    return f;
}

/* iRprop- from the current parameters; returns the best objective, its parameters in best. */
static double rprop(Gp *g, int iters, double *best, double *grad, double *prev, double *step)
{
    int P = g->D + 2;
    double fbest = -INFINITY;
    for (int j = 0; j < P; j++) {
        prev[j] = 0;
        step[j] = 0.1;
    }
    for (int it = 0; it < iters; it++) {
        double f = objective(g, grad);
        if (!isfinite(f)) break;
        if (f > fbest) {
            fbest = f;
            memcpy(best, g->params, sizeof *best * (size_t)P);
        }
        for (int j = 0; j < P; j++) {
            double s = grad[j] * prev[j];
            if (s > 0) step[j] = fmin(step[j] * 1.2, 1.0);
            else if (s < 0) {
                step[j] = fmax(step[j] * 0.5, 1e-3);
                grad[j] = 0; /* iRprop-: no move after a sign change */
            }
            prev[j] = grad[j];
            if (grad[j] != 0) g->params[j] = clampp(g, j, g->params[j] + (grad[j] > 0 ? step[j] : -step[j]));
        }
    }
    return fbest;
}

void gp_fit(Gp *g, SpaceRng *r, int restarts, int iters)
{
    int P = g->D + 2;
    double *buf = malloc(sizeof *buf * (size_t)P * 6);
    if (!buf) {
        factor(g);
        return;
    }
    double *start = buf, *best = buf + P, *cand = buf + 2 * P, *grad = buf + 3 * P, *prev = buf + 4 * P,
           *step = buf + 5 * P;
    memcpy(start, g->params, sizeof *start * (size_t)P);
    double fbest = -INFINITY;
    for (int k = 0; k < restarts; k++) {
        if (k == 0) memcpy(g->params, start, sizeof *start * (size_t)P); /* warm: the last fit */
        else if (k == 1) memcpy(g->params, g->prior, sizeof *start * (size_t)P);
        else
            for (int j = 0; j < P; j++) {
                double u = (double)(space_rng_next(r) >> 11) * 0x1.0p-53;
                g->params[j] = clampp(g, j, g->prior[j] + 4 * (u - 0.5));
            }
        double f = rprop(g, iters, cand, grad, prev, step);
        if (f > fbest) {
            fbest = f;
            memcpy(best, cand, sizeof *best * (size_t)P);
        }
    }
    if (isfinite(fbest)) memcpy(g->params, best, sizeof *best * (size_t)P);
    else memcpy(g->params, g->prior, sizeof *best * (size_t)P);
    free(buf);
    factor(g);
}

void gp_predict(Gp *g, int m, const int32_t *archs, double *mean, double *sd)
{
    int n = g->n;
    size_t D = (size_t)(g->D ? g->D : 1), need = (size_t)m * ((size_t)n + D + 1) + D;
    double sf2 = exp(g->params[g->D]);
    if (need > g->scratch_n && grow((void **)&g->scratch, sizeof *g->scratch * need)) g->scratch_n = need;
    if (!g->factored || need > g->scratch_n) {
        for (int c = 0; c < m; c++) {
            mean[c] = g->ymean;
            sd[c] = g->ysd * sqrt(sf2);
        }
        return;
    }
    double *V = g->scratch, *e = V + (size_t)m * (size_t)n;
    for (int c = 0; c < m; c++) {
        double *ec = e + (size_t)c * D, *v = V + (size_t)c * (size_t)n, mu = 0;
        encode(g, archs + (size_t)c * (size_t)g->D, ec);
        for (int i = 0; i < n; i++) {
            v[i] = kern_enc(g, ec, g->enc + (size_t)i * D);
            mu += v[i] * g->alpha[i];
        }
        mean[c] = g->ymean + g->ysd * mu;
    }
    /* v = L^-1 k for every candidate at once; var = sf2 - |v|^2. */
    bool solved = n && LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'L', 'N', 'N', n, m, g->L, n, V, n) == 0;
    for (int c = 0; c < m; c++) {
        double var = sf2;
        if (solved)
            for (int i = 0; i < n; i++) var -= V[(size_t)c * n + i] * V[(size_t)c * n + i];
        sd[c] = g->ysd * sqrt(fmax(var, 1e-12 * sf2));
    }
}

double gp_train_mean(const Gp *g, int i)
{
    /* K alpha = y, so Kf alpha = y - (sn2 + jitter) alpha. */
    if (!g->factored) return g->ymean;
    double noise = exp(g->params[g->D + 1]) + g->jitter;
    return g->ymean + g->ysd * (g->y[i] - noise * g->alpha[i]);
}

static double norm_pdf(double z) { return exp(-0.5 * z * z) / sqrt(2 * M_PI); }
static double norm_cdf(double z) { return 0.5 * erfc(-z / sqrt(2)); }

double gp_ei(double mean, double sd, double best)
{
    if (!(sd > 0)) return fmax(mean - best, 0);
    double z = (mean - best) / sd;
    return sd * (z * norm_cdf(z) + norm_pdf(z));
}

double gp_log_ei(double mean, double sd, double best)
{
    if (!(sd > 0)) return mean > best ? log(mean - best) : -INFINITY;
    double z = (mean - best) / sd;
    if (z > -6) return log(sd) + log(z * norm_cdf(z) + norm_pdf(z));
    return log(sd) - 0.5 * z * z - 0.5 * log(2 * M_PI) - 2 * log(-z); /* z Phi + phi ~ phi / z^2 */
}
