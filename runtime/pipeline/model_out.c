/* model_out.c — what leaves nasrun with a trained model: the weights each built-in trial of a
 * train stage (and, with --keep-weights, of a search) keeps beside the store, recorded there with
 * their SHA-256; `--export-model ID out.onnx|out.py`; `--export-arch ID out.py` (untrained); and
 * `--predict ID [DATA]`. */
#include "pipeline_int.h"
#include "export.h"
#include "train.h"
#include "weights.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool weights_wanted(const Run *R, int stage)
{
    const RunStage *st = stage >= 1 && stage <= R->nstages ? &R->stages[stage - 1] : NULL;
    return st && !R->trainer && R->weights_dir && R->o->action == RUN_SEARCH && (st->train || R->o->keep_weights);
}

int weights_path(const Run *R, int stage, const char *arch_id, char *buf, size_t size)
{
    int n =
        snprintf(buf, size, "%s/e%lld-s%d-%s.safetensors", R->weights_dir, (long long)R->experiment, stage, arch_id);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int weights_record(Run *R, int stage, const char *arch_id)
{
    char path[4096], hex[65], why[600];
    struct stat sb;
    if (!weights_wanted(R, stage) || weights_path(R, stage, arch_id, path, sizeof path) || stat(path, &sb) != 0)
        return 0;
    StoreWeights w = {.stage = stage, .arch_id = (char *)arch_id, .path = path, .sha256 = hex};
    if (weights_sha256(path, hex, &w.bytes, why, sizeof why)) {
        fprintf(stderr, "nasrun: weights of %s: %s\n", arch_id, why);
        return 2;
    }
    StoreError err;
    if (store_weights_put(R->store, R->experiment, &w, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    return 0;
}

/* One architecture with its kept weights, checked against the store's checksum. */
typedef struct Model {
    Arena a;
    int32_t *arch;
    Graph *g;
    float *params, *state;
    StoreWeights w;
    const RunStage *stage; /* the one whose trial trained the weights */
} Model;

static void model_free(Model *m)
{
    arena_free(&m->a);
    free(m->arch);
    free(m->params);
    free(m->state);
    store_weights_free(&m->w);
}

/* Why a search's weights may not fit the graph built here: the proxy design may have trained the
 * first search's trials at a lower resolution or a width below 1, while export and prediction
 * build the declared model. */
static const char *proxy_hint(const Run *R, const RunStage *st, char *buf, size_t size)
{
    const NasProxy *px = R->cfg->proxy;
    bool lower = false, narrower = false;
    for (int k = 0; px && k < px->nresolution; k++) {
        int64_t in[3];
        lower |= config_proxy_input(R->cfg, px->resolution[k], in);
    }
    for (int k = 0; px && k < px->nwidth; k++) narrower |= px->width[k] < 1;
    if (st != R->first_search || !(lower || narrower)) return "";
    snprintf(buf, size,
             " (the search may have trained it at %s%s%s, while export and prediction build the declared model: "
             "export a trial of a train stage)",
             lower ? "a proxy resolution below the declared input" : "", lower && narrower ? " or " : "",
             narrower ? "a proxy width below 1 (fewer filters in its convolutions)" : "");
    return buf;
}

static int model_open(Run *R, Model *m)
{
    memset(m, 0, sizeof *m);
    arena_init(&m->a);
    const char *id = R->o->arch_id;
    int n = space_count(R->space);
    m->arch = malloc(sizeof *m->arch * (size_t)(n ? n : 1));
    if (!m->arch) return 2;
    int rc = run_arch_of(R, id, m->arch);
    if (rc) return rc;
    StoreError err;
    bool found = false;
    if (store_weights_find(R->store, R->experiment, 0, id, &m->w, &found, &err)) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    if (!found) {
        fprintf(stderr,
                "nasrun: experiment %lld keeps no weights of %s: the trials of a train stage keep theirs (a "
                "search's with --keep-weights); --top lists what was trained\n",
                (long long)R->experiment, id);
        return 2;
    }
    char hex[65], why[600];
    int64_t bytes;
    if (weights_sha256(m->w.path, hex, &bytes, why, sizeof why)) {
        fprintf(stderr, "nasrun: weights of %s: %s\n", id, why);
        return 2;
    }
    if (strcmp(hex, m->w.sha256) != 0 || bytes != m->w.bytes) {
        fprintf(stderr,
                "nasrun: %s: not the file its trial wrote (SHA-256 %.16s..., %lld bytes; the store recorded "
                "%.16s..., %lld bytes)\n",
                m->w.path, hex, (long long)bytes, m->w.sha256, (long long)m->w.bytes);
        return 2;
    }
    m->stage = run_stage(R, m->w.stage);
    if (!m->stage) {
        fprintf(stderr, "nasrun: weights of %s: the file has no stage %d\n", id, m->w.stage);
        return 2;
    }
    ModelError me;
    GraphError ge;
    m->g = model_instantiate(R->ms, m->arch, &m->a, &me);
    if (!m->g) {
        fprintf(stderr, "nasrun: architecture %s: %s\n", id, me.msg);
        return 1;
    }
    if (graph_infer_shapes(m->g, &ge)) {
        fprintf(stderr, "nasrun: architecture %s: node %d: %s\n", id, ge.node, ge.msg);
        return 1;
    }
    m->params = malloc(sizeof(float) * (size_t)(m->g->nparams + 1));
    m->state = malloc(sizeof(float) * (size_t)(m->g->nstate + 1));
    if (!m->params || !m->state) return 2;
    if (weights_load(m->g, m->params, m->state, m->w.path, why, sizeof why)) {
        char hint[320];
        fprintf(stderr, "nasrun: %s%s\n", why, proxy_hint(R, m->stage, hint, sizeof hint));
        return 2;
    }
    return 0;
}

static const NasDataset *stage_dataset(const RunStage *st)
{
    return st->search ? st->search->data.dataset : st->train->data.dataset;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    bool ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = false;
    if (!ok) fprintf(stderr, "nasrun: cannot copy %s to %s: %s\n", from, to, strerror(errno));
    return ok ? 0 : 2;
}

int model_export(Run *R)
{
    const char *out = R->o->model_path;
    bool onnx = ends_with(out, ".onnx"), torch = ends_with(out, ".py");
    if (!onnx && !torch) {
        fprintf(stderr, "nasrun: --export-model writes FILE.onnx (ONNX) or FILE.py (PyTorch), not %s\n", out);
        return 2;
    }
    Model m;
    int rc = model_open(R, &m);
    if (rc) {
        model_free(&m);
        return rc;
    }
    const NasDataset *ds = stage_dataset(m.stage);
    ExportModel em = {.g = m.g,
                      .params = m.params,
                      .state = m.state,
                      .normalize = ds->has_mean || ds->has_std,
                      .mean = (float)ds->mean,
                      .std = (float)ds->std,
                      .name = R->o->arch_id,
                      .source_name = R->o->path};
    char why[600] = "";
    if (onnx) rc = export_onnx(&em, out, why, sizeof why) ? 2 : 0;
    else {
        /* out.py reads out.safetensors beside it: a copy of the kept file */
        size_t n = strlen(out) - 3;
        char *weights = malloc(n + 16);
        if (!weights) rc = 2;
        else {
            snprintf(weights, n + 16, "%.*s.safetensors", (int)n, out);
            const char *base = strrchr(weights, '/') ? strrchr(weights, '/') + 1 : weights;
            rc = copy_file(m.w.path, weights);
            if (!rc) rc = export_torch(&em, out, base, why, sizeof why) ? 2 : 0;
            if (!rc && !R->o->quiet) fprintf(stderr, "nasrun: %s reads its weights from %s\n", out, weights);
            free(weights);
        }
    }
    if (rc == 2 && why[0]) fprintf(stderr, "nasrun: %s\n", why);
    if (!rc && !R->o->quiet)
        fprintf(stderr, "nasrun: %s: architecture %s with the weights of its stage-%d trial (%s)\n", out, R->o->arch_id,
                m.w.stage, m.w.path);
    model_free(&m);
    return rc;
}

/* The architecture alone, for another trainer: PyTorch's own initialisation, so an ONNX file
 * (whose weights are its initializers) has no untrained form. The input normalisation is the
 * first search's dataset's (the stage a peer search reproduces), else the first stage's. */
int model_export_arch(Run *R)
{
    const char *out = R->o->model_path;
    if (!ends_with(out, ".py")) {
        fprintf(stderr, "nasrun: --export-arch writes FILE.py (a PyTorch module), not %s\n", out);
        return 2;
    }
    int n = space_count(R->space);
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    if (!arch) return 2;
    int rc = run_arch_of(R, R->o->arch_id, arch);
    Arena a;
    arena_init(&a);
    ModelError me;
    GraphError ge;
    Graph *g = rc ? NULL : model_instantiate(R->ms, arch, &a, &me);
    if (!rc && !g) {
        fprintf(stderr, "nasrun: architecture %s: %s\n", R->o->arch_id, me.msg);
        rc = 1;
    } else if (!rc && graph_infer_shapes(g, &ge)) {
        fprintf(stderr, "nasrun: architecture %s: node %d: %s\n", R->o->arch_id, ge.node, ge.msg);
        rc = 1;
    }
    const RunStage *st = R->first_search ? R->first_search : R->nstages ? &R->stages[0] : NULL;
    const NasDataset *ds = st ? stage_dataset(st) : NULL; /* NULL: an external trainer's data */
    ExportModel em = {.g = g,
                      .normalize = ds && (ds->has_mean || ds->has_std),
                      .mean = ds ? (float)ds->mean : 0,
                      .std = ds ? (float)ds->std : 1,
                      .name = R->o->arch_id,
                      .source_name = R->o->path};
    char why[600] = "";
    if (!rc && export_torch(&em, out, NULL, why, sizeof why)) {
        fprintf(stderr, "nasrun: %s\n", why);
        rc = 2;
    }
    if (!rc && !R->o->quiet) fprintf(stderr, "nasrun: %s: architecture %s, untrained\n", out, R->o->arch_id);
    arena_free(&a);
    free(arch);
    return rc;
}

static int write_predictions(const char *path, const Dataset *d, const PredictResult *p)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "nasrun: %s: cannot write: %s\n", path, strerror(errno));
        return 2;
    }
    fprintf(f, "index,label,predicted");
    for (int k = 0; k < p->classes; k++) fprintf(f, ",logit_%d", k);
    fprintf(f, "\n");
    for (int64_t i = 0; i < p->n; i++) {
        fprintf(f, "%lld,%d,%d", (long long)i, (int)d->y[i], (int)p->argmax[i]);
        for (int k = 0; k < p->classes; k++) fprintf(f, ",%.9g", (double)p->logits[i * p->classes + k]);
        fprintf(f, "\n");
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "nasrun: %s: cannot write: %s\n", path, strerror(errno));
        return 2;
    }
    return 0;
}

int model_predict(Run *R)
{
    Model m;
    int rc = model_open(R, &m);
    if (rc) {
        model_free(&m);
        return rc;
    }
    const RunStage *st = m.stage;
    const NasDataset *ds = stage_dataset(st);
    Dataset own = {0};
    const Dataset *d = &own;
    char what[600];
    if (R->o->predict_data) {
        rc = run_load_file(R, ds, R->o->predict_data, &own);
        snprintf(what, sizeof what, "%s", R->o->predict_data);
    } else {
        /* a train stage's validation part (what its stored accuracy is of), else the test part */
        NasDataPart p = {ds, true};
        if (st->train && st->train->has_validate) p = st->train->validate;
        const RunPart *rp = NULL;
        rc = run_load_part(R, p, &rp);
        if (!rc) d = &rp->set;
        snprintf(what, sizeof what, "%s.%s", p.dataset->name, p.test ? "test" : "train");
    }
    PredictResult pr = {0};
    if (!rc) {
        TrainSettings s;
        trial_settings(run_training(R, st->number), R->o->threads, R->o, &s);
        char why[600];
        if (train_predict(m.g, d, m.params, m.state, &s, &pr, why, sizeof why)) {
            fprintf(stderr, "nasrun: --predict %s: %s\n", R->o->arch_id, why);
            rc = 2;
        }
    }
    if (!rc) {
        char def[300];
        snprintf(def, sizeof def, "%s.predictions.csv", R->o->arch_id);
        const char *out = R->o->output ? R->o->output : def;
        rc = write_predictions(out, d, &pr);
        if (!rc)
            printf("%s on %s: accuracy %.4f (%lld of %lld), loss %.4f; predictions in %s\n", R->o->arch_id, what,
                   pr.accuracy, (long long)(pr.accuracy * (double)pr.n + 0.5), (long long)pr.n, pr.loss, out);
    }
    predict_result_free(&pr);
    dataset_free(&own);
    model_free(&m);
    return rc;
}
