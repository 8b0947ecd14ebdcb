/* svg_parallel.c — parallel coordinates: one vertical axis per decision (and the reward), one
 * polyline per trial, coloured by its reward. */
#include "svg.h"
#include <math.h>
#include <stdlib.h>

/* From dark blue (0) to yellow (1), through teal: readable on white, monotone in lightness. */
static void colour(double t, char *buf, size_t n)
{
    if (!isfinite(t)) {
        snprintf(buf, n, "#bbbbbb");
        return;
    }
    t = fmin(1, fmax(0, t));
    static const double stops[3][3] = {{68, 1, 84}, {33, 145, 140}, {253, 231, 37}};
    int k = t < 0.5 ? 0 : 1;
    double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
    snprintf(buf, n, "#%02x%02x%02x", (int)(stops[k][0] + u * (stops[k + 1][0] - stops[k][0])),
             (int)(stops[k][1] + u * (stops[k + 1][1] - stops[k][1])),
             (int)(stops[k][2] + u * (stops[k + 1][2] - stops[k][2])));
}

void svg_parallel(FILE *out, const char *id, int naxes, const SvgAxis *axes, int nrows, const double *vals,
                  const double *col, const char *const *titles)
{
    double gap = naxes > 12 ? 60 : 90, w = 40 + gap * (naxes > 1 ? naxes - 1 : 1) + 60, top = 34, bottom = 250, h = 290;
    fprintf(out,
            "<svg id=\"%s\" class=\"parallel\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            id, w, h, w, h);
    /* each axis's scale: categories evenly spaced, numbers over their range */
    SvgScale *sc = malloc(sizeof *sc * (size_t)(naxes > 0 ? naxes : 1));
    if (!sc) {
        fputs("</svg>\n", out);
        return;
    }
    for (int a = 0; a < naxes; a++) {
        double lo = INFINITY, hi = -INFINITY;
        if (axes[a].ncat > 0) lo = 0, hi = axes[a].ncat - 1;
        else
            for (int r = 0; r < nrows; r++)
                if (isfinite(vals[r * naxes + a]))
                    lo = fmin(lo, vals[r * naxes + a]), hi = fmax(hi, vals[r * naxes + a]);
        if (!isfinite(lo)) lo = 0, hi = 1;
        sc[a] = (SvgScale){lo, hi, bottom, top};
        double x = 40 + gap * a;
        fprintf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", x, top, x, bottom);
        fprintf(out, "<text class=\"label\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">", x, top - 20 + 8 * (a % 2));
        svg_escape_cut(out, axes[a].name, 16);
        fputs("</text>\n", out);
        if (axes[a].ncat > 0) {
            int step = axes[a].ncat > 12 ? (axes[a].ncat + 11) / 12 : 1;
            for (int c = 0; c < axes[a].ncat; c += step) {
                fprintf(out, "<text class=\"tick\" x=\"%.0f\" y=\"%.1f\">", x + 3, svg_map(&sc[a], c) + 4);
                svg_escape_cut(out, axes[a].cats[c], 10);
                fputs("</text>", out);
            }
        } else {
            char lo_s[32], hi_s[32];
            svg_num(lo_s, sizeof lo_s, lo);
            svg_num(hi_s, sizeof hi_s, hi);
            fprintf(out,
                    "<text class=\"tick\" x=\"%.0f\" y=\"%.0f\">%s</text><text class=\"tick\" x=\"%.0f\" "
                    "y=\"%.0f\">%s</text>",
                    x + 3, bottom + 4, lo_s, x + 3, top + 4, hi_s);
        }
        fputs("\n", out);
    }
    for (int r = 0; r < nrows; r++) {
        char c[16];
        colour(col ? col[r] : NAN, c, sizeof c);
        fprintf(out, "<polyline class=\"pc\" stroke=\"%s\" points=\"", c);
        for (int a = 0, k = 0; a < naxes; a++) {
            double v = vals[r * naxes + a];
            if (isfinite(v)) fprintf(out, "%s%.0f,%.1f", k++ ? " " : "", 40 + gap * a, svg_map(&sc[a], v));
        }
        fputs("\">", out);
        if (titles && titles[r]) {
            fputs("<title>", out);
            svg_escape(out, titles[r]);
            fputs("</title>", out);
        }
        fputs("</polyline>\n", out);
    }
    fputs("</svg>\n", out);
    free(sc);
}
