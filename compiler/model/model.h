/* model.h — from a checked program to the search space and to the graph of one architecture.
 * The model's body is interpreted (eval*.c) in two modes:
 *   lower:       every branch is explored once; each decision met becomes a slot of the
 *                Space table (space.h) with its activation condition;
 *   instantiate: the decisions of one architecture are fixed; the taken branches are run
 *                and every layer call becomes Graph IR ops (graph.h).
 * Both walk the same code, so a slot's meaning cannot drift between the two.
 * This header (with space.h and graph.h) is what nasc's later phases and nasrun use.
 *
 * Ownership: a ModelSpace lives in the Arena given to model_lower (with its Space, freed by
 * model_space_free). Graphs live in the Arena given to model_instantiate. */
#ifndef NAS_MODEL_H
#define NAS_MODEL_H
#include <stdint.h>
#include "program.h"
#include "config.h"
#include "space.h"
#include "graph.h"

typedef struct ModelSpace ModelSpace;

/* Lowers the model named `model` (NULL: the program's only model, an error if there are
 * several) to its decision table. Decisions in the training settings of searches and trains
 * (config.h NasDecided: `optimizer adam(lr = choice lr 1e-4 .. 1e-2 log)`) are slots of the
 * same table, shared and unconditional like those of top-level lets. Problems (a decision under
 * an `or` of two decisions, a range bound that depends on a decision, ...) are diagnostics in p->diag; NULL then. */
ModelSpace *model_lower(Program *p, const char *model, Arena *a);
void model_space_free(ModelSpace *ms);
const Space *model_space(const ModelSpace *ms);
/* How the space's random architectures are drawn (space_set_sampling). */
SpaceStatus model_set_sampling(ModelSpace *ms, SpaceSampling how);
const Node *model_node(const ModelSpace *ms); /* the model declaration */
Program *model_program(const ModelSpace *ms);

/* A tune's space (`tune t { optimizer sgd(lr = choice lr 1e-3 .. 1 log) }`): the decisions of
 * its training settings t, lowered as model_lower lowers those of a search but into a table of
 * their own, so they never mix with the architecture's. model_training(tune space, its vector,
 * t, ...) gives a trial's settings. NULL on a lowering error (diagnostics in the program's). */
ModelSpace *model_lower_tune(const ModelSpace *ms, const NasTraining *t, Arena *a);

/* Why an architecture has no graph: the message, and where in the source it went wrong. */
typedef struct ModelError {
    char msg[320];
    Loc loc; /* file == -1 when not tied to a place */
} ModelError;

/* The graph of one architecture (validated against the space first), with the training
 * loss attached (labels + softmax cross-entropy on the model's result) and shapes inferred.
 * NULL + err on an invalid architecture or a shape error. The model's declared result type
 * (e.g. tensor[10]) is checked against the logits' shape. */
Graph *model_instantiate(const ModelSpace *ms, const int32_t *arch, Arena *a, ModelError *err);

/* How a proxy design's candidate changes the graph an architecture builds (NasProxy). */
typedef struct ModelScale {
    const int64_t *input; /* a resolution: [C, r, w] for a declared [C, H, W] (config_proxy_input);
                             NULL: the declared */
    double width;         /* a width multiplier in (0, 1) of the filters (model_scaled_filters);
                             0 or 1: the full width */
} ModelScale;
/* Whether s (NULL: none) builds another graph than the declared model's. */
bool model_scale_changes(const ModelScale *s);
/* The filters a `conv2d` or `pointwise` of `filters` has at width multiplier `width`:
 * max(1, round(filters * width)); filters itself at the full width. The one rule, for the
 * graphs trained and the check that proves they build (eval_layers.c). */
int model_scaled_filters(int filters, double width);
/* The same as model_instantiate for a proxy's candidate (scale NULL: the declared model). */
Graph *model_instantiate_at(const ModelSpace *ms, const int32_t *arch, const ModelScale *scale, Arena *a,
                            ModelError *err);

/* The training settings of one architecture: *out = *t with each decided field set to the
 * architecture's value. 0, or -1 with err (a value out of range, e.g. a batch of 0). */
int model_training(const ModelSpace *ms, const int32_t *arch, const NasTraining *t, NasTraining *out, Arena *a,
                   ModelError *err);

/* Whether architecture `old` of old_space is still one of new_space (carry.c): NONE (a decision
 * the new space asks is missing or lost the old value), OTHER_GRAPH (the same values build
 * another network there), or SAME (the same network; *out, space_count(new) entries, is its
 * vector in the new space). `nasc --diff` and `nasrun --carry-over` both ask this. */
typedef enum ModelCarry { MODEL_CARRY_NONE, MODEL_CARRY_OTHER_GRAPH, MODEL_CARRY_SAME } ModelCarry;
ModelCarry model_carry(const ModelSpace *old_space, const int32_t *old, const ModelSpace *new_space, int32_t *out);
#endif
