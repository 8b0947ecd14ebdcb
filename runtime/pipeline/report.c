/* report.c — views of the trial store: --status, --top N, --export csv|json, and the summary
 * printed when a search ends. They only read the store, so they work while a search runs. */
#include "pipeline_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int load(Run *R, int stage, StoreTrialList *l)
{
    StoreError err;
    if (store_trials(R->store, R->experiment, stage, l, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static double metric(const StoreTrial *t, const char *key)
{
    double v;
    return json_get_number(t->metrics, key, &v) ? v : NAN;
}

int trial_by_reward(const void *a, const void *b)
{
    const StoreTrial *x = a, *y = b;
    bool fx = (x->state == TRIAL_DONE) && isfinite(x->reward), fy = (y->state == TRIAL_DONE) && isfinite(y->reward);
    if (fx != fy) return fx ? -1 : 1;
    if (fx && x->reward != y->reward) return x->reward < y->reward ? 1 : -1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The reward's `report` metrics that a view does not show already (`shown`: its built-in
 * columns); n of them go to out. */
static int report_columns(Run *R, const char *const *shown, const char **out)
{
    int n = 0;
    for (int i = 0; R->reward && i < R->reward->nreport && n < 32; i++) {
        const char *name = R->reward->report[i].name;
        bool dup = false;
        for (const char *const *s = shown; *s && !dup; s++) dup = !strcmp(*s, name);
        for (int j = 0; j < n && !dup; j++) dup = !strcmp(out[j], name);
        if (!dup) out[n++] = name;
    }
    return n;
}

static const char *const TABLE_SHOWN[] = {"accuracy", "params", "latency", NULL};

static void print_row(Run *R, const StoreTrial *t, int rank)
{
    const char *cols[32];
    int nc = report_columns(R, TABLE_SHOWN, cols);
    printf("%4d  %5d  %-5d %-11s %8.4f %8.4f %9.0f %9.3f", rank, t->stage, (int)t->seq, store_state_name(t->state),
           t->reward, metric(t, "accuracy"), metric(t, "params"), metric(t, "latency") * 1e3);
    for (int i = 0; i < nc; i++)
        printf(" %*.6g", (int)(strlen(cols[i]) > 10 ? strlen(cols[i]) : 10), metric(t, cols[i]));
    printf("  %-14s %s\n", t->arch_id, t->decisions ? t->decisions : "");
}

static void header(Run *R)
{
    const char *cols[32];
    int nc = report_columns(R, TABLE_SHOWN, cols);
    printf("%4s  %5s  %-5s %-11s %8s %8s %9s %9s", "rank", "stage", "seq", "state", "reward", "accuracy", "params",
           "lat_ms");
    for (int i = 0; i < nc; i++) printf(" %10s", cols[i]);
    printf("  %-14s %s\n", "arch", "decisions");
}

/* "stage 2 (train full, the best of stage 1)" */
static void stage_title(Run *R, int stage, char *buf, size_t n)
{
    const RunStage *st = run_stage(R, stage);
    if (!st) snprintf(buf, n, "stage %d", stage);
    else if (st->search) snprintf(buf, n, "stage %d (search %s, proxy task)", stage, st->name);
    else if (st->tune)
        snprintf(buf, n, "stage %d (tune %s, training settings of the best of stage %d)", stage, st->name, st->from);
    else snprintf(buf, n, "stage %d (train %s, full training of the best of stage %d)", stage, st->name, st->from);
}

/* The stages a view covers: the file's, and any more the store holds. */
static int last_stage(Run *R, const StoreTrialList *all)
{
    int last = R->nstages;
    for (int i = 0; i < all->count; i++)
        if (all->items[i].stage > last) last = all->items[i].stage;
    return last;
}

int report_top(Run *R, int n)
{
    StoreTrialList all = {0};
    if (load(R, 0, &all)) return 2;
    int last = last_stage(R, &all);
    store_trials_free(&all);
    for (int stage = 1, printed = 0; stage <= last; stage++) {
        StoreTrialList l = {0};
        if (load(R, stage, &l)) return 2;
        const RunStage *st = run_stage(R, stage);
        if (l.count == 0 && !(st && st->search)) {
            store_trials_free(&l);
            continue;
        }
        if (l.count) qsort(l.items, (size_t)l.count, sizeof *l.items, trial_by_reward);
        char title[256];
        stage_title(R, stage, title, sizeof title);
        printf("%s%s, best first:\n", printed++ ? "\n" : "", title);
        header(R);
        for (int i = 0; i < l.count && i < n; i++) print_row(R, &l.items[i], i + 1);
        store_trials_free(&l);
    }
    return 0;
}

int report_status(Run *R)
{
    StoreTrialList l = {0};
    if (load(R, 0, &l)) return 2;
    int last = last_stage(R, &l);
    int(*count)[5] = calloc((size_t)last + 1, sizeof *count);
    if (!count) {
        store_trials_free(&l);
        return 2;
    }
    double now = store_now();
    int design[5] = {0}, ndesign = 0; /* the proxy design's trials: stages -1, -2, ... */
    for (int i = 0; i < l.count; i++)
        if (l.items[i].stage >= 1) count[l.items[i].stage][l.items[i].state]++;
        else if (l.items[i].stage < 0) {
            design[l.items[i].state]++;
            ndesign++;
        }
    printf("experiment %lld of %s (%d trials in the store)\n", (long long)R->experiment, R->o->path, l.count);
    if (ndesign)
        printf("  design: %d done, %d running, %d failed, %d infeasible (the proxy design; --stage design prints its "
               "table)\n",
               design[TRIAL_DONE], design[TRIAL_RUNNING], design[TRIAL_FAILED], design[TRIAL_INFEASIBLE]);
    for (int s = 1; s <= last; s++) {
        char title[256];
        stage_title(R, s, title, sizeof title);
        const char *what = strchr(title, '(');
        printf("  stage %d: %d done, %d running, %d failed, %d infeasible, %d cached%s%s\n", s, count[s][TRIAL_DONE],
               count[s][TRIAL_RUNNING], count[s][TRIAL_FAILED], count[s][TRIAL_INFEASIBLE], count[s][TRIAL_CACHED],
               what ? " " : "", what ? what : "");
    }
    free(count);
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (t->state == TRIAL_RUNNING)
            printf("  running: stage %d trial %lld %s on %s (heartbeat %.0f s ago)\n", t->stage, (long long)t->seq,
                   t->arch_id, t->worker ? t->worker : "?", now - t->heartbeat);
        if (t->state == TRIAL_FAILED)
            printf("  failed: stage %d trial %lld %s: %s\n", t->stage, (long long)t->seq, t->arch_id,
                   t->reason ? t->reason : "?");
    }
    store_trials_free(&l);
    printf("\n");
    return report_top(R, 10);
}

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

int report_export(Run *R, const char *format)
{
    StoreTrialList l = {0};
    if (load(R, 0, &l)) return 2;
    bool csv = !strcmp(format, "csv");
    static const char *const csv_shown[] = {"accuracy", "loss", "latency", "params", "flops", "memory", NULL};
    const char *cols[32];
    int nc = report_columns(R, csv_shown, cols);
    if (csv) {
        printf("stage,seq,state,reward,accuracy,loss,latency_s,params,flops,memory,seconds,attempts,");
        for (int i = 0; i < nc; i++) {
            csv_field(cols[i]);
            putchar(',');
        }
        printf("arch_id,decisions,reason\n");
    } else printf("[\n");
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (csv) {
            printf("%d,%lld,%s,%.9g,%.9g,%.9g,%.9g,%.0f,%.0f,%.0f,%.3f,%d,", t->stage, (long long)t->seq,
                   store_state_name(t->state), t->reward, metric(t, "accuracy"), metric(t, "loss"),
                   metric(t, "latency"), metric(t, "params"), metric(t, "flops"), metric(t, "memory"),
                   t->finished > 0 ? t->finished - t->started : NAN, t->attempts);
            for (int k = 0; k < nc; k++) printf("%.9g,", metric(t, cols[k]));
            csv_field(t->arch_id);
            putchar(',');
            csv_field(t->decisions);
            putchar(',');
            csv_field(t->reason);
            putchar('\n');
            continue;
        }
        JsonBuf b = {0};
        jb_printf(&b, "  {\"stage\": %d, \"seq\": %lld, \"state\": \"%s\", \"reward\": ", t->stage, (long long)t->seq,
                  store_state_name(t->state));
        jb_number(&b, t->reward);
        jb_printf(&b, ", \"arch_id\": ");
        jb_string(&b, t->arch_id);
        jb_printf(&b, ", \"decisions\": %s, \"metrics\": %s, \"curve\": %s, \"reason\": ",
                  t->decisions ? t->decisions : "null", t->metrics && t->metrics[0] ? t->metrics : "null",
                  t->curve && t->curve[0] ? t->curve : "null");
        if (t->reason) jb_string(&b, t->reason);
        else jb_printf(&b, "null");
        jb_printf(&b, ", \"attempts\": %d, \"worker\": ", t->attempts);
        jb_string(&b, t->worker ? t->worker : "");
        jb_printf(&b, ", \"started\": %.3f, \"finished\": %.3f}%s\n", t->started, t->finished,
                  i + 1 < l.count ? "," : "");
        fputs(b.s, stdout);
        free(b.s);
    }
    if (!csv) printf("]\n");
    store_trials_free(&l);
    return 0;
}

/* Several objectives: the Pareto front of a search stage (and its hypervolume for two). */
static void pareto(Run *R, int stage)
{
    const NasReward *rw = R->reward;
    if (!rw || rw->nobjectives < 2 || rw->nobjectives > REWARD_MAX_OBJECTIVES) return;
    StoreTrialList l = {0};
    if (load(R, stage, &l)) return;
    int k = rw->nobjectives, n = 0;
    double *pts = malloc(sizeof *pts * (size_t)(k * (l.count + 1)));
    int *which = malloc(sizeof *which * (size_t)(l.count + 1));
    bool *front = malloc(sizeof *front * (size_t)(l.count + 1)), dir[REWARD_MAX_OBJECTIVES];
    for (int j = 0; j < k; j++) dir[j] = rw->objectives[j].maximize;
    for (int i = 0; pts && which && front && i < l.count; i++) {
        if (l.items[i].state != TRIAL_DONE) continue;
        RewardMetrics m;
        char names[512];
        reward_metrics_init(&m);
        if (!l.items[i].metrics || !json_to_metrics(l.items[i].metrics, &m, names, sizeof names)) continue;
        bool ok = true;
        for (int j = 0; j < k; j++) ok &= isfinite(pts[n * k + j] = reward_metric(&m, rw->objectives[j].metric));
        if (ok) which[n++] = i;
    }
    if (n > 0) {
        reward_pareto_front(pts, n, k, dir, front);
        printf("\nPareto front of stage %d (", stage);
        for (int j = 0; j < k; j++)
            printf("%s%s %s", j ? ", " : "", dir[j] ? "max" : "min", reward_metric_name(rw->objectives[j].metric));
        printf("):\n");
        for (int i = 0; i < n; i++) {
            if (!front[i]) continue;
            printf("  %-14s", l.items[which[i]].arch_id);
            for (int j = 0; j < k; j++) printf(" %12.6g", pts[i * k + j]);
            printf("\n");
        }
        if (k == 2 && rw->objectives[0].has_ref && rw->objectives[1].has_ref) {
            double ref[2] = {rw->objectives[0].ref, rw->objectives[1].ref};
            printf("  hypervolume against the reference point (%g, %g): %.6g\n", ref[0], ref[1],
                   reward_hypervolume2(pts, n, dir, ref));
        }
    }
    free(pts);
    free(which);
    free(front);
    store_trials_free(&l);
}

/* After a run: the Pareto fronts of the searches; then each train's results (the last one's
 * best is the answer), or, with no train results, the best of each search. */
void report_summary(Run *R)
{
    const StoreTrial *best = NULL;
    StoreTrialList *tl = calloc((size_t)R->nstages + 1, sizeof *tl);
    if (!tl) return;
    for (int k = 0; k < R->nstages; k++) {
        const RunStage *st = &R->stages[k];
        if (st->search) {
            pareto(R, st->number);
            continue;
        }
        if (st->tune) continue; /* tune.c reports it, with its sanity checks */
        if (load(R, st->number, &tl[k]) || tl[k].count == 0) continue;
        qsort(tl[k].items, (size_t)tl[k].count, sizeof *tl[k].items, trial_by_reward);
        char title[256];
        stage_title(R, st->number, title, sizeof title);
        printf("\nbest architectures after full training, %s, validated on %s.%s:\n", title,
               st->train->has_validate ? st->train->validate.dataset->name : st->train->data.dataset->name,
               st->train->has_validate && !st->train->validate.test ? "train" : "test");
        header(R);
        for (int i = 0; i < tl[k].count; i++) print_row(R, &tl[k].items[i], i + 1);
        best = &tl[k].items[0];
    }
    if (!best) {
        report_top(R, 5);
        printf("\nreproduce one: nasrun %s --train-one ID\n", R->o->path);
    } else if (best->state == TRIAL_DONE) {
        printf("\nbest: %s, accuracy %.4f, %.0f parameters (stage %d)\nreproduce: nasrun %s --train-one %s\n",
               best->arch_id, metric(best, "accuracy"), metric(best, "params"), best->stage, R->o->path, best->arch_id);
    }
    for (int k = 0; k < R->nstages; k++) store_trials_free(&tl[k]);
    free(tl);
}
