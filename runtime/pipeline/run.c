/* run.c — setting up a run: compile the .nas file (nas_compile: parse, sema, config, lower
 * the model), open the trial store and its experiment (experiment.c), load and split the data. */
#include "pipeline_int.h"
#include "cli.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "backend.h"


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
    int rc;
    memset(R, 0, sizeof *R);
    R->o = o;
    R->started = store_now();
    CompileOptions co = { .stdlib_dir = o->stdlib };
    int crc = nas_compile(&R->compiled, o->path, &co);
    diag_print(&R->compiled.diag, stderr, DIAG_TEXT, cli_colour(o->colour, STDERR_FILENO));
    if (crc) {
        /* The views still show what the store holds: a broken or missing file has no identity,
         * so they show the latest experiment (or the one asked for). */
        bool view = o->action == RUN_STATUS || o->action == RUN_TOP || o->action == RUN_EXPORT ||
                    o->action == RUN_EXPERIMENTS;
        if (!view) return crc;
        fprintf(stderr, "nasrun: note: %s %s; showing the store as it is\n", o->path,
                crc == 1 ? "has errors" : "cannot be read");
        return experiment_open(R);
    }
    R->cfg = R->compiled.config;
    R->ms = R->compiled.space;
    if (o->seed_set) R->cfg->controller.seed = (int64_t)o->seed;   /* --seed: the same file, another experiment */
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
    if ((rc = experiment_identity(R))) return rc;
    char host[64] = "host";
    gethostname(host, sizeof host - 1);
    snprintf(R->worker, sizeof R->worker, "%s:%d", host, (int)getpid());
    return need_store ? experiment_open(R) : 0;
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
    nas_compile_free(&R->compiled);
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

static NasTraining default_training(void)
{
    NasTraining t = { .epochs = 1, .batch = 64, .parallel = 1 };
    t.optimizer = (NasOptimizer){ .kind = NAS_OPT_SGD, .lr = 0.1, .momentum = 0.9 };
    return t;
}

const NasTraining *run_training(Run *R, int stage)
{
    static NasTraining fallback;
    if (stage == 2 && R->train) return &R->train->training;
    if (R->search) return &R->search->training;
    fallback = default_training();
    return &fallback;
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
