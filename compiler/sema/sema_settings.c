/* sema_settings.c — the settings table (settings.h): every setting of every declaration with
 * its kind, range, default, config field and documentation, and the docs generated from it
 * (docs/settings.md, `nasc --settings-doc`). */
#include <string.h>
#include "config.h"
#include "settings.h"
#include "sema_int.h"
#include "sema_query.h"

// clang-format off: the tables below are laid out by hand, a row a setting
#define COUNT(arr) (int)(sizeof arr / sizeof arr[0])
#define OPT(name, value, arr)        \
    {                                \
        name, value, arr, COUNT(arr) \
    }
#define OPT0(name, value)    \
    {                        \
        name, value, NULL, 0 \
    }
#define OPTS(o) o, COUNT(o)
/* An option parameter stored in struct T's field f. */
#define PI(name, T, f, dflt)                                         \
    {                                                                \
        name, &sema_ty_int, true, dflt, F_INT, offsetof(T, f), false \
    }
#define PF(name, T, f, dflt)                                             \
    {                                                                    \
        name, &sema_ty_float, true, dflt, F_FLOAT, offsetof(T, f), false \
    }
#define PB(name, T, f)                                              \
    {                                                               \
        name, &sema_ty_bool, true, 0, F_BOOL, offsetof(T, f), false \
    }
#define PF_POS(name, T, f, dflt)                                        \
    {                                                                   \
        name, &sema_ty_float, true, dflt, F_FLOAT, offsetof(T, f), true \
    }

static const OptParam p_synthetic[] = {PI("n", NasDataset, synthetic_n, 1000),
                                       PI("seed", NasDataset, synthetic_seed, 1)};
static const Option o_format[] = {OPT0("idx", NAS_FORMAT_IDX), OPT0("csv", NAS_FORMAT_CSV),
                                  OPT("synthetic", NAS_FORMAT_SYNTHETIC, p_synthetic)};
/* normalize's options set a flag and a number: config.c builds them. */
static const OptParam p_value[] = {{"value", &sema_ty_float, false, 0, F_NONE, 0, false}};
static const Option o_normalize[] = {OPT("mean", 0, p_value), OPT("std", 1, p_value)};
static const OptParam p_evolution[] = {PI("population", NasController, population, 64),
                                       PI("sample", NasController, sample, 16)};
/* The controllers' defaults (docs/controllers.md says how they were chosen); config_test checks
 * that runtime/controller's controller_defaults agrees. */
static const OptParam p_reinforce[] = {PF("lr", NasController, lr, 0.2), PF("baseline", NasController, baseline, 0.9),
                                       PF("entropy", NasController, entropy, 0.01)};
static const OptParam p_local[] = {PI("startup", NasController, startup, 10)};
static const OptParam p_tpe[] = {
    PI("startup", NasController, startup, 10), PI("candidates", NasController, candidates, 24),
    PB("multivariate", NasController, multivariate), PB("multiobjective", NasController, multiobjective)};
static const OptParam p_nsga2[] = {PI("population", NasController, nsga2_population, 20),
                                   PF("crossover", NasController, crossover, 0.9)};
static const OptParam p_bo[] = {PI("startup", NasController, startup, 10),
                                PB("multiobjective", NasController, multiobjective)};
static const OptParam p_ppo[] = {PF("lr", NasController, lr, 0.5), PF("clip", NasController, clip, 0.3),
                                 PI("batch", NasController, batch, 8), PI("epochs", NasController, epochs, 4),
                                 PF("entropy", NasController, entropy, 0.01)};
static const Option o_algorithm[] = {OPT0("random", NAS_ALGO_RANDOM),
                                     OPT0("grid", NAS_ALGO_GRID),
                                     OPT0("sobol", NAS_ALGO_SOBOL),
                                     OPT("evolution", NAS_ALGO_EVOLUTION, p_evolution),
                                     OPT("reinforce", NAS_ALGO_REINFORCE, p_reinforce),
                                     OPT("local", NAS_ALGO_LOCAL, p_local),
                                     OPT("tpe", NAS_ALGO_TPE, p_tpe),
                                     OPT("nsga2", NAS_ALGO_NSGA2, p_nsga2),
                                     OPT("bo", NAS_ALGO_BO, p_bo),
                                     OPT("ppo", NAS_ALGO_PPO, p_ppo)};
static const Option o_sampling[] = {OPT0("decisions", NAS_SAMPLE_DECISIONS), OPT0("uniform", NAS_SAMPLE_UNIFORM)};
/* Early stopping (docs/controllers.md): Optuna's MedianPruner and SuccessiveHalvingPruner defaults. */
static const OptParam p_median[] = {PI("startup", NasPrune, startup, 5), PI("warmup", NasPrune, warmup, 0)};
static const OptParam p_asha[] = {PI("min", NasPrune, min, 1), PI("max", NasPrune, max, 0),
                                  PI("reduction", NasPrune, reduction, 3)};
static const Option o_prune[] = {OPT0("none", NAS_PRUNE_NONE), OPT("median", NAS_PRUNE_MEDIAN, p_median),
                                 OPT("asha", NAS_PRUNE_ASHA, p_asha)};
static const OptParam p_sgd[] = {{"lr", &sema_ty_float, false, 0, F_FLOAT, offsetof(NasOptimizer, lr), true},
                                 PF("momentum", NasOptimizer, momentum, 0),
                                 {"nesterov", &sema_ty_bool, true, 0, F_BOOL, offsetof(NasOptimizer, nesterov), false},
                                 PF("weight_decay", NasOptimizer, weight_decay, 0)};
static const OptParam p_adam[] = {PF_POS("lr", NasOptimizer, lr, 0.001), PF("beta1", NasOptimizer, beta1, 0.9),
                                  PF("beta2", NasOptimizer, beta2, 0.999), PF_POS("eps", NasOptimizer, eps, 1e-8),
                                  PF("weight_decay", NasOptimizer, weight_decay, 0)};
static const OptParam p_adamw[] = {PF_POS("lr", NasOptimizer, lr, 0.001), PF("beta1", NasOptimizer, beta1, 0.9),
                                   PF("beta2", NasOptimizer, beta2, 0.999), PF_POS("eps", NasOptimizer, eps, 1e-8),
                                   PF("weight_decay", NasOptimizer, weight_decay, 0.01)};
static const Option o_optimizer[] = {OPT("sgd", NAS_OPT_SGD, p_sgd), OPT("adam", NAS_OPT_ADAM, p_adam),
                                     OPT("adamw", NAS_OPT_ADAMW, p_adamw)};
/* No optimizer setting: SGD with momentum. */
static const OptParam p_sgd_default[] = {PF_POS("lr", NasOptimizer, lr, 0.1),
                                         PF("momentum", NasOptimizer, momentum, 0.9)};
static const Option o_optimizer_default = OPT("sgd", NAS_OPT_SGD, p_sgd_default);
static const OptParam p_warmup[] = {{"warmup", &sema_ty_int, false, 0, F_INT, offsetof(NasSchedule, warmup), false}};
static const OptParam p_cosine[] = {PI("warmup", NasSchedule, warmup, 0), PF("min_lr", NasSchedule, min_lr, 0)};
static const OptParam p_decay[] = {PI("warmup", NasSchedule, warmup, 0), PF("final", NasSchedule, final, 0)};
static const Option o_schedule[] = {
    OPT0("constant", NAS_SCHED_CONSTANT), OPT("linear_warmup", NAS_SCHED_LINEAR_WARMUP, p_warmup),
    OPT("cosine", NAS_SCHED_COSINE, p_cosine), OPT("linear_decay", NAS_SCHED_LINEAR_DECAY, p_decay)};
/* augment's options set fields of NasAugment: config.c builds them (several in one setting). */
static const OptParam p_crop[] = {{"padding", &sema_ty_int, true, 4, F_NONE, 0, true}};
static const OptParam p_flip[] = {{"p", &sema_ty_float, true, 0.5, F_NONE, 0, true}};
static const OptParam p_cutout[] = {{"size", &sema_ty_int, true, 8, F_NONE, 0, true},
                                    {"p", &sema_ty_float, true, 1, F_NONE, 0, true}};
static const Option o_augment[] = {OPT("crop", 0, p_crop), OPT("flip", 1, p_flip), OPT("cutout", 2, p_cutout)};
static const Option o_precision[] = {OPT0("fp32", NAS_PREC_FP32), OPT0("bf16", NAS_PREC_BF16),
                                     OPT0("fp16", NAS_PREC_FP16)};

/* Options outside settings: `stop when converged(window = 100)`, `subject to ... soft(weight = -0.07)`
 * (config.c builds their structs). */
static const OptParam p_converged[] = {{"window", &sema_ty_int, true, 100, F_NONE, 0, false}};
static const OptParam p_soft[] = {{"weight", &sema_ty_float, true, -0.07, F_NONE, 0, false}};
const Option settings_converged = OPT("converged", 0, p_converged);
const Option settings_soft = OPT("soft", 0, p_soft);

/* Field f of struct T, of type ft. */
#define AT(ft, T, f) ft, offsetof(T, f)
#define NONE         F_NONE, 0

static const SettingSpec s_dataset[] = {
    {"format", SK_OPTION, true, false, 0, OPTS(o_format), AT(F_ENUM, NasDataset, format), 0, NAS_FORMAT_IDX, NULL,
     false, "", NULL},
    {"path", SK_STRING, false, false, 0, NULL, 0, AT(F_STRING, NasDataset, path), 0, 0, NULL, false,
     ": a directory (IDX: `train-images-idx3-ubyte[.gz]`, `t10k-...`; CSV: `train.csv`, `test.csv`), relative to the "
     "declaring file's directory",
     "(required unless `synthetic`)"},
    {"input", SK_INT_LIST, true, false, 1, NULL, 0, NONE, 0, 0, NULL, false, ": one example's shape (no batch)", NULL},
    {"classes", SK_INT, true, false, 1, NULL, 0, AT(F_INT, NasDataset, classes), 0, 0, NULL, false, "", NULL},
    {"normalize", SK_OPTION, false, true, 0, OPTS(o_normalize), NONE, 0, 0, NULL, false,
     ": the same for every channel, x' = (x - mean) / std", "mean 0, std 1"},
};
static const SettingSpec s_controller[] = {
    {"algorithm", SK_OPTION, true, false, 0, OPTS(o_algorithm), AT(F_ENUM, NasController, algorithm), 0,
     NAS_ALGO_RANDOM, NULL, false, "", "(no controller: `random`)"},
    {"seed", SK_INT, false, false, 0, NULL, 0, AT(F_INT, NasController, seed), 0, 0, NULL, false, "", NULL},
    {"sampling", SK_OPTION, false, false, 0, OPTS(o_sampling), AT(F_ENUM, NasController, sampling), 0,
     NAS_SAMPLE_DECISIONS, NULL, false,
     ": how random architectures are drawn: `decisions` each decision uniform on its own (a branch of a "
     "conditional decision gets its share however many architectures it holds), `uniform` every architecture "
     "equally likely",
     NULL},
};

/* The settings of a NasTraining inside struct T (a search or a train); epochs default e. */
#define TRAINING(T, e)                                                                                          \
    {"epochs", SK_INT, false, false, 1, NULL, 0, AT(F_INT, T, training.epochs), 0, e, NULL, true, "", NULL},    \
        {"batch", SK_INT, false, false, 1, NULL, 0, AT(F_INT, T, training.batch), 0, 64, NULL, true, "", NULL}, \
        {"optimizer",                                                                                           \
         SK_OPTION,                                                                                             \
         false,                                                                                                 \
         false,                                                                                                 \
         0,                                                                                                     \
         OPTS(o_optimizer),                                                                                     \
         AT(F_ENUM, T, training.optimizer.kind),                                                                \
         offsetof(T, training.optimizer),                                                                       \
         NAS_OPT_SGD,                                                                                           \
         &o_optimizer_default,                                                                                  \
         true,                                                                                                  \
         "",                                                                                                    \
         NULL},                                                                                                 \
        {"schedule",                                                                                            \
         SK_OPTION,                                                                                             \
         false,                                                                                                 \
         false,                                                                                                 \
         0,                                                                                                     \
         OPTS(o_schedule),                                                                                      \
         AT(F_ENUM, T, training.schedule.kind),                                                                 \
         offsetof(T, training.schedule),                                                                        \
         NAS_SCHED_CONSTANT,                                                                                    \
         NULL,                                                                                                  \
         true,                                                                                                  \
         "",                                                                                                    \
         NULL},                                                                                                 \
        {"clip_norm",                                                                                           \
         SK_FLOAT,                                                                                              \
         false,                                                                                                 \
         false,                                                                                                 \
         1,                                                                                                     \
         NULL,                                                                                                  \
         0,                                                                                                     \
         AT(F_FLOAT, T, training.clip_norm),                                                                    \
         0,                                                                                                     \
         0,                                                                                                     \
         NULL,                                                                                                  \
         true,                                                                                                  \
         ": the gradients' global norm is clipped to it",                                                       \
         "none"},                                                                                               \
        {"precision",                                                                                           \
         SK_OPTION,                                                                                             \
         false,                                                                                                 \
         false,                                                                                                 \
         0,                                                                                                     \
         OPTS(o_precision),                                                                                     \
         AT(F_ENUM, T, training.precision),                                                                     \
         0,                                                                                                     \
         NAS_PREC_FP32,                                                                                         \
         NULL,                                                                                                  \
         false,                                                                                                 \
         ": what convolutions and matmuls compute in; weights, optimizer and fused kernels "                    \
         "stay fp32 (bf16: a CPU with AVX-512 or CUDA; fp16: CUDA only; `nasrun --precision` overrides it)",    \
         NULL},                                                                                                 \
        {"augment",                                                                                             \
         SK_OPTION,                                                                                             \
         false,                                                                                                 \
         true,                                                                                                  \
         0,                                                                                                     \
         OPTS(o_augment),                                                                                       \
         NONE,                                                                                                  \
         0,                                                                                                     \
         0,                                                                                                     \
         NULL,                                                                                                  \
         false,                                                                                                 \
         ": the built-in trainer's augmentation of training batches, seeded by `seed` and the step: random "    \
         "crop of the image padded with zeros, left-right flip with probability p, cutout (a zeroed square at " \
         "a random centre) with probability p; in that order",                                                  \
         "none"},                                                                                               \
        {"label_smoothing",                                                                                     \
         SK_FRACTION,                                                                                           \
         false,                                                                                                 \
         false,                                                                                                 \
         0,                                                                                                     \
         NULL,                                                                                                  \
         0,                                                                                                     \
         AT(F_FLOAT, T, training.label_smoothing),                                                              \
         0,                                                                                                     \
         0,                                                                                                     \
         NULL,                                                                                                  \
         false,                                                                                                 \
         ": eps of the built-in trainer's training loss, cross-entropy against (1 - eps) x the one-hot "        \
         "label + eps / classes (validation's loss stays the plain cross-entropy)",                             \
         NULL},                                                                                                 \
        {"parallel",                                                                                            \
         SK_INT,                                                                                                \
         false,                                                                                                 \
         false,                                                                                                 \
         1,                                                                                                     \
         NULL,                                                                                                  \
         0,                                                                                                     \
         AT(F_INT, T, training.parallel),                                                                       \
         0,                                                                                                     \
         1,                                                                                                     \
         NULL,                                                                                                  \
         false,                                                                                                 \
         ": trials run at once",                                                                                \
         NULL},                                                                                                 \
    {                                                                                                           \
        "seed", SK_INT, false, false, 0, NULL, 0, AT(F_INT, T, training.seed), 0, 0, NULL, false,               \
            ": weights, data order and the split", NULL                                                         \
    }

static const SettingSpec s_search[] = {
    {"data", SK_SPLIT, true, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     "`d.train split a / b`: a and b percents > 0 summing to 100% (NAS0606)", NULL},
    TRAINING(NasSearch, 1),
    {"trials", SK_INT, true, false, 1, NULL, 0, AT(F_INT, NasSearch, trials), 0, 1, NULL, false, "", NULL},
    {"max_failed", SK_INT, false, false, 0, NULL, 0, AT(F_INT, NasSearch, max_failed), 0, 0, NULL, false,
     ", at most `trials`", "trials / 3"},
    {"stop", SK_STOP, false, false, 0, NULL, 0, NONE, 0, 0, NULL, false, "`stop when` a condition, see below",
     "run all trials"},
    {"time_limit", SK_TIME, false, false, 1, NULL, 0, AT(F_FLOAT, NasSearch, time_limit), 0, 0, NULL, false, "",
     "none"},
    {"prune", SK_OPTION, false, false, 0, OPTS(o_prune), AT(F_ENUM, NasSearch, prune.kind), offsetof(NasSearch, prune),
     NAS_PRUNE_NONE, NULL, false,
     ": stop trials early from their per-epoch `accuracy` (median stopping rule; ASHA with rungs at min x "
     "reduction^k epochs below max, 0: the trial's epochs)",
     NULL},
};
static const SettingSpec s_train[] = {
    {"data", SK_DATA_PAIR, true, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     "`d.train` or `d.train / d.test` (train on / validate on)", NULL},
    TRAINING(NasTrain, 10),
};
static const SettingSpec s_tune[] = {
    {"data", SK_SPLIT, true, false, 0, NULL, 0, NONE, 0, 0, NULL, false, "`d.train split a / b`, as a search's", NULL},
    TRAINING(NasTune, 1),
    {"trials", SK_INT, true, false, 1, NULL, 0, AT(F_INT, NasTune, trials), 0, 1, NULL, false, ": per architecture",
     NULL},
    {"algorithm", SK_OPTION, false, false, 0, OPTS(o_algorithm), AT(F_ENUM, NasTune, controller.algorithm),
     offsetof(NasTune, controller), NAS_ALGO_SOBOL, NULL, false,
     ": what proposes the settings' values (seeded by the controller's seed)", NULL},
};
static const SettingSpec s_reward[] = {
    {"report", SK_METRICS, false, true, 0, NULL, 0, NONE, 0, 0, NULL, false, "metrics logged for every trial", "none"},
};
static const SettingSpec s_proxy[] = {
    {"reference", SK_INT, true, false, 1, NULL, 0, NONE, 0, 1, NULL, false,
     ": architectures trained fully (the first train's settings) and under each proxy", NULL},
    {"full_epochs", SK_INT, false, false, 1, NULL, 0, NONE, 0, 0, NULL, false,
     ": the references' full training trains this many epochs instead of the first train's (its other "
     "settings kept): a cheaper target to rank the proxies against when the full recipe is long",
     "the first train's"},
    {"epochs", SK_INT_LIST, true, false, 1, NULL, 0, NONE, 0, 0, NULL, false,
     ": the candidates' epochs (each with each `data`)", NULL},
    {"data", SK_PERCENT_LIST, false, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     " in (0%, 100%]: the candidates' share of the first search's training split", "`[100%]`"},
    {"resolution", SK_INT_LIST, false, false, 1, NULL, 0, NONE, 0, 0, NULL, false,
     ": the candidates' image height in pixels (each with each `epochs` and `data`; the width in proportion): "
     "the model is built for, and trains and validates on, the images resized to it. Image inputs [C, H, W] "
     "only, each at most H",
     "`[H]`, the input's"},
    {"width", SK_MULTIPLIER_LIST, false, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     ": the candidates' width multipliers (each with each `epochs`, `data` and `resolution`): the graph trained "
     "has max(1, round(filters x m)) filters in every `conv2d` and `pointwise` (depthwise layers and "
     "`squeeze_excite` follow their input's channels; `dense` units are not scaled, so the classifier keeps its "
     "classes)",
     "`[1]`, the full width"},
    {"keep", SK_KEEP, false, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     "`keep when` a condition over `correlation` (Kendall's tau), `kendall` and `spearman`: the cheapest "
     "candidate that meets it is chosen",
     "the best-correlated"},
};
static const SettingSpec s_trainer[] = {
    {"exec", SK_STRING, true, false, 0, NULL, 0, AT(F_STRING, NasTrainer, exec), 0, 0, NULL, false,
     ": the command run for each trial", NULL},
    {"timeout", SK_TIME, false, false, 1, NULL, 0, AT(F_FLOAT, NasTrainer, timeout), 0, 0, NULL, false, "", "none"},
    {"decisions", SK_LETS, false, false, 0, NULL, 0, NONE, 0, 0, NULL, false,
     ": decisions only the trainer reads, shared decisions of the space (in `NAS_DECISIONS`)", "none"},
};

const DeclSpec settings_decls[] = {
    {N_DATASET, "dataset", s_dataset, COUNT(s_dataset), NO_TRAINING},
    {N_CONTROLLER, "controller", s_controller, COUNT(s_controller), NO_TRAINING},
    {N_SEARCH, "search", s_search, COUNT(s_search), offsetof(NasSearch, training)},
    {N_TRAIN, "train", s_train, COUNT(s_train), offsetof(NasTrain, training)},
    {N_REWARD, "reward", s_reward, COUNT(s_reward), NO_TRAINING},
    {N_PROXY, "proxy", s_proxy, COUNT(s_proxy), NO_TRAINING},
    {N_TUNE, "tune", s_tune, COUNT(s_tune), offsetof(NasTune, training)},
    {N_TRAINER, "trainer", s_trainer, COUNT(s_trainer), NO_TRAINING},
};
const int settings_ndecls = COUNT(settings_decls);

// clang-format on

const DeclSpec *settings_decl(NodeKind kind)
{
    for (int i = 0; i < settings_ndecls; i++)
        if (settings_decls[i].kind == kind) return &settings_decls[i];
    return NULL;
}

const SettingSpec *settings_find(const DeclSpec *ds, const char *key)
{
    for (int i = 0; i < ds->n; i++)
        if (strcmp(ds->s[i].key, key) == 0) return &ds->s[i];
    return NULL;
}

/* ---- docs/settings.md ---- */

static void number(FILE *out, double v, const SemaType *type)
{
    if (type == &sema_ty_bool) fputs(v != 0 ? "true" : "false", out);
    else fprintf(out, "%g", v);
}

/* `adam(lr = 0.001, ...)`: the option with its parameters' defaults (or given values). */
static void option_text(FILE *out, const Option *o, const Option *given)
{
    fprintf(out, "`%s", o->name);
    const Option *vals = given ? given : o;
    for (int i = 0; i < vals->n; i++) {
        fprintf(out, "%s%s", i ? ", " : "(", vals->params[i].name);
        if (vals->params[i].has_default) {
            fputs(" = ", out);
            number(out, vals->params[i].dflt, vals->params[i].type);
        }
    }
    fprintf(out, "%s`", vals->n ? ")" : "");
}

static const char *type_text(const SemaType *t)
{
    return t == &sema_ty_int ? "int" : t == &sema_ty_bool ? "bool" : "number";
}

static void value_column(FILE *out, const SettingSpec *sp)
{
    switch (sp->kind) {
    case SK_INT: fprintf(out, "int >= %lld", (long long)sp->min); break;
    case SK_FLOAT: fputs(sp->min ? "number > 0" : "number", out); break;
    case SK_FRACTION: fputs("number in [0, 1)", out); break;
    case SK_TIME: fputs(sp->min ? "time > 0" : "time", out); break;
    case SK_STRING: fputs("string", out); break;
    case SK_INT_LIST: fprintf(out, "list of ints >= %lld", (long long)sp->min); break;
    case SK_PERCENT_LIST: fputs("list of percents", out); break;
    case SK_MULTIPLIER_LIST: fputs("list of numbers in (0, 1]", out); break;
    case SK_OPTION:
        if (sp->multi) fputs("*several*: ", out);
        for (int i = 0; i < sp->nopts; i++) {
            if (i) fputs(sp->multi ? ", " : " \\| ", out);
            option_text(out, &sp->opts[i], NULL);
        }
        break;
    case SK_METRICS: fputs("*several*: ", out); break;
    case SK_LETS: fputs("list of top-level lets holding decisions", out); break;
    default: break;
    }
    fputs(sp->doc, out);
}

static void default_column(FILE *out, const SettingSpec *sp)
{
    if (sp->dflt_doc) {
        fputs(sp->dflt_doc, out);
        return;
    }
    if (sp->required) return;
    if (sp->kind == SK_OPTION) {
        for (int i = 0; i < sp->nopts; i++)
            if (sp->opts[i].value == (int)sp->dflt) option_text(out, &sp->opts[i], sp->dflt_opt);
        return;
    }
    number(out, sp->dflt, &sema_ty_float);
}

static void settings_table(FILE *out, const DeclSpec *ds)
{
    fprintf(out, "<!-- settings: %s -->\n| setting | value | required | decision | default |\n|---|---|---|---|---|\n",
            ds->what);
    for (int i = 0; i < ds->n; i++) {
        const SettingSpec *sp = &ds->s[i];
        fprintf(out, "| `%s` | ", sp->key);
        value_column(out, sp);
        fprintf(out, " | %s | %s | ", sp->required ? "yes" : "no", sp->decidable ? "yes" : "");
        default_column(out, sp);
        fputs(" |\n", out);
    }
    fputs("<!-- end settings -->\n", out);
}

static void options_table(FILE *out, const char *name, const Option *opts, int n)
{
    fprintf(out, "<!-- settings: %s -->\n| option | parameters |\n|---|---|\n", name);
    for (int i = 0; i < n; i++) {
        fprintf(out, "| `%s` | ", opts[i].name);
        if (!opts[i].n) fputs("none", out);
        for (int j = 0; j < opts[i].n; j++) {
            const OptParam *p = &opts[i].params[j];
            fprintf(out, "%s`%s` (%s, ", j ? ", " : "", p->name, type_text(p->type));
            if (p->has_default) {
                fputs("default ", out);
                number(out, p->dflt, p->type);
            } else {
                fputs("required", out);
            }
            fputs(")", out);
        }
        fputs(" |\n", out);
    }
    fputs("<!-- end settings -->\n", out);
}

void sema_write_settings_doc(FILE *out)
{
    for (int i = 0; i < settings_ndecls; i++) settings_table(out, &settings_decls[i]);
    options_table(out, "optimizers", o_optimizer, COUNT(o_optimizer));
    options_table(out, "schedules", o_schedule, COUNT(o_schedule));
}

/* One row of the tables above, for a tool's hover (sema_query.h). */
bool sema_query_setting_doc(FILE *out, NodeKind decl, const char *key)
{
    const DeclSpec *ds = settings_decl(decl);
    const SettingSpec *sp = ds && key ? settings_find(ds, key) : NULL;
    if (!sp) return false;
    fprintf(out, "`%s` (%s): ", sp->key, ds->what);
    value_column(out, sp);
    fprintf(out, "\n\nrequired: %s", sp->required ? "yes" : "no");
    if (sp->decidable) fputs(" · a decision may set it", out);
    if (sp->dflt_doc || !sp->required) {
        fputs(" · default: ", out);
        default_column(out, sp);
    }
    fputc('\n', out);
    return true;
}
