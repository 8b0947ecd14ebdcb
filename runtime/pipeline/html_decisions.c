/* html_decisions.c — the decisions of a search stage: each decision's effect (mean reward by
 * value, with counts), parallel coordinates of every finished trial, and the checks of the
 * Deep Learning Tuning Playbook ("Is the search space large enough?": the best trials at the
 * edge of a range; "Are enough points sampled?": a value barely tried). The decisions are read
 * from the stored JSON; the space, when the file compiles, gives each decision's full range. */
#include "html_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

enum { DEC_MAX = 64, SEEDED_MAX = 64, BINS = 8 };

typedef struct Dec {
    char *name;
    const SpaceDecision *sd; /* from the space, or NULL */
    bool seeded;             /* vals are the space's values, in its order (unsampled ones too) */
    bool numeric;            /* every value is a number */
    int nvals, cap;
    char **vals; /* canonical text of each value */
    double *num; /* its number, NaN when not one */
} Dec;

typedef struct Table {
    int ndec, nt;
    Dec dec[DEC_MAX];
    const StoreTrial **t; /* the stage's trials that are not running */
    int *val;             /* nt x ndec: index into dec[d].vals, -1 where the decision is absent */
} Table;

/* A value as text: numbers as the space formats them (%lld, %.10g), so the two compare. */
static void canonical(const cJSON *v, char *buf, size_t n, double *num)
{
    *num = NAN;
    if (cJSON_IsNumber(v)) {
        *num = v->valuedouble;
        if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15)
            snprintf(buf, n, "%lld", (long long)v->valuedouble);
        else snprintf(buf, n, "%.10g", v->valuedouble);
    } else if (cJSON_IsBool(v)) snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsString(v)) snprintf(buf, n, "%s", v->valuestring);
    else {
        char *s = cJSON_PrintUnformatted(v);
        snprintf(buf, n, "%s", s ? s : "?");
        free(s);
    }
}

static int find_val(const Dec *d, const char *s)
{
    for (int i = 0; i < d->nvals; i++)
        if (!strcmp(d->vals[i], s)) return i;
    return -1;
}

static int add_val(Dec *d, const char *s, double num)
{
    if (d->nvals == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        char **v = realloc(d->vals, sizeof *v * (size_t)cap);
        if (!v) return -1;
        d->vals = v;
        double *x = realloc(d->num, sizeof *x * (size_t)cap);
        if (!x) return -1;
        d->num = x;
        d->cap = cap;
    }
    if (!(d->vals[d->nvals] = strdup(s))) return -1;
    d->num[d->nvals] = num;
    return d->nvals++;
}

static Dec *dec_of(Table *tb, Html *h, const char *name)
{
    for (int i = 0; i < tb->ndec; i++)
        if (!strcmp(tb->dec[i].name, name)) return &tb->dec[i];
    if (tb->ndec == DEC_MAX) return NULL;
    Dec *d = &tb->dec[tb->ndec];
    *d = (Dec){.name = strdup(name), .numeric = true};
    if (!d->name) return NULL;
    tb->ndec++;
    const Space *sp = h->R->space;
    int k = sp ? space_find(sp, name) : -1;
    d->sd = k >= 0 ? space_decision(sp, k) : NULL;
    if (d->sd && !d->sd->continuous && d->sd->arity <= SEEDED_MAX) {
        d->seeded = true;
        for (int32_t v = 0; v < d->sd->arity; v++) {
            char buf[256], *end;
            space_value_format(sp, k, v, buf, sizeof buf);
            double x = strtod(buf, &end);
            add_val(d, buf, *buf && !*end ? x : NAN);
        }
        for (int v = 0; v < d->nvals; v++) d->numeric &= isfinite(d->num[v]);
    }
    return d;
}

static void table_free(Table *tb)
{
    for (int i = 0; i < tb->ndec; i++) {
        for (int v = 0; v < tb->dec[i].nvals; v++) free(tb->dec[i].vals[v]);
        free(tb->dec[i].vals);
        free(tb->dec[i].num);
        free(tb->dec[i].name);
    }
    free(tb->t);
    free(tb->val);
}

/* Sorts an unseeded decision's values (numbers ascending, else as text) and renumbers. */
static void sort_values(Table *tb, int d)
{
    Dec *x = &tb->dec[d];
    int n = x->nvals, *order = malloc(sizeof *order * (size_t)(n + 1)), *inv = malloc(sizeof *inv * (size_t)(n + 1));
    if (!order || !inv) {
        free(order), free(inv);
        return;
    }
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            int a = order[j - 1], b = order[j];
            bool gt = x->numeric ? x->num[a] > x->num[b] : strcmp(x->vals[a], x->vals[b]) > 0;
            if (!gt) break;
            order[j - 1] = b, order[j] = a;
        }
    char **vals = malloc(sizeof *vals * (size_t)(n + 1));
    double *num = malloc(sizeof *num * (size_t)(n + 1));
    if (vals && num) {
        for (int i = 0; i < n; i++) vals[i] = x->vals[order[i]], num[i] = x->num[order[i]], inv[order[i]] = i;
        memcpy(x->vals, vals, sizeof *vals * (size_t)n);
        memcpy(x->num, num, sizeof *num * (size_t)n);
        for (int t = 0; t < tb->nt; t++)
            if (tb->val[t * DEC_MAX + d] >= 0) tb->val[t * DEC_MAX + d] = inv[tb->val[t * DEC_MAX + d]];
    }
    free(vals), free(num), free(order), free(inv);
}

static int table_build(Html *h, int stage, Table *tb)
{
    const StoreTrialList *l = &h->stage[stage];
    memset(tb, 0, sizeof *tb);
    tb->t = malloc(sizeof *tb->t * (size_t)(l->count + 1));
    tb->val = malloc(sizeof *tb->val * (size_t)(l->count + 1) * DEC_MAX);
    if (!tb->t || !tb->val) return -1;
    for (int i = 0; i < l->count; i++) {
        const StoreTrial *t = &l->items[i];
        if (t->state == TRIAL_RUNNING) continue;
        int row = tb->nt++;
        tb->t[row] = t;
        for (int d = 0; d < DEC_MAX; d++) tb->val[row * DEC_MAX + d] = -1;
        cJSON *o = t->decisions ? cJSON_Parse(t->decisions) : NULL;
        for (cJSON *it = cJSON_IsObject(o) ? o->child : NULL; it; it = it->next) {
            Dec *d = dec_of(tb, h, it->string);
            if (!d) continue;
            char buf[256];
            double num;
            canonical(it, buf, sizeof buf, &num);
            int v = find_val(d, buf);
            if (v < 0) v = add_val(d, buf, num);
            if (!isfinite(num) && !d->seeded) d->numeric = false;
            tb->val[row * DEC_MAX + (d - tb->dec)] = v;
        }
        cJSON_Delete(o);
    }
    for (int d = 0; d < tb->ndec; d++)
        if (!tb->dec[d].seeded) sort_values(tb, d);
    return 0;
}

/* A decision with many distinct numbers (a float range) is shown in BINS equal bins. */
static bool binned(const Dec *d) { return d->numeric && !d->seeded && d->nvals > 2 * BINS; }

static void effects(Html *h, int stage, Table *tb)
{
    html_heading(h, "Each decision's effect",
                 "For each decision, the mean reward of the finished trials that took each value, with their "
                 "number (n). A value with few trials says little; one never tried shows no bar.");
    for (int d = 0; d < tb->ndec; d++) {
        Dec *x = &tb->dec[d];
        int nb = binned(x) ? BINS : x->nvals;
        double *sum = calloc((size_t)nb + 1, sizeof *sum), lo = x->num[0], hi = x->num[x->nvals > 0 ? x->nvals - 1 : 0];
        int *cnt = calloc((size_t)nb + 1, sizeof *cnt);
        char **labels = calloc((size_t)nb + 1, sizeof *labels);
        if (!sum || !cnt || !labels) goto next;
        for (int t = 0; t < tb->nt; t++) {
            int v = tb->val[t * DEC_MAX + d];
            if (v < 0 || tb->t[t]->state != TRIAL_DONE || !isfinite(tb->t[t]->reward)) continue;
            int b = binned(x) ? (int)fmin(BINS - 1, floor((x->num[v] - lo) / (hi - lo) * BINS)) : v;
            sum[b] += tb->t[t]->reward, cnt[b]++;
        }
        for (int b = 0; b < nb; b++) {
            sum[b] = cnt[b] ? sum[b] / cnt[b] : NAN;
            if (binned(x)) {
                char buf[64];
                snprintf(buf, sizeof buf, "%.4g..%.4g", lo + (hi - lo) * b / BINS, lo + (hi - lo) * (b + 1) / BINS);
                labels[b] = strdup(buf);
            } else labels[b] = strdup(x->vals[b]);
        }
        char id[48];
        snprintf(id, sizeof id, "dec-s%d-%d", stage, d);
        fprintf(h->out, "<div class=\"decision\">");
        svg_bars(h->out, id, nb, (const char *const *)labels, sum, cnt, x->name, false);
        fprintf(h->out, "</div>\n");
    next:
        for (int b = 0; labels && b < nb; b++) free(labels[b]);
        free(labels), free(sum), free(cnt);
    }
}

static void parallel(Html *h, int stage, Table *tb)
{
    int na = tb->ndec + 1, nr = 0;
    SvgAxis *axes = calloc((size_t)na, sizeof *axes);
    double *vals = malloc(sizeof *vals * (size_t)na * (size_t)(tb->nt + 1)),
           *col = malloc(sizeof *col * (size_t)(tb->nt + 1));
    char **titles = calloc((size_t)tb->nt + 1, sizeof *titles);
    if (!axes || !vals || !col || !titles) goto out;
    for (int d = 0; d < tb->ndec; d++) {
        bool numeric_axis = binned(&tb->dec[d]);
        axes[d] = (SvgAxis){tb->dec[d].name, numeric_axis ? 0 : tb->dec[d].nvals, (const char *const *)tb->dec[d].vals};
    }
    axes[tb->ndec] = (SvgAxis){"reward", 0, NULL};
    double lo = INFINITY, hi = -INFINITY;
    for (int t = 0; t < tb->nt; t++)
        if (tb->t[t]->state == TRIAL_DONE && isfinite(tb->t[t]->reward))
            lo = fmin(lo, tb->t[t]->reward), hi = fmax(hi, tb->t[t]->reward);
    for (int t = 0; t < tb->nt; t++) {
        const StoreTrial *tr = tb->t[t];
        if (tr->state != TRIAL_DONE || !isfinite(tr->reward)) continue;
        for (int d = 0; d < tb->ndec; d++) {
            int v = tb->val[t * DEC_MAX + d];
            vals[nr * na + d] = v < 0 ? NAN : axes[d].ncat ? v : tb->dec[d].num[v];
        }
        vals[nr * na + tb->ndec] = tr->reward;
        col[nr] = hi > lo ? (tr->reward - lo) / (hi - lo) : 1;
        size_t n = strlen(tr->arch_id) + 64;
        if ((titles[nr] = malloc(n)))
            snprintf(titles[nr], n, "trial %lld %s: reward %.6g", (long long)tr->seq, tr->arch_id, tr->reward);
        nr++;
    }
    html_heading(h, "Parallel coordinates",
                 "One line per finished trial across its decisions and its reward, coloured by the reward (yellow: "
                 "best). A line that skips an axis did not have that decision (an untaken branch).");
    char id[32];
    snprintf(id, sizeof id, "pc-s%d", stage);
    svg_parallel(h->out, id, na, axes, nr, vals, col, (const char *const *)titles);
out:
    for (int i = 0; titles && i < nr; i++) free(titles[i]);
    free(titles), free(axes), free(vals), free(col);
}

/* The range of an ordered decision from the space: [lo, hi]; false when it has no order. */
static bool range_of(const Dec *x, double *lo, double *hi)
{
    const SpaceDecision *sd = x->sd;
    if (!sd || !x->numeric) return false;
    if (sd->kind == SPACE_FLOAT_RANGE) *lo = sd->flo, *hi = sd->fhi;
    else if (sd->kind == SPACE_INT_RANGE) *lo = (double)sd->ilo, *hi = (double)(sd->ilo + sd->istep * (sd->arity - 1));
    else if (sd->kind == SPACE_CATEGORICAL && sd->vtype != SPACE_VAL_LABEL && x->seeded) {
        *lo = INFINITY, *hi = -INFINITY;
        for (int v = 0; v < x->nvals; v++) *lo = fmin(*lo, x->num[v]), *hi = fmax(*hi, x->num[v]);
    } else return false;
    return sd->continuous || sd->arity >= 3;
}

/* -1 at the lower edge, 1 at the upper, 0 inside (a continuous range: its outer 5%, on the
 * log scale for a log range). */
static int edge(const Dec *x, double v, double lo, double hi)
{
    if (x->sd->continuous) {
        bool lg = x->sd->log && lo > 0 && v > 0;
        double u = lg ? (log(v) - log(lo)) / (log(hi) - log(lo)) : (v - lo) / (hi - lo);
        return u <= 0.05 ? -1 : u >= 0.95 ? 1 : 0;
    }
    return v == lo ? -1 : v == hi ? 1 : 0;
}

static int by_reward_desc(const void *a, const void *b)
{
    double x = (*(const StoreTrial *const *)a)->reward, y = (*(const StoreTrial *const *)b)->reward;
    return (x < y) - (x > y);
}

static void checks(Html *h, int stage, Table *tb)
{
    FILE *o = h->out;
    html_heading(h, "Tuning playbook checks",
                 "The Deep Learning Tuning Playbook's questions after a search: is the space large enough (the best "
                 "trials should not sit at the edge of a range, or the range should grow past it), and is it "
                 "sampled densely enough (every value tried often enough to judge it)?");
    fprintf(o, "<ul class=\"checks\" id=\"checks-s%d\">\n", stage);
    int found = 0, ndone = 0;
    const StoreTrial **done = malloc(sizeof *done * (size_t)(tb->nt + 1));
    for (int t = 0; done && t < tb->nt; t++)
        if (tb->t[t]->state == TRIAL_DONE && isfinite(tb->t[t]->reward)) done[ndone++] = tb->t[t];
    if (done && ndone >= 5) {
        qsort(done, (size_t)ndone, sizeof *done, by_reward_desc);
        int ntop = ndone / 10 > 3 ? (ndone + 9) / 10 : 3;
        for (int d = 0; d < tb->ndec; d++) {
            Dec *x = &tb->dec[d];
            double lo, hi;
            if (!range_of(x, &lo, &hi) || !(hi > lo)) continue;
            int at[3] = {0}, best_edge = 2; /* at[e + 1]: top trials at edge e */
            for (int k = 0; k < ntop; k++) {
                int row = -1;
                for (int t = 0; t < tb->nt && row < 0; t++)
                    if (tb->t[t] == done[k]) row = t;
                int v = row >= 0 ? tb->val[row * DEC_MAX + d] : -1;
                if (v < 0) continue;
                int e = edge(x, x->num[v], lo, hi);
                at[e + 1]++;
                if (k == 0) best_edge = e;
            }
            if (best_edge == 2 || best_edge == 0 || 2 * at[best_edge + 1] < ntop) continue;
            char b[32];
            svg_num(b, sizeof b, best_edge < 0 ? lo : hi);
            fprintf(o, "<li class=\"check edge\" data-decision=\"");
            svg_escape(o, x->name);
            fprintf(o, "\">The best trial and %d of the best %d take <code>", at[best_edge + 1], ntop);
            svg_escape(o, x->name);
            fprintf(o, "</code> at the %s edge of its range (%s): expand the range %s %s.</li>\n",
                    best_edge < 0 ? "lower" : "upper", b, best_edge < 0 ? "below" : "above", b);
            found++;
        }
    }
    for (int d = 0; d < tb->ndec; d++) {
        Dec *x = &tb->dec[d];
        if (!x->seeded || x->nvals < 2) continue;
        int active = 0, *cnt = calloc((size_t)x->nvals, sizeof *cnt);
        if (!cnt) continue;
        for (int t = 0; t < tb->nt; t++) {
            int v = tb->val[t * DEC_MAX + d];
            if (v >= 0) cnt[v]++, active++;
        }
        double share = (double)active / x->nvals;
        if (active >= 2 * x->nvals)
            for (int v = 0; v < x->nvals; v++) {
                if (cnt[v] >= fmax(2, share / 4)) continue;
                fprintf(o, "<li class=\"check sparse\" data-decision=\"");
                svg_escape(o, x->name);
                fprintf(o, "\" data-value=\"");
                svg_escape(o, x->vals[v]);
                fprintf(o, "\">Value <code>");
                svg_escape(o, x->vals[v]);
                fprintf(o, "</code> of <code>");
                svg_escape(o, x->name);
                fprintf(o,
                        "</code> was tried in %d of the %d trials that had the decision (a uniform share is "
                        "%.1f): too few to judge it.</li>\n",
                        cnt[v], active, share);
                found++;
            }
        free(cnt);
    }
    if (!found)
        fprintf(o,
                "<li class=\"check ok\">No decision has its best trials at the edge of its range, and every "
                "value was tried often enough%s.</li>\n",
                ndone < 5 ? " (fewer than 5 finished trials: the edge check needs more)" : "");
    fputs("</ul>\n", o);
    free(done);
}

void html_decisions(Html *h, int stage)
{
    Table tb;
    if (table_build(h, stage, &tb) == 0 && tb.ndec > 0) {
        effects(h, stage, &tb);
        parallel(h, stage, &tb);
        checks(h, stage, &tb);
    }
    table_free(&tb);
}
