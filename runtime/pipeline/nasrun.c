/* nasrun.c — the nasrun command: parse the command line (getopt_long), then hand over to the
 * pipeline. */
#include "backend.h"
#include "cli.h"
#include "pipeline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: nasrun FILE.nas [options]\n"
                 "Runs the stages FILE.nas declares, in file order: each `search` (a proxy task) and each\n"
                 "`train` (full training of the best of its search). Every trial is recorded in the store;\n"
                 "running again resumes.\n\n"
                 "  --stage N              run only stage N (the Nth search or train of the file; a train\n"
                 "                         takes the stored results of its search)\n"
                 "  --stage design         run only the proxy design (`proxy`) and print its table\n"
                 "  --check                run 5 trials and report time per trial, reward spread and the\n"
                 "                         projected cost of the whole search (nothing is stored)\n"
                 "  --train-one ID         train one architecture (the first train's settings) and print its curve\n"
                 "  --epochs N             with --train-one: epochs instead of the file's\n"
                 "  --profile              with --train-one: where the time went (data load, set-up and JIT,\n"
                 "                         time per op kind of the steps, optimizer, validation, latency)\n"
                 "  --export-model ID OUT  architecture ID with its trained weights: OUT.onnx (ONNX, opset 13)\n"
                 "                         or OUT.py (a PyTorch module; its weights in OUT.safetensors)\n"
                 "  --export-arch ID OUT.py  architecture ID untrained, as a PyTorch module (PyTorch's\n"
                 "                         initialisation; no store is read): to train it elsewhere\n"
                 "  --predict ID [DATA]    inference with ID's trained weights on DATA (.csv, or an IDX\n"
                 "                         images file; default: the test part): accuracy, predictions\n"
                 "  --output FILE          with --predict: the predictions CSV (default ID.predictions.csv)\n"
                 "  --keep-weights         a search's trials keep their trained weights too (a train\n"
                 "                         stage's always do, beside the store)\n"
                 "  --status               the store's state: counts, running and failed trials, the best\n"
                 "  --top N                the N best trials of each stage\n"
                 "  --export csv|json      every trial, to stdout (csv: a column per decision and metric)\n"
                 "  --report FILE.html     the HTML report: plots of the search, its decisions, failures and\n"
                 "                         cost (a search writes one beside the store when it ends)\n"
                 "  --wide                 --status and --top: full decisions, however wide the terminal\n"
                 "  --json                 --status and --top as JSON\n"
                 "  --experiments          the store's experiments: id, start, source hash, seed, trials, best\n"
                 "  --experiment N         the experiment --status, --top and --export show (default: the\n"
                 "                         one of FILE as it is on disk, else the latest)\n"
                 "  --store PATH|URL       the trial store: a SQLite file, or postgresql://user@host:port/db\n"
                 "                         for workers on many machines (default: $NAS_STORE, else\n"
                 "                         FILE.nasdb beside FILE.nas)\n"
                 "  --worker               one of many nasruns (on any hosts) that serve this experiment\n"
                 "                         together through the store: each runs the trials it claims\n"
                 "  --new                  begin a new experiment (FILE.nas changed, or a repeat); the\n"
                 "                         earlier ones stay in the store\n"
                 "  --carry-over OLD.nas   begin with OLD.nas's results that still hold: each finished trial\n"
                 "                         of its first search whose architecture is one of this space\n"
                 "                         (nasc --diff OLD.nas FILE.nas) is stored here under its new ID,\n"
                 "                         told to the controller and never trained again (OLD's store:\n"
                 "                         the same --store or $NAS_STORE, else OLD.nasdb beside it)\n"
                 "  --seed S               the controller seed instead of the file's: the experiment of\n"
                 "                         that seed, begun or resumed in the same store\n"
                 "  --trials N --parallel N --max-failed N --time-limit DURATION\n"
                 "                         override the file's search settings (DURATION: seconds, or\n"
                 "                         with a unit as in the file: 90s, 20min, 2h)\n"
                 "  --trial-timeout DURATION  fail a trial that runs longer\n"
                 "  --threads N            threads per trial (default: cores / parallel)\n"
                 "  --device cpu|cuda|auto where trials train (default cpu; auto: a GPU if there is one)\n"
                 "  --precision fp32|bf16|fp16  what convolutions and matmuls compute in (default fp32;\n"
                 "                         fp16 on cuda only); weights and the optimizer stay fp32\n"
                 "  --quiet                no per-trial lines\n"
                 "  --color=auto|always|never  colour in diagnostics (auto: stderr is a terminal, NO_COLOR\n"
                 "                         unset, TERM not dumb)\n"
                 "  --help, --version\n"
                 "Options take their value as --opt=value or --opt value.\n");
}

static bool number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end && *out >= 0;
}

enum {
    O_CHECK = 256,
    O_TRAIN_ONE,
    O_EPOCHS,
    O_STATUS,
    O_TOP,
    O_EXPORT,
    O_REPORT,
    O_WIDE,
    O_JSON,
    O_STORE,
    O_NEW,
    O_CARRY_OVER,
    O_WORKER,
    O_EXPERIMENTS,
    O_EXPERIMENT,
    O_SEED,
    O_TRIALS,
    O_PARALLEL,
    O_MAX_FAILED,
    O_TIME_LIMIT,
    O_TRIAL_TIMEOUT,
    O_THREADS,
    O_DEVICE,
    O_PRECISION,
    O_STAGE,
    O_QUIET,
    O_COLOR,
    O_EXPORT_MODEL,
    O_EXPORT_ARCH,
    O_PREDICT,
    O_OUTPUT,
    O_KEEP_WEIGHTS,
    O_PROFILE,
    O_VERSION
};

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {"check", no_argument, NULL, O_CHECK},
    {"train-one", required_argument, NULL, O_TRAIN_ONE},
    {"epochs", required_argument, NULL, O_EPOCHS},
    {"status", no_argument, NULL, O_STATUS},
    {"top", required_argument, NULL, O_TOP},
    {"export", required_argument, NULL, O_EXPORT},
    {"report", required_argument, NULL, O_REPORT},
    {"wide", no_argument, NULL, O_WIDE},
    {"json", no_argument, NULL, O_JSON},
    {"store", required_argument, NULL, O_STORE},
    {"new", no_argument, NULL, O_NEW},
    {"carry-over", required_argument, NULL, O_CARRY_OVER},
    {"worker", no_argument, NULL, O_WORKER},
    {"experiments", no_argument, NULL, O_EXPERIMENTS},
    {"experiment", required_argument, NULL, O_EXPERIMENT},
    {"seed", required_argument, NULL, O_SEED},
    {"trials", required_argument, NULL, O_TRIALS},
    {"parallel", required_argument, NULL, O_PARALLEL},
    {"max-failed", required_argument, NULL, O_MAX_FAILED},
    {"time-limit", required_argument, NULL, O_TIME_LIMIT},
    {"trial-timeout", required_argument, NULL, O_TRIAL_TIMEOUT},
    {"threads", required_argument, NULL, O_THREADS},
    {"device", required_argument, NULL, O_DEVICE},
    {"precision", required_argument, NULL, O_PRECISION},
    {"stage", required_argument, NULL, O_STAGE},
    {"quiet", no_argument, NULL, O_QUIET},
    {"color", required_argument, NULL, O_COLOR},
    {"export-model", required_argument, NULL, O_EXPORT_MODEL},
    {"export-arch", required_argument, NULL, O_EXPORT_ARCH},
    {"predict", required_argument, NULL, O_PREDICT},
    {"output", required_argument, NULL, O_OUTPUT},
    {"keep-weights", no_argument, NULL, O_KEEP_WEIGHTS},
    {"profile", no_argument, NULL, O_PROFILE},
    {NULL, 0, NULL, 0},
};

static bool nas_file(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && !strcmp(s + n - 4, ".nas");
}

/* The option's value as a whole non-negative number (a count, an ID, a seed). */
static int count(const char *opt, const char *v, int64_t *out)
{
    double x;
    if (!number(v, &x) || x != (double)(int64_t)x) {
        fprintf(stderr, "nasrun: --%s: `%s` is not a non-negative whole number\n", opt, v);
        return 2;
    }
    *out = (int64_t)x;
    return 0;
}

/* Parses argv into o; -1 to go on, else the exit status. */
static int parse(int argc, char **argv, RunOptions *o)
{
    int c, idx;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, &idx)) != -1) {
        const char *v = optarg, *name = c >= O_CHECK ? options[idx].name : "";
        int64_t n = 0;
        double secs;
        BkError be;
        switch (c) {
        case 'h': usage(stdout); return 0;
        case O_VERSION: printf("nasrun %s\n", NAS_VERSION); return 0;
        case O_CHECK: o->action = RUN_CHECK; break;
        case O_STATUS: o->action = RUN_STATUS; break;
        case O_EXPERIMENTS: o->action = RUN_EXPERIMENTS; break;
        case O_NEW: o->start_new = true; break;
        case O_CARRY_OVER: o->carry_over = v; break;
        case O_WORKER: o->worker = true; break;
        case O_QUIET: o->quiet = true; break;
        case O_WIDE: o->wide = true; break;
        case O_JSON: o->json = true; break;
        case O_REPORT:
            o->action = RUN_REPORT;
            o->report_path = v;
            break;
        case O_TRAIN_ONE:
            o->action = RUN_TRAIN_ONE;
            o->arch_id = v;
            break;
        case O_STORE: o->store_path = v; break;
        case O_OUTPUT: o->output = v; break;
        case O_KEEP_WEIGHTS: o->keep_weights = true; break;
        case O_PROFILE: o->profile = true; break;
        case O_EXPORT_MODEL:
        case O_EXPORT_ARCH:
        case O_PREDICT: {
            /* the option's second word (OUT, DATA) follows its ID; getopt_long passes over it as
             * handled when optind moves past it */
            bool out = c != O_PREDICT;
            o->action = c == O_EXPORT_MODEL ? RUN_EXPORT_MODEL : c == O_EXPORT_ARCH ? RUN_EXPORT_ARCH : RUN_PREDICT;
            o->arch_id = v;
            if (optind < argc && argv[optind][0] != '-' && (out || !nas_file(argv[optind]))) {
                if (out) o->model_path = argv[optind++];
                else o->predict_data = argv[optind++];
            } else if (out) {
                fprintf(stderr, "nasrun: --%s takes an architecture ID and a file: --%s ID %s\n", name, name,
                        c == O_EXPORT_MODEL ? "out.onnx (or out.py)" : "out.py");
                return 2;
            }
            break;
        }
        case O_DEVICE:
            if (strcmp(v, "cpu") && strcmp(v, "cuda") && strcmp(v, "auto")) {
                fprintf(stderr, "nasrun: --device takes cpu, cuda or auto (built here: %s)\n", backend_list());
                return 2;
            }
            o->device = v;
            break;
        case O_PRECISION:
            if (backend_precision_parse(v, &o->precision, &be)) {
                fprintf(stderr, "nasrun: --precision: %s\n", be.msg);
                return 2;
            }
            break;
        case O_EXPORT:
            if (strcmp(v, "csv") && strcmp(v, "json")) {
                fprintf(stderr, "nasrun: --export takes csv or json\n");
                return 2;
            }
            o->action = RUN_EXPORT;
            o->export_format = v;
            break;
        case O_COLOR:
            if ((o->colour = cli_colour_mode(v)) < -1) {
                fprintf(stderr, "nasrun: --color takes auto, always or never (got `%s`)\n", v);
                return 2;
            }
            break;
        case O_TIME_LIMIT:
        case O_TRIAL_TIMEOUT:
            if (!cli_duration(v, &secs)) {
                fprintf(stderr, "nasrun: --%s: `%s` is not a duration (seconds, or with a unit: 30s, 20min, 2h)\n",
                        name, v);
                return 2;
            }
            if (c == O_TIME_LIMIT) o->time_limit = secs;
            else o->trial_timeout = secs;
            break;
        case O_STAGE:
        case O_TOP:
        case O_EPOCHS:
        case O_TRIALS:
        case O_PARALLEL:
        case O_MAX_FAILED:
        case O_THREADS:
        case O_EXPERIMENT:
        case O_SEED:
            if (c == O_STAGE && !strcmp(v, "design")) {
                o->stage = RUN_STAGE_DESIGN;
                break;
            }
            if (count(name, v, &n)) return 2;
            if (c == O_STAGE && n < 1) {
                fprintf(stderr, "nasrun: --stage takes a stage number (1, 2, ...) or `design`\n");
                return 2;
            }
            if (c == O_EXPERIMENT && n < 1) {
                fprintf(stderr, "nasrun: --experiment takes an id (--experiments lists them)\n");
                return 2;
            }
            if (c == O_STAGE) o->stage = (int)n;
            else if (c == O_TOP) {
                o->top = (int)n;
                o->action = RUN_TOP;
            } else if (c == O_EPOCHS) o->epochs = (int)n;
            else if (c == O_TRIALS) o->trials = n;
            else if (c == O_PARALLEL) o->parallel = n;
            else if (c == O_MAX_FAILED) o->max_failed = n;
            else if (c == O_THREADS) o->threads = (int)n;
            else if (c == O_EXPERIMENT) o->experiment = n;
            else {
                o->seed = (uint64_t)n;
                o->seed_set = true;
            }
            break;
        default: return cli_bad_option("nasrun", options, c, argv);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->path) {
            fprintf(stderr, "nasrun: one .nas file at a time (got %s and %s)\n", o->path, argv[i]);
            return 2;
        }
        o->path = argv[i];
    }
    if (!o->path) {
        usage(stderr);
        return 2;
    }
    if ((o->wide || o->json) && o->action != RUN_STATUS && o->action != RUN_TOP) {
        fprintf(stderr, "nasrun: --%s goes with --status or --top\n", o->json ? "json" : "wide");
        return 2;
    }
    if (o->profile && o->action != RUN_TRAIN_ONE) {
        fprintf(stderr, "nasrun: --profile goes with --train-one\n");
        return 2;
    }
    if (o->carry_over && (o->action != RUN_SEARCH || o->worker)) {
        /* many workers would each carry into the same experiment */
        fprintf(stderr, "nasrun: --carry-over goes with a search (one nasrun, not --worker)\n");
        return 2;
    }
    if (o->worker && (o->action != RUN_SEARCH || o->start_new)) {
        /* --new by many workers at once would begin as many experiments */
        fprintf(stderr, "nasrun: --worker runs the search; it does not go with --%s\n",
                o->start_new ? "new (begin the experiment with one nasrun --new first)"
                             : "a view, --check or --train-one");
        return 2;
    }
    return -1;
}

int main(int argc, char **argv)
{
    RunOptions o = {.action = RUN_SEARCH,
                    .trials = -1,
                    .parallel = -1,
                    .max_failed = -1,
                    .precision = -1,
                    .time_limit = -1,
                    .top = 10,
                    .colour = -1,
                    .progress = isatty(2)};
    /* The command line as given, for the experiment's record: before getopt_long reorders argv. */
    size_t len = 0;
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    char *cmd = calloc(1, len + 1);
    for (int i = 0; cmd && i < argc; i++) {
        strcat(cmd, argv[i]);
        if (i + 1 < argc) strcat(cmd, " ");
    }
    o.cmdline = cmd;
    int rc = parse(argc, argv, &o);
    if (rc < 0) rc = pipeline_main(&o);
    free(cmd);
    return rc;
}
