/* postgres.c — the PostgreSQL trial store: the tables and semantics of sqlite.c on a server
 * that workers on many machines share (`--store postgresql://user@host:port/db`).
 *
 * Every statement binds its values as parameters ($1..); nothing read back is trusted: each
 * row is parsed here and checked by store_row_check (store.c, the same for SQLite), and a bad
 * one is an error naming the store and the row.
 * Times are the server's clock (one clock for every host), handed to the caller shifted into
 * its own clock (store_now), so a heartbeat's age is right whatever the hosts' clock skew.
 * A broken connection (a network blip, a server restart) is re-opened, retrying for up to
 * RECONNECT_SECONDS (the caller waits meanwhile: a result is not dropped for a restart), and
 * the statement run once more. Outside a transaction every statement here is fenced or idempotent, so a repeat
 * can never write twice; when the first try did commit and only its reply was lost, the
 * repeat is refused as fenced off while the row keeps that first write (a claim so refused
 * goes stale and is taken over). */
#include "store_impl.h"
#include <errno.h>
#include <libpq-fe.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 1: experiments and trials; 2: + weights (the trained parameters kept beside the store);
 * 3: state 5, `pruned` (stopped early by a search's prune rule) */
#define SCHEMA_VERSION 3
/* pg_advisory_xact_lock key that serializes schema set-up and experiment_begin among workers
 * ("nas-stor" in ASCII). */
#define LOCK_KEY "7953765055960739698"
/* The first key of the workers' lock of an experiment (pg_lock): "nasw" in ASCII. */
#define WORKER_LOCK       "1851880311"
#define NOW_SQL           "extract(epoch from clock_timestamp())::float8"
#define RECONNECT_SECONDS 20.0

typedef struct PgStore {
    Store base;
    PGconn *conn;
    char *name;    /* the URL without any password: what errors name */
    bool readonly; /* opened for a view: the session is read-only */
    bool in_tx;    /* inside BEGIN..COMMIT: a broken connection is not retried */
} PgStore;

static PgStore *P(Store *s) { return (PgStore *)s; }

/* libpq's messages end with a newline; ours are one line. */
static const char *pg_msg(PGconn *c, const PGresult *r)
{
    static _Thread_local char buf[400];
    const char *m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !*m) m = PQerrorMessage(c);
    snprintf(buf, sizeof buf, "%s", m && *m ? m : "unknown error");
    for (size_t n = strlen(buf); n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '); n--) buf[n - 1] = 0;
    for (char *p = buf; *p; p++)
        if (*p == '\n') *p = ' ';
    return buf;
}

/* Library code prints nothing: the server's notices (NOTICE, WARNING) are dropped. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The session settings both a fresh and a re-opened connection need. */
static int session_setup(PgStore *st, StoreError *err)
{
    PQsetNoticeProcessor(st->conn, ignore_notice, NULL);
    /* A worker's transactions are a few statements long: one idle in a transaction that long has
     * lost its client (a partitioned host), and the server ends it, freeing the workers' lock. */
    PGresult *r = PQexec(st->conn, st->readonly ? "SET default_transaction_read_only = on"
                                                : "SET idle_in_transaction_session_timeout = '20s'");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) store_errorf(err, "%s: cannot set up the session: %s", st->name, pg_msg(st->conn, r));
    PQclear(r);
    return ok ? 0 : -1;
}

/* Re-opens a broken connection, every half second until RECONNECT_SECONDS have passed. */
static bool reconnect(PgStore *st)
{
    double until = store_now() + RECONNECT_SECONDS;
    for (;;) {
        PQreset(st->conn);
        if (PQstatus(st->conn) == CONNECTION_OK && session_setup(st, NULL) == 0) return true;
        if (store_now() >= until) return false;
        nanosleep(&(struct timespec){0, 500000000}, NULL);
    }
}

/* Runs one statement; params are text, NULL is SQL NULL; with no params at all, a constant
 * script of one or more statements. Returns the result (the caller PQclears it) or NULL with
 * "store: what: server message" in err. */
static PGresult *query(PgStore *st, const char *what, const char *sql, int n, const char *const *params,
                       StoreError *err)
{
    for (int attempt = 0;; attempt++) {
        PGresult *r = params ? PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0) : PQexec(st->conn, sql);
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return r;
        if (attempt == 0 && !st->in_tx && PQstatus(st->conn) == CONNECTION_BAD) {
            PQclear(r);
            if (reconnect(st)) continue;
            store_errorf(err, "%s: %s: lost the connection: %s", st->name, what, pg_msg(st->conn, NULL));
            return NULL;
        }
        store_errorf(err, "%s: %s: %s", st->name, what, pg_msg(st->conn, r));
        PQclear(r);
        return NULL;
    }
}

static int exec0(PgStore *st, const char *what, const char *sql, StoreError *err)
{
    PGresult *r = query(st, what, sql, 0, NULL, err);
    PQclear(r);
    return r ? 0 : -1;
}

static int begin(PgStore *st, StoreError *err)
{
    if (exec0(st, "cannot begin a transaction", "BEGIN", err)) return -1;
    st->in_tx = true;
    return 0;
}

static int commit(PgStore *st, StoreError *err)
{
    int rc = exec0(st, "cannot commit", "COMMIT", err);
    st->in_tx = false;
    return rc;
}

static int rollback(PgStore *st)
{
    if (st->in_tx) PQclear(PQexec(st->conn, "ROLLBACK"));
    st->in_tx = false;
    return -1;
}

/* ---- reading values back: parsed in full and range-checked ---- */

static bool parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool parse_f64(const char *s, double *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || !isfinite(v)) return false; /* overflow is HUGE_VAL: not finite */
    *out = v;
    return true;
}

static const char *cell(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* ---- the schema ---- */

/* migrations[v] takes a store from schema version v to v + 1 (0: an empty database). */
static const char *const migrations[SCHEMA_VERSION] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE experiment("
    "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL,"
    "  source_hash TEXT NOT NULL, cmdline TEXT, seed BIGINT, version TEXT,"
    "  created DOUBLE PRECISION NOT NULL, active INTEGER NOT NULL DEFAULT 1);"
    "CREATE UNIQUE INDEX experiment_active ON experiment(name) WHERE active = 1;"
    "CREATE TABLE trial("
    "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  experiment BIGINT NOT NULL REFERENCES experiment(id),"
    "  stage INTEGER NOT NULL, seq BIGINT NOT NULL, arch_id TEXT NOT NULL, decisions TEXT,"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4), reward DOUBLE PRECISION, metrics TEXT,"
    "  curve TEXT, reason TEXT, worker TEXT, attempts INTEGER NOT NULL DEFAULT 1,"
    "  started DOUBLE PRECISION, finished DOUBLE PRECISION, heartbeat DOUBLE PRECISION,"
    "  ask_event BIGINT NOT NULL DEFAULT -1, tell_event BIGINT NOT NULL DEFAULT -1,"
    "  UNIQUE(experiment, stage, seq));"
    "CREATE INDEX trial_arch ON trial(experiment, stage, arch_id, state);",
    "CREATE TABLE weights("
    "  experiment BIGINT NOT NULL REFERENCES experiment(id), stage INTEGER NOT NULL, arch_id TEXT NOT NULL,"
    "  path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes BIGINT NOT NULL, created DOUBLE PRECISION NOT NULL,"
    "  PRIMARY KEY(experiment, stage, arch_id));",
    "ALTER TABLE trial DROP CONSTRAINT IF EXISTS trial_state_check;"
    "ALTER TABLE trial ADD CONSTRAINT trial_state_check CHECK (state BETWEEN 0 AND 5);",
};

/* The columns the schema's tables must have, each table from the version that creates it. */
#define COLUMNS_MAX 20
static const struct {
    int since;
    const char *table;
    const char *columns[COLUMNS_MAX];
} required[] = {
    {1, "meta", {"key", "value"}},
    {1, "experiment", {"id", "name", "source", "source_hash", "cmdline", "seed", "version", "created", "active"}},
    {1,
     "trial",
     {"id", "experiment", "stage", "seq", "arch_id", "decisions", "state", "reward", "metrics", "curve", "reason",
      "worker", "attempts", "started", "finished", "heartbeat", "ask_event", "tell_event"}},
    {2, "weights", {"experiment", "stage", "arch_id", "path", "sha256", "bytes", "created"}},
};

/* The tables (any relation) of the connection's current schema, with their columns. */
static PGresult *schema_relations(PgStore *st, StoreError *err)
{
    return query(st, "cannot read the database's tables",
                 "SELECT c.relname, c.relkind, a.attname FROM pg_class c"
                 " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                 " WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                 "   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
                 " ORDER BY c.relname, a.attnum",
                 0, NULL, err);
}

static bool has_column(const PGresult *r, const char *table, const char *column, bool *is_table)
{
    for (int i = 0; i < PQntuples(r); i++) {
        if (strcmp(PQgetvalue(r, i, 0), table) != 0) continue;
        if (is_table) *is_table = PQgetvalue(r, i, 1)[0] == 'r' || PQgetvalue(r, i, 1)[0] == 'p';
        if (!column || (!PQgetisnull(r, i, 2) && strcmp(PQgetvalue(r, i, 2), column) == 0)) return true;
    }
    return false;
}

/* "a, b, c": the relation names, for the refusal message. */
static void relation_names(const PGresult *r, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < PQntuples(r) && n + 1 < size; i++) {
        if (i > 0 && strcmp(PQgetvalue(r, i, 0), PQgetvalue(r, i - 1, 0)) == 0) continue;
        int k = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", PQgetvalue(r, i, 0));
        if (k < 0 || (size_t)k >= size - n) break;
        n += (size_t)k;
    }
}

/* The schema version the database is at: 0 when it has no tables, -1 (with err) when it is
 * not a nas store. */
static int schema_version(PgStore *st, StoreError *err)
{
    PGresult *rel = schema_relations(st, err);
    if (!rel) return -1;
    if (PQntuples(rel) == 0) {
        PQclear(rel);
        return 0;
    }
    bool table = false;
    int version = -1;
    if (has_column(rel, "meta", "key", &table) && table && has_column(rel, "meta", "value", NULL)) {
        PGresult *r =
            query(st, "cannot read the schema version", "SELECT value FROM meta WHERE key = 'schema'", 0, NULL, err);
        if (!r) {
            PQclear(rel);
            return -1;
        }
        int64_t v;
        if (PQntuples(r) == 1 && parse_i64(cell(r, 0, 0), 1, INT_MAX, &v)) version = (int)v;
        PQclear(r);
    }
    if (version < 0) {
        char names[200];
        relation_names(rel, names, sizeof names);
        store_errorf(err,
                     "%s: not a nas trial store (the database has other tables: %s); "
                     "use an empty database",
                     st->name, names);
    }
    PQclear(rel);
    return version;
}

/* The tables of schema `version` have every column the code reads (before a migration: it is
 * ours to migrate; after: it is what the code expects). */
static int check_columns(PgStore *st, int version, StoreError *err)
{
    PGresult *rel = schema_relations(st, err);
    if (!rel) return -1;
    for (size_t t = 0; t < sizeof required / sizeof *required; t++) {
        if (required[t].since > version) continue;
        bool table = false;
        for (int c = 0; c < COLUMNS_MAX && required[t].columns[c]; c++) {
            if (has_column(rel, required[t].table, required[t].columns[c], &table) && table) continue;
            if (table)
                store_errorf(err, "%s: not a nas trial store (table %s has no column %s)", st->name, required[t].table,
                             required[t].columns[c]);
            else
                store_errorf(err, "%s: not a nas trial store (%s is missing or not a table)", st->name,
                             required[t].table);
            PQclear(rel);
            return -1;
        }
    }
    PQclear(rel);
    return 0;
}

/* A search creates or migrates the schema under the advisory lock, so workers opening an
 * empty database at once do not race. A view only reads, and refuses what it cannot read. */
static int prepare_schema(PgStore *st, StoreError *err)
{
    if (!st->readonly &&
        (begin(st, err) || exec0(st, "cannot lock the store", "SELECT pg_advisory_xact_lock(" LOCK_KEY ")", err)))
        return rollback(st);
    int v = schema_version(st, err);
    if (v > SCHEMA_VERSION) {
        store_errorf(err, "%s: store schema version %d is newer than this nasrun's (%d)", st->name, v, SCHEMA_VERSION);
        v = -1;
    } else if (v > 0 && check_columns(st, v, err)) { /* another program's tables: never migrated */
        v = -1;
    } else if (st->readonly && v == 0) {
        store_errorf(err, "%s: no trial store here (a search creates it)", st->name);
        v = -1;
    } else if (st->readonly && v > 0 && v < SCHEMA_VERSION) {
        store_errorf(err,
                     "%s: store schema version %d is older than this nasrun's (%d); a search "
                     "migrates it",
                     st->name, v, SCHEMA_VERSION);
        v = -1;
    }
    if (v < 0) return rollback(st);
    if (st->readonly) return 0; /* checked above at its version, which is the current one */
    for (int k = v; k < SCHEMA_VERSION; k++)
        if (exec0(st, "cannot create or migrate the schema", migrations[k], err)) return rollback(st);
    if (v < SCHEMA_VERSION) {
        char version[16];
        snprintf(version, sizeof version, "%d", SCHEMA_VERSION);
        const char *p[] = {version};
        PGresult *r = query(st, "cannot record the schema version",
                            "INSERT INTO meta(key, value) VALUES('schema', $1)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            1, p, err);
        if (!r) return rollback(st);
        PQclear(r);
    }
    if (check_columns(st, SCHEMA_VERSION, err)) return rollback(st);
    return commit(st, err);
}

/* ---- the operations ---- */

static void pg_close(Store *s)
{
    PgStore *st = P(s);
    PQfinish(st->conn);
    free(st->name);
    free(st);
}

static int pg_experiment_begin(Store *s, const StoreExperiment *e, bool start_new, int64_t *id, bool *resumed,
                               StoreError *err)
{
    PgStore *st = P(s);
    *resumed = false;
    if (begin(st, err)) return -1;
    if (!st->readonly && exec0(st, "cannot lock the store", "SELECT pg_advisory_xact_lock(" LOCK_KEY ")", err))
        return rollback(st);
    const char *p1[] = {e->name};
    PGresult *r = query(st, "cannot read experiments",
                        "SELECT id, source_hash FROM experiment"
                        " WHERE name = $1 AND active = 1 ORDER BY id DESC LIMIT 1",
                        1, p1, err);
    if (!r) return rollback(st);
    if (PQntuples(r) == 1) {
        int64_t old;
        const char *hash = cell(r, 0, 1);
        if (!parse_i64(cell(r, 0, 0), 1, INT64_MAX, &old) || !hash) {
            store_errorf(err, "%s: experiment row %s has a bad id or no source hash", st->name,
                         cell(r, 0, 0) ? cell(r, 0, 0) : "NULL");
            PQclear(r);
            return rollback(st);
        }
        bool same = strcmp(hash, e->source_hash) == 0;
        if (same && !start_new) {
            PQclear(r);
            *id = old;
            *resumed = true;
            return commit(st, err);
        }
        if (!start_new) {
            store_errorf(err,
                         "%s: the .nas source changed since experiment %lld was started "
                         "(source hash %.12s, now %.12s); results of different spaces are not mixed: "
                         "start a new experiment with --new, or use another --store",
                         st->name, (long long)old, hash, e->source_hash);
            PQclear(r);
            return rollback(st);
        }
    }
    PQclear(r);
    if (st->readonly) {
        /* A view of an experiment no search has begun: nothing to show, and nothing written
         * (no row has id 0). */
        *id = 0;
        return commit(st, err);
    }
    r = query(st, "cannot retire the old experiment", "UPDATE experiment SET active = 0 WHERE name = $1", 1, p1, err);
    if (!r) return rollback(st);
    PQclear(r);
    char seed[24];
    snprintf(seed, sizeof seed, "%lld", (long long)(int64_t)e->seed);
    const char *p2[] = {e->name, e->source, e->source_hash, e->cmdline, seed, e->version};
    r = query(st, "cannot record the experiment",
              "INSERT INTO experiment(name, source, source_hash, cmdline, seed, version, created)"
              " VALUES($1, $2, $3, $4, $5, $6, " NOW_SQL ") RETURNING id",
              6, p2, err);
    if (!r) return rollback(st);
    bool ok = PQntuples(r) == 1 && parse_i64(cell(r, 0, 0), 1, INT64_MAX, id);
    PQclear(r);
    if (!ok) {
        store_errorf(err, "%s: the new experiment's id is not a positive integer", st->name);
        return rollback(st);
    }
    return commit(st, err);
}

/* A claim's RETURNING id, attempts: the attempt this worker now owns. */
static int returned_attempt(PgStore *st, PGresult *r, StoreAttempt *out, StoreError *err)
{
    int64_t attempt;
    bool ok = parse_i64(cell(r, 0, 0), 1, INT64_MAX, &out->trial_id) &&
              parse_i64(cell(r, 0, 1), 1, STORE_ATTEMPTS_MAX, &attempt);
    if (ok) out->attempt = (int)attempt;
    else
        store_errorf(err, "%s: a claimed trial has id '%s', attempts '%s'", st->name,
                     cell(r, 0, 0) ? cell(r, 0, 0) : "NULL", cell(r, 0, 1) ? cell(r, 0, 1) : "NULL");
    PQclear(r);
    return ok ? 0 : -1;
}

/* Why a claim or a fenced write matched nothing, from the row it read: STORE_REFUSED when
 * the row exists (finished, or another attempt's), -1 when it is missing or, with arch_id (a
 * take-over), holds another architecture. */
static int explain(PgStore *st, PGresult *r, const char *arch_id, int attempt, StoreError *err)
{
    if (!r) return -1;
    if (PQntuples(r) != 1) {
        PQclear(r);
        store_errorf(err, "%s: no such trial", st->name);
        return -1;
    }
    int64_t stage, seq, state, attempts;
    const char *arch = cell(r, 0, 2), *worker = cell(r, 0, 4);
    int out = STORE_REFUSED;
    if (!parse_i64(cell(r, 0, 0), STORE_STAGE_MIN, STORE_STAGE_MAX, &stage) ||
        !parse_i64(cell(r, 0, 1), 0, STORE_SEQ_MAX, &seq) ||
        !parse_i64(cell(r, 0, 3), TRIAL_RUNNING, TRIAL_NSTATES - 1, &state) ||
        !parse_i64(cell(r, 0, 5), 1, STORE_ATTEMPTS_MAX, &attempts)) {
        store_errorf(err, "%s: trial row (stage %s, seq %s) has a stage, seq, state or attempts out of range", st->name,
                     cell(r, 0, 0) ? cell(r, 0, 0) : "NULL", cell(r, 0, 1) ? cell(r, 0, 1) : "NULL");
        out = -1;
    } else if (arch_id && (!arch || strcmp(arch, arch_id) != 0)) {
        store_errorf(err, "%s: stage %lld seq %lld holds architecture %s, not %s", st->name, (long long)stage,
                     (long long)seq, arch ? arch : "(none)", arch_id);
        out = -1;
    } else if (state != TRIAL_RUNNING) {
        store_errorf(err, "%s: stage %lld seq %lld is already %s (attempt %lld by %s)", st->name, (long long)stage,
                     (long long)seq, store_state_name((TrialState)state), (long long)attempts, worker ? worker : "?");
    } else {
        store_errorf(err, "%s: stage %lld seq %lld is attempt %lld by %s, not attempt %d", st->name, (long long)stage,
                     (long long)seq, (long long)attempts, worker ? worker : "?", attempt);
    }
    PQclear(r);
    return out;
}

static int pg_trial_start(Store *s, int64_t experiment, const StoreStart *t, StoreAttempt *out, StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], sg[16], sq[24], ask[24], take[16];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(sg, sizeof sg, "%d", t->stage);
    snprintf(sq, sizeof sq, "%lld", (long long)t->seq);
    snprintf(ask, sizeof ask, "%lld", (long long)t->ask_event);
    snprintf(take, sizeof take, "%d", t->take_over);
    /* Each claim is one statement, atomic on its row: of two workers inserting one proposal
     * the unique (experiment, stage, seq) lets one in; of two taking over attempt n, the
     * row lock lets the first move attempts to n + 1 and the second then matches nothing. */
    PGresult *r;
    if (t->take_over == 0) {
        const char *p[] = {ex, sg, sq, t->arch_id, t->decisions, t->worker, ask};
        r = query(st, "cannot record the trial",
                  "INSERT INTO trial(experiment, stage, seq, arch_id, decisions, state, worker, started, heartbeat,"
                  "                  ask_event)"
                  " VALUES($1, $2, $3, $4, $5, 0, $6, " NOW_SQL ", " NOW_SQL ", $7)"
                  " ON CONFLICT(experiment, stage, seq) DO NOTHING RETURNING id, attempts",
                  7, p, err);
    } else {
        const char *p[] = {t->worker, t->lost, ex, sg, sq, take, t->arch_id};
        r = query(st, "cannot record the trial",
                  "UPDATE trial SET worker = $1, attempts = attempts + 1, started = " NOW_SQL ","
                  " heartbeat = " NOW_SQL ", reason = $2"
                  " WHERE experiment = $3 AND stage = $4 AND seq = $5 AND state = 0 AND attempts = $6 AND arch_id = $7"
                  " RETURNING id, attempts",
                  7, p, err);
    }
    if (!r) return -1;
    if (PQntuples(r) == 1) return returned_attempt(st, r, out, err);
    PQclear(r);
    const char *p[] = {ex, sg, sq};
    r = query(st, "cannot read the trial",
              "SELECT stage, seq, arch_id, state, worker, attempts FROM trial"
              " WHERE experiment = $1 AND stage = $2 AND seq = $3",
              3, p, err);
    return explain(st, r, t->take_over ? t->arch_id : NULL, t->take_over, err);
}

/* After a fenced UPDATE that changed nothing: whose row it is. */
static int fenced(PgStore *st, const char *id, int attempt, StoreError *err)
{
    const char *p[] = {id};
    PGresult *r = query(st, "cannot read the trial",
                        "SELECT stage, seq, arch_id, state, worker, attempts FROM trial"
                        " WHERE id = $1",
                        1, p, err);
    return explain(st, r, NULL, attempt, err);
}

static int pg_trial_heartbeat(Store *s, const StoreAttempt *a, StoreError *err)
{
    PgStore *st = P(s);
    char id[24], attempt[16];
    snprintf(id, sizeof id, "%lld", (long long)a->trial_id);
    snprintf(attempt, sizeof attempt, "%d", a->attempt);
    const char *p[] = {id, attempt};
    PGresult *r =
        query(st, "cannot update the heartbeat",
              "UPDATE trial SET heartbeat = " NOW_SQL " WHERE id = $1 AND attempts = $2 AND state = 0", 2, p, err);
    if (!r) return -1;
    bool one = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return one ? 0 : fenced(st, id, a->attempt, err);
}

static int pg_trial_finish(Store *s, const StoreAttempt *a, TrialState state, double reward, const char *metrics,
                           const char *curve, const char *reason, int64_t tell_event, StoreError *err)
{
    PgStore *st = P(s);
    char sv[8], rw[32], tell[24], id[24], attempt[16];
    snprintf(sv, sizeof sv, "%d", (int)state);
    snprintf(rw, sizeof rw, "%.17g", reward);
    snprintf(tell, sizeof tell, "%lld", (long long)tell_event);
    snprintf(id, sizeof id, "%lld", (long long)a->trial_id);
    snprintf(attempt, sizeof attempt, "%d", a->attempt);
    const char *p[] = {sv, isfinite(reward) ? rw : NULL, metrics, curve, reason, tell, id, attempt};
    PGresult *r = query(st, "cannot record the trial result",
                        "UPDATE trial SET state = $1, reward = $2, metrics = $3, curve = $4, reason = $5,"
                        " finished = " NOW_SQL ", tell_event = $6 WHERE id = $7 AND attempts = $8 AND state = 0",
                        8, p, err);
    if (!r) return -1;
    bool one = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return one ? 0 : fenced(st, id, a->attempt, err);
}

/* Columns 0..16 as StoreTrial; column 17 is the server's clock at the read. */
static const char trial_columns[] =
    "SELECT id, stage, seq, arch_id, decisions, state, reward, metrics, curve, reason, worker,"
    " attempts, started, finished, heartbeat, ask_event, tell_event, " NOW_SQL " FROM trial ";

/* A time column: NULL is 0; else a number (store_row_check says whether it is a time). */
static bool time_cell(const PGresult *r, int row, int col, double *out)
{
    const char *v = cell(r, row, col);
    *out = 0;
    return !v || parse_f64(v, out);
}

/* An integer column into *out; false when it is NULL or not an integer. */
static bool int_cell(const PGresult *r, int row, int col, int64_t *out)
{
    return parse_i64(cell(r, row, col), INT64_MIN, INT64_MAX, out);
}

/* One row as text, parsed into its C types for store_row_check. */
static void read_row(const PGresult *r, int i, StoreRow *w)
{
    *w = (StoreRow){0};
    if (!int_cell(r, i, 0, &w->id)) w->bad = "bad id";
    else if (!int_cell(r, i, 1, &w->stage)) w->bad = "stage out of range";
    else if (!int_cell(r, i, 2, &w->seq)) w->bad = "seq out of range";
    else if (!int_cell(r, i, 5, &w->state)) w->bad = "state is not a trial state";
    else if ((w->has_reward = cell(r, i, 6) != NULL) && !parse_f64(cell(r, i, 6), &w->reward))
        w->bad = "reward is not a finite number";
    else if (!int_cell(r, i, 11, &w->attempts)) w->bad = "attempts out of range";
    else if (!time_cell(r, i, 12, &w->started) || !time_cell(r, i, 13, &w->finished) ||
             !time_cell(r, i, 14, &w->heartbeat))
        w->bad = "a start, finish or heartbeat time is not a time";
    else if (!int_cell(r, i, 15, &w->ask_event) || !int_cell(r, i, 16, &w->tell_event))
        w->bad = "ask or tell event out of range";
    w->arch_id = cell(r, i, 3);
    w->decisions = cell(r, i, 4);
    w->metrics = cell(r, i, 7);
    w->curve = cell(r, i, 8);
    w->reason = cell(r, i, 9);
    w->worker = cell(r, i, 10);
}

/* A time read in the server's clock, handed over in the caller's (0 stays 0: not set). */
static void shift_time(double *t, double shift)
{
    if (*t > 0) *t += shift;
}

static int collect(PgStore *st, PGresult *r, StoreTrialList *out, StoreError *err)
{
    int n = PQntuples(r);
    out->items = NULL;
    out->count = 0;
    if (n == 0) {
        PQclear(r);
        return 0;
    }
    double server_now;
    if (!parse_f64(cell(r, 0, 17), &server_now)) {
        store_errorf(err, "%s: the server's clock reads '%s'", st->name, PQgetvalue(r, 0, 17));
        PQclear(r);
        return -1;
    }
    double shift = store_now() - server_now;
    out->items = calloc((size_t)n, sizeof *out->items);
    if (!out->items) {
        PQclear(r);
        store_errorf(err, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *why = NULL;
        StoreRow row;
        read_row(r, i, &row);
        StoreTrial *t = &out->items[out->count++];
        int rc = store_row_check(&row, server_now, t, &why);
        if (rc == 0) {
            shift_time(&t->started, shift);
            shift_time(&t->finished, shift);
            shift_time(&t->heartbeat, shift);
            continue;
        }
        if (rc == -2) store_errorf(err, "out of memory");
        else store_row_error(err, st->name, &row, why);
        store_trials_free(out);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    return 0;
}

static int pg_trials(Store *s, int64_t experiment, int stage, const char *arch_id, bool done_only, StoreTrialList *out,
                     StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], sg[16], done[8], sql[512];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(sg, sizeof sg, "%d", stage);
    snprintf(done, sizeof done, "%d", done_only ? (int)TRIAL_DONE : -1);
    snprintf(sql, sizeof sql,
             "%s WHERE experiment = $1 AND ($2::int = 0 OR stage = $2::int)"
             " AND ($3::text IS NULL OR arch_id = $3::text) AND ($4::int < 0 OR state = $4::int)"
             " ORDER BY stage, seq",
             trial_columns);
    const char *p[] = {ex, sg, arch_id, done};
    PGresult *r = query(st, "cannot read trials", sql, 4, p, err);
    if (!r) {
        out->items = NULL;
        out->count = 0;
        return -1;
    }
    return collect(st, r, out, err);
}

static int pg_reclaim_stale(Store *s, int64_t experiment, double stale_seconds, StoreTrialList *out, StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], stale[32], sql[512];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(stale, sizeof stale, "%.17g", stale_seconds);
    /* Staleness by the server's clock, the one every heartbeat was written with. */
    snprintf(sql, sizeof sql,
             "%s WHERE experiment = $1 AND state = 0 AND heartbeat < " NOW_SQL " - $2::float8"
             " ORDER BY stage, seq",
             trial_columns);
    const char *p[] = {ex, stale};
    PGresult *r = query(st, "cannot read trials", sql, 2, p, err);
    if (!r) {
        out->items = NULL;
        out->count = 0;
        return -1;
    }
    return collect(st, r, out, err);
}

/* Every experiment with its trial count and best finished rewards per stage, oldest first;
 * each row checked like a trial row. */
static int pg_experiments(Store *s, StoreExperimentList *out, StoreError *err)
{
    PgStore *st = P(s);
    char sql[640];
    snprintf(sql, sizeof sql,
             "SELECT e.id, e.name, e.source_hash, e.seed, e.created, count(t.id),"
             " max(CASE WHEN t.stage = 1 AND t.state = %d THEN t.reward END),"
             " max(CASE WHEN t.stage = 2 AND t.state = %d THEN t.reward END), " NOW_SQL
             " FROM experiment e LEFT JOIN trial t ON t.experiment = e.id GROUP BY e.id ORDER BY e.id",
             (int)TRIAL_DONE, (int)TRIAL_DONE);
    *out = (StoreExperimentList){0};
    PGresult *r = query(st, "cannot read experiments", sql, 0, NULL, err);
    if (!r) return -1;
    int n = PQntuples(r);
    out->items = n ? calloc((size_t)n, sizeof *out->items) : NULL;
    if (n && !out->items) {
        PQclear(r);
        return store_errorf(err, "out of memory"), -1;
    }
    for (int i = 0; i < n; i++) {
        StoreExperimentRow w = {0};
        double server_now = 0;
        if (!int_cell(r, i, 0, &w.id)) w.bad = "bad id";
        else if ((w.has_seed = cell(r, i, 3) != NULL) && !int_cell(r, i, 3, &w.seed)) w.bad = "bad seed";
        else if (!int_cell(r, i, 5, &w.trials)) w.bad = "bad trial count";
        else if (!parse_f64(cell(r, i, 8), &server_now)) w.bad = "bad server time";
        else if (!time_cell(r, i, 4, &w.created)) w.bad = "bad creation time";
        else if (((w.has_best1 = cell(r, i, 6) != NULL) && !parse_f64(cell(r, i, 6), &w.best1)) ||
                 ((w.has_best2 = cell(r, i, 7) != NULL) && !parse_f64(cell(r, i, 7), &w.best2)))
            w.bad = "bad reward";
        w.name = cell(r, i, 1);
        w.source_hash = cell(r, i, 2);
        const char *why = NULL;
        int rc = store_experiment_row_check(&w, server_now, &out->items[out->count], &why);
        if (rc) {
            if (rc == -2) store_errorf(err, "out of memory");
            else store_errorf(err, "%s: experiment row %s: %s", st->name, cell(r, i, 0) ? cell(r, i, 0) : "NULL", why);
            store_experiments_free(out);
            PQclear(r);
            return -1;
        }
        shift_time(&out->items[out->count++].created, store_now() - server_now);
    }
    PQclear(r);
    return 0;
}

static char *dup_cell(const PGresult *r, int row, int col, bool *oom)
{
    const char *v = cell(r, row, col);
    if (!v) return NULL;
    char *d = strdup(v);
    if (!d) *oom = true;
    return d;
}

static int pg_weights_put(Store *s, int64_t experiment, const StoreWeights *w, StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], sg[16], bytes[24];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(sg, sizeof sg, "%d", w->stage);
    snprintf(bytes, sizeof bytes, "%lld", (long long)w->bytes);
    const char *p[] = {ex, sg, w->arch_id, w->path, w->sha256, bytes};
    PGresult *r = query(st, "cannot record the weights",
                        "INSERT INTO weights(experiment, stage, arch_id, path, sha256, bytes, created)"
                        " VALUES($1, $2, $3, $4, $5, $6, " NOW_SQL ")"
                        " ON CONFLICT(experiment, stage, arch_id) DO UPDATE SET path = excluded.path,"
                        " sha256 = excluded.sha256, bytes = excluded.bytes, created = excluded.created",
                        6, p, err);
    PQclear(r);
    return r ? 0 : -1;
}

static int pg_weights_find(Store *s, int64_t experiment, int stage, const char *arch_id, StoreWeights *out, bool *found,
                           StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], sg[16];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(sg, sizeof sg, "%d", stage);
    const char *p[] = {ex, arch_id, sg};
    PGresult *r = query(st, "cannot read the weights",
                        "SELECT stage, arch_id, path, sha256, bytes, created FROM weights"
                        " WHERE experiment = $1 AND arch_id = $2 AND ($3::int = 0 OR stage = $3::int)"
                        " ORDER BY stage DESC LIMIT 1",
                        3, p, err);
    if (!r) return -1;
    int64_t sgv = 0, by = 0;
    bool oom = false;
    if (PQntuples(r) == 1) {
        if (!parse_i64(cell(r, 0, 0), 1, STORE_STAGE_MAX, &sgv) || !parse_i64(cell(r, 0, 4), 0, INT64_MAX, &by) ||
            !parse_f64(cell(r, 0, 5), &out->created)) {
            store_errorf(err, "%s: a weights row of %s is not a nas row", st->name, arch_id);
            PQclear(r);
            return -1;
        }
        out->stage = (int)sgv;
        out->bytes = by;
        out->arch_id = dup_cell(r, 0, 1, &oom);
        out->path = dup_cell(r, 0, 2, &oom);
        out->sha256 = dup_cell(r, 0, 3, &oom);
        *found = !oom && out->arch_id && out->path && out->sha256;
    }
    PQclear(r);
    if (oom) {
        store_weights_free(out);
        store_errorf(err, "out of memory");
        return -1;
    }
    return 0;
}

/* An advisory lock of the two-int key space (apart from LOCK_KEY's): (WORKER_LOCK, experiment),
 * released when the transaction ends, also when the connection drops. */
static int pg_lock(Store *s, int64_t experiment, StoreError *err)
{
    PgStore *st = P(s);
    char ex[24];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    const char *p[] = {ex};
    if (begin(st, err)) return -1;
    PGresult *r = query(st, "cannot lock the experiment",
                        "SELECT pg_advisory_xact_lock(" WORKER_LOCK ", ($1::bigint % 2147483647)::int)", 1, p, err);
    if (!r) return rollback(st);
    PQclear(r);
    return 0;
}

static int pg_unlock(Store *s, bool commit_it, StoreError *err)
{
    PgStore *st = P(s);
    if (commit_it) return commit(st, err);
    rollback(st);
    return 0;
}

static int pg_next_event(Store *s, int64_t experiment, int stage, int64_t *out, StoreError *err)
{
    PgStore *st = P(s);
    char ex[24], sg[16];
    snprintf(ex, sizeof ex, "%lld", (long long)experiment);
    snprintf(sg, sizeof sg, "%d", stage);
    const char *p[] = {ex, sg};
    PGresult *r = query(st, "cannot read the trials' events",
                        "SELECT coalesce(max(greatest(ask_event, tell_event)), -1) + 1 FROM trial"
                        " WHERE experiment = $1 AND stage = $2",
                        2, p, err);
    if (!r) return -1;
    bool ok = PQntuples(r) == 1 && parse_i64(cell(r, 0, 0), 0, INT64_MAX / 2, out);
    PQclear(r);
    if (!ok) store_errorf(err, "%s: the next event number of stage %d is not a number", st->name, stage);
    return ok ? 0 : -1;
}

/* The server keeps its own files sound (checksums, WAL); a client has nothing to check. */
static int pg_check(Store *s, StoreError *err)
{
    (void)s;
    (void)err;
    return 0;
}

static const StoreOps postgres_ops = {
    .close = pg_close,
    .experiment_begin = pg_experiment_begin,
    .trial_start = pg_trial_start,
    .trial_heartbeat = pg_trial_heartbeat,
    .trial_finish = pg_trial_finish,
    .reclaim_stale = pg_reclaim_stale,
    .trials = pg_trials,
    .experiments = pg_experiments,
    .weights_put = pg_weights_put,
    .weights_find = pg_weights_find,
    .lock = pg_lock,
    .unlock = pg_unlock,
    .next_event = pg_next_event,
    .check = pg_check,
};

/* "postgresql://user@host:port/db" from the parsed URL: a password (in the URL or its
 * parameters) never reaches a message. */
static char *display_name(const char *url)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &msg);
    PQfreemem(msg);
    const char *user = NULL, *host = NULL, *port = NULL, *db = NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !*o->val) continue;
        if (!strcmp(o->keyword, "user")) user = o->val;
        else if (!strcmp(o->keyword, "host")) host = o->val;
        else if (!strcmp(o->keyword, "port")) port = o->val;
        else if (!strcmp(o->keyword, "dbname")) db = o->val;
    }
    char buf[600];
    snprintf(buf, sizeof buf, "postgresql://%s%s%s%s%s/%s", user ? user : "", user ? "@" : "", host ? host : "",
             port ? ":" : "", port ? port : "", db ? db : "");
    PQconninfoFree(opts);
    return strdup(buf);
}

Store *store_open_postgres(const char *url, bool create, StoreError *err)
{
    PgStore *st = calloc(1, sizeof *st);
    if (!st || !(st->name = display_name(url))) {
        free(st);
        store_errorf(err, "out of memory");
        return NULL;
    }
    st->base.ops = &postgres_ops;
    st->readonly = !create;
    /* Defaults first: the URL's own parameters override them. Keepalives and a send timeout
     * make a vanished server an error within about half a minute instead of a hang. */
    const char *const keys[] = {"connect_timeout",  "keepalives_idle",  "keepalives_interval",
                                "keepalives_count", "tcp_user_timeout", "application_name",
                                "client_encoding",  "dbname",           NULL};
    const char *const vals[] = {"10", "10", "5", "3", "30000", "nasrun", "UTF8", url, NULL};
    st->conn = PQconnectdbParams(keys, vals, 1);
    if (!st->conn || PQstatus(st->conn) != CONNECTION_OK) {
        store_errorf(err, "%s: cannot connect to the trial store: %s", st->name,
                     st->conn ? pg_msg(st->conn, NULL) : "out of memory");
        pg_close(&st->base);
        return NULL;
    }
    if (session_setup(st, err) || prepare_schema(st, err)) {
        pg_close(&st->base);
        return NULL;
    }
    return &st->base;
}
