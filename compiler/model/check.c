/* check.c — whole-space checks by instantiating architectures (see check.h for what is
 * exact and what is sampled). Each distinct failure is reported once, with the decisions of
 * the first architecture that showed it. */
#include "check_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

CheckOptions check_defaults(void)
{
    /* nasc runs this on every check, so it stays well under a second: the static check
     * gives the verdict and exact params/MACs; memory bounds come from a few instantiations. */
    return (CheckOptions){
        .exhaustive_limit = 256, .samples = 64, .seed = 1, .batch = 128, .optim_slots = 1, .static_budget = 20000};
}

void check_format_decisions(const Space *s, const int32_t *arch, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (int d = 0; d < space_count(s) && n + 1 < size; d++) {
        if (arch[d] == SPACE_INACTIVE) continue;
        char val[64];
        space_value_format(s, d, arch[d], val, sizeof val);
        int w = snprintf(buf + n, size - n, "%s%s=%s", n ? ", " : "", space_decision(s, d)->name, val);
        if (w < 0) break;
        n += (size_t)w < size - n ? (size_t)w : size - n - 1;
    }
}

typedef struct Seen {
    Loc loc;
    char msg[320];
} Seen;

/* Reports each distinct failure (by place and message; at a proxy's candidate by place alone:
 * one error per failing expression there) once, with its counterexample. */
typedef struct Reporter {
    const ModelSpace *ms;
    const CheckOptions *opt; /* a proxy's candidate: opt->scale, reported at opt->scale_at */
    Seen *seen;
    int n;
    CheckResult *r;
    Arena a, full; /* one architecture's graph (and its full-width twin), emptied between them */
} Reporter;

/* "resolution 14 (input [1, 14, 14])", "width 0.5", "width 0.5 and resolution 14 (input ...)". */
static void scale_text(const ModelScale *sc, char *buf, size_t size)
{
    const int64_t *in = sc->input;
    int k = 0;
    if (sc->width > 0 && sc->width < 1) k = snprintf(buf, size, "width %g%s", sc->width, in ? " and " : "");
    if (in && k >= 0 && (size_t)k < size)
        snprintf(buf + k, size - (size_t)k, "resolution %lld (input [%lld, %lld, %lld])", (long long)in[1],
                 (long long)in[0], (long long)in[1], (long long)in[2]);
}

/* Whether the declared model's check already reported a failure at `at` (NAS0901). */
static bool declared_fails_at(const Diag *d, Loc at)
{
    for (int i = 0; i < d->count; i++)
        if (d->items[i].code == NAS0901 && d->items[i].loc.file == at.file && d->items[i].loc.begin == at.begin)
            return true;
    return false;
}

static void report(void *ctx, const ModelError *err, const int32_t *arch, bool lint)
{
    Reporter *rp = ctx;
    bool scaled = model_scale_changes(&rp->opt->scale);
    Program *p = model_program(rp->ms);
    Loc at = err->loc.file >= 0 ? err->loc : model_node(rp->ms)->fndef.name_loc;
    /* a place where the declared model fails is reported there, not again at each candidate */
    if (scaled && declared_fails_at(p->diag, at)) return;
    for (int i = 0; i < rp->n; i++)
        if (rp->seen[i].loc.file == err->loc.file && rp->seen[i].loc.begin == err->loc.begin &&
            (scaled || strcmp(rp->seen[i].msg, err->msg) == 0))
            return;
    Seen *grown = realloc(rp->seen, sizeof *grown * (size_t)(rp->n + 1));
    if (!grown) return;
    rp->seen = grown;
    rp->seen[rp->n].loc = err->loc;
    snprintf(rp->seen[rp->n++].msg, sizeof err->msg, "%s", err->msg);
    const Space *s = model_space(rp->ms);
    int di;
    if (scaled && lint) return; /* the declared model's check warns about it */
    if (scaled) {
        char what[160];
        scale_text(&rp->opt->scale, what, sizeof what);
        di = diag_error(p->diag, NAS0903, rp->opt->scale_at, "at %s some architectures do not build: %s", what,
                        err->msg);
        diag_note(p->diag, di, at, "it fails here");
    } else {
        di = lint ? diag_warning(p->diag, NAS0902, at, "%s (in some architectures of the space)", err->msg)
                  : diag_error(p->diag, NAS0901, at, "%s (for some architectures of the space)", err->msg);
    }
    char dec[1024], id[256];
    SpaceError se;
    check_format_decisions(s, arch, dec, sizeof dec);
    if (space_arch_to_id(s, arch, id, sizeof id, &se) != SPACE_OK) snprintf(id, sizeof id, "?");
    diag_note(p->diag, di, at, "for example architecture %s: %s", id, dec);
    if (!lint) rp->r->errors_reported++;
}

static void bound(CheckBound *b, int64_t v, bool first)
{
    if (first || v < b->min) b->min = v;
    if (first || v > b->max) b->max = v;
}

/* One architecture: instantiate, fold its statistics in, report a failure. */
static void check_one(Reporter *rp, const CheckOptions *opt, const int32_t *arch, CheckResult *r)
{
    arena_reset(&rp->a);
    ModelError err;
    Graph *g = model_instantiate_at(rp->ms, arch, &opt->scale, &rp->a, &err);
    GraphStats st;
    GraphError ge;
    if (g && graph_stats(g, opt->batch, opt->optim_slots, &st, &ge) != 0) {
        g = NULL;
        snprintf(err.msg, sizeof err.msg, "%s", ge.msg);
        err.loc = (Loc){.file = -1};
    }
    bool first = r->checked - r->instantiate_failed == 0;
    r->checked++;
    if (g && opt->scale.width > 0 && opt->scale.width < 1 && !opt->scale.input) {
        /* the same graph (graph_hash: every layer's attributes, filters among them) */
        arena_reset(&rp->full);
        Graph *fg = model_instantiate_at(rp->ms, arch, NULL, &rp->full, &err);
        if (fg && graph_hash(fg) == graph_hash(g)) r->width_same++;
    }
    if (g) {
        bound(&r->params, st.params, first);
        bound(&r->macs, st.macs, first);
        bound(&r->train_bytes, st.train_total_bytes, first);
        bound(&r->infer_bytes, st.infer_bytes, first);
    } else {
        r->instantiate_failed++;
        report(rp, &err, arch, false);
    }
}

int check_space(const ModelSpace *ms, const CheckOptions *opt, CheckResult *r)
{
    memset(r, 0, sizeof *r);
    const Space *s = model_space(ms);
    int n = space_count(s);
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    if (!arch) return -1;
    Reporter rp = {.ms = ms, .opt = opt, .r = r};
    arena_init(&rp.a);
    arena_init(&rp.full);
    check_static(ms, &opt->scale, r, report, &rp, opt->static_budget);
    bool cont;
    char size[64];
    r->exhaustive = space_size(s, size, sizeof size, &cont) == SPACE_OK && !cont &&
                    space_size_log10(s) <= __builtin_log10(opt->exhaustive_limit) + 1e-9;
    if (r->exhaustive) {
        SpaceGrid *g = space_grid_new(s, 1);
        while (g && space_grid_next(g, arch)) check_one(&rp, opt, arch, r);
        space_grid_free(g);
    } else {
        SpaceRng rng;
        space_rng_seed(&rng, opt->seed);
        for (int i = 0; i < opt->samples; i++) {
            space_sample(s, &rng, arch);
            check_one(&rp, opt, arch, r);
        }
    }
    arena_free(&rp.a);
    arena_free(&rp.full);
    free(rp.seen);
    free(arch);
    return r->errors_reported ? 1 : 0;
}

/* A width that changes no architecture checked would train the declared model again under the
 * name of a cheaper proxy: an error when every architecture was checked, else a warning. */
static void check_width_changes(const ModelSpace *ms, double width, Loc at, const CheckResult *r)
{
    int64_t built = r->checked - r->instantiate_failed;
    if (built == 0 || r->width_same < built) return;
    Diag *d = model_program(ms)->diag;
    const char *fmt = "width %g changes none of the architectures %s (%lld built at it): their conv2d and "
                      "pointwise layers keep their filters (max(1, round(filters x %g))) or they have none, and "
                      "other layers are not scaled";
    if (r->exhaustive) diag_error(d, NAS0904, at, fmt, width, "of the space", (long long)built, width);
    else diag_warning(d, NAS0904, at, fmt, width, "sampled", (long long)built, width);
}

/* The check at one candidate; its verdict appended to buf for the summary. true: no failure. */
static bool check_scale(const ModelSpace *ms, const CheckOptions *co, ModelScale sc, Loc at, char *buf, size_t *n,
                        size_t size)
{
    CheckOptions o = *co;
    o.scale = sc;
    o.scale_at = at;
    CheckResult r;
    check_space(ms, &o, &r);
    if (!sc.input) check_width_changes(ms, sc.width, at, &r);
    char in[96] = "", wd[48] = "";
    if (sc.input)
        snprintf(in, sizeof in, "[%lld, %lld, %lld]", (long long)sc.input[0], (long long)sc.input[1],
                 (long long)sc.input[2]);
    if (sc.width > 0 && sc.width < 1) snprintf(wd, sizeof wd, "%swidth %g", sc.input ? " at " : "", sc.width);
    int w = snprintf(buf + *n, size - *n, "%s%s%s (%s)", *n ? ", " : "", in, wd,
                     r.proven ? "proven" : "checked, not proven");
    if (w > 0) *n += (size_t)w < size - *n ? (size_t)w : size - *n - 1;
    return r.errors_reported == 0;
}

void check_proxy_scales(const ModelSpace *ms, const CheckOptions *co, const NasConfig *c, char *buf, size_t size)
{
    const NasProxy *px = c->proxy;
    size_t n = 0;
    buf[0] = 0;
    if (!px) return;
    int nr = px->nresolution, nw = px->nwidth;
    int64_t(*in)[3] = calloc((size_t)nr, sizeof *in);
    bool *lower = calloc((size_t)nr, sizeof *lower), *res_ok = calloc((size_t)nr, sizeof *res_ok),
         *w_ok = calloc((size_t)nw, sizeof *w_ok);
    if (!in || !lower || !res_ok || !w_ok) goto out;
    /* each alone first, so that a failure is reported where it comes from; a combination only
     * of a resolution and a width that both build (a shape that fits neither is another error) */
    for (int i = 0; i < nr; i++) {
        lower[i] = config_proxy_input(c, px->resolution[i], in[i]);
        if (lower[i])
            res_ok[i] = check_scale(ms, co, (ModelScale){.input = in[i]}, px->resolution_at[i], buf, &n, size);
    }
    for (int j = 0; j < nw; j++)
        if (px->width[j] < 1)
            w_ok[j] = check_scale(ms, co, (ModelScale){.width = px->width[j]}, px->width_at[j], buf, &n, size);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nw; j++)
            if (lower[i] && res_ok[i] && px->width[j] < 1 && w_ok[j])
                check_scale(ms, co, (ModelScale){.input = in[i], .width = px->width[j]}, px->width_at[j], buf, &n,
                            size);
out:
    free(in);
    free(lower);
    free(res_ok);
    free(w_ok);
}
