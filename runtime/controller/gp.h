/* gp.h — a Gaussian process over the decision table: bo.c's surrogate model, and the unit
 * tests' face. Private to controller/ (and tests/unit).
 *
 * Kernel, a product over the decisions:
 *   k(a, b) = sf2 * exp(-sum_cat theta_d delta_d(a, b)) * matern52(sqrt(sum_ord theta_d (u_a - u_b)^2))
 * A categorical, bool or label decision is "cat": delta = [a != b] (overlap / Hamming); a
 * subset is cat with delta = |A xor B| / 2k over the picked elements. A range or a numeric choice list is "ord": u is
 * the value's rank on the unit interval (index / (arity - 1), the grid index for a range).
 * An inactive slot takes a fixed value: cat delta = 1 against any active value, ord u = -0.5;
 * two inactive slots agree. theta_d (the inverse squared lengthscale of an ord decision, the
 * overlap weight of a cat one), sf2 and the noise variance sn2 are the hyperparameters,
 * kept as logs in gp_params: [0, nslots) theta, then log sf2, then log sn2. Rewards are
 * standardised (mean 0, sd 1) inside; predictions are in the rewards' units.
 *
 * Ownership: gp_new keeps a pointer to the space (it must outlive the Gp); gp_free releases
 * the rest. The Cholesky factorisation is LAPACK's (dpotrf / dpotrs / dpotri). */
#ifndef NAS_GP_H
#define NAS_GP_H
#include <stdbool.h>
#include <stdint.h>
#include "space.h"

typedef struct Gp Gp;

Gp *gp_new(const Space *s); /* NULL on out of memory */
void gp_free(Gp *g);
/* The training set: n architectures (n x nslots, canonical) and their rewards, copied.
 * false on out of memory. Invalidates the factorisation. */
bool gp_set_data(Gp *g, int n, const int32_t *archs, const double *y);
int gp_nparams(const Gp *g);
/* The log hyperparameters (gp_nparams of them), to read or write; call gp_factor after a write. */
double *gp_params(Gp *g);
/* Sets the defaults: theta 1/D (cat) and 4/D (ord) for D decisions, sf2 1, sn2 0.05. */
void gp_default_params(Gp *g);
/* Factorises K = Kf + sn2 I (jitter added until positive definite); false when it fails. */
bool gp_factor(Gp *g);
/* The log marginal likelihood of the standardised rewards at the current parameters and,
 * when grad is not NULL, its gradient with respect to them; -INFINITY when K is not positive
 * definite. Factorises (as gp_factor). */
double gp_log_ml(Gp *g, double *grad);
/* Maximum a posteriori hyperparameters: iRprop- on log ML + a weak Gaussian prior (sd 3 on
 * each log, around the defaults), inside boxes, `iters` steps from each of `restarts` starts:
 * the current parameters, the defaults and random perturbations of the defaults. Leaves the
 * best factorised. */
void gp_fit(Gp *g, SpaceRng *r, int restarts, int iters);
/* The kernel, without noise. */
double gp_kernel(Gp *g, const int32_t *a, const int32_t *b);
/* Posterior of the latent reward at m architectures (m x nslots; after gp_factor): mean and
 * sd, in reward units. Before a factorisation (or out of memory): the prior. */
void gp_predict(Gp *g, int m, const int32_t *archs, double *mean, double *sd);
/* The posterior mean at training point i (O(1)): the noisy EI's incumbent is the best of these. */
double gp_train_mean(const Gp *g, int i);
/* Expected improvement of N(mean, sd^2) over best: sd (z Phi(z) + phi(z)), z = (mean - best) / sd;
 * and its log, finite far below best (the asymptote phi(z) / z^2), so a search over it has a
 * slope everywhere. */
double gp_ei(double mean, double sd, double best);
double gp_log_ei(double mean, double sd, double best);
/* The surrogate of a bo controller (bo.c), owned by it: the unit tests read its fitted
 * hyperparameters to check when and how bo refits them. */
struct Controller;
Gp *gp_of_bo(struct Controller *c);
#endif
