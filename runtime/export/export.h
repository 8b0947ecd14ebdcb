/* export.h — one architecture's inference graph with its trained weights, written for other
 * tools: an ONNX model (opset 13, protobuf-c from the official onnx.proto) and a PyTorch
 * nn.Module source file that reads the safetensors weights (weights.h) itself.
 *
 * What is written is the forward graph as GRAPH_INFER runs it: batchnorm with its running
 * statistics, dropout as the identity (ONNX; the PyTorch module keeps nn.Dropout, which is the
 * identity in eval() and trains as nas did), the loss left out. The input is the raw example
 * as the dataset's files hold it; the dataset's `normalize mean(m), std(s)` is written as the
 * first two nodes, (x - m) / s, so both files take the same input as `nasrun --predict`.
 * The batch dimension is symbolic (ONNX "N"). Tensor names are those of the weights file.
 * A branch whose result does not reach the logits is left out of both.
 *
 * Errors: -1 with a message in err; nothing is printed. */
#ifndef NAS_EXPORT_H
#define NAS_EXPORT_H
#include <stdbool.h>
#include <stddef.h>
#include "graph.h"

typedef struct ExportModel {
    Graph *g;                    /* shapes inferred */
    const float *params, *state; /* the trained weights: g->nparams, g->nstate floats */
    bool normalize;              /* the dataset's normalisation: x' = (x - mean) / std */
    float mean, std;
    const char *name;        /* the architecture ID: the ONNX graph's name, in the .py's docstring */
    const char *source_name; /* the .nas file, for the producer's note */
} ExportModel;

int export_onnx(const ExportModel *m, const char *path, char *err, size_t errsize);
/* path: the .py file; weights_file: the safetensors file its load() reads by default (a name
 * relative to the .py file's directory); NULL: an untrained module (m->params and m->state
 * unused; Net() has PyTorch's initialisation, load(path) still reads a weights file). */
int export_torch(const ExportModel *m, const char *path, const char *weights_file, char *err, size_t errsize);
#endif
