/* run.c — setting up a run: compile the .nas file (nas_compile: parse, sema, config, lower
 * the model), open the trial store and its experiment (experiment.c), load and split the data. */
#include "pipeline_int.h"
#include "cli.h"
#include "train.h"
#include <errno.h>
#include <libgen.h>
#include <limits.h>
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
        BackendOptions bo = {1, 1, 0, precision};
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

/* The directory of a loaded file, absolute (the path as loaded may be relative). */
static const char *dir_of(Arena *a, const char *path)
{
    char *copy = arena_strdup(a, path), real[PATH_MAX];
    const char *dir = dirname(copy);
    return arena_strdup(a, realpath(dir, real) ? real : dir);
}

/* `path` as written in a file in `dir`: an absolute path stays, a relative one is joined. */
static const char *resolve(Arena *a, const char *dir, const char *path)
{
    if (!path || path[0] == '/' || !dir) return path;
    size_t n = strlen(dir) + strlen(path) + 2;
    char *p = arena_alloc(a, n);
    snprintf(p, n, "%s/%s", dir, path);
    return p;
}

/* The stages in file order, and the datasets' paths resolved against the directory of the file
 * that declares them (as `use` resolves a module). config_build fills cfg->searches, trains and
 * datasets walking the modules and their declarations in this same order, so the k-th
 * declaration of a kind is the k-th entry (checked by name). */
static int build_stages(Run *R)
{
    NasConfig *c = R->cfg;
    R->stages = ARENA_ARRAY(&R->compiled.arena, RunStage, c->nsearches + c->ntrains + c->ntunes + 1);
    R->data_paths = ARENA_ARRAY(&R->compiled.arena, const char *, c->ndatasets + 1);
    /* each dataset's two parts, and the first search's at each of a proxy's resolutions */
    R->parts = ARENA_ARRAY(&R->compiled.arena, RunPart, 2 * c->ndatasets + 1 + (c->proxy ? c->proxy->nresolution : 0));
    R->dir = dir_of(&R->compiled.arena, R->compiled.prog->main->path);
    const Node **from_at = ARENA_ARRAY(&R->compiled.arena, const Node *, c->nsearches + c->ntrains + c->ntunes + 1);
    int ns = 0, nt = 0, nd = 0, nu = 0;
    for (int m = 0; m < R->compiled.prog->nmodules; m++) {
        const Module *mod = R->compiled.prog->modules[m];
        const char *dir = dir_of(&R->compiled.arena, mod->path);
        for (int i = 0; i < mod->ast->decls.count; i++) {
            const Node *d = mod->ast->decls.items[i];
            const char *name = d->decl.name;
            RunStage *st = &R->stages[R->nstages];
            if (d->kind == N_DATASET && nd < c->ndatasets) {
                R->data_paths[nd] = resolve(&R->compiled.arena, dir, c->datasets[nd].path);
                nd++;
            } else if (d->kind == N_SEARCH && ns < c->nsearches) {
                const NasSearch *s = &c->searches[ns];
                *st = (RunStage){.number = R->nstages + 1,
                                 .name = name ? name : "search",
                                 .search = s,
                                 .training = &s->training,
                                 .controller_seed = c->controller.seed + ns};
                if (!R->first_search) R->first_search = st;
                ns++;
                R->nstages++;
            } else if (d->kind == N_TRAIN && nt < c->ntrains) {
                const NasTrain *t = &c->trains[nt++];
                *st = (RunStage){
                    .number = R->nstages + 1, .name = name ? name : "train", .train = t, .training = &t->training};
                for (int k = 0; k < d->decl.items.count; k++)
                    if (d->decl.items.items[k]->kind == N_FROM) from_at[R->nstages] = d->decl.items.items[k];
                R->nstages++;
            } else if (d->kind == N_TUNE && nu < c->ntunes) {
                const NasTune *t = &c->tunes[nu++];
                /* seeded after the searches, as a search after the searches before it */
                *st = (RunStage){.number = R->nstages + 1,
                                 .name = name ? name : "tune",
                                 .tune = t,
                                 .training = &t->training,
                                 .controller_seed = c->controller.seed + c->nsearches + nu - 1};
                for (int k = 0; k < d->decl.items.count; k++)
                    if (d->decl.items.items[k]->kind == N_FROM) from_at[R->nstages] = d->decl.items.items[k];
                R->nstages++;
            } else {
                continue;
            }
            const char *built = d->kind == N_DATASET ? c->datasets[nd - 1].name
                                : st->search         ? st->search->name
                                : st->tune           ? st->tune->name
                                                     : st->train->name;
            if ((built || name) && (!built || !name || strcmp(built, name) != 0)) {
                fprintf(stderr, "nasrun: internal error: the run configuration's declarations are not in file order\n");
                return 2;
            }
        }
    }
    /* A train trains the best of a search that ran before it; a tune tunes that of a search or a
     * train. */
    for (int k = 0; k < R->nstages; k++) {
        RunStage *st = &R->stages[k];
        if (!st->train && !st->tune) continue;
        for (int j = 0; j < R->nstages && !st->from; j++) {
            const RunStage *o = &R->stages[j];
            if (st->train ? o->search && o->search == st->train->from
                          : (o->search && o->search == st->tune->from_search) ||
                                (o->train && o->train == st->tune->from_train))
                st->from = o->number;
        }
        if (st->from && st->from < st->number) continue;
        /* sema made sure `from` names a search: only its place can be wrong */
        Loc at = from_at[k] ? from_at[k]->from.stage_loc : (Loc){0};
        const char *from = from_at[k] ? from_at[k]->from.stage : "?";
        fprintf(stderr,
                "%s:%d:%d: error: %s `%s` %s the best of %s`%s`, which comes after it in the file: stages run in "
                "file order, so move the %s below the %s\n",
                at.file >= 0 && at.file < R->compiled.diag.nfiles ? R->compiled.diag.files[at.file].path : R->o->path,
                at.line, at.col, st->train ? "train" : "tune", st->name, st->train ? "trains" : "tunes",
                st->train ? "search " : "", from, st->train ? "train" : "tune", st->train ? "search" : "stage");
        return 1;
    }
    return 0;
}

int run_open(Run *R, const RunOptions *o, bool need_store)
{
    int rc;
    memset(R, 0, sizeof *R);
    R->latency_slot = train_slot_create(); /* owned; -1 (no memfd): latencies unsynchronised */
    R->o = o;
    /* who this process is in the store (also for the views: they tell this host's dead workers) */
    char host[64] = "host";
    gethostname(host, sizeof host - 1);
    snprintf(R->worker, sizeof R->worker, "%s:%d", host, (int)getpid());
    CompileOptions co = {.stdlib_dir = o->stdlib};
    int crc = nas_compile(&R->compiled, o->path, &co);
    /* What nasc refuses is not run: no trial starts on a space in which some architecture, or
     * some proxy candidate, does not build. */
    bool trains = o->action == RUN_SEARCH || o->action == RUN_CHECK || o->action == RUN_TRAIN_ONE;
    if (!crc && trains && R->compiled.space) {
        CheckOptions cho;
        CheckResult chr;
        char proxies[512];
        if (nas_compile_check(&R->compiled, &cho, &chr, proxies, sizeof proxies)) crc = 1;
    }
    diag_print(&R->compiled.diag, stderr, DIAG_TEXT, cli_colour(o->colour, STDERR_FILENO));
    if (crc) {
        /* The views still show what the store holds: a broken or missing file has no identity,
         * so they show the latest experiment (or the one asked for). */
        bool view =
            o->action == RUN_STATUS || o->action == RUN_TOP || o->action == RUN_EXPORT || o->action == RUN_EXPERIMENTS;
        if (!view || o->exact) return crc; /* --carry-over's old file must compile: it maps the IDs */
        fprintf(stderr, "nasrun: note: %s %s; showing the store as it is\n", o->path,
                crc == 1 ? "has errors" : "cannot be read");
        return experiment_open(R);
    }
    R->cfg = R->compiled.config;
    R->ms = R->compiled.space;
    if (o->seed_set) R->cfg->controller.seed = (int64_t)o->seed; /* --seed: the same file, another experiment */
    R->space = model_space(R->ms);
    R->reward = R->cfg->reward;
    R->trainer = R->cfg->trainer;
    if ((rc = build_stages(R))) return rc;
    if (!R->cfg->ndatasets && !R->trainer) {
        fprintf(stderr, "nasrun: %s: the file declares no dataset and no trainer: nothing to train on\n", o->path);
        return 1;
    }
    if (!R->first_search && (o->action == RUN_SEARCH || o->action == RUN_CHECK || o->action == RUN_TRAIN_ONE)) {
        fprintf(stderr, "nasrun: %s declares no `search`: nothing to run\n", o->path);
        return 1;
    }
    if (o->stage > R->nstages) {
        fprintf(stderr, "nasrun: --stage %d: %s declares %d stage%s (searches and trains, in file order)\n", o->stage,
                o->path, R->nstages, R->nstages == 1 ? "" : "s");
        return 2;
    }
    /* each stage's precision (the command line's, else the file's) on the device asked for */
    for (int k = 0, probed = -1; k < (R->nstages ? R->nstages : 1); k++) {
        int prec = o->precision >= 0 ? o->precision : R->nstages ? (int)R->stages[k].training->precision : BK_PREC_FP32;
        if (prec == probed) continue;
        probed = prec;
        if (((o->device && strcmp(o->device, "cpu") != 0) || prec != BK_PREC_FP32) &&
            (o->action == RUN_SEARCH || o->action == RUN_CHECK || o->action == RUN_TRAIN_ONE) &&
            probe_device(o->device ? o->device : "cpu", prec))
            return 2;
    }
    if ((rc = experiment_identity(R))) return rc;
    return need_store ? experiment_open(R) : 0;
}

/* The file's shape of one example as the loaders take it: c, h, w (a longer shape folds its
 * trailing dimensions into w). */
static void example_dims(const NasDataset *ds, int *c, int *h, int *w)
{
    int64_t d[3] = {1, 1, 1};
    for (int i = 0; i < ds->ninput; i++) d[i < 3 ? i : 2] *= ds->input[i];
    *c = (int)d[0];
    *h = (int)d[1];
    *w = (int)d[2];
}

static int load_part(Run *R, const NasDataset *ds, bool test, Dataset *out, DataError *err)
{
    const char *path = R->data_paths[ds - R->cfg->datasets];
    int classes = (int)ds->classes, c, h, w;
    example_dims(ds, &c, &h, &w);
    switch (ds->format) {
    case NAS_FORMAT_IDX: return data_load_idx_dir(path, test ? "t10k" : "train", classes, out, err);
    case NAS_FORMAT_CSV: {
        /* A CSV dataset is a directory with train.csv and test.csv, label in column 0. */
        char file[4096];
        snprintf(file, sizeof file, "%s/%s.csv", path, test ? "test" : "train");
        return data_load_csv(file, 0, c, h, w, classes, out, err);
    }
    case NAS_FORMAT_SYNTHETIC: {
        /* Both parts from the same class patterns (the dataset's seed); the test part is a
         * fifth the size of the train part. */
        int64_t n = ds->synthetic_n > 0 ? ds->synthetic_n : 1000;
        return data_synthetic_part(test ? n / 5 > 0 ? n / 5 : 1 : n, c, h, w, classes, 1.0f,
                                   (uint64_t)ds->synthetic_seed, test ? 1 : 0, out, err);
    }
    }
    snprintf(err->msg, sizeof err->msg, "unknown dataset format");
    return -1;
}

/* The boundary between the files and the declaration: one example's shape (an IDX file's
 * images carry theirs; a CSV row's count the loader checks against `input`), and the labels
 * against `classes` (a label past it is an error of the loader; fewer classes than declared
 * is worth a warning). */
static int check_part(Run *R, const NasDataset *ds, const Dataset *d)
{
    int64_t file[2] = {d->h, d->w};
    char want[128], have[128];
    if (ds->format == NAS_FORMAT_IDX && !config_same_shape(ds->input, ds->ninput, file, 2)) {
        config_shape_text(ds->input, ds->ninput, want, sizeof want);
        config_shape_text(file, 2, have, sizeof have);
        fprintf(stderr,
                "nasrun: dataset `%s`: %s: its images are %s (one example [1, %d, %d]), the declaration "
                "says `input %s`\n",
                ds->name, d->source, have, d->h, d->w, want);
        return 2;
    }
    int present = 0;
    bool *seen = calloc((size_t)d->classes + 1, 1);
    for (int64_t i = 0; seen && i < d->n; i++)
        if (!seen[d->y[i]]) {
            seen[d->y[i]] = true;
            present++;
        }
    free(seen);
    if (present < d->classes && !R->o->quiet)
        fprintf(stderr,
                "nasrun: warning: dataset `%s`: %s has labels of %d classes, the declaration says `classes %d`\n",
                ds->name, d->source, present, d->classes);
    return 0;
}

/* The part, loaded and checked once however many stages use it. */
static int use_part(Run *R, NasDataPart p, const RunPart **out)
{
    for (int i = 0; i < R->nparts; i++)
        if (R->parts[i].ds == p.dataset && R->parts[i].test == p.test && !R->parts[i].resized) {
            *out = &R->parts[i];
            return 0;
        }
    RunPart *rp = &R->parts[R->nparts];
    DataError err;
    if (load_part(R, p.dataset, p.test, &rp->set, &err)) {
        fprintf(stderr, "nasrun: dataset `%s`: %s\n", p.dataset->name, err.msg);
        return 2;
    }
    rp->ds = p.dataset;
    rp->test = p.test;
    R->nparts++; /* run_close frees it from here on */
    if (check_part(R, p.dataset, &rp->set)) return 2;
    if (p.dataset->has_mean || p.dataset->has_std)
        data_normalize(&rp->set, (float)p.dataset->mean, (float)p.dataset->std);
    *out = rp;
    return 0;
}

int run_load_part(Run *R, NasDataPart p, const RunPart **out) { return use_part(R, p, out); }

int run_resized_part(Run *R, const RunPart *full, const int64_t input[3], const RunPart **out)
{
    for (int i = 0; i < R->nparts; i++) {
        const RunPart *rp = &R->parts[i];
        if (rp->resized && rp->ds == full->ds && rp->test == full->test && rp->set.h == input[1] &&
            rp->set.w == input[2]) {
            *out = rp;
            return 0;
        }
    }
    RunPart *rp = &R->parts[R->nparts];
    DataError err;
    if (data_resize(&full->set, (int)input[1], (int)input[2], &rp->set, &err)) {
        fprintf(stderr, "nasrun: dataset `%s`: %s\n", full->ds->name, err.msg);
        return 2;
    }
    rp->ds = full->ds;
    rp->test = full->test;
    rp->resized = true;
    R->nparts++;
    *out = rp;
    return 0;
}

int run_load_file(Run *R, const NasDataset *ds, const char *path, Dataset *out)
{
    int classes = (int)ds->classes, c, h, w;
    example_dims(ds, &c, &h, &w);
    DataError err;
    size_t n = strlen(path);
    int rc;
    if (n > 4 && !strcmp(path + n - 4, ".csv")) rc = data_load_csv(path, 0, c, h, w, classes, out, &err);
    else {
        /* an IDX images file; its labels beside it, named as MNIST's are (images-idx3 -> labels-idx1) */
        char labels[4096];
        const char *at = strstr(path, "images-idx3");
        if (!at || n >= sizeof labels) {
            fprintf(stderr, "nasrun: %s: not a .csv file nor an IDX images file (*images-idx3*)\n", path);
            return 2;
        }
        snprintf(labels, sizeof labels, "%.*slabels-idx1%s", (int)(at - path), path, at + strlen("images-idx3"));
        rc = data_load_idx(path, labels, classes, out, &err);
    }
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    if (check_part(R, ds, out)) {
        dataset_free(out);
        return 2;
    }
    if (ds->has_mean || ds->has_std) data_normalize(out, (float)ds->mean, (float)ds->std);
    return 0;
}

int run_load_data(Run *R)
{
    if (R->data_loaded || R->trainer) return 0;
    for (int k = 0; k < R->nstages; k++) {
        RunStage *st = &R->stages[k];
        int rc;
        if (st->search || st->tune) {
            NasDataPart part = st->search ? st->search->data : st->tune->data;
            double fraction = st->search ? st->search->train_fraction : st->tune->train_fraction;
            if ((rc = use_part(R, part, &st->fit))) return rc;
            st->val = st->fit;
            DataError err;
            if (data_split(st->fit->set.n, fraction, (uint64_t)st->training->seed, &st->split, &err)) {
                fprintf(stderr, "nasrun: dataset `%s`: %s\n", st->fit->ds->name, err.msg);
                return 2;
            }
        } else {
            /* `data a / b` validates on b; `data a` on a's dataset's test part */
            NasDataPart v =
                st->train->has_validate ? st->train->validate : (NasDataPart){st->train->data.dataset, true};
            if ((rc = use_part(R, st->train->data, &st->fit)) || (rc = use_part(R, v, &st->val))) return rc;
        }
    }
    R->data_loaded = true;
    return 0;
}

const RunStage *run_stage(Run *R, int number)
{
    if (number < 0) return -number <= R->ndesign ? &R->design[-number - 1] : NULL;
    return number >= 1 && number <= R->nstages ? &R->stages[number - 1] : NULL;
}

void run_stage_tag(int number, char *buf, size_t n)
{
    if (number >= 0) snprintf(buf, n, "stage %d", number);
    else if (number == -1) snprintf(buf, n, "design reference");
    else snprintf(buf, n, "design proxy %d", -number - 1);
}

void run_stage_data(Run *R, int number, TrainData *d)
{
    const RunStage *st = run_stage(R, number);
    /* a proxy trains on a prefix of the split's shuffled training indices: a random subset */
    int64_t ntrain = st->split.ntrain;
    if (st->subset > 0 && st->subset < 1) ntrain = (int64_t)(st->subset * (double)ntrain + 0.5);
    if (st->search || st->tune)
        *d = (TrainData){&st->fit->set, st->split.train, ntrain > 0 ? ntrain : 1,
                         &st->fit->set, st->split.val,   st->split.nval};
    else *d = (TrainData){&st->fit->set, NULL, st->fit->set.n, &st->val->set, NULL, st->val->set.n};
}

static void part_json(Run *R, JsonBuf *b, NasDataPart p, double fraction)
{
    static const char *const formats[] = {"idx", "csv", "synthetic"};
    jb_printf(b, "{\"dataset\": ");
    jb_string(b, p.dataset->name);
    jb_printf(b, ", \"part\": \"%s\", \"format\": \"%s\", \"path\": ", p.test ? "test" : "train",
              formats[p.dataset->format]);
    const char *path = R->data_paths[p.dataset - R->cfg->datasets];
    if (path) jb_string(b, path);
    else jb_printf(b, "null");
    if (fraction > 0) jb_printf(b, ", \"fraction\": %.10g", fraction);
    jb_printf(b, "}");
}

char *run_stage_data_json(Run *R, int number)
{
    const RunStage *st = run_stage(R, number);
    JsonBuf b = {0};
    jb_printf(&b, "{\"stage\": %d, \"kind\": \"%s\", \"name\": ", st->number,
              st->number < 0 ? "design"
              : st->search   ? "search"
              : st->tune     ? "tune"
                             : "train");
    jb_string(&b, st->name);
    /* a proxy's resolution: the model is built for this input and the images resized to it */
    const int64_t *in = st->scale.input;
    if (in) jb_printf(&b, ", \"input\": [%lld, %lld, %lld]", (long long)in[0], (long long)in[1], (long long)in[2]);
    /* a proxy's width: the trainer builds every conv2d and pointwise with this share of its filters */
    if (st->scale.width > 0 && st->scale.width < 1) jb_printf(&b, ", \"width\": %.10g", st->scale.width);
    jb_printf(&b, ", \"train\": ");
    if (st->search || st->tune) {
        NasDataPart part = st->search ? st->search->data : st->tune->data;
        part_json(R, &b, part, st->search ? st->search->train_fraction : st->tune->train_fraction);
        jb_printf(&b, ", \"validate\": ");
        part_json(R, &b, part, st->search ? st->search->valid_fraction : st->tune->valid_fraction);
        jb_printf(&b, ", \"split_seed\": %lld", (long long)st->training->seed);
        if (st->subset > 0 && st->subset < 1) jb_printf(&b, ", \"subset\": %.10g", st->subset);
        jb_printf(&b, "}");
    } else {
        part_json(R, &b, st->train->data, 0);
        jb_printf(&b, ", \"validate\": ");
        part_json(R, &b, st->train->has_validate ? st->train->validate : (NasDataPart){st->train->data.dataset, true},
                  0);
        jb_printf(&b, "}");
    }
    return b.s;
}

void run_close(Run *R)
{
    if (R->store) store_close(R->store);
    if (R->latency_slot >= 0) close(R->latency_slot);
    free(R->weights_dir);
    free(R->jit_dir);
    for (int i = 0; i < R->nparts; i++) dataset_free(&R->parts[i].set);
    for (int k = 0; k < R->nstages; k++) {
        data_split_free(&R->stages[k].split);
        model_space_free(R->stages[k].tune_ms); /* a tune's space (tune.c) */
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

/* The decisions of a vector of space sp, as members of an object being written. */
static void decisions_members(JsonBuf *b, const Space *sp, const int32_t *arch, bool first)
{
    for (int d = 0; d < space_count(sp); d++) {
        if (arch[d] == SPACE_INACTIVE) continue;
        const SpaceDecision *sd = space_decision(sp, d);
        char val[128];
        space_value_format(sp, d, arch[d], val, sizeof val);
        jb_printf(b, first ? "" : ", ");
        jb_string(b, sd->name);
        jb_printf(b, ": ");
        if (sd->kind == SPACE_INT_RANGE || sd->kind == SPACE_FLOAT_RANGE ||
            (sd->kind == SPACE_CATEGORICAL && sd->vtype != SPACE_VAL_LABEL))
            jb_printf(b, "%s", val);
        else if (sd->kind == SPACE_BOOL) jb_printf(b, "%s", arch[d] ? "true" : "false");
        else jb_string(b, val);
        first = false;
    }
}

char *run_decisions_json(Run *R, const int32_t *arch)
{
    JsonBuf b = {0};
    jb_printf(&b, "{");
    decisions_members(&b, R->space, arch, true);
    jb_printf(&b, "}");
    return b.s;
}

const Space *run_stage_space(Run *R, int stage)
{
    const RunStage *st = run_stage(R, stage);
    return st && st->tune_ms ? model_space(st->tune_ms) : R->space;
}

SpaceStatus run_arch_decode(Run *R, int stage, const char *id, int32_t *arch, SpaceError *err)
{
    const char *colon = strchr(id, ':');
    const Space *sp = run_stage_space(R, stage);
    if (sp == R->space) return space_id_to_arch(sp, id, arch, err);
    if (!colon) {
        snprintf(err->msg, sizeof err->msg, "not a tune's ID (ARCH:SETTINGS)");
        return err->code = SPACE_E_ID_EMPTY;
    }
    return space_id_to_arch(sp, colon + 1, arch, err);
}

char *run_trial_decisions_json(Run *R, int stage, const char *id, const int32_t *arch)
{
    const Space *sp = run_stage_space(R, stage);
    if (sp == R->space) return run_decisions_json(R, arch);
    /* a tune: the architecture's decisions (its ID before the colon), then the settings' */
    char mid[128];
    snprintf(mid, sizeof mid, "%s", id);
    char *colon = strchr(mid, ':');
    if (colon) *colon = 0;
    int n = space_count(R->space);
    int32_t *march = malloc(sizeof *march * (size_t)(n ? n : 1));
    SpaceError se;
    JsonBuf b = {0};
    jb_printf(&b, "{");
    bool any = march && space_id_to_arch(R->space, mid, march, &se) == SPACE_OK && n > 0;
    if (any) decisions_members(&b, R->space, march, true);
    decisions_members(&b, sp, arch, !any);
    jb_printf(&b, "}");
    free(march);
    return b.s;
}

const NasTraining *run_training(Run *R, int stage) { return run_stage(R, stage)->training; }

int64_t run_trials(Run *R, int stage)
{
    const RunStage *st = run_stage(R, stage);
    if (st->tune) return st->tune->trials;
    if (!st->search) return st->train->top;
    return R->o->trials >= 0 ? R->o->trials : st->search->trials;
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
