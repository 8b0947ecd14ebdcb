/* space_json.c — the decision table as JSON (nasc --emit=space --format=json). */
#include "space_int.h"

#include <math.h>
#include <stdlib.h>

static void json_string(FILE *out, const char *str)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

/* A finite double in the fewest digits that read back exactly. */
static void json_number(FILE *out, double x)
{
    if (!isfinite(x)) {
        fputs("null", out);
        return;
    }
    char buf[32];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    fputs(buf, out);
}

static const char *kind_name(const SpaceDecision *x)
{
    switch (x->kind) {
    case SPACE_CATEGORICAL: return "categorical";
    case SPACE_INT_RANGE: return "int_range";
    case SPACE_FLOAT_RANGE: return "float_range";
    case SPACE_BOOL: return "bool";
    case SPACE_SUBSET: return "subset";
    }
    return "?";
}

static void write_decision(const Space *s, int d, FILE *out)
{
    const SpaceDecision *x = &s->dec[d];
    fprintf(out, "    {\"index\": %d, \"name\": ", d);
    json_string(out, x->name);
    fprintf(out, ", \"kind\": \"%s\", \"arity\": %d, \"continuous\": %s,\n     \"loc\": {\"file\": ", kind_name(x),
            x->arity, x->continuous ? "true" : "false");
    if (x->loc.file) json_string(out, x->loc.file);
    else fputs("null", out);
    fprintf(out, ", \"line\": %d, \"col\": %d}", x->loc.line, x->loc.col);
    switch (x->kind) {
    case SPACE_CATEGORICAL: {
        fputs(",\n     \"values\": [", out);
        for (int i = 0; i < x->arity; i++) {
            if (i) fputs(", ", out);
            if (x->vtype == SPACE_VAL_INT) fprintf(out, "%lld", (long long)x->ints[i]);
            else if (x->vtype == SPACE_VAL_FLOAT) json_number(out, x->floats[i]);
            else json_string(out, x->labels[i]);
        }
        fputc(']', out);
        break;
    }
    case SPACE_INT_RANGE:
        fprintf(out, ", \"lo\": %lld, \"hi\": %lld, \"step\": %lld", (long long)x->ilo,
                (long long)space_value_int(s, d, x->arity - 1), (long long)x->istep);
        break;
    case SPACE_FLOAT_RANGE:
        fputs(", \"lo\": ", out);
        json_number(out, x->flo);
        fputs(", \"hi\": ", out);
        json_number(out, x->fhi);
        fputs(", \"step\": ", out);
        if (x->continuous) fputs("null", out);
        else json_number(out, x->fstep);
        fprintf(out, ", \"log\": %s", x->log ? "true" : "false");
        break;
    case SPACE_BOOL: break;
    case SPACE_SUBSET:
        fprintf(out, ", \"k\": %d, \"n\": %d", x->k, x->n);
        if (x->labels) {
            fputs(", \"items\": [", out);
            for (int i = 0; i < x->n; i++) {
                if (i) fputs(", ", out);
                json_string(out, x->labels[i]);
            }
            fputc(']', out);
        }
        break;
    }
    fputs(",\n     \"parent\": ", out);
    if (x->parent < 0) {
        fputs("null", out);
    } else {
        if (s->dec[x->parent].kind == SPACE_SUBSET) { /* one element of the parent's list */
            fprintf(out, "%d, \"when_picked\": %d}", x->parent, x->cond[0].lo);
            return;
        }
        fprintf(out, "%d, \"when\": [", x->parent);
        for (int i = 0; i < x->ncond; i++) fprintf(out, "%s[%d, %d]", i ? ", " : "", x->cond[i].lo, x->cond[i].hi);
        fputc(']', out);
        /* the further guards, all of which must hold too */
        for (int g = 1; g < x->nguard; g++) {
            const SpaceGuard *gd = &x->guards[g];
            fprintf(out, "%s{\"parent\": %d, \"when\": [", g == 1 ? ", \"and\": [" : ", ", gd->parent);
            for (int i = 0; i < gd->ncond; i++)
                fprintf(out, "%s[%d, %d]", i ? ", " : "", gd->cond[i].lo, gd->cond[i].hi);
            fputs(g + 1 < x->nguard ? "]}" : "]}]", out);
        }
    }
    fputc('}', out);
}

void space_write_json(const Space *s, FILE *out)
{
    fputs("{\n  \"decisions\": [\n", out);
    for (int d = 0; d < s->n; d++) {
        write_decision(s, d, out);
        fputs(d + 1 < s->n ? ",\n" : "\n", out);
    }
    char size[1300];
    bool continuous = false;
    SpaceStatus st = space_size(s, size, sizeof size, &continuous);
    fputs("  ],\n  \"size\": ", out);
    if (st == SPACE_OK) fprintf(out, "\"%s\"", size);
    else fputs("null", out);
    fputs(", \"log10\": ", out);
    json_number(out, space_size_log10(s));
    fprintf(out, ", \"continuous\": %s\n}\n", continuous ? "true" : "false");
}
