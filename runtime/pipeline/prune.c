/* prune.c — early stopping of a search's trials (prune.h): the rules, and the pipeline's side.
 * A trial reports each epoch as a JSON line with `epoch` and `accuracy` (the built-in trainer
 * prints them; an external trainer prints them before its report). The scheduler hands this
 * file each running trial's output (prune_poll) and ends the trial's process group when a rule
 * stops it; the outcome of every trial then passes through prune_outcome, which applies the
 * rule to the whole curve again, so whether a trial is pruned, and at which epoch, depends on
 * its curve and the recorded history only, never on how fast its lines were read. The history
 * of a trial is the trials recorded (told) before it was proposed (asked), in the store's event
 * order: the same on resume, at any parallelism, and on every worker of a shared store (a
 * worker replays every event stored before it asks, and a trial it takes over keeps its ask). */
#define _GNU_SOURCE /* memmem */
#include "prune.h"
#include "pipeline_int.h"
#include "model.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

/* ---- the rules ---- */

int prune_check(const NasPrune *r, char *err, size_t size)
{
    if (r->kind == NAS_PRUNE_ASHA && (r->min < 1 || (r->max != 0 && r->max < r->min) || r->reduction < 2)) {
        snprintf(err, size,
                 "prune asha: need min >= 1, max 0 or >= min, reduction >= 2 (got min %lld, max %lld, reduction %lld)",
                 (long long)r->min, (long long)r->max, (long long)r->reduction);
        return -1;
    }
    if (r->kind == NAS_PRUNE_MEDIAN && (r->startup < 0 || r->warmup < 0)) {
        snprintf(err, size, "prune median: need startup >= 0 and warmup >= 0 (got %lld, %lld)", (long long)r->startup,
                 (long long)r->warmup);
        return -1;
    }
    return 0;
}

static int by_value_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* e is a rung: min x reduction^k, below max (when set). */
static bool asha_rung(const NasPrune *r, int e)
{
    if (r->max > 0 && e >= r->max) return false;
    for (int64_t x = r->min; x <= e; x *= r->reduction)
        if (x == e) return true;
    return false;
}

/* ASHA's promotion test (Optuna's SuccessiveHalvingPruner): the trial goes on when its value
 * at the rung is among the top 1/reduction of every value recorded at that rung, its own
 * included; while fewer than `reduction` compete, only the best goes on. */
static bool asha_stops(const NasPrune *r, const PruneTrial *h, int nh, double x, int e)
{
    double *vals = malloc(sizeof *vals * (size_t)(nh + 1));
    if (!vals) return false;
    int m = 0;
    for (int i = 0; i < nh; i++)
        if (h[i].n >= e && isfinite(h[i].v[e - 1])) vals[m++] = h[i].v[e - 1];
    vals[m++] = x;
    qsort(vals, (size_t)m, sizeof *vals, by_value_desc);
    int top = (int)(m / r->reduction) - 1;
    bool stops = x < vals[top < 0 ? 0 : top];
    free(vals);
    return stops;
}

/* The median rule (Optuna's MedianPruner): after `startup` complete trials and beyond `warmup`
 * epochs, a trial whose best value so far is below the median of the complete trials' values
 * at the same epoch stops. */
static bool median_stops(const NasPrune *r, const PruneTrial *h, int nh, const double *v, int e)
{
    int complete = 0;
    for (int i = 0; i < nh; i++) complete += h[i].complete;
    if (complete < r->startup || complete == 0 || e <= r->warmup) return false;
    double *vals = malloc(sizeof *vals * (size_t)nh), best = -INFINITY;
    if (!vals) return false;
    int m = 0;
    for (int i = 0; i < nh; i++)
        if (h[i].complete && h[i].n >= e && isfinite(h[i].v[e - 1])) vals[m++] = h[i].v[e - 1];
    for (int i = 0; i < e; i++)
        if (isfinite(v[i]) && v[i] > best) best = v[i];
    bool stops = false;
    if (m > 0 && isfinite(best)) {
        qsort(vals, (size_t)m, sizeof *vals, by_value_desc);
        double median = m % 2 ? vals[m / 2] : (vals[m / 2 - 1] + vals[m / 2]) / 2;
        stops = best < median;
    }
    free(vals);
    return stops;
}

bool prune_stops(const NasPrune *r, const PruneTrial *h, int nh, const double *v, int e, int epochs)
{
    if (e < 1 || e >= epochs) return false;
    switch (r->kind) {
    case NAS_PRUNE_NONE: return false;
    case NAS_PRUNE_ASHA: return asha_rung(r, e) && isfinite(v[e - 1]) && asha_stops(r, h, nh, v[e - 1], e);
    case NAS_PRUNE_MEDIAN: return median_stops(r, h, nh, v, e);
    }
    return false;
}

int prune_first_stop(const NasPrune *r, const PruneTrial *h, int nh, const double *v, int n, int epochs)
{
    for (int e = 1; e <= n; e++)
        if (prune_stops(r, h, nh, v, e, epochs)) return e;
    return 0;
}

/* ---- the pipeline's side ---- */

typedef struct PruneRun { /* a trial of this worker's, while it runs */
    int64_t seq, ask_event;
    int epochs;
    int n;       /* epochs reported so far (the highest `epoch`) */
    int stopped; /* the epoch prune_poll stopped it at; 0: not */
    double *v;   /* cap values */
    char **line; /* the epoch lines, as printed */
    int cap;
} PruneRun;

struct Pruner {
    NasPrune rule;
    PruneTrial *told; /* in tell order */
    int64_t *told_event;
    int ntold, captold;
    PruneRun *runs;
    int nruns, capruns;
};

Pruner *prune_new(const NasPrune *rule, char *err, size_t size)
{
    err[0] = 0;
    if (rule->kind == NAS_PRUNE_NONE || prune_check(rule, err, size)) return NULL;
    Pruner *p = calloc(1, sizeof *p);
    if (!p) snprintf(err, size, "out of memory");
    else p->rule = *rule;
    return p;
}

static void run_free(PruneRun *r)
{
    for (int e = 0; e < r->cap; e++) free(r->line[e]);
    free(r->line);
    free(r->v);
}

void prune_free(Pruner *p)
{
    if (!p) return;
    for (int i = 0; i < p->ntold; i++) free((double *)p->told[i].v);
    for (int i = 0; i < p->nruns; i++) run_free(&p->runs[i]);
    free(p->told);
    free(p->told_event);
    free(p->runs);
    free(p);
}

/* The value an epoch object reports: `accuracy` (epoch lines), else `val_acc` (the built-in
 * trainer's stored curve). */
static double epoch_value(const cJSON *o)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "accuracy");
    if (!cJSON_IsNumber(a)) a = cJSON_GetObjectItemCaseSensitive(o, "val_acc");
    return cJSON_IsNumber(a) ? a->valuedouble : NAN;
}

static int epoch_of(const cJSON *o)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "epoch");
    return cJSON_IsNumber(e) && e->valuedouble >= 1 && e->valuedouble <= 1e6 ? (int)e->valuedouble : 0;
}

int prune_curve_epochs(const char *curve)
{
    cJSON *a = curve ? cJSON_Parse(curve) : NULL;
    int n = 0, k = 0;
    for (cJSON *o = cJSON_IsArray(a) ? a->child : NULL; o; o = o->next, k++) {
        int e = epoch_of(o) ? epoch_of(o) : k + 1;
        if (e > n) n = e;
    }
    cJSON_Delete(a);
    return n;
}

void prune_told(Pruner *p, int64_t tell_event, TrialState st, const char *curve)
{
    if (!p || (st != TRIAL_DONE && st != TRIAL_INFEASIBLE && st != TRIAL_PRUNED)) return;
    if (p->ntold == p->captold) {
        int cap = p->captold ? 2 * p->captold : 64;
        PruneTrial *t = realloc(p->told, sizeof *t * (size_t)cap);
        if (t) p->told = t;
        int64_t *ev = realloc(p->told_event, sizeof *ev * (size_t)cap);
        if (ev) p->told_event = ev;
        if (!t || !ev) return;
        p->captold = cap;
    }
    int n = prune_curve_epochs(curve), k = 0;
    cJSON *a = curve ? cJSON_Parse(curve) : NULL;
    double *v = malloc(sizeof *v * (size_t)(n ? n : 1));
    if (!v) {
        cJSON_Delete(a);
        return;
    }
    for (int e = 0; e < n; e++) v[e] = NAN;
    k = 0;
    for (cJSON *o = cJSON_IsArray(a) ? a->child : NULL; o; o = o->next, k++)
        v[(epoch_of(o) ? epoch_of(o) : k + 1) - 1] = epoch_value(o);
    cJSON_Delete(a);
    p->told[p->ntold] = (PruneTrial){v, n, st != TRIAL_PRUNED};
    p->told_event[p->ntold++] = tell_event;
}

static PruneRun *run_of(Pruner *p, int64_t seq)
{
    for (int i = 0; i < p->nruns; i++)
        if (p->runs[i].seq == seq) return &p->runs[i];
    return NULL;
}

int prune_asked(Pruner *p, Run *R, int stage, int64_t seq, int64_t ask_event, const int32_t *arch)
{
    if (!p) return 0;
    Arena a;
    arena_init(&a);
    ModelError me;
    NasTraining t;
    int epochs = model_training(R->ms, arch, run_training(R, stage), &t, &a, &me) == 0 ? (int)t.epochs : 0;
    arena_free(&a);
    PruneRun *r = run_of(p, seq);
    if (r) run_free(r);
    else {
        if (p->nruns == p->capruns) {
            int cap = p->capruns ? 2 * p->capruns : 8;
            PruneRun *g = realloc(p->runs, sizeof *g * (size_t)cap);
            if (!g) return -1;
            p->runs = g;
            p->capruns = cap;
        }
        r = &p->runs[p->nruns++];
    }
    *r = (PruneRun){.seq = seq, .ask_event = ask_event, .epochs = epochs};
    return 0;
}

static void run_put(PruneRun *r, int e, double x, const char *line, size_t len)
{
    if (e > r->cap) {
        int cap = e > 2 * r->cap ? e : 2 * r->cap;
        double *v = realloc(r->v, sizeof *v * (size_t)cap);
        if (v) r->v = v;
        char **l = realloc(r->line, sizeof *l * (size_t)cap);
        if (l) r->line = l;
        if (!v || !l) return;
        for (int i = r->cap; i < cap; i++) {
            r->v[i] = NAN;
            r->line[i] = NULL;
        }
        r->cap = cap;
    }
    if (r->line[e - 1]) return; /* seen at an earlier poll */
    r->v[e - 1] = x;
    r->line[e - 1] = strndup(line, len);
    if (e > r->n) r->n = e;
}

/* Reads the epoch lines of what the trial printed (complete lines; all when it ended). The
 * output kept is its last TRIAL_OUTPUT_MAX bytes: lines read at an earlier poll stay here. */
static void run_scan(PruneRun *r, const Job *j, bool ended)
{
    const char *buf = j->out ? j->out : "";
    for (const char *p = buf; *p;) {
        const char *nl = strchr(p, '\n');
        if (!nl && !ended) break;
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *s = p;
        while (len && (*s == ' ' || *s == '\t')) s++, len--;
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' ')) len--;
        if (len && *s == '{' && memmem(s, len, "\"epoch\"", 7)) {
            char *text = strndup(s, len);
            cJSON *o = text ? cJSON_Parse(text) : NULL;
            int e = cJSON_IsObject(o) ? epoch_of(o) : 0;
            if (e) run_put(r, e, epoch_value(o), s, len);
            cJSON_Delete(o);
            free(text);
        }
        p = nl ? nl + 1 : p + len;
        if (!nl) break;
    }
}

/* The recorded trials that a trial asked at ask_event learns from. */
static int history(const Pruner *p, int64_t ask_event)
{
    int n = 0;
    while (n < p->ntold && p->told_event[n] < ask_event) n++;
    return n;
}

bool prune_poll(Pruner *p, const Job *j)
{
    PruneRun *r = p ? run_of(p, j->seq) : NULL;
    if (!r || r->stopped) return false;
    run_scan(r, j, false);
    r->stopped = prune_first_stop(&p->rule, p->told, history(p, r->ask_event), r->v, r->n, r->epochs);
    return r->stopped > 0;
}

/* "[line1, line2, ...]" of the first n epochs: the curve as the trial printed it. */
static char *curve_of(const PruneRun *r, int n)
{
    JsonBuf b = {0};
    jb_printf(&b, "[");
    for (int e = 0, k = 0; e < n; e++)
        if (r->line[e]) jb_printf(&b, "%s%s", k++ ? ", " : "", r->line[e]);
    jb_printf(&b, "]");
    return b.s;
}

void prune_outcome(Run *R, Pruner *p, const Job *j, TrialOutcome *out)
{
    PruneRun *r = p ? run_of(p, j->seq) : NULL;
    if (!r) return;
    run_scan(r, j, true);
    int stop = prune_first_stop(&p->rule, p->told, history(p, r->ask_event), r->v, r->n, r->epochs);
    TrialReport rep = {0};
    bool parsed = stop && r->line[stop - 1] && json_report_parse(r->line[stop - 1], &rep, NULL, NULL, 0) == 0;
    if (!parsed) json_report_free(&rep);
    if (parsed) { /* pruned: the metrics of the epoch it reached */
        trial_outcome_free(out);
        reward_metrics_init(&out->m);
        json_to_metrics(rep.metrics_json, &out->m, out->names, sizeof out->names);
        JsonBuf m = {0};
        size_t len = strlen(rep.metrics_json);
        jb_printf(&m, "%.*s%s\"epochs_planned\": %d}", (int)(len - 1), rep.metrics_json, len > 2 ? ", " : "",
                  r->epochs);
        json_report_free(&rep);
        out->metrics_json = m.s;
        out->curve_json = curve_of(r, stop);
        RewardResult rr;
        reward_compute(R->reward, &out->m, &rr);
        out->state = TRIAL_PRUNED;
        out->reward = rr.reward;
        out->feasible = rr.feasible;
        snprintf(out->reason, sizeof out->reason, "pruned at epoch %d of %d (%s)", stop, r->epochs,
                 p->rule.kind == NAS_PRUNE_ASHA ? "asha" : "median");
    } else if (!out->curve_json && r->n > 0) {
        out->curve_json = curve_of(r, r->n); /* an external trainer's curve: its epoch lines */
    }
    run_free(r);
    *r = p->runs[--p->nruns];
}
