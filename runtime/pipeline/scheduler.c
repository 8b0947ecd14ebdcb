/* scheduler.c — the one loop that runs trials, for stage 1, stage 2 and the proxy check alike.
 * A source proposes trials (and answers some without running them), a sink records what
 * ended; the loop owns the rest: the pool of trial processes, a poll that never blocks on a
 * trial (a self-pipe wakes it for signals and for children that exit), heartbeats of every
 * claim it holds, timeouts counted from a trial's start, the tally, the stop rules and
 * `max_failed`. A claim the store refuses (another worker took it over) is logged, its trial
 * killed, and the sink told. In worker mode (Sched.shared) the stage is shared with other
 * nasruns through the store: the source keeps the tally from the store's history and may say
 * SCHED_LATER, to be asked again while the other workers' trials run. */
#include "pipeline_int.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
    STALE_BEATS = 6, /* a claim is stale after this many missed heartbeats */
    STOP_FAILED_MIN = 10
}; /* `failed > x%` is judged after this many finished trials */

/* A proposal waiting for the same architecture, already in flight, to end (Sched.dedupe). */
typedef struct SchedHeld {
    int stage;
    int64_t seq;
    StoreAttempt claim;
    int32_t *arch; /* malloc'd */
    char arch_id[128];
    double last_beat;
} SchedHeld;

/* ---- signals: a self-pipe the poll loop watches ---- */

static int wake[2] = {-1, -1};
static volatile sig_atomic_t caught;
static struct sigaction saved[4];
static const int handled[4] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};

static void on_signal(int sig)
{
    int e = errno;
    if (sig != SIGCHLD && !caught) caught = sig;
    if (wake[1] >= 0) (void)!write(wake[1], "", 1);
    errno = e;
}

static int signals_install(void)
{
    if (wake[0] < 0 && pipe(wake) != 0) {
        fprintf(stderr, "nasrun: cannot create a pipe: %s\n", strerror(errno));
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(wake[i], F_SETFL, O_NONBLOCK);
        fcntl(wake[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++) sigaction(handled[i], &sa, &saved[i]);
    return 0;
}

static void signals_restore(void)
{
    for (int i = 0; i < 4; i++) sigaction(handled[i], &saved[i], NULL);
}

void sched_child_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int i = 0; i < 4; i++) sigaction(handled[i], &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* ---- ownership ---- */

double sched_beat_seconds(void)
{
    /* $NAS_HEARTBEAT_SECONDS: shorter beats (and stale times) for tests and fast trainers */
    const char *e = getenv("NAS_HEARTBEAT_SECONDS");
    char *end;
    double v = e ? strtod(e, &end) : 0;
    return e && *e && !*end && v >= 0.05 && v <= 3600 ? v : 5;
}

double sched_stale_seconds(void) { return STALE_BEATS * sched_beat_seconds(); }

/* When process pid started, in unix seconds; -1 when unknown. /proc gives its start in clock
 * ticks of the boot-time clock: the process's age on that clock, taken from the wall clock now.
 * Not btime + ticks: btime is whole seconds and drifts from the wall clock as NTP slews it
 * (0.7 s off on a VM up for 2 hours), enough to mistake a new process for an old one. */
static double process_start(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
    unsigned long long ticks = 0;
    /* after ") ": state is field 3, starttime field 22 */
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &ticks) != 1)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    struct timespec up;
    if (hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &up) != 0) return -1;
    double age = (double)up.tv_sec + (double)up.tv_nsec * 1e-9 - (double)ticks / (double)hz;
    return store_now() - age;
}

bool sched_worker_gone(const Run *R, const StoreTrial *t, double now, char *why, size_t size)
{
    const char *w = t->worker ? t->worker : "", *colon = strrchr(w, ':'), *mine = strrchr(R->worker, ':');
    size_t host = (size_t)(mine - R->worker);
    if (!strcmp(w, R->worker)) { /* a dead nasrun whose pid this one now has */
        snprintf(why, size, "worker %s ended (its pid is now this nasrun's)", w);
        return true;
    }
    if (colon && (size_t)(colon - w) == host && !strncmp(w, R->worker, host)) {
        /* this host: the process decides, whatever its heartbeat (a stopped worker is alive) */
        long pid = strtol(colon + 1, NULL, 10);
        if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM)) {
            snprintf(why, size, "worker %s ended (no such process)", w);
            return true;
        }
        /* a process that started after the claim is not its worker: the pid was reused (a
         * reboot reuses them all); 2 s of slack for the clock ticks and the claim's own timing */
        double born = process_start(pid);
        if (born < 0 || t->started <= 0 || born <= t->started + 2) return false;
        snprintf(why, size, "worker %s ended (its pid belongs to a process started after the claim)", w);
        return true;
    }
    double age = now - t->heartbeat, stale = sched_stale_seconds();
    if (age <= stale) return false;
    snprintf(why, size, "worker %s stopped beating (%.0f s ago, stale after %.0f s)", w, age, stale);
    return true;
}

bool sched_holds(const Sched *s, const StoreAttempt *a)
{
    for (int i = 0; i < s->parallel; i++)
        if (s->jobs[i].busy && s->jobs[i].claim.trial_id == a->trial_id && s->jobs[i].claim.attempt == a->attempt)
            return true;
    for (int k = 0; k < s->nheld; k++)
        if (s->held[k].claim.trial_id == a->trial_id && s->held[k].claim.attempt == a->attempt) return true;
    return false;
}

bool sched_other_worker(const Run *R, const StoreTrialList *h)
{
    double now = store_now();
    char why[160];
    for (int i = 0; i < h->count; i++) {
        const StoreTrial *t = &h->items[i];
        if (t->state == TRIAL_RUNNING && !sched_worker_gone(R, t, now, why, sizeof why)) {
            fprintf(stderr,
                    "nasrun: another nasrun (%s) is running this experiment (trial %lld beat %.0f s ago); "
                    "wait for it or stop it first\n",
                    t->worker ? t->worker : "?", (long long)t->seq, now - t->heartbeat);
            return true;
        }
    }
    return false;
}

/* ---- tally, stop rules, progress ---- */

/* The best is the one report.c's trial_by_reward ranks first: the highest reward, the lowest
 * seq among equals, so the stage's "best" line names what stage 2 trains (results arrive in
 * the order trials end, not in seq order). A tie is no improvement for `converged`. */
static void tally_result(Tally *t, TrialState st, double reward, int64_t seq, const char *id)
{
    t->finished++;
    if (st == TRIAL_FAILED) {
        t->failed++;
        t->since_best++;
        return;
    }
    t->ok++;
    bool counts = st != TRIAL_INFEASIBLE && st != TRIAL_PRUNED && isfinite(reward);
    if (counts && (!t->best_id[0] || reward > t->best)) {
        t->best = reward;
        t->best_seq = seq;
        snprintf(t->best_id, sizeof t->best_id, "%s", id);
        t->since_best = 0;
        return;
    }
    if (counts && reward == t->best && seq < t->best_seq) {
        t->best_seq = seq;
        snprintf(t->best_id, sizeof t->best_id, "%s", id);
    }
    t->since_best++;
}

void sched_record(Sched *s, TrialState st, double reward, int64_t seq, const char *arch_id)
{
    tally_result(&s->tally, st, reward, seq, arch_id);
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
        /* a failure rate of the first few trials says nothing: one early crash is not 20% */
        if (s->var == NAS_STOP_FAILED && t->finished < STOP_FAILED_MIN) return false;
        double x = s->var == NAS_STOP_FAILED   ? (double)t->failed / (double)t->finished
                   : s->var == NAS_STOP_TRIALS ? (double)t->finished
                                               : elapsed;
        return config_compare(x, s->cmp, s->limit);
    }
    }
    return false;
}

bool sched_check_stop(Run *R, Sched *s)
{
    double elapsed = store_now() - s->started;
    if (!s->stopping && ((s->time_limit > 0 && elapsed >= s->time_limit) || stop_holds(s->stop, &s->tally, elapsed))) {
        s->stopping = true;
        if (!R->o->quiet)
            fprintf(stderr, "%s[stage %d] stop rule met after %lld trials: finishing the running ones\n",
                    R->o->progress ? "\r\033[K" : "", s->stage, (long long)s->tally.finished);
    }
    return s->stopping;
}

void sched_fmt_time(double s, char *buf, size_t n)
{
    if (s < 60) snprintf(buf, n, "%.0fs", s);
    else if (s < 3600) snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else snprintf(buf, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

static int busy(const Sched *s)
{
    int n = 0;
    for (int i = 0; i < s->parallel; i++) n += s->jobs[i].busy;
    return n;
}

static void progress(Run *R, const Sched *s)
{
    if (!R->o->progress) return;
    const Tally *t = &s->tally;
    double el = store_now() - s->started, left = 0;
    if (t->finished > 0 && s->total > t->finished) left = el / (double)t->finished * (double)(s->total - t->finished);
    char e[32], l[32];
    sched_fmt_time(el, e, sizeof e);
    sched_fmt_time(left, l, sizeof l);
    char tag[32];
    run_stage_tag(s->stage, tag, sizeof tag);
    fprintf(stderr, "\r\033[K[%s] %lld/%lld done, %d running, %lld failed", tag, (long long)t->finished,
            (long long)s->total, busy(s), (long long)t->failed);
    if (t->best_id[0]) fprintf(stderr, " | best %.4f (%s)", t->best, t->best_id);
    fprintf(stderr, " | %s elapsed, ~%s left", e, l);
}

static void log_trial(Run *R, int stage, int64_t seq, const char *id, const TrialOutcome *out)
{
    if (R->o->quiet) return;
    if (R->o->progress) fprintf(stderr, "\r\033[K");
    char tag[32];
    run_stage_tag(stage, tag, sizeof tag);
    if (out->state == TRIAL_FAILED)
        fprintf(stderr, "[%s] trial %lld %s: failed: %s (%.1fs)\n", tag, (long long)seq, id, out->reason, out->seconds);
    else
        fprintf(stderr, "[%s] trial %lld %s: reward %.4f accuracy %.4f params %.0f%s%s (%.1fs)\n", tag, (long long)seq,
                id, out->reward, out->m.accuracy, out->m.params,
                out->state == TRIAL_INFEASIBLE ? " infeasible: "
                : out->state == TRIAL_PRUNED   ? " "
                                               : "",
                out->state == TRIAL_INFEASIBLE || out->state == TRIAL_PRUNED ? out->reason : "", out->seconds);
}

/* ---- the pool ---- */

static int start(Run *R, Sched *s, const SchedTrial *t)
{
    Job *j = NULL;
    for (int i = 0; i < s->parallel && !j; i++)
        if (!s->jobs[i].busy) j = &s->jobs[i];
    int count = space_count(run_stage_space(R, t->stage)); /* a tune's vectors are its settings' */
    size_t n = sizeof *t->arch * (size_t)(count ? count : 1);
    if (!j || !(j->arch = malloc(n))) return 2;
    memcpy(j->arch, t->arch, n);
    snprintf(j->arch_id, sizeof j->arch_id, "%s", t->arch_id);
    j->stage = t->stage;
    j->seq = t->seq;
    j->claim = t->claim;
    if (trial_spawn(R, j) != 0) {
        trial_job_clear(j);
        return 2;
    }
    return 0;
}

static void end_job(Job *j)
{
    trial_kill(j);
    while (!j->exited && waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR) {}
    j->exited = true;
    trial_job_clear(j);
}

static void end_all(Sched *s)
{
    for (int i = 0; i < s->parallel; i++)
        if (s->jobs[i].busy) end_job(&s->jobs[i]);
}

static bool in_flight(const Sched *s, int stage, const char *id)
{
    for (int i = 0; i < s->parallel; i++)
        if (s->jobs[i].busy && s->jobs[i].stage == stage && !strcmp(s->jobs[i].arch_id, id)) return true;
    return false;
}

static int hold(Run *R, Sched *s, const SchedTrial *t)
{
    if (s->nheld == s->capheld) {
        int cap = s->capheld ? 2 * s->capheld : 8;
        SchedHeld *grown = realloc(s->held, sizeof *grown * (size_t)cap);
        if (!grown) return 2;
        s->held = grown;
        s->capheld = cap;
    }
    int count = space_count(run_stage_space(R, t->stage)); /* a tune's vectors are its settings' */
    size_t n = sizeof *t->arch * (size_t)(count ? count : 1);
    SchedHeld *h = &s->held[s->nheld];
    *h = (SchedHeld){t->stage, t->seq, t->claim, malloc(n), "", store_now()};
    if (!h->arch) return 2;
    memcpy(h->arch, t->arch, n);
    snprintf(h->arch_id, sizeof h->arch_id, "%s", t->arch_id);
    s->nheld++;
    return 0;
}

static void unhold(Sched *s, int k)
{
    free(s->held[k].arch);
    s->held[k] = s->held[--s->nheld];
}

/* A result that did not come from running the trial (the source's answer, or the in-flight
 * trial a held proposal waited for): to the sink, then the tally. */
static int answer(Run *R, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    if (out->state != TRIAL_CACHED) log_trial(R, t->stage, t->seq, t->arch_id, out);
    int rc = s->sink.done(s->sink.ctx, s, t, out);
    if (!rc && !s->shared) tally_result(&s->tally, out->state, out->reward, t->seq, t->arch_id);
    return rc;
}

const char *sched_repeat_reason(TrialState repeated)
{
    return repeated == TRIAL_PRUNED ? "repeats a pruned architecture: its low-fidelity result"
                                    : "repeats an evaluated architecture";
}

/* The trial of architecture `id` ended with *out: the proposals that waited for it are
 * answered from it when it is done or pruned; otherwise the first of them runs (the others wait on). */
static int release_held(Run *R, Sched *s, int stage, const char *id, const TrialOutcome *out)
{
    for (int k = 0; k < s->nheld;) {
        SchedHeld *h = &s->held[k];
        if (h->stage != stage || strcmp(h->arch_id, id) != 0) {
            k++;
            continue;
        }
        SchedTrial t = {h->stage, h->seq, h->claim, h->arch, h->arch_id};
        int rc;
        if (out->state == TRIAL_DONE || out->state == TRIAL_PRUNED) {
            TrialOutcome c = *out;
            c.state = TRIAL_CACHED;
            c.seconds = 0;
            snprintf(c.reason, sizeof c.reason, "%s", sched_repeat_reason(out->state));
            rc = answer(R, s, &t, &c);
        } else if (in_flight(s, stage, id)) {
            k++;
            continue;
        } else {
            rc = start(R, s, &t);
        }
        unhold(s, k);
        if (rc) return rc;
    }
    return 0;
}

/* A store write refused this worker's attempt: another worker owns the trial now. */
static int lost(Run *R, Sched *s, const SchedTrial *t, const char *msg)
{
    fprintf(stderr, "%snasrun: trial %lld %s (stage %d, attempt %d): refused by the store: %s\n",
            R->o->progress ? "\r\033[K" : "", (long long)t->seq, t->arch_id, t->stage, t->claim.attempt, msg);
    return s->sink.done(s->sink.ctx, s, t, NULL);
}

/* Timeouts and heartbeats, for every trial this worker holds. */
static int tend(Run *R, Sched *s, double now, double beat)
{
    double limit = trial_timeout(R);
    StoreError err;
    for (int i = 0; i < s->parallel; i++) {
        Job *j = &s->jobs[i];
        if (!j->busy) continue;
        if (limit > 0 && !j->timed_out && now - j->started > limit) {
            trial_kill(j); /* the trial's whole process group */
            j->timed_out = true;
        }
        if (j->claim.trial_id <= 0 || now - j->last_beat < beat) continue;
        j->last_beat = now;
        int rc = store_trial_heartbeat(R->store, &j->claim, &err);
        if (rc == STORE_REFUSED) {
            char id[128];
            snprintf(id, sizeof id, "%s", j->arch_id);
            SchedTrial t = {j->stage, j->seq, j->claim, NULL, id};
            end_job(j);
            if ((rc = lost(R, s, &t, err.msg))) return rc;
        } else if (rc) {
            fprintf(stderr, "nasrun: %s\n", err.msg);
            if (store_damaged(R->store)) return 2;
        }
    }
    for (int k = 0; k < s->nheld; k++) {
        SchedHeld *h = &s->held[k];
        if (h->claim.trial_id <= 0 || now - h->last_beat < beat) continue;
        h->last_beat = now;
        int rc = store_trial_heartbeat(R->store, &h->claim, &err);
        if (rc == STORE_REFUSED) {
            SchedTrial t = {h->stage, h->seq, h->claim, h->arch, h->arch_id};
            rc = lost(R, s, &t, err.msg);
            unhold(s, k--);
            if (rc) return rc;
        } else if (rc) {
            fprintf(stderr, "nasrun: %s\n", err.msg);
            if (store_damaged(R->store)) return 2;
        }
    }
    return 0;
}

/* Trials that ended: outcome, log, sink, tally; then the proposals that waited for them. */
static int collect(Run *R, Sched *s)
{
    for (int i = 0; i < s->parallel; i++) {
        Job *j = &s->jobs[i];
        if (!j->busy) continue;
        trial_read(j);
        if (s->prune && !j->exited && prune_poll(s->prune, j)) trial_kill(j); /* the rule stopped it */
        if (!trial_reap(j)) continue;
        TrialOutcome out;
        trial_outcome(R, j, &out);
        if (s->prune) prune_outcome(R, s->prune, j, &out);
        log_trial(R, j->stage, j->seq, j->arch_id, &out);
        SchedTrial t = {j->stage, j->seq, j->claim, j->arch, j->arch_id};
        int rc = s->sink.done(s->sink.ctx, s, &t, &out);
        if (!rc && !s->shared) tally_result(&s->tally, out.state, out.reward, j->seq, j->arch_id);
        char id[128];
        int stage = j->stage;
        snprintf(id, sizeof id, "%s", j->arch_id);
        trial_job_clear(j);
        if (!rc && s->nheld) rc = release_held(R, s, stage, id, &out);
        trial_outcome_free(&out);
        if (rc) return rc;
    }
    return 0;
}

/* Sleeps until a trial prints or ends, a signal comes, or the next heartbeat or timeout is due. */
static void wait_turn(Run *R, Sched *s, double beat, bool later)
{
    struct pollfd pf[JOB_MAX + 1];
    int n = 0;
    pf[n++] = (struct pollfd){wake[0], POLLIN, 0};
    double now = store_now(), due = now + (later ? fmin(beat, 1) : 1), limit = trial_timeout(R);
    for (int i = 0; i < s->parallel; i++) {
        Job *j = &s->jobs[i];
        if (!j->busy) continue;
        if (j->fd >= 0) pf[n++] = (struct pollfd){j->fd, POLLIN, 0};
        if (j->claim.trial_id > 0) due = fmin(due, j->last_beat + beat);
        if (limit > 0 && !j->timed_out) due = fmin(due, j->started + limit);
    }
    for (int k = 0; k < s->nheld; k++) due = fmin(due, s->held[k].last_beat + beat);
    int ms = (int)ceil((due - now) * 1000);
    if (caught) return;
    poll(pf, (nfds_t)n, ms < 0 ? 0 : ms);
    char drain[64];
    while (read(wake[0], drain, sizeof drain) > 0) {}
}

/* After this worker was stopped (SIGSTOP, a suspended VM) for longer than the stale time:
 * whether another worker took the experiment over meanwhile. */
static bool taken_over(Run *R, const Sched *s)
{
    StoreTrialList h = {0};
    StoreError err;
    if (store_trials(R->store, R->experiment, s->stage, &h, &err) != 0) return false;
    bool other = sched_other_worker(R, &h);
    store_trials_free(&h);
    return other;
}

int sched_run(Run *R, Sched *s)
{
    if (s->parallel > JOB_MAX) s->parallel = JOB_MAX;
    if (s->parallel < 1) s->parallel = 1;
    for (int i = 0; i < JOB_MAX; i++) s->jobs[i] = (Job){.fd = -1};
    if (signals_install() != 0) return 2;
    caught = 0;
    double beat = sched_beat_seconds(), stale = sched_stale_seconds(), last_turn = store_now();
    s->started = last_turn; /* not the process's start: a design or an earlier stage may have run */
    bool ended = false, later = false;
    int rc = 0;
    s->stopping = false;
    for (;;) {
        if (caught) {
            bool stored = false;
            for (int i = 0; i < s->parallel; i++) stored |= s->jobs[i].busy && s->jobs[i].claim.trial_id > 0;
            end_all(s);
            fprintf(stderr, "%s\nnasrun: interrupted by %s%s\n", R->o->progress ? "\r\033[K" : "",
                    caught == SIGINT    ? "SIGINT"
                    : caught == SIGTERM ? "SIGTERM"
                                        : "SIGHUP",
                    stored || s->nheld ? "; running trials will be retried on resume" : "");
            rc = 128 + caught;
            break;
        }
        double now = store_now();
        if (s->single && R->store && now - last_turn > stale && taken_over(R, s)) {
            fprintf(stderr,
                    "nasrun: this nasrun was stopped for %.0f s, longer than the stale time (%.0f s), "
                    "and another has taken the experiment over: stopping\n",
                    now - last_turn, stale);
            rc = 4;
            break;
        }
        last_turn = now;
        if ((rc = tend(R, s, now, beat)) || (rc = collect(R, s))) break;
        /* Checked before any trial starts, so a resumed search that was cancelled stops again
         * at once (raise --max-failed to go on) instead of running one more trial. */
        if (s->max_failed >= 0 && s->tally.failed > s->max_failed) {
            fprintf(stderr,
                    "%snasrun: %lld trials failed, more than max_failed = %lld: the search is cancelled "
                    "(see `nasrun %s --status` for the reasons)\n",
                    R->o->progress ? "\r\033[K" : "", (long long)s->tally.failed, (long long)s->max_failed, R->o->path);
            rc = 3;
            break;
        }
        sched_check_stop(R, s);
        bool waiting = false;
        later = false;
        while ((!s->stopping || s->shared) && !ended && !waiting && busy(s) < s->parallel && !caught) {
            SchedTrial t = {0};
            TrialOutcome ans;
            memset(&ans, 0, sizeof ans);
            int k = s->source.next(s->source.ctx, s, &t, &ans);
            if (k < 0) {
                rc = -k;
                break;
            }
            if (k == SCHED_END) ended = true;
            else if (k == SCHED_WAIT || k == SCHED_LATER) {
                waiting = true;
                later = k == SCHED_LATER;
            } else if (k == SCHED_ANSWERED) {
                rc = answer(R, s, &t, &ans);
                trial_outcome_free(&ans);
            } else if (s->dedupe && in_flight(s, t.stage, t.arch_id)) {
                rc = hold(R, s, &t);
            } else if (trial_precheck(R, &t, &ans)) {
                rc = answer(R, s, &t, &ans); /* infeasible from its graph: not trained */
                trial_outcome_free(&ans);
            } else {
                rc = start(R, s, &t);
            }
            if (rc) break;
        }
        if (rc) break;
        /* ended, stopping, or nothing to wait for here (and, shared, none of the others' either) */
        if (busy(s) == 0 && s->nheld == 0 && !later && !caught) break;
        progress(R, s);
        wait_turn(R, s, beat, later);
    }
    end_all(s);
    for (int k = s->nheld - 1; k >= 0; k--) unhold(s, k);
    free(s->held);
    s->held = NULL;
    s->capheld = 0;
    if (R->o->progress) fprintf(stderr, "\r\033[K");
    signals_restore();
    return rc;
}
