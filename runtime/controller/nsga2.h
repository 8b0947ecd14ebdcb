/* nsga2.h — the pieces of NSGA-II (Deb et al. 2002) that do not depend on the space: fast
 * non-dominated sorting and crowding distance. Points are n x k row-major, every objective
 * oriented so that larger is better. Used by nsga2.c; public for the unit tests. */
#ifndef NAS_NSGA2_H
#define NAS_NSGA2_H
#include <stdbool.h>

/* a dominates b: no worse in every objective, better in one. */
bool nsga2_dominates(const double *a, const double *b, int k);
/* rank[i] = the front of point i (0: non-dominated); returns the number of fronts, or -1 when
 * out of memory. */
int nsga2_sort(const double *points, int n, int k, int *rank);
/* Crowding distance of the m points idx[0..m-1] (one front): the sum over objectives of the
 * normalised gap between each point's neighbours; the extremes of each objective get
 * infinity. dist[i] belongs to idx[i]. */
void nsga2_crowding(const double *points, const int *idx, int m, int k, double *dist);
#endif
