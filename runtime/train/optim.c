/* optim.c — the optimizer step as ONE fused kernel over the flat parameter buffer (codegen's
 * cg_spec_optimizer: SGD/momentum/Nesterov, Adam, AdamW with weight decay), global-norm
 * gradient clipping and the finite check that turns NaN/Inf into DIVERGED. */
#include "train.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

int optim_create(Optim *op, Backend *b, const TrainSettings *s, int64_t nparams, BkError *err)
{
    memset(op, 0, sizeof *op);
    op->n = nparams;
    op->o.kind = s->optimizer == OPT_SGD ? CG_SGD : s->optimizer == OPT_ADAM ? CG_ADAM : CG_ADAMW;
    op->o.momentum = s->momentum;
    op->o.nesterov = s->nesterov;
    op->o.beta1 = s->beta1; op->o.beta2 = s->beta2; op->o.eps = s->eps;
    op->o.weight_decay = s->weight_decay;
    op->m = b->alloc(b, sizeof(float) * (size_t)(nparams + 1));
    op->v = s->optimizer == OPT_SGD ? NULL : b->alloc(b, sizeof(float) * (size_t)(nparams + 1));
    if (!op->m || (s->optimizer != OPT_SGD && !op->v)) {
        snprintf(err->msg, sizeof err->msg, "out of memory for the optimizer state");
        optim_destroy(op, b);
        return -1;
    }
    cg_spec_optimizer(&op->k.spec, nparams, &op->o);
    if (b->kernel_build(b, &op->k, err)) { optim_destroy(op, b); return -1; }
    return 0;
}

void optim_step(Optim *op, Backend *b, ModelBuffers *m, float lr)
{
    float sc[3];
    op->t++;
    cg_optim_scalars(&op->o, op->t, lr, sc);
    void *bufs[4] = { m->params, m->grads, op->m, op->v ? op->v : op->m };
    b->kernel_run(b, &op->k, bufs, sc);
}

/* The reductions below read device memory directly: CPU backend only (a CUDA backend
 * would run them as channel-sum kernels). */
double optim_grad_norm(Backend *b, const ModelBuffers *m)
{
    double s = 0;
    const float *g = m->grads;
    #pragma omp parallel for reduction(+:s) num_threads(b->threads)
    for (int64_t i = 0; i < m->nparams; i++) s += (double)g[i] * g[i];
    return sqrt(s);
}

void optim_scale_grads(Backend *b, ModelBuffers *m, float scale)
{
    float *g = m->grads;
    #pragma omp parallel for num_threads(b->threads)
    for (int64_t i = 0; i < m->nparams; i++) g[i] *= scale;
}

int optim_finite(Backend *b, const float *p, int64_t n)
{
    int bad = 0;
    #pragma omp parallel for reduction(|:bad) num_threads(b->threads)
    for (int64_t i = 0; i < n; i++) bad |= !isfinite(p[i]);
    return !bad;
}

void optim_destroy(Optim *op, Backend *b)
{
    b->free(b, op->m);
    b->free(b, op->v);
    op->m = op->v = NULL;
}
