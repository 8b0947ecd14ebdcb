/* reward.c — scalar rewards, hard constraints, Pareto fronts and hypervolume (see reward.h). */
#include "reward.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reward_metrics_init(RewardMetrics *m)
{
    memset(m, 0, sizeof *m);
    m->accuracy = m->loss = m->latency = m->memory = m->params = m->flops = NAN;
}

double reward_metric(const RewardMetrics *m, NasMetricRef ref)
{
    switch (ref.metric) {
    case NAS_METRIC_ACCURACY: return m->accuracy;
    case NAS_METRIC_LOSS: return m->loss;
    case NAS_METRIC_LATENCY: return m->latency;
    case NAS_METRIC_MEMORY: return m->memory;
    case NAS_METRIC_PARAMS: return m->params;
    case NAS_METRIC_FLOPS: return m->flops;
    case NAS_METRIC_EXTERNAL:
        for (int i = 0; i < m->nexternal; i++)
            if (ref.name && strcmp(m->external_name[i], ref.name) == 0) return m->external[i];
        return NAN;
    }
    return NAN;
}

const char *reward_metric_name(NasMetricRef ref)
{
    static const char *names[] = {"accuracy", "loss", "latency", "memory", "params", "flops"};
    if (ref.name) return ref.name;
    return (unsigned)ref.metric < sizeof names / sizeof *names ? names[ref.metric] : "?";
}

static void hard_failed(const NasConstraint *c, double x, char *why, size_t size)
{
    snprintf(why, size, "hard constraint failed: %s = %g, limit %g", reward_metric_name(c->metric), x, c->target);
}

bool reward_hard_holds(const NasReward *r, const RewardMetrics *m, char *why, size_t size)
{
    for (int i = 0; r && i < r->nconstraints; i++) {
        const NasConstraint *c = &r->constraints[i];
        double x = reward_metric(m, c->metric);
        if (c->hard && !isnan(x) && !config_compare(x, c->cmp, c->target)) {
            hard_failed(c, x, why, size);
            return false;
        }
    }
    return true;
}

void reward_compute(const NasReward *r, const RewardMetrics *m, RewardResult *out)
{
    memset(out, 0, sizeof *out);
    out->feasible = true;
    if (!r || r->nobjectives == 0) {
        out->nobjectives = 1;
        out->objectives[0] = m->accuracy;
        out->reward = m->accuracy;
        if (isnan(m->accuracy)) snprintf(out->why, sizeof out->why, "no accuracy was measured");
        return;
    }
    out->nobjectives = r->nobjectives < REWARD_MAX_OBJECTIVES ? r->nobjectives : REWARD_MAX_OBJECTIVES;
    for (int i = 0; i < out->nobjectives; i++) {
        out->objectives[i] = reward_metric(m, r->objectives[i].metric);
        if (isnan(out->objectives[i]) && !out->why[0])
            snprintf(out->why, sizeof out->why, "metric %s was not reported",
                     reward_metric_name(r->objectives[i].metric));
    }
    /* The controller climbs the first objective: negated when it is minimized. */
    double v = out->objectives[0];
    if (!r->objectives[0].maximize) v = -v;
    for (int i = 0; i < r->nconstraints; i++) {
        const NasConstraint *c = &r->constraints[i];
        double x = reward_metric(m, c->metric);
        if (isnan(x)) {
            if (!out->why[0])
                snprintf(out->why, sizeof out->why, "metric %s was not reported", reward_metric_name(c->metric));
            v = NAN;
            continue;
        }
        if (c->soft && c->target > 0 && x > 0) {
            /* MNasNet: reward = acc * (metric / target)^w, w < 0 penalises a metric above target
             * and rewards one below it (the paper's soft form with alpha = beta = w). */
            v *= pow(x / c->target, c->weight);
        } else if (c->hard && !config_compare(x, c->cmp, c->target)) {
            if (!out->why[0]) hard_failed(c, x, out->why, sizeof out->why);
            out->feasible = false;
        }
    }
    out->reward = v;
}

int reward_oriented(const NasReward *r, const RewardResult *res, double *out)
{
    for (int i = 0; i < res->nobjectives; i++) {
        bool maximize = !r || r->nobjectives == 0 || r->objectives[i].maximize;
        out[i] = maximize ? res->objectives[i] : -res->objectives[i];
    }
    return res->nobjectives;
}

static bool dominates(const double *a, const double *b, int k, const bool *maximize)
{
    bool strictly = false;
    for (int j = 0; j < k; j++) {
        double x = maximize[j] ? a[j] : -a[j], y = maximize[j] ? b[j] : -b[j];
        if (x < y) return false;
        if (x > y) strictly = true;
    }
    return strictly;
}

void reward_pareto_front(const double *points, int n, int k, const bool *maximize, bool *front)
{
    for (int i = 0; i < n; i++) {
        front[i] = true;
        for (int j = 0; j < n && front[i]; j++)
            if (j != i && dominates(points + (size_t)j * k, points + (size_t)i * k, k, maximize)) front[i] = false;
    }
}

typedef struct Pt {
    double x, y;
} Pt;

static int by_x_desc(const void *a, const void *b)
{
    double d = ((const Pt *)b)->x - ((const Pt *)a)->x;
    return (d > 0) - (d < 0);
}

double reward_hypervolume2(const double *points, int n, const bool *maximize, const double ref[2])
{
    Pt *p = malloc(sizeof *p * (size_t)(n ? n : 1));
    if (!p) return NAN;
    int m = 0;
    /* Turn both objectives into "larger is better", measured from the reference point. */
    for (int i = 0; i < n; i++) {
        double x = maximize[0] ? points[2 * i] - ref[0] : ref[0] - points[2 * i];
        double y = maximize[1] ? points[2 * i + 1] - ref[1] : ref[1] - points[2 * i + 1];
        if (x > 0 && y > 0) p[m++] = (Pt){x, y};
    }
    qsort(p, (size_t)m, sizeof *p, by_x_desc);
    double hv = 0, ymax = 0;
    for (int i = 0; i < m; i++) { /* sweep from the largest x: add the new strip */
        if (p[i].y > ymax) {
            hv += p[i].x * (p[i].y - ymax);
            ymax = p[i].y;
        }
    }
    free(p);
    return hv;
}
