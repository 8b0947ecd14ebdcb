/* weights.h — a trained model's parameters in a file: safetensors (an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
 * little-endian float32 data), the format PyTorch's and Hugging Face's tools read.
 *
 * Tensor names: "n<node>.<role>": the forward node that reads the value and the value's role
 * in it ("w", "b", "gamma", "beta", "run_mean", "run_var"), so a file names the graph's
 * parameters the same way on every machine (the graph of one architecture ID is always
 * the same). Parameters (trainable) and batchnorm running statistics (state) are both kept.
 *
 * Errors: -1 with a message in err (the file and what is wrong); nothing is printed. */
#ifndef NAS_WEIGHTS_H
#define NAS_WEIGHTS_H
#include <stddef.h>
#include <stdint.h>
#include "graph.h"

enum { WEIGHTS_NAME_MAX = 48 };

/* The tensor name of parameter or state value v ("" when v is neither). */
void weights_name(const Graph *g, int v, char name[WEIGHTS_NAME_MAX]);

/* Writes params [g->nparams] and state [g->nstate] to path, atomically (a temporary file
 * renamed over it: a reader never sees half a file, and a rerun replaces the old one).
 * meta: NULL-terminated pairs of strings, the header's __metadata__ (may be NULL). */
int weights_save(const Graph *g, const float *params, const float *state, const char *const *meta, const char *path,
                 char *err, size_t errsize);

/* Reads a file written for this graph: every parameter and state tensor must be there with
 * its shape and dtype F32, and nothing else. */
int weights_load(const Graph *g, float *params, float *state, const char *path, char *err, size_t errsize);

/* SHA-256 of the file's bytes as 64 hex digits, and its size. */
int weights_sha256(const char *path, char hex[65], int64_t *bytes, char *err, size_t errsize);
#endif
