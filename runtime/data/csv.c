/* csv.c — CSV datasets: one example a line, a label column and c*h*w numeric features. */
#include "dataset.h"
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows a float/int32 array pair to hold at least n rows. */
static int grow(Dataset *d, int64_t *cap, int64_t n, int64_t nf)
{
    if (n <= *cap) return 0;
    int64_t nc = *cap ? *cap * 2 : 1024;
    float *x = realloc(d->x, sizeof(float) * (size_t)(nc * nf));
    if (!x) return -1;
    d->x = x;
    int32_t *y = realloc(d->y, sizeof(int32_t) * (size_t)nc);
    if (!y) return -1;
    d->y = y;
    *cap = nc;
    return 0;
}

int data_load_csv(const char *path, int label_col, int c, int h, int w, int classes, Dataset *out, DataError *err)
{
    memset(out, 0, sizeof *out);
    out->c = c;
    out->h = h;
    out->w = w;
    out->classes = classes;
    snprintf(out->source, sizeof out->source, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int64_t nf = (int64_t)c * h * w, cap = 0, line = 0;
    char *buf = NULL;
    size_t bcap = 0;
    int rc = -1;
    while (getline(&buf, &bcap, f) >= 0) {
        line++;
        char *p = buf;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\n' || *p == '\r' || *p == 0) continue; /* blank line */
        if (grow(out, &cap, out->n + 1, nf)) {
            snprintf(err->msg, sizeof err->msg, "%s:%lld: out of memory", path, (long long)line);
            goto done;
        }
        float *row = out->x + out->n * nf;
        int64_t col = 0, feat = 0;
        double label = -1;
        for (;;) {
            char *end;
            errno = 0;
            double v = strtod(p, &end);
            if (end == p) {
                if (line == 1 && out->n == 0 && col == 0) goto next_line; /* header */
                snprintf(err->msg, sizeof err->msg, "%s:%lld: column %lld is not a number", path, (long long)line,
                         (long long)col + 1);
                goto done;
            }
            /* strtod takes nan, inf and 1e39; a feature is a float and must stay finite */
            if (!isfinite(v) || fabs(v) > FLT_MAX) {
                snprintf(err->msg, sizeof err->msg, "%s:%lld: column %lld is `%.*s`, not a finite number%s", path,
                         (long long)line, (long long)col + 1, (int)(end - p), p,
                         isfinite(v) ? " (larger than a float's 3.4e38)" : "");
                goto done;
            }
            if (col == label_col) label = v;
            else if (feat < nf) row[feat++] = (float)v;
            else feat++;
            col++;
            p = end;
            while (*p == ' ' || *p == '\t') p++;
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == '\n' || *p == '\r' || *p == 0) break;
            snprintf(err->msg, sizeof err->msg, "%s:%lld: unexpected character '%c' in column %lld", path,
                     (long long)line, *p, (long long)col);
            goto done;
        }
        if (feat != nf || label_col >= col) {
            snprintf(err->msg, sizeof err->msg,
                     "%s:%lld: expected %lld features (the declared `input` of one example) and a label, "
                     "found %lld columns",
                     path, (long long)line, (long long)nf, (long long)col);
            goto done;
        }
        if (label < 0 || label >= classes || label != (int)label) {
            snprintf(err->msg, sizeof err->msg,
                     "%s:%lld: label %g is out of range [0, %d): the declaration says `classes %d`", path,
                     (long long)line, label, classes, classes);
            goto done;
        }
        out->y[out->n++] = (int32_t)label;
    next_line:;
    }
    if (out->n == 0) {
        snprintf(err->msg, sizeof err->msg, "%s: no examples", path);
        goto done;
    }
    rc = 0;
done:
    free(buf);
    fclose(f);
    if (rc) dataset_free(out);
    return rc;
}
