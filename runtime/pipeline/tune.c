/* tune.c — a tune stage (`tune t { from s top K ... }`): the decisions written in its training
 * settings (learning rate, weight decay, warmup, batch, ...) are a space of their own
 * (model_lower_tune), searched for each of the best K architectures of its `from` stage,
 * quasi-randomly by default (the Deep Learning Tuning Playbook's choice for exploration). A
 * trial's ID is `ARCH:SETTINGS`. Trials go through the scheduler and the store like a search's
 * (replay on resume, repeats answered from the store); the report is the tune's own, with the
 * Playbook's sanity checks: a best value near the edge of its range, regions never sampled. */
#include "pipeline_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TUNE_BINS = 10 };
#define TUNE_EDGE 0.1 /* a best value in the outer tenth of its range (a bin below): expand it */

typedef struct Tune {
    Run *R;
    int stage;
    const Space *sp;
    Controller *c;
    const char *arch_id; /* the architecture being tuned */
    StoreTrialList h;    /* its stored rows */
    int *retry, nretry, ri;
    int64_t trials, proposed, next_seq, event;
    int32_t *vec;
    char id[256];
} Tune;

static int tune_next(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *ans)
{
    Tune *g = ctx;
    Run *R = g->R;
    if (g->ri < g->nretry)
        return stage_take_over(R, &g->h.items[g->retry[g->ri++]], g->vec, g->id, sizeof g->id, t, ans);
    if (g->proposed >= g->trials || controller_ask(g->c, g->vec) != 0) return SCHED_END;
    char hp[128];
    SpaceError se;
    if (space_arch_to_id(g->sp, g->vec, hp, sizeof hp, &se) != SPACE_OK) {
        fprintf(stderr, "nasrun: internal error: %s\n", se.msg);
        return -2;
    }
    snprintf(g->id, sizeof g->id, "%s:%s", g->arch_id, hp);
    g->proposed++;
    char *dec = run_trial_decisions_json(R, g->stage, g->id, g->vec);
    StoreStart st = {g->stage, g->next_seq++, g->event++, g->id, dec, R->worker, 0, NULL};
    int rc = stage_claim_new(R, &st, g->vec, g->id, t);
    free(dec);
    if (rc != SCHED_RUN) return rc;
    StoreTrial prev;
    StoreError err;
    bool found;
    if (store_find_done(R->store, R->experiment, g->stage, g->id, &prev, &found, &err) != 0 || !found) return SCHED_RUN;
    ans->state = TRIAL_CACHED;
    ans->reward = prev.reward;
    reward_metrics_init(&ans->m);
    ans->metrics_json = prev.metrics ? strdup(prev.metrics) : NULL;
    ans->curve_json = prev.curve ? strdup(prev.curve) : NULL;
    snprintf(ans->reason, sizeof ans->reason, "repeats evaluated settings");
    store_trial_free(&prev);
    return SCHED_ANSWERED;
}

static int tune_done(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    Tune *g = ctx;
    int rc = stage_record(g->R, t, out, g->event++);
    if (rc) return rc;
    controller_tell(g->c, t->arch, out->reward, out->state == TRIAL_DONE || out->state == TRIAL_CACHED);
    return 0;
}

static bool of_arch(const StoreTrial *t, const char *arch)
{
    size_t n = strlen(arch);
    return !strncmp(t->arch_id, arch, n) && t->arch_id[n] == ':';
}

/* One architecture's tune: its stored rows replayed, then the rest of its trials. */
static int tune_arch(Run *R, const RunStage *st, const StoreTrialList *all, const char *arch, uint64_t seed,
                     int64_t *next_seq, int64_t *event)
{
    const Space *sp = model_space(st->tune_ms);
    ControllerParams cp = stage_controller_params(&st->tune->controller, seed);
    char cerr[256];
    Controller *c = controller_new(sp, &cp, cerr, sizeof cerr);
    if (!c) {
        fprintf(stderr, "nasrun: tune %s: controller: %s\n", st->name, cerr);
        return 1;
    }
    Tune g = {.R = R, .stage = st->number, .sp = sp, .c = c, .arch_id = arch, .trials = run_trials(R, st->number)};
    g.h.items = malloc(sizeof *g.h.items * (size_t)(all->count + 1));
    g.retry = malloc(sizeof *g.retry * (size_t)(all->count + 1));
    int n = space_count(sp), rc = 2;
    g.vec = malloc(sizeof *g.vec * (size_t)(n ? n : 1));
    if (!g.h.items || !g.retry || !g.vec) goto out;
    for (int i = 0; i < all->count; i++)
        if (of_arch(&all->items[i], arch)) g.h.items[g.h.count++] = all->items[i]; /* borrowed rows */
    Sched s = {.stage = st->number,
               .parallel = run_parallel(R, st->number),
               .total = g.trials,
               .max_failed = g.trials,
               .single = true,
               .dedupe = true,
               .source = {&g, tune_next},
               .sink = {&g, tune_done}};
    int64_t ignored = 0;
    stage_scan(&g.h, &g.proposed, &ignored, g.retry, &g.nretry);
    int64_t ev = stage_replay(R, st->number, c, &g.h, &s, 0);
    g.next_seq = *next_seq;
    g.event = ev > *event ? ev : *event;
    if (!R->o->quiet && s.tally.finished < g.trials)
        fprintf(stderr, "[stage %d] tuning %s: %lld trials, %lld in parallel, controller %s, %d settings decisions\n",
                st->number, arch, (long long)g.trials, (long long)(s.parallel > JOB_MAX ? JOB_MAX : s.parallel),
                controller_kind_name(cp.kind), n);
    rc = sched_run(R, &s);
    *next_seq = g.next_seq;
    *event = g.event;
out:
    free(g.h.items);
    free(g.retry);
    free(g.vec);
    controller_free(c);
    return rc;
}

/* ---- the report ---- */

/* Where slot value v lies in decision d's range, in [0, 1] on the range's own scale (the
 * slots of a log range are spaced in log). */
static double position(const SpaceDecision *d, int32_t v) { return d->arity > 1 ? (double)v / (d->arity - 1) : 0.5; }

static void sanity(const Space *sp, int32_t *const *vecs, int n, const int32_t *best)
{
    for (int d = 0; d < space_count(sp); d++) {
        const SpaceDecision *sd = space_decision(sp, d);
        char val[128], lo[64], hi[64];
        if (sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE) {
            space_value_format(sp, d, 0, lo, sizeof lo);
            space_value_format(sp, d, sd->arity - 1, hi, sizeof hi);
            if (best && best[d] != SPACE_INACTIVE) {
                double u = position(sd, best[d]);
                space_value_format(sp, d, best[d], val, sizeof val);
                if (sd->arity > 2 && (u < TUNE_EDGE || u > 1 - TUNE_EDGE))
                    printf("  %s: the best value %s is at the %s end of its range [%s, %s]: expand the range\n",
                           sd->name, val, u < 0.5 ? "low" : "high", lo, hi);
            }
            bool seen[TUNE_BINS] = {false};
            for (int i = 0; i < n; i++)
                if (vecs[i][d] != SPACE_INACTIVE) {
                    int b = (int)(position(sd, vecs[i][d]) * TUNE_BINS);
                    seen[b < TUNE_BINS ? b : TUNE_BINS - 1] = true;
                }
            for (int b = 0; b < TUNE_BINS; b++) {
                if (seen[b]) continue;
                int e = b;
                while (e + 1 < TUNE_BINS && !seen[e + 1]) e++;
                char a[64], z[64];
                space_value_format(sp, d, (int32_t)((double)b / TUNE_BINS * (sd->arity - 1) + 0.5), a, sizeof a);
                space_value_format(sp, d, (int32_t)((double)(e + 1) / TUNE_BINS * (sd->arity - 1) + 0.5), z, sizeof z);
                printf("  %s: no trial sampled [%s, %s] (%d%% of its range%s)\n", sd->name, a, z,
                       (e - b + 1) * 100 / TUNE_BINS, sd->log ? ", log scale" : "");
                b = e;
            }
        } else {
            for (int32_t v = 0; v < sd->arity && sd->arity <= 64; v++) {
                bool seen = false;
                for (int i = 0; i < n && !seen; i++) seen = vecs[i][d] == v;
                if (seen) continue;
                space_value_format(sp, d, v, val, sizeof val);
                printf("  %s: the value %s was never sampled\n", sd->name, val);
            }
        }
    }
}

static void report(Run *R, const RunStage *st, const StoreTrial *best, int nb)
{
    const Space *sp = model_space(st->tune_ms);
    StoreTrialList l = {0};
    StoreError err;
    if (store_trials(R->store, R->experiment, st->number, &l, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return;
    }
    int n = space_count(sp);
    int32_t **vecs = calloc((size_t)l.count + 1, sizeof *vecs);
    for (int k = 0; vecs && k < nb; k++) {
        int m = 0, bi = -1;
        int32_t *bv = NULL;
        for (int i = 0; i < l.count; i++) {
            const StoreTrial *t = &l.items[i];
            SpaceError se;
            if (!of_arch(t, best[k].arch_id) || t->state == TRIAL_RUNNING) continue;
            if (!(vecs[m] = malloc(sizeof **vecs * (size_t)(n ? n : 1)))) break;
            if (run_arch_decode(R, st->number, t->arch_id, vecs[m], &se) != SPACE_OK) {
                free(vecs[m]);
                vecs[m] = NULL;
                continue;
            }
            if (t->state == TRIAL_DONE && isfinite(t->reward) && (bi < 0 || t->reward > l.items[bi].reward)) {
                bi = i;
                bv = vecs[m];
            }
            m++;
        }
        printf("\ntune %s of %s (stage %d, the best of stage %d): %d trials\n", st->name, best[k].arch_id, st->number,
               st->from, m);
        if (bi >= 0) {
            const StoreTrial *b = &l.items[bi];
            double acc = NAN;
            json_get_number(b->metrics ? b->metrics : "{}", "accuracy", &acc);
            printf("  best: reward %.4f, accuracy %.4f (stage %d: %.4f), settings %s\n", b->reward, acc, st->from,
                   best[k].reward, b->decisions ? b->decisions : "");
        } else printf("  no trial finished\n");
        printf("  sanity checks (Deep Learning Tuning Playbook):\n");
        sanity(sp, vecs, m, bv);
        for (int i = 0; i < m; i++) free(vecs[i]);
    }
    free(vecs);
    store_trials_free(&l);
}

int tune_stage(Run *R, const RunStage *st)
{
    RunStage *mst = &R->stages[st->number - 1];
    if (!mst->tune_ms && !(mst->tune_ms = model_lower_tune(R->ms, st->training, &R->compiled.arena))) {
        fprintf(stderr, "nasrun: tune %s: its settings' decisions do not make a space\n", st->name);
        return 1;
    }
    StoreTrialList from = {0}, all = {0};
    StoreTrial *best = NULL;
    int nb = 0, rc = stage_best(R, st->from, st->tune->top > 0 ? st->tune->top : 1, &from, &best, &nb);
    StoreError err;
    if (!rc && store_trials(R->store, R->experiment, st->number, &all, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        rc = 2;
    }
    if (!rc && sched_other_worker(R, &all)) rc = 2;
    if (!rc && nb == 0) {
        fprintf(stderr, "nasrun: tune %s: stage %d has no finished trial to tune yet\n", st->name, st->from);
        rc = 1;
    }
    int64_t next_seq = 0, event = 0;
    for (int i = 0; i < all.count; i++) {
        const StoreTrial *t = &all.items[i];
        if (t->seq >= next_seq) next_seq = t->seq + 1;
        if (t->ask_event >= event) event = t->ask_event + 1;
        if (t->tell_event >= event) event = t->tell_event + 1;
    }
    for (int k = 0; !rc && k < nb; k++)
        rc = tune_arch(R, st, &all, best[k].arch_id, (uint64_t)(st->controller_seed + k), &next_seq, &event);
    if (!rc) report(R, st, best, nb);
    free(best);
    store_trials_free(&from);
    store_trials_free(&all);
    return rc;
}
