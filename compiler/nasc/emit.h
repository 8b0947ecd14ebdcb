/* emit.h — what nasc prints about a lowered space: the summary, sampled architectures, a
 * decoded ID, the ID of given decisions, the graph of one architecture (text or Graphviz), the table as JSON. */
#ifndef NAS_EMIT_H
#define NAS_EMIT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "check.h"
#include "feasible.h"
#include "model.h"

void emit_space_summary(FILE *out, const ModelSpace *ms, const CheckOptions *co, const CheckResult *r);
/* The line on the reward's hard constraints on params / FLOPs: the exact feasible count, or
 * why it is not known (then draws are of the whole space, infeasible ones rejected at run time). */
void emit_feasible(FILE *out, const FeasBound *b, const FeasInfo *fi);
/* method: "random", "grid" or "sobol". Returns an exit status (2 on a bad method). */
int emit_samples(FILE *out, const ModelSpace *ms, int n, uint64_t seed, const char *method);
/* Returns 0, or 1 with a message on stderr for a malformed / foreign ID or a failing graph. */
int emit_decode(FILE *out, const ModelSpace *ms, const char *id);
/* --encode: the ID of the architecture that `decisions` ("name=value, name=value", the values
 * as --decode prints them; the decisions it does not have left out) describes, on a line. 0,
 * or 1 with a message on stderr. */
int emit_encode(FILE *out, const ModelSpace *ms, const char *decisions);
int emit_graph(FILE *out, const ModelSpace *ms, const char *id, bool dot);
#endif
