/* diff.c — `nasc --diff OLD NEW`: how a space changed between two versions of a file. The
 * decisions are matched by name; which old architectures are still architectures of the new
 * space is model_carry's answer (model.h), the one `nasrun --carry-over` acts on. */
#include "diff.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Architectures enumerated at most: beyond, only the decisions are compared. */
#define DIFF_MAX_ARCHS 100000
#define DIFF_SHOWN     10

/* The decision's domain as text: its kind's values (at most 16 shown, then the count). */
static void domain(const Space *s, int d, char *buf, size_t size)
{
    const SpaceDecision *x = space_decision(s, d);
    size_t n = 0;
    int shown = x->continuous ? 2 : x->arity < 16 ? (int)x->arity : 16;
    n += (size_t)snprintf(buf, size, "[");
    for (int v = 0; v < shown && n < size; v++) {
        int32_t slot = x->continuous && v == 1 ? x->arity - 1 : v;
        char val[64];
        space_value_format(s, d, slot, val, sizeof val);
        n += (size_t)snprintf(buf + n, size - n, "%s%s", v ? (x->continuous ? " .. " : ", ") : "", val);
    }
    if (n < size && !x->continuous && x->arity > shown)
        n += (size_t)snprintf(buf + n, size - n, ", ... (%d values)", (int)x->arity);
    if (n < size) n += (size_t)snprintf(buf + n, size - n, "]");
    for (int g = 0; g < x->nguard && n < size; g++) /* the parents it exists under, latest first */
        n += (size_t)snprintf(buf + n, size - n, " %s %s", g ? "and" : "when",
                              space_decision(s, x->guards[g].parent)->name);
}

static void id_of(const Space *s, const int32_t *arch, char *buf, size_t size)
{
    SpaceError e;
    if (space_arch_to_id(s, arch, buf, size, &e) != SPACE_OK) snprintf(buf, size, "?");
}

/* The architectures part: counts, the first few mappings (all of them with json). */
static void diff_archs(const ModelSpace *mo, const ModelSpace *mn, bool json, FILE *out)
{
    const Space *so = model_space(mo), *sn = model_space(mn);
    bool cont;
    char size[64];
    if (space_size(so, size, sizeof size, &cont) != SPACE_OK || cont || space_size_log10(so) > 5) {
        if (json) fprintf(out, "  \"architectures\": null\n");
        else
            fprintf(out, "architectures: the old space holds more than %d (or continuous ones): not enumerated\n",
                    DIFF_MAX_ARCHS);
        return;
    }
    int32_t *old = malloc(sizeof *old * (size_t)(space_count(so) + 1));
    int32_t *neu = malloc(sizeof *neu * (size_t)(space_count(sn) + 1));
    SpaceGrid *g = old && neu ? space_grid_new(so, 1) : NULL;
    int64_t total = 0, carried = 0, same_values = 0;
    if (json) fprintf(out, "  \"mapping\": [");
    while (g && space_grid_next(g, old)) {
        total++;
        ModelCarry how = model_carry(mo, old, mn, neu);
        if (how == MODEL_CARRY_NONE) continue;
        same_values++;
        if (how != MODEL_CARRY_SAME) continue;
        char a[256], b[256];
        id_of(so, old, a, sizeof a);
        id_of(sn, neu, b, sizeof b);
        if (json) fprintf(out, "%s\n    [\"%s\", \"%s\"]", carried ? "," : "", a, b);
        else if (carried < DIFF_SHOWN) fprintf(out, "  %s -> %s\n", a, b);
        carried++;
    }
    space_grid_free(g);
    free(old);
    free(neu);
    if (json) {
        fprintf(out, "%s],\n  \"architectures\": {\"old\": %lld, \"carried\": %lld, \"same_values\": %lld}\n",
                carried ? "\n  " : "", (long long)total, (long long)carried, (long long)same_values);
        return;
    }
    if (carried > DIFF_SHOWN) fprintf(out, "  ... (--format=json lists all %lld)\n", (long long)carried);
    fprintf(out,
            "architectures: %lld of the old space's %lld are architectures of the new one (same values, same graph)",
            (long long)carried, (long long)total);
    if (same_values > carried)
        fprintf(out, "; %lld more keep their values but build another network", (long long)(same_values - carried));
    fprintf(out, "\n");
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        if ((unsigned char)*s < 0x20) fprintf(out, "\\u%04x", *s);
        else fputc(*s, out);
    }
    fputc('"', out);
}

/* One line (text) or object (json) of a decision that was added, removed or changed. */
static void report(FILE *out, bool json, bool *first, const char *what, const char *name, const char *was,
                   const char *now)
{
    if (json) {
        fprintf(out, "%s\n    {\"change\": \"%s\", \"name\": ", *first ? "" : ",", what);
        json_str(out, name);
        if (was) fprintf(out, ", \"old\": "), json_str(out, was);
        if (now) fprintf(out, ", \"new\": "), json_str(out, now);
        fprintf(out, "}");
    } else {
        fprintf(out, "  %-8s %s", what, name);
        if (was && now) fprintf(out, ": %s -> %s", was, now);
        else if (was || now) fprintf(out, " %s", was ? was : now);
        fprintf(out, "\n");
    }
    *first = false;
}

int nasc_diff(const ModelSpace *mo, const ModelSpace *mn, bool json, FILE *out)
{
    const Space *so = model_space(mo), *sn = model_space(mn);
    bool first = true;
    int changes = 0;
    char a[512], b[512];
    if (json) fprintf(out, "{\n  \"decisions\": [");
    else fprintf(out, "decisions:\n");
    for (int d = 0; d < space_count(so); d++) {
        const char *name = space_decision(so, d)->name;
        int nd = space_find(sn, name);
        domain(so, d, a, sizeof a);
        if (nd < 0) {
            report(out, json, &first, "removed", name, a, NULL);
            changes++;
            continue;
        }
        domain(sn, nd, b, sizeof b);
        if (strcmp(a, b)) {
            report(out, json, &first, "changed", name, a, b);
            changes++;
        }
    }
    for (int d = 0; d < space_count(sn); d++) {
        if (space_find(so, space_decision(sn, d)->name) >= 0) continue;
        domain(sn, d, b, sizeof b);
        report(out, json, &first, "added", space_decision(sn, d)->name, NULL, b);
        changes++;
    }
    if (json) fprintf(out, "%s],\n", first ? "" : "\n  ");
    else if (!changes) fprintf(out, "  (the same decisions with the same values)\n");
    diff_archs(mo, mn, json, out);
    if (json) fprintf(out, "}\n");
    return changes;
}
