/* controller.h — search algorithms behind one ask/tell interface.
 * A controller sees only the decision table (space.h) and the (architecture, reward) history,
 * never the AST or the graph. Given the same seed and the same sequence of ask/tell calls it
 * makes the same proposals: resuming a search = replaying the store's history in order.
 *
 * Ownership: controller_new copies what it needs from the Space but keeps a pointer to it;
 * the Space must outlive the controller. controller_free releases everything else. */
#ifndef NAS_CONTROLLER_H
#define NAS_CONTROLLER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "space.h"

typedef enum ControllerKind {
    CONTROLLER_RANDOM,    /* uniform per decision */
    CONTROLLER_GRID,      /* every architecture once, stable order; then exhausted */
    CONTROLLER_SOBOL,     /* quasi-random (Joe-Kuo), the Tuning Playbook's exploration choice */
    CONTROLLER_EVOLUTION, /* regularized evolution: tournament of `sample`, aging population */
    CONTROLLER_REINFORCE, /* policy gradient over per-decision softmax logits */
    CONTROLLER_LOCAL,     /* hill climbing over one-decision neighbours, random restarts */
    CONTROLLER_TPE,       /* tree-structured Parzen estimator (Bergstra et al. 2011) */
    CONTROLLER_NSGA2,     /* NSGA-II over several objectives (Deb et al. 2002) */
    CONTROLLER_BO,        /* Gaussian-process Bayesian optimisation, expected improvement */
    CONTROLLER_PPO,       /* proximal policy optimisation over REINFORCE's policy */
} ControllerKind;

enum { CONTROLLER_MAX_OBJECTIVES = 8 }; /* as many as a reward declaration holds */

/* The defaults live in controller_defaults (controller.c) and nowhere else: the pipeline
 * overlays only the settings a program gives. docs/controllers.md documents them. */
typedef struct ControllerParams {
    ControllerKind kind;
    uint64_t seed;
    int population;        /* evolution: population size */
    int sample;            /* evolution: tournament size */
    double lr;             /* reinforce, ppo: learning rate of the logits */
    double baseline_decay; /* reinforce: decay of the moving-average baseline and spread */
    double entropy;        /* reinforce, ppo: entropy bonus weight */
    double clip;           /* ppo: the ratio's clip, 1 +- clip */
    int batch;             /* ppo: results per update */
    int epochs;            /* ppo: passes over a batch */
    int grid_points;       /* grid: points taken on a continuous range */
    int startup;           /* tpe, bo: uniform proposals before the model; local: the first
                               climb starts at the best of this many uniform samples */
    int candidates;        /* tpe: draws from l per decision (multivariate: per
                               architecture), the best l/g kept */
    bool multivariate;     /* tpe: joint kernels over whole architectures (tpe_joint.c) */
    bool multiobjective;   /* tpe: good and bad results split by Pareto front (MOTPE); bo: the
                              objectives scalarised by a random weight vector each ask (ParEGO) */
    int nsga2_population;  /* nsga2: population size (and children per generation) */
    double crossover;      /* nsga2: probability that a child crosses two parents */
} ControllerParams;

/* Defaults for kind (and seed 0). */
ControllerParams controller_defaults(ControllerKind kind);
/* "random", "grid", ...; -1 when unknown. */
int controller_kind_parse(const char *name);
const char *controller_kind_name(ControllerKind kind);

typedef struct Controller Controller;

/* NULL on a bad parameter or a space the algorithm cannot serve (message in err). */
Controller *controller_new(const Space *space, const ControllerParams *p, char *err, size_t errsize);
void controller_free(Controller *c);

/* The next architecture to evaluate, written to arch (space_count slots).
 * Returns 0, or 1 when the controller has nothing left to propose (grid exhausted). */
int controller_ask(Controller *c, int32_t *arch);
/* The result of an earlier proposal. ok = false for a failed trial (no reward): it informs
 * no learning, but still counts as history. Tells may come in any order relative to asks
 * (parallel trials); the order of calls is the history that determinism is defined over. */
void controller_tell(Controller *c, const int32_t *arch, double reward, bool ok);
/* The same with the trial's objectives, nobj of them, each oriented so that larger is better
 * (reward_oriented): what a multi-objective controller (nsga2, tpe and bo with multiobjective) learns from; the others learn
 * from reward alone, as controller_tell. */
void controller_tell_objectives(Controller *c, const int32_t *arch, double reward, const double *obj, int nobj,
                                bool ok);
#endif
