/* store.c — the backend-independent face of the trial store: dispatch, and the one check of
 * what a backend reads back and of what a caller hands it to store. */
#include "store_impl.h"
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define EVENT_MAX    ((int64_t)1 << 50)
#define ARCH_ID_MAX  120  /* the callers keep an ID in 128 bytes */
#define FUTURE_SLACK 60.0 /* seconds a time may lie ahead of the clock it was written with */
#define TIME_MAX     1e11 /* the year 5138: beyond it a number is not a time */

static const char *const state_names[] = {
#define STORE_STATE_NAME(e, name) name,
    STORE_STATES(STORE_STATE_NAME)
#undef STORE_STATE_NAME
};

const char *store_state_name(TrialState s) { return (unsigned)s < TRIAL_NSTATES ? state_names[s] : "?"; }

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

/* ---- text and JSON ---- */

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        unsigned lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        unsigned lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

static bool utf8_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (!n) return false;
        p += n;
    }
    return true;
}

int store_text_normalise(const char *text, char **out, StoreError *err)
{
    *out = NULL;
    if (!text) return 0;
    size_t n = strlen(text);
    char *o = malloc(n * 3 + 1); /* each bad byte becomes the 3 bytes of U+FFFD */
    if (!o) return store_errorf(err, "out of memory"), -1;
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        size_t len = utf8_seq(p);
        if (len) {
            memcpy(o + k, p, len);
            k += len;
            p += len;
        } else {
            memcpy(o + k, "\xEF\xBF\xBD", 3);
            k += 3;
            p++;
        }
    }
    o[k] = 0;
    *out = o;
    return 0;
}

/* JSON of the given type (an object, or with `array` an array), printed again by cJSON:
 * strict syntax, no trailing bytes, non-finite numbers as null. NULL when it is not. */
static char *json_reprint(const char *text, bool array)
{
    cJSON *j = cJSON_ParseWithOpts(text, NULL, 1);
    char *out = NULL;
    if (j && (array ? cJSON_IsArray(j) : cJSON_IsObject(j))) out = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return out;
}

int store_json_normalise(const char *json, bool array, const char *what, char **out, StoreError *err)
{
    *out = NULL;
    if (!json) return 0;
    char *text;
    if (store_text_normalise(json, &text, err)) return -1;
    *out = json_reprint(text, array);
    free(text);
    if (*out) return 0;
    store_errorf(err, "%s to store: not a JSON %s: %.60s", what, array ? "array" : "object", json);
    return -1;
}

/* ---- rows read back ---- */

/* An architecture ID (base32 and the legacy characters), or a tune trial's `ARCH:SETTINGS`. */
static bool arch_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ARCH_ID_MAX) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
              *s == '-' || *s == ':'))
            return false;
    return true;
}

static bool time_ok(double t, double now) { return isfinite(t) && t >= 0 && t <= TIME_MAX && t <= now + FUTURE_SLACK; }

/* A stored JSON column: NULL, or valid UTF-8 JSON of its type, normalised. */
static bool json_column(const char *text, bool array, const char **out, bool *oom)
{
    *out = NULL;
    if (!text) return true;
    if (!utf8_valid(text)) return false;
    char *j = json_reprint(text, array);
    if (!j) {
        /* cJSON fails on a malformed text and on no memory alike: tell them apart */
        cJSON *probe = cJSON_CreateObject();
        *oom = probe == NULL;
        cJSON_Delete(probe);
        return false;
    }
    *out = j;
    return true;
}

static bool text_column(const char *text, const char **out, bool *oom)
{
    *out = NULL;
    if (!text) return true;
    if (!utf8_valid(text)) return false;
    if (!(*out = strdup(text))) *oom = true;
    return !*oom;
}

int store_row_check(const StoreRow *r, double now, StoreTrial *t, const char **why)
{
    *t = (StoreTrial){0};
    t->reward = NAN;
    bool oom = false;
    if (r->bad) *why = r->bad;
    else if (r->id < 1) *why = "bad id";
    else if (r->stage < STORE_STAGE_MIN || r->stage > STORE_STAGE_MAX || r->stage == 0) *why = "stage out of range";
    else if (r->seq < 0 || r->seq > STORE_SEQ_MAX) *why = "seq out of range";
    else if (!r->arch_id || !*r->arch_id) *why = "no arch_id";
    else if (!arch_id_ok(r->arch_id)) *why = "arch_id is not an architecture ID";
    else if (r->state < 0 || r->state >= TRIAL_NSTATES) *why = "state is not a trial state";
    else if (r->has_reward && !isfinite(r->reward)) *why = "reward is not a finite number";
    else if (r->attempts < 1 || r->attempts > STORE_ATTEMPTS_MAX) *why = "attempts out of range";
    else if (!time_ok(r->heartbeat, INFINITY) || !time_ok(r->started, INFINITY) || !time_ok(r->finished, INFINITY))
        *why = "a start, finish or heartbeat time is not a time";
    else if (r->heartbeat > now + FUTURE_SLACK) *why = "heartbeat is in the future";
    else if (r->started > now + FUTURE_SLACK || r->finished > now + FUTURE_SLACK)
        *why = "start or finish time is in the future";
    else if (r->ask_event < -1 || r->ask_event > EVENT_MAX || r->tell_event < -1 || r->tell_event > EVENT_MAX)
        *why = "ask or tell event out of range";
    else if (!json_column(r->decisions, false, &t->decisions, &oom))
        *why = oom ? NULL : "decisions are not a JSON object";
    else if (!json_column(r->metrics, false, &t->metrics, &oom)) *why = oom ? NULL : "metrics are not a JSON object";
    else if (!json_column(r->curve, true, &t->curve, &oom)) *why = oom ? NULL : "curve is not a JSON array";
    else if (!text_column(r->reason, &t->reason, &oom)) *why = oom ? NULL : "reason is not UTF-8 text";
    else if (!text_column(r->worker, &t->worker, &oom)) *why = oom ? NULL : "worker is not UTF-8 text";
    else if (!(t->arch_id = strdup(r->arch_id))) oom = true;
    else {
        t->id = r->id;
        t->stage = (int)r->stage;
        t->seq = r->seq;
        t->state = (TrialState)r->state;
        if (r->has_reward) t->reward = r->reward;
        t->attempts = (int)r->attempts;
        t->started = r->started;
        t->finished = r->finished;
        t->heartbeat = r->heartbeat;
        t->ask_event = r->ask_event;
        t->tell_event = r->tell_event;
        return 0;
    }
    store_trial_free(t);
    return oom ? -2 : -1;
}

void store_row_error(StoreError *err, const char *store, const StoreRow *r, const char *why)
{
    store_errorf(err, "%s: trial row id %lld (stage %lld, seq %lld): %s", store, (long long)r->id, (long long)r->stage,
                 (long long)r->seq, why);
}

int store_experiment_row_check(const StoreExperimentRow *r, double now, StoreExperimentInfo *e, const char **why)
{
    *e = (StoreExperimentInfo){.best1 = NAN, .best2 = NAN};
    if (r->bad) *why = r->bad;
    else if (r->id < 1) *why = "bad id";
    else if (!r->name || !r->source_hash) *why = "no name or source hash";
    else if (!utf8_valid(r->name) || !utf8_valid(r->source_hash)) *why = "name or source hash is not UTF-8 text";
    else if (r->trials < 0 || r->trials > INT32_MAX) *why = "bad trial count";
    else if (!time_ok(r->created, now)) *why = "bad creation time";
    else if ((r->has_best1 && !isfinite(r->best1)) || (r->has_best2 && !isfinite(r->best2))) *why = "bad reward";
    else {
        e->name = strdup(r->name);
        e->source_hash = strdup(r->source_hash);
        if (!e->name || !e->source_hash) {
            free(e->name);
            free(e->source_hash);
            *e = (StoreExperimentInfo){0};
            return -2;
        }
        e->id = r->id;
        e->seed = r->has_seed ? (uint64_t)r->seed : 0;
        e->created = r->created;
        e->trials = (int)r->trials;
        if (r->has_best1) e->best1 = r->best1;
        if (r->has_best2) e->best2 = r->best2;
        return 0;
    }
    return -1;
}

/* ---- dispatch ---- */

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

int store_check(Store *s, StoreError *err) { return s->ops->check(s, err); }

bool store_damaged(const Store *s) { return s->damaged; }

int store_experiment_begin(Store *s, const StoreExperiment *e, bool start_new, int64_t *id, bool *resumed,
                           StoreError *err)
{
    return s->ops->experiment_begin(s, e, start_new, id, resumed, err);
}

int store_trial_start(Store *s, int64_t experiment, const StoreStart *st, StoreAttempt *out, StoreError *err)
{
    if (!arch_id_ok(st->arch_id)) {
        store_errorf(err, "stage %d seq %lld: '%.40s' is not an architecture ID", st->stage, (long long)st->seq,
                     st->arch_id ? st->arch_id : "(null)");
        return -1;
    }
    StoreStart n = *st;
    char *decisions = NULL, *worker = NULL, *lost = NULL;
    int rc = -1;
    if (!store_json_normalise(st->decisions, false, "decisions", &decisions, err) &&
        !store_text_normalise(st->worker, &worker, err) && !store_text_normalise(st->lost, &lost, err)) {
        n.decisions = decisions;
        n.worker = worker;
        n.lost = lost;
        rc = s->ops->trial_start(s, experiment, &n, out, err);
    }
    free(decisions);
    free(worker);
    free(lost);
    return rc;
}

int store_trial_heartbeat(Store *s, const StoreAttempt *a, StoreError *err)
{
    return s->ops->trial_heartbeat(s, a, err);
}

int store_trial_finish(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                       const char *curve, const char *reason, int64_t tell_event, StoreError *err)
{
    if (state <= TRIAL_RUNNING || state >= TRIAL_NSTATES) {
        store_errorf(err, "trial %lld: %d is not a finished state", (long long)a->trial_id, (int)state);
        return -1;
    }
    char *m = NULL, *c = NULL, *why = NULL;
    int rc = -1;
    if (!store_json_normalise(metrics, false, "metrics", &m, err) &&
        !store_json_normalise(curve, true, "curve", &c, err) && !store_text_normalise(reason, &why, err))
        rc = s->ops->trial_finish(s, a, state, reward, m, c, why, tell_event, err);
    free(m);
    free(c);
    free(why);
    return rc;
}

int store_reclaim_stale(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err)
{
    return s->ops->reclaim_stale(s, experiment, stale_seconds, out, err);
}

int store_lock(Store *s, int64_t experiment, StoreError *err) { return s->ops->lock(s, experiment, err); }

int store_unlock(Store *s, bool commit, StoreError *err) { return s->ops->unlock(s, commit, err); }

void store_set_lock_wait(Store *s, double seconds)
{
    if (s->ops->set_lock_wait) s->ops->set_lock_wait(s, seconds);
}

int store_next_event(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err)
{
    return s->ops->next_event(s, experiment, stage, out, err);
}

int store_trials(Store *s, int64_t experiment, int stage, StoreTrialList *out, StoreError *err)
{
    return s->ops->trials(s, experiment, stage, NULL, false, out, err);
}

/* Moves row i of l (if any) to *out, then frees the rest of l. */
static void take_row(StoreTrialList *l, int i, StoreTrial *out, bool *found)
{
    if (i >= 0) {
        *out = l->items[i]; /* take ownership of the row's strings */
        l->items[i] = (StoreTrial){0};
        *found = true;
    }
    store_trials_free(l);
}

int store_find_done(Store *s, int64_t experiment, int stage, const char *arch_id, StoreTrial *out, bool *found,
                    StoreError *err)
{
    StoreTrialList l = {0};
    *found = false;
    if (s->ops->trials(s, experiment, stage, arch_id, true, &l, err) != 0) return -1;
    take_row(&l, l.count > 0 ? 0 : -1, out, found);
    return 0;
}

int store_find_result(Store *s, int64_t experiment, int stage, const char *arch_id, StoreTrial *out, bool *found,
                      StoreError *err)
{
    StoreTrialList l = {0};
    *found = false;
    if (s->ops->trials(s, experiment, stage, arch_id, false, &l, err) != 0) return -1;
    int pick = -1;
    for (int i = 0; i < l.count; i++) {
        if (l.items[i].state == TRIAL_DONE) {
            pick = i;
            break;
        }
        if (l.items[i].state == TRIAL_PRUNED && pick < 0) pick = i;
    }
    take_row(&l, pick, out, found);
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
