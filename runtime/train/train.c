/* train.c — train_run: plan, allocate once, then epochs of (batch, forward, loss, backward,
 * clip, optimizer), evaluation per epoch, and the trial's metrics. */
#include "train.h"
#include "backend_cpu.h"
#include "weights.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void train_settings_default(TrainSettings *s)
{
    memset(s, 0, sizeof *s);
    s->epochs = 1;
    s->batch = 128;
    s->seed = 1;
    s->optimizer = OPT_SGD;
    s->lr = 0.01f;
    s->momentum = 0.9f;
    s->beta1 = 0.9f;
    s->beta2 = 0.999f;
    s->eps = 1e-8f;
    s->schedule = SCHED_CONSTANT;
    s->use_jit = 1;
    s->device = "cpu";
    s->eval_batch = 500;
    s->slot_fd = -1;
}

const char *train_status_name(TrainStatus st)
{
    return st == TRAIN_OK ? "ok" : st == TRAIN_DIVERGED ? "diverged" : "error";
}

void train_result_free(TrainResult *r)
{
    free(r->curve);
    r->curve = NULL;
}

/* Everything one run owns, released in one place. */
typedef struct Run {
    Backend bk;
    int bk_open;
    ModelBuffers m;
    int m_alloc;
    Exec tr, ev, tail, lat;
    int has_tr, has_ev, has_tail, has_lat;
    Optim opt;
    int has_opt;
    int32_t *order, *ident;
    float *xbuf, *host_params, *aug_scratch;
    int32_t *ybuf;
    int slot; /* this trial's description of the latency slot (train_slot_open), -1: none */
} Run;

static void run_free(Run *u)
{
    if (u->has_tr) exec_destroy(&u->tr);
    if (u->has_ev) exec_destroy(&u->ev);
    if (u->has_tail) exec_destroy(&u->tail);
    if (u->has_lat) exec_destroy(&u->lat);
    if (u->has_opt) optim_destroy(&u->opt, &u->bk);
    if (u->m_alloc) model_buffers_free(&u->bk, &u->m);
    if (u->bk_open) backend_close(&u->bk);
    free(u->order);
    free(u->ident);
    free(u->xbuf);
    free(u->aug_scratch);
    free(u->ybuf);
    free(u->host_params);
    if (u->slot >= 0) close(u->slot); /* drops what it held */
}

static int fail(TrainResult *r, const char *what, const char *msg)
{
    r->status = TRAIN_ERROR;
    snprintf(r->msg, sizeof r->msg, "%s: %.400s", what, msg);
    return -1;
}

/* Loss and accuracy over n examples (idx NULL: rows 0..n-1 in place). */
static void evaluate(Run *u, const Dataset *d, const int32_t *idx, int64_t n, double *loss, double *acc)
{
    double ls = 0, cs = 0;
    int64_t done = 0;
    while (done < n) {
        Exec *e = n - done >= u->ev.batch ? &u->ev : &u->tail;
        const float *x;
        const int32_t *y;
        data_batch(d, idx, done, e->batch, u->xbuf, u->ybuf, &x, &y);
        train_slot_enter(u->slot, false);
        exec_set_batch(e, x, y);
        exec_run(e, 0);
        double l, c;
        exec_batch_metrics(e, &l, &c);
        train_slot_leave(u->slot);
        ls += l;
        cs += c;
        done += e->batch;
    }
    *loss = n ? ls / n : 0;
    *acc = n ? cs / n : 0;
}

static int load_params(const char *path, float *p, int64_t n, TrainResult *r)
{
    FILE *f = fopen(path, "rb");
    if (!f) return fail(r, path, "cannot open the initial parameters");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t got = len == (long)(n * 4) ? fread(p, 4, (size_t)n, f) : 0;
    fclose(f);
    if (got != (size_t)n) {
        char m[128];
        snprintf(m, sizeof m, "expected %lld float32 parameters, file has %ld bytes", (long long)n, len);
        return fail(r, path, m);
    }
    return 0;
}

static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2])) : 0;
}

static void measure_latency(Run *u, const Dataset *d, int runs, TrainResult *r)
{
    double *t = malloc(sizeof(double) * (size_t)runs);
    if (!t) return;
    train_slot_enter(u->slot, true); /* no other trial of this nasrun computes meanwhile */
    exec_set_batch(&u->lat, d->x, d->y);
    for (int i = 0; i < 20; i++) exec_run(&u->lat, 0); /* warm-up */
    for (int i = 0; i < runs; i++) {
        u->bk.sync(&u->bk);
        double t0 = u->bk.now(&u->bk);
        exec_set_batch(&u->lat, d->x + (i % d->n) * dataset_features(d), NULL);
        exec_run(&u->lat, 0);
        u->bk.sync(&u->bk);
        t[i] = u->bk.now(&u->bk) - t0;
    }
    train_slot_leave(u->slot);
    r->latency_ms = median(t, runs) * 1e3;
    free(t);
}

/* Wall time before there is a backend to ask (its `now` is this clock on the CPU). */
static double clock_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int train_figures(Graph *g, const TrainSettings *s, TrainResult *r, char *err, size_t size)
{
    GraphError ge;
    GraphStats st;
    if ((!g->shapes_ok && graph_infer_shapes(g, &ge)) || (!g->has_backward && graph_build_backward(g, &ge)) ||
        graph_stats(g, s->batch, s->optimizer == OPT_SGD ? 1 : 2, &st, &ge)) {
        snprintf(err, size, "node %d: %s", ge.node, ge.msg);
        return -1;
    }
    r->params = st.params;
    r->macs = st.macs;
    r->flops = 2 * st.macs;
    r->planned_bytes = st.train_total_bytes;
    return 0;
}

static int run_backend(Run *u, const TrainSettings *s, BkError *be)
{
    BackendOptions bo = {s->threads, s->use_jit, s->gemm, s->precision};
    if (backend_open(s->device ? s->device : "cpu", &bo, &u->bk, be)) return -1;
    if (s->plain_layouts) u->bk.channel_block = 0;
    u->bk_open = 1;
    backend_cpu_set_jit_cache(&u->bk, s->jit_cache);
    return 0;
}

int train_latency(Graph *g, const TrainSettings *s, TrainResult *r)
{
    r->latency_ms = NAN;
    Run u;
    memset(&u, 0, sizeof u);
    u.slot = s->slot_fd >= 0 ? train_slot_open(s->slot_fd) : -1;
    BkError be;
    char m[300];
    TrainResult fig = {0};
    if (train_figures(g, s, &fig, m, sizeof m)) {
        run_free(&u);
        return fail(r, "graph", m);
    }
    /* what a graph computes with does not change how long it takes: its seeded initial
     * parameters, on one example of zeros */
    int64_t nf = graph_shape_numel(&g->values[g->input].shape, 1);
    Dataset zero = {.n = 1, .c = (int)nf, .h = 1, .w = 1, .classes = 1};
    zero.x = calloc((size_t)nf, sizeof(float));
    zero.y = calloc(1, sizeof(int32_t));
    u.host_params = malloc(sizeof(float) * (size_t)(g->nparams + g->nstate + 1));
    const char *what = NULL;
    train_slot_enter(u.slot, false); /* the set-up computes (JIT), beside the others' steps */
    if (!zero.x || !zero.y || !u.host_params) {
        what = "latency";
        snprintf(be.msg, sizeof be.msg, "out of memory");
    } else if (run_backend(&u, s, &be)) what = "backend";
    else if (model_buffers_alloc(&u.bk, g, &u.m, &be)) what = "latency";
    else if (u.m_alloc = 1, exec_create(&u.lat, g, &u.bk, &u.m, GRAPH_INFER, 1, !s->no_fuse, &be))
        what = "latency executor";
    train_slot_leave(u.slot);
    if (!what) {
        u.has_lat = 1;
        init_params(g, u.host_params, u.host_params + g->nparams, s->seed);
        u.bk.to_device(&u.bk, u.m.params, u.host_params, sizeof(float) * (size_t)g->nparams);
        u.bk.to_device(&u.bk, u.m.state, u.host_params + g->nparams, sizeof(float) * (size_t)g->nstate);
        measure_latency(&u, &zero, s->latency_runs > 0 ? s->latency_runs : 1, r);
    }
    int rc = what ? fail(r, what, be.msg) : 0;
    free(zero.x);
    free(zero.y);
    run_free(&u);
    return rc;
}

int train_run(Graph *g, const TrainData *data, const TrainSettings *s, TrainResult *r)
{
    memset(r, 0, sizeof *r);
    Run u;
    memset(&u, 0, sizeof u);
    u.slot = s->slot_fd >= 0 ? train_slot_open(s->slot_fd) : -1;
    BkError be;
    char m[300];
    if (train_figures(g, s, r, m, sizeof m)) {
        if (u.slot >= 0) close(u.slot);
        return fail(r, "graph", m);
    }
    const Dataset *tr = data->train;
    int64_t nf = dataset_features(tr);
    if (graph_shape_numel(&g->values[g->input].shape, 1) != nf || (data->val && dataset_features(data->val) != nf) ||
        data->ntrain < s->batch) {
        if (u.slot >= 0) close(u.slot);
        return fail(r, "data",
                    data->ntrain < s->batch ? "fewer training examples than one batch"
                                            : "example shape does not match the model's input");
    }

    double setup0 = clock_seconds();
    train_slot_enter(u.slot, false); /* the set-up computes too (JIT, plans): till the first step */
    if (run_backend(&u, s, &be)) {
        run_free(&u);
        return fail(r, "backend", be.msg);
    }
    Backend *bk = &u.bk;
    double jit0 = bk->jit_ms(bk);
    int eb = s->eval_batch > 0 ? s->eval_batch : 500;
    int64_t nval = data->val ? data->nval : 0;
    if (nval && eb > nval) eb = (int)nval;
    int64_t tail = nval ? nval % eb : 0;
    int64_t maxb = s->batch > eb ? s->batch : eb;

    u.order = malloc(sizeof(int32_t) * (size_t)data->ntrain);
    u.ident = malloc(sizeof(int32_t) * (size_t)data->ntrain);
    u.xbuf = malloc(sizeof(float) * (size_t)(maxb * nf));
    u.ybuf = malloc(sizeof(int32_t) * (size_t)maxb);
    u.host_params = malloc(sizeof(float) * (size_t)(g->nparams + g->nstate + 1));
    bool augment = augment_active(&s->augment);
    if (augment) u.aug_scratch = malloc(sizeof(float) * (size_t)nf);
    if (!u.order || !u.ident || !u.xbuf || !u.ybuf || !u.host_params || (augment && !u.aug_scratch)) {
        run_free(&u);
        return fail(r, "train", "out of memory");
    }
    /* A device that cannot hold the planned peak rejects the trial before anything runs. */
    if (bk->mem_check && bk->mem_check(bk, (size_t)r->planned_bytes, &be)) { /* train_figures' plan */
        run_free(&u);
        return fail(r, "memory", be.msg);
    }
    if (model_buffers_alloc(bk, g, &u.m, &be)) {
        run_free(&u);
        return fail(r, "train", be.msg);
    }
    u.m_alloc = 1;
    if (exec_create(&u.tr, g, bk, &u.m, GRAPH_TRAIN, s->batch, !s->no_fuse, &be)) {
        run_free(&u);
        return fail(r, "train executor", be.msg);
    }
    u.has_tr = 1;
    u.tr.profile = s->profile;
    u.tr.xent_scalar[1] = s->label_smoothing;
    if (nval) {
        if (exec_create(&u.ev, g, bk, &u.m, GRAPH_INFER, eb, !s->no_fuse, &be)) {
            run_free(&u);
            return fail(r, "eval executor", be.msg);
        }
        u.has_ev = 1;
        if (tail) {
            if (exec_create(&u.tail, g, bk, &u.m, GRAPH_INFER, tail, !s->no_fuse, &be)) {
                run_free(&u);
                return fail(r, "eval executor", be.msg);
            }
            u.has_tail = 1;
        }
    }
    if (s->latency_runs > 0) {
        if (exec_create(&u.lat, g, bk, &u.m, GRAPH_INFER, 1, !s->no_fuse, &be)) {
            run_free(&u);
            return fail(r, "latency executor", be.msg);
        }
        u.has_lat = 1;
    }
    if (optim_create(&u.opt, bk, s, g->nparams, &be)) {
        run_free(&u);
        return fail(r, "optimizer", be.msg);
    }
    u.has_opt = 1;

    /* initial parameters: seeded init, or a file (PyTorch side-by-side checks) */
    init_params(g, u.host_params, u.host_params + g->nparams, s->seed);
    if (s->init_file && load_params(s->init_file, u.host_params, g->nparams, r)) {
        run_free(&u);
        return -1;
    }
    if (s->dump_init) {
        FILE *f = fopen(s->dump_init, "wb");
        if (!f || fwrite(u.host_params, 4, (size_t)g->nparams, f) != (size_t)g->nparams) {
            if (f) fclose(f);
            run_free(&u);
            return fail(r, s->dump_init, "cannot write the initial parameters");
        }
        fclose(f);
    }
    bk->to_device(bk, u.m.params, u.host_params, sizeof(float) * (size_t)g->nparams);
    bk->to_device(bk, u.m.state, u.host_params + g->nparams, sizeof(float) * (size_t)g->nstate);


    for (int64_t i = 0; i < data->ntrain; i++) u.ident[i] = data->train_idx ? data->train_idx[i] : (int32_t)i;
    int64_t spe = data->ntrain / s->batch; /* the last partial batch is dropped */
    int64_t total = spe * s->epochs;
    if (s->max_steps > 0 && s->max_steps < total) total = s->max_steps;
    int nep = (int)((total + spe - 1) / spe);
    r->curve = calloc((size_t)(nep > 0 ? nep : 1), sizeof *r->curve);
    if (!r->curve) {
        run_free(&u);
        return fail(r, "train", "out of memory");
    }

    train_slot_leave(u.slot);
    r->setup_seconds = clock_seconds() - setup0;
    double data_s = 0, optim_s = 0; /* with s->profile only: they need a sync per step */
    int64_t step = 0;
    for (int ep = 0; ep < nep && r->status == TRAIN_OK; ep++) {
        if (s->no_shuffle) memcpy(u.order, u.ident, sizeof(int32_t) * (size_t)data->ntrain);
        else data_epoch_order(u.ident, data->ntrain, s->seed, ep, u.order);
        double ls = 0, cs = 0, t0 = bk->now(bk);
        int64_t seen = 0;
        for (int64_t b = 0; b < spe && step < total; b++, step++) {
            const float *x;
            const int32_t *y;
            train_slot_enter(u.slot, false);
            double td = s->profile ? bk->now(bk) : 0;
            data_batch(tr, u.order, b * s->batch, s->batch, u.xbuf, u.ybuf, &x, &y);
            if (augment) { /* augment a copy: x may point into the dataset */
                if (x != u.xbuf) memcpy(u.xbuf, x, sizeof(float) * (size_t)(s->batch * nf));
                augment_batch(&s->augment, u.xbuf, s->batch, tr->c, tr->h, tr->w, s->seed, step, u.aug_scratch);
                x = u.xbuf;
            }
            if (s->profile) data_s += bk->now(bk) - td;
            exec_set_batch(&u.tr, x, y);
            exec_run(&u.tr, (uint32_t)(s->seed * 2654435761u + (uint64_t)step));
            double l, c;
            exec_batch_metrics(&u.tr, &l, &c);
            if (s->step_log) fprintf(s->step_log, "%lld %.9g\n", (long long)step, l / s->batch);
            if (!isfinite(l)) {
                train_slot_leave(u.slot);
                r->status = TRAIN_DIVERGED;
                snprintf(r->msg, sizeof r->msg, "loss is %s at step %lld (epoch %d)", isnan(l) ? "NaN" : "Inf",
                         (long long)step, ep + 1);
                break;
            }
            if (s->clip_norm > 0) {
                double gn = optim_grad_norm(&u.opt, bk, &u.m);
                if (!isfinite(gn)) {
                    train_slot_leave(u.slot);
                    r->status = TRAIN_DIVERGED;
                    snprintf(r->msg, sizeof r->msg, "gradient norm is not finite at step %lld", (long long)step);
                    break;
                }
                if (gn > s->clip_norm) optim_scale_grads(&u.opt, bk, &u.m, (float)(s->clip_norm / gn));
            }
            double to = s->profile ? bk->now(bk) : 0;
            optim_step(&u.opt, bk, &u.m, sched_lr(s, step, total));
            if (s->profile) {
                bk->sync(bk);
                optim_s += bk->now(bk) - to;
            }
            train_slot_leave(u.slot);
            ls += l;
            cs += c;
            seen += s->batch;
        }
        bk->sync(bk);
        double secs = bk->now(bk) - t0;
        r->train_seconds += secs;
        if (r->status == TRAIN_OK && !optim_params_finite(&u.opt, bk, &u.m)) {
            r->status = TRAIN_DIVERGED;
            snprintf(r->msg, sizeof r->msg, "a parameter is NaN/Inf after epoch %d", ep + 1);
        }
        EpochStat *es = &r->curve[ep];
        es->train_loss = seen ? ls / seen : 0;
        es->train_acc = seen ? cs / seen : 0;
        es->seconds = secs;
        es->images_per_s = secs > 0 ? seen / secs : 0;
        double te = bk->now(bk);
        if (nval && r->status == TRAIN_OK) evaluate(&u, data->val, data->val_idx, nval, &es->val_loss, &es->val_acc);
        bk->sync(bk);
        r->eval_seconds += bk->now(bk) - te;
        r->nepochs = ep + 1;
        r->val_loss = es->val_loss;
        r->val_acc = es->val_acc;
        if (s->log)
            fprintf(s->log, "epoch %d  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %.2f s  %.0f img/s\n", ep + 1,
                    es->train_loss, es->train_acc, es->val_loss, es->val_acc, secs, es->images_per_s);
        if (s->epoch_json) { /* %.9g and null: as the pipeline's JSON writes numbers */
            fprintf(s->epoch_json, "{\"epoch\": %d, \"accuracy\": ", ep + 1);
            fprintf(s->epoch_json, isfinite(es->val_acc) ? "%.9g" : "null", es->val_acc);
            fprintf(s->epoch_json, ", \"loss\": ");
            fprintf(s->epoch_json, isfinite(es->val_loss) ? "%.9g" : "null", es->val_loss);
            fprintf(s->epoch_json, "}\n");
            fflush(s->epoch_json);
        }
    }
    if (s->profile && s->log) {
        fprintf(s->log,
                "phases: set-up %.3f s (JIT %.1f ms), steps %.3f s (batch gather %.3f s, optimizer %.3f s), "
                "validation %.3f s\n",
                r->setup_seconds, bk->jit_ms(bk) - jit0, r->train_seconds, data_s, optim_s, r->eval_seconds);
        exec_profile_print(&u.tr, s->log);
    }
    if (s->save_weights && r->status == TRAIN_OK) {
        float *state = u.host_params + g->nparams;
        bk->to_host(bk, u.host_params, u.m.params, sizeof(float) * (size_t)g->nparams);
        bk->to_host(bk, state, u.m.state, sizeof(float) * (size_t)g->nstate);
        char why[400];
        if (weights_save(g, u.host_params, state, s->weights_meta, s->save_weights, why, sizeof why)) {
            r->status = TRAIN_ERROR;
            snprintf(r->msg, sizeof r->msg, "weights: %s", why);
        }
    }
    r->steps = step;
    r->images_per_s = r->train_seconds > 0 ? (double)step * s->batch / r->train_seconds : 0;
    double tl = clock_seconds();
    if (u.has_lat && r->status == TRAIN_OK) measure_latency(&u, tr, s->latency_runs, r);
    r->latency_seconds = clock_seconds() - tl;
    if (s->profile && s->log) fprintf(s->log, "latency: %.3f s for %d runs\n", r->latency_seconds, s->latency_runs);
    r->jit_ms = bk->jit_ms(bk) - jit0;
    BkMemInfo mi;
    bk->mem_info(bk, &mi);
    r->rss_peak = mi.rss_peak;
    run_free(&u);
    return 0;
}
