/* models.h — the fixed reference models of the benchmarks and tests, built as graph.h graphs
 * (what the .nas lowering will produce for the same architectures). */
#ifndef NAS_MODELS_H
#define NAS_MODELS_H
#include "graph.h"

/* MLP: flatten, dense(h0)+relu, ..., dense(classes). hidden: nh widths. */
Graph *model_mlp(Arena *a, int c, int h, int w, const int *hidden, int nh, int classes);
/* CNN: [conv3x3(ch[i], same)+relu+maxpool2] for each ch, flatten, dense(fc)+relu,
 * dense(classes). bn: batchnorm after each conv; dropout p before the last dense (0 = none). */
Graph *model_cnn(Arena *a, int c, int h, int w, const int *ch, int nconv, int fc, int classes, int bn, float dropout);
#endif
