/* search.c — the stages, as sources and sinks of the scheduler (scheduler.c). Stage 1 asks
 * the controller for architectures, answers repeats from the store, records every result
 * and tells the controller; stage 2 fully trains the best K of stage 1; the proxy check runs
 * a few trials and records nothing. A resumed run replays the store's history into the
 * controller in the order it happened (asks and tells), so it continues as if uninterrupted,
 * and takes over the trials its dead predecessor held. */
#include "pipeline_int.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TRIAL_MAX_ATTEMPTS = 3 }; /* claims of one trial before it is given up as failed */

/* An int setting as a ControllerParams int: out of range stays out of range, so
 * controller_new reports it. */
static int param_int(int64_t v) { return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v; }

ControllerParams stage_controller_params(const NasController *nc, uint64_t seed)
{
    static const ControllerKind kinds[] = {CONTROLLER_RANDOM,    CONTROLLER_GRID,      CONTROLLER_SOBOL,
                                           CONTROLLER_EVOLUTION, CONTROLLER_REINFORCE, CONTROLLER_LOCAL,
                                           CONTROLLER_TPE,       CONTROLLER_NSGA2,     CONTROLLER_BO,
                                           CONTROLLER_PPO};
    ControllerParams p = controller_defaults(kinds[nc->algorithm]);
    p.seed = seed;
    p.population = param_int(nc->population);
    p.sample = param_int(nc->sample);
    p.lr = nc->lr;
    p.baseline_decay = nc->baseline;
    p.entropy = nc->entropy;
    p.clip = nc->clip;
    p.batch = param_int(nc->batch);
    p.epochs = param_int(nc->epochs);
    p.startup = param_int(nc->startup);
    p.candidates = param_int(nc->candidates);
    p.multivariate = nc->multivariate;
    p.multiobjective = nc->multiobjective;
    p.nsga2_population = param_int(nc->nsga2_population);
    p.crossover = nc->crossover;
    return p;
}

/* Tells the controller a result with its objectives, computed from the metrics as stored, so
 * a live tell and its replay on resume say the same. */
static void tell(Run *R, Controller *c, const int32_t *arch, double reward, const char *metrics, bool ok)
{
    double obj[REWARD_MAX_OBJECTIVES];
    int k = 0;
    RewardMetrics m;
    char names[512];
    reward_metrics_init(&m);
    if (ok && metrics && json_to_metrics(metrics, &m, names, sizeof names)) {
        RewardResult rr;
        reward_compute(R->reward, &m, &rr);
        k = reward_oriented(R->reward, &rr, obj);
    }
    controller_tell_objectives(c, arch, reward, obj, k, ok);
}

/* ---- history replay ---- */

typedef struct Event {
    int64_t at;
    int trial;
    bool tell;
} Event;

static int by_event(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    if (x->at != y->at) return (x->at > y->at) - (x->at < y->at);
    if (x->trial != y->trial) return x->trial - y->trial; /* ties (an older store): a fixed order */
    return (int)x->tell - (int)y->tell;
}

static bool told_ok(const StoreTrial *t)
{
    return (t->state == TRIAL_DONE || t->state == TRIAL_CACHED || t->state == TRIAL_PRUNED) && isfinite(t->reward);
}

/* The stored history of a stage: how many were proposed, the next proposal number, and the
 * rows left RUNNING when their nasrun died (*retry, for a take-over). */
void stage_scan(const StoreTrialList *h, int64_t *proposed, int64_t *next_seq, int *retry, int *nretry)
{
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *tr = &h->items[i];
        if (tr->state == TRIAL_RUNNING) retry[(*nretry)++] = i; /* its nasrun died */
        if (tr->seq >= *next_seq) *next_seq = tr->seq + 1;
        (*proposed)++;
    }
}

/* Replays the stored history's events numbered `from` or later into the controller, in the
 * order they happened (each ask, each tell), and their results into the tally; returns the
 * next event number, or -1 (out of memory). */
int64_t stage_replay(Run *R, int stage, Controller *c, const StoreTrialList *h, Sched *s, int64_t from)
{
    const Space *sp = run_stage_space(R, stage);
    int n = space_count(sp);
    int32_t *asked = malloc(sizeof *asked * (size_t)(n ? n : 1)),
            *stored = malloc(sizeof *stored * (size_t)(n ? n : 1));
    Event *ev = malloc(sizeof *ev * (size_t)(2 * h->count + 1));
    int ne = 0, mismatches = 0;
    int64_t last = from - 1;
    if (!asked || !stored || !ev) last = -2;
    for (int i = 0; last > -2 && i < h->count; i++) {
        const StoreTrial *tr = &h->items[i];
        if (tr->ask_event >= from) ev[ne++] = (Event){tr->ask_event, i, false};
        if (tr->state != TRIAL_RUNNING && tr->tell_event >= from) ev[ne++] = (Event){tr->tell_event, i, true};
        if (tr->ask_event > last) last = tr->ask_event;
        if (tr->tell_event > last) last = tr->tell_event;
    }
    if (ne) qsort(ev, (size_t)ne, sizeof *ev, by_event);
    for (int k = 0; k < ne; k++) {
        const StoreTrial *tr = &h->items[ev[k].trial];
        SpaceError se;
        if (run_arch_decode(R, stage, tr->arch_id, stored, &se) != SPACE_OK) continue;
        if (!ev[k].tell) {
            controller_ask(c, asked);
            if (!space_arch_equal(sp, asked, stored)) mismatches++;
        } else {
            tell(R, c, stored, tr->reward, tr->metrics, told_ok(tr));
            prune_told(s->prune, tr->tell_event, tr->state, tr->curve);
            sched_record(s, tr->state, tr->reward, tr->seq, tr->arch_id);
        }
    }
    /* Workers propose under the store's lock from the same history, so theirs always agree. */
    if (mismatches && !R->o->quiet)
        fprintf(stderr,
                s->shared ? "nasrun: note: %d stored proposals differ from what this worker's controller replays "
                            "(a worker of another nas version or settings?); the stored results stand\n"
                          : "nasrun: note: %d replayed proposals differ from the stored ones "
                            "(expected with parallel > 1); the stored results stand\n",
                mismatches);
    free(asked);
    free(stored);
    free(ev);
    return last + 1;
}

/* ---- shared by the stages that record trials ---- */

/* A claim the store refused although this worker believed the trial free: another worker is
 * on the experiment. */
static int claim_refused(const StoreError *err)
{
    fprintf(stderr, "nasrun: %s: another nasrun works on this experiment: stopping\n", err->msg);
    return -4;
}

/* Claims a new proposal (stage, seq) for this worker and fills *t: SCHED_RUN or -(exit code). */
int stage_claim_new(Run *R, const StoreStart *st, int32_t *arch, const char *id, SchedTrial *t)
{
    StoreError err;
    int rc = store_trial_start(R->store, R->experiment, st, &t->claim, &err);
    if (rc == STORE_REFUSED) return claim_refused(&err);
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return -2;
    }
    *t = (SchedTrial){st->stage, st->seq, t->claim, arch, id};
    return SCHED_RUN;
}

/* A RUNNING row whose worker is gone (sched_other_worker checked them all): the next attempt
 * runs it, or after TRIAL_MAX_ATTEMPTS claims it is given up as failed with the reasons. */
int stage_take_over(Run *R, const StoreTrial *old, int32_t *arch, char *id, size_t idsize, SchedTrial *t,
                    TrialOutcome *ans)
{
    char why[160] = "its worker is gone", lost[340];
    sched_worker_gone(R, old, store_now(), why, sizeof why);
    snprintf(lost, sizeof lost, "%s%sattempt %d lost: %s", old->reason ? old->reason : "", old->reason ? "; " : "",
             old->attempts, why);
    StoreStart st = {old->stage,     old->seq,  old->ask_event, old->arch_id,
                     old->decisions, R->worker, old->attempts,  lost};
    StoreError err;
    int rc = store_trial_start(R->store, R->experiment, &st, &t->claim, &err);
    if (rc == STORE_REFUSED) return claim_refused(&err);
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return -2;
    }
    trial_dirs_remove(R, old->stage, old->seq); /* what the dead attempts left in /tmp */
    snprintf(id, idsize, "%s", old->arch_id);
    *t = (SchedTrial){old->stage, old->seq, t->claim, arch, id};
    SpaceError se;
    bool decodes = run_arch_decode(R, old->stage, old->arch_id, arch, &se) == SPACE_OK;
    if (decodes && t->claim.attempt <= TRIAL_MAX_ATTEMPTS) return SCHED_RUN;
    ans->state = TRIAL_FAILED;
    ans->reward = NAN;
    reward_metrics_init(&ans->m);
    if (!decodes) snprintf(ans->reason, sizeof ans->reason, "architecture %s: %s", old->arch_id, se.msg);
    else snprintf(ans->reason, sizeof ans->reason, "given up after %d attempts: %s", old->attempts, lost);
    return SCHED_ANSWERED;
}

/* A proposal that repeats an architecture already trained in this stage is answered from the
 * store: no retraining, a pruned one's included (what it reached is what it is worth here, and
 * training it again would be pruned again or spend the epochs pruning saved).
 * SCHED_RUN (not found) or SCHED_ANSWERED. */
static int cached(Run *R, int stage, const char *id, TrialOutcome *ans)
{
    StoreTrial prev;
    StoreError err;
    bool found;
    if (store_find_result(R->store, R->experiment, stage, id, &prev, &found, &err) != 0 || !found) return SCHED_RUN;
    ans->state = TRIAL_CACHED;
    ans->reward = prev.reward;
    reward_metrics_init(&ans->m);
    ans->metrics_json = prev.metrics ? strdup(prev.metrics) : NULL;
    ans->curve_json = prev.curve ? strdup(prev.curve) : NULL;
    snprintf(ans->reason, sizeof ans->reason, "%s", sched_repeat_reason(prev.state));
    store_trial_free(&prev);
    return SCHED_ANSWERED;
}

/* Records a result against this worker's attempt; 4 when the store refuses it. */
int stage_record(Run *R, const SchedTrial *t, const TrialOutcome *out, int64_t event)
{
    if (!out) return 4; /* the scheduler logged the refused heartbeat */
    StoreError err;
    int rc = store_trial_finish(R->store, &t->claim, out->state, out->reward, out->metrics_json, out->curve_json,
                                out->reason[0] ? out->reason : NULL, event, &err);
    if (rc == STORE_REFUSED) {
        fprintf(stderr, "nasrun: trial %lld %s: result refused by the store: %s\n", (long long)t->seq, t->arch_id,
                err.msg);
        return 4;
    }
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    html_report_refresh(R);
    if (out->state == TRIAL_DONE || out->state == TRIAL_INFEASIBLE) return weights_record(R, t->stage, t->arch_id);
    return 0;
}

/* ---- worker mode: the stage shared with other workers through the store ---- */

/* A RUNNING row of the history that is neither this worker's nor its worker's any more: the
 * first one whose worker is gone (NULL if none); *others: a live worker holds one. */
static const StoreTrial *vanished(Run *R, const Sched *s, const StoreTrialList *h, bool *others)
{
    double now = store_now();
    char why[160];
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *tr = &h->items[i];
        StoreAttempt a = {tr->id, tr->attempts};
        if (tr->state != TRIAL_RUNNING || sched_holds(s, &a)) continue;
        if (sched_worker_gone(R, tr, now, why, sizeof why)) return tr;
        *others = true;
    }
    return NULL;
}

/* Worker mode: one step of a source under the experiment's lock (the stage's rows read in
 * it), so that of all the workers one at a time proposes, takes over or decides. */
typedef int (*LockedStep)(void *ctx, Sched *s, const StoreTrialList *h, SchedTrial *t, TrialOutcome *ans);

static int under_lock(Run *R, int stage, double *quiet_until, LockedStep step, void *ctx, Sched *s, SchedTrial *t,
                      TrialOutcome *ans)
{
    /* waiting for the other workers: the store is asked once in a while, not at every wake-up */
    double now = store_now();
    if (now < *quiet_until) return SCHED_LATER;
    StoreError err;
    StoreTrialList h = {0};
    if (store_lock(R->store, R->experiment, &err) != 0 || store_trials(R->store, R->experiment, stage, &h, &err) != 0) {
        store_unlock(R->store, false, NULL);
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return -2;
    }
    int rc = step(ctx, s, &h, t, ans);
    store_trials_free(&h);
    if (store_unlock(R->store, rc >= 0, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return -2;
    }
    if (rc == SCHED_LATER) *quiet_until = now + fmin(sched_beat_seconds(), 1);
    return rc;
}

/* Worker mode: a result is stored under the lock and numbered after every event stored, so
 * every worker replays the same order. A result refused (this worker was fenced off: another
 * took the trial over) is logged and the worker goes on. */
static int record_shared(Run *R, const SchedTrial *t, const TrialOutcome *out)
{
    if (!out) return 0; /* the scheduler logged the refused heartbeat */
    StoreError err;
    int64_t event;
    if (store_lock(R->store, R->experiment, &err) != 0 ||
        store_next_event(R->store, R->experiment, t->stage, &event, &err) != 0) {
        store_unlock(R->store, false, NULL);
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    int rc = stage_record(R, t, out, event);
    if (store_unlock(R->store, rc == 0, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    return rc == 4 ? 0 : rc;
}

/* ---- stage 1 ---- */

typedef struct Stage1 {
    Run *R;
    int stage;
    Controller *c;
    StoreTrialList h;       /* the stored history */
    int *retry, nretry, ri; /* rows of h left RUNNING by a dead worker */
    int64_t trials, proposed, next_seq, event;
    bool exhausted;
    int32_t *arch; /* the proposal being handed to the scheduler */
    char id[128];
    double quiet_until; /* worker mode: when to read the store again while others work */
} Stage1;

/* Takes over a dead worker's trial. Its prune decision is the one its first attempt would
 * have made: the tells numbered before its ask are in the store, and none changes. */
static int stage1_take_over(Stage1 *g, Sched *s, const StoreTrial *old, SchedTrial *t, TrialOutcome *ans)
{
    int rc = stage_take_over(g->R, old, g->arch, g->id, sizeof g->id, t, ans);
    if (rc == SCHED_RUN && prune_asked(s->prune, g->R, g->stage, old->seq, old->ask_event, g->arch)) return -2;
    return rc;
}

/* Claims the proposal g->arch (g->id) as trial seq asked at event `ask`, every tell numbered
 * before which the pruner was told; a repeat is answered from the store. */
static int stage1_claim(Stage1 *g, Sched *s, int64_t seq, int64_t ask, SchedTrial *t, TrialOutcome *ans)
{
    char *dec = run_decisions_json(g->R, g->arch);
    StoreStart st = {g->stage, seq, ask, g->id, dec, g->R->worker, 0, NULL};
    int rc = stage_claim_new(g->R, &st, g->arch, g->id, t);
    free(dec);
    if (rc != SCHED_RUN) return rc;
    if (prune_asked(s->prune, g->R, g->stage, seq, ask, g->arch)) return -2;
    return cached(g->R, g->stage, g->id, ans);
}

/* Worker mode, under the lock: the controller and the tally catch up with the events the
 * other workers stored since this one last looked; then a vanished worker's trial is taken
 * over, or the next proposal made (what any worker would propose from this history), or the
 * stage waits for the other workers' trials, or it is over. */
static int stage1_locked(void *ctx, Sched *s, const StoreTrialList *h, SchedTrial *t, TrialOutcome *ans)
{
    Stage1 *g = ctx;
    Run *R = g->R;
    int64_t next = stage_replay(R, g->stage, g->c, h, s, g->event), next_seq = 0;
    if (next < 0) return -2;
    g->event = next;
    for (int i = 0; i < h->count; i++)
        if (h->items[i].seq >= next_seq) next_seq = h->items[i].seq + 1;
    bool others = false;
    const StoreTrial *old = vanished(R, s, h, &others);
    if (old) return stage1_take_over(g, s, old, t, ans);
    if (sched_check_stop(R, s) || g->exhausted || h->count >= g->trials) return others ? SCHED_LATER : SCHED_END;
    if (controller_ask(g->c, g->arch) != 0) {
        g->exhausted = true;
        return others ? SCHED_LATER : SCHED_END;
    }
    SpaceError se;
    if (space_arch_to_id(R->space, g->arch, g->id, sizeof g->id, &se) != SPACE_OK) {
        fprintf(stderr, "nasrun: internal error: %s\n", se.msg);
        return -2;
    }
    return stage1_claim(g, s, next_seq, g->event++, t, ans); /* every tell before it replayed above */
}

static int stage1_next(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *ans)
{
    Stage1 *g = ctx;
    Run *R = g->R;
    if (s->shared) return under_lock(R, g->stage, &g->quiet_until, stage1_locked, g, s, t, ans);
    if (g->ri < g->nretry) return stage1_take_over(g, s, &g->h.items[g->retry[g->ri++]], t, ans);
    if (g->exhausted || g->proposed >= g->trials) return SCHED_END;
    if (controller_ask(g->c, g->arch) != 0) {
        g->exhausted = true;
        return SCHED_END;
    }
    SpaceError se;
    if (space_arch_to_id(R->space, g->arch, g->id, sizeof g->id, &se) != SPACE_OK) {
        fprintf(stderr, "nasrun: internal error: %s\n", se.msg);
        return -2;
    }
    g->proposed++;
    return stage1_claim(g, s, g->next_seq++, g->event++, t, ans);
}

static int stage1_done(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    Stage1 *g = ctx;
    if (s->shared) return record_shared(g->R, t, out); /* told at the next look at the history */
    int64_t event = g->event++;
    int rc = stage_record(g->R, t, out, event);
    if (rc) return rc;
    /* a pruned trial is a low-fidelity result: its reward at the epoch it reached */
    bool ok = out->state == TRIAL_DONE || out->state == TRIAL_CACHED || out->state == TRIAL_PRUNED;
    tell(g->R, g->c, t->arch, out->reward, out->metrics_json, ok && isfinite(out->reward));
    prune_told(s->prune, event, out->state, out->curve_json);
    return 0;
}

int search_stage1(Run *R, const RunStage *st)
{
    const int stage = st->number;
    int64_t trials = run_trials(R, stage);
    ControllerParams cp =
        stage_controller_params(&R->cfg->controller, (uint64_t)(st ? st->controller_seed : R->cfg->controller.seed));
    char cerr[256];
    Controller *c = controller_new(R->space, &cp, cerr, sizeof cerr);
    if (!c) {
        fprintf(stderr, "nasrun: controller: %s\n", cerr);
        return 1;
    }
    Stage1 g = {.R = R, .stage = stage, .c = c, .trials = trials};
    Pruner *prune = prune_new(&st->search->prune, cerr, sizeof cerr);
    if (!prune && cerr[0]) {
        fprintf(stderr, "nasrun: %s\n", cerr);
        controller_free(c);
        return 1;
    }
    StoreError err;
    const bool shared = R->o->worker; /* else the history is read once, and no other worker may hold it */
    if (!shared && store_trials(R->store, R->experiment, stage, &g.h, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        prune_free(prune);
        controller_free(c);
        return 2;
    }
    if (!shared && sched_other_worker(R, &g.h)) {
        store_trials_free(&g.h);
        prune_free(prune);
        controller_free(c);
        return 2;
    }
    Sched s = {
        .stage = stage,
        .parallel = run_parallel(R, stage),
        .total = trials,
        .max_failed = R->o->max_failed >= 0 ? R->o->max_failed : st->search->max_failed,
        .time_limit = R->o->time_limit >= 0 ? R->o->time_limit : st->search->time_limit,
        .stop = st->search->stop,
        .single = !shared,
        .dedupe = true,
        .prune = prune,
        .shared = shared,
        .source = {&g, stage1_next},
        .sink = {&g, stage1_done},
    };
    int n = space_count(R->space), rc;
    g.retry = malloc(sizeof *g.retry * (size_t)(g.h.count + 1));
    g.arch = malloc(sizeof *g.arch * (size_t)(n ? n : 1));
    if (!g.retry || !g.arch) {
        rc = 2;
        goto out;
    }
    stage_scan(&g.h, &g.proposed, &g.next_seq, g.retry, &g.nretry);
    if ((g.event = stage_replay(R, stage, c, &g.h, &s, 0)) < 0) {
        rc = 2;
        goto out;
    }
    if (!R->o->quiet && s.tally.finished < trials)
        fprintf(stderr,
                "[stage %d] %lld trials, %lld in parallel, %d thread%s each, controller %s, space of %d "
                "decisions%s\n",
                stage, (long long)trials, (long long)(s.parallel > JOB_MAX ? JOB_MAX : s.parallel),
                run_threads(R, stage), run_threads(R, stage) > 1 ? "s" : "", controller_kind_name(cp.kind), n,
                shared ? "; a worker among others" : "");
    rc = sched_run(R, &s);
    if (!R->o->quiet && rc == 0)
        fprintf(stderr, "[stage %d] %lld trials finished (%lld failed); best reward %.4f: %s\n", stage,
                (long long)s.tally.finished, (long long)s.tally.failed, s.tally.best_id[0] ? s.tally.best : NAN,
                s.tally.best_id[0] ? s.tally.best_id : "none");
out:
    free(g.arch);
    free(g.retry);
    store_trials_free(&g.h);
    prune_free(prune);
    controller_free(c);
    return rc;
}

/* ---- stage 2 ---- */

typedef struct Stage2 {
    Run *R;
    int stage;
    StoreTrialList s2; /* stage 2 as stored when it began */
    StoreTrial *best;  /* the best distinct architectures of stage 1 (rows of s1) */
    int nb, next;
    int64_t next_seq, event;
    int32_t *arch;
    char id[128];
    double quiet_until; /* worker mode, as in Stage1 */
} Stage2;

/* Worker mode, under the lock (h: stage 2 as stored now): a vanished worker's trial is taken
 * over, or the best architecture that has no row yet claimed, or the stage waits for the other
 * workers' trials, or it is over. */
static int stage2_locked(void *ctx, Sched *s, const StoreTrialList *h, SchedTrial *t, TrialOutcome *ans)
{
    Stage2 *g = ctx;
    Run *R = g->R;
    s->tally = (Tally){0}; /* every worker's results, for the progress line */
    for (int i = 0; i < h->count; i++)
        if (h->items[i].state != TRIAL_RUNNING)
            sched_record(s, h->items[i].state, h->items[i].reward, h->items[i].seq, h->items[i].arch_id);
    bool others = false;
    const StoreTrial *old = vanished(R, s, h, &others);
    if (old) return stage_take_over(R, old, g->arch, g->id, sizeof g->id, t, ans);
    int64_t event = 0, seq = 0;
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *r = &h->items[i];
        event = r->ask_event >= event ? r->ask_event + 1 : event;
        event = r->tell_event >= event ? r->tell_event + 1 : event;
        seq = r->seq >= seq ? r->seq + 1 : seq;
    }
    for (int k = 0; k < g->nb; k++) {
        const StoreTrial *b = &g->best[k];
        bool has_row = false;
        for (int i = 0; i < h->count && !has_row; i++) has_row = !strcmp(h->items[i].arch_id, b->arch_id);
        SpaceError se;
        if (has_row || space_id_to_arch(R->space, b->arch_id, g->arch, &se) != SPACE_OK) continue;
        snprintf(g->id, sizeof g->id, "%s", b->arch_id);
        StoreStart st = {g->stage, seq, event, b->arch_id, b->decisions, R->worker, 0, NULL};
        return stage_claim_new(R, &st, g->arch, g->id, t);
    }
    return others ? SCHED_LATER : SCHED_END;
}

static int stage2_next(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *ans)
{
    Stage2 *g = ctx;
    Run *R = g->R;
    if (s->shared) return under_lock(R, g->stage, &g->quiet_until, stage2_locked, g, s, t, ans);
    while (g->next < g->nb) {
        /* A stage-2 row belongs to an architecture, not to a rank: the top of stage 1 can
         * change when stage 2 runs while stage 1 goes on, and a later run then trains only
         * the newcomers. A running row (its nasrun died) is taken over under its seq. */
        const StoreTrial *b = &g->best[g->next++], *row = NULL;
        for (int i = 0; i < g->s2.count && !row; i++)
            if (!strcmp(g->s2.items[i].arch_id, b->arch_id)) row = &g->s2.items[i];
        if (row && row->state != TRIAL_RUNNING) continue;
        if (row) return stage_take_over(R, row, g->arch, g->id, sizeof g->id, t, ans);
        SpaceError se;
        if (space_id_to_arch(R->space, b->arch_id, g->arch, &se) != SPACE_OK) continue;
        snprintf(g->id, sizeof g->id, "%s", b->arch_id);
        StoreStart st = {g->stage, g->next_seq++, g->event++, b->arch_id, b->decisions, R->worker, 0, NULL};
        return stage_claim_new(R, &st, g->arch, g->id, t);
    }
    return SCHED_END;
}

static int stage2_done(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    Stage2 *g = ctx;
    if (s->shared) return record_shared(g->R, t, out);
    return stage_record(g->R, t, out, g->event++);
}

int stage_best(Run *R, int stage, int64_t top, StoreTrialList *l, StoreTrial **best, int *nbest)
{
    StoreError err;
    *best = NULL;
    *nbest = 0;
    if (store_trials(R->store, R->experiment, stage, l, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    StoreTrial *b = malloc(sizeof *b * (size_t)(l->count + 1));
    if (!b) return 2;
    int nb = 0;
    for (int i = 0; i < l->count; i++)
        if (l->items[i].state == TRIAL_DONE && isfinite(l->items[i].reward)) b[nb++] = l->items[i];
    qsort(b, (size_t)nb, sizeof *b, trial_by_reward);
    /* Keep each architecture's best row (a resumed or older store can hold it twice). */
    int nd = 0;
    for (int i = 0; i < nb; i++) {
        bool dup = false;
        for (int j = 0; j < nd && !dup; j++) dup = !strcmp(b[j].arch_id, b[i].arch_id);
        if (!dup) b[nd++] = b[i];
    }
    *best = b;
    *nbest = nd > top ? (int)top : nd;
    return 0;
}

int search_stage2(Run *R, const RunStage *st)
{
    const int stage = st->number;
    StoreError err;
    StoreTrialList s1 = {0};
    Stage2 g = {.R = R, .stage = stage};
    int64_t top = st->train->top > 0 ? st->train->top : 1;
    if (stage_best(R, st->from, top, &s1, &g.best, &g.nb) ||
        store_trials(R->store, R->experiment, stage, &g.s2, &err)) {
        if (!g.best) fprintf(stderr, "nasrun: %s\n", err.msg);
        free(g.best);
        store_trials_free(&s1);
        return 2;
    }
    if (g.nb == 0) { /* rc 0 here would say a stage ran that trained nothing */
        fprintf(stderr, "nasrun: [stage %d] %s has no finished feasible trial with a reward: %s has nothing to train\n",
                stage, run_stage(R, st->from)->name, st->name);
        free(g.best);
        store_trials_free(&s1);
        store_trials_free(&g.s2);
        return 3;
    }
    const bool shared = R->o->worker;              /* the workers train them together */
    if (!shared && sched_other_worker(R, &g.s2)) { /* as in stage 1: one nasrun trains them */
        free(g.best);
        store_trials_free(&s1);
        store_trials_free(&g.s2);
        return 2;
    }
    int n = space_count(R->space), rc = 2;
    g.arch = malloc(sizeof *g.arch * (size_t)(n ? n : 1));
    if (!g.arch) goto out;
    for (int i = 0; i < g.s2.count; i++) {
        const StoreTrial *r = &g.s2.items[i];
        if (r->tell_event >= g.event) g.event = r->tell_event + 1;
        if (r->ask_event >= g.event) g.event = r->ask_event + 1;
        if (r->seq >= g.next_seq) g.next_seq = r->seq + 1;
    }
    Sched s = {.stage = stage,
               .parallel = run_parallel(R, stage),
               .total = g.nb,
               .max_failed = -1,
               .single = !shared,
               .shared = shared,
               .source = {&g, stage2_next},
               .sink = {&g, stage2_done}};
    if (!R->o->quiet && g.nb > 0)
        fprintf(stderr, "[stage %d] full training of the best %d architectures, %lld in parallel, %d thread%s each\n",
                stage, g.nb, (long long)(s.parallel > JOB_MAX ? JOB_MAX : s.parallel), run_threads(R, stage),
                run_threads(R, stage) > 1 ? "s" : "");
    rc = sched_run(R, &s);
out:
    free(g.arch);
    free(g.best);
    store_trials_free(&s1);
    store_trials_free(&g.s2);
    return rc;
}

/* ---- the proxy check ---- */

enum { CHECK_TRIALS = 5 };

typedef struct Check {
    Run *R;
    Controller *c;
    int asked, finished, failed, nr;
    double secs[CHECK_TRIALS], rew[CHECK_TRIALS];
    int32_t *arch;
    char id[128];
    const Space *space;
} Check;

static int check_next(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *ans)
{
    Check *g = ctx;
    if (g->asked >= CHECK_TRIALS || controller_ask(g->c, g->arch) != 0) return SCHED_END;
    SpaceError se;
    space_arch_to_id(g->space, g->arch, g->id, sizeof g->id, &se);
    *t = (SchedTrial){s->stage, g->asked++, {0, 0}, g->arch, g->id};
    return SCHED_RUN;
}

static int check_done(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    Check *g = ctx;
    g->secs[g->finished++] = out->seconds;
    if (out->state == TRIAL_FAILED) g->failed++;
    else g->rew[g->nr++] = out->reward;
    tell(g->R, g->c, t->arch, out->reward, out->metrics_json, out->state == TRIAL_DONE);
    return 0;
}

int search_check(Run *R)
{
    if (design_cheapest(R)) return 1;
    const RunStage *st = R->first_search;
    int stage = st ? st->number : 1;
    ControllerParams cp =
        stage_controller_params(&R->cfg->controller, (uint64_t)(st ? st->controller_seed : R->cfg->controller.seed));
    char cerr[256];
    Controller *c = controller_new(R->space, &cp, cerr, sizeof cerr);
    if (!c) {
        fprintf(stderr, "nasrun: controller: %s\n", cerr);
        return 1;
    }
    int n = space_count(R->space);
    Check g = {.R = R, .c = c, .space = R->space, .arch = malloc(sizeof(int32_t) * (size_t)(n ? n : 1))};
    Sched s = {.stage = stage,
               .parallel = run_parallel(R, stage),
               .total = CHECK_TRIALS,
               .max_failed = -1,
               .source = {&g, check_next},
               .sink = {&g, check_done}};
    fprintf(stderr, "[check] %d trials of the proxy task%s%s (nothing is recorded in the store)\n", CHECK_TRIALS,
            st && st->proxy_note ? ", under " : "", st && st->proxy_note ? st->proxy_note : "");
    int rc = g.arch ? sched_run(R, &s) : 2;
    if (rc) {
        free(g.arch);
        controller_free(c);
        return rc;
    }
    int finished = g.finished, nr = g.nr;
    double mean = 0, lo = INFINITY, hi = -INFINITY, rmean = 0, rsd = 0;
    for (int i = 0; i < finished; i++) mean += g.secs[i] / finished;
    for (int i = 0; i < nr; i++) {
        rmean += g.rew[i] / nr;
        lo = fmin(lo, g.rew[i]);
        hi = fmax(hi, g.rew[i]);
    }
    for (int i = 0; i < nr; i++) rsd += (g.rew[i] - rmean) * (g.rew[i] - rmean) / (nr > 1 ? nr - 1 : 1);
    int64_t trials = run_trials(R, stage), par = s.parallel;
    double total = (double)trials * mean / (double)par;
    char tt[32];
    sched_fmt_time(total, tt, sizeof tt);
    printf("proxy check: %d trials, %d failed\n", finished, g.failed);
    printf("  time per trial: mean %.1f s (", mean);
    for (int i = 0; i < finished; i++) printf("%s%.1f", i ? ", " : "", g.secs[i]);
    printf(")\n");
    if (nr) printf("  reward: mean %.4f, sd %.4f, range %.4f .. %.4f\n", rmean, sqrt(rsd), lo, hi);
    printf("  projected stage 1: %lld trials x %.1f s / %lld parallel = %s (%.2f days)\n", (long long)trials, mean,
           (long long)par, tt, total / 86400);
    if (nr > 1 && hi - lo < 1e-3)
        printf("  warning: the rewards barely differ; the proxy task may not separate architectures\n");
    free(g.arch);
    controller_free(c);
    return g.failed == finished ? 1 : 0;
}
