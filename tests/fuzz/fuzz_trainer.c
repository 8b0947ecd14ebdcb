/* fuzz_trainer.c — libFuzzer target for what an external trainer hands back: its output (the
 * report line among whatever else it printed), its $NAS_METRICS_FILE, and how it ended.
 * Byte 0 picks the exit (0, status 3, signal 11, 137 through a shell) and whether a metrics
 * file is written; the bytes up to the first NUL are the output, the rest the file. Whatever
 * they hold: no crash, a trial that is done has a finite reward, and the metrics and curve
 * that would be stored are JSON of their type, or the target aborts. fuzz_replay.c runs it
 * over regress_trainer/ in every build. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_trainer: %s\n%.2000s\n", what, detail ? detail : "");
    abort();
}

static void check_json(const char *s, bool array, const char *what)
{
    if (!s) return;
    cJSON *j = cJSON_ParseWithOpts(s, NULL, 1);
    if (!j || (array ? !cJSON_IsArray(j) : !cJSON_IsObject(j))) fail(what, s);
    cJSON_Delete(j);
}

static char dir[64];

static void cleanup(void)
{
    char file[128];
    snprintf(file, sizeof file, "%s/metrics.json", dir);
    unlink(file);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/fuzz-trainer-XXXXXX");
        if (!mkdtemp(dir)) fail("cannot make a directory", dir);
        atexit(cleanup);
    }
    if (size == 0) return 0;
    static const int status[] = {0, 3 << 8, 11, 137 << 8};
    uint8_t flags = data[0];
    const char *text = (const char *)data + 1;
    size_t rest = size - 1, n = strnlen(text, rest);
    Job j = {.status = status[flags & 3], .exited = true};
    snprintf(j.tmpdir, sizeof j.tmpdir, "%s", dir);
    if (!(j.out = malloc(n + 1))) return 0;
    memcpy(j.out, text, n);
    j.out[n] = 0;
    j.len = n;
    char file[128];
    snprintf(file, sizeof file, "%s/metrics.json", dir);
    unlink(file);
    if (flags & 4) {
        FILE *f = fopen(file, "wb");
        size_t m = n < rest ? rest - n - 1 : 0;
        if (!f || (m && fwrite(text + n + 1, 1, m, f) != m)) fail("cannot write the metrics file", file);
        fclose(f);
    }
    static NasTrainer trainer; /* an external trainer: only its presence matters here */
    RunOptions o = {.path = "fuzz.nas"};
    Run R = {.o = &o, .trainer = &trainer};
    TrialOutcome out;
    trial_outcome(&R, &j, &out);
    if (out.state == TRIAL_DONE && !isfinite(out.reward)) fail("a done trial without a finite reward", j.out);
    if (!memchr(out.reason, 0, sizeof out.reason)) fail("an unterminated reason", NULL);
    check_json(out.metrics_json, false, "metrics are not a JSON object");
    check_json(out.curve_json, true, "curve is not a JSON array");
    trial_outcome_free(&out);
    free(j.out);
    return 0;
}
