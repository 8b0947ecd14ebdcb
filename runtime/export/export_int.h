/* export_int.h — what the two writers share (private to export/). */
#ifndef NAS_EXPORT_INT_H
#define NAS_EXPORT_INT_H
#include "export.h"

/* live[i] for each forward node i: its result reaches the logits. A branch that feeds nothing
 * (a `choice k of [...]` input left out) is not written: in PyTorch its parameters would get no
 * gradient. live is g->nfwd entries; the caller frees it. NULL when out of memory. */
bool *export_live(const Graph *g);
/* Whether value v (a parameter or state) is read by a live node. */
bool export_value_live(const Graph *g, const bool *live, int v);
#endif
