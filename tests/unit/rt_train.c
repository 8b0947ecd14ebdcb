/* rt_train.c — reference training: a small MLP and a small CNN (with batchnorm and dropout)
 * learn a synthetic set to a stated accuracy in a bounded number of steps; runs are
 * deterministic for a seed; JIT and reference kernels agree; every optimizer and schedule
 * trains; a diverging run ends with status DIVERGED instead of a crash. */
#include "models.h"
#include "train.h"
#include "rt_check.h"
#include <math.h>
#include <string.h>

static Dataset data;
static Split split;

static TrainResult run(Graph *g, TrainSettings *s)
{
    TrainData td = {&data, split.train, split.ntrain, &data, split.val, split.nval};
    TrainResult r;
    train_run(g, &td, s, &r);
    return r;
}

static TrainSettings base(void)
{
    TrainSettings s;
    train_settings_default(&s);
    s.batch = 32;
    s.epochs = 3;
    s.lr = 0.02f;
    s.seed = 3;
    s.eval_batch = 64;
    return s;
}

static Graph *mlp(Arena *a) { return model_mlp(a, 1, 8, 8, (int[]){32}, 1, 4); }
static Graph *cnn(Arena *a, int bn, float drop) { return model_cnn(a, 1, 8, 8, (int[]){4, 8}, 2, 16, 4, bn, drop); }

int main(void)
{
    DataError e;
    /* 1500 examples of 8x8, 4 classes; noise 2.0 per pixel around the class pattern */
    if (data_synthetic(1500, 1, 8, 8, 4, 2.0f, 11, &data, &e) || data_split(data.n, 0.8, 1, &split, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    Arena a;
    arena_init(&a);
    TrainSettings s = base();

    /* MLP: >= 0.9 validation accuracy within 3 epochs (111 steps) */
    TrainResult r1 = run(mlp(&a), &s);
    CHECK(r1.status == TRAIN_OK && r1.val_acc >= 0.9, "MLP: status %s (%s) acc %.3f", train_status_name(r1.status),
          r1.msg, r1.val_acc);
    CHECK(r1.nepochs == 3 && r1.curve[2].train_loss < r1.curve[0].train_loss, "MLP loss did not fall");
    CHECK(r1.params == 64 * 32 + 32 + 32 * 4 + 4, "MLP params %lld", (long long)r1.params);

    /* determinism: the same seed gives bit-identical results */
    TrainResult r2 = run(mlp(&a), &s);
    CHECK(r2.val_loss == r1.val_loss && r2.curve[0].train_loss == r1.curve[0].train_loss,
          "not deterministic: %.9g vs %.9g", r2.val_loss, r1.val_loss);
    /* reference (plain C) kernels agree with the JIT ones */
    s.use_jit = 0;
    TrainResult r3 = run(mlp(&a), &s);
    CHECK(fabs(r3.val_loss - r1.val_loss) < 1e-3 * fabs(r1.val_loss), "JIT %.6g vs reference %.6g", r1.val_loss,
          r3.val_loss);
    s.use_jit = 1;

    /* CNN: >= 0.9 within 3 epochs; with batchnorm + dropout + Adam and a warmup/cosine schedule too.
     * Max pooling discards where a pixel was, so the CNN's set is less noisy (1.0). */
    dataset_free(&data);
    data_synthetic(1500, 1, 8, 8, 4, 1.0f, 11, &data, &e);
    TrainResult r4 = run(cnn(&a, 0, 0), &s);
    CHECK(r4.status == TRAIN_OK && r4.val_acc >= 0.9, "CNN: status %s (%s) acc %.3f", train_status_name(r4.status),
          r4.msg, r4.val_acc);
    TrainSettings sa = base();
    sa.optimizer = OPT_ADAM;
    sa.lr = 0.01f;
    sa.schedule = SCHED_COSINE;
    sa.warmup_steps = 10;
    sa.clip_norm = 5.0f;
    TrainResult r5 = run(cnn(&a, 1, 0.2f), &sa);
    CHECK(r5.status == TRAIN_OK && r5.val_acc >= 0.9, "CNN bn+dropout Adam: %s (%s) acc %.3f",
          train_status_name(r5.status), r5.msg, r5.val_acc);

    /* the other optimizers and schedules */
    TrainSettings sw = base();
    sw.optimizer = OPT_ADAMW;
    sw.lr = 0.01f;
    sw.weight_decay = 0.01f;
    sw.schedule = SCHED_LINEAR;
    TrainResult r6 = run(mlp(&a), &sw);
    CHECK(r6.status == TRAIN_OK && r6.val_acc >= 0.85, "AdamW: acc %.3f", r6.val_acc);
    TrainSettings sn = base();
    sn.nesterov = 1;
    sn.weight_decay = 1e-4f;
    TrainResult r7 = run(mlp(&a), &sn);
    CHECK(r7.status == TRAIN_OK && r7.val_acc >= 0.85, "Nesterov: acc %.3f", r7.val_acc);

    /* divergence is a status, not a crash */
    TrainSettings sd = base();
    sd.lr = 1e9f;
    TrainResult r8 = run(mlp(&a), &sd);
    CHECK(r8.status == TRAIN_DIVERGED && r8.msg[0], "diverging run: %s '%s'", train_status_name(r8.status), r8.msg);

    /* schedules */
    TrainSettings sc = base();
    sc.lr = 1.0f;
    sc.min_lr = 0.0f;
    sc.warmup_steps = 10;
    sc.schedule = SCHED_COSINE;
    CHECK(fabsf(sched_lr(&sc, 0, 110) - 0.1f) < 1e-6f && fabsf(sched_lr(&sc, 9, 110) - 1.0f) < 1e-6f, "warmup");
    CHECK(fabsf(sched_lr(&sc, 60, 110) - 0.5f) < 1e-6f && sched_lr(&sc, 110, 110) < 1e-6f, "cosine");
    sc.schedule = SCHED_LINEAR;
    CHECK(fabsf(sched_lr(&sc, 35, 110) - 0.75f) < 1e-6f, "linear %g", sched_lr(&sc, 35, 110));
    sc.schedule = SCHED_CONSTANT;
    CHECK(sched_lr(&sc, 100, 110) == 1.0f, "constant");

    /* a model/data mismatch is an error message */
    Graph *wrong = model_mlp(&a, 1, 9, 9, (int[]){8}, 1, 4);
    TrainResult r9 = run(wrong, &s);
    CHECK(r9.status == TRAIN_ERROR && strstr(r9.msg, "shape"), "mismatch: %s", r9.msg);

    printf("mlp acc %.3f  cnn acc %.3f  cnn-bn-dropout-adam %.3f  adamw %.3f  nesterov %.3f\n", r1.val_acc, r4.val_acc,
           r5.val_acc, r6.val_acc, r7.val_acc);
    TrainResult *all[] = {&r1, &r2, &r3, &r4, &r5, &r6, &r7, &r8, &r9};
    for (int i = 0; i < 9; i++) train_result_free(all[i]);
    arena_free(&a);
    data_split_free(&split);
    dataset_free(&data);
    return RT_DONE("rt_train");
}
