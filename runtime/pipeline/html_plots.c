/* html_plots.c — the report's plots over trials: the search curve (Vertex AI NAS's plot:
 * reward by trial number, best so far), the Pareto front of two objectives, stage 1's ranks
 * against a train stage's, and the training curves of the best ten. */
#include "html_int.h"
#include "rankcorr.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

/* "trial 12 1YVVA: reward 0.8123 (done)" */
static char *trial_title(const StoreTrial *t, const char *extra)
{
    size_t n = strlen(t->arch_id ? t->arch_id : "") + (extra ? strlen(extra) : 0) + 96;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "trial %lld %s: reward %.6g (%s)%s%s", (long long)t->seq, t->arch_id ? t->arch_id : "",
                 t->reward, store_state_name(t->state), extra ? ": " : "", extra ? extra : "");
    return s;
}

static void free_titles(char **t, int n)
{
    for (int i = 0; t && i < n; i++) free(t[i]);
    free(t);
}

void html_search_curve(Html *h, int stage)
{
    const StoreTrialList *l = &h->stage[stage];
    int n = l->count;
    double *x = calloc((size_t)n + 1, sizeof *x), *y = calloc((size_t)n + 1, sizeof *y),
           *bx = calloc((size_t)n + 1, sizeof *bx), *by = calloc((size_t)n + 1, sizeof *by);
    char **titles = calloc((size_t)n + 1, sizeof *titles);
    if (!x || !y || !bx || !by || !titles) goto out;
    double lo = INFINITY, hi = -INFINITY, best = -INFINITY;
    int nb = 0, nfail = 0;
    for (int i = 0; i < n; i++) {
        const StoreTrial *t = &l->items[i];
        if (!html_has_reward(t)) continue;
        lo = fmin(lo, t->reward), hi = fmax(hi, t->reward);
        if (t->state == TRIAL_DONE && t->reward > best) {
            best = t->reward;
            bx[nb] = (double)t->seq, by[nb++] = best;
        }
    }
    for (int i = 0; i < n; i++) nfail += l->items[i].state == TRIAL_FAILED;
    if (nb) bx[nb] = (double)l->items[n - 1].seq, by[nb] = best, nb++; /* the best line runs to the last trial */
    html_heading(h, "Search curve",
                 "The reward of each trial by its number (blue: done, orange: infeasible, grey: answered from the "
                 "store), the best so far in red, failed trials as crosses along the bottom. As in Vertex AI NAS's "
                 "search plot: a search that has converged shows the best line flat and the rewards' spread "
                 "narrowing.");
    SvgPlot p;
    char id[32];
    snprintf(id, sizeof id, "curve-s%d", stage);
    svg_plot_begin(&p, h->out, id, 760, 300, 0, n ? (double)l->items[n - 1].seq : 1, lo, hi, "trial", "reward");
    static const TrialState kinds[] = {TRIAL_DONE, TRIAL_INFEASIBLE, TRIAL_CACHED};
    for (int k = 0; k < 3; k++) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            const StoreTrial *t = &l->items[i];
            if (t->state != kinds[k] || !html_has_reward(t)) continue;
            x[m] = (double)t->seq, y[m] = t->reward;
            titles[m++] = trial_title(t, NULL);
        }
        svg_points(&p, m, x, y, store_state_name(kinds[k]), (const char *const *)titles);
        for (int i = 0; i < m; i++) free(titles[i]), titles[i] = NULL;
    }
    svg_line(&p, nb, bx, by, "best", true, "best so far");
    for (int i = 0; i < n; i++) {
        const StoreTrial *t = &l->items[i];
        if (t->state != TRIAL_FAILED) continue;
        char *s = trial_title(t, t->reason);
        svg_cross(&p, (double)t->seq, p.y.d0, "failed", s);
        free(s);
    }
    svg_plot_end(&p);
out:
    free(x), free(y), free(bx), free(by), free(titles);
}

void html_pareto(Html *h, int stage)
{
    const NasReward *rw = h->R->reward;
    if (!rw || rw->nobjectives != 2) return; /* a plane of two objectives; more are in the text summary */
    const StoreTrialList *l = &h->stage[stage];
    double *pts;
    int *which;
    bool *front;
    int n = report_pareto_points(h->R, l, &pts, &which, &front);
    if (n <= 0) {
        free(pts), free(which), free(front);
        return;
    }
    const char *m0 = reward_metric_name(rw->objectives[0].metric), *m1 = reward_metric_name(rw->objectives[1].metric);
    bool dir[2] = {rw->objectives[0].maximize, rw->objectives[1].maximize};
    char note[512];
    snprintf(note, sizeof note,
             "Each finished trial by its two objectives (%s %s, %s %s); the Pareto front in red: no other trial is "
             "at least as good in both and better in one.",
             dir[0] ? "maximize" : "minimize", m0, dir[1] ? "maximize" : "minimize", m1);
    html_heading(h, "Pareto front", note);
    double *x = malloc(sizeof *x * (size_t)n), *y = malloc(sizeof *y * (size_t)n);
    char **titles = calloc((size_t)n, sizeof *titles);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; x && y && i < n; i++)
        x0 = fmin(x0, pts[2 * i]), x1 = fmax(x1, pts[2 * i]), y0 = fmin(y0, pts[2 * i + 1]),
        y1 = fmax(y1, pts[2 * i + 1]);
    if (x && y && titles) {
        SvgPlot p;
        char id[32];
        snprintf(id, sizeof id, "pareto-s%d", stage);
        svg_plot_begin(&p, h->out, id, 560, 360, x0, x1, y0, y1, m0, m1);
        for (int pass = 0; pass < 2; pass++) { /* off the front first, then the front on top */
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (front[i] != (pass == 1)) continue;
                x[m] = pts[2 * i], y[m] = pts[2 * i + 1];
                titles[m++] = trial_title(&l->items[which[i]], NULL);
            }
            if (pass == 1) { /* the front as a line, in the order of the first objective */
                double *fx = malloc(sizeof *fx * (size_t)(m + 1)), *fy = malloc(sizeof *fy * (size_t)(m + 1));
                for (int i = 0; fx && fy && i < m; i++) {
                    int j = i;
                    fx[i] = x[i], fy[i] = y[i];
                    for (; j > 0 && fx[j - 1] > fx[j]; j--) {
                        double tx = fx[j], ty = fy[j];
                        fx[j] = fx[j - 1], fy[j] = fy[j - 1], fx[j - 1] = tx, fy[j - 1] = ty;
                    }
                }
                if (fx && fy) svg_line(&p, m, fx, fy, "front", false, "Pareto front");
                free(fx), free(fy);
            }
            svg_points(&p, m, x, y, pass ? "front" : "dominated", (const char *const *)titles);
            for (int i = 0; i < m; i++) free(titles[i]), titles[i] = NULL;
        }
        svg_plot_end(&p);
        int nf = 0;
        for (int i = 0; i < n; i++) nf += front[i];
        fprintf(h->out, "<p id=\"pareto-s%d-text\">%d of %d trials on the front", stage, nf, n);
        if (rw->objectives[0].has_ref && rw->objectives[1].has_ref) {
            double ref[2] = {rw->objectives[0].ref, rw->objectives[1].ref};
            fprintf(h->out, "; hypervolume against the reference point (%g, %g): <span class=\"hv\">%.6g</span>",
                    ref[0], ref[1], reward_hypervolume2(pts, n, dir, ref));
        }
        fputs(".</p>\n", h->out);
    }
    free(x), free(y), free(titles), free(pts), free(which), free(front);
}

/* The best DONE reward of arch in l, or NaN. */
static double done_reward(const StoreTrialList *l, const char *arch)
{
    double best = NAN;
    for (int i = 0; i < l->count; i++)
        if (l->items[i].state == TRIAL_DONE && isfinite(l->items[i].reward) && !strcmp(l->items[i].arch_id, arch))
            best = isfinite(best) ? fmax(best, l->items[i].reward) : l->items[i].reward;
    return best;
}

void html_rank_compare(Html *h, int stage)
{
    const RunStage *st = run_stage(h->R, stage);
    if (!st || st->search || st->from < 1 || st->from > h->last) return;
    const StoreTrialList *l = &h->stage[stage], *from = &h->stage[st->from];
    int n = 0;
    double *r1 = malloc(sizeof *r1 * (size_t)(l->count + 1)), *r2 = malloc(sizeof *r2 * (size_t)(l->count + 1));
    double *k1 = malloc(sizeof *k1 * (size_t)(l->count + 1)), *k2 = malloc(sizeof *k2 * (size_t)(l->count + 1));
    char **titles = calloc((size_t)l->count + 1, sizeof *titles);
    if (!r1 || !r2 || !k1 || !k2 || !titles) goto out;
    for (int i = 0; i < l->count; i++) {
        const StoreTrial *t = &l->items[i];
        double p = t->state == TRIAL_DONE && isfinite(t->reward) ? done_reward(from, t->arch_id) : NAN;
        if (!isfinite(p)) continue;
        r1[n] = p, r2[n] = t->reward;
        char extra[64];
        snprintf(extra, sizeof extra, "stage %d reward %.6g", st->from, p);
        titles[n++] = trial_title(t, extra);
    }
    char note[400];
    snprintf(note, sizeof note,
             "Each architecture of this stage by its rank in stage %d (the proxy task) and its rank after full "
             "training (1: best). A proxy task that predicts full training puts the points on the diagonal; "
             "Vertex AI NAS asks for a rank correlation of at least 0.7 before a search.",
             st->from);
    html_heading(h, "Stage 1 against stage 2", note);
    if (n < 2) {
        fprintf(h->out, "<p id=\"rankcorr-s%d\">%d architectures with both results: too few to correlate.</p>\n", stage,
                n);
        goto out;
    }
    /* rank 1 is the best: the ranks of the negated rewards */
    for (int i = 0; i < n; i++) r1[i] = -r1[i], r2[i] = -r2[i];
    rankcorr_ranks(r1, n, k1);
    rankcorr_ranks(r2, n, k2);
    double tau = rankcorr_kendall(r1, r2, n), rho = rankcorr_spearman(r1, r2, n);
    SvgPlot p;
    char id[32];
    snprintf(id, sizeof id, "ranks-s%d", stage);
    char xl[64];
    snprintf(xl, sizeof xl, "rank in stage %d (proxy)", st->from);
    svg_plot_begin(&p, h->out, id, 420, 360, 1, n, 1, n, xl, "rank after full training");
    double d[2] = {1, (double)n};
    svg_line(&p, 2, d, d, "diag", false, NULL);
    svg_points(&p, n, k1, k2, "rank", (const char *const *)titles);
    svg_plot_end(&p);
    char ts[32], rs[32];
    svg_num(ts, sizeof ts, tau);
    svg_num(rs, sizeof rs, rho);
    fprintf(h->out,
            "<p id=\"rankcorr-s%d\" data-n=\"%d\" data-kendall=\"%.9g\" data-spearman=\"%.9g\">Over %d architectures: "
            "Kendall's tau-b %s, Spearman's rho %s.</p>\n",
            stage, n, tau, rho, n, ts, rs);
out:
    free(r1), free(r2), free(k1), free(k2);
    free_titles(titles, l->count);
}

/* The per-epoch values of the curve's best-known series: validation accuracy, else the
 * first of accuracy, val_loss, loss. n points to x, y; the series' name to *what. */
static int curve_points(const char *json, double *x, double *y, int max, const char **what)
{
    static const char *keys[] = {"val_acc", "accuracy", "val_loss", "loss"};
    cJSON *a = json ? cJSON_Parse(json) : NULL;
    int n = 0;
    for (int k = 0; k < 4 && !n && cJSON_IsArray(a); k++) {
        int e = 0;
        for (cJSON *it = a->child; it && n < max; it = it->next, e++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(it, keys[k]),
                  *ep = cJSON_GetObjectItemCaseSensitive(it, "epoch");
            if (!cJSON_IsNumber(v)) continue;
            x[n] = cJSON_IsNumber(ep) ? ep->valuedouble : e + 1, y[n++] = v->valuedouble;
        }
        if (n) *what = keys[k];
    }
    cJSON_Delete(a);
    return n;
}

void html_training_curves(Html *h, int stage)
{
    const StoreTrialList *l = &h->stage[stage];
    const StoreTrial **top = malloc(sizeof *top * (size_t)(l->count + 1));
    if (!top) return;
    int nt = 0;
    for (int i = 0; i < l->count; i++)
        if (l->items[i].state == TRIAL_DONE && isfinite(l->items[i].reward)) top[nt++] = &l->items[i];
    for (int i = 1; i < nt; i++) /* best first; ties by proposal order (insertion sort keeps it) */
        for (int j = i; j > 0 && top[j - 1]->reward < top[j]->reward; j--) {
            const StoreTrial *t = top[j];
            top[j] = top[j - 1], top[j - 1] = t;
        }
    enum { EPOCHS = 4096 };
    double *x = malloc(sizeof *x * EPOCHS), *y = malloc(sizeof *y * EPOCHS);
    int count[10] = {0}, shown = 0;
    const char *what = NULL, *what_k;
    double x1 = 1, y0 = INFINITY, y1 = -INFINITY;
    for (int k = 0; x && y && k < nt && shown < 10; k++) {
        int n = curve_points(top[k]->curve, x, y, EPOCHS, &what_k);
        if (!n || (what && strcmp(what, what_k))) continue;
        what = what_k;
        count[shown++] = k;
        for (int i = 0; i < n; i++) x1 = fmax(x1, x[i]), y0 = fmin(y0, y[i]), y1 = fmax(y1, y[i]);
    }
    if (shown) {
        html_heading(h, "Training curves of the best ten",
                     "The per-epoch validation curve of the ten best trials of this stage that recorded one.");
        SvgPlot p;
        char id[32];
        snprintf(id, sizeof id, "curves-s%d", stage);
        svg_plot_begin(&p, h->out, id, 760, 300, 1, x1, y0, y1, "epoch", what);
        for (int s = 0; s < shown; s++) {
            const StoreTrial *t = top[count[s]];
            int n = curve_points(t->curve, x, y, EPOCHS, &what_k);
            char cls[16], *title = trial_title(t, NULL);
            snprintf(cls, sizeof cls, "c%d", s);
            svg_line(&p, n, x, y, cls, false, title);
            svg_legend(&p, s, cls, t->arch_id);
            free(title);
        }
        svg_plot_end(&p);
    }
    free(x), free(y), free(top);
}
