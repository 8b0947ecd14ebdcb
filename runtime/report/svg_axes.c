/* svg_axes.c — a plot's frame: linear scales, round tick values, the axes with their ticks
 * and labels. */
#include "svg.h"
#include <math.h>

double svg_map(const SvgScale *s, double v)
{
    if (s->d1 == s->d0) return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

int svg_nice(double *lo, double *hi, int target, double *ticks, int max)
{
    if (!isfinite(*lo) || !isfinite(*hi)) *lo = *hi = 0;
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*hi - *lo < 1e-12 * fmax(1, fabs(*lo))) {
        double pad = *lo ? fabs(*lo) * 0.05 : 0.5;
        *lo -= pad;
        *hi += pad;
    }
    /* a step of 1, 2 or 5 times a power of ten giving about `target` intervals */
    double raw = (*hi - *lo) / (target > 0 ? target : 5), mag = pow(10, floor(log10(raw))), step = mag;
    if (raw / mag > 5) step = 10 * mag;
    else if (raw / mag > 2) step = 5 * mag;
    else if (raw / mag > 1) step = 2 * mag;
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
    int n = 0;
    for (double t = *lo; t <= *hi + step * 1e-9 && n < max; t += step) ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

void svg_plot_begin(SvgPlot *p, FILE *out, const char *id, double w, double h, double xlo, double xhi, double ylo,
                    double yhi, const char *xlabel, const char *ylabel)
{
    *p = (SvgPlot){.out = out, .w = w, .h = h, .left = 64, .right = w - 16, .top = 14, .bottom = h - 42};
    double xt[16], yt[16];
    int nx = svg_nice(&xlo, &xhi, 6, xt, 16), ny = svg_nice(&ylo, &yhi, 5, yt, 16);
    p->x = (SvgScale){xlo, xhi, p->left, p->right};
    p->y = (SvgScale){ylo, yhi, p->bottom, p->top};
    fprintf(out,
            "<svg id=\"%s\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            id, w, h, w, h);
    fprintf(out, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", p->left, p->top,
            p->right - p->left, p->bottom - p->top);
    char buf[32];
    for (int i = 0; i < nx; i++) {
        double x = svg_map(&p->x, xt[i]);
        svg_num(buf, sizeof buf, xt[i]);
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                x, p->top, x, p->bottom, x, p->bottom + 14, buf);
    }
    for (int i = 0; i < ny; i++) {
        double y = svg_map(&p->y, yt[i]);
        svg_num(buf, sizeof buf, yt[i]);
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                p->left, y, p->right, y, p->left - 4, y + 4, buf);
    }
    fprintf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (p->left + p->right) / 2,
            h - 8);
    svg_escape(out, xlabel);
    fprintf(out, "</text>\n<text class=\"label\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">",
            (p->top + p->bottom) / 2);
    svg_escape(out, ylabel);
    fprintf(out, "</text>\n");
}

void svg_plot_end(SvgPlot *p) { fprintf(p->out, "</svg>\n"); }
