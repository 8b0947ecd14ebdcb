/* fuzz_store.c — libFuzzer target for the store reader: the bytes are a .nasdb file (seeds:
 * small real stores in regress_store/). It is opened as a view (read-only) and run through
 * every read of the views (--experiments, --status, --top, --export csv and json), then opened
 * as a search would (begin, claim, finish). Whatever the file holds: no crash, every trial
 * handed back has a known state and JSON columns that parse, and --export json is valid JSON
 * and UTF-8, or the target aborts. fuzz_replay.c runs it over regress_store/ in every build. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* What a view prints goes to this file; --export json is read back and parsed. */
static FILE *out;
static char out_path[64];

static void export_json(Run *R)
{
    fflush(stdout);
    if (ftruncate(fileno(stdout), 0) != 0) return;
    rewind(stdout);
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
        if (!(out = freopen(out_path, "w+", stdout))) fail("cannot redirect stdout", out_path);
    }
    write_file(path, data, size);
    views(path);
    write_file(path, data, size);
    search(path);
    return 0;
}
