/* store.c — the backend-independent face of the trial store: dispatch and shared helpers. */
#include "store_impl.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static const char *state_names[] = {"running", "done", "infeasible", "failed", "cached", "pruned"};

const char *store_state_name(TrialState s)
{
    return (unsigned)s < sizeof state_names / sizeof *state_names ? state_names[s] : "?";
}

void store_errorf(StoreError *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

double store_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

Store *store_open(const char *where, bool create, StoreError *err)
{
    if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11))
        return store_open_postgres(where, create, err);
    return store_open_sqlite(where, create, err);
}

void store_close(Store *s)
{
    if (s) s->ops->close(s);
}

int store_experiment_begin(Store *s, const StoreExperiment *e, bool start_new, int64_t *id, bool *resumed,
                           StoreError *err)
{
    return s->ops->experiment_begin(s, e, start_new, id, resumed, err);
}

int store_trial_start(Store *s, int64_t experiment, const StoreStart *st, StoreAttempt *out, StoreError *err)
{
    return s->ops->trial_start(s, experiment, st, out, err);
}

int store_trial_heartbeat(Store *s, const StoreAttempt *a, StoreError *err)
{
    return s->ops->trial_heartbeat(s, a, err);
}

int store_trial_finish(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                       const char *curve, const char *reason, int64_t tell_event, StoreError *err)
{
    return s->ops->trial_finish(s, a, state, reward, metrics, curve, reason, tell_event, err);
}

int store_reclaim_stale(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err)
{
    return s->ops->reclaim_stale(s, experiment, stale_seconds, out, err);
}

int store_lock(Store *s, int64_t experiment, StoreError *err) { return s->ops->lock(s, experiment, err); }

int store_unlock(Store *s, bool commit, StoreError *err) { return s->ops->unlock(s, commit, err); }

int store_next_event(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err)
{
    return s->ops->next_event(s, experiment, stage, out, err);
}

int store_trials(Store *s, int64_t experiment, int stage, StoreTrialList *out, StoreError *err)
{
    return s->ops->trials(s, experiment, stage, NULL, false, out, err);
}

int store_find_done(Store *s, int64_t experiment, int stage, const char *arch_id, StoreTrial *out, bool *found,
                    StoreError *err)
{
    StoreTrialList l = {0};
    *found = false;
    if (s->ops->trials(s, experiment, stage, arch_id, true, &l, err) != 0) return -1;
    if (l.count > 0) {
        *out = l.items[0]; /* take ownership of the first row's strings */
        l.items[0] = (StoreTrial){0};
        *found = true;
    }
    store_trials_free(&l);
    return 0;
}

void store_trial_free(StoreTrial *t)
{
    free((char *)t->arch_id);
    free((char *)t->decisions);
    free((char *)t->metrics);
    free((char *)t->curve);
    free((char *)t->reason);
    free((char *)t->worker);
    *t = (StoreTrial){0};
    t->reward = NAN;
}

void store_trials_free(StoreTrialList *l)
{
    for (int i = 0; i < l->count; i++) store_trial_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

int store_experiments(Store *s, StoreExperimentList *out, StoreError *err) { return s->ops->experiments(s, out, err); }

void store_experiments_free(StoreExperimentList *l)
{
    for (int i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].source_hash);
    }
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

int store_weights_put(Store *s, int64_t experiment, const StoreWeights *w, StoreError *err)
{
    return s->ops->weights_put(s, experiment, w, err);
}

int store_weights_find(Store *s, int64_t experiment, int stage, const char *arch_id, StoreWeights *out, bool *found,
                       StoreError *err)
{
    *out = (StoreWeights){0};
    *found = false;
    return s->ops->weights_find(s, experiment, stage, arch_id, out, found, err);
}

void store_weights_free(StoreWeights *w)
{
    free(w->arch_id);
    free(w->path);
    free(w->sha256);
    *w = (StoreWeights){0};
}
