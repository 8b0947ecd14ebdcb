/* store_bench.c — claims + results per second of the trial store (SQLite or PostgreSQL) with N
 * worker processes, each with its own connection, as nasrun's workers use it on an instant
 * trainer: per trial a claim (store_trial_start), the cache look-up (store_find_done) and the
 * result (store_trial_finish). Connections are opened before the clock starts.
 *   store_bench STORE WORKERS TRIALS
 * prints "store_bench: STORE workers N trials T: S s, R trials/s". tests/bench/store_bench.sh
 * runs it beside Optuna's RDB storage. */
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int worker(const char *where, const char *name, int w, int n, int trials, int ready, int go)
{
    StoreError err;
    Store *s = store_open(where, true, &err);
    int64_t ex;
    bool resumed;
    StoreExperiment e = {0, name, "model m() {}", "bench", "store_bench", 1, "bench"};
    if (!s || store_experiment_begin(s, &e, false, &ex, &resumed, &err) != 0) {
        fprintf(stderr, "store_bench: worker %d: %s\n", w, err.msg);
        return 1;
    }
    char byte = 'r';
    if (write(ready, &byte, 1) != 1 || read(go, &byte, 1) != 1) return 1; /* connected; the start */
    char worker[32], id[32], dec[160], metrics[96];
    snprintf(worker, sizeof worker, "bench:%d", w);
    for (int seq = w; seq < trials; seq += n) {
        /* an 8-decision architecture, as the e2e space has */
        snprintf(id, sizeof id, "1%07X", (unsigned)seq * 2654435761u >> 4);
        snprintf(dec, sizeof dec,
                 "{\"layer[0].c\":%d,\"layer[1].c\":%d,\"layer[2].c\":%d,\"layer[3].c\":%d,"
                 "\"layer[4].c\":%d,\"layer[5].c\":%d,\"layer[6].c\":%d,\"layer[7].c\":%d}",
                 seq % 4 + 1, seq / 4 % 4 + 1, seq / 16 % 4 + 1, seq / 64 % 4 + 1, seq / 256 % 4 + 1,
                 seq / 1024 % 4 + 1, seq % 3 + 1, seq % 2 + 1);
        StoreAttempt a;
        StoreTrial prev;
        bool found;
        if (store_trial_start(s, ex, &(StoreStart){1, seq, seq, id, dec, worker, 0, NULL}, &a, &err) != 0 ||
            store_find_done(s, ex, 1, id, &prev, &found, &err) != 0) {
            fprintf(stderr, "store_bench: worker %d: %s\n", w, err.msg);
            return 1;
        }
        if (found) store_trial_free(&prev);
        double reward = (seq % 1000) / 1000.0;
        snprintf(metrics, sizeof metrics, "{\"accuracy\":%.3f,\"params\":%d}", reward, 1000 + seq);
        if (store_trial_finish(s, &a, TRIAL_DONE, reward, metrics, "[]", NULL, trials + seq, &err) != 0) {
            fprintf(stderr, "store_bench: worker %d: %s\n", w, err.msg);
            return 1;
        }
    }
    store_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: store_bench STORE WORKERS TRIALS\n");
        return 2;
    }
    const char *where = argv[1];
    int n = atoi(argv[2]), trials = atoi(argv[3]);
    if (n < 1 || trials < 1) return 2;
    char name[64];
    snprintf(name, sizeof name, "bench-%d-%d", (int)getpid(), n); /* a fresh experiment each run */
    int pipes[2], ready[2];
    if (pipe(pipes) || pipe(ready)) return 2;
    for (int w = 0; w < n; w++) {
        if (fork() == 0) {
            close(pipes[1]);
            close(ready[0]);
            _exit(worker(where, name, w, n, trials, ready[1], pipes[0]));
        }
    }
    close(pipes[0]);
    close(ready[1]);
    char byte;
    for (int w = 0; w < n; w++) /* every worker connected: the clock starts */
        if (read(ready[0], &byte, 1) != 1) {
            fprintf(stderr, "store_bench: a worker could not connect\n");
            return 1;
        }
    double t0 = store_now();
    for (int w = 0; w < n; w++)
        if (write(pipes[1], "g", 1) != 1) return 2;
    int failed = 0;
    for (int w = 0; w < n; w++) {
        int status;
        wait(&status);
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    double dt = store_now() - t0;
    if (failed) {
        fprintf(stderr, "store_bench: %d workers failed\n", failed);
        return 1;
    }
    printf("store_bench: workers %d trials %d: %.3f s, %.1f trials/s\n", n, trials, dt, trials / dt);
    return 0;
}
