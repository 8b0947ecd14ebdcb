/* carry.c — `nasrun NEW.nas --carry-over OLD.nas`: a new experiment begins with the results of
 * an old one that still hold. OLD.nas is compiled and its experiment (one of its exact source)
 * looked up in this run's store, else beside OLD.nas (OLD.nasdb); each finished (done)
 * trial of its first search whose architecture is still one of the new space (model_carry, the
 * answer `nasc --diff` counts) is stored in the new experiment's first search as a done trial
 * under its new ID, its reason saying where it came from (CARRY_REASON). The carried trials
 * have a tell but no ask event, so the normal replay tells them to the controller and the
 * dedupe answers a later proposal of one from the store: none is ever trained again. They are
 * written only into a stage that holds no trial but carried ones, each ID once, so a resumed run
 * never carries twice and a run killed while carrying finishes the carry when resumed. */
#include "pipeline_int.h"
#include <stdlib.h>
#include <string.h>

bool carry_is_carried(const StoreTrial *t)
{
    return t->state == TRIAL_DONE && t->reason && !strncmp(t->reason, CARRY_REASON, strlen(CARRY_REASON));
}

/* Stores the old experiment's carried trials into stage `stage` of R's; *carried, *finished:
 * how many were carried of how many finished ones; `before` carried ones are there already
 * (the first ones in the old store's order, skipped as seen). An exit code. */
static int carry_trials(Run *R, int stage, Run *Old, const char *where, int before, int *carried, int *finished)
{
    StoreError err;
    StoreTrialList l = {0};
    int old_stage = Old->first_search->number, rc = 0;
    if (store_trials(Old->store, Old->experiment, old_stage, &l, &err)) {
        fprintf(stderr, "nasrun: --carry-over: %s\n", err.msg);
        return 2;
    }
    int no = space_count(Old->space), nn = space_count(R->space);
    int32_t *old = malloc(sizeof *old * (size_t)(no + 1)), *neu = malloc(sizeof *neu * (size_t)(nn + 1));
    if (!old || !neu) rc = 2;
    for (int i = 0; !rc && i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        SpaceError se;
        if (t->state != TRIAL_DONE) continue;
        (*finished)++;
        if (run_arch_decode(Old, old_stage, t->arch_id, old, &se) != SPACE_OK) continue;
        if (model_carry(Old->ms, old, R->ms, neu) != MODEL_CARRY_SAME) continue;
        char id[512], reason[1024];
        bool seen = false;
        StoreTrial dup;
        if (space_arch_to_id(R->space, neu, id, sizeof id, &se) != SPACE_OK) continue;
        if (store_find_done(R->store, R->experiment, stage, id, &dup, &seen, &err)) {
            fprintf(stderr, "nasrun: --carry-over: %s\n", err.msg);
            rc = 2;
            break;
        }
        if (seen) { /* two old architectures of the same network: the first one's result stands */
            store_trial_free(&dup);
            continue;
        }
        snprintf(reason, sizeof reason, "%s experiment %lld of %s, as %s", CARRY_REASON, (long long)Old->experiment,
                 where, t->arch_id);
        char *dec = run_decisions_json(R, neu);
        StoreStart st = {.stage = stage,
                         .seq = before + *carried,
                         .ask_event = -1, /* never asked: the replay only tells it */
                         .arch_id = id,
                         .decisions = dec ? dec : "{}",
                         .worker = R->worker};
        StoreAttempt a;
        if (!dec || store_trial_start(R->store, R->experiment, &st, &a, &err) ||
            store_trial_finish(R->store, &a, TRIAL_DONE, t->reward, t->metrics, t->curve, reason, before + *carried, &err)) {
            fprintf(stderr, "nasrun: --carry-over: %s\n", dec ? err.msg : "out of memory");
            rc = 2;
        } else (*carried)++;
        free(dec);
    }
    free(old);
    free(neu);
    store_trials_free(&l);
    return rc;
}

int carry_over(Run *R)
{
    const RunOptions *o = R->o;
    int stage = R->first_search->number;
    StoreError err;
    StoreTrialList now = {0};
    if (store_trials(R->store, R->experiment, stage, &now, &err)) {
        fprintf(stderr, "nasrun: --carry-over: %s\n", err.msg);
        return 2;
    }
    int had = now.count, before = 0;
    for (int i = 0; i < now.count; i++) before += carry_is_carried(&now.items[i]);
    store_trials_free(&now);
    if (had > before) {
        if (!o->quiet)
            fprintf(stderr,
                    "nasrun: --carry-over: stage %d of experiment %lld already holds %d trials (%d carried over): "
                    "nothing is carried again\n",
                    stage, (long long)R->experiment, had, before);
        return 0;
    }
    /* The old experiment, read only: one of OLD.nas's exact source (its text maps the IDs), in
     * this run's store (a file edited in place keeps its store), else, without --store or
     * $NAS_STORE, in OLD.nasdb beside OLD.nas (the old file and its store side by side). */
    RunOptions oo = {.action = RUN_STATUS,
                     .path = o->carry_over,
                     .stdlib = o->stdlib,
                     .colour = o->colour,
                     .quiet = true,
                     .exact = true};
    char *where = experiment_store_where(o), *beside = experiment_store_where(&oo);
    Run Old;
    int rc = 2;
    for (int pass = 0; pass < 2 && rc == 2; pass++) {
        const char *at = pass ? beside : where;
        if (pass && (!beside || !where || !strcmp(beside, where))) break;
        oo.store_path = at;
        if (pass) run_close(&Old);
        rc = run_open(&Old, &oo, true);
        if (!rc && pass) {
            free(where);
            where = beside;
            beside = NULL;
        }
    }
    bool two = beside && where && strcmp(beside, where);
    if (rc == 2 && Old.ms)
        fprintf(stderr,
                "nasrun: --carry-over: no experiment of %s (its source as it is now) in %s%s%s: carrying needs the old "
                "file as it was when its search ran\n",
                o->carry_over, where ? where : "the store", two ? " or " : "", two ? beside : "");
    if (!rc && (!Old.ms || !Old.first_search)) {
        fprintf(stderr, "nasrun: --carry-over: %s has no search whose results could be carried\n", o->carry_over);
        rc = 1;
    }
    free(beside);
    int carried = 0, finished = 0;
    if (!rc) rc = where ? carry_trials(R, stage, &Old, where, before, &carried, &finished) : 2;
    if (!rc && !o->quiet)
        fprintf(stderr,
                "nasrun: carried over %d of the %d finished trials of %s (experiment %lld of %s): architectures "
                "of this space with the same network (nasc --diff); they are not trained again\n",
                carried, finished, o->carry_over, (long long)Old.experiment, where);
    free(where);
    run_close(&Old);
    return rc;
}
