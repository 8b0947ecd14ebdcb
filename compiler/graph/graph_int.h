/* graph_int.h — helpers shared by the graph*.c files (not part of the public API). */
#ifndef NAS_GRAPH_INT_H
#define NAS_GRAPH_INT_H
#include "graph.h"

/* A new value of the given storage; `role` is a static string or NULL. */
int graph_value_new(Graph *g, GraphStorage st, const char *role);
/* A new node reading in[0..nin) and writing nout fresh GSTORE_ARENA values. */
int graph_node_new(Graph *g, GraphOp op, GraphPhase phase, int nin, const int *in, int nout);
/* Infers node n's output and parameter shapes (its inputs must be inferred); 0 or -1. */
int graph_infer_node(Graph *g, int n, GraphError *err);
/* "[32,14,14]" (batch left out) for error messages; returns buf. */
const char *graph_dims_str(const GraphShape *s, char *buf, size_t n);
/* Is node `n` (of mode `mode`) an elementwise op in the fusion sense? */
bool graph_node_elementwise(const Graph *g, int n, GraphMode mode);
#endif
