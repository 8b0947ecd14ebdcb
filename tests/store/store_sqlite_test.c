/* store_sqlite_test.c — what the SQLite store checks that the unit tests of store_test.c do
 * not: experiment rows written by something else, what it stores (normalised JSON, UTF-8),
 * a damaged file on open, and damage under an open store (store_check, store_damaged).
 * Rows are tampered with through sqlite3 directly. */
#include "store.h"
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#define MUST(c)                                                                          \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, "%s:%d: fatal: %s (%s)\n", __FILE__, __LINE__, #c, err.msg); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

static char dir[64];

static const char *path_in(const char *name)
{
    static char buf[4][128];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 128, "%s/%s", dir, name);
    return p;
}

static void sql(const char *path, const char *text)
{
    sqlite3 *db;
    char *msg = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "set-up failed: %s: %s\n", text, msg ? msg : sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_close(db);
}

static Store *one_trial(const char *path, int64_t *ex, StoreAttempt *a)
{
    StoreError err;
    Store *s = store_open(path, true, &err);
    MUST(s);
    bool resumed;
    StoreExperiment e = {0, "space", "model m() {}", "abcd", "nasrun space.nas", 7, "test"};
    MUST(store_experiment_begin(s, &e, false, ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, *ex, &(StoreStart){1, 0, 0, "1AB", "{\"k\": 1}", "h:1", 0, NULL}, a, &err) == 0);
    return s;
}

/* What goes in is made safe to come out: JSON printed again, bytes that are not UTF-8 replaced;
 * what is not JSON of its type is refused. */
static void test_normalised(void)
{
    StoreError err;
    int64_t ex;
    StoreAttempt a;
    Store *s = one_trial(path_in("norm.nasdb"), &ex, &a);
    CHECK(store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{\"a\": 1} junk", "[]", NULL, 1, &err) == -1 &&
          strstr(err.msg, "metrics to store: not a JSON object"));
    CHECK(store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{}", "{}", NULL, 1, &err) == -1 &&
          strstr(err.msg, "curve to store: not a JSON array"));
    CHECK(store_trial_finish(s, &a, TRIAL_NSTATES, 0.5, "{}", "[]", NULL, 1, &err) == -1);
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 1, 1, "no id", "{}", "h:1", 0, NULL}, &a, &err) == -1 &&
          strstr(err.msg, "not an architecture ID"));
    MUST(store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{ \"accuracy\" : 0.5, \"note\": \"\xff\xfe\", \"big\": 1e999 }",
                            "[{\"loss\": 1}]", "bad \xc3 byte", 1, &err) == 0);
    StoreTrialList l;
    MUST(store_trials(s, ex, 0, &l, &err) == 0);
    CHECK(l.count == 1);
    if (l.count == 1) {
        CHECK(!strcmp(l.items[0].metrics, "{\"accuracy\":0.5,\"note\":\"\xef\xbf\xbd\xef\xbf\xbd\",\"big\":null}"));
        CHECK(!strcmp(l.items[0].curve, "[{\"loss\":1}]") && !strcmp(l.items[0].decisions, "{\"k\":1}"));
        CHECK(!strcmp(l.items[0].reason, "bad \xef\xbf\xbd byte"));
    }
    store_trials_free(&l);
    store_close(s);
}

/* Experiment rows are checked like trial rows. */
static void test_experiment_rows(void)
{
    StoreError err;
    int64_t ex;
    StoreAttempt a;
    const char *path = path_in("exp.nasdb");
    store_close(one_trial(path, &ex, &a));
    static const char *const cases[][2] = {
        {"UPDATE experiment SET created = 1e300", "bad creation time"},
        {"UPDATE experiment SET seed = 'x'", "bad seed"},
        {"UPDATE experiment SET name = CAST(X'FF' AS TEXT)", "not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sql(path, "UPDATE experiment SET created = 1, seed = 7, name = 'space'");
        sql(path, cases[i][0]);
        Store *s = store_open(path, false, &err);
        MUST(s);
        StoreExperimentList l;
        int rc = store_experiments(s, &l, &err);
        CHECK(rc == -1 && strstr(err.msg, cases[i][1]) && strstr(err.msg, "experiment row 1") && strstr(err.msg, path));
        if (rc == 0) store_experiments_free(&l);
        store_close(s);
    }
}

/* A damaged file is refused on open; damage under an open store is found by store_check. */
static void test_damaged(void)
{
    StoreError err;
    int64_t ex;
    StoreAttempt a;
    const char *path = path_in("dmg.nasdb");
    Store *s = one_trial(path, &ex, &a);
    sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(store_check(s, &err) == 0 && !store_damaged(s));
    FILE *f = fopen(path, "r+b");
    MUST(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 4096, SEEK_SET);
    for (long i = 4096; i < size; i++) fputc((int)((i * 131) & 0xff), f);
    fclose(f);
    CHECK(store_check(s, &err) == -1 && store_damaged(s) && strstr(err.msg, "damaged") && strstr(err.msg, path));
    store_close(s);
    s = store_open(path, false, &err);
    CHECK(s == NULL && strstr(err.msg, "damaged") && strstr(err.msg, path));
    if (s) store_close(s);
    s = store_open(path, true, &err);
    CHECK(s == NULL && strstr(err.msg, "damaged"));
    if (s) store_close(s);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/nas-store-sqlite-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    test_normalised();
    test_experiment_rows();
    test_damaged();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (failures) {
        fprintf(stderr, "%d checks failed (files in %s)\n", failures, dir);
        return 1;
    }
    if (system(cmd) != 0) return 1;
    printf("store_sqlite_test: ok\n");
    return 0;
}
