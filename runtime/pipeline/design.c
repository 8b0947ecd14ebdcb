/* design.c — proxy-task design (`proxy design { ... }`, docs/nasrun.md): Vertex AI NAS's step
 * between checking a space and searching it. `reference` architectures, spread over the
 * space's params and MACs, are trained with the first train's full-training settings (stage
 * -1) and under every candidate proxy, each of `epochs` x `data` x `resolution` x `width` on
 * the first search's training split (stage -2 - v). Each proxy's ranking of them is compared
 * with the full ranking (Kendall's tau-b and Spearman's rho), and the cheapest proxy (mean
 * seconds per trial) that meets `keep when` becomes the first search's proxy task. Every trial
 * goes through the scheduler and the store like a search's, so a killed design resumes where it
 * stopped; the table is a function of the stored trials, so a later run chooses the same proxy. */
#include "pipeline_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DESIGN_CANDIDATES_PER_REFERENCE = 16, DESIGN_CANDIDATES_MAX = 1024, DESIGN_MIN_PAIRS = 3 };
#define DESIGN_SEED_SALT 0x70726f7879ULL /* "proxy": the references are not stage 1's first proposals */

typedef struct Candidate {
    char id[128];
    double params, macs;
    int rank; /* params rank + MACs rank: the order that spreads over both */
} Candidate;

static int by_params(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    return (x->params > y->params) - (x->params < y->params);
}

static int by_macs(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    return (x->macs > y->macs) - (x->macs < y->macs);
}

static int by_rank(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    if (x->rank != y->rank) return (x->rank > y->rank) - (x->rank < y->rank);
    return strcmp(x->id, y->id);
}

/* The reference architectures: distinct uniform samples of the space (seeded by the controller
 * seed), ordered by params and MACs, taken at evenly spaced places of that order so they span
 * the space's range from the smallest to the largest. Fewer when the space is smaller. */
static int pick_references(Run *R, int want, char (*ids)[128])
{
    const Space *sp = R->space;
    int n = space_count(sp), ncand = want * DESIGN_CANDIDATES_PER_REFERENCE, m = 0;
    if (ncand > DESIGN_CANDIDATES_MAX) ncand = DESIGN_CANDIDATES_MAX;
    if (ncand < want) ncand = want;
    Candidate *c = calloc((size_t)ncand, sizeof *c);
    int32_t *arch = malloc(sizeof *arch * (size_t)(n ? n : 1));
    if (!c || !arch) {
        free(c);
        free(arch);
        return -1;
    }
    SpaceRng rng;
    space_rng_seed(&rng, (uint64_t)R->cfg->controller.seed ^ DESIGN_SEED_SALT);
    for (int k = 0; k < ncand * 4 && m < ncand; k++) {
        space_sample(sp, &rng, arch);
        SpaceError se;
        if (space_arch_to_id(sp, arch, c[m].id, sizeof c[m].id, &se) != SPACE_OK) continue;
        bool dup = false;
        for (int i = 0; i < m && !dup; i++) dup = !strcmp(c[i].id, c[m].id);
        if (dup) continue;
        Arena a;
        arena_init(&a);
        ModelError me;
        GraphStats st;
        GraphError ge;
        Graph *g = model_instantiate(R->ms, arch, &a, &me);
        bool ok = g && graph_stats(g, 1, 0, &st, &ge) == 0;
        if (ok) {
            c[m].params = (double)st.params;
            c[m].macs = (double)st.macs;
            m++;
        }
        arena_free(&a);
    }
    qsort(c, (size_t)m, sizeof *c, by_params);
    for (int i = 0; i < m; i++) c[i].rank = i;
    qsort(c, (size_t)m, sizeof *c, by_macs);
    for (int i = 0; i < m; i++) c[i].rank += i;
    qsort(c, (size_t)m, sizeof *c, by_rank);
    int got = want < m ? want : m;
    for (int i = 0; i < got; i++) {
        int at = got > 1 ? (int)((double)i * (m - 1) / (got - 1) + 0.5) : m / 2;
        snprintf(ids[i], sizeof ids[i], "%s", c[at].id);
    }
    free(c);
    free(arch);
    return got;
}

/* The design's stages: the reference's (the first train, trained `parallel` as the search and
 * for the proxy's `full_epochs` when it has them) and one per candidate proxy (the first search
 * with that many epochs on that share of its split, its images at that resolution, its
 * filters at that width). 0, or an
 * exit code. */
static int build_stages(Run *R)
{
    const NasProxy *px = R->cfg->proxy;
    const RunStage *search = R->first_search, *train = NULL;
    for (int k = 0; k < R->nstages && !train; k++)
        if (R->stages[k].train) train = &R->stages[k];
    if (!search || !train) return 1; /* sema: NAS0706 */
    int nd = px->ndata, nr = px->nresolution, nw = px->nwidth, nv = px->nepochs * nd * nr * nw;
    R->design = ARENA_ARRAY(&R->compiled.arena, RunStage, nv + 1);
    NasTraining *tr = ARENA_ARRAY(&R->compiled.arena, NasTraining, nv + 1);
    tr[0] = *train->training;
    tr[0].parallel = search->training->parallel;
    if (px->full_epochs) tr[0].epochs = px->full_epochs;
    R->design[0] = *train;
    R->design[0].number = -1;
    R->design[0].name = "reference";
    R->design[0].training = &tr[0];
    /* candidate v is 1 + (((e * nd + d) * nr + k) * nw + w): without widths (nw = 1) the
     * numbering of a store written before them */
    for (int v = 1; v <= nv; v++) {
        int w = (v - 1) % nw, k = (v - 1) / nw % nr, d = (v - 1) / nw / nr % nd, e = (v - 1) / nw / nr / nd;
        RunStage *st = &R->design[v];
        tr[v] = *search->training;
        tr[v].epochs = px->epochs[e];
        *st = *search;
        st->number = -1 - v;
        st->name = "proxy";
        st->training = &tr[v];
        st->subset = px->data[d];
        st->proxy_note = NULL;
        st->scale.width = px->width[w] < 1 ? px->width[w] : 0;
        int64_t in[3];
        if (!config_proxy_input(R->cfg, px->resolution[k], in)) continue;
        int64_t *at = ARENA_ARRAY(&R->compiled.arena, int64_t, 3);
        memcpy(at, in, sizeof in);
        st->scale.input = at;
        int rc = st->fit ? run_resized_part(R, search->fit, at, &st->fit) : 0;
        if (rc) return rc;
        st->val = st->fit;
    }
    R->ndesign = nv + 1;
    return 0;
}

/* ---- the trials ---- */

typedef struct Design {
    Run *R;
    int nref;
    char (*ids)[128];
    StoreTrialList *rows; /* per design stage, as stored when the design began */
    int v, i;             /* the next (stage index, reference) to consider */
    int64_t event;
    int32_t *arch;
    char id[128];
} Design;

static const StoreTrial *row_of(const StoreTrialList *l, int64_t seq)
{
    for (int k = 0; k < l->count; k++)
        if (l->items[k].seq == seq) return &l->items[k];
    return NULL;
}

static int design_next(void *ctx, Sched *s, SchedTrial *t, TrialOutcome *ans)
{
    Design *g = ctx;
    Run *R = g->R;
    for (; g->v < R->ndesign; g->v++, g->i = 0)
        while (g->i < g->nref) {
            int i = g->i++, stage = -1 - g->v;
            const StoreTrial *row = row_of(&g->rows[g->v], i);
            if (row && row->state != TRIAL_RUNNING) continue; /* finished: kept, never rerun */
            if (row) return stage_take_over(R, row, g->arch, g->id, sizeof g->id, t, ans);
            SpaceError se;
            if (space_id_to_arch(R->space, g->ids[i], g->arch, &se) != SPACE_OK) {
                fprintf(stderr, "nasrun: internal error: reference %s: %s\n", g->ids[i], se.msg);
                return -2;
            }
            snprintf(g->id, sizeof g->id, "%s", g->ids[i]);
            char *dec = run_decisions_json(R, g->arch);
            StoreStart st = {stage, i, g->event++, g->id, dec, R->worker, 0, NULL};
            int rc = stage_claim_new(R, &st, g->arch, g->id, t);
            free(dec);
            return rc;
        }
    return SCHED_END;
}

static int design_done(void *ctx, Sched *s, const SchedTrial *t, const TrialOutcome *out)
{
    Design *g = ctx;
    return stage_record(g->R, t, out, g->event++);
}

/* ---- the table ---- */

/* The value a trial ranks by: the reward's first objective as measured (accuracy without a
 * reward), oriented so that larger is better; NaN when it did not finish with one. The proxy
 * changes what training achieves, not params or latency, so the soft factors stay out. */
static double rank_value(Run *R, const StoreTrial *t)
{
    if (!t || (t->state != TRIAL_DONE && t->state != TRIAL_INFEASIBLE) || !t->metrics) return NAN;
    RewardMetrics m;
    char names[512];
    reward_metrics_init(&m);
    if (!json_to_metrics(t->metrics, &m, names, sizeof names)) return NAN;
    NasMetricRef acc = {NAS_METRIC_ACCURACY, "accuracy"};
    const NasObjective *o = R->reward && R->reward->nobjectives ? &R->reward->objectives[0] : NULL;
    double x = reward_metric(&m, o ? o->metric : acc);
    return o && !o->maximize ? -x : x;
}

/* Kendall's tau-b (ties in either ranking count as neither concordant nor discordant). */
static double kendall(const double *x, const double *y, int n)
{
    double c = 0, d = 0, tx = 0, ty = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double a = x[i] - x[j], b = y[i] - y[j];
            if (a == 0 && b == 0) continue;
            if (a == 0) tx++;
            else if (b == 0) ty++;
            else if ((a > 0) == (b > 0)) c++;
            else d++;
        }
    double den = sqrt((c + d + tx) * (c + d + ty));
    return den > 0 ? (c - d) / den : NAN;
}

/* Average ranks (ties share the mean of their places). */
static void ranks(const double *x, int n, double *r)
{
    for (int i = 0; i < n; i++) {
        int less = 0, equal = 0;
        for (int j = 0; j < n; j++) {
            less += x[j] < x[i];
            equal += x[j] == x[i];
        }
        r[i] = less + (equal + 1) / 2.0;
    }
}

/* Spearman's rho: Pearson's correlation of the average ranks. */
static double spearman(const double *x, const double *y, int n)
{
    double *rx = malloc(sizeof *rx * (size_t)n), *ry = malloc(sizeof *ry * (size_t)n), mx = 0, my = 0;
    double sxy = 0, sxx = 0, syy = 0;
    if (!rx || !ry) {
        free(rx);
        free(ry);
        return NAN;
    }
    ranks(x, n, rx);
    ranks(y, n, ry);
    for (int i = 0; i < n; i++) {
        mx += rx[i] / n;
        my += ry[i] / n;
    }
    for (int i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    free(rx);
    free(ry);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

typedef struct Variant {
    int64_t epochs;
    double data;
    const int64_t *input; /* a resolution: [C, r, w]; NULL: the declared input */
    double width;         /* a width multiplier; 0 or 1: the full width */
    double pixels;        /* the share of the declared input's pixels it trains on */
    int pairs;
    double tau, rho, seconds; /* seconds: mean per finished trial */
    bool keep;
} Variant;

static bool keep_holds(const NasStop *s, const Variant *v)
{
    switch (s->kind) {
    case NAS_STOP_OR: return keep_holds(s->a, v) || keep_holds(s->b, v);
    case NAS_STOP_AND: return keep_holds(s->a, v) && keep_holds(s->b, v);
    case NAS_STOP_NOT: return !keep_holds(s->a, v);
    case NAS_STOP_CONST: return s->value;
    case NAS_STOP_CONVERGED: return false; /* not in the vocabulary of `keep when` */
    case NAS_STOP_COMPARE: {
        double x = s->var == NAS_KEEP_SPEARMAN ? v->rho : v->tau;
        return !isnan(x) && config_compare(x, s->cmp, s->limit);
    }
    }
    return false;
}

static double mean_seconds(const StoreTrialList *l)
{
    double sum = 0;
    int n = 0;
    for (int k = 0; k < l->count; k++) {
        const StoreTrial *t = &l->items[k];
        if (t->state == TRIAL_FAILED || t->state == TRIAL_RUNNING || t->finished <= t->started) continue;
        sum += t->finished - t->started;
        n++;
    }
    return n ? sum / n : NAN;
}

/* The work a candidate trains, relative: a convolution's MACs scale with the pixels and with the
 * square of the width (both its inputs and its filters shrink). */
static double nominal_cost(const Variant *v) { return (double)v->epochs * v->data * v->pixels * v->width * v->width; }

/* Cheaper: less time per trial; equal times (or none measured) by nominal_cost. */
static bool cheaper(const Variant *a, const Variant *b)
{
    if (isfinite(a->seconds) && isfinite(b->seconds) && a->seconds != b->seconds) return a->seconds < b->seconds;
    return nominal_cost(a) < nominal_cost(b);
}

/* Candidate v (a design stage) as a variant, its costs not measured yet. */
static Variant variant_of(Run *R, int v)
{
    const RunStage *st = &R->design[v];
    const NasDataset *ds = R->cfg->searches[0].data.dataset;
    double pixels = 1;
    const int64_t *in = st->scale.input;
    if (in) pixels = (double)(in[1] * in[2]) / (double)(ds->input[1] * ds->input[2]);
    return (Variant){.epochs = st->training->epochs,
                     .data = st->subset,
                     .input = st->scale.input,
                     .width = st->scale.width > 0 ? st->scale.width : 1,
                     .pixels = pixels,
                     .tau = NAN,
                     .rho = NAN,
                     .seconds = NAN};
}

static void proxy_text(const Variant *v, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%lld epoch%s on %.0f%% of the training split", (long long)v->epochs,
                     v->epochs == 1 ? "" : "s", 100 * v->data);
    if (v->input && k > 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, ", images at %lldx%lld", (long long)v->input[1], (long long)v->input[2]);
    if (v->width < 1 && k > 0 && (size_t)k < n) snprintf(buf + k, n - (size_t)k, ", width %g", v->width);
}

/* The first search trains under candidate v (a design stage): its epochs, its share of the
 * split, its resolution (the graph's input and the resized parts), its width; note says why. */
static void use_candidate(Run *R, int v, const char *note)
{
    RunStage *s1 = &R->stages[R->first_search->number - 1];
    const RunStage *c = &R->design[v];
    s1->training = c->training;
    s1->subset = c->subset;
    s1->scale = c->scale;
    s1->fit = c->fit;
    s1->val = c->val;
    s1->proxy_note = note;
}

int design_cheapest(Run *R)
{
    if (!R->cfg->proxy) return 0;
    if (!R->design && build_stages(R)) return 1;
    int v = 1;
    Variant best = variant_of(R, 1);
    for (int k = 2; k < R->ndesign; k++) {
        Variant w = variant_of(R, k);
        if (cheaper(&w, &best)) best = w, v = k;
    }
    char what[128], *note = arena_alloc(&R->compiled.arena, 192);
    proxy_text(&best, what, sizeof what);
    snprintf(note, 192, "the design's cheapest candidate proxy (%s)", what);
    use_candidate(R, v, note);
    return 0;
}

int design_run(Run *R, bool table)
{
    const NasProxy *px = R->cfg->proxy;
    if (!px) {
        if (table) fprintf(stderr, "nasrun: %s declares no `proxy`: no proxy design to run\n", R->o->path);
        return table ? 1 : 0;
    }
    if (!R->design && build_stages(R)) return 1;
    int nv = R->ndesign - 1, rc = 2, n = space_count(R->space);
    Design g = {.R = R};
    g.ids = calloc((size_t)px->reference, sizeof *g.ids);
    g.rows = calloc((size_t)R->ndesign, sizeof *g.rows);
    g.arch = malloc(sizeof *g.arch * (size_t)(n ? n : 1));
    Variant *var = calloc((size_t)nv + 1, sizeof *var);
    double *full = calloc((size_t)px->reference + 1, sizeof *full), *x = calloc((size_t)px->reference + 1, sizeof *x),
           *y = calloc((size_t)px->reference + 1, sizeof *y);
    StoreError err;
    if (!g.ids || !g.rows || !g.arch || !var || !full || !x || !y) goto out;
    for (int v = 0; v < R->ndesign; v++)
        if (store_trials(R->store, R->experiment, -1 - v, &g.rows[v], &err)) {
            fprintf(stderr, "nasrun: %s\n", err.msg);
            goto out;
        }
    int64_t todo = 0;
    for (int v = 0; v < R->ndesign; v++) {
        if (sched_other_worker(R, &g.rows[v])) goto out;
        for (int k = 0; k < g.rows[v].count; k++) {
            const StoreTrial *r = &g.rows[v].items[k];
            if (r->ask_event >= g.event) g.event = r->ask_event + 1;
            if (r->tell_event >= g.event) g.event = r->tell_event + 1;
        }
    }
    g.nref = pick_references(R, (int)px->reference, g.ids);
    if (g.nref < 0) goto out;
    /* A stored reference stands for its seq, whatever this run would sample. */
    for (int i = 0; i < g.nref; i++)
        for (int v = 0; v < R->ndesign; v++) {
            const StoreTrial *r = row_of(&g.rows[v], i);
            if (r) snprintf(g.ids[i], sizeof g.ids[i], "%s", r->arch_id);
        }
    for (int v = 0; v < R->ndesign; v++)
        for (int i = 0; i < g.nref; i++) {
            const StoreTrial *r = row_of(&g.rows[v], i);
            todo += !r || r->state == TRIAL_RUNNING;
        }
    if (todo > 0) {
        if (!R->o->quiet) {
            char what[256] = "";
            const RunStage *ref = &R->design[0];
            if (!R->trainer)
                snprintf(what, sizeof what, "; the full training trains on %lld of %s.%s", (long long)ref->fit->set.n,
                         ref->fit->ds->name, ref->fit->test ? "test" : "train");
            fprintf(stderr,
                    "[design] proxy design %s: %d reference architectures, fully (%lld epochs) and under %d "
                    "candidate proxies: %lld trials to run, %lld in parallel%s\n",
                    px->name ? px->name : "", g.nref, (long long)ref->training->epochs, nv, (long long)todo,
                    (long long)run_parallel(R, -1), what);
        }
        Sched s = {.stage = -1,
                   .parallel = run_parallel(R, -1),
                   .total = todo,
                   .max_failed = -1,
                   .single = true,
                   .source = {&g, design_next},
                   .sink = {&g, design_done}};
        if ((rc = sched_run(R, &s))) goto out;
        table = true;
        for (int v = 0; v < R->ndesign; v++) {
            store_trials_free(&g.rows[v]);
            if (store_trials(R->store, R->experiment, -1 - v, &g.rows[v], &err)) {
                fprintf(stderr, "nasrun: %s\n", err.msg);
                rc = 2;
                goto out;
            }
        }
    }
    for (int i = 0; i < g.nref; i++) full[i] = rank_value(R, row_of(&g.rows[0], i));
    int best = -1, kept = -1;
    for (int v = 0; v < nv; v++) {
        Variant *w = &var[v];
        *w = variant_of(R, v + 1);
        for (int i = 0; i < g.nref; i++) {
            double p = rank_value(R, row_of(&g.rows[v + 1], i));
            if (isnan(p) || isnan(full[i])) continue;
            x[w->pairs] = full[i];
            y[w->pairs++] = p;
        }
        w->tau = w->pairs >= DESIGN_MIN_PAIRS ? kendall(x, y, w->pairs) : NAN;
        w->rho = w->pairs >= DESIGN_MIN_PAIRS ? spearman(x, y, w->pairs) : NAN;
        w->seconds = mean_seconds(&g.rows[v + 1]);
        w->keep = px->keep ? keep_holds(px->keep, w) : false;
        if (!isnan(w->tau) &&
            (best < 0 || w->tau > var[best].tau || (w->tau == var[best].tau && cheaper(w, &var[best]))))
            best = v;
        if (w->keep && (kept < 0 || cheaper(w, &var[kept]))) kept = v;
    }
    double full_secs = mean_seconds(&g.rows[0]);
    int chosen = kept >= 0 ? kept : best;
    if (table) {
        /* the resolution column when the proxy declares resolutions (height x width of the
         * images), the width column when it declares widths */
        bool res = px->resolution_at[0].file >= 0, wid = px->width_at[0].file >= 0;
        const int64_t *full_in = R->cfg->searches[0].data.dataset->input;
        printf("proxy design%s%s: %d reference architectures; full training %.2f s per trial\n", px->name ? " " : "",
               px->name ? px->name : "", g.nref, full_secs);
        printf("  %6s %6s%s%s %8s %9s %6s %9s %7s  %s\n", "epochs", "data", res ? " resolution" : "",
               wid ? " width" : "", "kendall", "spearman", "pairs", "s/trial", "of full", "keep");
        for (int v = 0; v < nv; v++) {
            const Variant *w = &var[v];
            char rs[48] = "";
            const int64_t *in = w->input ? w->input : full_in;
            int k = 0;
            if (res) {
                char hw[24];
                snprintf(hw, sizeof hw, "%lldx%lld", (long long)in[1], (long long)in[2]);
                k = snprintf(rs, sizeof rs, " %10s", hw);
            }
            if (wid && k >= 0) snprintf(rs + k, sizeof rs - (size_t)k, " %5g", w->width);
            printf("  %6lld %5.4g%%%s %8.3f %9.3f %6d %9.2f %6.0f%%  %s%s\n", (long long)w->epochs, 100 * w->data, rs,
                   w->tau, w->rho, w->pairs, w->seconds, 100 * w->seconds / full_secs,
                   px->keep ? (w->keep ? "yes" : "no") : "-", v == chosen ? "  <- chosen" : "");
        }
    }
    if (chosen < 0) {
        fprintf(stderr,
                "nasrun: proxy design: no candidate proxy could be compared with the full training (fewer than %d "
                "references finished under both): the search is not run\n",
                DESIGN_MIN_PAIRS);
        rc = 3;
        goto out;
    }
    char what[160];
    proxy_text(&var[chosen], what, sizeof what);
    if (kept < 0 && px->keep)
        fprintf(stderr,
                "nasrun: warning: proxy design: no candidate proxy meets `keep when`; the best-correlated one is used "
                "(%s, kendall %.3f): widen the candidates or relax the rule\n",
                what, var[chosen].tau);
    /* The first search trains as the chosen proxy says. */
    char *note = arena_alloc(&R->compiled.arena, 288);
    snprintf(note, 288, "the proxy chosen by the design (%s; kendall %.3f, spearman %.3f, %.2f s per trial)", what,
             var[chosen].tau, var[chosen].rho, var[chosen].seconds);
    use_candidate(R, chosen + 1, note);
    rc = 0;
out:
    for (int v = 0; g.rows && v < R->ndesign; v++) store_trials_free(&g.rows[v]);
    free(g.rows);
    free(g.ids);
    free(g.arch);
    free(var);
    free(full);
    free(x);
    free(y);
    return rc;
}
