/* check_sound_test.c — the static whole-space check against brute force: for every given
 * space of at most 10^5 architectures, the set of distinct errors (place and message) found
 * statically equals the set found by instantiating every architecture, every static
 * counterexample really fails with its error, and the static min/max of params and MACs
 * equal the brute-force ones. Spaces with float ranges cannot be enumerated: a file that says
 * `// expect-proof: yes` (or `no`) must get that verdict, and 400 sampled architectures must
 * fail only where the static check reported an error. */
#include "check_int.h"
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Err {
    int file, begin;
    char msg[320];
} Err;
typedef struct Set {
    Err e[64];
    int n;
} Set;

static bool add(Set *s, const ModelError *err)
{
    for (int i = 0; i < s->n; i++)
        if (s->e[i].file == err->loc.file && s->e[i].begin == err->loc.begin && !strcmp(s->e[i].msg, err->msg))
            return false;
    if (s->n == 64) return false;
    s->e[s->n].file = err->loc.file;
    s->e[s->n].begin = err->loc.begin;
    snprintf(s->e[s->n++].msg, sizeof s->e[0].msg, "%s", err->msg);
    return true;
}

static bool has(const Set *s, const Err *e)
{
    for (int i = 0; i < s->n; i++)
        if (s->e[i].file == e->file && s->e[i].begin == e->begin && !strcmp(s->e[i].msg, e->msg)) return true;
    return false;
}

typedef struct Ctx {
    const ModelSpace *ms;
    Set set;
    int bad_witness;
    int lints; /* NAS0902 reports (with duplicates) */
} Ctx;

/* The lint on a built architecture (compared with the static check's NAS0902): some node reads
 * only values that are identically zero. */
static bool reads_only_zero(const Graph *g)
{
    const bool *zero = graph_zero_values(g, NULL);
    for (int i = 0; i < g->nfwd; i++) {
        const int *in;
        int n = graph_data_inputs(g, i, &in);
        bool all = n > 0 && g->nodes[i].op != GOP_ZERO && g->nodes[i].phase == GPHASE_FORWARD;
        for (int k = 0; all && k < n; k++) all = zero[in[k]];
        if (all) return true;
    }
    return false;
}

static void collect(void *c, const ModelError *err, const int32_t *arch, bool lint)
{
    Ctx *ctx = c;
    if (lint) {
        /* The example architecture must show it when built on its own. */
        Arena a;
        arena_init(&a);
        ModelError e;
        Graph *g = model_instantiate(ctx->ms, arch, &a, &e);
        ctx->lints++;
        if (!g || !reads_only_zero(g)) {
            fprintf(stderr, "  lint example does not read only zero: %s\n", err->msg);
            ctx->bad_witness++;
        }
        arena_free(&a);
        return;
    }
    if (!add(&ctx->set, err)) return;
    /* The counterexample must show the same error when built on its own. */
    Arena a;
    arena_init(&a);
    ModelError again;
    Graph *g = model_instantiate(ctx->ms, arch, &a, &again);
    if (g || again.loc.begin != err->loc.begin || strcmp(again.msg, err->msg) != 0) {
        fprintf(stderr, "  counterexample does not reproduce \"%s\" (got %s)\n", err->msg, g ? "a graph" : again.msg);
        ctx->bad_witness++;
    }
    arena_free(&a);
}

/* `// expect-proof: yes|no` in the file: 1 yes, 0 no, -1 absent */
static int expected_proof(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int r = -1;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "// expect-proof: yes")) r = 1;
        else if (strstr(line, "// expect-proof: no")) r = 0;
    if (f) fclose(f);
    return r;
}

/* A space with sampled float decisions: the verdict, and sampled architectures against it. */
static int check_sampled(const char *path, const ModelSpace *ms, int expect)
{
    const Space *s = model_space(ms);
    Ctx st = {.ms = ms};
    CheckResult r = {0};
    check_static(ms, NULL, &r, collect, &st, 1000000);
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    SpaceRng rng;
    space_rng_seed(&rng, 7);
    int missed = 0;
    for (int i = 0; i < 400; i++) {
        space_sample(s, &rng, arch);
        Arena ga;
        arena_init(&ga);
        ModelError err;
        /* the same place (a sampled value makes another message: "rate 1.03 is outside") */
        bool seen = false;
        if (!model_instantiate(ms, arch, &ga, &err)) {
            for (int k = 0; k < st.set.n; k++)
                seen |= st.set.e[k].file == err.loc.file && st.set.e[k].begin == err.loc.begin;
            if (!seen && missed++ < 3) fprintf(stderr, "  sampled, missed statically: %s\n", err.msg);
        }
        arena_free(&ga);
    }
    free(arch);
    bool ok = r.proven == (expect == 1) && missed == 0 && st.bad_witness == 0;
    printf("%s %s: float ranges; %s (expected %s), %d distinct errors statically, 400 sampled architectures\n",
           ok ? "ok  " : "FAIL", path, r.proven ? "proved" : "not a proof", expect ? "proved" : "not a proof",
           st.set.n);
    return ok ? 1 : -1;
}

/* 1 checked and agreed, 0 skipped, -1 disagreed. */
static int check_file(const char *path, const char *stdlib)
{
    Compiled c;
    int rc = 0;
    ModelSpace *ms = nas_compile(&c, path, &(CompileOptions){.stdlib_dir = stdlib}) == 0 ? c.space : NULL;
    if (!ms) goto done;
    const Space *s = model_space(ms);
    bool cont;
    char size[64];
    int expect = expected_proof(path);
    if (expect >= 0) {
        rc = check_sampled(path, ms, expect);
        goto done;
    }
    if (space_size(s, size, sizeof size, &cont) != SPACE_OK || cont || space_size_log10(s) > 5) goto done;
    Ctx st = {.ms = ms};
    CheckResult r = {0};
    check_static(ms, NULL, &r, collect, &st, 1000000);
    Set brute = {0};
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    SpaceGrid *g = space_grid_new(s, 1);
    int64_t total = 0, built = 0, zero_archs = 0;
    CheckBound params = {0}, macs = {0};
    while (space_grid_next(g, arch)) {
        Arena ga;
        arena_init(&ga);
        ModelError err;
        Graph *gr = model_instantiate(ms, arch, &ga, &err);
        if (!gr) add(&brute, &err);
        else {
            zero_archs += reads_only_zero(gr);
            /* what a trial reports: the layers that reach the logits (graph_stats) */
            int64_t p, m;
            graph_live_cost(gr, graph_live(gr, false), &p, &m);
            if (!built++) {
                params.min = params.max = p;
                macs.min = macs.max = m;
            }
            if (p < params.min) params.min = p;
            if (p > params.max) params.max = p;
            if (m < macs.min) macs.min = m;
            if (m > macs.max) macs.max = m;
        }
        arena_free(&ga);
        total++;
    }
    space_grid_free(g);
    free(arch);
    /* the grid enumerates exactly the space's size (conditional decisions counted right) */
    if (total != atoll(size)) fprintf(stderr, "  the grid gave %lld architectures, the size is %s\n", (long long)total, size);
    bool same = st.set.n == brute.n && st.bad_witness == 0 && r.proven && total == atoll(size);
    /* Params and MACs over the architectures that build: exact from the static check. */
    bool bounds = built == 0
                      ? !r.static_bounds
                      : r.static_bounds && r.static_params.min == params.min && r.static_params.max == params.max &&
                            r.static_macs.min == macs.min && r.static_macs.max == macs.max;
    if (!bounds)
        fprintf(stderr, "  bounds differ: params %lld..%lld vs %lld..%lld, MACs %lld..%lld vs %lld..%lld\n",
                (long long)r.static_params.min, (long long)r.static_params.max, (long long)params.min,
                (long long)params.max, (long long)r.static_macs.min, (long long)r.static_macs.max, (long long)macs.min,
                (long long)macs.max);
    same &= bounds;
    /* The lint fires exactly when some architecture has a node reading only zero. */
    if ((zero_archs > 0) != (st.lints > 0)) {
        fprintf(stderr, "  %lld architectures read only zero somewhere, %d lints statically\n", (long long)zero_archs,
                st.lints);
        same = false;
    }
    for (int i = 0; same && i < brute.n; i++) same = has(&st.set, &brute.e[i]);
    printf("%s %s: %lld architectures, %d distinct errors by brute force, %d statically in %lld evaluations%s\n",
           same ? "ok  " : "FAIL", path, (long long)total, brute.n, st.set.n, (long long)r.static_runs,
           r.proven ? "" : " (not a proof)");
    if (!same)
        for (int i = 0; i < brute.n; i++)
            if (!has(&st.set, &brute.e[i])) fprintf(stderr, "  missed statically: %s\n", brute.e[i].msg);
    rc = same ? 1 : -1;
done:
    nas_compile_free(&c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: check_sound_test STDLIB FILE.nas...\n");
        return 2;
    }
    int checked = 0, failed = 0;
    for (int i = 2; i < argc; i++) {
        int rc = check_file(argv[i], argv[1]);
        checked += rc != 0;
        failed += rc < 0;
    }
    printf("%d spaces compared, %d disagree\n", checked, failed);
    /* The dedicated spaces alone are more than this: fewer means files failed to load. */
    if (checked < 5) {
        fprintf(stderr, "only %d spaces could be compared\n", checked);
        return 1;
    }
    return failed ? 1 : 0;
}
