/* pipeline.c — pipeline_main: the actions of nasrun, and --train-one (one architecture,
 * trained in this process with its curve printed). */
#include "pipeline_int.h"
#include "train.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "trains on 1600 of blobs.train, validates on the other 400 (80% / 20%)" */
static void stage_data_text(const RunStage *st, char *buf, size_t n)
{
    if (st->search || st->tune) {
        const RunPart *p = st->fit;
        snprintf(buf, n, "trains on %lld of %s.%s, validates on the other %lld (%.0f%% / %.0f%%)",
                 (long long)st->split.ntrain, p->ds->name, p->test ? "test" : "train", (long long)st->split.nval,
                 100.0 * (st->search ? st->search->train_fraction : st->tune->train_fraction),
                 100.0 * (st->search ? st->search->valid_fraction : st->tune->valid_fraction));
    } else {
        snprintf(buf, n, "trains on %lld of %s.%s, validates on %lld of %s.%s", (long long)st->fit->set.n,
                 st->fit->ds->name, st->fit->test ? "test" : "train", (long long)st->val->set.n, st->val->ds->name,
                 st->val->test ? "test" : "train");
    }
}

/* What the stage is about to do, in the words of the file. */
static void describe_stage(Run *R, const RunStage *st)
{
    if (R->o->quiet) return;
    char what[256] = "";
    if (!R->trainer) stage_data_text(st, what, sizeof what);
    if (st->search && st->proxy_note)
        fprintf(stderr, "[stage %d] search %s, under %s%s%s\n", st->number, st->name, st->proxy_note,
                what[0] ? ": " : "", what);
    else if (st->search) fprintf(stderr, "[stage %d] search %s%s%s\n", st->number, st->name, what[0] ? ": " : "", what);
    else if (st->tune)
        fprintf(stderr, "[stage %d] tune %s, the training settings of the best %lld of stage %d (%s)%s%s\n", st->number,
                st->name, (long long)st->tune->top, st->from, run_stage(R, st->from)->name, what[0] ? ": " : "", what);
    else
        fprintf(stderr, "[stage %d] train %s, the best %lld of stage %d (search %s)%s%s\n", st->number, st->name,
                (long long)st->train->top, st->from, run_stage(R, st->from)->name, what[0] ? ": " : "", what);
}

static int train_one(Run *R)
{
    int n = space_count(R->space);
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    int rc = run_arch_of(R, R->o->arch_id, arch);
    if (rc) {
        free(arch);
        return rc;
    }
    if (R->trainer) {
        fprintf(stderr, "nasrun: --train-one trains with the built-in trainer; this file uses `trainer exec`\n");
        free(arch);
        return 2;
    }
    /* Full training as the file's first `train` says it (its data and validation part); a
     * file without one: its first search's proxy task. */
    const RunStage *st = NULL;
    for (int k = 0; k < R->nstages && !st; k++)
        if (R->stages[k].train) st = &R->stages[k];
    if (!st) st = R->first_search; /* run_open made sure there is one */
    double t0 = store_now();
    if ((rc = run_load_data(R))) {
        free(arch);
        return rc;
    }
    if (R->o->profile) printf("data load and decode: %.3f s\n", store_now() - t0);
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
    NasTraining t;
    if (model_training(R->ms, arch, st->training, &t, &a, &me) != 0) {
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
    s.profile = R->o->profile;
    TrainData d;
    run_stage_data(R, st->number, &d);
    char *dec = run_decisions_json(R, arch);
    printf("architecture %s: %s\n", R->o->arch_id, dec ? dec : "");
    char held[128];
    if (st->search)
        snprintf(held, sizeof held, "%.0f%% held out", 100.0 * (double)d.nval / (double)(d.ntrain + d.nval));
    else snprintf(held, sizeof held, "of %s.%s", st->val->ds->name, st->val->test ? "test" : "train");
    printf("training on %lld examples of %s.%s, validating on %lld (%s), %d epochs, batch %d, lr %g\n",
           (long long)d.ntrain, st->fit->ds->name, st->fit->test ? "test" : "train", (long long)d.nval, held, s.epochs,
           s.batch, (double)s.lr);
    free(dec);
    TrainResult r;
    memset(&r, 0, sizeof r);
    rc = train_run(g, &d, &s, &r);
    if (rc != 0 || r.status != TRAIN_OK) {
        fprintf(stderr, "nasrun: training %s%s%s\n", train_status_name(r.status), r.msg[0] ? ": " : "", r.msg);
        rc = 1;
    } else {
        printf("final: accuracy %.4f, loss %.4f, %lld params, %lld FLOPs, latency %.3f ms (batch 1), "
               "%.0f images/s, JIT %.1f ms\n",
               r.val_acc, r.val_loss, (long long)r.params, (long long)r.flops, r.latency_ms, r.images_per_s, r.jit_ms);
    }
    train_result_free(&r);
    arena_free(&a);
    free(arch);
    return rc;
}

/* The HTML report a finished search leaves beside its store. One that cannot be written (a
 * read-only directory) is a warning: the search itself is complete, and its exit status says so. */
static void search_report(Run *R)
{
    char *path = html_report_default_path(R);
    if (path && !html_report_write(R, path)) printf("report: %s\n", path);
    else fprintf(stderr, "nasrun: warning: no HTML report written\n");
    free(path);
}

int pipeline_main(const RunOptions *o)
{
    Run R;
    bool store = o->action != RUN_TRAIN_ONE && o->action != RUN_CHECK && o->action != RUN_EXPORT_ARCH;
    int rc = run_open(&R, o, store);
    if (rc) {
        run_close(&R);
        return rc;
    }
    switch (o->action) {
    case RUN_STATUS: rc = report_status(&R); break;
    case RUN_TOP: rc = report_top(&R, o->top); break;
    case RUN_EXPORT: rc = report_export(&R, o->export_format); break;
    case RUN_EXPERIMENTS: rc = experiment_list(&R); break;
    case RUN_REPORT:
        if (!(rc = html_report_write(&R, o->report_path))) fprintf(stderr, "nasrun: report: %s\n", o->report_path);
        break;
    case RUN_TRAIN_ONE: rc = train_one(&R); break;
    case RUN_EXPORT_MODEL: rc = model_export(&R); break;
    case RUN_EXPORT_ARCH: rc = model_export_arch(&R); break;
    case RUN_PREDICT: rc = model_predict(&R); break;
    case RUN_CHECK:
        if (!(rc = run_load_data(&R))) rc = search_check(&R);
        break;
    case RUN_SEARCH:
        if ((rc = run_load_data(&R))) break;
        if (o->carry_over && (rc = carry_over(&R))) break;
        if (o->stage == RUN_STAGE_DESIGN) {
            rc = design_run(&R, true);
            break;
        }
        for (int k = 0; k < R.nstages && !rc; k++) {
            const RunStage *st = &R.stages[k];
            if (o->stage && st->number != o->stage) continue;
            /* The first search runs under the designed proxy: designed first when it is not yet. */
            if (st == R.first_search && (rc = design_run(&R, false))) break;
            describe_stage(&R, st);
            rc = st->search ? search_stage1(&R, st) : st->train ? search_stage2(&R, st) : tune_stage(&R, st);
        }
        /* Damage written under the search (another program, a disk fault) must not end it as a
         * success that every later command then fails on. */
        StoreError err;
        if (store_check(R.store, &err) != 0) {
            fprintf(stderr, "nasrun: %s\n", err.msg);
            rc = 2;
        }
        if (!rc) {
            report_summary(&R);
            search_report(&R);
        }
        break;
    }
    run_close(&R);
    return rc;
}
