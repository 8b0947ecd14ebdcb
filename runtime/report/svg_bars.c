/* svg_bars.c — horizontal bars with a label and a value each (a decision's values by mean
 * reward, failures by reason). */
#include "svg.h"
#include <math.h>

void svg_bars(FILE *out, const char *id, int n, const char *const *labels, const double *values, const int *counts,
              const char *what, bool from_zero)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (isfinite(values[i])) lo = fmin(lo, values[i]), hi = fmax(hi, values[i]);
    if (!isfinite(lo)) lo = hi = 0;
    /* from zero for counts; rewards that all lie close together start a little below the
     * smallest, else their bars would all look alike */
    if (from_zero || lo <= 0 || lo < 0.5 * hi) lo = fmin(lo, 0);
    else lo -= 0.25 * (hi - lo) + 1e-9 * hi;
    if (lo < 0 && !from_zero) lo -= 0.05 * (hi - lo); /* negative rewards: the smallest still shows a bar */
    double label_w = 170, bar_w = 300, row = 20, w = label_w + bar_w + 150, h = row * n + 24;
    fprintf(out,
            "<svg id=\"%s\" class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            id, w, h, w, h);
    fprintf(out, "<text class=\"label\" x=\"%.0f\" y=\"12\">", label_w);
    svg_escape(out, what);
    if (lo != 0) {
        char from[32];
        svg_num(from, sizeof from, lo);
        fprintf(out, " (bars from %s)", from);
    }
    fputs("</text>\n", out);
    SvgScale s = {lo, hi > lo ? hi : lo + 1, 0, bar_w};
    for (int i = 0; i < n; i++) {
        double y = 20 + row * i, len = isfinite(values[i]) ? svg_map(&s, values[i]) : 0;
        char v[32];
        svg_num(v, sizeof v, values[i]);
        fprintf(out, "<text class=\"tick\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", label_w - 6, y + 13);
        svg_escape_cut(out, labels[i], 26);
        fprintf(out, "</text><rect class=\"bar\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\"><title>", label_w,
                y + 2, fmax(len, 1), row - 5);
        svg_escape(out, labels[i]);
        fprintf(out, ": %s", v);
        if (counts) fprintf(out, " (n = %d)", counts[i]);
        fprintf(out, "</title></rect><text class=\"tick\" x=\"%.1f\" y=\"%.0f\">%s", label_w + fmax(len, 1) + 4, y + 13,
                v);
        if (counts) fprintf(out, " (n = %d)", counts[i]);
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
}
