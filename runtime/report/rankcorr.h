/* rankcorr.h — rank correlations of paired samples (stage 1's proxy reward against stage 2's
 * full-training reward): Spearman's rho (Pearson on average ranks) and Kendall's tau-b (ties
 * in either sample corrected for). NaN with fewer than 2 pairs or a constant sample. */
#ifndef NAS_RANKCORR_H
#define NAS_RANKCORR_H
double rankcorr_spearman(const double *x, const double *y, int n);
double rankcorr_kendall(const double *x, const double *y, int n);
/* Average ranks (1-based; ties share the mean of their ranks) of x into r. */
void rankcorr_ranks(const double *x, int n, double *r);
#endif
