/* predict.c — train_predict: batch inference with saved weights, on the executor and the
 * evaluation kernels the trainer validates with, so its accuracy is the stored one. */
#include "train.h"
#include <stdlib.h>
#include <string.h>

void predict_result_free(PredictResult *r)
{
    free(r->logits);
    free(r->argmax);
    memset(r, 0, sizeof *r);
}

static int failmsg(char *err, size_t n, const char *what, const char *msg)
{
    snprintf(err, n, "%s: %.400s", what, msg);
    return -1;
}

/* One batch size's executor: the whole batches, then (a second one) the tail. */
static void run_batches(Exec *e, Backend *bk, const Graph *g, const Dataset *d, int64_t from, int64_t to, float *xbuf,
                        int32_t *ybuf, PredictResult *r, double *ls, double *cs)
{
    int K = r->classes;
    for (int64_t done = from; done + e->batch <= to; done += e->batch) {
        const float *x;
        const int32_t *y;
        data_batch(d, NULL, done, e->batch, xbuf, ybuf, &x, &y);
        exec_set_batch(e, x, y);
        exec_run(e, 0);
        double l, c;
        exec_batch_metrics(e, &l, &c);
        *ls += l;
        *cs += c;
        bk->to_host(bk, r->logits + done * K, exec_value(e, g->logits), sizeof(float) * (size_t)(e->batch * K));
    }
}

int train_predict(Graph *g, const Dataset *d, const float *params, const float *state, const TrainSettings *s,
                  PredictResult *r, char *err, size_t errsize)
{
    memset(r, 0, sizeof *r);
    GraphError ge;
    if (!g->shapes_ok && graph_infer_shapes(g, &ge)) return failmsg(err, errsize, "graph", ge.msg);
    int64_t nf = dataset_features(d), n = d->n;
    if (graph_shape_numel(&g->values[g->input].shape, 1) != nf)
        return failmsg(err, errsize, "data", "example shape does not match the model's input");
    if (n < 1) return failmsg(err, errsize, "data", "no examples");
    r->n = n;
    r->classes = (int)graph_shape_numel(&g->values[g->logits].shape, 1);
    r->logits = malloc(sizeof(float) * (size_t)(n * r->classes));
    r->argmax = malloc(sizeof(int32_t) * (size_t)n);
    int64_t eb = s->eval_batch > 0 ? s->eval_batch : 500;
    if (eb > n) eb = n;
    int64_t tail = n % eb;
    float *xbuf = malloc(sizeof(float) * (size_t)(eb * nf));
    int32_t *ybuf = malloc(sizeof(int32_t) * (size_t)eb);
    Backend bk;
    BkError be;
    ModelBuffers m;
    Exec ev, et;
    int rc = -1, stage = 0; /* how far the set-up got: what to release */
    BackendOptions bo = {s->threads, s->use_jit, s->gemm, s->precision};
    if (!r->logits || !r->argmax || !xbuf || !ybuf) failmsg(err, errsize, "predict", "out of memory");
    else if (backend_open(s->device ? s->device : "cpu", &bo, &bk, &be)) failmsg(err, errsize, "backend", be.msg);
    else if (stage = 1, model_buffers_alloc(&bk, g, &m, &be)) failmsg(err, errsize, "predict", be.msg);
    else if (stage = 2, exec_create(&ev, g, &bk, &m, GRAPH_INFER, eb, 1, &be))
        failmsg(err, errsize, "executor", be.msg);
    else if (stage = 3, tail && exec_create(&et, g, &bk, &m, GRAPH_INFER, tail, 1, &be))
        failmsg(err, errsize, "executor", be.msg);
    else {
        stage = tail ? 4 : 3;
        bk.to_device(&bk, m.params, params, sizeof(float) * (size_t)g->nparams);
        bk.to_device(&bk, m.state, state, sizeof(float) * (size_t)g->nstate);
        double ls = 0, cs = 0;
        run_batches(&ev, &bk, g, d, 0, n - tail, xbuf, ybuf, r, &ls, &cs);
        if (tail) run_batches(&et, &bk, g, d, n - tail, n, xbuf, ybuf, r, &ls, &cs);
        r->loss = ls / (double)n;
        r->accuracy = cs / (double)n;
        for (int64_t i = 0; i < n; i++) {
            const float *row = r->logits + i * r->classes;
            int best = 0;
            for (int k = 1; k < r->classes; k++)
                if (row[k] > row[best]) best = k;
            r->argmax[i] = best;
        }
        rc = 0;
    }
    if (stage >= 4) exec_destroy(&et);
    if (stage >= 3) exec_destroy(&ev);
    if (stage >= 2) model_buffers_free(&bk, &m);
    if (stage >= 1) backend_close(&bk);
    free(xbuf);
    free(ybuf);
    if (rc) predict_result_free(r);
    return rc;
}
