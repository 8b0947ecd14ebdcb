/* store_test.c — the trial store through store.h: experiments, trials, resume, stale workers,
 * concurrent writers in separate processes, and bad store files.
 * `store_test` tests SQLite files in a temporary directory; `store_test URL` runs the same
 * tests on that store (e.g. a PostgreSQL database, tests/store/with_pg.sh) instead, each test
 * on its own experiment name; the SQLite-file checks are skipped there. */
#include "store.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#define MUST(c)                                                                          \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, "%s:%d: fatal: %s (%s)\n", __FILE__, __LINE__, #c, err.msg); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

static char dir[256];
static const char *url; /* the store every test uses, or NULL: a SQLite file per test */

static char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

/* The store of one test: its own SQLite file, or the shared URL. */
static const char *store_at(const char *file) { return url ? url : path_in(file); }

static StoreExperiment experiment(const char *name, const char *hash)
{
    return (StoreExperiment){.name = name,
                             .source = "model m() {}",
                             .source_hash = hash,
                             .cmdline = "nasrun space.nas",
                             .seed = 7,
                             .version = "test"};
}

static void test_lifecycle(void)
{
    StoreError err = {{0}};
    Store *s = store_open(store_at("a.db"), true, &err);
    MUST(s);
    int64_t ex, ex2;
    StoreAttempt t1, t2, again;
    bool resumed;
    StoreExperiment e = experiment("lifecycle", "aaaa");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    CHECK(!resumed);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{\"k\":3}", "h:1", 0, NULL}, &t1, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 1, 1, "ID1", "{\"k\":5}", "h:1", 0, NULL}, &t2, &err) == 0);
    CHECK(t1.trial_id != t2.trial_id && t1.attempt == 1);
    MUST(store_trial_finish(s, &t1, TRIAL_DONE, 0.9, "{\"accuracy\":0.9}", "[]", NULL, 7, &err) == 0);
    MUST(store_trial_finish(s, &t2, TRIAL_FAILED, NAN, NULL, NULL, "diverged: loss is NaN at step 12", 7, &err) == 0);
    /* A finished (stage, seq) is never handed back: not as a new proposal, not as a retry. */
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{\"k\":3}", "h:2", 0, NULL}, &again, &err) ==
          STORE_REFUSED);
    CHECK(strstr(err.msg, "seq 0 is already done") != NULL);
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:2", 1, "lost"}, &again, &err) ==
          STORE_REFUSED);
    /* ... and a second result for it is refused. */
    CHECK(store_trial_finish(s, &t1, TRIAL_DONE, 0.1, "{}", "[]", NULL, 8, &err) == STORE_REFUSED);
    store_close(s);

    /* Reopen: the same source resumes the same experiment, and everything is there. */
    s = store_open(store_at("a.db"), true, &err);
    MUST(s);
    MUST(store_experiment_begin(s, &e, false, &ex2, &resumed, &err) == 0);
    CHECK(resumed && ex2 == ex);
    StoreTrialList l;
    MUST(store_trials(s, ex, 1, &l, &err) == 0);
    CHECK(l.count == 2);
    if (l.count == 2) {
        CHECK(l.items[0].seq == 0 && strcmp(l.items[0].arch_id, "ID0") == 0);
        CHECK(l.items[0].state == TRIAL_DONE && fabs(l.items[0].reward - 0.9) < 1e-12);
        CHECK(strcmp(l.items[0].worker, "h:1") == 0 && l.items[0].attempts == 1);
        CHECK(l.items[0].ask_event == 0 && l.items[1].ask_event == 1 && l.items[0].tell_event == 7);
        CHECK(l.items[1].state == TRIAL_FAILED && isnan(l.items[1].reward));
        CHECK(l.items[1].reason && strstr(l.items[1].reason, "diverged"));
    }
    store_trials_free(&l);
    StoreTrial found;
    bool ok;
    MUST(store_find_done(s, ex, 1, "ID0", &found, &ok, &err) == 0);
    CHECK(ok && found.id == t1.trial_id);
    if (ok) store_trial_free(&found);
    MUST(store_find_done(s, ex, 1, "ID1", &found, &ok, &err) == 0);
    CHECK(!ok); /* failed trials are not answers */

    /* A changed source is refused unless a new experiment is asked for. */
    StoreExperiment changed = experiment("lifecycle", "bbbb");
    CHECK(store_experiment_begin(s, &changed, false, &ex2, &resumed, &err) != 0);
    CHECK(strstr(err.msg, "changed") != NULL);
    MUST(store_experiment_begin(s, &changed, true, &ex2, &resumed, &err) == 0);
    CHECK(ex2 != ex && !resumed);
    MUST(store_trials(s, ex2, 0, &l, &err) == 0);
    CHECK(l.count == 0);
    store_trials_free(&l);
    store_close(s);
}

static void test_stale(void)
{
    StoreError err = {{0}};
    Store *s = store_open(store_at("b.db"), true, &err);
    MUST(s);
    int64_t ex;
    StoreAttempt t, t2, t3;
    bool resumed;
    StoreExperiment e = experiment("stale", "cccc");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &t, &err) == 0);
    StoreTrialList l;
    MUST(store_reclaim_stale(s, ex, 60, &l, &err) == 0);
    CHECK(l.count == 0); /* its heartbeat is fresh */
    store_trials_free(&l);
    MUST(store_reclaim_stale(s, ex, -1, &l, &err) == 0);
    CHECK(l.count == 1 && l.items[0].id == t.trial_id);
    store_trials_free(&l);
    /* A second proposal under the same seq is refused, whatever its architecture. */
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 0, 5, "ID9", "{}", "h:2", 0, NULL}, &t2, &err) == STORE_REFUSED);
    CHECK(strstr(err.msg, "attempt 1 by h:1") != NULL);
    /* A take-over must name the architecture the row holds. */
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID9", "{}", "h:2", 1, "lost"}, &t2, &err) == -1);
    CHECK(strstr(err.msg, "holds architecture ID0, not ID9") != NULL);
    /* Taking it over counts the attempt, keeps the row and the reason of the lost attempt. */
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:2", 1, "h:1 vanished"}, &t2, &err) == 0);
    CHECK(t2.trial_id == t.trial_id && t2.attempt == 2);
    MUST(store_trials(s, ex, 1, &l, &err) == 0);
    CHECK(l.count == 1 && l.items[0].attempts == 2 && strcmp(l.items[0].worker, "h:2") == 0);
    CHECK(l.count == 1 && l.items[0].reason && strcmp(l.items[0].reason, "h:1 vanished") == 0);
    store_trials_free(&l);
    /* Two workers racing to take over attempt 1: only one wins. */
    CHECK(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:3", 1, "lost"}, &t3, &err) == STORE_REFUSED);
    /* The fenced-off attempt 1 can neither beat nor finish; attempt 2 can. */
    CHECK(store_trial_heartbeat(s, &t, &err) == STORE_REFUSED && strstr(err.msg, "attempt 2 by h:2, not attempt 1"));
    CHECK(store_trial_finish(s, &t, TRIAL_DONE, 0.5, "{}", "[]", NULL, 3, &err) == STORE_REFUSED);
    MUST(store_trial_heartbeat(s, &t2, &err) == 0);
    MUST(store_trial_finish(s, &t2, TRIAL_DONE, 0.7, "{}", "[]", NULL, 3, &err) == 0);
    MUST(store_trials(s, ex, 1, &l, &err) == 0);
    CHECK(l.count == 1 && fabs(l.items[0].reward - 0.7) < 1e-12 && !l.items[0].reason);
    store_trials_free(&l);
    CHECK(store_trial_heartbeat(s, &t2, &err) == STORE_REFUSED);
    store_close(s);
}

/* Several processes write trials at once: none is lost, none is duplicated. */
static void test_concurrent(void)
{
    enum { WORKERS = 4, EACH = 50 };
    StoreError err = {{0}};
    Store *s = store_open(store_at("c.db"), true, &err);
    MUST(s);
    int64_t ex;
    bool resumed;
    StoreExperiment e = experiment("concurrent", "dddd");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    store_close(s);
    for (int w = 0; w < WORKERS; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            Store *c = store_open(store_at("c.db"), true, &err);
            if (!c) _exit(2);
            for (int i = 0; i < EACH; i++) {
                char arch[32], worker[32];
                StoreAttempt id;
                snprintf(arch, sizeof arch, "A%d", w * EACH + i);
                snprintf(worker, sizeof worker, "h:%d", w);
                StoreStart t = {1, w * EACH + i, w * EACH + i, arch, "{}", worker, 0, NULL};
                if (store_trial_start(c, ex, &t, &id, &err) ||
                    store_trial_finish(c, &id, TRIAL_DONE, i, "{}", "[]", NULL, 7, &err)) {
                    fprintf(stderr, "worker %d: %s\n", w, err.msg);
                    _exit(3);
                }
            }
            store_close(c);
            _exit(0);
        }
    }
    for (int w = 0; w < WORKERS; w++) {
        int status;
        wait(&status);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    s = store_open(store_at("c.db"), true, &err);
    MUST(s);
    StoreTrialList l;
    MUST(store_trials(s, ex, 1, &l, &err) == 0);
    CHECK(l.count == WORKERS * EACH);
    for (int i = 0; i < l.count; i++) CHECK(l.items[i].seq == i && l.items[i].state == TRIAL_DONE);
    store_trials_free(&l);
    store_close(s);
}

static void test_bad_files(void)
{
    StoreError err = {{0}};
    /* A file that is not a database. */
    FILE *f = fopen(path_in("junk.db"), "wb");
    for (int i = 0; i < 4096; i++) fputc((i * 37) & 0xff, f);
    fclose(f);
    Store *s = store_open_sqlite(path_in("junk.db"), true, &err);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "junk.db") != NULL);
    if (s) store_close(s);
    /* A directory that does not exist. */
    s = store_open_sqlite(path_in("missing/dir/x.db"), true, &err);
    CHECK(s == NULL && strstr(err.msg, "cannot open") != NULL);
    if (s) store_close(s);
    /* An unwritable directory (root bypasses permissions, so only check when not root). */
    if (geteuid() != 0) {
        mkdir(path_in("ro"), 0500);
        s = store_open_sqlite(path_in("ro/x.db"), true, &err);
        CHECK(s == NULL);
        if (s) store_close(s);
    }
}

/* The listing: every experiment, retired ones too, with its trial count and best rewards. */
static void test_listing(void)
{
    StoreError err = {{0}};
    Store *s = store_open(store_at("list.db"), true, &err);
    MUST(s);
    StoreExperimentList l;
    MUST(store_experiments(s, &l, &err) == 0);
    int before = l.count; /* a shared store holds the other tests' experiments */
    store_experiments_free(&l);
    int64_t a, b;
    StoreAttempt t;
    bool resumed;
    StoreExperiment e = experiment("listing", "list-a");
    MUST(store_experiment_begin(s, &e, false, &a, &resumed, &err) == 0);
    MUST(store_trial_start(s, a, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &t, &err) == 0);
    MUST(store_trial_finish(s, &t, TRIAL_DONE, 0.5, "{}", "[]", NULL, 1, &err) == 0);
    MUST(store_trial_start(s, a, &(StoreStart){1, 1, 2, "ID1", "{}", "h:1", 0, NULL}, &t, &err) == 0);
    MUST(store_trial_finish(s, &t, TRIAL_FAILED, 0.9, NULL, NULL, "no", 3, &err) == 0);
    MUST(store_trial_start(s, a, &(StoreStart){2, 0, 4, "ID0", "{}", "h:1", 0, NULL}, &t, &err) == 0);
    MUST(store_trial_finish(s, &t, TRIAL_DONE, 0.7, "{}", "[]", NULL, 5, &err) == 0);
    StoreExperiment f = experiment("listing", "list-b");
    MUST(store_experiment_begin(s, &f, true, &b, &resumed, &err) == 0); /* retires a */
    MUST(store_experiments(s, &l, &err) == 0);
    CHECK(l.count == before + 2);
    if (l.count == before + 2) {
        const StoreExperimentInfo *x = &l.items[before], *y = &l.items[before + 1];
        CHECK(x->id == a && strcmp(x->source_hash, "list-a") == 0 && x->seed == 7);
        CHECK(x->trials == 3 && x->best1 == 0.5 && x->best2 == 0.7);
        CHECK(x->created > 0 && strcmp(x->name, "listing") == 0);
        CHECK(y->id == b && y->trials == 0 && isnan(y->best1) && isnan(y->best2));
    }
    store_experiments_free(&l);
    store_close(s);
}

/* The weights rows: recorded, replaced by a rerun (one row per stage and architecture), found
 * by stage or (stage 0) the highest stage that has some. */
static void test_weights(void)
{
    StoreError err = {{0}};
    Store *s = store_open(store_at("w.db"), true, &err);
    MUST(s);
    int64_t ex;
    bool resumed, found;
    StoreExperiment e = experiment("weights", "w-a");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    StoreWeights w = {1, "ID0", "/w/e-s1-ID0.safetensors", "aa", 10, 0};
    MUST(store_weights_put(s, ex, &w, &err) == 0);
    w = (StoreWeights){2, "ID0", "/w/e-s2-ID0.safetensors", "bb", 20, 0};
    MUST(store_weights_put(s, ex, &w, &err) == 0);
    w.sha256 = "cc"; /* a rerun of the stage-2 trial */
    w.bytes = 30;
    MUST(store_weights_put(s, ex, &w, &err) == 0);
    StoreWeights got;
    MUST(store_weights_find(s, ex, 0, "ID0", &got, &found, &err) == 0);
    CHECK(found && got.stage == 2 && !strcmp(got.sha256, "cc") && got.bytes == 30 && got.created > 0 &&
          !strcmp(got.path, "/w/e-s2-ID0.safetensors") && !strcmp(got.arch_id, "ID0"));
    store_weights_free(&got);
    MUST(store_weights_find(s, ex, 1, "ID0", &got, &found, &err) == 0);
    CHECK(found && got.stage == 1 && !strcmp(got.sha256, "aa") && got.bytes == 10);
    store_weights_free(&got);
    MUST(store_weights_find(s, ex, 0, "ID9", &got, &found, &err) == 0);
    CHECK(!found && got.path == NULL);
    MUST(store_weights_find(s, ex + 1000, 0, "ID0", &got, &found, &err) == 0);
    CHECK(!found);
    store_close(s);
}

/* A store of schema version 1 (before weights) is migrated by a search's open. */
static void test_migrate_v1(void)
{
    StoreError err = {{0}};
    const char *path = path_in("v1.db");
    Store *s = store_open(path, true, &err);
    MUST(s);
    store_close(s);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"DROP TABLE weights; UPDATE meta SET value = '1' WHERE key = 'schema'\"",
             path);
    MUST(system(cmd) == 0);
    s = store_open(path, true, &err);
    MUST(s);
    int64_t ex;
    bool resumed, found;
    StoreExperiment e = experiment("migrated", "m-a");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    StoreWeights w = {2, "ID0", "/w/x", "dd", 1, 0}, got;
    CHECK(store_weights_put(s, ex, &w, &err) == 0);
    CHECK(store_weights_find(s, ex, 0, "ID0", &got, &found, &err) == 0 && found);
    store_weights_free(&got);
    store_close(s);
    snprintf(cmd, sizeof cmd, "test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key = 'schema'\")\" = 3", path);
    CHECK(system(cmd) == 0);
}

/* A trial stopped by a search's prune rule: state `pruned`, its metrics and curve kept. On a
 * SQLite file also the schema step from version 1: a search's open records the current one (3), a
 * view's does not write. */
static void test_pruned(void)
{
    StoreError err = {{0}};
    const char *where = store_at("pruned.db");
    Store *s = store_open(where, true, &err);
    MUST(s);
    int64_t ex;
    StoreAttempt t;
    bool resumed;
    StoreExperiment e = experiment("pruned", "prune-a");
    MUST(store_experiment_begin(s, &e, false, &ex, &resumed, &err) == 0);
    MUST(store_trial_start(s, ex, &(StoreStart){1, 0, 0, "ID0", "{}", "h:1", 0, NULL}, &t, &err) == 0);
    CHECK(store_trial_finish(s, &t, TRIAL_PRUNED, 0.25, "{\"epoch\": 3}", "[{\"epoch\": 3}]", "pruned at epoch 3", 1,
                             &err) == 0);
    StoreTrialList l = {0};
    MUST(store_trials(s, ex, 1, &l, &err) == 0);
    CHECK(l.count == 1 && l.items[0].state == TRIAL_PRUNED && l.items[0].reward == 0.25 &&
          strstr(l.items[0].metrics, "3") && !strcmp(store_state_name(TRIAL_PRUNED), "pruned"));
    store_trials_free(&l);
    store_close(s);
    if (url) return;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE meta SET value = '1' WHERE key = 'schema'\"", where);
    MUST(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key = 'schema'\")\" = %%s", where);
    char check[800];
    s = store_open(where, false, &err); /* a view: reads, never migrates */
    CHECK(s != NULL);
    if (s) store_close(s);
    snprintf(check, sizeof check, cmd, "1");
    CHECK(system(check) == 0);
    s = store_open(where, true, &err);
    CHECK(s != NULL);
    if (s) store_close(s);
    snprintf(check, sizeof check, cmd, "3");
    CHECK(system(check) == 0);
}

int main(int argc, char **argv)
{
    url = argc > 1 ? argv[1] : NULL;
    snprintf(dir, sizeof dir, "/tmp/nas_store_test_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_lifecycle();
    test_stale();
    test_concurrent();
    if (!url) test_bad_files();
    test_listing();
    test_weights();
    if (!url) test_migrate_v1();
    test_pruned();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("store_test: ok\n");
    return 0;
}
