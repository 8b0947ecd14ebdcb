/* optim.c — the optimizer step as ONE fused kernel over the flat parameter buffer (codegen's
 * cg_spec_optimizer: SGD/momentum/Nesterov, Adam, AdamW with weight decay), global-norm
 * gradient clipping and the finite check that turns NaN/Inf into DIVERGED. Everything runs
 * as codegen kernels through the backend table, so it works unchanged on every device. */
#include "train.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reductions view the padded parameter buffer (exec_params_padded: a multiple of
 * EXEC_PARAM_PAD floats, zero tail) as rows of EXEC_PARAM_PAD and sum each row in float on
 * the device; the host adds the row sums in double. */
void optim_aux_specs(int64_t nparams, CgSpec *sumsq, CgSpec *scale, CgSpec *nonfinite)
{
    int64_t np = exec_params_padded(nparams), rows = np / EXEC_PARAM_PAD;
    /* slot 0: grads, slot 1: row sums of g*g */
    cg_spec_channel_sum(sumsq, 1, rows, EXEC_PARAM_PAD);
    int g = cg_load(sumsq, 0);
    cg_accum(sumsq, 1, cg_bin(sumsq, CG_MUL, g, g));
    /* slot 0: grads *= scalars[0] */
    cg_spec_map(scale, np, 0, 0);
    cg_store(scale, 0, cg_bin(scale, CG_MUL, cg_load(scale, 0), cg_scalar(scale, 0)));
    /* slot 0: params, slot 1: row sums of x*0, NaN iff a NaN or Inf is in the row (codegen
     * keeps IEEE semantics: no fast-math flag lets LLVM fold x*0 to 0) */
    cg_spec_channel_sum(nonfinite, 1, rows, EXEC_PARAM_PAD);
    cg_accum(nonfinite, 1, cg_bin(nonfinite, CG_MUL, cg_load(nonfinite, 0), cg_const(nonfinite, 0.0f)));
}

int optim_create(Optim *op, Backend *b, const TrainSettings *s, int64_t nparams, BkError *err)
{
    memset(op, 0, sizeof *op);
    op->n = nparams;
    op->rows = exec_params_padded(nparams) / EXEC_PARAM_PAD;
    op->o.kind = s->optimizer == OPT_SGD ? CG_SGD : s->optimizer == OPT_ADAM ? CG_ADAM : CG_ADAMW;
    op->o.momentum = s->momentum;
    op->o.nesterov = s->nesterov;
    op->o.beta1 = s->beta1;
    op->o.beta2 = s->beta2;
    op->o.eps = s->eps;
    op->o.weight_decay = s->weight_decay;
    op->m = b->alloc(b, sizeof(float) * (size_t)(nparams + 1));
    op->v = s->optimizer == OPT_SGD ? NULL : b->alloc(b, sizeof(float) * (size_t)(nparams + 1));
    op->rowsum = b->alloc(b, sizeof(float) * (size_t)op->rows);
    op->host_rowsum = malloc(sizeof(float) * (size_t)op->rows);
    if (!op->m || (s->optimizer != OPT_SGD && !op->v) || !op->rowsum || !op->host_rowsum) {
        snprintf(err->msg, sizeof err->msg, "out of memory for the optimizer state");
        optim_destroy(op, b);
        return -1;
    }
    cg_spec_optimizer(&op->k.spec, nparams, &op->o);
    optim_aux_specs(nparams, &op->sumsq.spec, &op->scale.spec, &op->nonfinite.spec);
    /* each compile costs ~10 ms of a trial: the clipping kernels only when clipping is on */
    int clip = s->clip_norm > 0;
    if (b->kernel_build(b, &op->k, err) || b->kernel_build(b, &op->nonfinite, err) ||
        (clip && (b->kernel_build(b, &op->sumsq, err) || b->kernel_build(b, &op->scale, err)))) {
        optim_destroy(op, b);
        return -1;
    }
    return 0;
}

void optim_step(Optim *op, Backend *b, ModelBuffers *m, float lr)
{
    float sc[3];
    op->t++;
    cg_optim_scalars(&op->o, op->t, lr, sc);
    void *bufs[4] = {m->params, m->grads, op->m, op->v ? op->v : op->m};
    b->kernel_run(b, &op->k, bufs, sc);
}

/* Runs a row-sum kernel over x and returns the double sum of its row sums. */
static double row_total(Optim *op, Backend *b, const BkKernel *k, const float *x)
{
    void *bufs[2] = {(void *)x, op->rowsum};
    backend_kernel_run(b, k, bufs, NULL);
    b->to_host(b, op->host_rowsum, op->rowsum, sizeof(float) * (size_t)op->rows);
    double s = 0;
    for (int64_t r = 0; r < op->rows; r++) s += op->host_rowsum[r];
    return s;
}

double optim_grad_norm(Optim *op, Backend *b, const ModelBuffers *m)
{
    return sqrt(row_total(op, b, &op->sumsq, m->grads));
}

void optim_scale_grads(Optim *op, Backend *b, ModelBuffers *m, float scale)
{
    void *bufs[1] = {m->grads};
    b->kernel_run(b, &op->scale, bufs, &scale);
}

int optim_params_finite(Optim *op, Backend *b, const ModelBuffers *m)
{
    return isfinite(row_total(op, b, &op->nonfinite, m->params));
}

void optim_destroy(Optim *op, Backend *b)
{
    b->free(b, op->m);
    b->free(b, op->v);
    b->free(b, op->rowsum);
    free(op->host_rowsum);
    op->m = op->v = op->rowsum = op->host_rowsum = NULL;
}
