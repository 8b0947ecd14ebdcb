/* pipeline.c — pipeline_main: the actions of nasrun, and --train-one (one architecture,
 * trained in this process with its curve printed). */
#include "pipeline_int.h"
#include "train.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int train_one(Run *R)
{
    int n = space_count(R->space);
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    int rc = run_arch_of(R, R->o->arch_id, arch);
    if (rc) { free(arch); return rc; }
    if (R->trainer) {
        fprintf(stderr, "nasrun: --train-one trains with the built-in trainer; this file uses `trainer exec`\n");
        free(arch);
        return 2;
    }
    if ((rc = run_load_data(R))) { free(arch); return rc; }
    Arena a;
    arena_init(&a);
    ModelError me;
    Graph *g = model_instantiate(R->ms, arch, &a, &me);
    if (!g) {
        fprintf(stderr, "nasrun: architecture %s: %s\n", R->o->arch_id, me.msg);
        arena_free(&a);
        free(arch);
        return 1;
    }
    /* Full training as stage 2 says it (100% of the training data, the test set to validate)
     * when the file has a stage 2; otherwise the stage-1 proxy task. */
    int stage = R->train ? 2 : 1;
    NasTraining t;
    if (model_training(R->ms, arch, run_training(R, stage), &t, &a, &me) != 0) {
        fprintf(stderr, "nasrun: architecture %s: %s\n", R->o->arch_id, me.msg);
        arena_free(&a);
        free(arch);
        return 1;
    }
    TrainSettings s;
    trial_settings(&t, run_threads(R, 0), R->o, &s);
    if (R->o->epochs > 0) s.epochs = R->o->epochs;
    s.log = stdout;
    s.latency_runs = 50;
    TrainData d = stage == 2
        ? (TrainData){ &R->train_set, NULL, R->train_set.n, &R->test_set, NULL, R->test_set.n }
        : (TrainData){ &R->train_set, R->split1.train, R->split1.ntrain, &R->train_set, R->split1.val, R->split1.nval };
    char *dec = run_decisions_json(R, arch);
    printf("architecture %s: %s\n", R->o->arch_id, dec ? dec : "");
    char held[32] = "test set";
    if (stage == 1)
        snprintf(held, sizeof held, "%.0f%% held out", 100.0 * (double)d.nval / (double)(d.ntrain + d.nval));
    printf("training on %lld examples, validating on %lld (%s), %d epochs, batch %d, lr %g\n",
           (long long)d.ntrain, (long long)d.nval, held, s.epochs, s.batch, (double)s.lr);
    free(dec);
    TrainResult r;
    memset(&r, 0, sizeof r);
    rc = train_run(g, &d, &s, &r);
    if (rc != 0 || r.status != TRAIN_OK) {
        fprintf(stderr, "nasrun: training %s%s%s\n", train_status_name(r.status), r.msg[0] ? ": " : "", r.msg);
        rc = 1;
    } else {
        printf("final: accuracy %.4f, loss %.4f, %lld params, %lld FLOPs, latency %.3f ms (batch 1), "
               "%.0f images/s, JIT %.1f ms\n", r.val_acc, r.val_loss, (long long)r.params, (long long)r.flops,
               r.latency_ms, r.images_per_s, r.jit_ms);
    }
    train_result_free(&r);
    arena_free(&a);
    free(arch);
    return rc;
}

int pipeline_main(const RunOptions *o)
{
    Run R;
    bool store = o->action != RUN_TRAIN_ONE && o->action != RUN_CHECK;
    int rc = run_open(&R, o, store);
    if (rc) { run_close(&R); return rc; }
    switch (o->action) {
    case RUN_STATUS: rc = report_status(&R); break;
    case RUN_TOP: rc = report_top(&R, o->top); break;
    case RUN_EXPORT: rc = report_export(&R, o->export_format); break;
    case RUN_TRAIN_ONE: rc = train_one(&R); break;
    case RUN_CHECK:
        if (!(rc = run_load_data(&R))) rc = search_check(&R);
        break;
    case RUN_SEARCH:
        if ((rc = run_load_data(&R))) break;
        if (o->stage != 2) rc = search_stage1(&R);
        if (!rc && o->stage != 1) rc = search_stage2(&R);
        if (!rc) report_summary(&R);
        break;
    }
    run_close(&R);
    return rc;
}
