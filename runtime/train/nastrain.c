/* nastrain.c — trains the reference MLP or CNN on Fashion-MNIST (or a CSV / synthetic set)
 * and prints the per-epoch curve: a thin shell over train_run, like nasrun --train-one. */
#include "models.h"
#include "train.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "usage: nastrain mlp|cnn [options]\n"
                    "  --data DIR          IDX directory (default /usr/share/datasets/fashion-mnist)\n"
                    "  --synthetic N       N synthetic examples instead (10%% held out)\n"
                    "  --stage 1|2         1: train on 90%% / validate on 10%% of train; 2: train / test (default 2)\n"
                    "  --epochs N --batch N --lr X --momentum X --nesterov --wd X --seed N --threads N\n"
                    "  --optim sgd|adam|adamw  --schedule constant|cosine|linear  --warmup STEPS  --clip X\n"
                    "  --normalize         standardise inputs with the training mean/std\n"
                    "  --bn                cnn: batchnorm after each convolution\n"
                    "  --no-jit            reference C kernels instead of LLVM-JIT ones\n"
                    "  --gemm dnnl|openblas  --latency RUNS  --max-steps N\n"
                    "  --precision fp32|bf16|fp16  what convolutions and matmuls compute in (default fp32;\n"
                    "                      fp16 on cuda only); weights and the optimizer stay fp32\n"
                    "  --device cpu|cuda|auto  where to train (default cpu)\n"
                    "  --dump-init FILE    write the initial parameters  --init FILE  start from them\n"
                    "  --step-log FILE     per-step losses  --no-shuffle  batches in data order\n"
                    "  --profile           time per op kind of the training steps\n"
                    "  --no-fuse           one kernel per elementwise node (to measure the fusion)\n"
                    "  --plain-layouts     activations NCHW only, never nChw8c/16c (to measure the layouts)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "mlp") && strcmp(argv[1], "cnn"))) {
        usage();
        return 2;
    }
    const char *model = argv[1], *dir = "/usr/share/datasets/fashion-mnist", *step_log = NULL;
    int stage = 2, normalize = 0, bn = 0;
    long synth = 0;
    TrainSettings s;
    train_settings_default(&s);
    s.log = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && v && (i++, 1))
        if (ARG("--data")) dir = v;
        else if (ARG("--synthetic")) synth = atol(v);
        else if (ARG("--stage")) stage = atoi(v);
        else if (ARG("--epochs")) s.epochs = atoi(v);
        else if (ARG("--batch")) s.batch = atoi(v);
        else if (ARG("--lr")) s.lr = (float)atof(v);
        else if (ARG("--momentum")) s.momentum = (float)atof(v);
        else if (ARG("--wd")) s.weight_decay = (float)atof(v);
        else if (ARG("--seed")) s.seed = strtoull(v, NULL, 10);
        else if (ARG("--threads")) s.threads = atoi(v);
        else if (ARG("--warmup")) s.warmup_steps = atol(v);
        else if (ARG("--clip")) s.clip_norm = (float)atof(v);
        else if (ARG("--latency")) s.latency_runs = atoi(v);
        else if (ARG("--max-steps")) s.max_steps = atol(v);
        else if (ARG("--dump-init")) s.dump_init = v;
        else if (ARG("--init")) s.init_file = v;
        else if (ARG("--step-log")) step_log = v;
        else if (ARG("--optim"))
            s.optimizer = !strcmp(v, "adam") ? OPT_ADAM : !strcmp(v, "adamw") ? OPT_ADAMW : OPT_SGD;
        else if (ARG("--schedule"))
            s.schedule = !strcmp(v, "cosine") ? SCHED_COSINE : !strcmp(v, "linear") ? SCHED_LINEAR : SCHED_CONSTANT;
        else if (ARG("--gemm")) s.gemm = !strcmp(v, "openblas") ? BK_GEMM_OPENBLAS : BK_GEMM_DNNL;
        else if (ARG("--device")) s.device = v;
        else if (ARG("--precision")) {
            BkError be;
            if (backend_precision_parse(v, &s.precision, &be)) {
                fprintf(stderr, "nastrain: --precision: %s\n", be.msg);
                return 2;
            }
        } else if (!strcmp(a, "--nesterov")) s.nesterov = 1;
        else if (!strcmp(a, "--normalize")) normalize = 1;
        else if (!strcmp(a, "--bn")) bn = 1;
        else if (!strcmp(a, "--no-jit")) s.use_jit = 0;
        else if (!strcmp(a, "--no-shuffle")) s.no_shuffle = 1;
        else if (!strcmp(a, "--profile")) s.profile = 1;
        else if (!strcmp(a, "--no-fuse")) s.no_fuse = 1;
        else if (!strcmp(a, "--plain-layouts")) s.plain_layouts = 1;
        else {
            fprintf(stderr, "nastrain: unknown or incomplete option '%s'\n", a);
            usage();
            return 2;
        }
#undef ARG
    }
    Dataset train, test;
    DataError de;
    memset(&test, 0, sizeof test);
    int rc = synth ? data_synthetic(synth, 1, 28, 28, 10, 1.0f, s.seed, &train, &de)
                   : data_load_idx_dir(dir, "train", 10, &train, &de);
    if (!rc && !synth && stage == 2) rc = data_load_idx_dir(dir, "test", 10, &test, &de);
    if (rc) {
        fprintf(stderr, "nastrain: %s\n", de.msg);
        return 1;
    }

    Split sp;
    if ((stage == 1 || synth) ? data_split(train.n, 0.9, s.seed, &sp, &de) : data_split_all(train.n, &sp, &de)) {
        fprintf(stderr, "nastrain: %s\n", de.msg);
        return 1;
    }
    TrainData td = {&train, sp.train, sp.ntrain, NULL, NULL, 0};
    if (stage == 1 || synth) {
        td.val = &train;
        td.val_idx = sp.val;
        td.nval = sp.nval;
    } else {
        td.val = &test;
        td.nval = test.n;
    }
    if (normalize) {
        double mean, std;
        data_stats(&train, sp.train, sp.ntrain, &mean, &std);
        data_normalize(&train, (float)mean, (float)std);
        if (test.n) data_normalize(&test, (float)mean, (float)std);
        printf("normalised: mean %.4f std %.4f\n", mean, std);
    }
    printf("split: seed %llu train %lld val %lld hash %016llx\n", (unsigned long long)sp.seed, (long long)sp.ntrain,
           (long long)td.nval, (unsigned long long)sp.hash);

    Arena a;
    arena_init(&a);
    Graph *g = !strcmp(model, "mlp") ? model_mlp(&a, 1, 28, 28, (int[]){256, 128}, 2, 10)
                                     : model_cnn(&a, 1, 28, 28, (int[]){32, 64}, 2, 128, 10, bn, 0);
    FILE *sl = step_log ? fopen(step_log, "w") : NULL;
    s.step_log = sl;
    TrainResult r;
    train_run(g, &td, &s, &r);
    if (sl) fclose(sl);
    printf("status %s%s%s\n", train_status_name(r.status), r.msg[0] ? ": " : "", r.msg);
    printf("params %lld  flops %lld  steps %lld  train %.2f s  %.0f img/s  val acc %.4f  loss %.4f\n",
           (long long)r.params, (long long)r.flops, (long long)r.steps, r.train_seconds, r.images_per_s, r.val_acc,
           r.val_loss);
    printf("latency %.3f ms (batch 1, median)  jit %.1f ms  planned %.1f MB  peak rss %.1f MB\n", r.latency_ms,
           r.jit_ms, r.planned_bytes / 1048576.0, r.rss_peak / 1048576.0);
    int status = r.status == TRAIN_OK ? 0 : 1;
    train_result_free(&r);
    arena_free(&a);
    data_split_free(&sp);
    dataset_free(&train);
    dataset_free(&test);
    return status;
}
