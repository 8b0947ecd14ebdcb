/* nsga2.c — NSGA-II (Deb et al. 2002) over the decision table: the first `population` results
 * come from uniform samples; then each proposal is a child of two parents chosen by binary
 * tournaments on (front, crowding distance) in the population, by uniform crossover (with
 * probability `crossover`, else a copy of the first parent) and a one-decision mutation, the
 * space's own moves (space_mutate.c). Every `population` results told, the population becomes
 * the best `population` of itself and those children: whole fronts in order, the last one cut
 * by crowding distance (elitist selection). Objectives come oriented, larger is better
 * (controller_tell_objectives); a scalar tell is one objective. Failed and infeasible trials,
 * and results with a missing objective, never join. Ties are broken by the order of the
 * tells, so the same history gives the same proposals. */
#include "controller_impl.h"
#include "nsga2.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Nsga2 {
    Controller base;
    int cap;        /* population size */
    int k;          /* objectives; 0 until the first result */
    int32_t *archs; /* (2 cap) x nslots: the population, then the children told since */
    double *obj;    /* (2 cap) x k */
    int npop, noff; /* members now; children waiting for the next selection */
    int *rank;      /* of each member, from the last selection */
    double *crowd;  /* idem */
} Nsga2;

bool nsga2_dominates(const double *a, const double *b, int k)
{
    bool strictly = false;
    for (int j = 0; j < k; j++) {
        if (a[j] < b[j]) return false;
        if (a[j] > b[j]) strictly = true;
    }
    return strictly;
}

int nsga2_sort(const double *p, int n, int k, int *rank)
{
    /* Deb's fast sort: how many dominate each point, and whom each point dominates. */
    int *count = calloc((size_t)(n ? n : 1), sizeof *count), *front = malloc(sizeof *front * (size_t)(n ? n : 1));
    char *dom = malloc((size_t)n * (size_t)n + 1);
    if (!count || !front || !dom) {
        free(count);
        free(front);
        free(dom);
        return -1;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            dom[(size_t)i * n + j] = i != j && nsga2_dominates(p + (size_t)i * k, p + (size_t)j * k, k);
            if (dom[(size_t)i * n + j]) count[j]++;
        }
    int nf = 0, m = 0;
    for (int i = 0; i < n; i++)
        if (count[i] == 0) {
            rank[i] = 0;
            front[m++] = i;
        }
    for (int lo = 0; lo < m; nf++) {
        int hi = m;
        for (int a = lo; a < hi; a++)
            for (int j = 0; j < n; j++)
                if (dom[(size_t)front[a] * n + j] && --count[j] == 0) {
                    rank[j] = nf + 1;
                    front[m++] = j;
                }
        lo = hi;
    }
    free(count);
    free(front);
    free(dom);
    return nf;
}

/* qsort of indices by one objective (the context qsort lacks: a file-scope pointer, set just
 * before each sort; the controller is single-threaded). */
static const double *sort_pts;
static int sort_k, sort_j;

static int by_objective(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    double u = sort_pts[(size_t)x * sort_k + sort_j], v = sort_pts[(size_t)y * sort_k + sort_j];
    return u < v ? -1 : u > v ? 1 : (x > y) - (x < y);
}

void nsga2_crowding(const double *p, const int *idx, int m, int k, double *dist)
{
    int *order = malloc(sizeof *order * (size_t)(m ? m : 1)), *pos = malloc(sizeof *pos * (size_t)(m ? m : 1));
    for (int i = 0; i < m; i++) dist[i] = 0;
    if (!order || !pos || m <= 2) {
        for (int i = 0; i < m; i++) dist[i] = INFINITY;
        free(order);
        free(pos);
        return;
    }
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < m; i++) order[i] = idx[i];
        sort_pts = p, sort_k = k, sort_j = j;
        qsort(order, (size_t)m, sizeof *order, by_objective);
        /* where each sorted point sits in idx (and so in dist) */
        for (int a = 0; a < m; a++)
            for (int i = 0; i < m; i++)
                if (idx[i] == order[a]) pos[a] = i;
        double lo = p[(size_t)order[0] * k + j], hi = p[(size_t)order[m - 1] * k + j];
        dist[pos[0]] = dist[pos[m - 1]] = INFINITY;
        if (hi <= lo) continue;
        for (int a = 1; a < m - 1; a++)
            dist[pos[a]] += (p[(size_t)order[a + 1] * k + j] - p[(size_t)order[a - 1] * k + j]) / (hi - lo);
    }
    free(order);
    free(pos);
}

static int32_t *arch_at(Nsga2 *e, int i) { return e->archs + (size_t)i * (size_t)e->base.nslots; }

/* The better of members a and b: lower front, then larger crowding distance, then a. */
static int better(const Nsga2 *e, int a, int b)
{
    if (e->rank[a] != e->rank[b]) return e->rank[a] < e->rank[b] ? a : b;
    return e->crowd[b] > e->crowd[a] ? b : a;
}

static int tournament(Nsga2 *e)
{
    int a = (int)space_rng_below(&e->base.rng, (uint32_t)e->npop);
    int b = (int)space_rng_below(&e->base.rng, (uint32_t)e->npop);
    return better(e, a, b);
}

static int nsga2_ask(Controller *c, int32_t *arch)
{
    Nsga2 *e = (Nsga2 *)c;
    if (e->npop == 0) { /* the first population: uniform */
        space_sample(c->space, &c->rng, arch);
        return 0;
    }
    int a = tournament(e), b = tournament(e);
    if (controller_uniform(&c->rng) < c->params.crossover)
        space_crossover(c->space, &c->rng, arch_at(e, a), arch_at(e, b), arch);
    else memcpy(arch, arch_at(e, a), sizeof *arch * (size_t)c->nslots);
    (void)space_mutate(c->space, &c->rng, arch); /* no move in a one-architecture space */
    return 0;
}

typedef struct Ranked {
    int i, rank;
    double crowd;
} Ranked;

static int by_rank_crowd(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->rank != y->rank) return x->rank - y->rank;
    if (x->crowd != y->crowd) return x->crowd > y->crowd ? -1 : 1;
    return x->i - y->i;
}

/* The elitist step: of the population and the children, the best `cap` by front, then
 * crowding distance within the front. */
static void select_population(Nsga2 *e)
{
    int m = e->npop + e->noff, k = e->k, ns = e->base.nslots;
    int *rank = malloc(sizeof *rank * (size_t)m), *idx = calloc((size_t)m, sizeof *idx);
    double *dist = malloc(sizeof *dist * (size_t)m);
    Ranked *r = malloc(sizeof *r * (size_t)m);
    int32_t *archs = malloc(sizeof *archs * (size_t)e->cap * (size_t)(ns ? ns : 1));
    double *obj = malloc(sizeof *obj * (size_t)e->cap * (size_t)k);
    int nf = rank && idx && dist && r && archs && obj ? nsga2_sort(e->obj, m, k, rank) : -1;
    if (nf < 0) { /* out of memory: keep the population, drop the children */
        e->noff = 0;
        goto out;
    }
    for (int f = 0; f < nf; f++) {
        int n = 0;
        for (int i = 0; i < m; i++)
            if (rank[i] == f) idx[n++] = i;
        nsga2_crowding(e->obj, idx, n, k, dist);
        for (int a = 0; a < n; a++) r[idx[a]] = (Ranked){idx[a], f, dist[a]};
    }
    qsort(r, (size_t)m, sizeof *r, by_rank_crowd);
    int keep = m < e->cap ? m : e->cap;
    for (int a = 0; a < keep; a++) {
        memcpy(archs + (size_t)a * ns, arch_at(e, r[a].i), sizeof *archs * (size_t)ns);
        memcpy(obj + (size_t)a * k, e->obj + (size_t)r[a].i * k, sizeof *obj * (size_t)k);
        e->rank[a] = r[a].rank;
        e->crowd[a] = r[a].crowd;
    }
    memcpy(e->archs, archs, sizeof *archs * (size_t)keep * (size_t)ns);
    memcpy(e->obj, obj, sizeof *obj * (size_t)keep * (size_t)k);
    e->npop = keep;
    e->noff = 0;
out:
    free(rank);
    free(idx);
    free(dist);
    free(r);
    free(archs);
    free(obj);
}

static void nsga2_tell_objectives(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj,
                                  bool ok)
{
    Nsga2 *e = (Nsga2 *)c;
    (void)reward;
    if (!ok || nobj < 1 || nobj > CONTROLLER_MAX_OBJECTIVES) return;
    for (int j = 0; j < nobj; j++)
        if (!isfinite(obj[j])) return;
    if (e->k == 0) e->k = nobj;
    if (nobj != e->k) return; /* the reward declaration fixes k: not reached from a .nas file */
    int slot = e->npop + e->noff++;
    memcpy(arch_at(e, slot), arch, sizeof *arch * (size_t)c->nslots);
    memcpy(e->obj + (size_t)slot * e->k, obj, sizeof *obj * (size_t)e->k);
    if (e->noff >= e->cap) select_population(e);
}

static void nsga2_tell(Controller *c, const int32_t *arch, double reward, bool ok)
{
    nsga2_tell_objectives(c, arch, reward, &reward, 1, ok);
}

static void nsga2_free(Controller *c)
{
    Nsga2 *e = (Nsga2 *)c;
    free(e->archs);
    free(e->obj);
    free(e->rank);
    free(e->crowd);
    free(e);
}

static const ControllerOps nsga2_ops = {nsga2_ask, nsga2_tell, nsga2_free};

Controller *controller_nsga2_new(const Space *s, const ControllerParams *p, char *err, size_t n)
{
    if (p->nsga2_population < 2 || !(p->crossover >= 0 && p->crossover <= 1)) {
        snprintf(err, n, "nsga2: need population >= 2 and 0 <= crossover <= 1 (got population %d, crossover %g)",
                 p->nsga2_population, p->crossover);
        return NULL;
    }
    Nsga2 *e = (Nsga2 *)controller_alloc(sizeof *e, &nsga2_ops, s, p);
    if (!e) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    e->base.tell_objectives = nsga2_tell_objectives;
    e->cap = p->nsga2_population;
    size_t rows = 2 * (size_t)e->cap;
    e->archs = calloc(rows * (size_t)(e->base.nslots ? e->base.nslots : 1), sizeof *e->archs);
    e->obj = calloc(rows * CONTROLLER_MAX_OBJECTIVES, sizeof *e->obj);
    e->rank = calloc((size_t)e->cap, sizeof *e->rank);
    e->crowd = calloc((size_t)e->cap, sizeof *e->crowd);
    if (!e->archs || !e->obj || !e->rank || !e->crowd) {
        nsga2_free(&e->base);
        snprintf(err, n, "out of memory");
        return NULL;
    }
    return &e->base;
}
