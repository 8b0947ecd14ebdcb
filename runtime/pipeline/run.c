/* run.c — setting up a run: compile the .nas file (parse, sema, config, lower the model),
 * open the trial store and begin or resume the experiment, load and split the data. */
#include "pipeline_int.h"
#include "sema.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "backend.h"

#ifndef NAS_STDLIB_DIR
#define NAS_STDLIB_DIR "stdlib"
#endif

static void hash_sources(Run *R)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < R->diag.nfiles; i++) {
        const Source *s = &R->diag.files[i];
        for (const char *p = s->path; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
        for (int k = 0; k < s->len; k++) h = (h ^ (unsigned char)s->text[k]) * 1099511628211ull;
    }
    snprintf(R->source_hash, sizeof R->source_hash, "%016llx", (unsigned long long)h);
}

static char *default_store_path(const char *nas)
{
    size_t n = strlen(nas);
    char *p = malloc(n + 8);
    if (!p) return NULL;
    memcpy(p, nas, n + 1);
    if (n > 4 && !strcmp(p + n - 4, ".nas")) p[n - 4] = 0;
    strcat(p, ".nasdb");
    return p;
}

static int open_store(Run *R)
{
    char *path = R->o->store_path ? strdup(R->o->store_path) : default_store_path(R->o->path);
    if (!path) return 2;
    StoreError err;
    bool views = R->o->action == RUN_STATUS || R->o->action == RUN_TOP || R->o->action == RUN_EXPORT;
    R->store = store_open_sqlite(path, !views, &err);
    free(path);
    if (!R->store) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    /* The experiment is the main file's text and every module it uses: an edit anywhere is
     * a different experiment. */
    JsonBuf src = {0};
    for (int i = 0; i < R->diag.nfiles; i++)
        jb_printf(&src, "// ---- %s\n%s\n", R->diag.files[i].path, R->diag.files[i].text);
    const char *base = strrchr(R->o->path, '/');
    StoreExperiment e = { .name = base ? base + 1 : R->o->path, .source = src.s ? src.s : "",
                          .source_hash = R->source_hash, .cmdline = R->o->cmdline,
                          .seed = (uint64_t)R->cfg->controller.seed, .version = NAS_VERSION };
    bool resumed;
    int rc = store_experiment_begin(R->store, &e, R->o->start_new, &R->experiment, &resumed, &err);
    free(src.s);
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    if (resumed && !R->o->quiet && (R->o->action == RUN_SEARCH || R->o->action == RUN_CHECK))
        fprintf(stderr, "nasrun: resuming experiment %lld from the store\n", (long long)R->experiment);
    return 0;
}

/* A GPU or a reduced precision is asked for: check the backend opens with it before any trial
 * starts. In a child process, because a CUDA context does not survive fork and the trials are
 * forked from this process. */
static int probe_device(const char *device, int precision)
{
    int p[2];
    if (pipe(p) != 0) return 0;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        Backend b;
        BkError e = {{0}};
        BackendOptions bo = { 1, 1, 0, precision };
        int rc = backend_open(device, &bo, &b, &e);
        if (rc == 0) backend_close(&b);
        if (rc && write(p[1], e.msg, strlen(e.msg)) < 0) rc = 2;
        _exit(rc ? 1 : 0);
    }
    close(p[1]);
    char msg[512] = "";
    ssize_t n = pid > 0 ? read(p[0], msg, sizeof msg - 1) : 0;
    close(p[0]);
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    msg[n > 0 ? n : 0] = 0;
    fprintf(stderr, "nasrun: cannot train on device %s with precision %s: %s\n", device,
            backend_precision_name(precision), msg[0] ? msg : "the backend did not open");
    return 2;
}

int run_open(Run *R, const RunOptions *o, bool need_store)
{
    memset(R, 0, sizeof *R);
    R->o = o;
    R->started = store_now();
    arena_init(&R->arena);
    diag_init(&R->diag, &R->arena);
    const char *stdlib = o->stdlib ? o->stdlib : getenv("NAS_STDLIB") ? getenv("NAS_STDLIB") : NAS_STDLIB_DIR;
    R->prog = program_load(&R->arena, &R->diag, o->path, stdlib);
    bool colour = isatty(2);
    if (!R->prog) {
        diag_print(&R->diag, stderr, DIAG_TEXT, colour);
        return 2;
    }
    bool ok = R->diag.errors == 0 && sema_check(R->prog);
    if (ok) {
        R->cfg = config_build(R->prog);
        R->ms = model_lower(R->prog, NULL, &R->arena);
        ok = R->ms != NULL;
    }
    diag_print(&R->diag, stderr, DIAG_TEXT, colour);
    if (!ok || R->diag.errors) return 1;
    R->space = model_space(R->ms);
    R->search = R->cfg->nsearches ? &R->cfg->searches[0] : NULL;
    R->train = R->cfg->ntrains ? &R->cfg->trains[0] : NULL;
    R->reward = R->cfg->reward;
    R->trainer = R->cfg->trainer;
    R->ds = R->search && R->search->data.dataset ? R->search->data.dataset
          : R->cfg->ndatasets ? &R->cfg->datasets[0] : NULL;
    if (!R->ds && !R->trainer) {
        fprintf(stderr, "nasrun: %s: the file declares no dataset and no trainer: nothing to train on\n", o->path);
        return 1;
    }
    /* each stage's precision (the command line's, else the file's) on the device asked for */
    const NasTraining *stages[2] = { R->search ? &R->search->training : NULL, R->train ? &R->train->training : NULL };
    for (int k = 0, probed = -1; k < 2; k++) {
        int prec = o->precision >= 0 ? o->precision : stages[k] ? (int)stages[k]->precision : BK_PREC_FP32;
        if (prec == probed) continue;
        probed = prec;
        if (((o->device && strcmp(o->device, "cpu") != 0) || prec != BK_PREC_FP32) &&
            (o->action == RUN_SEARCH || o->action == RUN_CHECK || o->action == RUN_TRAIN_ONE) &&
            probe_device(o->device ? o->device : "cpu", prec))
            return 2;
    }
    hash_sources(R);
    char host[64] = "host";
    gethostname(host, sizeof host - 1);
    snprintf(R->worker, sizeof R->worker, "%s:%d", host, (int)getpid());
    return need_store ? open_store(R) : 0;
}

static int load_part(const NasDataset *ds, bool test, Dataset *out, DataError *err)
{
    int classes = (int)ds->classes;
    int c = ds->ninput > 0 ? (int)ds->input[0] : 1;
    int h = ds->ninput > 1 ? (int)ds->input[1] : 1;
    int w = ds->ninput > 2 ? (int)ds->input[2] : 1;
    switch (ds->format) {
    case NAS_FORMAT_IDX:
        return data_load_idx_dir(ds->path, test ? "t10k" : "train", classes, out, err);
    case NAS_FORMAT_CSV: {
        /* A CSV dataset is a directory with train.csv and test.csv, label in column 0. */
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.csv", ds->path, test ? "test" : "train");
        return data_load_csv(path, 0, c, h, w, classes, out, err);
    }
    case NAS_FORMAT_SYNTHETIC: {
        int64_t n = ds->synthetic_n > 0 ? ds->synthetic_n : 1000;
        return data_synthetic(test ? n / 5 > 0 ? n / 5 : 1 : n, c, h, w, classes, 1.0f,
                              (uint64_t)ds->synthetic_seed * 2 + (test ? 1 : 0), out, err);
    }
    }
    snprintf(err->msg, sizeof err->msg, "unknown dataset format");
    return -1;
}

int run_load_data(Run *R)
{
    if (R->data_loaded || R->trainer) return 0;
    DataError err;
    if (load_part(R->ds, false, &R->train_set, &err) || load_part(R->ds, true, &R->test_set, &err)) {
        fprintf(stderr, "nasrun: dataset `%s`: %s\n", R->ds->name, err.msg);
        return 2;
    }
    if (R->ds->has_mean || R->ds->has_std) {
        data_normalize(&R->train_set, (float)R->ds->mean, (float)R->ds->std);
        data_normalize(&R->test_set, (float)R->ds->mean, (float)R->ds->std);
    }
    double frac = R->search && R->search->train_fraction > 0 ? R->search->train_fraction : 0.9;
    uint64_t seed = R->search ? (uint64_t)R->search->training.seed : 0;
    if (data_split(R->train_set.n, frac, seed, &R->split1, &err)) {
        fprintf(stderr, "nasrun: dataset `%s`: %s\n", R->ds->name, err.msg);
        return 2;
    }
    R->data_loaded = true;
    return 0;
}

void run_close(Run *R)
{
    if (R->store) store_close(R->store);
    if (R->data_loaded) {
        dataset_free(&R->train_set);
        dataset_free(&R->test_set);
        data_split_free(&R->split1);
    }
    if (R->ms) model_space_free(R->ms);
    diag_free(&R->diag);
    arena_free(&R->arena);
}

int run_arch_of(Run *R, const char *id, int32_t *arch)
{
    SpaceError err;
    if (space_id_to_arch(R->space, id, arch, &err) != SPACE_OK) {
        fprintf(stderr, "nasrun: architecture ID `%s`: %s\n", id, err.msg);
        return 2;
    }
    return 0;
}

char *run_decisions_json(Run *R, const int32_t *arch)
{
    JsonBuf b = {0};
    jb_printf(&b, "{");
    bool first = true;
    for (int d = 0; d < space_count(R->space); d++) {
        if (arch[d] == SPACE_INACTIVE) continue;
        const SpaceDecision *sd = space_decision(R->space, d);
        char val[128];
        space_value_format(R->space, d, arch[d], val, sizeof val);
        jb_printf(&b, first ? "" : ", ");
        jb_string(&b, sd->name);
        jb_printf(&b, ": ");
        if (sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE ||
            (sd->kind == SPACE_CATEGORICAL && sd->vtype != SPACE_VAL_LABEL)) jb_printf(&b, "%s", val);
        else if (sd->kind == SPACE_BOOL) jb_printf(&b, "%s", arch[d] ? "true" : "false");
        else jb_string(&b, val);
        first = false;
    }
    jb_printf(&b, "}");
    return b.s;
}

const NasTraining *run_training(Run *R, int stage)
{
    if (stage == 2 && R->train) return &R->train->training;
    return R->search ? &R->search->training : &R->cfg->default_training;
}

int64_t run_trials(Run *R)
{
    if (R->o->trials >= 0) return R->o->trials;
    return R->search ? R->search->trials : 10;
}

int run_threads(Run *R, int stage)
{
    if (R->o->threads > 0) return R->o->threads;
    /* The cores are shared by the trials that run at once; --train-one has them all. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t par = stage ? run_parallel(R, stage) : 1;
    int t = (int)(cores / (par > 0 ? par : 1));
    return t > 0 ? t : 1;
}

int64_t run_parallel(Run *R, int stage)
{
    if (R->o->parallel > 0) return R->o->parallel;
    int64_t p = run_training(R, stage)->parallel;
    return p > 0 ? p : 1;
}
