/* tpe_joint.c — multivariate TPE (Optuna's multivariate = True; Falkner et al. 2018): l and
 * g are mixtures of kernels over whole architectures, one per result of the group plus a
 * prior, each kernel a product over the decisions. A candidate is drawn from one kernel of l
 * (so it stays near one good result in every decision at once, which keeps interactions
 * between decisions that the univariate form loses) and scored by log l - log g.
 *
 * Per decision of a result's kernel: categorical, bool and subset (over its C(n, k) picks)
 * put (f + 1) / (f k + 1) on the result's value and f / (f k + 1) elsewhere, f = prior weight
 * / kernels, as the univariate estimator; a range is a Gaussian on the grid index truncated
 * to [-0.5, arity - 0.5], sigma = 0.2 n^(-1 / (decisions + 4)) x range (Optuna's), clipped to
 * [range / min(100, n + 1), range], and its density at the index scores it. A decision the
 * result did not have, and every decision of the prior kernel, takes the prior: uniform, or
 * for a range a Gaussian at the middle with sigma = range. Weights as the univariate form
 * (parzen_weights), the prior weighing 1; the in-flight proposals join g (constant liar). */
#include "tpe_int.h"
#include "controller_impl.h"
#include "parzen.h"
#include <math.h>
#include <stdlib.h>

#define SIGMA0   0.2
#define SQRT_2PI 2.5066282746310002

typedef struct Group {
    int n;                                 /* result kernels; the prior is kernel n */
    const int32_t **obs;                   /* n */
    double *logw;                          /* n + 1 mixture weights, log */
    double *w;                             /* n + 1 */
    double *sigma;                         /* per decision (ranges) */
    double *log_hit, *log_miss, *log_flat; /* per decision: value kernel, and 1/k */
    double *lognorm;                       /* n x nslots: log(sigma sqrt(2 pi) Z) of a result's range kernel */
} Group;

struct TpeJoint {
    const TpeHistory *h;
    int nslots;
    Group l, g;
    double *prior_lognorm; /* per range decision: log(range sqrt(2 pi) Z) of the prior */
    int32_t *cand;         /* nslots: the candidate being scored */
};

static void group_free(Group *g)
{
    free(g->obs);
    free(g->logw);
    free(g->w);
    free(g->sigma);
    free(g->log_hit);
    free(g->log_miss);
    free(g->log_flat);
    free(g->lognorm);
}

/* The truncation of each result's range kernels, once per ask rather than per candidate. */
static bool group_norms(Group *g, const Space *s, int nslots)
{
    g->lognorm = malloc(sizeof *g->lognorm * (size_t)(g->n ? g->n : 1) * (size_t)(nslots ? nslots : 1));
    if (!g->lognorm) return false;
    for (int d = 0; d < nslots; d++) {
        const SpaceDecision *sd = space_decision(s, d);
        if (!tpe_is_range(sd)) continue;
        double sg = g->sigma[d];
        for (int i = 0; i < g->n; i++) {
            int32_t mu = g->obs[i][d];
            if (mu == SPACE_INACTIVE) continue;
            double mass = parzen_normal_mass((-0.5 - mu) / sg, (sd->arity - 0.5 - mu) / sg);
            g->lognorm[(size_t)i * (size_t)nslots + (size_t)d] = log(sg * SQRT_2PI * mass);
        }
    }
    return true;
}

static bool group_init(Group *g, const TpeHistory *h, int n, int nslots)
{
    g->n = n;
    g->obs = malloc(sizeof *g->obs * (size_t)(n ? n : 1));
    g->logw = malloc(sizeof *g->logw * (size_t)(n + 1));
    g->w = malloc(sizeof *g->w * (size_t)(n + 1));
    size_t ns = (size_t)(nslots ? nslots : 1);
    g->sigma = malloc(sizeof *g->sigma * ns);
    g->log_hit = malloc(sizeof *g->log_hit * ns);
    g->log_miss = malloc(sizeof *g->log_miss * ns);
    g->log_flat = malloc(sizeof *g->log_flat * ns);
    if (!g->obs || !g->logw || !g->w || !g->sigma || !g->log_hit || !g->log_miss || !g->log_flat) return false;
    parzen_weights(n, g->w);
    double sum = PRIOR_WEIGHT;
    for (int i = 0; i < n; i++) sum += g->w[i];
    g->w[n] = PRIOR_WEIGHT;
    for (int i = 0; i <= n; i++) {
        g->w[i] /= sum;
        g->logw[i] = log(g->w[i]);
    }
    double f = PRIOR_WEIGHT / (n + 1);
    for (int d = 0; d < nslots; d++) {
        const SpaceDecision *sd = space_decision(h->space, d);
        double k = sd->arity, range = sd->arity;
        g->log_hit[d] = log((f + 1) / (f * k + 1));
        g->log_miss[d] = log(f / (f * k + 1));
        g->log_flat[d] = -log(k);
        double sg = SIGMA0 * pow(n > 0 ? n : 1, -1.0 / (nslots + 4)) * range;
        g->sigma[d] = fmin(fmax(sg, range / fmin(100.0, n + 1.0)), range);
    }
    return true;
}

TpeJoint *tpe_joint_new(const TpeHistory *h)
{
    TpeJoint *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->h = h;
    j->nslots = space_count(h->space);
    int n = h->good->n + h->flight->n, nbelow = tpe_gamma(n);
    if (nbelow > h->good->n) nbelow = h->good->n;
    j->prior_lognorm = malloc(sizeof *j->prior_lognorm * (size_t)(j->nslots ? j->nslots : 1));
    bool ok =
        j->prior_lognorm && group_init(&j->l, h, nbelow, j->nslots) && group_init(&j->g, h, n - nbelow, j->nslots);
    if (!ok) {
        tpe_joint_free(j);
        return NULL;
    }
    /* l: the best nbelow, g: the rest then the in-flight ones, each in trial order. */
    bool *below = calloc((size_t)(h->good->n ? h->good->n : 1), sizeof *below);
    if (!below) {
        tpe_joint_free(j);
        return NULL;
    }
    for (int r = 0; r < nbelow; r++) below[h->order[r].at] = true;
    int nl = 0, ng = 0;
    for (int i = 0; i < h->good->n; i++) {
        if (below[i]) j->l.obs[nl++] = arch_list_at(h->good, i);
        else j->g.obs[ng++] = arch_list_at(h->good, i);
    }
    for (int i = 0; i < h->flight->n; i++) j->g.obs[ng++] = arch_list_at(h->flight, i);
    free(below);
    j->cand = malloc(sizeof *j->cand * (size_t)(j->nslots ? j->nslots : 1));
    if (!j->cand || !group_norms(&j->l, h->space, j->nslots) || !group_norms(&j->g, h->space, j->nslots)) {
        tpe_joint_free(j);
        return NULL;
    }
    for (int d = 0; d < j->nslots; d++) {
        const SpaceDecision *sd = space_decision(h->space, d);
        double range = sd->arity;
        j->prior_lognorm[d] = log(range * SQRT_2PI * parzen_normal_mass(-0.5, 0.5));
    }
    return j;
}

static double log_score(const TpeJoint *j, const Group *g, const int32_t *x)
{
    const Space *s = j->h->space;
    double m = -INFINITY, sum = 0;
    for (int i = 0; i <= g->n; i++) {
        const int32_t *o = i < g->n ? g->obs[i] : NULL;
        double t = g->logw[i];
        for (int d = 0; d < j->nslots; d++) {
            if (x[d] == SPACE_INACTIVE) continue;
            const SpaceDecision *sd = space_decision(s, d);
            bool prior = !o || o[d] == SPACE_INACTIVE;
            if (tpe_is_range(sd))
                t += prior ? -0.5 * pow((x[d] - (sd->arity - 1) / 2.0) / sd->arity, 2) - j->prior_lognorm[d]
                           : -0.5 * pow((x[d] - o[d]) / g->sigma[d], 2) -
                                 g->lognorm[(size_t)i * (size_t)j->nslots + (size_t)d];
            else t += prior ? g->log_flat[d] : x[d] == o[d] ? g->log_hit[d] : g->log_miss[d];
        }
        if (t > m) {
            sum = sum * exp(m - t) + 1;
            m = t;
        } else sum += exp(t - m);
    }
    return m + log(sum);
}

static void sample(const TpeJoint *j, SpaceRng *r, int32_t *arch)
{
    const Space *s = j->h->space;
    const Group *l = &j->l;
    double u = controller_uniform(r), acc = 0;
    int i = l->n;
    for (int k = 0; k < l->n; k++) {
        acc += l->w[k];
        if (u < acc) {
            i = k;
            break;
        }
    }
    const int32_t *o = i < l->n ? l->obs[i] : NULL;
    double f = PRIOR_WEIGHT / (l->n + 1);
    for (int d = 0; d < j->nslots; d++) {
        arch[d] = SPACE_INACTIVE;
        if (!space_is_active(s, arch, d)) continue;
        const SpaceDecision *sd = space_decision(s, d);
        bool prior = !o || o[d] == SPACE_INACTIVE;
        if (tpe_is_range(sd)) {
            double mu = prior ? (sd->arity - 1) / 2.0 : o[d], sg = prior ? sd->arity : l->sigma[d];
            int32_t v = (int32_t)lround(parzen_truncated_normal(r, mu, sg, -0.5, sd->arity - 0.5));
            arch[d] = v < 0 ? 0 : v >= sd->arity ? sd->arity - 1 : v;
        } else if (!prior && controller_uniform(r) < 1 / (f * sd->arity + 1)) {
            arch[d] = o[d]; /* the kernel's own value, else uniform below */
        } else {
            arch[d] = controller_draw(s, r, d);
        }
    }
}

void tpe_joint_draw(TpeJoint *j, SpaceRng *r, int32_t *arch)
{
    int32_t *cand = j->cand;
    double best = -INFINITY;
    bool any = false; /* a candidate within the hard constraints (space_feasible) is kept */
    for (int c = 0; c < j->h->candidates; c++) {
        sample(j, r, cand);
        bool ok = space_feasible(j->h->space, cand);
        if (!ok && any) continue; /* a feasible candidate beats every infeasible one */
        double sc = log_score(j, &j->l, cand) - log_score(j, &j->g, cand);
        if (c == 0 || (ok && !any) || sc > best) {
            best = sc;
            any = ok;
            for (int d = 0; d < j->nslots; d++) arch[d] = cand[d];
        }
    }
}

double tpe_joint_log_density(const TpeJoint *j, bool good, const int32_t *arch)
{
    return log_score(j, good ? &j->l : &j->g, arch);
}

void tpe_joint_free(TpeJoint *j)
{
    if (!j) return;
    group_free(&j->l);
    group_free(&j->g);
    free(j->prior_lognorm);
    free(j->cand);
    free(j);
}
