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

/* Encoded architectures, decision-major so that the kernel of one architecture against many
 * runs down contiguous columns: row i of decision c at [c * stride + i]. code: the slot value
 * (-1 inactive) of the cat decisions, then of the subsets; bits: each subset's picks as a
 * bitset of ceil(n / 64) words (zero when inactive); u: the unit position of the ord ones
 * (ORD_INACTIVE when inactive). Decoding a subset's colex rank once per row, not once per
 * kernel value, is what keeps an ask cheap. */
typedef struct Enc {
    int32_t *code;
    uint64_t *bits;
    double *u;
    size_t stride;
} Enc;

struct Gp {
    const Space *space;
    int D, n, cap;
    int *kind;      /* D */
    int *slot;      /* D: the decision's index among those of its kind */
    int *ord, nord; /* the ord decisions */
    int *cat, ncat; /* the cat ones (subsets apart) */
    int *sub, nsub; /* the subsets */
    int *sub_word;  /* nsub + 1: subset i's bitset is words [sub_word[i], sub_word[i + 1]) */
    int *subset_k;  /* D */
    double **u_of;  /* D: the unit position of each value of a numeric choice list, else NULL */
    double *params; /* D + 2 logs */
    double *theta;  /* D: exp(params), set by factor */
    double *th_cat; /* 2D, set by factor: theta of the cat and subset decisions (0 for ord), */
    double *th_ord; /* then theta of the ord ones (0 for the rest); and 2D of gradient sums */
    double *acc;
    double *prior; /* D + 2: the defaults, the prior's centre */
    Enc train;     /* cap rows (stride cap): the training set */
    Enc two;       /* 2 rows: a candidate being predicted; gp_kernel's pair */
    double *ksum;  /* cap x 2: kern_rows's per-row sums (cat + subset, ord) */
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
    g->slot = calloc(D, sizeof *g->slot);
    g->sub_word = calloc(D + 1, sizeof *g->sub_word);
    bool ok = g->kind && g->subset_k && g->u_of && g->params && g->prior && g->theta && g->th_cat && g->ord && g->cat &&
              g->sub && g->slot && g->sub_word;
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
        if (g->kind[d] == KIND_ORD) g->slot[d] = g->nord, g->ord[g->nord++] = d;
        else if (g->kind[d] == KIND_SUBSET) {
            g->slot[d] = g->nsub;
            g->sub[g->nsub] = d;
            g->sub_word[g->nsub + 1] = g->sub_word[g->nsub] + (space_decision(s, d)->n + 63) / 64;
            g->nsub++;
        } else g->slot[d] = g->ncat, g->cat[g->ncat++] = d;
    }
    g->two.stride = 2;
    g->two.code = malloc(sizeof *g->two.code * 2 * (size_t)(g->ncat + g->nsub + 1));
    g->two.bits = malloc(sizeof *g->two.bits * 2 * (size_t)(g->sub_word[g->nsub] + 1));
    g->two.u = malloc(sizeof *g->two.u * 2 * (size_t)(g->nord + 1));
    if (!g->two.code || !g->two.bits || !g->two.u) {
        gp_free(g);
        return NULL;
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
    free(g->slot);
    free(g->sub_word);
    free(g->train.code);
    free(g->train.bits);
    free(g->train.u);
    free(g->two.code);
    free(g->two.bits);
    free(g->two.u);
    free(g->ksum);
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

/* Encodes architecture a as row i of e. */
static void encode(const Gp *g, const int32_t *a, const Enc *e, size_t i)
{
    size_t st = e->stride;
    for (int c = 0; c < g->ncat; c++) e->code[(size_t)c * st + i] = a[g->cat[c]]; /* the value, or -1 inactive */
    for (int c = 0; c < g->nsub; c++) {
        int d = g->sub[c], picks[SPACE_SUBSET_MAX_N];
        e->code[(size_t)(g->ncat + c) * st + i] = a[d];
        uint64_t *w = e->bits + (size_t)g->sub_word[c] * st + i;
        for (int j = 0; j < g->sub_word[c + 1] - g->sub_word[c]; j++) w[(size_t)j * st] = 0;
        if (a[d] == SPACE_INACTIVE) continue;
        int k = space_subset_picks(g->space, d, a[d], picks);
        for (int j = 0; j < k; j++) w[(size_t)(picks[j] / 64) * st] |= (uint64_t)1 << (picks[j] % 64);
    }
    for (int c = 0; c < g->nord; c++) {
        int d = g->ord[c];
        double *u = e->u + (size_t)c * st + i;
        if (a[d] == SPACE_INACTIVE) *u = ORD_INACTIVE;
        else if (g->u_of[d]) *u = g->u_of[d][a[d]];
        else {
            int32_t n = space_decision(g->space, d)->arity;
            *u = n > 1 ? (double)a[d] / (n - 1) : 0;
        }
    }
}

/* The delta of subset c between row i of a and row j of b: |A xor B| / 2k = the share of A's
 * k elements B lacks; 1 against an inactive slot, 0 for two inactive ones. */
static double subset_delta(const Gp *g, int c, const Enc *a, size_t i, const Enc *b, size_t j)
{
    int32_t va = a->code[(size_t)(g->ncat + c) * a->stride + i], vb = b->code[(size_t)(g->ncat + c) * b->stride + j];
    if (va < 0 || vb < 0 || va == vb) return va == vb ? 0 : 1;
    int k = g->subset_k[g->sub[c]], common = 0;
    for (int w = g->sub_word[c]; w < g->sub_word[c + 1]; w++)
        common += __builtin_popcountll(a->bits[(size_t)w * a->stride + i] & b->bits[(size_t)w * b->stride + j]);
    return (double)(k - common) / k;
}

/* The distance of decision d between training rows i and j: delta for cat and subset, the
 * squared difference for ord. */
static double dist1(const Gp *g, int d, size_t i, size_t j)
{
    const Enc *e = &g->train;
    size_t at = (size_t)g->slot[d] * e->stride;
    switch (g->kind[d]) {
    case KIND_ORD: return (e->u[at + i] - e->u[at + j]) * (e->u[at + i] - e->u[at + j]);
    case KIND_SUBSET: return subset_delta(g, g->slot[d], e, i, e, j);
    default: return e->code[at + i] != e->code[at + j];
    }
}

/* out[r] = sf2 exp(-s) m52(sqrt(r2)) between row x of xe and rows i0 .. i0 + n - 1 of e (the
 * hot loop of prediction and of K). A loop per decision down the rows: each row's sums add
 * the decisions in the same order (cat, subset, ord) as one kernel value at a time would,
 * so the values are the same to the bit, but the rows' sums are independent work. ks: 2n. */
static void kern_rows(const Gp *g, const Enc *xe, size_t x, const Enc *e, size_t i0, int n, double *ks, double *out)
{
    if (n <= 0) return; /* ks may be NULL then */
    double *s = ks, *r2 = ks + n;
    const double *th = g->theta;
    for (int r = 0; r < n; r++) s[r] = r2[r] = 0;
    for (int c = 0; c < g->ncat; c++) {
        int32_t v = xe->code[(size_t)c * xe->stride + x];
        const int32_t *col = e->code + (size_t)c * e->stride + i0;
        double t = th[g->cat[c]];
        for (int r = 0; r < n; r++) s[r] += v != col[r] ? t : 0;
    }
    for (int c = 0; c < g->nsub; c++) {
        double t = th[g->sub[c]];
        for (int r = 0; r < n; r++) s[r] += t * subset_delta(g, c, xe, x, e, i0 + (size_t)r);
    }
    for (int c = 0; c < g->nord; c++) {
        double v = xe->u[(size_t)c * xe->stride + x], t = th[g->ord[c]];
        const double *col = e->u + (size_t)c * e->stride + i0;
        for (int r = 0; r < n; r++) {
            double dx = v - col[r];
            r2[r] += t * dx * dx;
        }
    }
    for (int r = 0; r < n; r++) {
        double rr = sqrt(r2[r]);
        out[r] = exp(g->params[g->D] - s[r] - SQRT5 * rr) * (1 + SQRT5 * rr + 5.0 / 3.0 * r2[r]);
    }
}

double gp_kernel(Gp *g, const int32_t *a, const int32_t *b)
{
    for (int d = 0; d < g->D; d++) g->theta[d] = exp(g->params[d]);
    double ks[2], k;
    encode(g, a, &g->two, 0);
    encode(g, b, &g->two, 1);
    kern_rows(g, &g->two, 0, &g->two, 1, 1, ks, &k);
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
        bool ok = grow((void **)&g->train.code, sizeof *g->train.code * N * (size_t)(g->ncat + g->nsub)) &&
                  grow((void **)&g->train.bits, sizeof *g->train.bits * N * (size_t)g->sub_word[g->nsub]) &&
                  grow((void **)&g->train.u, sizeof *g->train.u * N * (size_t)g->nord) &&
                  grow((void **)&g->ksum, sizeof *g->ksum * N * 2) &&
                  grow((void **)&g->dist, sizeof *g->dist * (N * (N - 1) / 2 + 1) * D) &&
                  grow((void **)&g->y, sizeof *g->y * N) && grow((void **)&g->L, sizeof *g->L * N * N) &&
                  grow((void **)&g->alpha, sizeof *g->alpha * N) && grow((void **)&g->work, sizeof *g->work * N * N);
        if (!ok) return false;
        g->cap = n;
        g->train.stride = N;
    }
    g->n = n;
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) sum += y[i];
    g->ymean = n ? sum / n : 0;
    for (int i = 0; i < n; i++) sq += (y[i] - g->ymean) * (y[i] - g->ymean);
    g->ysd = n > 1 && sq > 0 ? sqrt(sq / (n - 1)) : 1;
    for (int i = 0; i < n; i++) {
        g->y[i] = (y[i] - g->ymean) / g->ysd;
        encode(g, archs + (size_t)i * (size_t)g->D, &g->train, (size_t)i);
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
            for (int d = 0; d < g->D; d++) p[d] = dist1(g, d, (size_t)i, (size_t)j);
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
    double sf2 = exp(g->params[g->D]), sn2 = exp(g->params[g->D + 1]);
    for (int d = 0; d < g->D; d++) {
        g->theta[d] = exp(g->params[d]);
        g->th_cat[d] = g->kind[d] == KIND_ORD ? 0 : g->theta[d];
        g->th_ord[d] = g->kind[d] == KIND_ORD ? g->theta[d] : 0;
    }
    for (g->jitter = 0;; g->jitter = g->jitter ? g->jitter * 10 : 1e-10 * sf2) {
        if (g->jitter > 1e-2 * sf2) return g->factored = false;
        for (int j = 0; j < n; j++) {
            double *col = g->L + (size_t)j * n; /* rows j + 1 .. n - 1 of column j: contiguous */
            col[j] = sf2 + sn2 + g->jitter;
            if (g->dist_valid)
                for (int i = j + 1; i < n; i++) col[i] = kern_pair(g, pair_dist(g, i, j));
            else kern_rows(g, &g->train, (size_t)j, &g->train, (size_t)j + 1, n - j - 1, g->ksum, col + j + 1);
            for (int i = j + 1; i < n; i++) g->L[(size_t)i * n + j] = col[i];
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
    size_t need = (size_t)m * (size_t)n + 1;
    double sf2 = exp(g->params[g->D]);
    if (need > g->scratch_n && grow((void **)&g->scratch, sizeof *g->scratch * need)) g->scratch_n = need;
    if (!g->factored || need > g->scratch_n) {
        for (int c = 0; c < m; c++) {
            mean[c] = g->ymean;
            sd[c] = g->ysd * sqrt(sf2);
        }
        return;
    }
    double *V = g->scratch;
    for (int c = 0; c < m; c++) {
        double *v = V + (size_t)c * (size_t)n, mu = 0;
        encode(g, archs + (size_t)c * (size_t)g->D, &g->two, 0);
        kern_rows(g, &g->two, 0, &g->train, 0, n, g->ksum, v);
        for (int i = 0; i < n; i++) mu += v[i] * g->alpha[i];
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
