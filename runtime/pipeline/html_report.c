/* html_report.c — `nasrun FILE --report out.html`, and the report a search writes when it
 * ends: one self-contained HTML file (inline CSS and SVG, no script, a Content-Security-Policy
 * that forbids any fetch), read from the store through its API. */
#include "html_int.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char STYLE[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}"
    "h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}h3{margin-bottom:.3em}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}p.note{color:#555;max-width:60em}"
    "svg{display:block;margin:.4em 0;overflow:visible}.frame{fill:none;stroke:#999}.grid{stroke:#eee}"
    ".tick{font-size:10px;fill:#555}.label{font-size:11px;fill:#222}.legend{font-size:10px}"
    ".pt{fill:#3366cc;fill-opacity:.75}.pt.infeasible{fill:#e08a00}.pt.cached{fill:#aaa}"
    ".pt.front{fill:#cc2222}.line{fill:none;stroke:#3366cc;stroke-width:1.5}.line.best{stroke:#cc2222}"
    ".line.front{stroke:#cc2222;stroke-dasharray:4 3}.line.diag{stroke:#bbb;stroke-dasharray:3 3}"
    ".x{stroke:#cc2222;stroke-width:1.5}.bar{fill:#3366cc}.axis{stroke:#666}"
    ".pc{fill:none;stroke-opacity:.55;stroke-width:1.2}ul.checks li{margin:.2em 0}"
    ".c0{stroke:#1f77b4}.c1{stroke:#ff7f0e}.c2{stroke:#2ca02c}.c3{stroke:#d62728}.c4{stroke:#9467bd}"
    ".c5{stroke:#8c564b}.c6{stroke:#e377c2}.c7{stroke:#7f7f7f}.c8{stroke:#bcbd22}.c9{stroke:#17becf}";

bool html_has_reward(const StoreTrial *t)
{
    return (t->state == TRIAL_DONE || t->state == TRIAL_INFEASIBLE || t->state == TRIAL_CACHED) && isfinite(t->reward);
}

void html_heading(Html *h, const char *title, const char *note)
{
    fprintf(h->out, "<h3>%s</h3>\n", title);
    if (note) fprintf(h->out, "<p class=\"note\">%s</p>\n", note);
}

/* The summary: one row per stage, every number as the store has it (the browser test
 * compares them with the store). */
static void summary(Html *h)
{
    FILE *o = h->out;
    fprintf(o, "<table id=\"summary\"><tr><th>stage</th><th>kind</th><th>name</th><th>trials</th><th>done</th>"
               "<th>running</th><th>failed</th><th>infeasible</th><th>cached</th><th>pruned</th><th>best reward</th>"
               "<th>best architecture</th><th>trial seconds</th></tr>\n");
    for (int s = 1; s <= h->last; s++) {
        const StoreTrialList *l = &h->stage[s];
        const RunStage *st = run_stage(h->R, s);
        if (!l->count && !st) continue;
        int count[TRIAL_NSTATES] = {0};
        double secs = 0;
        const StoreTrial *best = NULL;
        for (int i = 0; i < l->count; i++) {
            const StoreTrial *t = &l->items[i];
            if ((unsigned)t->state < TRIAL_NSTATES) count[t->state]++;
            if (t->finished > 0 && t->started > 0) secs += t->finished - t->started;
            if (t->state == TRIAL_DONE && isfinite(t->reward) && (!best || t->reward > best->reward)) best = t;
        }
        fprintf(o, "<tr class=\"stage\" data-stage=\"%d\"><td class=\"n\">%d</td><td>%s</td><td>", s, s,
                !st          ? "?"
                : st->search ? "search"
                             : "train");
        svg_escape(o, st ? st->name : "");
        fprintf(o,
                "</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>",
                l->count, count[TRIAL_DONE], count[TRIAL_RUNNING], count[TRIAL_FAILED], count[TRIAL_INFEASIBLE],
                count[TRIAL_CACHED], count[TRIAL_PRUNED]);
        if (best) {
            fprintf(o, "<td class=\"n\">%.6f</td><td><code>", best->reward);
            svg_escape(o, best->arch_id);
            fputs("</code></td>", o);
        } else fputs("<td class=\"n\"></td><td></td>", o);
        fprintf(o, "<td class=\"n\">%.2f</td></tr>\n", secs);
    }
    fputs("</table>\n", o);
}

static void document(Html *h)
{
    Run *R = h->R;
    FILE *o = h->out;
    fprintf(o,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            "<title>nas report: ");
    svg_escape(o, R->o->path);
    fprintf(o, "</title>\n<style>%s</style></head><body>\n<h1>Search report: ", STYLE);
    svg_escape(o, R->o->path);
    char when[64];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    fprintf(o, "</h1>\n<p>experiment %lld, written %s by nasrun %s.</p>\n<h2 id=\"summary-h\">Summary</h2>\n",
            (long long)R->experiment, when, NAS_VERSION);
    summary(h);
    for (int s = 1; s <= h->last; s++) {
        const RunStage *st = run_stage(R, s);
        if (!h->stage[s].count) continue;
        char title[256];
        report_stage_title(R, s, title, sizeof title);
        fprintf(o, "<h2 id=\"stage%d\">", s);
        svg_escape(o, title);
        fputs("</h2>\n", o);
        if (!st || st->search) {
            html_search_curve(h, s);
            html_pareto(h, s);
            html_decisions(h, s);
        } else html_rank_compare(h, s);
        html_training_curves(h, s);
    }
    fputs("<h2 id=\"failures-h\">Failures</h2>\n", o);
    html_failures(h);
    fputs("<h2 id=\"cost-h\">Cost</h2>\n", o);
    html_cost(h);
    fputs("</body></html>\n", o);
}

int html_report_write(Run *R, const char *path)
{
    StoreTrialList all = {0};
    StoreError err;
    if (store_trials(R->store, R->experiment, 0, &all, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    Html h = {.R = R, .last = report_last_stage(R, &all)};
    store_trials_free(&all);
    h.stage = calloc((size_t)h.last + 1, sizeof *h.stage);
    int rc = h.stage ? 0 : 2;
    for (int s = 1; s <= h.last && !rc; s++)
        if (store_trials(R->store, R->experiment, s, &h.stage[s], &err) != 0) {
            fprintf(stderr, "nasrun: %s\n", err.msg);
            rc = 2;
        }
    /* a temporary file renamed over the report: a browser never shows half of one */
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!rc && tmp) {
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
        if (!(h.out = fopen(tmp, "w"))) {
            fprintf(stderr, "nasrun: cannot write the report %s: %s\n", tmp, strerror(errno));
            rc = 2;
        } else {
            document(&h);
            bool bad = ferror(h.out) != 0;
            if (fclose(h.out) != 0 || bad || rename(tmp, path) != 0) {
                fprintf(stderr, "nasrun: cannot write the report %s: %s\n", path, strerror(errno));
                unlink(tmp);
                rc = 2;
            }
        }
    } else if (!tmp) rc = 2;
    free(tmp);
    for (int s = 0; h.stage && s <= h.last; s++) store_trials_free(&h.stage[s]);
    free(h.stage);
    return rc;
}

char *html_report_default_path(Run *R)
{
    char *where = experiment_store_where(R->o);
    if (!where) return NULL;
    bool url = !strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11);
    const char *base = url ? R->o->path : where, *cut = url ? ".nas" : ".nasdb";
    size_t n = strlen(base);
    char *p = malloc(n + 6);
    if (p) {
        memcpy(p, base, n + 1);
        if (n > strlen(cut) && !strcmp(p + n - strlen(cut), cut)) p[n - strlen(cut)] = 0;
        strcat(p, ".html");
    }
    free(where);
    return p;
}

void html_report_refresh(Run *R)
{
    if (++R->results % HTML_REFRESH) return;
    char *path = html_report_default_path(R);
    if (path && html_report_write(R, path) != 0)
        fprintf(stderr, "nasrun: warning: the report was not refreshed; the search goes on\n");
    free(path);
}
