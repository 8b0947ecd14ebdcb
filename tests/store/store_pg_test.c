/* store_pg_test.c — what only the PostgreSQL store has: databases that are not nas stores,
 * read-only views, rows written by something else, a newer schema, many workers creating the
 * schema at once, the workers' lock, a dropped connection, passwords kept out of messages, the
 * unix socket. Run by with_pg.sh (NAS_TEST_PG names the server); rows are tampered with through libpq. */
#include "store.h"
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/check.h"
#define MUST(c)                                                                          \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, "%s:%d: fatal: %s (%s)\n", __FILE__, __LINE__, #c, err.msg); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

static const char *server; /* postgresql://postgres@127.0.0.1:PORT */

static const char *url_of(const char *db)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 256, "%s/%s", server, db);
    return p;
}

/* Runs SQL on a database as the superuser; exits on failure (the test's own set-up). */
static void sql(const char *db, const char *text)
{
    PGconn *c = PQconnectdb(url_of(db));
    PGresult *r = PQexec(c, text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "set-up failed on %s: %s: %s", db, text, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
    PQfinish(c);
}

/* The first column of the first row of a query, as a number (-1: no row). */
static long long value(const char *db, const char *text)
{
    PGconn *c = PQconnectdb(url_of(db));
    PGresult *r = PQexec(c, text);
    long long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    PQfinish(c);
    return v;
}

static void fresh_db(const char *db)
{
    char text[128];
    snprintf(text, sizeof text, "CREATE DATABASE %s", db);
    sql("postgres", text);
}

static StoreExperiment experiment(const char *name)
{
    return (StoreExperiment){.name = name,
                             .source = "model m() {}",
                             .source_hash = "abcd",
                             .cmdline = "nasrun space.nas",
                             .seed = 7,
                             .version = "test"};
}

static long long tables(const char *db)
{
    return value(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
}

/* Databases that hold something else are refused and left as they were. */
static void test_foreign(void)
{
    StoreError err = {{0}};
    fresh_db("other");
    sql("other", "CREATE TABLE users(name text)");
    Store *s = store_open(url_of("other"), true, &err);
    CHECK(s == NULL && strstr(err.msg, "not a nas trial store") && strstr(err.msg, "users"));
    CHECK(strstr(err.msg, url_of("other")) != NULL);
    CHECK(tables("other") == 1);
    if (s) store_close(s);

    fresh_db("lookalike");
    sql("lookalike", "CREATE TABLE meta(key text PRIMARY KEY, value text); CREATE TABLE trial(x int);"
                     "INSERT INTO meta VALUES('schema', '2')");
    s = store_open(url_of("lookalike"), true, &err);
    CHECK(s == NULL && strstr(err.msg, "not a nas trial store") && strstr(err.msg, "trial"));
    if (s) store_close(s);
    s = store_open(url_of("lookalike"), false, &err);
    CHECK(s == NULL && strstr(err.msg, "not a nas trial store"));
    if (s) store_close(s);
}

/* A view never writes: not on an empty database, not a new experiment, not a trial. */
static void test_views(void)
{
    StoreError err = {{0}};
    fresh_db("empty");
    Store *s = store_open(url_of("empty"), false, &err);
    CHECK(s == NULL && strstr(err.msg, "no trial store here"));
    CHECK(tables("empty") == 0);
    if (s) store_close(s);

    fresh_db("views");
    s = store_open(url_of("views"), true, &err);
    MUST(s);
    int64_t ex;
    StoreAttempt a;
    bool resumed;
    StoreExperiment e = experiment("space");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    store_close(s);

    s = store_open(url_of("views"), false, &err);
    MUST(s);
    int64_t vex;
    MUST(store_experiment_begin(s, &e, false, &vex, &resumed, &err) == 0);
    CHECK(resumed && vex == ex);
    StoreExperiment other = experiment("never-run");
    MUST(store_experiment_begin(s, &other, false, &vex, &resumed, &err) == 0);
    CHECK(!resumed);
    StoreTrialList l;
    MUST(store_trials(s, vex, 0, &l, &err) == 0);
    CHECK(l.count == 0);
    store_trials_free(&l);
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 1, 1, "ID1", "{}", "h:1", 0, NULL}, &a, &err) == -1 &&
          strstr(err.msg, "read-only"));
    CHECK(store_trial_heartbeat(s, &a, &err) == -1 && strstr(err.msg, "read-only"));
    store_close(s);
    CHECK(value("views", "SELECT count(*) FROM experiment") == 1);
    CHECK(value("views", "SELECT count(*) FROM trial") == 1);
}

/* A row that no nasrun wrote is an error naming the store and the row, never a crash or a
 * silently wrong value. */
static void test_bad_rows(void)
{
    StoreError err = {{0}};
    fresh_db("rows");
    Store *s = store_open(url_of("rows"), true, &err);
    MUST(s);
    int64_t ex;
    StoreAttempt a;
    bool resumed;
    StoreExperiment e = experiment("space");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    MUST(store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{}", "[]", NULL, 1, &err) == 0);
    sql("rows", "ALTER TABLE trial DROP CONSTRAINT trial_state_check; ALTER TABLE trial ALTER arch_id DROP NOT NULL");
    static const struct {
        const char *tamper, *why;
    } cases[] = {
        {"state = 7", "state is not a trial state"},
        {"state = -1", "state is not a trial state"},
        {"arch_id = NULL", "no arch_id"},
        {"arch_id = ''", "no arch_id"},
        {"seq = 9223372036854775807", "seq out of range"},
        {"seq = -5", "seq out of range"},
        {"stage = 0", "stage out of range"},
        {"heartbeat = extract(epoch from now()) + 1e6", "heartbeat is in the future"},
        {"reward = 'Infinity'", "reward is not a finite number"},
        {"reward = 'NaN'", "reward is not a finite number"},
        {"attempts = 0", "attempts out of range"},
        {"finished = -3", "not a time"},
        {"tell_event = -2", "event out of range"},
    };
    char expect_row[64];
    snprintf(expect_row, sizeof expect_row, "trial row id %lld", (long long)a.trial_id);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, "UPDATE trial SET %s", cases[i].tamper);
        sql("rows", text);
        StoreTrialList l = {(StoreTrial *)1, 1};
        int rc = store_trials(s, ex, 0, &l, &err);
        if (!(rc != 0 && strstr(err.msg, cases[i].why) && strstr(err.msg, expect_row) &&
              strstr(err.msg, url_of("rows"))))
            fprintf(stderr, "tampered with %s: rc %d, message: %s\n", cases[i].tamper, rc, rc ? err.msg : "");
        CHECK(rc != 0 && strstr(err.msg, cases[i].why) && strstr(err.msg, expect_row));
        CHECK(l.items == NULL && l.count == 0);
        if (rc == 0) store_trials_free(&l);
        sql("rows", "UPDATE trial SET state = 1, arch_id = 'ID0', seq = 0, stage = 1, reward = 0.5, attempts = 1,"
                    " heartbeat = extract(epoch from now()), finished = extract(epoch from now()), tell_event = 1");
    }
    StoreTrialList l;
    MUST(store_trials(s, ex, 0, &l, &err) == 0); /* restored: readable again */
    CHECK(l.count == 1 && l.items[0].reward == 0.5);
    store_trials_free(&l);
    store_close(s);

    /* a store of schema version 1 (before weights): a view refuses it, a search migrates it */
    sql("rows", "DROP TABLE weights; UPDATE meta SET value = '1' WHERE key = 'schema'");
    s = store_open(url_of("rows"), false, &err);
    CHECK(s == NULL && strstr(err.msg, "a search migrates it"));
    if (s) store_close(s);
    s = store_open(url_of("rows"), true, &err);
    CHECK(s != NULL);
    if (s) store_close(s);
    CHECK(value("rows", "SELECT count(*) FROM weights") == 0 &&
          value("rows", "SELECT value::int FROM meta WHERE key = 'schema'") == 3);

    sql("rows", "UPDATE meta SET value = '99' WHERE key = 'schema'");
    s = store_open(url_of("rows"), true, &err);
    CHECK(s == NULL && strstr(err.msg, "newer"));
    if (s) store_close(s);
    sql("rows", "UPDATE meta SET value = 'x' WHERE key = 'schema'");
    s = store_open(url_of("rows"), true, &err);
    CHECK(s == NULL && strstr(err.msg, "not a nas trial store"));
    if (s) store_close(s);
}

/* Workers that start at once on an empty database: one schema, one experiment; of their
 * claims of one proposal exactly one wins, and of their take-overs of its attempt 1 too. */
static void test_many_openers(void)
{
    enum { WORKERS = 8 };
    fresh_db("race");
    for (int w = 0; w < WORKERS; w++) {
        if (fork() == 0) {
            StoreError err = {{0}};
            Store *s = store_open(url_of("race"), true, &err);
            int64_t ex;
            StoreAttempt a;
            bool resumed;
            char worker[16];
            snprintf(worker, sizeof worker, "h:%d", w);
            StoreExperiment e = experiment("space");
            int claim = -1, take = -1;
            if (s && store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0) {
                claim = store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", worker, 0, NULL}, &a, &err);
                take = store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", worker, 1, "lost"}, &a, &err);
            }
            if (claim < 0 || take < 0) fprintf(stderr, "worker %d: %s\n", w, err.msg);
            if (s) store_close(s);
            _exit(claim < 0 || take < 0 ? 9 : (claim == 0) + 2 * (take == 0));
        }
    }
    int claimed = 0, took = 0;
    for (int w = 0; w < WORKERS; w++) {
        int status;
        wait(&status);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) < 4);
        claimed += WIFEXITED(status) && (WEXITSTATUS(status) & 1);
        took += WIFEXITED(status) && WEXITSTATUS(status) < 4 && (WEXITSTATUS(status) & 2);
    }
    CHECK(claimed == 1 && took == 1);
    CHECK(value("race", "SELECT count(*) FROM experiment") == 1);
    CHECK(value("race", "SELECT count(*) FROM trial") == 1);
    CHECK(value("race", "SELECT attempts FROM trial") == 2);
}

/* Worker mode: the experiment's lock holds off another session's lock of the same experiment
 * (not another's) until it is released, a rolled-back claim leaves nothing, and the next event
 * number is one past every ask and tell of the stage. */
static void test_worker_lock(void)
{
    StoreError err = {{0}};
    fresh_db("locks");
    Store *s = store_open(url_of("locks"), true, &err);
    MUST(s);
    int64_t ex, next = -1;
    StoreAttempt a;
    bool resumed;
    StoreExperiment e = experiment("space");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    CHECK(store_next_event(s, ex, 1, &next, &err) == 0 && next == 0);
    char same[128], other[128];
    snprintf(same, sizeof same, "SELECT pg_try_advisory_xact_lock(1851880311, %lld)::int", (long long)ex);
    snprintf(other, sizeof other, "SELECT pg_try_advisory_xact_lock(1851880311, %lld)::int", (long long)ex + 1);
    MUST(store_lock(s, ex, &err) == 0);
    CHECK(value("locks", same) == 0);
    CHECK(value("locks", other) == 1);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 4, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    CHECK(store_unlock(s, false, &err) == 0);
    CHECK(value("locks", "SELECT count(*) FROM trial") == 0);
    CHECK(value("locks", same) == 1);
    MUST(store_lock(s, ex, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 4, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    CHECK(store_unlock(s, true, &err) == 0);
    CHECK(value("locks", "SELECT count(*) FROM trial") == 1);
    CHECK(store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{}", "[]", NULL, 9, &err) == 0);
    CHECK(store_next_event(s, ex, 1, &next, &err) == 0 && next == 10);
    CHECK(store_next_event(s, ex, 2, &next, &err) == 0 && next == 0);
    store_close(s);
}

/* The server drops the connection (a restart, a network blip): the next call reconnects. */
static void test_reconnect(void)
{
    StoreError err = {{0}};
    fresh_db("blip");
    Store *s = store_open(url_of("blip"), true, &err);
    MUST(s);
    int64_t ex;
    StoreAttempt a;
    bool resumed;
    StoreExperiment e = experiment("space");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    CHECK(value("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            " WHERE datname = 'blip' AND application_name = 'nasrun'") == 1);
    CHECK(store_trial_heartbeat(s, &a, &err) == 0);
    CHECK(store_trial_finish(s, &a, TRIAL_DONE, 0.25, "{}", "[]", NULL, 1, &err) == 0);
    CHECK(value("blip", "SELECT state FROM trial") == TRIAL_DONE);
    store_close(s);
}

/* Messages name the store without its password; a closed port is an error, not a hang. */
static void test_connect_errors(void)
{
    StoreError err = {{0}};
    Store *s = store_open("postgresql://nas:secret@127.0.0.1:1/nas?password=secret2", true, &err);
    CHECK(s == NULL && strstr(err.msg, "postgresql://nas@127.0.0.1:1/nas") && strstr(err.msg, "cannot connect"));
    CHECK(!strstr(err.msg, "secret"));
    if (s) store_close(s);
    s = store_open("postgres://nas@127.0.0.1:1/nas", false, &err); /* the short scheme is PostgreSQL too */
    CHECK(s == NULL && strstr(err.msg, "cannot connect"));
    if (s) store_close(s);
}

/* The unix socket: host is the socket's directory. */
static void test_socket(const char *socket_dir, const char *port)
{
    StoreError err = {{0}};
    char url[512];
    snprintf(url, sizeof url, "postgresql:///nas?host=%s&port=%s&user=postgres", socket_dir, port);
    Store *s = store_open(url, true, &err);
    MUST(s);
    int64_t ex;
    bool resumed;
    StoreExperiment e = experiment("socket");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    CHECK(ex > 0 && !resumed);
    store_close(s);
}

/* A store of schema 1 (states 0..4) is migrated by a search to 3, which stores `pruned` (5);
 * a view of it then reads the state back. */
static void test_migrate_pruned(void)
{
    StoreError err = {{0}};
    fresh_db("v1");
    Store *s = store_open(url_of("v1"), true, &err);
    MUST(s);
    store_close(s);
    /* back to schema 1 as it was (no weights table, states 0..4) */
    sql("v1", "DROP TABLE weights; ALTER TABLE trial DROP CONSTRAINT trial_state_check;"
              "ALTER TABLE trial ADD CONSTRAINT trial_state_check CHECK (state BETWEEN 0 AND 4);"
              "UPDATE meta SET value = '1' WHERE key = 'schema'");
    s = store_open(url_of("v1"), false, &err);
    CHECK(s == NULL && strstr(err.msg, "older"));
    if (s) store_close(s);
    s = store_open(url_of("v1"), true, &err);
    MUST(s);
    CHECK(value("v1", "SELECT value::int FROM meta WHERE key = 'schema'") == 3);
    int64_t ex;
    bool resumed;
    StoreAttempt a;
    StoreExperiment e = experiment("pruning");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &a, &err) == 0);
    CHECK(store_trial_finish(s, &a, TRIAL_PRUNED, 0.25, "{\"epoch\": 1}", "[]", "pruned at epoch 1", 1, &err) == 0);
    store_close(s);
    s = store_open(url_of("v1"), false, &err);
    MUST(s);
    StoreTrialList l = {0};
    CHECK(store_trials(s, ex, 1, &l, &err) == 0 && l.count == 1 && l.items[0].state == TRIAL_PRUNED);
    CHECK(!strcmp(store_state_name(TRIAL_PRUNED), "pruned"));
    store_trials_free(&l);
    store_close(s);
}

int main(void)
{
    server = getenv("NAS_TEST_PG");
    const char *socket_dir = getenv("NAS_TEST_PG_SOCKET"), *port = getenv("NAS_TEST_PG_PORT");
    if (!server || !socket_dir || !port) {
        fprintf(stderr, "store_pg_test: run it with tests/store/with_pg.sh (NAS_TEST_PG is not set)\n");
        return 1;
    }
    test_foreign();
    test_views();
    test_bad_rows();
    test_many_openers();
    test_worker_lock();
    test_reconnect();
    test_connect_errors();
    test_socket(socket_dir, port);
    test_migrate_pruned();
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("store_pg_test: ok\n");
    return 0;
}
