/* fuzz_store.c — libFuzzer target for the store reader. Bytes that begin like an SQLite file
 * are a .nasdb file (seeds: small real stores in regress_store/); other bytes are values
 * written into a real store's rows (chunks of column, row, SQLite type and value: what a
 * crafted file holds without being damaged, which byte flips of a file rarely reach). The
 * store is opened as a view (read-only) and run through every read of the views
 * (--experiments, --status, --top, --export csv and json), then opened as a search would
 * (begin, claim, finish). Whatever the file holds: no crash, every trial
 * handed back has a known state and JSON columns that parse, and --export json is valid JSON
 * and UTF-8, or the target aborts. fuzz_replay.c runs it over regress_store/ in every build. */
#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "pipeline_int.h"
#include "../../runtime/store/store_impl.h" /* store_text_normalise: the UTF-8 oracle */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_store: %s\n%.2000s\n", what, detail ? detail : "");
    abort();
}

static void check_utf8(const char *s, const char *what)
{
    char *fixed = NULL;
    if (!s || store_text_normalise(s, &fixed, NULL) != 0) return;
    if (strcmp(fixed, s) != 0) fail(what, s);
    free(fixed);
}

static void check_json(const char *s, bool array, const char *what)
{
    if (!s) return;
    cJSON *j = cJSON_ParseWithOpts(s, NULL, 1);
    if (!j || (array ? !cJSON_IsArray(j) : !cJSON_IsObject(j))) fail(what, s);
    cJSON_Delete(j);
    check_utf8(s, what);
}

static void check_trials(const StoreTrialList *l)
{
    for (int i = 0; i < l->count; i++) {
        const StoreTrial *t = &l->items[i];
        if ((unsigned)t->state >= TRIAL_NSTATES) fail("a trial state outside the enum", NULL);
        if (!t->arch_id || !t->arch_id[0]) fail("a trial without an architecture", NULL);
        if (t->stage < 1 || t->seq < 0 || t->attempts < 1) fail("a stage, seq or attempts out of range", NULL);
        if (!isnan(t->reward) && !isfinite(t->reward)) fail("an infinite reward", NULL);
        if (!isfinite(t->heartbeat) || t->heartbeat > store_now() + 3600) fail("a heartbeat in the future", NULL);
        check_json(t->decisions, false, "decisions are not a JSON object");
        check_json(t->metrics, false, "metrics are not a JSON object");
        check_json(t->curve, true, "curve is not a JSON array");
        check_utf8(t->reason, "reason is not UTF-8");
        check_utf8(t->worker, "worker is not UTF-8");
    }
}

/* What a view prints goes to this file (stdout is pointed at it for each input); --export json
 * is read back and parsed. */
static int out_fd = -1, saved_stdout = -1;
static char out_path[64];

static void export_json(Run *R)
{
    fflush(stdout);
    if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0) return;
    int rc = report_export(R, "json");
    fflush(stdout);
    if (rc != 0) return;
    FILE *f = fopen(out_path, "rb");
    if (!f) return;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    size_t got = text ? fread(text, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!text) return;
    text[got] = 0;
    cJSON *j = cJSON_ParseWithOpts(text, NULL, 1);
    if (!j || !cJSON_IsArray(j)) fail("--export json is not a JSON array", text);
    cJSON_Delete(j);
    check_utf8(text, "--export json is not UTF-8");
    free(text);
}

static void views(const char *path)
{
    StoreError err;
    Store *s = store_open(path, false, &err);
    if (!s) return;
    StoreExperimentList el = {0};
    if (store_experiments(s, &el, &err) == 0) {
        for (int i = 0; i < el.count && i < 4; i++) {
            check_utf8(el.items[i].name, "experiment name is not UTF-8");
            RunOptions o = {.path = "fuzz.nas", .export_format = "json"};
            Run R = {.o = &o, .store = s, .experiment = el.items[i].id};
            StoreTrialList l = {0};
            if (store_trials(s, el.items[i].id, 0, &l, &err) == 0) check_trials(&l);
            store_trials_free(&l);
            if (store_reclaim_stale(s, el.items[i].id, 0, &l, &err) == 0) check_trials(&l);
            store_trials_free(&l);
            report_status(&R);
            report_export(&R, "csv");
            export_json(&R);
        }
        store_experiments_free(&el);
    }
    store_check(s, &err);
    store_close(s);
}

/* A search on the crafted file: begins (or resumes) an experiment, claims and finishes. */
static void search(const char *path)
{
    StoreError err;
    Store *s = store_open(path, true, &err);
    if (!s) return;
    StoreExperiment e = {0, "space", "model m() {}", "abcd", "nasrun space.nas", 7, "fuzz"};
    int64_t ex;
    bool resumed;
    if (store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0) {
        StoreTrialList l = {0};
        if (store_trials(s, ex, 1, &l, &err) == 0) check_trials(&l);
        int64_t seq = 0;
        for (int i = 0; i < l.count; i++)
            if (l.items[i].seq >= seq) seq = l.items[i].seq + 1;
        StoreAttempt a;
        StoreStart st = {1, seq, seq, "1ABC", "{\"k\": 1}", "fuzz:1", 0, NULL};
        if (store_trial_start(s, ex, &st, &a, &err) == 0) {
            store_trial_heartbeat(s, &a, &err);
            store_trial_finish(s, &a, TRIAL_DONE, 0.5, "{\"accuracy\": 0.5}", "[]", NULL, seq + 1, &err);
        }
        for (int i = 0; i < l.count && i < 2; i++)
            if (l.items[i].state == TRIAL_RUNNING) {
                StoreStart take = {1,
                                   l.items[i].seq,
                                   l.items[i].ask_event,
                                   l.items[i].arch_id,
                                   l.items[i].decisions,
                                   "fuzz:1",
                                   l.items[i].attempts,
                                   "lost"};
                store_trial_start(s, ex, &take, &a, &err);
            }
        store_trials_free(&l);
        StoreTrial t;
        bool found;
        if (store_find_done(s, ex, 1, "1ABC", &t, &found, &err) == 0 && found) store_trial_free(&t);
    }
    store_check(s, &err);
    store_close(s);
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    FILE *f = fopen(path, "wb");
    if (!f) fail("cannot write the store file", path);
    if (size && fwrite(data, 1, size, f) != size) fail("cannot write the store file", path);
    fclose(f);
}

static char path[64];

/* ---- values written into a real store ---- */

static uint8_t *template;
static size_t template_size;

static const char *const columns[] = {
    "trial.id",        "trial.experiment",   "trial.stage",
    "trial.seq",       "trial.arch_id",      "trial.decisions",
    "trial.state",     "trial.reward",       "trial.metrics",
    "trial.curve",     "trial.reason",       "trial.worker",
    "trial.attempts",  "trial.started",      "trial.finished",
    "trial.heartbeat", "trial.ask_event",    "trial.tell_event",
    "experiment.id",   "experiment.name",    "experiment.source_hash",
    "experiment.seed", "experiment.created", "experiment.active",
};

/* Three trials (done, running, failed) in a store whose tables lost their NOT NULL and type
 * constraints, so any value goes in; kept as bytes. */
static void make_template(void)
{
    StoreError err;
    unlink(path);
    Store *s = store_open(path, true, &err);
    int64_t ex;
    bool resumed;
    StoreAttempt a;
    StoreExperiment e = {0, "space", "model m() {}", "abcd", "nasrun space.nas", 7, "fuzz"};
    if (!s || store_experiment_begin(s, &e, false, &ex, &resumed, &err) != 0) fail("cannot make a store", err.msg);
    for (int seq = 0; seq < 3; seq++) {
        char id[16];
        snprintf(id, sizeof id, "1AB%d", seq);
        if (store_trial_start(s, ex, &(StoreStart){1, seq, seq, id, "{\"k\": 1}", "h:1", 0, NULL}, &a, &err))
            fail("cannot make a store", err.msg);
        if (seq != 1 &&
            store_trial_finish(s, &a, seq ? TRIAL_FAILED : TRIAL_DONE, seq ? NAN : 0.5, "{\"accuracy\": 0.5}",
                               "[{\"loss\": 1}]", seq ? "crashed" : NULL, 10 + seq, &err))
            fail("cannot make a store", err.msg);
    }
    store_close(s);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode = DELETE;"
                     "ALTER TABLE trial RENAME TO old; CREATE TABLE trial(id INTEGER PRIMARY KEY, experiment,"
                     " stage, seq, arch_id, decisions, state, reward, metrics, curve, reason, worker, attempts,"
                     " started, finished, heartbeat, ask_event, tell_event); INSERT INTO trial SELECT * FROM old;"
                     "DROP TABLE old; CREATE INDEX trial_arch ON trial(experiment, stage, arch_id, state);"
                     "ALTER TABLE experiment RENAME TO old; CREATE TABLE experiment(id INTEGER PRIMARY KEY, name,"
                     " source, source_hash, cmdline, seed, version, created, active);"
                     "INSERT INTO experiment SELECT * FROM old; DROP TABLE old; VACUUM;",
                     NULL, NULL, NULL) != SQLITE_OK)
        fail("cannot loosen the store", sqlite3_errmsg(db));
    sqlite3_close(db);
    FILE *f = fopen(path, "rb");
    if (!f) fail("cannot read the store", path);
    fseek(f, 0, SEEK_END);
    template_size = (size_t)ftell(f);
    rewind(f);
    if (!(template = malloc(template_size)) || fread(template, 1, template_size, f) != template_size)
        fail("cannot read the store", path);
    fclose(f);
}

/* Chunks of [column][row: 0 all, else id][type][length][value]: UPDATE table SET column = value. */
static void write_values(const uint8_t *p, size_t n)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) fail("cannot open the store", sqlite3_errmsg(db));
    for (int k = 0; k < 16 && n >= 4; k++) {
        const char *col = columns[p[0] % (sizeof columns / sizeof *columns)], *dot = strchr(col, '.');
        int row = p[1] % 4, type = p[2] % 5;
        size_t len = p[3] < n - 4 ? p[3] : n - 4;
        const uint8_t *v = p + 4;
        p += 4 + len;
        n -= 4 + len;
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE %.*s SET %s = ?1 WHERE ?2 = 0 OR id = ?2", (int)(dot - col), col, dot + 1);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) fail("cannot prepare", sql);
        int64_t i = 0;
        double d = 0;
        memcpy(&i, v, len < 8 ? len : 8);
        memcpy(&d, v, len < 8 ? len : 8);
        if (type == 1) sqlite3_bind_int64(q, 1, i);
        else if (type == 2) sqlite3_bind_double(q, 1, d);
        else if (type == 3) sqlite3_bind_text(q, 1, (const char *)v, (int)len, SQLITE_TRANSIENT);
        else if (type == 4) sqlite3_bind_blob(q, 1, v, (int)len, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 2, row);
        sqlite3_step(q); /* a unique id or (stage, seq) may refuse it: then the row stays */
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
}

static void cleanup(void)
{
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    unlink(path);
    unlink(out_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        atexit(cleanup);
        snprintf(path, sizeof path, "/tmp/fuzz-store-%d.nasdb", (int)getpid());
        snprintf(out_path, sizeof out_path, "/tmp/fuzz-store-%d.out", (int)getpid());
        out_fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        saved_stdout = dup(1);
        if (out_fd < 0 || saved_stdout < 0) fail("cannot redirect stdout", out_path);
    }
    fflush(stdout);
    dup2(out_fd, 1);
    if (size >= 16 && !memcmp(data, "SQLite format 3", 16)) {
        write_file(path, data, size);
        views(path);
        write_file(path, data, size);
    } else {
        if (!template) make_template();
        write_file(path, template, template_size);
        write_values(data, size);
        views(path);
    }
    search(path);
    fflush(stdout);
    dup2(saved_stdout, 1);
    return 0;
}
