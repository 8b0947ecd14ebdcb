/* html_int.h — the pieces of the HTML report (private to pipeline/): html_report.c writes the
 * document and its summary; html_plots.c the search curve, the Pareto front, stage 1 against
 * stage 2 and the training curves; html_decisions.c each decision's effect, the parallel
 * coordinates and the tuning playbook's checks; html_cost.c failures and cost. All read the
 * trials once loaded through the store API, so the report is the same on SQLite and PostgreSQL. */
#ifndef NAS_HTML_INT_H
#define NAS_HTML_INT_H
#include "pipeline_int.h"
#include "svg.h"

typedef struct Html {
    Run *R;
    FILE *out;
    int last;              /* stages 1..last */
    StoreTrialList *stage; /* [1..last]: each stage's trials in proposal order */
} Html;

/* A trial that finished with a reward: done, infeasible or cached. */
bool html_has_reward(const StoreTrial *t);
/* "<h3>title</h3>" and an optional explanation paragraph (both the report's own text). */
void html_heading(Html *h, const char *title, const char *note);

void html_search_curve(Html *h, int stage);
void html_pareto(Html *h, int stage);
void html_rank_compare(Html *h, int stage); /* a train stage against its search */
void html_training_curves(Html *h, int stage);
void html_decisions(Html *h, int stage); /* effects, parallel coordinates, playbook checks */
void html_failures(Html *h);
void html_cost(Html *h);
#endif
