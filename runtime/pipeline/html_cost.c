/* html_cost.c — what the search cost: its failures by reason, and its trial-hours with the
 * projection of Vertex AI NAS's cost formula (trials x time per trial, over the parallel
 * trials for the wall-clock time). */
#include "html_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { REASON_MAX = 40, REASON_CUT = 160 };

void html_failures(Html *h)
{
    FILE *o = h->out;
    char *reason[REASON_MAX];
    int count[REASON_MAX], n = 0, total = 0, other = 0;
    for (int s = 1; s <= h->last; s++)
        for (int i = 0; i < h->stage[s].count; i++) {
            const StoreTrial *t = &h->stage[s].items[i];
            if (t->state != TRIAL_FAILED) continue;
            total++;
            /* the same failure with another number in its words is another reason: grouped as
             * written, cut to its first REASON_CUT bytes */
            char key[REASON_CUT + 1];
            snprintf(key, sizeof key, "%s", t->reason && *t->reason ? t->reason : "(no reason recorded)");
            int k = 0;
            while (k < n && strcmp(reason[k], key)) k++;
            if (k == n && n == REASON_MAX) {
                other++;
                continue;
            }
            if (k == n) {
                if (!(reason[n] = strdup(key))) continue;
                count[n++] = 0;
            }
            count[k]++;
        }
    if (!total) {
        fprintf(o, "<p id=\"failures\" data-n=\"0\">No trial failed.</p>\n");
        return;
    }
    for (int i = 1; i < n; i++) /* most frequent first */
        for (int j = i; j > 0 && count[j - 1] < count[j]; j--) {
            int c = count[j];
            char *r = reason[j];
            count[j] = count[j - 1], reason[j] = reason[j - 1], count[j - 1] = c, reason[j - 1] = r;
        }
    fprintf(o, "<p id=\"failures\" data-n=\"%d\">%d trials failed, by reason:</p>\n", total, total);
    double *v = malloc(sizeof *v * (size_t)(n + 1));
    for (int i = 0; v && i < n; i++) v[i] = count[i];
    if (v) svg_bars(o, "failures-bars", n, (const char *const *)reason, v, NULL, "failed trials", true);
    fputs("<table id=\"failure-table\"><tr><th>trials</th><th>reason</th></tr>\n", o);
    for (int i = 0; i < n; i++) {
        fprintf(o, "<tr><td class=\"n\">%d</td><td>", count[i]);
        svg_escape(o, reason[i]);
        fputs("</td></tr>\n", o);
    }
    if (other) fprintf(o, "<tr><td class=\"n\">%d</td><td>(other reasons)</td></tr>\n", other);
    fputs("</table>\n", o);
    free(v);
    for (int i = 0; i < n; i++) free(reason[i]);
}

void html_cost(Html *h)
{
    FILE *o = h->out;
    fprintf(o, "<p class=\"note\">Trial-hours: the time each trial ran, summed (a trial answered from the store "
               "costs nothing). Projected: Vertex AI NAS's formula, the stage's trials times the mean time of a "
               "trained trial (times the devices per trial: one here), and that over the parallel trials for the "
               "wall-clock time; a search stops earlier when its stop rule says it has converged.</p>\n");
    fputs("<table id=\"cost\"><tr><th>stage</th><th>trained trials</th><th>trial-hours</th><th>mean minutes per "
          "trial</th><th>trials planned</th><th>parallel</th><th>projected trial-hours</th><th>projected "
          "wall-clock hours</th></tr>\n",
          o);
    for (int s = 1; s <= h->last; s++) {
        const StoreTrialList *l = &h->stage[s];
        if (!l->count) continue;
        double secs = 0;
        int trained = 0;
        for (int i = 0; i < l->count; i++) {
            const StoreTrial *t = &l->items[i];
            if (t->state == TRIAL_RUNNING || t->state == TRIAL_CACHED || !(t->finished > 0)) continue;
            secs += t->finished - t->started;
            trained++;
        }
        double mean = trained ? secs / trained : NAN;
        const RunStage *st = run_stage(h->R, s);
        fprintf(o,
                "<tr><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%.4f</td><td class=\"n\">%.2f</td>",
                s, trained, secs / 3600, mean / 60);
        if (st && trained) {
            int64_t planned = run_trials(h->R, s), par = run_parallel(h->R, s);
            double proj = (double)planned * mean / 3600;
            fprintf(
                o,
                "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.4f</td><td class=\"n\">%.4f</td>",
                (long long)planned, (long long)par, proj, proj / (double)(par > 0 ? par : 1));
        } else fputs("<td></td><td></td><td></td><td></td>", o);
        fputs("</tr>\n", o);
    }
    fputs("</table>\n", o);
}
