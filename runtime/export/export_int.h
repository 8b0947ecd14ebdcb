/* export_int.h — what the two writers share (private to export/). */
#ifndef NAS_EXPORT_INT_H
#define NAS_EXPORT_INT_H
#include "export.h"

/* The writers leave out forward nodes that graph_live(g, true) does not mark: a branch that
 * feeds nothing (a `choice k of [...]` input left out) would get no gradient in PyTorch. A
 * `zero` keeps its input, whose shape it copies. */
/* Whether value v (a parameter or state) is read by a live node. */
bool export_value_live(const Graph *g, const bool *live, int v);
#endif
