/* svg_marks.c — what goes inside a plot: points, lines (straight or as steps), crosses and
 * legend entries. */
#include "svg.h"
#include <math.h>

static void title(FILE *out, const char *t)
{
    if (!t) return;
    fputs("<title>", out);
    svg_escape(out, t);
    fputs("</title>", out);
}

void svg_points(SvgPlot *p, int n, const double *x, const double *y, const char *cls, const char *const *titles)
{
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        fprintf(p->out, "<circle class=\"pt %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\">", cls, svg_map(&p->x, x[i]),
                svg_map(&p->y, y[i]));
        title(p->out, titles ? titles[i] : NULL);
        fputs("</circle>\n", p->out);
    }
}

void svg_line(SvgPlot *p, int n, const double *x, const double *y, const char *cls, bool step, const char *t)
{
    fprintf(p->out, "<polyline class=\"line %s\" points=\"", cls);
    double py = NAN;
    for (int i = 0, k = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        double sx = svg_map(&p->x, x[i]), sy = svg_map(&p->y, y[i]);
        if (step && k) fprintf(p->out, " %.1f,%.1f", sx, py);
        fprintf(p->out, "%s%.1f,%.1f", k++ ? " " : "", sx, sy);
        py = sy;
    }
    fputs("\">", p->out);
    title(p->out, t);
    fputs("</polyline>\n", p->out);
}

void svg_cross(SvgPlot *p, double x, double y, const char *cls, const char *t)
{
    double sx = svg_map(&p->x, x), sy = svg_map(&p->y, y);
    fprintf(p->out, "<path class=\"x %s\" d=\"M%.1f %.1fl6 6m0 -6l-6 6\">", cls, sx - 3, sy - 3);
    title(p->out, t);
    fputs("</path>\n", p->out);
}

void svg_legend(SvgPlot *p, int k, const char *cls, const char *label)
{
    double x = p->right - 150, y = p->top + 14 + 15 * k;
    fprintf(p->out, "<line class=\"line %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, x, y - 4, x + 16,
            y - 4);
    fprintf(p->out, "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">", x + 20, y);
    svg_escape_cut(p->out, label, 22);
    fputs("</text>\n", p->out);
}
