/* sqlite.c — the SQLite trial store: one file beside the .nas file, WAL mode, so several
 * worker processes on one machine share it and a killed worker loses at most its running trial. */
#include "store_impl.h"
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 1: experiments and trials; 2: + weights (the trained parameters kept beside the store);
 * 3: state 5, `pruned`. schema_sql creates what an older version lacks (CREATE ... IF NOT
 * EXISTS) and SQLite's state column has no CHECK, so a migration only records the version (a
 * nasrun of an older version then refuses the store instead of misreading a pruned row). */
#define SCHEMA_VERSION 3

typedef struct SqliteStore {
    Store base;
    sqlite3 *db;
    char *path;
} SqliteStore;

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS experiment("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL,"
    "  source_hash TEXT NOT NULL, cmdline TEXT, seed INTEGER, version TEXT,"
    "  created REAL NOT NULL, active INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE IF NOT EXISTS trial("
    "  id INTEGER PRIMARY KEY, experiment INTEGER NOT NULL REFERENCES experiment(id),"
    "  stage INTEGER NOT NULL, seq INTEGER NOT NULL, arch_id TEXT NOT NULL, decisions TEXT,"
    "  state INTEGER NOT NULL, reward REAL, metrics TEXT, curve TEXT, reason TEXT, worker TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 1, started REAL, finished REAL, heartbeat REAL,"
    "  ask_event INTEGER NOT NULL DEFAULT -1, tell_event INTEGER NOT NULL DEFAULT -1,"
    "  UNIQUE(experiment, stage, seq));"
    "CREATE INDEX IF NOT EXISTS trial_arch ON trial(experiment, stage, arch_id, state);"
    "CREATE TABLE IF NOT EXISTS weights("
    "  experiment INTEGER NOT NULL REFERENCES experiment(id), stage INTEGER NOT NULL, arch_id TEXT NOT NULL,"
    "  path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, created REAL NOT NULL,"
    "  PRIMARY KEY(experiment, stage, arch_id));";

static SqliteStore *S(Store *s) { return (SqliteStore *)s; }

static int fail(SqliteStore *st, StoreError *err, const char *what)
{
    store_errorf(err, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
    return -1;
}

static int exec(SqliteStore *st, const char *sql, StoreError *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        store_errorf(err, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static sqlite3_stmt *prepare(SqliteStore *st, const char *sql, StoreError *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
        fail(st, err, "cannot prepare statement");
        return NULL;
    }
    return q;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s) sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q, i);
}

static char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? strdup((const char *)t) : NULL;
}

/* Runs a statement that returns no rows; finalizes it. */
static int step_done(SqliteStore *st, sqlite3_stmt *q, StoreError *err, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return fail(st, err, what);
    return 0;
}

/* A database that has our table names but not our columns is another program's file. */
static int check_columns(SqliteStore *st, StoreError *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, experiment, stage, seq, arch_id, state, ask_event, tell_event "
                           "FROM trial LIMIT 0",
                           -1, &q, NULL) != SQLITE_OK ||
        (sqlite3_finalize(q), sqlite3_prepare_v2(st->db,
                                                 "SELECT id, name, source_hash, active FROM experiment "
                                                 "LIMIT 0",
                                                 -1, &q, NULL) != SQLITE_OK)) {
        store_errorf(err, "%s: not a nas trial store (an SQLite database with other tables: %s)", st->path,
                     sqlite3_errmsg(st->db));
        return -1;
    }
    sqlite3_finalize(q);
    return 0;
}

/* Before our CREATE statements: a file that already has a `trial` or `experiment` table must
 * have ours. */
static int check_foreign(SqliteStore *st, StoreError *err)
{
    sqlite3_stmt *q = prepare(st,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name IN ('trial', 'experiment')",
                              err);
    if (!q) return -1;
    int rc = sqlite3_step(q), n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW) return fail(st, err, "cannot read the database");
    return n ? check_columns(st, err) : 0;
}

static int check_schema(SqliteStore *st, bool create, StoreError *err)
{
    sqlite3_stmt *q = prepare(st, "SELECT value FROM meta WHERE key = 'schema'", err);
    if (!q) return -1;
    int rc = sqlite3_step(q), version = 0;
    if (rc == SQLITE_ROW) version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(st, err, "cannot read schema version");
    if (version > SCHEMA_VERSION) {
        store_errorf(err, "%s: store schema version %d is newer than this nasrun's (%d)", st->path, version,
                     SCHEMA_VERSION);
        return -1;
    }
    if (version == 0 || (create && version < SCHEMA_VERSION)) { /* a view never writes */
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema', '%d')", SCHEMA_VERSION);
        return exec(st, sql, err);
    }
    return 0;
}

static void sq_close(Store *s)
{
    SqliteStore *st = S(s);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

static int sq_experiment_begin(Store *s, const StoreExperiment *e, bool start_new, int64_t *id, bool *resumed,
                               StoreError *err)
{
    SqliteStore *st = S(s);
    *resumed = false;
    if (exec(st, "BEGIN IMMEDIATE", err)) return -1;
    sqlite3_stmt *q = prepare(st,
                              "SELECT id, source_hash FROM experiment "
                              "WHERE name = ? AND active = 1 ORDER BY id DESC LIMIT 1",
                              err);
    if (!q) goto rollback;
    bind_text(q, 1, e->name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        int64_t old = sqlite3_column_int64(q, 0);
        const char *hash = (const char *)sqlite3_column_text(q, 1);
        bool same = hash && strcmp(hash, e->source_hash) == 0;
        if (same && !start_new) {
            sqlite3_finalize(q);
            *id = old;
            *resumed = true;
            return exec(st, "COMMIT", err);
        }
        if (!start_new) {
            store_errorf(err,
                         "%s: the .nas source changed since experiment %lld was started "
                         "(source hash %.12s, now %.12s); results of different spaces are not mixed: "
                         "start a new experiment with --new, or use another --store",
                         st->path, (long long)old, hash ? hash : "?", e->source_hash);
            sqlite3_finalize(q);
            goto rollback;
        }
        sqlite3_finalize(q);
        q = prepare(st, "UPDATE experiment SET active = 0 WHERE name = ?", err);
        if (!q) goto rollback;
        bind_text(q, 1, e->name);
        if (step_done(st, q, err, "cannot retire the old experiment")) goto rollback;
    } else {
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) {
            fail(st, err, "cannot read experiments");
            goto rollback;
        }
    }
    q = prepare(st,
                "INSERT INTO experiment(name, source, source_hash, cmdline, seed, version, created) "
                "VALUES(?, ?, ?, ?, ?, ?, ?)",
                err);
    if (!q) goto rollback;
    bind_text(q, 1, e->name);
    bind_text(q, 2, e->source);
    bind_text(q, 3, e->source_hash);
    bind_text(q, 4, e->cmdline);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)e->seed);
    bind_text(q, 6, e->version);
    sqlite3_bind_double(q, 7, store_now());
    if (step_done(st, q, err, "cannot record the experiment")) goto rollback;
    *id = sqlite3_last_insert_rowid(st->db);
    return exec(st, "COMMIT", err);
rollback:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Why a claim or a fenced write matched nothing: reads the row of (stage, seq) or of id and
 * says whose it is. STORE_REFUSED when the row exists (finished, or another attempt's), -1
 * when it is missing or, with arch_id (a take-over), holds another architecture. */
static int explain(SqliteStore *st, sqlite3_stmt *q, const char *arch_id, int attempt, StoreError *err)
{
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) return fail(st, err, "cannot read the trial");
        store_errorf(err, "%s: no such trial", st->path);
        return -1;
    }
    int stage = sqlite3_column_int(q, 0), state = sqlite3_column_int(q, 3), attempts = sqlite3_column_int(q, 5);
    long long seq = sqlite3_column_int64(q, 1);
    const char *arch = (const char *)sqlite3_column_text(q, 2), *worker = (const char *)sqlite3_column_text(q, 4);
    int out = STORE_REFUSED;
    if (arch_id && (!arch || strcmp(arch, arch_id) != 0)) {
        store_errorf(err, "%s: stage %d seq %lld holds architecture %s, not %s", st->path, stage, seq,
                     arch ? arch : "(none)", arch_id);
        out = -1;
    } else if (state != TRIAL_RUNNING) {
        store_errorf(err, "%s: stage %d seq %lld is already %s (attempt %d by %s)", st->path, stage, seq,
                     store_state_name((TrialState)state), attempts, worker ? worker : "?");
    } else {
        store_errorf(err, "%s: stage %d seq %lld is attempt %d by %s, not attempt %d", st->path, stage, seq, attempts,
                     worker ? worker : "?", attempt);
    }
    sqlite3_finalize(q);
    return out;
}

static const char explain_columns[] = "SELECT stage, seq, arch_id, state, worker, attempts FROM trial ";

static int sq_trial_start(Store *s, int64_t experiment, const StoreStart *t, StoreAttempt *out, StoreError *err)
{
    SqliteStore *st = S(s);
    double now = store_now();
    sqlite3_stmt *q;
    if (t->take_over == 0) {
        q = prepare(st,
                    "INSERT INTO trial(experiment, stage, seq, arch_id, decisions, state, worker, started, heartbeat,"
                    "                  ask_event)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?7, ?8)"
                    " ON CONFLICT(experiment, stage, seq) DO NOTHING RETURNING id, attempts",
                    err);
        if (!q) return -1;
        sqlite3_bind_int64(q, 1, experiment);
        sqlite3_bind_int(q, 2, t->stage);
        sqlite3_bind_int64(q, 3, t->seq);
        bind_text(q, 4, t->arch_id);
        bind_text(q, 5, t->decisions);
        bind_text(q, 6, t->worker);
        sqlite3_bind_double(q, 7, now);
        sqlite3_bind_int64(q, 8, t->ask_event);
    } else {
        q = prepare(
            st,
            "UPDATE trial SET worker = ?1, attempts = attempts + 1, started = ?2, heartbeat = ?2, reason = ?3"
            " WHERE experiment = ?4 AND stage = ?5 AND seq = ?6 AND state = 0 AND attempts = ?7 AND arch_id = ?8"
            " RETURNING id, attempts",
            err);
        if (!q) return -1;
        bind_text(q, 1, t->worker);
        sqlite3_bind_double(q, 2, now);
        bind_text(q, 3, t->lost);
        sqlite3_bind_int64(q, 4, experiment);
        sqlite3_bind_int(q, 5, t->stage);
        sqlite3_bind_int64(q, 6, t->seq);
        sqlite3_bind_int(q, 7, t->take_over);
        bind_text(q, 8, t->arch_id);
    }
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->trial_id = sqlite3_column_int64(q, 0);
        out->attempt = sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW) return 0;
    if (rc != SQLITE_DONE) return fail(st, err, "cannot record the trial");
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE experiment = ? AND stage = ? AND seq = ?", explain_columns);
    if (!(q = prepare(st, sql, err))) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    sqlite3_bind_int(q, 2, t->stage);
    sqlite3_bind_int64(q, 3, t->seq);
    return explain(st, q, t->take_over ? t->arch_id : NULL, t->take_over, err);
}

/* After a fenced UPDATE that changed nothing: whose row it is. */
static int fenced(SqliteStore *st, const StoreAttempt *a, StoreError *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE id = ?", explain_columns);
    sqlite3_stmt *q = prepare(st, sql, err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, a->trial_id);
    return explain(st, q, NULL, a->attempt, err);
}

static int sq_trial_heartbeat(Store *s, const StoreAttempt *a, StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3_stmt *q = prepare(st, "UPDATE trial SET heartbeat = ? WHERE id = ? AND attempts = ? AND state = 0", err);
    if (!q) return -1;
    sqlite3_bind_double(q, 1, store_now());
    sqlite3_bind_int64(q, 2, a->trial_id);
    sqlite3_bind_int(q, 3, a->attempt);
    if (step_done(st, q, err, "cannot update the heartbeat")) return -1;
    return sqlite3_changes(st->db) == 1 ? 0 : fenced(st, a, err);
}

static int sq_trial_finish(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                           const char *curve, const char *reason, int64_t tell_event, StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3_stmt *q = prepare(st,
                              "UPDATE trial SET state = ?, reward = ?, metrics = ?, curve = ?,"
                              " reason = ?, finished = ?, tell_event = ?"
                              " WHERE id = ? AND attempts = ? AND state = 0",
                              err);
    if (!q) return -1;
    sqlite3_bind_int(q, 1, (int)state);
    if (isfinite(reward)) sqlite3_bind_double(q, 2, reward);
    else sqlite3_bind_null(q, 2);
    bind_text(q, 3, metrics);
    bind_text(q, 4, curve);
    bind_text(q, 5, reason);
    sqlite3_bind_double(q, 6, store_now());
    sqlite3_bind_int64(q, 7, tell_event);
    sqlite3_bind_int64(q, 8, a->trial_id);
    sqlite3_bind_int(q, 9, a->attempt);
    if (step_done(st, q, err, "cannot record the trial result")) return -1;
    return sqlite3_changes(st->db) == 1 ? 0 : fenced(st, a, err);
}

static const char trial_columns[] =
    "SELECT id, stage, seq, arch_id, decisions, state, reward, metrics, curve, reason, worker,"
    " attempts, started, finished, heartbeat, ask_event, tell_event FROM trial ";

static int collect(SqliteStore *st, sqlite3_stmt *q, StoreTrialList *out, StoreError *err)
{
    int cap = 0, rc;
    out->items = NULL;
    out->count = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            StoreTrial *grown = realloc(out->items, sizeof *grown * (size_t)cap);
            if (!grown) {
                store_trials_free(out);
                sqlite3_finalize(q);
                store_errorf(err, "out of memory");
                return -1;
            }
            out->items = grown;
        }
        StoreTrial *t = &out->items[out->count++];
        t->id = sqlite3_column_int64(q, 0);
        t->stage = sqlite3_column_int(q, 1);
        t->seq = sqlite3_column_int64(q, 2);
        t->arch_id = col_text(q, 3);
        t->decisions = col_text(q, 4);
        t->state = (TrialState)sqlite3_column_int(q, 5);
        t->reward = sqlite3_column_type(q, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 6);
        t->metrics = col_text(q, 7);
        t->curve = col_text(q, 8);
        t->reason = col_text(q, 9);
        t->worker = col_text(q, 10);
        t->attempts = sqlite3_column_int(q, 11);
        t->started = sqlite3_column_double(q, 12);
        t->finished = sqlite3_column_double(q, 13);
        t->heartbeat = sqlite3_column_double(q, 14);
        t->ask_event = sqlite3_column_int64(q, 15);
        t->tell_event = sqlite3_column_int64(q, 16);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        store_trials_free(out);
        return fail(st, err, "cannot read trials");
    }
    return 0;
}

static int sq_trials(Store *s, int64_t experiment, int stage, const char *arch_id, bool done_only, StoreTrialList *out,
                     StoreError *err)
{
    SqliteStore *st = S(s);
    char sql[512];
    snprintf(sql, sizeof sql,
             "%s WHERE experiment = ?1 AND (?2 = 0 OR stage = ?2)"
             " AND (?3 IS NULL OR arch_id = ?3) AND (?4 = 0 OR state = %d) ORDER BY stage, seq",
             trial_columns, (int)TRIAL_DONE);
    sqlite3_stmt *q = prepare(st, sql, err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    sqlite3_bind_int(q, 2, stage);
    bind_text(q, 3, arch_id);
    sqlite3_bind_int(q, 4, done_only);
    return collect(st, q, out, err);
}

static int sq_reclaim_stale(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err)
{
    SqliteStore *st = S(s);
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE experiment = ? AND state = %d AND heartbeat < ? ORDER BY stage, seq",
             trial_columns, (int)TRIAL_RUNNING);
    sqlite3_stmt *q = prepare(st, sql, err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    sqlite3_bind_double(q, 2, store_now() - stale_seconds);
    return collect(st, q, out, err);
}

static int sq_experiments(Store *s, StoreExperimentList *out, StoreError *err)
{
    SqliteStore *st = S(s);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT e.id, e.name, e.source_hash, e.seed, e.created, count(t.id),"
             " max(CASE WHEN t.stage = 1 AND t.state = %d THEN t.reward END),"
             " max(CASE WHEN t.stage = 2 AND t.state = %d THEN t.reward END)"
             " FROM experiment e LEFT JOIN trial t ON t.experiment = e.id GROUP BY e.id ORDER BY e.id",
             (int)TRIAL_DONE, (int)TRIAL_DONE);
    sqlite3_stmt *q = prepare(st, sql, err);
    if (!q) return -1;
    int cap = 0, rc;
    *out = (StoreExperimentList){0};
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 8;
            StoreExperimentInfo *grown = realloc(out->items, sizeof *grown * (size_t)cap);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            out->items = grown;
        }
        StoreExperimentInfo *e = &out->items[out->count++];
        e->id = sqlite3_column_int64(q, 0);
        e->name = col_text(q, 1);
        e->source_hash = col_text(q, 2);
        e->seed = (uint64_t)sqlite3_column_int64(q, 3);
        e->created = sqlite3_column_double(q, 4);
        e->trials = sqlite3_column_int(q, 5);
        e->best1 = sqlite3_column_type(q, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 6);
        e->best2 = sqlite3_column_type(q, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 7);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        store_experiments_free(out);
        return rc == SQLITE_NOMEM ? (store_errorf(err, "out of memory"), -1) : fail(st, err, "cannot read experiments");
    }
    return 0;
}

static int sq_weights_put(Store *s, int64_t experiment, const StoreWeights *w, StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3_stmt *q = prepare(st,
                              "INSERT OR REPLACE INTO weights(experiment, stage, arch_id, path, sha256, bytes, created)"
                              " VALUES(?, ?, ?, ?, ?, ?, ?)",
                              err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    sqlite3_bind_int(q, 2, w->stage);
    bind_text(q, 3, w->arch_id);
    bind_text(q, 4, w->path);
    bind_text(q, 5, w->sha256);
    sqlite3_bind_int64(q, 6, w->bytes);
    sqlite3_bind_double(q, 7, store_now());
    return step_done(st, q, err, "cannot record the weights");
}

static int sq_weights_find(Store *s, int64_t experiment, int stage, const char *arch_id, StoreWeights *out, bool *found,
                           StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3_stmt *q = prepare(st,
                              "SELECT stage, arch_id, path, sha256, bytes, created FROM weights"
                              " WHERE experiment = ?1 AND arch_id = ?2 AND (?3 = 0 OR stage = ?3)"
                              " ORDER BY stage DESC LIMIT 1",
                              err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    bind_text(q, 2, arch_id);
    sqlite3_bind_int(q, 3, stage);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *out = (StoreWeights){
            sqlite3_column_int(q, 0),   col_text(q, 1), col_text(q, 2), col_text(q, 3), sqlite3_column_int64(q, 4),
            sqlite3_column_double(q, 5)};
        *found = out->arch_id && out->path && out->sha256;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(st, err, "cannot read the weights");
    return 0;
}

/* One writer of the file at a time: the other workers' writes wait (busy timeout) meanwhile. */
static int sq_lock(Store *s, int64_t experiment, StoreError *err)
{
    (void)experiment;
    return exec(S(s), "BEGIN IMMEDIATE", err);
}

static int sq_unlock(Store *s, bool commit, StoreError *err)
{
    if (commit) return exec(S(s), "COMMIT", err);
    sqlite3_exec(S(s)->db, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

static int sq_next_event(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3_stmt *q = prepare(st,
                              "SELECT coalesce(max(max(ask_event, tell_event)), -1) + 1 FROM trial"
                              " WHERE experiment = ? AND stage = ?",
                              err);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, experiment);
    sqlite3_bind_int(q, 2, stage);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : fail(st, err, "cannot read the trials' events");
}

static const StoreOps sqlite_ops = {
    .close = sq_close,
    .experiment_begin = sq_experiment_begin,
    .trial_start = sq_trial_start,
    .trial_heartbeat = sq_trial_heartbeat,
    .trial_finish = sq_trial_finish,
    .reclaim_stale = sq_reclaim_stale,
    .trials = sq_trials,
    .experiments = sq_experiments,
    .weights_put = sq_weights_put,
    .weights_find = sq_weights_find,
    .lock = sq_lock,
    .unlock = sq_unlock,
    .next_event = sq_next_event,
};

Store *store_open_sqlite(const char *path, bool create, StoreError *err)
{
    SqliteStore *st = calloc(1, sizeof *st);
    if (!st) {
        store_errorf(err, "out of memory");
        return NULL;
    }
    st->base.ops = &sqlite_ops;
    st->path = strdup(path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        if (!create && access(path, F_OK) != 0)
            store_errorf(err, "%s: no trial store here (a search creates it)", path);
        else
            store_errorf(err, "%s: cannot open the trial store: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sq_close(&st->base);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, 30000); /* workers wait for each other's short transactions */
    /* WAL lets readers (--status) run while a worker writes; NORMAL sync is durable across a
     * process crash, which is what resume needs. */
    /* Workers opening a new file at once can deadlock switching it to WAL: SQLite answers one of
     * them SQLITE_BUSY at once, without waiting, and that one tries again. */
    int rc, tries = 0;
    while ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", err)) !=
               0 &&
           sqlite3_errcode(st->db) == SQLITE_BUSY && tries++ < 200)
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    if (rc || check_foreign(st, err) || exec(st, schema_sql, err) || check_schema(st, create, err)) {
        sq_close(&st->base);
        return NULL;
    }
    return &st->base;
}
