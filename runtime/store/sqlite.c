/* sqlite.c — the SQLite trial store: one file beside the .nas file, WAL mode, so several
 * worker processes on one machine share it and a killed worker loses at most its running trial.
 * A view opens it read-only and writes nothing. Nothing read back is trusted: each column must
 * have its type, and store_row_check (store.c, the same for PostgreSQL) checks each row. */
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
 * EXISTS) and SQLite's state column has no CHECK, so a migration runs it and records the
 * version (a nasrun of an older version then refuses the store instead of misreading a row). */
#define SCHEMA_VERSION 3

typedef struct SqliteStore {
    Store base;
    sqlite3 *db;
    char *path;
    double wait; /* seconds a write waits for another process's transaction (the busy timeout) */
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

static int quick_check(sqlite3 *db, char *found, size_t size);

/* After an I/O error or a damaged page, the file is checked: the message says whether the
 * store is damaged (store_damaged), so a search stops instead of going on over it. */
static void check_after(SqliteStore *st, int code, StoreError *err)
{
    code &= 0xff;
    if (code == SQLITE_BUSY) {
        /* the wait is the stale time: a transaction that long is not a worker's short write */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        store_errorf(err,
                     "%s (another process has held the store's write lock for %g s: a stopped or hung nasrun? "
                     "continue it (kill -CONT) or end it, then run again)",
                     msg, st->wait);
        return;
    }
    if (code != SQLITE_IOERR && code != SQLITE_CORRUPT && code != SQLITE_NOTADB) return;
    char msg[sizeof err->msg], found[300];
    snprintf(msg, sizeof msg, "%s", err->msg);
    if (quick_check(st->db, found, sizeof found) == 0 && code == SQLITE_IOERR) return; /* the file is sound */
    store_errorf(err, "%s; the trial store is damaged (quick_check: %s)", msg, found);
    st->base.damaged = true;
}

static int fail(SqliteStore *st, StoreError *err, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    store_errorf(err, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
    check_after(st, code, err);
    return -1;
}

static int exec(SqliteStore *st, const char *sql, StoreError *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_extended_errcode(st->db);
        store_errorf(err, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        check_after(st, code, err);
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

/* ---- reading columns back: each must have its type ---- */

static bool col_int(sqlite3_stmt *q, int i, int64_t *out)
{
    *out = sqlite3_column_int64(q, i);
    return sqlite3_column_type(q, i) == SQLITE_INTEGER;
}

/* A REAL column (an integer is a number too); NULL is `null_is` and *has false. */
static bool col_real(sqlite3_stmt *q, int i, double null_is, double *out, bool *has)
{
    int type = sqlite3_column_type(q, i);
    if (has) *has = type != SQLITE_NULL;
    *out = type == SQLITE_NULL ? null_is : sqlite3_column_double(q, i);
    return type == SQLITE_NULL || type == SQLITE_FLOAT || type == SQLITE_INTEGER;
}

/* A TEXT column: NULL, or text without a NUL byte (a BLOB is not text). Points into q. */
static bool col_str(sqlite3_stmt *q, int i, const char **out)
{
    int type = sqlite3_column_type(q, i);
    *out = NULL;
    if (type == SQLITE_NULL) return true;
    if (type != SQLITE_TEXT) return false;
    const char *t = (const char *)sqlite3_column_text(q, i);
    if (!t || strlen(t) != (size_t)sqlite3_column_bytes(q, i)) return false;
    *out = t;
    return true;
}

/* Runs a statement that returns no rows; finalizes it. */
static int step_done(SqliteStore *st, sqlite3_stmt *q, StoreError *err, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return fail(st, err, what);
    return 0;
}

/* The tables of a nas store, each from the schema version that creates it; any other table
 * makes the file another program's. */
static const struct {
    const char *name;
    int since;
} store_tables[] = {{"meta", 1}, {"experiment", 1}, {"trial", 1}, {"weights", 2}};
enum { STORE_TABLES_V1 = 3 }; /* every store has those */

/* A database that has our table names but not our columns is another program's file. */
static int check_columns(SqliteStore *st, StoreError *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, experiment, stage, seq, arch_id, decisions, state, reward, metrics, curve,"
                           " reason, worker, attempts, started, finished, heartbeat, ask_event, tell_event "
                           "FROM trial LIMIT 0",
                           -1, &q, NULL) != SQLITE_OK ||
        (sqlite3_finalize(q), sqlite3_prepare_v2(st->db,
                                                 "SELECT id, name, source, source_hash, cmdline, seed, version,"
                                                 " created, active FROM experiment LIMIT 0",
                                                 -1, &q, NULL) != SQLITE_OK)) {
        store_errorf(err, "%s: not a nas trial store (an SQLite database with other tables: %s)", st->path,
                     sqlite3_errmsg(st->db));
        return -1;
    }
    sqlite3_finalize(q);
    return 0;
}

/* Before anything is written: a file that has tables must have ours and no others, and a
 * schema version this nasrun reads (*version). *empty: it has no tables at all (a new store). */
static int check_foreign(SqliteStore *st, bool *empty, long long *version_out, StoreError *err)
{
    sqlite3_stmt *q = prepare(st,
                              "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                              " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                              err);
    if (!q) return -1;
    char other[200] = "";
    int rc, n = 0, base = 0;
    size_t used = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        bool ours = false;
        for (size_t i = 0; name && i < sizeof store_tables / sizeof *store_tables; i++)
            if (!strcmp(name, store_tables[i].name)) {
                ours = true;
                base += store_tables[i].since == 1;
            }
        n++;
        if (!ours && used + 1 < sizeof other) {
            int k = snprintf(other + used, sizeof other - used, "%s%s", used ? ", " : "", name ? name : "?");
            used = k > 0 ? used + (size_t)k : used;
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return fail(st, err, "cannot read the database");
    *empty = n == 0;
    if (other[0]) {
        store_errorf(err, "%s: not a nas trial store (an SQLite database with other tables: %s)", st->path, other);
        return -1;
    }
    if (n == 0) return 0;
    if (base < STORE_TABLES_V1 || check_columns(st, err)) {
        if (base < STORE_TABLES_V1)
            store_errorf(err, "%s: not a nas trial store (some of its tables are missing)", st->path);
        return -1;
    }
    if (!(q = prepare(st, "SELECT value FROM meta WHERE key = 'schema'", err))) return -1;
    rc = sqlite3_step(q);
    long long version = 0;
    bool ok = false;
    if (rc == SQLITE_ROW) { /* the value column is TEXT: '1' */
        const char *t = (const char *)sqlite3_column_text(q, 0);
        char *end;
        version = t ? strtoll(t, &end, 10) : 0;
        ok = t && *t && !*end;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(st, err, "cannot read schema version");
    if (!ok || version < 1) {
        store_errorf(err, "%s: not a nas trial store (no schema version in its meta table)", st->path);
        return -1;
    }
    if (version > SCHEMA_VERSION) {
        store_errorf(err, "%s: store schema version %lld is newer than this nasrun's (%d)", st->path, version,
                     SCHEMA_VERSION);
        return -1;
    }
    *version_out = version;
    return 0;
}

/* A new store, or an older one migrated: the tables it lacks and the schema version, in one
 * transaction. */
static int create_schema(SqliteStore *st, StoreError *err)
{
    char sql[sizeof schema_sql + 128];
    snprintf(sql, sizeof sql,
             "BEGIN IMMEDIATE; %s INSERT OR REPLACE INTO meta(key, value) VALUES('schema', %d); COMMIT;", schema_sql,
             SCHEMA_VERSION);
    if (exec(st, sql, err)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* PRAGMA quick_check on db: 0 when it answers "ok", else -1 with its first complaint. */
static int quick_check(sqlite3 *db, char *found, size_t size)
{
    sqlite3_stmt *q = NULL;
    snprintf(found, size, "ok");
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(3)", -1, &q, NULL) != SQLITE_OK) {
        snprintf(found, size, "%s", sqlite3_errmsg(db));
        return -1;
    }
    int rc, bad = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        if (t && strcmp(t, "ok") != 0 && !bad++) snprintf(found, size, "%s", t);
    }
    if (rc != SQLITE_DONE && !bad++) snprintf(found, size, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return bad ? -1 : 0;
}

/* Opening: the file must be sound before anything reads it. */
static int check_on_open(SqliteStore *st, StoreError *err)
{
    char found[300];
    if (quick_check(st->db, found, sizeof found) == 0) return 0;
    store_errorf(err, "%s: the trial store is damaged (quick_check: %s)", st->path, found);
    return -1;
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

/* One row's columns, each of its type, for store_row_check. */
static void read_row(sqlite3_stmt *q, StoreRow *w)
{
    *w = (StoreRow){0};
    bool ints = col_int(q, 0, &w->id) & col_int(q, 1, &w->stage) & col_int(q, 2, &w->seq);
    if (!ints) w->bad = "id, stage or seq is not an integer";
    else if (!col_int(q, 5, &w->state)) w->bad = "state is not a trial state";
    else if (!col_real(q, 6, NAN, &w->reward, &w->has_reward)) w->bad = "reward is not a finite number";
    else if (!col_int(q, 11, &w->attempts)) w->bad = "attempts out of range";
    else if (!col_real(q, 12, 0, &w->started, NULL) || !col_real(q, 13, 0, &w->finished, NULL) ||
             !col_real(q, 14, 0, &w->heartbeat, NULL))
        w->bad = "a start, finish or heartbeat time is not a time";
    else if (!col_int(q, 15, &w->ask_event) || !col_int(q, 16, &w->tell_event))
        w->bad = "ask or tell event out of range";
    else if (!col_str(q, 3, &w->arch_id) || !col_str(q, 4, &w->decisions) || !col_str(q, 7, &w->metrics) ||
             !col_str(q, 8, &w->curve) || !col_str(q, 9, &w->reason) || !col_str(q, 10, &w->worker))
        w->bad = "a text column holds a blob or a NUL byte";
}

static int collect(SqliteStore *st, sqlite3_stmt *q, StoreTrialList *out, StoreError *err)
{
    int cap = 0, rc;
    double now = store_now();
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
        StoreRow row;
        read_row(q, &row);
        const char *why = NULL;
        int bad = store_row_check(&row, now, &out->items[out->count], &why);
        if (bad) {
            if (bad == -2) store_errorf(err, "out of memory");
            else store_row_error(err, st->path, &row, why);
            store_trials_free(out);
            sqlite3_finalize(q);
            return -1;
        }
        out->count++;
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
    double now = store_now();
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
        StoreExperimentRow w = {0};
        if (!col_int(q, 0, &w.id)) w.bad = "bad id";
        else if ((w.has_seed = sqlite3_column_type(q, 3) != SQLITE_NULL) && !col_int(q, 3, &w.seed)) w.bad = "bad seed";
        else if (!col_real(q, 4, NAN, &w.created, NULL)) w.bad = "bad creation time";
        else if (!col_int(q, 5, &w.trials)) w.bad = "bad trial count";
        else if (!col_real(q, 6, NAN, &w.best1, &w.has_best1) || !col_real(q, 7, NAN, &w.best2, &w.has_best2))
            w.bad = "bad reward";
        else if (!col_str(q, 1, &w.name) || !col_str(q, 2, &w.source_hash)) w.bad = "no name or source hash";
        const char *why = NULL;
        int bad = store_experiment_row_check(&w, now, &out->items[out->count], &why);
        if (bad == -2) {
            rc = SQLITE_NOMEM;
            break;
        }
        if (bad) {
            store_errorf(err, "%s: experiment row %lld: %s", st->path, (long long)w.id, why);
            sqlite3_finalize(q);
            store_experiments_free(out);
            return -1;
        }
        out->count++;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        store_experiments_free(out);
        return rc == SQLITE_NOMEM ? (store_errorf(err, "out of memory"), -1) : fail(st, err, "cannot read experiments");
    }
    return 0;
}

static char *col_dup(sqlite3_stmt *q, int i)
{
    const char *t;
    return col_str(q, i, &t) && t ? strdup(t) : NULL;
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
        int64_t sg = 0, bytes = 0;
        bool ok = col_int(q, 0, &sg) && sg >= 1 && sg <= STORE_STAGE_MAX && col_int(q, 4, &bytes) && bytes >= 0;
        *out = (StoreWeights){(int)sg, col_dup(q, 1), col_dup(q, 2), col_dup(q, 3), bytes, sqlite3_column_double(q, 5)};
        *found = ok && out->arch_id && out->path && out->sha256;
        if (!*found) {
            store_weights_free(out);
            sqlite3_finalize(q);
            store_errorf(err, "%s: a weights row of %s is not a nas row", st->path, arch_id);
            return -1;
        }
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

/* The file as it is on disk, on a connection of its own: this one's page cache may still hold
 * pages as they were before something overwrote them. */
static int sq_check(Store *s, StoreError *err)
{
    SqliteStore *st = S(s);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        store_errorf(err, "%s: cannot reopen the trial store to check it: %s", st->path,
                     db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        st->base.damaged = true;
        return -1;
    }
    sqlite3_busy_timeout(db, 30000);
    char found[300];
    rc = quick_check(db, found, sizeof found);
    sqlite3_close(db);
    if (rc) {
        store_errorf(err, "%s: the trial store was damaged under the search (quick_check: %s)", st->path, found);
        st->base.damaged = true;
    }
    return rc;
}

static void sq_set_lock_wait(Store *s, double seconds)
{
    S(s)->wait = seconds;
    sqlite3_busy_timeout(S(s)->db, (int)(seconds * 1000));
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
    .check = sq_check,
    .set_lock_wait = sq_set_lock_wait,
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
    /* A view opens the file read-only: it never creates it, adds tables or switches its journal. */
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        if (!create && access(path, F_OK) != 0)
            store_errorf(err, "%s: no trial store here (a search creates it)", path);
        else
            store_errorf(err, "%s: cannot open the trial store: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sq_close(&st->base);
        return NULL;
    }
    st->wait = 30;
    sqlite3_busy_timeout(st->db, (int)(st->wait * 1000)); /* workers wait for each other's short transactions */
    bool empty = false;
    long long version = 0;
    if (check_on_open(st, err) || check_foreign(st, &empty, &version, err)) {
        sq_close(&st->base);
        return NULL;
    }
    if (!create) {
        if (empty) store_errorf(err, "%s: no trial store here (an empty database; a search creates it)", path);
        if (empty || exec(st, "PRAGMA query_only = ON", err)) {
            sq_close(&st->base);
            return NULL;
        }
        return &st->base;
    }
    /* WAL lets readers (--status) run while a worker writes; NORMAL sync is durable across a
     * process crash, which is what resume needs. */
    /* Workers opening a new file at once can deadlock switching it to WAL: SQLite answers one of
     * them SQLITE_BUSY at once, without waiting, and that one tries again. */
    int rc, tries = 0;
    while ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", err)) !=
               0 &&
           sqlite3_errcode(st->db) == SQLITE_BUSY && tries++ < 200)
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    if (rc || ((empty || version < SCHEMA_VERSION) && create_schema(st, err))) {
        sq_close(&st->base);
        return NULL;
    }
    return &st->base;
}
