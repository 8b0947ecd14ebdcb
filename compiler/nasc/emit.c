/* emit.c — nasc's views of a lowered space (see emit.h). */
#include "emit.h"
#include <stdlib.h>
#include <string.h>

static void human(int64_t v, char *buf, size_t n)
{
    if (v >= 10000000) snprintf(buf, n, "%lld (%.1fM)", (long long)v, v / 1e6);
    else snprintf(buf, n, "%lld", (long long)v);
}

static void bytes(int64_t v, char *buf, size_t n)
{
    if (v >= 1 << 30) snprintf(buf, n, "%.2f GB", v / (double)(1 << 30));
    else if (v >= 1 << 20) snprintf(buf, n, "%.2f MB", v / (double)(1 << 20));
    else snprintf(buf, n, "%.1f KB", v / 1024.0);
}

void emit_space_summary(FILE *out, const ModelSpace *ms, const CheckOptions *co, const CheckResult *r)
{
    const Space *s = model_space(ms);
    char size[1300];
    bool cont;
    SpaceStatus st = space_size(s, size, sizeof size, &cont);
    int conditional = 0;
    for (int d = 0; d < space_count(s); d++) conditional += space_decision(s, d)->parent >= 0;
    fprintf(out, "  space of model %s: %d decisions (%d conditional), ", model_node(ms)->fndef.name, space_count(s),
            conditional);
    if (st == SPACE_OK && strlen(size) <= 24)
        fprintf(out, "%s%s architectures (10^%.2f)\n", size, cont ? " x continuous" : "", space_size_log10(s));
    else fprintf(out, "10^%.2f%s architectures\n", space_size_log10(s), cont ? " x continuous" : "");
    if (cont) fprintf(out, "    (float ranges without a step are continuous: the count is of the rest)\n");
    if (r->static_runs) {
        if (r->errors_reported)
            fprintf(out, "  %d distinct error%s in the space (see the diagnostics)\n", r->errors_reported,
                    r->errors_reported == 1 ? "" : "s");
        else if (r->proven)
            fprintf(out, "  every architecture type- and shape-checks (proved statically, %lld evaluations)\n",
                    (long long)r->static_runs);
        else if (r->static_complete)
            fprintf(out,
                    "  no architecture fails the static check (%lld evaluations), but continuous or wide "
                    "decisions were tried at 3 points only: not a proof for those\n",
                    (long long)r->static_runs);
        else
            fprintf(out, "  the static check stopped at its budget (%lld evaluations): no proof\n",
                    (long long)r->static_runs);
    }
    if (!r->checked) return;
    const char *how = r->exhaustive ? "all" : "a sample of";
    fprintf(out, "  instantiated %s %lld architectures: %lld build%s", how, (long long)r->checked,
            (long long)(r->checked - r->instantiate_failed), r->checked - r->instantiate_failed == 1 ? "s" : "");
    if (r->instantiate_failed) fprintf(out, ", %lld fail", (long long)r->instantiate_failed);
    fprintf(out, "\n");
    if (r->checked == r->instantiate_failed) return;
    char a[48], b[48], c[48], d[48], sampled[64], figure[160];
    snprintf(sampled, sizeof sampled, "over %lld sampled architectures",
             (long long)(r->checked - r->instantiate_failed));
    const char *bound = r->exhaustive ? "exact" : sampled;
    /* Params and MACs: "whole space" only for the static check's proof. Short of one, the
     * figures are the range reached by the architectures seen: the sample, and the static
     * check's (partial or approximate) walk when it has one. */
    bool whole = r->static_bounds && r->proven;
    CheckBound pb = whole ? r->static_params : r->params, mb = whole ? r->static_macs : r->macs;
    if (whole && r->static_loose)
        snprintf(figure, sizeof figure, "bounds over the whole space, proved; shared decisions: maybe not attained");
    else if (whole) snprintf(figure, sizeof figure, "exact, whole space");
    else if (r->exhaustive || !r->static_bounds) snprintf(figure, sizeof figure, "%s", bound);
    else {
        pb = (CheckBound){r->static_params.min < pb.min ? r->static_params.min : pb.min,
                          r->static_params.max > pb.max ? r->static_params.max : pb.max};
        mb = (CheckBound){r->static_macs.min < mb.min ? r->static_macs.min : mb.min,
                          r->static_macs.max > mb.max ? r->static_macs.max : mb.max};
        snprintf(figure, sizeof figure, "%s and the static check, not a proof: %s", sampled,
                 r->static_complete ? "wide or continuous decisions at 3 points" : "it stopped at its budget");
    }
    human(pb.min, a, sizeof a);
    human(pb.max, b, sizeof b);
    fprintf(out, "  params:       %s .. %s (%s)\n", a, b, figure);
    human(mb.min, a, sizeof a);
    human(mb.max, b, sizeof b);
    fprintf(out, "  MACs:         %s .. %s at batch 1 (%s)\n", a, b, figure);
    bytes(r->train_bytes.min, a, sizeof a);
    bytes(r->train_bytes.max, b, sizeof b);
    bytes(r->infer_bytes.min, c, sizeof c);
    bytes(r->infer_bytes.max, d, sizeof d);
    static const char *const optim[] = {"SGD", "SGD momentum", "Adam"};
    fprintf(out, "  train memory: %s .. %s at batch %lld, %s (%s)\n", a, b, (long long)co->batch,
            optim[co->optim_slots < 0 || co->optim_slots > 2 ? 1 : co->optim_slots], bound);
    fprintf(out, "  infer memory: %s .. %s of activations at batch 1 (%s)\n", c, d, bound);
}

void emit_feasible(FILE *out, const FeasBound *b, const FeasInfo *fi)
{
    const char *what = b->text[0] ? b->text : "the hard constraints";
    if (fi->known && strcmp(fi->count, "0") == 0)
        fprintf(out, "  feasible:     no architecture satisfies %s (exact)\n", what);
    else if (fi->known)
        fprintf(out,
                "  feasible:     %s architectures satisfy %s (exact: a DP over %lld states, %.2f s)\n"
                "    random draws are among them; a draw of the whole space would be feasible with "
                "probability %.3g%%\n",
                fi->count, what, (long long)fi->states, fi->seconds, 100 * fi->fraction);
    else
        fprintf(out,
                "  feasible:     how many satisfy %s is not known: %s\n"
                "    random draws are of the whole space; infeasible ones are rejected at run time\n",
                what, fi->why);
}

static void line(FILE *out, const ModelSpace *ms, const int32_t *arch)
{
    const Space *s = model_space(ms);
    char id[256], dec[2048];
    SpaceError se;
    if (space_arch_to_id(s, arch, id, sizeof id, &se) != SPACE_OK) snprintf(id, sizeof id, "?");
    check_format_decisions(s, arch, dec, sizeof dec);
    Arena a;
    arena_init(&a);
    ModelError me;
    Graph *g = model_instantiate(ms, arch, &a, &me);
    GraphStats st;
    GraphError ge;
    if (g && graph_stats(g, 1, 0, &st, &ge) == 0)
        fprintf(out, "%-16s params %-9lld MACs %-11lld %s\n", id, (long long)st.params, (long long)st.macs, dec);
    else fprintf(out, "%-16s (no graph: %s) %s\n", id, g ? ge.msg : me.msg, dec);
    arena_free(&a);
}

int emit_samples(FILE *out, const ModelSpace *ms, int n, uint64_t seed, const char *method)
{
    const Space *s = model_space(ms);
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    if (!arch) return 2;
    int rc = 0;
    if (!strcmp(method, "random")) {
        SpaceRng r;
        space_rng_seed(&r, seed);
        for (int i = 0; i < n; i++) {
            space_sample(s, &r, arch);
            line(out, ms, arch);
        }
    } else if (!strcmp(method, "grid")) {
        SpaceGrid *g = space_grid_new(s, 5);
        if (g && space_grid_seed(g, seed) != 0) {
            space_grid_free(g);
            g = NULL;
        }
        for (int i = 0; g && i < n && space_grid_next(g, arch); i++) line(out, ms, arch);
        space_grid_free(g);
    } else if (!strcmp(method, "sobol")) {
        SpaceError e;
        SpaceSobol *q = space_sobol_new(s, seed, &e);
        if (!q) {
            fprintf(stderr, "nasc: sobol: %s\n", e.msg);
            rc = 2;
        }
        for (int i = 0; q && i < n; i++) {
            space_sobol_next(q, arch);
            line(out, ms, arch);
        }
        space_sobol_free(q);
    } else {
        fprintf(stderr, "nasc: --method takes random, grid or sobol (got '%s')\n", method);
        rc = 2;
    }
    free(arch);
    return rc;
}

static int32_t *decode(const ModelSpace *ms, const char *id)
{
    const Space *s = model_space(ms);
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    SpaceError e;
    if (arch && space_id_to_arch(s, id, arch, &e) != SPACE_OK) {
        fprintf(stderr, "nasc: architecture ID '%s': %s\n", id, e.msg);
        if (e.pos >= 0 && e.pos < (int)strlen(id)) fprintf(stderr, "  %s\n  %*s^\n", id, e.pos, "");
        free(arch);
        return NULL;
    }
    return arch;
}

int emit_decode(FILE *out, const ModelSpace *ms, const char *id)
{
    const Space *s = model_space(ms);
    int32_t *arch = decode(ms, id);
    if (!arch) return 1;
    for (int d = 0; d < space_count(s); d++) {
        const SpaceDecision *sd = space_decision(s, d);
        char val[128] = "(inactive)";
        if (arch[d] != SPACE_INACTIVE) space_value_format(s, d, arch[d], val, sizeof val);
        fprintf(out, "%-28s %s\n", sd->name, val);
    }
    line(out, ms, arch);
    free(arch);
    return 0;
}

/* One `name=value` of an --encode list into arch; -1 with a message on stderr. */
static int encode_one(const Space *s, const char *item, size_t len, int32_t *arch, bool *given)
{
    while (len && (*item == ' ' || *item == '\t')) item++, len--;
    while (len && (item[len - 1] == ' ' || item[len - 1] == '\t')) len--;
    char buf[512];
    const char *eq = memchr(item, '=', len);
    if (!eq || len >= sizeof buf) {
        fprintf(stderr, "nasc: --encode: `%.*s` is not name=value\n", (int)len, item);
        return -1;
    }
    memcpy(buf, item, len);
    buf[len] = 0;
    buf[eq - item] = 0;
    int d = space_find(s, buf);
    if (d < 0) {
        fprintf(stderr, "nasc: --encode: the space has no decision `%s` (--emit=space lists them)\n", buf);
        return -1;
    }
    if (given[d]) {
        fprintf(stderr, "nasc: --encode: `%s` is given twice\n", buf);
        return -1;
    }
    SpaceError e;
    if (space_value_parse(s, d, buf + (eq - item) + 1, &arch[d], &e) != SPACE_OK) {
        fprintf(stderr, "nasc: --encode: %s\n", e.msg);
        return -1;
    }
    given[d] = true;
    return 0;
}

int emit_encode(FILE *out, const ModelSpace *ms, const char *decisions)
{
    const Space *s = model_space(ms);
    int n = space_count(s);
    int32_t *arch = calloc((size_t)n + 1, sizeof *arch);
    bool *given = calloc((size_t)n + 1, sizeof *given);
    char *id = malloc(space_id_len(s));
    int rc = arch && given && id ? 0 : 2;
    /* items split at each comma that a decision's `name=` follows: a value's own commas (a
     * oneof's label "f(x, 2)", a subset "{a,c}") are not followed by one */
    for (const char *start = decisions, *p = decisions; !rc; p++) {
        if (*p == ',') {
            const char *name = p + 1 + strspn(p + 1, " \t"), *eq = strchr(name, '=');
            char buf[256];
            size_t n = eq ? (size_t)(eq - name) : 0;
            if (!eq || n >= sizeof buf) continue;
            memcpy(buf, name, n);
            buf[n] = 0;
            if (space_find(s, buf) < 0) continue;
        } else if (*p) continue;
        if (p > start && encode_one(s, start, (size_t)(p - start), arch, given)) rc = 1;
        if (!*p) break;
        start = p + 1;
    }
    /* a decision not given must be one this architecture does not have */
    int32_t *canon = rc ? NULL : malloc(sizeof *canon * ((size_t)n + 1));
    if (!rc && !canon) rc = 2;
    if (!rc) {
        memcpy(canon, arch, sizeof *arch * (size_t)n);
        space_canonicalize(s, canon);
    }
    for (int d = 0; d < n && !rc; d++) {
        const char *name = space_decision(s, d)->name;
        if (!given[d] && canon[d] != SPACE_INACTIVE) {
            fprintf(stderr, "nasc: --encode: decision `%s` is not given\n", name);
            rc = 1;
        } else if (given[d] && canon[d] == SPACE_INACTIVE) {
            fprintf(stderr, "nasc: --encode: decision `%s` is given but this architecture does not have it\n", name);
            rc = 1;
        }
    }
    SpaceError e;
    if (!rc && space_arch_to_id(s, canon, id, space_id_len(s), &e) != SPACE_OK) {
        fprintf(stderr, "nasc: --encode: %s\n", e.msg);
        rc = 1;
    }
    if (!rc) fprintf(out, "%s\n", id);
    free(canon);
    free(id);
    free(given);
    free(arch);
    return rc;
}

int emit_graph(FILE *out, const ModelSpace *ms, const char *id, bool dot)
{
    int32_t *arch = decode(ms, id);
    if (!arch) return 1;
    Arena a;
    arena_init(&a);
    ModelError me;
    Graph *g = model_instantiate(ms, arch, &a, &me);
    GraphError ge;
    int rc = 0;
    if (!g) {
        fprintf(stderr, "nasc: architecture %s has no graph: %s\n", id, me.msg);
        rc = 1;
    } else if (graph_build_backward(g, &ge) != 0) {
        fprintf(stderr, "nasc: architecture %s: %s\n", id, ge.msg);
        rc = 1;
    } else if (dot) {
        graph_print_dot(g, out);
    } else {
        graph_print_text(g, out);
    }
    arena_free(&a);
    free(arch);
    return rc;
}
