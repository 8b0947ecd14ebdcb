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

static void print_row(const StoreTrial *t, int rank)
{
    printf("%4d  %5d  %-5d %-11s %8.4f %8.4f %9.0f %9.3f  %-14s %s\n", rank, t->stage, (int)t->seq,
           store_state_name(t->state), t->reward, metric(t, "accuracy"), metric(t, "params"),
           metric(t, "latency") * 1e3, t->arch_id, t->decisions ? t->decisions : "");
}

static void header(void)
{
    printf("%4s  %5s  %-5s %-11s %8s %8s %9s %9s  %-14s %s\n", "rank", "stage", "seq", "state", "reward",
           "accuracy", "params", "lat_ms", "arch", "decisions");
}

int report_top(Run *R, int n)
{
    for (int stage = 1; stage <= 2; stage++) {
        StoreTrialList l = {0};
        if (load(R, stage, &l)) return 2;
        if (l.count == 0 && stage == 2) break;
        qsort(l.items, (size_t)l.count, sizeof *l.items, trial_by_reward);
        printf("%s%s\n", stage == 1 ? "" : "\n", stage == 1 ? "stage 1 (proxy task), best first:" : "stage 2 (full training):");
        header();
        for (int i = 0; i < l.count && i < n; i++) print_row(&l.items[i], i + 1);
        store_trials_free(&l);
    }
    return 0;
}

int report_status(Run *R)
{
    StoreTrialList l = {0};
    if (load(R, 0, &l)) return 2;
    int count[2][5] = {{0}};
    double now = store_now();
    for (int i = 0; i < l.count; i++) count[l.items[i].stage == 2][l.items[i].state]++;
    printf("experiment %lld of %s (%d trials in the store)\n", (long long)R->experiment, R->o->path, l.count);
    for (int s = 0; s < 2; s++)
        printf("  stage %d: %d done, %d running, %d failed, %d infeasible, %d cached\n", s + 1,
               count[s][TRIAL_DONE], count[s][TRIAL_RUNNING], count[s][TRIAL_FAILED],
               count[s][TRIAL_INFEASIBLE], count[s][TRIAL_CACHED]);
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (t->state == TRIAL_RUNNING)
            printf("  running: stage %d trial %lld %s on %s (heartbeat %.0f s ago)\n", t->stage,
                   (long long)t->seq, t->arch_id, t->worker ? t->worker : "?", now - t->heartbeat);
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
    if (csv) printf("stage,seq,state,reward,accuracy,loss,latency_s,params,flops,memory,seconds,attempts,arch_id,decisions,reason\n");
    else printf("[\n");
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (csv) {
            printf("%d,%lld,%s,%.9g,%.9g,%.9g,%.9g,%.0f,%.0f,%.0f,%.3f,%d,", t->stage, (long long)t->seq,
                   store_state_name(t->state), t->reward, metric(t, "accuracy"), metric(t, "loss"),
                   metric(t, "latency"), metric(t, "params"), metric(t, "flops"), metric(t, "memory"),
                   t->finished > 0 ? t->finished - t->started : NAN, t->attempts);
            csv_field(t->arch_id);
            putchar(',');
            csv_field(t->decisions);
            putchar(',');
            csv_field(t->reason);
            putchar('\n');
            continue;
        }
        JsonBuf b = {0};
        jb_printf(&b, "  {\"stage\": %d, \"seq\": %lld, \"state\": \"%s\", \"reward\": ", t->stage,
                  (long long)t->seq, store_state_name(t->state));
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

/* Several objectives: the Pareto front of stage 1 (and its hypervolume for two). */
static void pareto(Run *R)
{
    const NasReward *rw = R->reward;
    if (!rw || rw->nobjectives < 2 || rw->nobjectives > REWARD_MAX_OBJECTIVES) return;
    StoreTrialList l = {0};
    if (load(R, 1, &l)) return;
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
        printf("\nPareto front of stage 1 (");
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
            double ref[2] = { rw->objectives[0].ref, rw->objectives[1].ref };
            printf("  hypervolume against the reference point (%g, %g): %.6g\n", ref[0], ref[1],
                   reward_hypervolume2(pts, n, dir, ref));
        }
    }
    free(pts);
    free(which);
    free(front);
    store_trials_free(&l);
}

void report_summary(Run *R)
{
    pareto(R);
    StoreTrialList s2 = {0};
    if (load(R, 2, &s2)) return;
    if (s2.count == 0) {
        store_trials_free(&s2);
        report_top(R, 5);
        printf("\nreproduce one: nasrun %s --train-one ID\n", R->o->path);
        return;
    }
    qsort(s2.items, (size_t)s2.count, sizeof *s2.items, trial_by_reward);
    printf("\nbest architectures after full training (stage 2, validated on the test set):\n");
    header();
    for (int i = 0; i < s2.count; i++) print_row(&s2.items[i], i + 1);
    const StoreTrial *b = &s2.items[0];
    if (b->state == TRIAL_DONE)
        printf("\nbest: %s, test accuracy %.4f, %.0f parameters\nreproduce: nasrun %s --train-one %s\n",
               b->arch_id, metric(b, "accuracy"), metric(b, "params"), R->o->path, b->arch_id);
    store_trials_free(&s2);
}
