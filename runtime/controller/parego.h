/* parego.h — ParEGO's scalarisation (Knowles 2006) of several objectives into the one reward bo's
 * Gaussian process models: a weight vector lambda drawn uniformly from the lattice
 * {0, 1/s, ..., 1}^k summing to 1, and the augmented Tchebycheff function of the objectives
 * normalised over the history. Objectives are n x k row-major (k <= CONTROLLER_MAX_OBJECTIVES), each oriented so that larger is
 * better. Used by bo.c; public for the unit tests. */
#ifndef NAS_PAREGO_H
#define NAS_PAREGO_H
#include "space.h"

#define PAREGO_RHO 0.05 /* the weight of the augmenting sum (Knowles's rho) */

/* s of the lattice for k objectives: 10 for 2 (11 vectors) and 4 for 3 (15), as Knowles;
 * 3 beyond (20 vectors for 4, 120 for 8); 1 objective has the one vector (1). */
int parego_divisions(int k);
/* A uniform lattice vector into lambda (k entries, multiples of 1/s summing to 1), from r. */
void parego_lambda(SpaceRng *r, int k, double *lambda);
/* f[i] for each of the n points: each objective normalised to y in [0, 1] by its min and max
 * over the n points (1 for an objective that is constant), c = 1 - y the normalised cost, and
 * f = -(max_j lambda_j c_j + rho sum_j lambda_j c_j): Knowles's cost negated, so larger is
 * better. */
void parego_scalarise(const double *obj, int n, int k, const double *lambda, double *f);
#endif
