/* rankcorr.c — Spearman's rho and Kendall's tau-b of paired samples. n is small (the trials
 * of a train stage), so tau-b counts the pairs directly, O(n^2). */
#include "rankcorr.h"
#include <math.h>
#include <stdlib.h>

void rankcorr_ranks(const double *x, int n, double *r)
{
    for (int i = 0; i < n; i++) {
        int less = 0, equal = 0;
        for (int j = 0; j < n; j++) less += x[j] < x[i], equal += x[j] == x[i];
        r[i] = less + (equal + 1) / 2.0; /* the mean of ranks less+1 .. less+equal */
    }
}

double rankcorr_spearman(const double *x, const double *y, int n)
{
    if (n < 2) return NAN;
    double *rx = malloc(sizeof *rx * (size_t)n), *ry = malloc(sizeof *ry * (size_t)n), out = NAN;
    if (rx && ry) {
        rankcorr_ranks(x, n, rx);
        rankcorr_ranks(y, n, ry);
        double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) mx += rx[i] / n, my += ry[i] / n;
        for (int i = 0; i < n; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        if (sxx > 0 && syy > 0) out = sxy / sqrt(sxx * syy);
    }
    free(rx);
    free(ry);
    return out;
}

double rankcorr_kendall(const double *x, const double *y, int n)
{
    if (n < 2) return NAN;
    double conc = 0, disc = 0, tx = 0, ty = 0; /* tx: pairs tied in x only, ty: in y only */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            if (dx == 0 && dy == 0) continue;
            if (dx == 0) tx++;
            else if (dy == 0) ty++;
            else if ((dx > 0) == (dy > 0)) conc++;
            else disc++;
        }
    double den = sqrt((conc + disc + tx) * (conc + disc + ty));
    return den > 0 ? (conc - disc) / den : NAN;
}
