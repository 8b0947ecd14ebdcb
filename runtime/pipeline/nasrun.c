/* nasrun.c — the nasrun command: parse the command line, then hand over to the pipeline. */
#include "backend.h"
#include "pipeline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
        "usage: nasrun FILE.nas [options]\n"
        "Runs the stages FILE.nas declares, in file order: each `search` (a proxy task) and each\n"
        "`train` (full training of the best of its search). Every trial is recorded in the store;\n"
        "running again resumes.\n\n"
        "  --stage N              run only stage N (the Nth search or train of the file; a train\n"
        "                         takes the stored results of its search)\n"
        "  --check                run 5 trials and report time per trial, reward spread and the\n"
        "                         projected cost of the whole search (nothing is stored)\n"
        "  --train-one ID         train one architecture (the first train's settings) and print its curve\n"
        "  --epochs N             with --train-one: epochs instead of the file's\n"
        "  --status               the store's state: counts, running and failed trials, the best\n"
        "  --top N                the N best trials of each stage\n"
        "  --export csv|json      every trial, to stdout\n"
        "  --store PATH           the trial store (default: FILE.nasdb beside FILE.nas)\n"
        "  --new                  begin a new experiment even though FILE.nas changed\n"
        "  --trials N --parallel N --max-failed N --time-limit SECONDS\n"
        "                         override the file's search settings\n"
        "  --trial-timeout SECONDS  fail a trial that runs longer\n"
        "  --threads N            threads per trial (default: cores / parallel)\n"
        "  --device cpu|cuda|auto where trials train (default cpu; auto: a GPU if there is one)\n"
        "  --precision fp32|bf16|fp16  what convolutions and matmuls compute in (default fp32;\n"
        "                         fp16 on cuda only); weights and the optimizer stay fp32\n"
        "  --quiet                no per-trial lines\n"
        "  --help, --version\n");
}

static bool number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end;
}

int main(int argc, char **argv)
{
    RunOptions o = { .action = RUN_SEARCH, .trials = -1, .parallel = -1, .max_failed = -1, .precision = -1,
                     .time_limit = -1, .top = 10, .progress = isatty(2) };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        double x;
#define NEEDS_VALUE() do { if (!v) { fprintf(stderr, "nasrun: %s needs a value\n", a); return 2; } i++; } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--version")) { printf("nasrun %s\n", NAS_VERSION); return 0; }
        else if (!strcmp(a, "--check")) o.action = RUN_CHECK;
        else if (!strcmp(a, "--status")) o.action = RUN_STATUS;
        else if (!strcmp(a, "--new")) o.start_new = true;
        else if (!strcmp(a, "--quiet")) o.quiet = true;
        else if (!strcmp(a, "--train-one")) { NEEDS_VALUE(); o.action = RUN_TRAIN_ONE; o.arch_id = v; }
        else if (!strcmp(a, "--store")) { NEEDS_VALUE(); o.store_path = v; }
        else if (!strcmp(a, "--device")) {
            NEEDS_VALUE();
            if (strcmp(v, "cpu") && strcmp(v, "cuda") && strcmp(v, "auto")) {
                fprintf(stderr, "nasrun: --device takes cpu, cuda or auto (built here: %s)\n", backend_list());
                return 2;
            }
            o.device = v;
        }
        else if (!strcmp(a, "--precision")) {
            NEEDS_VALUE();
            BkError be;
            if (backend_precision_parse(v, &o.precision, &be)) { fprintf(stderr, "nasrun: --precision: %s\n", be.msg); return 2; }
        }
        else if (!strcmp(a, "--export")) {
            NEEDS_VALUE();
            if (strcmp(v, "csv") && strcmp(v, "json")) { fprintf(stderr, "nasrun: --export takes csv or json\n"); return 2; }
            o.action = RUN_EXPORT;
            o.export_format = v;
        } else if (!strcmp(a, "--stage") || !strcmp(a, "--top") || !strcmp(a, "--epochs") ||
                   !strcmp(a, "--trials") || !strcmp(a, "--parallel") || !strcmp(a, "--max-failed") ||
                   !strcmp(a, "--threads") || !strcmp(a, "--time-limit") || !strcmp(a, "--trial-timeout")) {
            NEEDS_VALUE();
            if (!number(v, &x) || x < 0) { fprintf(stderr, "nasrun: %s: `%s` is not a non-negative number\n", a, v); return 2; }
            if (!strcmp(a, "--stage")) {
                if (x < 1 || x != (int)x) { fprintf(stderr, "nasrun: --stage takes a stage number: 1, 2, ...\n"); return 2; }
                o.stage = (int)x;
            } else if (!strcmp(a, "--top")) { o.top = (int)x; o.action = RUN_TOP; }
            else if (!strcmp(a, "--epochs")) o.epochs = (int)x;
            else if (!strcmp(a, "--trials")) o.trials = (int64_t)x;
            else if (!strcmp(a, "--parallel")) o.parallel = (int64_t)x;
            else if (!strcmp(a, "--max-failed")) o.max_failed = (int64_t)x;
            else if (!strcmp(a, "--threads")) o.threads = (int)x;
            else if (!strcmp(a, "--time-limit")) o.time_limit = x;
            else o.trial_timeout = x;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nasrun: unknown option %s (see nasrun --help)\n", a);
            return 2;
        } else if (o.path) {
            fprintf(stderr, "nasrun: one .nas file at a time (got %s and %s)\n", o.path, a);
            return 2;
        } else o.path = a;
#undef NEEDS_VALUE
    }
    if (!o.path) { usage(stderr); return 2; }
    /* Built after the options are checked, so no early return leaks it. */
    size_t len = 0;
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    char *cmd = calloc(1, len + 1);
    for (int i = 0; cmd && i < argc; i++) { strcat(cmd, argv[i]); if (i + 1 < argc) strcat(cmd, " "); }
    o.cmdline = cmd;
    int rc = pipeline_main(&o);
    free(cmd);
    return rc;
}
