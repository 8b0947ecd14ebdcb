/* svg.h — inline SVG plots written to a FILE: a plot with linear axes (svg_axes.c), points and
 * lines in it (svg_marks.c), horizontal bars (svg_bars.c), parallel coordinates
 * (svg_parallel.c), and the escaping of any text that goes into HTML or SVG (svg_text.c).
 * Every mark carries a class (`pt`, `line`, `bar`, `pc`) so a test can count them.
 * Text from outside (architecture IDs, decision values, failure reasons) is always escaped. */
#ifndef NAS_SVG_H
#define NAS_SVG_H
#include <stdbool.h>
#include <stdio.h>

/* Writes s as HTML/SVG text or attribute content: & < > " ' as entities, control characters
 * other than tab and newline dropped, bytes that are not UTF-8 as U+FFFD. NULL writes nothing. */
void svg_escape(FILE *out, const char *s);
/* Like svg_escape, at most max characters (code points) of s, then "…" when cut. */
void svg_escape_cut(FILE *out, const char *s, int max);
/* A number as plots label it: %.4g, "–" for NaN. */
void svg_num(char *buf, size_t size, double v);

/* A linear map of [d0, d1] onto [r0, r1]. */
typedef struct SvgScale {
    double d0, d1, r0, r1;
} SvgScale;
double svg_map(const SvgScale *s, double v);
/* Widens [lo, hi] to round tick values (a degenerate or non-finite range becomes a unit one
 * around it); returns the number of ticks (at most max) written to ticks. */
int svg_nice(double *lo, double *hi, int target, double *ticks, int max);

/* A plot: its frame, scales and axes. svg_plot_begin opens the <svg> (id and the data-*
 * attribute `data` given as is: the caller's own text, never outside text), draws the axes,
 * their ticks and labels; svg_plot_end closes it. */
typedef struct SvgPlot {
    FILE *out;
    double w, h;
    double left, right, top, bottom; /* the plot area inside the frame */
    SvgScale x, y;
} SvgPlot;
void svg_plot_begin(SvgPlot *p, FILE *out, const char *id, double w, double h, double xlo, double xhi, double ylo,
                    double yhi, const char *xlabel, const char *ylabel);
void svg_plot_end(SvgPlot *p);

/* A circle at each (x, y) with a finite y, of class `pt cls`; titles[i] (may be NULL) is its
 * hover text. */
void svg_points(SvgPlot *p, int n, const double *x, const double *y, const char *cls, const char *const *titles);
/* A polyline through the finite points, of class `line cls`; step: horizontal then vertical
 * (a best-so-far curve). title may be NULL. */
void svg_line(SvgPlot *p, int n, const double *x, const double *y, const char *cls, bool step, const char *title);
/* A cross at (x, y), class `x cls`, with its hover text. */
void svg_cross(SvgPlot *p, double x, double y, const char *cls, const char *title);
/* A legend entry in the top-right corner, row k. */
void svg_legend(SvgPlot *p, int k, const char *cls, const char *label);

/* Horizontal bars, one row per label: the bar's length is value, its text "value (n = count)";
 * counts may be NULL. from_zero: the axis starts at 0 (counts); else, for values that lie close
 * together (rewards), a little below the smallest, which the text then says. */
void svg_bars(FILE *out, const char *id, int n, const char *const *labels, const double *values, const int *counts,
              const char *what, bool from_zero);

/* Parallel coordinates: naxes vertical axes, one polyline (class `pc`) per row. An axis is
 * categorical (ncat > 0: values are indices 0..ncat-1, cats their labels) or numeric (its
 * values' range). vals[row * naxes + a]; NaN: the row does not cross that axis (a decision
 * that is inactive). colour[row] in [0, 1] picks the line's colour (NaN: grey). */
typedef struct SvgAxis {
    const char *name;
    int ncat;
    const char *const *cats;
} SvgAxis;
void svg_parallel(FILE *out, const char *id, int naxes, const SvgAxis *axes, int nrows, const double *vals,
                  const double *colour, const char *const *titles);
#endif
