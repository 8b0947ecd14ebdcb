/* search.c — the stages. Stage 1 asks the controller for architectures, runs them as trials
 * (`parallel` at a time), records every result in the store and tells the controller; stage 2
 * fully trains the best K of stage 1. A resumed run replays the store's history into the
 * controller in the order it happened (asks and tells), so it continues as if uninterrupted. */
#include "pipeline_int.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { STALE_SECONDS = 30 };

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { (void)sig; interrupted = 1; }

typedef struct Pool { Job jobs[JOB_MAX]; int size; } Pool;

static Job *pool_free(Pool *p)
{
    for (int i = 0; i < p->size; i++)
        if (!p->jobs[i].busy) return &p->jobs[i];
    return NULL;
}

static int pool_busy(const Pool *p)
{
    int n = 0;
    for (int i = 0; i < p->size; i++) n += p->jobs[i].busy;
    return n;
}

static void pool_kill(Pool *p)
{
    for (int i = 0; i < p->size; i++) {
        if (!p->jobs[i].busy) continue;
        kill(-p->jobs[i].pid, SIGKILL);              /* the trial's process group (trial.c) */
        if (!p->jobs[i].exited) waitpid(p->jobs[i].pid, NULL, 0);
        trial_job_clear(&p->jobs[i]);
    }
}

/* Waits up to a second for a trial to end. 1: *done holds it (reap with pool_release),
 * 0: nothing ended yet. */
static int pool_wait(Run *R, Pool *p, Job **done, TrialOutcome *out)
{
    int k = trial_wait_any(R, p->jobs, p->size, 1000);
    if (k < 0) return 0;
    Job *j = &p->jobs[k];
    int status = j->status;
    while (!j->exited && waitpid(j->pid, &status, 0) < 0 && !interrupted) {}
    trial_outcome(R, j, status, out);
    *done = j;
    return 1;
}

static int start_job(Run *R, Pool *p, int stage, int64_t seq, int64_t trial_id, const int32_t *arch,
                     const char *id)
{
    Job *j = pool_free(p);
    size_t n = sizeof *arch * (size_t)(space_count(R->space) ? space_count(R->space) : 1);
    j->arch = malloc(n);
    if (!j->arch) return -1;
    memcpy(j->arch, arch, n);
    snprintf(j->arch_id, sizeof j->arch_id, "%s", id);
    j->stage = stage;
    j->seq = seq;
    j->trial_id = trial_id;
    if (trial_spawn(R, j) != 0) {
        trial_job_clear(j);
        return -1;
    }
    return 0;
}

/* An int setting as a ControllerParams int: out of range stays out of range, so
 * controller_new reports it. */
static int param_int(int64_t v) { return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v; }

/* The controller's defaults, overlaid with the parameters the program gives. */
static ControllerParams controller_params(Run *R)
{
    const NasController *nc = &R->cfg->controller;
    static const ControllerKind kinds[] = { CONTROLLER_RANDOM, CONTROLLER_GRID, CONTROLLER_SOBOL,
                                            CONTROLLER_EVOLUTION, CONTROLLER_REINFORCE,
                                            CONTROLLER_LOCAL, CONTROLLER_TPE };
    ControllerParams p = controller_defaults(kinds[nc->algorithm]);
    p.seed = (uint64_t)nc->seed;
    if (nc->population != NAS_UNSET) p.population = param_int(nc->population);
    if (nc->sample != NAS_UNSET) p.sample = param_int(nc->sample);
    if (!isnan(nc->lr)) p.lr = nc->lr;
    if (!isnan(nc->baseline)) p.baseline_decay = nc->baseline;
    if (!isnan(nc->entropy)) p.entropy = nc->entropy;
    if (nc->startup != NAS_UNSET) p.startup = param_int(nc->startup);
    if (nc->candidates != NAS_UNSET) p.candidates = param_int(nc->candidates);
    if (nc->multivariate >= 0) p.multivariate = nc->multivariate;
    return p;
}

/* ---- progress and stop rules ---- */

typedef struct Tally {
    int64_t proposed, finished, failed, ok;
    double best;
    char best_id[128];
    int64_t since_best;           /* finished trials since the best improved */
    double first_start;
} Tally;

static void tally_result(Tally *t, TrialState st, double reward, const char *id)
{
    t->finished++;
    if (st == TRIAL_FAILED) { t->failed++; t->since_best++; return; }
    t->ok++;
    if (st != TRIAL_INFEASIBLE && isfinite(reward) && (!t->best_id[0] || reward > t->best)) {
        t->best = reward;
        snprintf(t->best_id, sizeof t->best_id, "%s", id);
        t->since_best = 0;
        return;
    }
    t->since_best++;
}

static bool stop_holds(const NasStop *s, const Tally *t, double elapsed)
{
    if (!s) return false;
    switch (s->kind) {
    case NAS_STOP_OR: return stop_holds(s->a, t, elapsed) || stop_holds(s->b, t, elapsed);
    case NAS_STOP_AND: return stop_holds(s->a, t, elapsed) && stop_holds(s->b, t, elapsed);
    case NAS_STOP_NOT: return !stop_holds(s->a, t, elapsed);
    case NAS_STOP_CONST: return s->value;
    case NAS_STOP_CONVERGED: return t->ok >= s->window && t->since_best >= s->window;
    case NAS_STOP_COMPARE: {
        double x = s->var == NAS_STOP_FAILED ? (t->finished ? (double)t->failed / (double)t->finished : 0)
                 : s->var == NAS_STOP_TRIALS ? (double)t->finished : elapsed;
        switch (s->cmp) {
        case NAS_CMP_EQ: return x == s->limit;
        case NAS_CMP_NE: return x != s->limit;
        case NAS_CMP_LT: return x < s->limit;
        case NAS_CMP_LE: return x <= s->limit;
        case NAS_CMP_GT: return x > s->limit;
        case NAS_CMP_GE: return x >= s->limit;
        }
    }
    }
    return false;
}

static void fmt_time(double s, char *buf, size_t n)
{
    if (s < 60) snprintf(buf, n, "%.0fs", s);
    else if (s < 3600) snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else snprintf(buf, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

static void progress(Run *R, int stage, const Tally *t, int running, int64_t total)
{
    if (!R->o->progress) return;
    double el = store_now() - R->started, left = 0;
    int64_t done_here = t->finished;
    if (done_here > 0 && total > t->finished) left = el / (double)done_here * (double)(total - t->finished);
    char e[32], l[32];
    fmt_time(el, e, sizeof e);
    fmt_time(left, l, sizeof l);
    fprintf(stderr, "\r\033[K[stage %d] %lld/%lld done, %d running, %lld failed",
            stage, (long long)t->finished, (long long)total, running, (long long)t->failed);
    if (t->best_id[0]) fprintf(stderr, " | best %.4f (%s)", t->best, t->best_id);
    fprintf(stderr, " | %s elapsed, ~%s left", e, l);
}

static void log_trial(Run *R, int stage, const Job *j, const TrialOutcome *out)
{
    if (R->o->quiet) return;
    if (R->o->progress) fprintf(stderr, "\r\033[K");
    if (out->state == TRIAL_FAILED)
        fprintf(stderr, "[stage %d] trial %lld %s: failed: %s (%.1fs)\n", stage, (long long)j->seq,
                j->arch_id, out->reason, out->seconds);
    else
        fprintf(stderr, "[stage %d] trial %lld %s: reward %.4f accuracy %.4f params %.0f%s%s (%.1fs)\n",
                stage, (long long)j->seq, j->arch_id, out->reward, out->m.accuracy, out->m.params,
                out->state == TRIAL_INFEASIBLE ? " infeasible: " : "",
                out->state == TRIAL_INFEASIBLE ? out->reason : "", out->seconds);
}

/* ---- history replay ---- */

typedef struct Event { int64_t at; int trial; bool tell; } Event;

static int by_event(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

static bool told_ok(const StoreTrial *t)
{
    return (t->state == TRIAL_DONE || t->state == TRIAL_CACHED) && isfinite(t->reward);
}

/* Replays the controller; fills the tally; returns the next event number. Trials that were
 * running when the last nasrun died go to *retry. */
static int64_t replay(Run *R, Controller *c, const StoreTrialList *h, Tally *t, int64_t *next_seq,
                      int *retry, int *nretry)
{
    int n = space_count(R->space);
    int32_t *asked = malloc(sizeof *asked * (size_t)(n ? n : 1)), *stored = malloc(sizeof *stored * (size_t)(n ? n : 1));
    Event *ev = malloc(sizeof *ev * (size_t)(2 * h->count + 1));
    int ne = 0, mismatches = 0;
    int64_t last = -1;
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *tr = &h->items[i];
        ev[ne++] = (Event){ tr->ask_event, i, false };
        if (tr->state != TRIAL_RUNNING) ev[ne++] = (Event){ tr->tell_event, i, true };
        else retry[(*nretry)++] = i;
        if (tr->ask_event > last) last = tr->ask_event;
        if (tr->tell_event > last) last = tr->tell_event;
        if (tr->seq >= *next_seq) *next_seq = tr->seq + 1;
        t->proposed++;
    }
    qsort(ev, (size_t)ne, sizeof *ev, by_event);
    for (int k = 0; k < ne; k++) {
        const StoreTrial *tr = &h->items[ev[k].trial];
        SpaceError se;
        if (space_id_to_arch(R->space, tr->arch_id, stored, &se) != SPACE_OK) continue;
        if (!ev[k].tell) {
            controller_ask(c, asked);
            if (!space_arch_equal(R->space, asked, stored)) mismatches++;
        } else {
            controller_tell(c, stored, tr->reward, told_ok(tr));
            tally_result(t, tr->state, tr->reward, tr->arch_id);
        }
    }
    if (mismatches && !R->o->quiet)
        fprintf(stderr, "nasrun: note: %d replayed proposals differ from the stored ones "
                "(expected with parallel > 1); the stored results stand\n", mismatches);
    free(asked);
    free(stored);
    free(ev);
    return last + 1;
}

/* Whether the worker ("host:pid") may still be running. One on this host whose process is
 * gone was killed or crashed: its trials can be retried at once, without waiting for its
 * heartbeat to go stale. One on another host is trusted to be alive while it beats. */
static bool worker_alive(const Run *R, const char *worker)
{
    const char *colon = strrchr(worker, ':'), *mine = strrchr(R->worker, ':');
    size_t host = mine ? (size_t)(mine - R->worker) : 0;
    if (!colon || !mine || (size_t)(colon - worker) != host || strncmp(worker, R->worker, host) != 0)
        return true;
    long pid = strtol(colon + 1, NULL, 10);
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Another nasrun working on this experiment right now? Its running trials have fresh beats. */
static bool other_worker(Run *R, const StoreTrialList *h)
{
    double now = store_now();
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *t = &h->items[i];
        if (t->state == TRIAL_RUNNING && now - t->heartbeat < STALE_SECONDS && t->worker &&
            strcmp(t->worker, R->worker) != 0 && worker_alive(R, t->worker)) {
            fprintf(stderr, "nasrun: another nasrun (%s) is running this experiment (trial %lld beat %.0f s ago); "
                    "wait for it or stop it first\n", t->worker, (long long)t->seq, now - t->heartbeat);
            return true;
        }
    }
    return false;
}

static int finish_job(Run *R, Job *j, TrialOutcome *out, int64_t event)
{
    StoreError err;
    if (j->trial_id > 0 &&
        store_trial_finish(R->store, j->trial_id, out->state, out->reward, out->metrics_json,
                           out->curve_json, out->reason[0] ? out->reason : NULL, event, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return -1;
    }
    return 0;
}

int search_stage1(Run *R)
{
    int64_t trials = run_trials(R), par = run_parallel(R, 1);
    if (par > JOB_MAX) par = JOB_MAX;
    int64_t max_failed = R->o->max_failed >= 0 ? R->o->max_failed
                       : R->search ? R->search->max_failed : trials / 3;
    double limit = R->o->time_limit >= 0 ? R->o->time_limit : R->search ? R->search->time_limit : 0;
    const NasStop *stop = R->search ? R->search->stop : NULL;
    ControllerParams cp = controller_params(R);
    char cerr[256];
    Controller *c = controller_new(R->space, &cp, cerr, sizeof cerr);
    if (!c) {
        fprintf(stderr, "nasrun: controller: %s\n", cerr);
        return 1;
    }
    StoreError err;
    StoreTrialList h = {0};
    if (store_trials(R->store, R->experiment, 1, &h, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        controller_free(c);
        return 2;
    }
    if (other_worker(R, &h)) {
        store_trials_free(&h);
        controller_free(c);
        return 2;
    }
    Tally t = {0};
    int64_t next_seq = 0;
    int *retry = malloc(sizeof *retry * (size_t)(h.count + 1)), nretry = 0, ri = 0;
    int64_t event = replay(R, c, &h, &t, &next_seq, retry, &nretry);
    int n = space_count(R->space), rc = 0;
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    Pool pool = { .size = (int)par };
    bool exhausted = false, stopping = false;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (!R->o->quiet && t.finished < trials)
        fprintf(stderr, "[stage 1] %lld trials, %lld in parallel, %d thread%s each, controller %s, space of %d decisions\n",
                (long long)trials, (long long)par, run_threads(R, 1), run_threads(R, 1) > 1 ? "s" : "",
                controller_kind_name(cp.kind), n);
    for (;;) {
        if (interrupted) {
            pool_kill(&pool);
            fprintf(stderr, "\nnasrun: interrupted; running trials will be retried on resume\n");
            rc = 130;
            break;
        }
        /* Checked before any trial starts, so a resumed search that was cancelled stops again
         * at once (raise --max-failed to go on) instead of running one more trial. */
        if (t.failed > max_failed) {
            fprintf(stderr, "%snasrun: %lld trials failed, more than max_failed = %lld: the search is cancelled "
                    "(see `nasrun %s --status` for the reasons)\n", R->o->progress ? "\r\033[K" : "",
                    (long long)t.failed, (long long)max_failed, R->o->path);
            pool_kill(&pool);
            rc = 3;
            break;
        }
        double elapsed = store_now() - R->started;
        if (!stopping && ((limit > 0 && elapsed >= limit) || stop_holds(stop, &t, elapsed))) {
            stopping = true;
            if (!R->o->quiet)
                fprintf(stderr, "%s[stage 1] stop rule met after %lld trials: finishing the running ones\n",
                        R->o->progress ? "\r\033[K" : "", (long long)t.finished);
        }
        while (!stopping && pool_free(&pool) && (ri < nretry || (!exhausted && t.proposed < trials))) {
            int64_t seq, trial_id, ask_event;
            char id[128];
            SpaceError se;
            if (ri < nretry) {
                const StoreTrial *old = &h.items[retry[ri++]];
                if (space_id_to_arch(R->space, old->arch_id, arch, &se) != SPACE_OK) continue;
                seq = old->seq;
                ask_event = old->ask_event;
                snprintf(id, sizeof id, "%s", old->arch_id);
            } else {
                if (controller_ask(c, arch) != 0) { exhausted = true; break; }
                seq = next_seq++;
                ask_event = event++;
                t.proposed++;
                if (space_arch_to_id(R->space, arch, id, sizeof id, &se) != SPACE_OK) {
                    fprintf(stderr, "nasrun: internal error: %s\n", se.msg);
                    rc = 2;
                    break;
                }
                /* A repeated architecture is answered from the store: no retraining. */
                StoreTrial prev;
                bool found;
                if (store_find_done(R->store, R->experiment, 1, id, &prev, &found, &err) == 0 && found) {
                    char *dec = run_decisions_json(R, arch);
                    int64_t tid;
                    if (store_trial_start(R->store, R->experiment, 1, seq, ask_event, id, dec, R->worker, &tid, &err) ||
                        store_trial_finish(R->store, tid, TRIAL_CACHED, prev.reward, prev.metrics, prev.curve,
                                           "repeats an evaluated architecture", event++, &err))
                        fprintf(stderr, "nasrun: %s\n", err.msg);
                    controller_tell(c, arch, prev.reward, true);
                    tally_result(&t, TRIAL_CACHED, prev.reward, id);
                    free(dec);
                    store_trial_free(&prev);
                    continue;
                }
            }
            char *dec = run_decisions_json(R, arch);
            int st = store_trial_start(R->store, R->experiment, 1, seq, ask_event, id, dec, R->worker, &trial_id, &err);
            free(dec);
            if (st) { fprintf(stderr, "nasrun: %s\n", err.msg); rc = 2; break; }
            if (start_job(R, &pool, 1, seq, trial_id, arch, id) != 0) { rc = 2; break; }
        }
        if (rc) { pool_kill(&pool); break; }
        if (pool_busy(&pool) == 0) break;
        Job *j;
        TrialOutcome out;
        if (!pool_wait(R, &pool, &j, &out)) {
            progress(R, 1, &t, pool_busy(&pool), trials);
            continue;
        }
        log_trial(R, 1, j, &out);
        if (finish_job(R, j, &out, event++) != 0) rc = 2;
        controller_tell(c, j->arch, out.reward, out.state == TRIAL_DONE);
        tally_result(&t, out.state, out.reward, j->arch_id);
        trial_outcome_free(&out);
        trial_job_clear(j);
        progress(R, 1, &t, pool_busy(&pool), trials);
    }
    if (R->o->progress) fprintf(stderr, "\r\033[K");
    if (!R->o->quiet && rc == 0)
        fprintf(stderr, "[stage 1] %lld trials finished (%lld failed); best reward %.4f: %s\n",
                (long long)t.finished, (long long)t.failed, t.best_id[0] ? t.best : NAN,
                t.best_id[0] ? t.best_id : "none");
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    free(arch);
    free(retry);
    store_trials_free(&h);
    controller_free(c);
    return rc;
}

/* ---- stage 2 ---- */

int search_stage2(Run *R)
{
    if (!R->train) return 0;
    StoreError err;
    StoreTrialList s1 = {0}, s2 = {0};
    if (store_trials(R->store, R->experiment, 1, &s1, &err) || store_trials(R->store, R->experiment, 2, &s2, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    if (other_worker(R, &s2)) {                 /* as in stage 1: one nasrun trains them */
        store_trials_free(&s1);
        store_trials_free(&s2);
        return 2;
    }
    /* The best distinct architectures of stage 1 that met every constraint. */
    StoreTrial *best = malloc(sizeof *best * (size_t)(s1.count + 1));
    int nb = 0;
    for (int i = 0; i < s1.count; i++)
        if (s1.items[i].state == TRIAL_DONE && isfinite(s1.items[i].reward)) best[nb++] = s1.items[i];
    qsort(best, (size_t)nb, sizeof *best, trial_by_reward);
    /* An architecture proposed again while its first trial was still running is trained
     * twice in stage 1 (the cache answers only from finished trials): keep its best row. */
    int nd = 0;
    for (int i = 0; i < nb; i++) {
        bool dup = false;
        for (int j = 0; j < nd && !dup; j++) dup = !strcmp(best[j].arch_id, best[i].arch_id);
        if (!dup) best[nd++] = best[i];
    }
    nb = nd;
    int64_t top = R->train->top > 0 ? R->train->top : 1;
    if (nb > top) nb = (int)top;
    int64_t par = run_parallel(R, 2);
    if (par > JOB_MAX) par = JOB_MAX;
    Pool pool = { .size = (int)par };
    int n = space_count(R->space), rc = 0, next = 0;
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    Tally t = {0};
    int64_t event = 0, next_seq = 0;
    for (int i = 0; i < s2.count; i++) {
        if (s2.items[i].tell_event >= event) event = s2.items[i].tell_event + 1;
        if (s2.items[i].ask_event >= event) event = s2.items[i].ask_event + 1;
        if (s2.items[i].seq >= next_seq) next_seq = s2.items[i].seq + 1;
    }
    if (!R->o->quiet && nb > 0)
        fprintf(stderr, "[stage 2] full training of the best %d architectures, %lld in parallel, %d thread%s each\n",
                nb, (long long)par, run_threads(R, 2), run_threads(R, 2) > 1 ? "s" : "");
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    for (;;) {
        if (interrupted) { pool_kill(&pool); rc = 130; break; }
        while (next < nb && pool_free(&pool)) {
            /* A stage-2 row belongs to an architecture, not to a rank: the top of stage 1 can
             * change when stage 2 runs while stage 1 goes on, and a later run then trains only
             * the newcomers. A running row (its nasrun died) is trained again under its seq. */
            const StoreTrial *b = &best[next++];
            const StoreTrial *row = NULL;
            for (int i = 0; i < s2.count && !row; i++)
                if (!strcmp(s2.items[i].arch_id, b->arch_id)) row = &s2.items[i];
            if (row && row->state != TRIAL_RUNNING) continue;
            int64_t seq = row ? row->seq : next_seq++;
            SpaceError se;
            if (space_id_to_arch(R->space, b->arch_id, arch, &se) != SPACE_OK) continue;
            int64_t tid;
            if (store_trial_start(R->store, R->experiment, 2, seq, row ? row->ask_event : event++, b->arch_id,
                                  b->decisions, R->worker, &tid, &err)) {
                fprintf(stderr, "nasrun: %s\n", err.msg);
                rc = 2;
                break;
            }
            if (start_job(R, &pool, 2, seq, tid, arch, b->arch_id) != 0) { rc = 2; break; }
        }
        if (rc || pool_busy(&pool) == 0) { pool_kill(&pool); break; }
        Job *j;
        TrialOutcome out;
        if (!pool_wait(R, &pool, &j, &out)) { progress(R, 2, &t, pool_busy(&pool), nb); continue; }
        log_trial(R, 2, j, &out);
        if (finish_job(R, j, &out, event++) != 0) rc = 2;
        tally_result(&t, out.state, out.reward, j->arch_id);
        trial_outcome_free(&out);
        trial_job_clear(j);
    }
    if (R->o->progress) fprintf(stderr, "\r\033[K");
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    free(arch);
    free(best);
    store_trials_free(&s1);
    store_trials_free(&s2);
    return rc;
}

/* ---- the proxy check ---- */

int search_check(Run *R)
{
    enum { CHECK_TRIALS = 5 };
    ControllerParams cp = controller_params(R);
    char cerr[256];
    Controller *c = controller_new(R->space, &cp, cerr, sizeof cerr);
    if (!c) { fprintf(stderr, "nasrun: controller: %s\n", cerr); return 1; }
    int64_t par = run_parallel(R, 1);
    if (par > JOB_MAX) par = JOB_MAX;
    Pool pool = { .size = (int)par };
    int n = space_count(R->space), started = 0, finished = 0, failed = 0;
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    double secs[CHECK_TRIALS], rew[CHECK_TRIALS];
    int nr = 0;
    Tally t = {0};
    fprintf(stderr, "[check] %d trials of the proxy task (nothing is recorded in the store)\n", CHECK_TRIALS);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (finished < CHECK_TRIALS && !interrupted) {
        while (started < CHECK_TRIALS && pool_free(&pool)) {
            char id[128];
            SpaceError se;
            if (controller_ask(c, arch) != 0) { started = CHECK_TRIALS; break; }
            space_arch_to_id(R->space, arch, id, sizeof id, &se);
            if (start_job(R, &pool, 1, started++, 0, arch, id) != 0) break;
        }
        if (pool_busy(&pool) == 0) break;
        Job *j;
        TrialOutcome out;
        if (!pool_wait(R, &pool, &j, &out)) continue;
        finished++;
        log_trial(R, 1, j, &out);
        secs[finished - 1] = out.seconds;
        if (out.state == TRIAL_FAILED) failed++;
        else rew[nr++] = out.reward;
        controller_tell(c, j->arch, out.reward, out.state == TRIAL_DONE);
        tally_result(&t, out.state, out.reward, j->arch_id);
        trial_outcome_free(&out);
        trial_job_clear(j);
    }
    pool_kill(&pool);                   /* also the trials an interrupt left running */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (interrupted) {
        fprintf(stderr, "\nnasrun: interrupted\n");
        free(arch);
        controller_free(c);
        return 130;
    }
    double mean = 0, lo = INFINITY, hi = -INFINITY, rmean = 0, rsd = 0;
    for (int i = 0; i < finished; i++) mean += secs[i] / finished;
    for (int i = 0; i < nr; i++) { rmean += rew[i] / nr; lo = fmin(lo, rew[i]); hi = fmax(hi, rew[i]); }
    for (int i = 0; i < nr; i++) rsd += (rew[i] - rmean) * (rew[i] - rmean) / (nr > 1 ? nr - 1 : 1);
    int64_t trials = run_trials(R);
    double total = (double)trials * mean / (double)par;
    char tt[32];
    fmt_time(total, tt, sizeof tt);
    printf("proxy check: %d trials, %d failed\n", finished, failed);
    printf("  time per trial: mean %.1f s (", mean);
    for (int i = 0; i < finished; i++) printf("%s%.1f", i ? ", " : "", secs[i]);
    printf(")\n");
    if (nr) printf("  reward: mean %.4f, sd %.4f, range %.4f .. %.4f\n", rmean, sqrt(rsd), lo, hi);
    printf("  projected stage 1: %lld trials x %.1f s / %lld parallel = %s (%.2f days)\n",
           (long long)trials, mean, (long long)par, tt, total / 86400);
    if (nr > 1 && hi - lo < 1e-3)
        printf("  warning: the rewards barely differ; the proxy task may not separate architectures\n");
    free(arch);
    controller_free(c);
    return failed == finished ? 1 : 0;
}
