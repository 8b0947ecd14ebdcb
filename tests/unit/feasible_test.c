/* feasible_test.c — the feasible-set DP (compiler/model/feasible.c) against brute force. For
 * every given space of at most 20000 architectures (every one enumerated and built, params and
 * MACs from graph_stats, as the run time measures them) and bounds at attained values (so an
 * off-by-one at the bound shows) on params, on MACs and on both: the exact count equals the
 * number of architectures within the bound, under both samplings; every architecture's
 * figures read off the tables (feasible_figures) are its measured ones and its membership
 * (feasible_contains) is the bound's; 20000 draws are all valid and feasible, and every
 * architecture's frequency is within 5 sigma of its probability (uniform: 1/M; decisions:
 * prod 1/arity renormalised over the feasible set); the same seed gives the same draws. A
 * space where some architecture does not build must give "not known". A file that says
 * `// expect-feasible: exact` must get exact counts, one that says `unknown` none. Also
 * feasible_bound on hand-written constraints (<= at an attained value counts it, < does not;
 * params and flops together bound both). */
#include "compile.h"
#include "feasible.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ARCHS = 20000, DRAWS = 20000 };

static int failures;
#define CHECK(c, ...)                                            \
    do {                                                         \
        if (!(c)) {                                              \
            failures++;                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                        \
            fputc('\n', stderr);                                 \
        }                                                        \
    } while (0)

typedef struct All {
    int n, slots;
    int32_t *arch;          /* n x slots */
    int64_t *params, *macs; /* per architecture */
    double *w;              /* prod 1/arity over the active decisions */
    int *table, cap;        /* hash of the vectors -> index + 1 */
    bool fails;             /* some architecture does not build */
} All;

static int lookup(const All *a, const Space *s, const int32_t *v)
{
    uint64_t h = space_arch_hash(s, v);
    for (int i = (int)(h % (uint64_t)a->cap);; i = (i + 1) % a->cap) {
        if (!a->table[i]) return -1;
        if (space_arch_equal(s, a->arch + (size_t)(a->table[i] - 1) * a->slots, v)) return a->table[i] - 1;
    }
}

/* Every architecture (continuous decisions at one point: the size counts them once). */
static bool enumerate(const ModelSpace *ms, All *a)
{
    const Space *s = model_space(ms);
    a->slots = space_count(s);
    if (space_size_log10(s) > log10(MAX_ARCHS)) return false;
    a->arch = malloc(sizeof *a->arch * (size_t)MAX_ARCHS * (size_t)(a->slots + 1));
    a->params = malloc(sizeof *a->params * MAX_ARCHS);
    a->macs = malloc(sizeof *a->macs * MAX_ARCHS);
    a->w = malloc(sizeof *a->w * MAX_ARCHS);
    a->cap = 4 * MAX_ARCHS + 1;
    a->table = calloc((size_t)a->cap, sizeof *a->table);
    SpaceGrid *g = space_grid_new(s, 1);
    int32_t *v = a->arch;
    while (a->n < MAX_ARCHS && space_grid_next(g, v)) {
        Arena ar;
        arena_init(&ar);
        ModelError me;
        Graph *gr = model_instantiate(ms, v, &ar, &me);
        GraphStats st;
        GraphError ge;
        if (!gr || graph_stats(gr, 1, 0, &st, &ge) != 0) a->fails = true;
        else {
            a->params[a->n] = st.params;
            a->macs[a->n] = st.macs;
        }
        arena_free(&ar);
        double w = 1;
        for (int d = 0; d < a->slots; d++)
            if (v[d] != SPACE_INACTIVE && !space_decision(s, d)->continuous) w /= space_decision(s, d)->arity;
        a->w[a->n] = w;
        uint64_t h = space_arch_hash(s, v);
        int i = (int)(h % (uint64_t)a->cap);
        while (a->table[i]) i = (i + 1) % a->cap;
        a->table[i] = a->n + 1;
        a->n++;
        v += a->slots;
    }
    space_grid_free(g);
    return true;
}

static void all_free(All *a)
{
    free(a->arch);
    free(a->params);
    free(a->macs);
    free(a->w);
    free(a->table);
}

static int cmp64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* `// expect-feasible: exact` 1, `unknown` 0, absent -1 */
static int expected(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int r = -1;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "// expect-feasible: exact")) r = 1;
        else if (strstr(line, "// expect-feasible: unknown")) r = 0;
    if (f) fclose(f);
    return r;
}

/* Is architecture i within b? */
static bool in_bound(const All *a, const FeasBound *b, int i)
{
    int64_t fig[2] = {a->params[i], a->macs[i]};
    for (int x = 0; x < 2; x++)
        if (b->on[x] && (fig[x] < b->lo[x] || fig[x] > b->hi[x])) return false;
    return true;
}

static void bound_text(const FeasBound *b, char *buf, size_t size)
{
    snprintf(buf, size, "params [%lld, %lld]%s macs [%lld, %lld]%s", (long long)b->lo[0], (long long)b->hi[0],
             b->on[0] ? "" : " (off)", (long long)b->lo[1], (long long)b->hi[1], b->on[1] ? "" : " (off)");
}

/* One bound under one sampling: the count, the membership test, the draws. Returns 1 if the
 * count was exact. */
static int one_bound(const char *path, Compiled *c, const All *a, const FeasBound *b, SpaceSampling how)
{
    const Space *s = model_space(c->space);
    char text[160];
    bound_text(b, text, sizeof text);
    int64_t brute = 0;
    double wsum = 0;
    for (int i = 0; i < a->n; i++)
        if (in_bound(a, b, i)) {
            brute++;
            wsum += a->w[i];
        }
    FeasInfo info;
    Feasible *f = feasible_new(c->space, b, how, &info);
    const char *mode = how == SPACE_SAMPLE_UNIFORM ? "uniform" : "decisions";
    if (!info.known) {
        CHECK(!f && info.why[0], "%s: not known without a reason", path);
        fprintf(stderr, "  %s %s %s: not known (%s)\n", path, mode, text, info.why);
        return 0;
    }
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)brute);
    CHECK(!strcmp(info.count, want), "%s %s %s: DP %s, brute force %s", path, mode, text, info.count, want);
    if (!f) return 1; /* zero feasible: nothing to draw */
    /* The membership test: every architecture's figures read off the tables are its
     * measured ones, and it is feasible iff it is within the bound. */
    int wrong = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t fig[2];
        bool ok = feasible_figures(f, a->arch + (size_t)i * a->slots, fig);
        wrong += !ok || (b->on[0] && fig[0] != a->params[i]) || (b->on[1] && fig[1] != a->macs[i]) ||
                 feasible_contains(f, a->arch + (size_t)i * a->slots) != in_bound(a, b, i);
    }
    CHECK(wrong == 0, "%s %s %s: %d architectures with other figures or membership than measured", path, mode, text,
          wrong);
    int *seen = calloc((size_t)a->n, sizeof *seen);
    int32_t *v = malloc(sizeof *v * (size_t)(a->slots + 1)), *v2 = malloc(sizeof *v2 * (size_t)(a->slots + 1));
    SpaceRng r, r2;
    space_rng_seed(&r, 7);
    space_rng_seed(&r2, 7);
    int bad = 0, nondet = 0;
    for (int k = 0; k < DRAWS; k++) {
        feasible_sample(f, &r, v);
        if (k < 200) { /* resume = replay: the same seed, the same draws */
            feasible_sample(f, &r2, v2);
            nondet += !space_arch_equal(s, v, v2);
        }
        for (int d = 0; d < a->slots; d++) /* the enumeration's one point of a continuous range */
            if (v[d] != SPACE_INACTIVE && space_decision(s, d)->continuous) v[d] = (SPACE_FINE_POINTS - 1) / 2;
        SpaceError se;
        int i = space_validate(s, v, &se) == SPACE_OK ? lookup(a, s, v) : -1;
        if (i < 0 || !in_bound(a, b, i)) bad++;
        else seen[i]++;
    }
    CHECK(bad == 0, "%s %s: %d of %d draws invalid or infeasible", path, mode, bad, DRAWS);
    CHECK(nondet == 0, "%s %s: the same seed drew other architectures", path, mode);
    /* Each architecture with at least 20 expected draws, and each (decision, value) marginal
     * (small means make a per-architecture normal test meaningless). */
    int off = 0;
    double *pm = calloc((size_t)a->slots * 64 + 1, sizeof *pm);
    int *om = calloc((size_t)a->slots * 64 + 1, sizeof *om);
    for (int i = 0; i < a->n; i++) {
        if (!in_bound(a, b, i)) continue;
        double p = how == SPACE_SAMPLE_UNIFORM ? 1.0 / (double)brute : a->w[i] / wsum;
        double mean = DRAWS * p, sd = sqrt(DRAWS * p * (1 - p));
        if (mean >= 20 && fabs(seen[i] - mean) > 5 * sd) {
            fprintf(stderr, "  architecture %d: drawn %d times, expected %.1f\n", i, seen[i], mean);
            off++;
        }
        const int32_t *x = a->arch + (size_t)i * a->slots;
        for (int d = 0; d < a->slots; d++)
            if (x[d] >= 0 && x[d] < 64) {
                pm[d * 64 + x[d]] += p;
                om[d * 64 + x[d]] += seen[i];
            }
    }
    for (int k = 0; k < a->slots * 64; k++) {
        double mean = DRAWS * pm[k], sd = sqrt(DRAWS * pm[k] * (1 - pm[k]));
        if (pm[k] > 0 && fabs(om[k] - mean) > 5 * sd + 1e-9) {
            fprintf(stderr, "  %s = value %d: drawn %d times, expected %.1f\n", space_decision(s, k / 64)->name, k % 64,
                    om[k], mean);
            off++;
        }
    }
    CHECK(off == 0, "%s %s: %d frequencies more than 5 sigma off their probability", path, mode, off);
    free(pm);
    free(om);
    free(seen);
    free(v);
    free(v2);
    feasible_free(f);
    return 1;
}

static void check_file(const char *path, const char *stdlib)
{
    Compiled c;
    if (nas_compile(&c, path, &(CompileOptions){.stdlib_dir = stdlib}) != 0 || !c.space) {
        nas_compile_free(&c);
        return;
    }
    All a = {0};
    if (!enumerate(c.space, &a)) {
        all_free(&a);
        nas_compile_free(&c);
        return;
    }
    int expect = expected(path);
    bool exact = expect == 1;
    if (a.fails) { /* never a count that includes architectures without a graph */
        FeasBound b = {.on = {true, false}, .hi = {INT64_MAX / 4, 0}};
        FeasInfo info;
        Feasible *f = feasible_new(c.space, &b, SPACE_SAMPLE_DECISIONS, &info);
        CHECK(!f && !info.known, "%s: some architectures fail, yet a count %s", path, info.count);
        CHECK(!exact, "%s: expects an exact count, but some architectures fail", path);
        feasible_free(f);
    } else {
        int known = 0, tried = 0;
        int64_t *sorted[2];
        for (int fig = 0; fig < 2; fig++) {
            sorted[fig] = malloc(sizeof *sorted[fig] * (size_t)a.n);
            memcpy(sorted[fig], fig ? a.macs : a.params, sizeof *sorted[fig] * (size_t)a.n);
            qsort(sorted[fig], (size_t)a.n, sizeof *sorted[fig], cmp64);
        }
        /* bounds at attained values: on each figure a lower third, a middle band (and on params
         * everything: the same set as on MACs);
         * on both, the lower halves (a box whose corner is not attained) and a middle band of
         * params under the upper quartile of MACs */
        FeasBound bs[8];
        int nb = 0;
        for (int x = 0; x < 2; x++) {
            const int64_t *v = sorted[x];
            bs[nb] = (FeasBound){0}, bs[nb].on[x] = true, bs[nb++].hi[x] = v[a.n / 3];
            bs[nb] = (FeasBound){0}, bs[nb].on[x] = true, bs[nb].lo[x] = v[a.n / 4], bs[nb++].hi[x] = v[(3 * a.n) / 4];
            if (x == 0) bs[nb] = (FeasBound){0}, bs[nb].on[x] = true, bs[nb++].hi[x] = v[a.n - 1]; /* once */
        }
        bs[nb++] = (FeasBound){.on = {true, true}, .hi = {sorted[0][a.n / 2], sorted[1][a.n / 2]}};
        bs[nb++] = (FeasBound){.on = {true, true},
                               .lo = {sorted[0][a.n / 4], 0},
                               .hi = {sorted[0][(3 * a.n) / 4], sorted[1][(3 * a.n) / 4]}};
        for (int k = 0; k < nb && (known || !tried); k++) /* not known once: not known for any bound */
            for (int how = 0; how < 2; how++, tried++)
                known += one_bound(path, &c, &a, &bs[k], how ? SPACE_SAMPLE_UNIFORM : SPACE_SAMPLE_DECISIONS);
        free(sorted[0]);
        free(sorted[1]);
        CHECK(!exact || known == tried, "%s: expects exact counts, %d of %d known", path, known, tried);
        CHECK(expect != 0 || known == 0, "%s: expects no count, %d of %d known", path, known, tried);
        fprintf(stderr, "%s: %d architectures, %d of %d bounds exact\n", path, a.n, known, tried);
    }
    all_free(&a);
    nas_compile_free(&c);
}

/* feasible_bound: <= at a value counts it, < does not; FLOPs are 2 x MACs. */
static void check_bounds(void)
{
    NasConstraint cs[2] = {{.metric = {NAS_METRIC_PARAMS}, .cmp = NAS_CMP_LE, .target = 1000, .hard = true},
                           {.metric = {NAS_METRIC_ACCURACY}, .cmp = NAS_CMP_GE, .target = 0.9, .hard = true}};
    NasReward rw = {.constraints = cs, .nconstraints = 2};
    FeasBound b;
    char why[200];
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == 1 && b.on[FEAS_PARAMS] && !b.on[FEAS_MACS] && b.lo[0] == 0 &&
              b.hi[0] == 1000,
          "params <= 1000: [%lld, %lld]", (long long)b.lo[0], (long long)b.hi[0]);
    cs[0].cmp = NAS_CMP_LT;
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == 1 && b.hi[0] == 999, "params < 1000: hi %lld",
          (long long)b.hi[0]);
    cs[0] = (NasConstraint){.metric = {NAS_METRIC_FLOPS}, .cmp = NAS_CMP_GE, .target = 301, .hard = true};
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == 1 && b.on[FEAS_MACS] && !b.on[FEAS_PARAMS] && b.lo[1] == 151,
          "flops >= 301: MACs >= %lld", (long long)b.lo[1]);
    cs[1] = (NasConstraint){.metric = {NAS_METRIC_MEMORY}, .cmp = NAS_CMP_LE, .target = 1e6, .hard = true};
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == -1 && strstr(why, "memory"), "memory: not additive");
    cs[0].target = 302, cs[0].cmp = NAS_CMP_LE;
    cs[1] = (NasConstraint){.metric = {NAS_METRIC_PARAMS}, .cmp = NAS_CMP_LE, .target = 1e6, .hard = true};
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == 1 && b.on[0] && b.on[1] && b.hi[0] == 1000000 && b.hi[1] == 151,
          "params and flops: both bounded (%lld, %lld)", (long long)b.hi[0], (long long)b.hi[1]);
    cs[0].soft = true, cs[0].hard = false, cs[1].hard = false;
    CHECK(feasible_bound(&rw, &b, why, sizeof why) == 0, "soft constraints only: no bound");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: feasible_test STDLIB_DIR FILE.nas...\n");
        return 2;
    }
    check_bounds();
    for (int i = 2; i < argc; i++) check_file(argv[i], argv[1]);
    if (failures) fprintf(stderr, "%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
