/* config_test.c — config_build on real programs: every setting lands in the typed view,
 * defaults are filled in, and stop rules, splits, rewards and proxies come out structured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "config.h"
#include "controller.h"
#include "sema.h"

static int failures;
#define CHECK(c)                                                                  \
    do {                                                                          \
        if (!(c)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            failures++;                                                           \
        }                                                                         \
    } while (0)
#define NEAR(a, b) CHECK(fabs((double)(a) - (double)(b)) < 1e-9)

/* Loads and checks src; NULL when sema finds errors. */
static NasConfig *build(Arena *a, Diag *d, const char *src)
{
    arena_init(a);
    diag_init(d, a);
    Program *p = program_load_string(a, d, "config_test.nas", src, NAS_STDLIB_DIR);
    if (!p || d->errors || !sema_check(p)) {
        diag_print(d, stderr, DIAG_TEXT, false);
        return NULL;
    }
    return config_build(p);
}

static const char *full = "use std.layers\n"
                          "dataset fashion {\n"
                          "    format  idx\n"
                          "    path    \"/usr/share/datasets/fashion-mnist\"\n"
                          "    input   [1, 28, 28]\n"
                          "    classes 10\n"
                          "    normalize mean(0.2860), std(0.3530)\n"
                          "}\n"
                          "let base = 100\n"
                          "controller { algorithm evolution(population = 32, sample = 8)\n seed 7 }\n"
                          "search stage1 {\n"
                          "    data       fashion.train split 90% / 10%\n"
                          "    epochs     2\n"
                          "    batch      256\n"
                          "    optimizer  sgd(lr = 0.1, momentum = 0.9, nesterov = true)\n"
                          "    schedule   cosine(warmup = base)\n"
                          "    trials     400\n"
                          "    parallel   2\n"
                          "    stop when  converged(window = 50) or failed > 20%\n"
                          "    time_limit 2h\n"
                          "}\n"
                          "train stage2 {\n"
                          "    from     stage1 top 10\n"
                          "    data     fashion.train / fashion.test\n"
                          "    epochs   30\n"
                          "    optimizer adamw(lr = 0.002)\n"
                          "}\n"
                          "reward {\n"
                          "    maximize accuracy\n"
                          "    minimize latency ref 5ms\n"
                          "    subject to latency <= 2ms soft(weight = -0.1)\n"
                          "    subject to params <= 1M hard\n"
                          "    report params, flops, memory\n"
                          "}\n"
                          "trainer custom {\n"
                          "    exec \"python3 train.py\"\n"
                          "    timeout 30min\n"
                          "}\n"
                          "model net(x: tensor[1, 28, 28]) -> tensor[10] {\n"
                          "    return x |> flatten |> dense(10)\n"
                          "}\n";

static void test_full(void)
{
    Arena a;
    Diag d;
    NasConfig *c = build(&a, &d, full);
    CHECK(c != NULL);
    if (!c) {
        diag_free(&d);
        arena_free(&a);
        return;
    }
    CHECK(c->ndatasets == 1);
    const NasDataset *ds = config_dataset(c, "fashion");
    CHECK(ds && ds->format == NAS_FORMAT_IDX);
    CHECK(ds && strcmp(ds->path, "/usr/share/datasets/fashion-mnist") == 0);
    CHECK(ds && ds->ninput == 3 && ds->input[0] == 1 && ds->input[1] == 28 && ds->input[2] == 28);
    CHECK(ds && ds->classes == 10 && ds->has_mean && ds->has_std);
    if (ds) {
        NEAR(ds->mean, 0.2860);
        NEAR(ds->std, 0.3530);
    }

    CHECK(c->controller.algorithm == NAS_ALGO_EVOLUTION);
    CHECK(c->controller.population == 32 && c->controller.sample == 8 && c->controller.seed == 7);

    const NasSearch *s = config_search(c, "stage1");
    CHECK(s && s->data.dataset == ds && !s->data.test);
    if (s) {
        NEAR(s->train_fraction, 0.9);
        NEAR(s->valid_fraction, 0.1);
        CHECK(s->training.epochs == 2 && s->training.batch == 256 && s->training.parallel == 2);
        CHECK(s->training.optimizer.kind == NAS_OPT_SGD && s->training.optimizer.nesterov);
        NEAR(s->training.optimizer.lr, 0.1);
        NEAR(s->training.optimizer.momentum, 0.9);
        CHECK(s->training.schedule.kind == NAS_SCHED_COSINE && s->training.schedule.warmup == 100);
        CHECK(s->trials == 400 && s->max_failed == 133); /* default: a third */
        NEAR(s->time_limit, 7200);
        const NasStop *st = s->stop;
        CHECK(st && st->kind == NAS_STOP_OR);
        if (st && st->kind == NAS_STOP_OR) {
            CHECK(st->a->kind == NAS_STOP_CONVERGED && st->a->window == 50);
            CHECK(st->b->kind == NAS_STOP_COMPARE && st->b->var == NAS_STOP_FAILED && st->b->cmp == NAS_CMP_GT);
            NEAR(st->b->limit, 0.2);
        }
    }
    CHECK(c->ntrains == 1);
    const NasTrain *t = &c->trains[0];
    CHECK(t->from == s && t->top == 10 && t->training.epochs == 30 && t->training.batch == 64);
    CHECK(t->data.dataset == ds && !t->data.test && t->has_validate && t->validate.test);
    CHECK(t->training.optimizer.kind == NAS_OPT_ADAMW);
    NEAR(t->training.optimizer.lr, 0.002);
    NEAR(t->training.optimizer.weight_decay, 0.01);

    const NasReward *r = c->reward;
    CHECK(r && r->nobjectives == 2 && r->nconstraints == 2 && r->nreport == 3);
    if (r && r->nobjectives == 2 && r->nconstraints == 2) {
        CHECK(r->objectives[0].maximize && r->objectives[0].metric.metric == NAS_METRIC_ACCURACY);
        CHECK(!r->objectives[1].maximize && r->objectives[1].has_ref);
        NEAR(r->objectives[1].ref, 0.005);
        CHECK(r->constraints[0].soft && r->constraints[0].cmp == NAS_CMP_LE);
        NEAR(r->constraints[0].target, 0.002);
        NEAR(r->constraints[0].weight, -0.1);
        CHECK(r->constraints[1].hard && r->constraints[1].metric.metric == NAS_METRIC_PARAMS);
        NEAR(r->constraints[1].target, 1e6);
        CHECK(r->report[2].metric == NAS_METRIC_MEMORY);
    }
    CHECK(c->trainer && strcmp(c->trainer->exec, "python3 train.py") == 0);
    if (c->trainer) NEAR(c->trainer->timeout, 1800);
    diag_free(&d);
    arena_free(&a);
}

static void test_defaults(void)
{
    Arena a;
    Diag d;
    NasConfig *c = build(
        &a, &d,
        "dataset d {\n format synthetic(n = 50)\n input [4]\n classes 2\n}\n"
        "search s {\n data d.train split 80% / 20%\n trials 30\n stop when trials >= 10 and not (elapsed > 1h)\n}\n");
    CHECK(c != NULL);
    if (!c) {
        diag_free(&d);
        arena_free(&a);
        return;
    }
    CHECK(c->controller.algorithm == NAS_ALGO_RANDOM && c->controller.seed == 0);
    CHECK(c->datasets[0].format == NAS_FORMAT_SYNTHETIC && c->datasets[0].synthetic_n == 50 &&
          c->datasets[0].synthetic_seed == 1 && c->datasets[0].path == NULL);
    const NasSearch *s = &c->searches[0];
    CHECK(s->training.epochs == 1 && s->training.batch == 64 && s->max_failed == 10);
    CHECK(s->training.optimizer.kind == NAS_OPT_SGD && s->training.schedule.kind == NAS_SCHED_CONSTANT);
    NEAR(s->training.optimizer.lr, 0.1);
    CHECK(s->stop && s->stop->kind == NAS_STOP_AND);
    if (s->stop && s->stop->kind == NAS_STOP_AND) {
        CHECK(s->stop->a->var == NAS_STOP_TRIALS && s->stop->a->cmp == NAS_CMP_GE);
        NEAR(s->stop->a->limit, 10);
        CHECK(s->stop->b->kind == NAS_STOP_NOT && s->stop->b->a->var == NAS_STOP_ELAPSED);
        NEAR(s->stop->b->a->limit, 3600);
    }
    CHECK(c->reward == NULL && c->trainer == NULL && c->ntrains == 0);
    diag_free(&d);
    arena_free(&a);
}

/* Words on the right of a comparison, a bare `converged`, and a constant on the left. */
static void test_flipped(void)
{
    Arena a;
    Diag d;
    NasConfig *c =
        build(&a, &d,
              "dataset d {\n format synthetic\n input [4]\n classes 2\n}\n"
              "let limit = 10%\n"
              "search s {\n data d.train split 50% / 50%\n trials 9\n stop when converged or limit < failed\n}\n"
              "reward { maximize accuracy\n subject to 2ms >= latency }\n");
    CHECK(c != NULL);
    if (!c) {
        diag_free(&d);
        arena_free(&a);
        return;
    }
    const NasStop *st = c->searches[0].stop;
    CHECK(st && st->kind == NAS_STOP_OR);
    if (st && st->kind == NAS_STOP_OR) {
        CHECK(st->a->kind == NAS_STOP_CONVERGED && st->a->window == 100);
        CHECK(st->b->kind == NAS_STOP_COMPARE && st->b->var == NAS_STOP_FAILED && st->b->cmp == NAS_CMP_GT);
        NEAR(st->b->limit, 0.1);
    }
    CHECK(c->reward && c->reward->nconstraints == 1);
    if (c->reward && c->reward->nconstraints == 1) {
        const NasConstraint *k = &c->reward->constraints[0];
        CHECK(k->metric.metric == NAS_METRIC_LATENCY && k->cmp == NAS_CMP_LE && !k->soft && !k->hard);
        NEAR(k->target, 0.002);
    }
    CHECK(c->datasets[0].synthetic_n == 1000 && c->searches[0].max_failed == 3);
    diag_free(&d);
    arena_free(&a);
}

/* Decisions in training settings are recorded with their fields; the rest is complete. */
static void test_decided(void)
{
    Arena a;
    Diag d;
    NasConfig *c = build(&a, &d,
                         "dataset d {\n format synthetic\n input [4]\n classes 2\n}\n"
                         "let bs = choice [32, 64]\n"
                         "search s {\n data d.train split 50% / 50%\n trials 9\n batch bs\n"
                         " optimizer adam(lr = choice learning_rate 1e-4 .. 1e-2 log, beta1 = 0.8)\n}\n"
                         "train t {\n from s top 2\n data d.train\n}\n");
    CHECK(c != NULL);
    if (!c) {
        diag_free(&d);
        arena_free(&a);
        return;
    }
    NasTraining t = c->searches[0].training;
    CHECK(t.ndecided == 2);
    if (t.ndecided == 2) {
        CHECK(strcmp(t.decided[0].name, "batch") == 0 && t.decided[0].integer);
        CHECK(strcmp(t.decided[1].what, "lr of adam") == 0 && !t.decided[1].integer);
        config_set_decided(&t, &t.decided[0], 32);
        config_set_decided(&t, &t.decided[1], 0.005);
    }
    CHECK(t.batch == 32 && t.optimizer.kind == NAS_OPT_ADAM);
    NEAR(t.optimizer.lr, 0.005);
    NEAR(t.optimizer.beta1, 0.8);
    NEAR(t.optimizer.beta2, 0.999);
    NEAR(c->searches[0].training.optimizer.lr, 0.001); /* the config keeps the default */
    /* A train with no settings has the table's defaults, SGD's Adam fields included. */
    const NasTraining *t2 = &c->trains[0].training;
    CHECK(t2->epochs == 10 && t2->batch == 64 && t2->parallel == 1 && t2->ndecided == 0 && c->trains[0].top == 2);
    CHECK(t2->optimizer.kind == NAS_OPT_SGD);
    NEAR(t2->optimizer.lr, 0.1);
    NEAR(t2->optimizer.momentum, 0.9);
    NEAR(t2->optimizer.beta2, 0.999);
    NEAR(t2->optimizer.eps, 1e-8);
    diag_free(&d);
    arena_free(&a);
}

/* The settings table is where the controllers' defaults are written; the controller library's
 * own defaults (for programs that build a controller without a .nas file: tests, benchmarks)
 * must say the same. */
static void test_controller_defaults(void)
{
    static const char *const algos[] = {"evolution", "reinforce", "local", "tpe", "nsga2", "bo", "ppo"};
    for (int i = 0; i < 7; i++) {
        char src[256];
        snprintf(src, sizeof src, "controller { algorithm %s }\n", algos[i]);
        Arena a;
        Diag d;
        NasConfig *c = build(&a, &d, src);
        CHECK(c != NULL);
        if (c) {
            ControllerParams p = controller_defaults((ControllerKind)controller_kind_parse(algos[i]));
            const NasController *n = &c->controller;
            CHECK(n->population == p.population && n->sample == p.sample);
            if (!strcmp(algos[i], "reinforce") || !strcmp(algos[i], "ppo")) NEAR(n->lr, p.lr); /* their lr defaults differ */
            NEAR(n->baseline, p.baseline_decay);
            NEAR(n->entropy, p.entropy);
            CHECK(n->startup == p.startup && n->candidates == p.candidates && n->multivariate == p.multivariate);
            CHECK(n->nsga2_population == p.nsga2_population && n->multiobjective == p.multiobjective);
            NEAR(n->crossover, p.crossover);
            NEAR(n->clip, p.clip);
            CHECK(n->batch == p.batch && n->epochs == p.epochs);
        }
        diag_free(&d);
        arena_free(&a);
    }
}

int main(void)
{
    test_controller_defaults();
    test_decided();
    test_flipped();
    test_full();
    test_defaults();
    if (failures) {
        fprintf(stderr, "config_test: %d failures\n", failures);
        return 1;
    }
    printf("config_test: ok\n");
    return 0;
}
