/* forest.h — a random forest of regression trees over the decision table (SMAC's surrogate,
 * Hutter et al. 2011): an EXPERIMENT beside bo.c's Gaussian process, reached only through the
 * bench (ControllerParams.surrogate). Private to controller/.
 *
 * Each tree is grown on a bootstrap sample of the results; at each node a random subset of the
 * decisions is tried. A categorical, bool or subset decision (with at most 63 slot values,
 * inactive counted as one) splits its values into two sets: the values are ordered by their
 * mean reward in the node and the best prefix is taken (Breiman's result: for squared error
 * this is the best of all two-set splits). Any other decision splits at a threshold on the slot
 * value (inactive, -1, below every value). A node stops splitting below 2 * min_leaf results.
 * The prediction is the mean of the trees' leaf means; its variance that of the mixture of the
 * trees' leaves (the spread of the leaf means plus the mean within-leaf variance).
 *
 * Everything random comes from the caller's generator, so a refit on the same history gives
 * the same forest. Ownership: forest_new keeps a pointer to the space (it must outlive the
 * forest); forest_free releases the rest. */
#ifndef NAS_FOREST_H
#define NAS_FOREST_H
#include <stdbool.h>
#include <stdint.h>
#include "space.h"

typedef struct Forest Forest;

/* trees >= 1, min_leaf >= 1, feat_frac in (0, 1]: the share of decisions tried at a node.
 * NULL on out of memory. */
Forest *forest_new(const Space *s, int trees, int min_leaf, double feat_frac);
void forest_free(Forest *f);
/* Grows the trees on n architectures (n x nslots, canonical) and their rewards; false on out
 * of memory (the forest then predicts the prior: mean 0, sd 1). */
bool forest_fit(Forest *f, SpaceRng *r, int n, const int32_t *archs, const double *y);
/* Mean and sd at m architectures. */
void forest_predict(const Forest *f, int m, const int32_t *archs, double *mean, double *sd);
/* Tree t's leaf mean at arch: one draw of the bootstrap posterior (Thompson sampling). */
double forest_tree_predict(const Forest *f, int t, const int32_t *arch);
int forest_trees(const Forest *f);
#endif
