/* report.c — views of the trial store: --status, --top N (as text that fits the terminal, or
 * --json), --export json, and the summary printed when a search ends (--export csv is
 * report_csv.c). They only read the store, so they work while a search runs. */
#include "pipeline_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cjson/cJSON.h>

static int load(Run *R, int stage, StoreTrialList *l)
{
    StoreError err;
    if (store_trials(R->store, R->experiment, stage, l, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static double metric(const StoreTrial *t, const char *key)
{
    double v;
    return json_get_number(t->metrics, key, &v) ? v : NAN;
}

int trial_by_reward(const void *a, const void *b)
{
    const StoreTrial *x = a, *y = b;
    bool fx = (x->state == TRIAL_DONE) && isfinite(x->reward), fy = (y->state == TRIAL_DONE) && isfinite(y->reward);
    if (fx != fy) return fx ? -1 : 1;
    if (fx && x->reward != y->reward) return x->reward < y->reward ? 1 : -1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The reward's `report` metrics that a view does not show already (`shown`: its built-in
 * columns); n of them go to out. */
static int report_columns(Run *R, const char *const *shown, const char **out)
{
    int n = 0;
    for (int i = 0; R->reward && i < R->reward->nreport && n < 32; i++) {
        const char *name = R->reward->report[i].name;
        bool dup = false;
        for (const char *const *s = shown; *s && !dup; s++) dup = !strcmp(*s, name);
        for (int j = 0; j < n && !dup; j++) dup = !strcmp(out[j], name);
        if (!dup) out[n++] = name;
    }
    return n;
}

static const char *const TABLE_SHOWN[] = {"accuracy", "params", "latency", NULL};

/* The columns a text view may fill: $COLUMNS, else the terminal's width; 0 (no limit: full
 * values) with --wide or when stdout is not a terminal, so a script reading it loses nothing. */
static int view_width(Run *R)
{
    if (R->o->wide) return 0;
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) > 0) return atoi(c);
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 0;
}

/* Prints s in at most max columns (max < 0: all of it), cutting with "…" on a character
 * boundary. */
static void put_cut(const char *s, int max)
{
    int cols = 0;
    const char *p = s;
    for (; *p && (max < 0 || cols < max); p++) cols += ((unsigned char)*p & 0xC0) != 0x80;
    if (!*p || max < 0) {
        fputs(s, stdout);
        return;
    }
    /* one column less than max for the ellipsis, then back to the start of a character */
    p = s;
    for (cols = 0; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++cols > max - 1) break;
    }
    fwrite(s, 1, (size_t)(p - s), stdout);
    fputs("\xE2\x80\xA6", stdout);
}

/* "layer[0].c" -> "l[0].c": each word of a name cut to its first letter. */
static void abbreviate(JsonBuf *b, const char *name)
{
    for (const char *p = name; *p; p++) {
        bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_';
        bool prev = p > name && ((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '_' ||
                                 (p[-1] >= '0' && p[-1] <= '9'));
        if (!letter || !prev) jb_printf(b, "%c", *p);
    }
}

/* The decisions as `name=value` words (no JSON punctuation), the names abbreviated when the
 * words would not fit in `room` columns: what a narrow view has room for. */
static char *decisions_short(const char *json, int room)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    JsonBuf b = {0};
    for (int brief = 0; brief < 2; brief++) {
        b.len = 0;
        jb_printf(&b, "%s", "");
        for (cJSON *it = cJSON_IsObject(o) ? o->child : NULL; it; it = it->next) {
            jb_printf(&b, "%s", b.len ? " " : "");
            if (brief) abbreviate(&b, it->string);
            else jb_printf(&b, "%s", it->string);
            jb_printf(&b, "=");
            if (cJSON_IsString(it)) jb_printf(&b, "%s", it->valuestring);
            else {
                char *v = cJSON_PrintUnformatted(it);
                jb_printf(&b, "%s", v ? v : "?");
                free(v);
            }
        }
        if (b.len <= (size_t)room) break;
    }
    cJSON_Delete(o);
    return b.s;
}

/* Which columns a table shows: all of them with no width limit; in a narrow terminal, the
 * optional ones go (the reward's report metrics from the last, latency, params, stage,
 * accuracy) until the decisions have room for 16 columns. */
typedef struct Layout {
    int width; /* 0: no limit */
    bool stage, accuracy, params, latency;
    const char *cols[32];
    int ncols;
} Layout;

static int col_width(const char *name) { return 1 + (strlen(name) > 10 ? (int)strlen(name) : 10); }

static Layout layout(Run *R)
{
    Layout L = {.width = view_width(R), .stage = true, .accuracy = true, .params = true, .latency = true};
    L.ncols = report_columns(R, TABLE_SHOWN, L.cols);
    for (;;) {
        int used = 6 + 7 * L.stage + 6 + 12 + 8 + 9 * L.accuracy + 10 * L.params + 10 * L.latency + 17;
        for (int i = 0; i < L.ncols; i++) used += col_width(L.cols[i]);
        if (!L.width || used + 16 <= L.width) break;
        if (L.ncols) L.ncols--;
        else if (L.latency) L.latency = false;
        else if (L.params) L.params = false;
        else if (L.stage) L.stage = false;
        else if (L.accuracy) L.accuracy = false;
        else break;
    }
    return L;
}

static void print_row(const Layout *L, const StoreTrial *t, int rank)
{
    int used = printf("%4d  ", rank);
    if (L->stage) used += printf("%5d  ", t->stage);
    used += printf("%-5d %-11s %8.4f", (int)t->seq, store_state_name(t->state), t->reward);
    if (L->accuracy) used += printf(" %8.4f", metric(t, "accuracy"));
    if (L->params) used += printf(" %9.0f", metric(t, "params"));
    if (L->latency) used += printf(" %9.3f", metric(t, "latency") * 1e3);
    for (int i = 0; i < L->ncols; i++) used += printf(" %*.6g", col_width(L->cols[i]) - 1, metric(t, L->cols[i]));
    used += printf("  %-14s ", t->arch_id);
    if (!L->width) printf("%s\n", t->decisions ? t->decisions : "");
    else {
        int room = L->width - used > 4 ? L->width - used : 4; /* the fixed columns need about 56 */
        char *d = decisions_short(t->decisions, room);
        put_cut(d ? d : "", room);
        putchar('\n');
        free(d);
    }
}

static void header(const Layout *L)
{
    printf("%4s  ", "rank");
    if (L->stage) printf("%5s  ", "stage");
    printf("%-5s %-11s %8s", "seq", "state", "reward");
    if (L->accuracy) printf(" %8s", "accuracy");
    if (L->params) printf(" %9s", "params");
    if (L->latency) printf(" %9s", "lat_ms");
    for (int i = 0; i < L->ncols; i++) printf(" %*s", col_width(L->cols[i]) - 1, L->cols[i]);
    printf("  %-14s %s\n", "arch", "decisions");
}

void report_stage_title(Run *R, int stage, char *buf, size_t n)
{
    const RunStage *st = run_stage(R, stage);
    if (!st) snprintf(buf, n, "stage %d", stage);
    else if (st->search) snprintf(buf, n, "stage %d (search %s, proxy task)", stage, st->name);
    else if (st->tune)
        snprintf(buf, n, "stage %d (tune %s, training settings of the best of stage %d)", stage, st->name, st->from);
    else snprintf(buf, n, "stage %d (train %s, full training of the best of stage %d)", stage, st->name, st->from);
}

int report_last_stage(Run *R, const StoreTrialList *all)
{
    int last = R->nstages;
    for (int i = 0; i < all->count; i++)
        if (all->items[i].stage > last) last = all->items[i].stage;
    return last;
}

/* A stored JSON text as a cJSON value (null when absent or not JSON). */
static cJSON *json_or_null(const char *text)
{
    cJSON *v = text && *text ? cJSON_Parse(text) : NULL;
    return v ? v : cJSON_CreateNull();
}

static cJSON *trial_json(const StoreTrial *t, int rank)
{
    cJSON *o = cJSON_CreateObject();
    if (rank) cJSON_AddNumberToObject(o, "rank", rank);
    cJSON_AddNumberToObject(o, "stage", t->stage);
    cJSON_AddNumberToObject(o, "seq", (double)t->seq);
    cJSON_AddStringToObject(o, "state", store_state_name(t->state));
    if (isfinite(t->reward)) cJSON_AddNumberToObject(o, "reward", t->reward);
    else cJSON_AddNullToObject(o, "reward");
    cJSON_AddStringToObject(o, "arch_id", t->arch_id ? t->arch_id : "");
    cJSON_AddItemToObject(o, "decisions", json_or_null(t->decisions));
    cJSON_AddItemToObject(o, "metrics", json_or_null(t->metrics));
    return o;
}

/* Prints a JSON document and frees it: 0, or 2 when it could not be built. */
static int print_json(cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        fprintf(stderr, "nasrun: out of memory\n");
        return 2;
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

/* The n best trials of each stage: as text (width: view_width), or into the JSON array `json`. */
static int top(Run *R, int n, cJSON *json)
{
    StoreTrialList all = {0};
    if (load(R, 0, &all)) return 2;
    int last = report_last_stage(R, &all);
    Layout L = layout(R);
    store_trials_free(&all);
    for (int stage = 1, printed = 0; stage <= last; stage++) {
        StoreTrialList l = {0};
        if (load(R, stage, &l)) return 2;
        const RunStage *st = run_stage(R, stage);
        if (l.count == 0 && !(st && st->search)) {
            store_trials_free(&l);
            continue;
        }
        if (l.count) qsort(l.items, (size_t)l.count, sizeof *l.items, trial_by_reward);
        char title[256];
        report_stage_title(R, stage, title, sizeof title);
        if (json) {
            cJSON *o = cJSON_CreateObject(), *trials = cJSON_CreateArray();
            cJSON_AddNumberToObject(o, "stage", stage);
            cJSON_AddStringToObject(o, "title", title);
            for (int i = 0; i < l.count && i < n; i++) cJSON_AddItemToArray(trials, trial_json(&l.items[i], i + 1));
            cJSON_AddItemToObject(o, "trials", trials);
            cJSON_AddItemToArray(json, o);
        } else {
            char line[300];
            snprintf(line, sizeof line, "%s, best first:", title);
            printf("%s", printed++ ? "\n" : "");
            put_cut(line, L.width ? L.width : -1);
            putchar('\n');
            header(&L);
            for (int i = 0; i < l.count && i < n; i++) print_row(&L, &l.items[i], i + 1);
        }
        store_trials_free(&l);
    }
    return 0;
}

int report_top(Run *R, int n)
{
    if (!R->o->json) return top(R, n, NULL);
    cJSON *doc = cJSON_CreateObject(), *stages = cJSON_AddArrayToObject(doc, "stages");
    cJSON_AddNumberToObject(doc, "experiment", (double)R->experiment);
    int rc = top(R, n, stages);
    if (rc) {
        cJSON_Delete(doc);
        return rc;
    }
    return print_json(doc);
}

/* The workers of the experiment, latest first: host, pid, its last heartbeat (else its last
 * result) and the trials it holds; one whose process is gone (this host) or whose heartbeats
 * stopped (another host) is marked dead or stale, since its trials are not running any more. */
static void status_workers(Run *R, const StoreTrialList *l, double now, int width)
{
    enum { SHOWN = 16 };
    const StoreTrial *last[SHOWN]; /* per worker shown: a row of it (a running one if it has one) */
    double seen[SHOWN];
    int n = 0;
    bool more = false;
    for (int pass = 0; pass < 2; pass++) /* the workers holding trials first, then the others */
        for (int i = l->count - 1; i >= 0; i--) {
            const StoreTrial *t = &l->items[i];
            if (!t->worker || (pass == 0) != (t->state == TRIAL_RUNNING)) continue;
            int k = 0;
            while (k < n && strcmp(last[k]->worker, t->worker) != 0) k++;
            double at = t->state == TRIAL_RUNNING ? t->heartbeat : t->finished;
            if (k < n) seen[k] = at > seen[k] ? at : seen[k];
            else if (n == SHOWN) more = true;
            else {
                last[n] = t;
                seen[n++] = at;
            }
        }
    if (!n) return;
    char line[600];
    snprintf(line, sizeof line, "  workers (heartbeat every %.3g s; another host's is stale after %.3g s):",
             sched_beat_seconds(), sched_stale_seconds());
    put_cut(line, width ? width : -1);
    putchar('\n');
    for (int k = 0; k < n; k++) {
        StoreTrial t = *last[k];
        t.heartbeat = seen[k];
        const char *colon = strrchr(t.worker, ':');
        char why[160] = "";
        bool running = t.state == TRIAL_RUNNING, gone = sched_worker_gone(R, &t, now, why, sizeof why);
        const char *state = running                        ? (!gone                            ? "running"
                                                              : strstr(why, "stopped beating") ? "stale"
                                                                                               : "dead")
                            : gone && strstr(why, "ended") ? "ended"
                                                           : "no trial";
        int n = snprintf(line, sizeof line, "    %-20.*s pid %-7s %-8s %s %.0f s ago",
                         colon ? (int)(colon - t.worker) : (int)strlen(t.worker), t.worker, colon ? colon + 1 : "?",
                         state, running ? "last beat" : "last result", now - seen[k]);
        for (int i = 0; running && i < l->count && n > 0 && (size_t)n < sizeof line; i++)
            if (l->items[i].state == TRIAL_RUNNING && !strcmp(l->items[i].worker ? l->items[i].worker : "", t.worker))
                n += snprintf(line + n, sizeof line - (size_t)n, ", stage %d trial %lld", l->items[i].stage,
                              (long long)l->items[i].seq);
        put_cut(line, width ? width : -1);
        putchar('\n');
    }
    if (more) printf("    (and earlier workers)\n");
}

/* --status: the counts of each stage, the running trials, the failed ones with their reason,
 * then the best ten of each stage; as text, or as one JSON object with those members
 * ("stages", "running", "failed", "top"). */
int report_status(Run *R)
{
    StoreTrialList l = {0};
    if (load(R, 0, &l)) return 2;
    int last = report_last_stage(R, &l), width = view_width(R);
    int(*count)[TRIAL_NSTATES] = calloc((size_t)last + 1, sizeof *count);
    int *carried = calloc((size_t)last + 1, sizeof *carried); /* of the done ones: --carry-over's */
    cJSON *doc = R->o->json ? cJSON_CreateObject() : NULL;
    if (!count || !carried || (R->o->json && !doc)) {
        free(count);
        free(carried);
        cJSON_Delete(doc);
        store_trials_free(&l);
        return 2;
    }
    double now = store_now();
    int design[TRIAL_NSTATES] = {0}, ndesign = 0; /* the proxy design's trials: stages -1, -2, ... */
    for (int i = 0; i < l.count; i++)
        if ((unsigned)l.items[i].state >= TRIAL_NSTATES) continue;
        else if (l.items[i].stage >= 1) {
            count[l.items[i].stage][l.items[i].state]++;
            carried[l.items[i].stage] += carry_is_carried(&l.items[i]);
        } else if (l.items[i].stage < 0) {
            design[l.items[i].state]++;
            ndesign++;
        }
    if (doc) {
        cJSON_AddNumberToObject(doc, "experiment", (double)R->experiment);
        cJSON_AddStringToObject(doc, "file", R->o->path);
        cJSON_AddNumberToObject(doc, "trials", l.count);
    } else {
        char line[600];
        snprintf(line, sizeof line, "experiment %lld of %s (%d trials in the store)", (long long)R->experiment,
                 R->o->path, l.count);
        put_cut(line, width ? width : -1);
        putchar('\n');
        if (ndesign) {
            snprintf(line, sizeof line,
                     "  design: %d done, %d running, %d failed, %d infeasible (the proxy design; --stage design "
                     "prints its table)",
                     design[TRIAL_DONE], design[TRIAL_RUNNING], design[TRIAL_FAILED], design[TRIAL_INFEASIBLE]);
            put_cut(line, width ? width : -1);
            putchar('\n');
        }
    }
    if (doc && ndesign) {
        cJSON *o = cJSON_AddObjectToObject(doc, "design");
        for (int k = 0; k < TRIAL_NSTATES; k++) cJSON_AddNumberToObject(o, store_state_name((TrialState)k), design[k]);
    }
    cJSON *stages = doc ? cJSON_AddArrayToObject(doc, "stages") : NULL;
    for (int s = 1; s <= last; s++) {
        char title[256];
        report_stage_title(R, s, title, sizeof title);
        const RunStage *st = run_stage(R, s);
        if (doc) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "stage", s);
            cJSON_AddStringToObject(o, "kind", !st ? "unknown" : st->search ? "search" : "train");
            if (st) cJSON_AddStringToObject(o, "name", st->name);
            else cJSON_AddNullToObject(o, "name");
            cJSON_AddStringToObject(o, "title", title);
            for (int k = 0; k < TRIAL_NSTATES; k++)
                cJSON_AddNumberToObject(o, store_state_name((TrialState)k), count[s][k]);
            cJSON_AddNumberToObject(o, "carried", carried[s]);
            cJSON_AddItemToArray(stages, o);
            continue;
        }
        const char *what = strchr(title, '(');
        char line[400], pruned[32] = "", from[48] = "";
        if (count[s][TRIAL_PRUNED]) snprintf(pruned, sizeof pruned, ", %d pruned", count[s][TRIAL_PRUNED]);
        if (carried[s]) snprintf(from, sizeof from, " (%d carried over)", carried[s]);
        snprintf(line, sizeof line, "  stage %d: %d done%s, %d running, %d failed, %d infeasible, %d cached%s%s%s", s,
                 count[s][TRIAL_DONE], from, count[s][TRIAL_RUNNING], count[s][TRIAL_FAILED],
                 count[s][TRIAL_INFEASIBLE], count[s][TRIAL_CACHED], pruned, what ? " " : "", what ? what : "");
        put_cut(line, width ? width : -1);
        putchar('\n');
    }
    free(count);
    free(carried);
    if (!doc) status_workers(R, &l, now, width);
    cJSON *running = doc ? cJSON_AddArrayToObject(doc, "running") : NULL;
    cJSON *failed = doc ? cJSON_AddArrayToObject(doc, "failed") : NULL;
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (t->state != TRIAL_RUNNING && t->state != TRIAL_FAILED) continue;
        char why[160];
        bool gone = t->state == TRIAL_RUNNING && sched_worker_gone(R, t, now, why, sizeof why);
        if (doc) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "stage", t->stage);
            cJSON_AddNumberToObject(o, "seq", (double)t->seq);
            cJSON_AddStringToObject(o, "arch_id", t->arch_id ? t->arch_id : "");
            if (t->state == TRIAL_RUNNING) {
                cJSON_AddStringToObject(o, "worker", t->worker ? t->worker : "");
                cJSON_AddNumberToObject(o, "heartbeat_age", now - t->heartbeat);
                cJSON_AddNumberToObject(o, "attempts", t->attempts);
                cJSON_AddBoolToObject(o, "worker_gone", gone);
                cJSON_AddItemToArray(running, o);
            } else {
                cJSON_AddStringToObject(o, "reason", t->reason ? t->reason : "");
                cJSON_AddItemToArray(failed, o);
            }
            continue;
        }
        int used;
        if (t->state == TRIAL_RUNNING)
            used = printf("  running: stage %d trial %lld %s on ", t->stage, (long long)t->seq, t->arch_id);
        else used = printf("  failed: stage %d trial %lld %s: ", t->stage, (long long)t->seq, t->arch_id);
        char tail[256];
        if (t->state == TRIAL_RUNNING)
            snprintf(tail, sizeof tail, "%s (heartbeat %.0f s ago)%s", t->worker ? t->worker : "?", now - t->heartbeat,
                     gone ? ", its worker is gone: the next nasrun retries it" : "");
        put_cut(t->state == TRIAL_RUNNING ? tail
                : t->reason               ? t->reason
                                          : "?",
                width ? (width - used > 8 ? width - used : 8) : -1);
        putchar('\n');
    }
    store_trials_free(&l);
    if (doc) {
        int rc = top(R, 10, cJSON_AddArrayToObject(doc, "top"));
        if (rc) {
            cJSON_Delete(doc);
            return rc;
        }
        return print_json(doc);
    }
    printf("\n");
    return top(R, 10, NULL);
}

int report_export(Run *R, const char *format)
{
    if (!strcmp(format, "csv")) return report_csv(R);
    StoreTrialList l = {0};
    if (load(R, 0, &l)) return 2;
    printf("[\n");
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        JsonBuf b = {0};
        jb_printf(&b, "  {\"stage\": %d, \"seq\": %lld, \"state\": \"%s\", \"reward\": ", t->stage, (long long)t->seq,
                  store_state_name(t->state));
        jb_number(&b, t->reward);
        jb_printf(&b, ", \"arch_id\": ");
        jb_string(&b, t->arch_id);
        jb_printf(&b, ", \"decisions\": %s, \"metrics\": %s, \"curve\": %s, \"reason\": ",
                  t->decisions ? t->decisions : "null", t->metrics && t->metrics[0] ? t->metrics : "null",
                  t->curve && t->curve[0] ? t->curve : "null");
        if (t->reason) jb_string(&b, t->reason);
        else jb_printf(&b, "null");
        jb_printf(&b, ", \"attempts\": %d, \"worker\": ", t->attempts);
        jb_string(&b, t->worker ? t->worker : "");
        jb_printf(&b, ", \"started\": %.3f, \"finished\": %.3f}%s\n", t->started, t->finished,
                  i + 1 < l.count ? "," : "");
        fputs(b.s, stdout);
        free(b.s);
    }
    printf("]\n");
    store_trials_free(&l);
    return 0;
}

int report_pareto_points(Run *R, const StoreTrialList *l, double **pts_out, int **which_out, bool **front_out)
{
    const NasReward *rw = R->reward;
    *pts_out = NULL, *which_out = NULL, *front_out = NULL;
    if (!rw || rw->nobjectives < 2 || rw->nobjectives > REWARD_MAX_OBJECTIVES) return 0;
    int k = rw->nobjectives, n = 0;
    double *pts = malloc(sizeof *pts * (size_t)(k * (l->count + 1)));
    int *which = malloc(sizeof *which * (size_t)(l->count + 1));
    bool *front = malloc(sizeof *front * (size_t)(l->count + 1)), dir[REWARD_MAX_OBJECTIVES];
    if (!pts || !which || !front) {
        free(pts);
        free(which);
        free(front);
        return -1;
    }
    for (int j = 0; j < k; j++) dir[j] = rw->objectives[j].maximize;
    for (int i = 0; i < l->count; i++) {
        if (l->items[i].state != TRIAL_DONE) continue;
        RewardMetrics m;
        char names[512];
        reward_metrics_init(&m);
        if (!l->items[i].metrics || !json_to_metrics(l->items[i].metrics, &m, names, sizeof names)) continue;
        bool ok = true;
        for (int j = 0; j < k; j++) ok &= isfinite(pts[n * k + j] = reward_metric(&m, rw->objectives[j].metric));
        if (ok) which[n++] = i;
    }
    if (n > 0) reward_pareto_front(pts, n, k, dir, front);
    *pts_out = pts, *which_out = which, *front_out = front;
    return n;
}

/* Several objectives: the Pareto front of a search stage (and its hypervolume for two). */
static void pareto(Run *R, int stage)
{
    const NasReward *rw = R->reward;
    StoreTrialList l = {0};
    if (!rw || rw->nobjectives < 2 || load(R, stage, &l)) return;
    double *pts;
    int *which;
    bool *front, dir[REWARD_MAX_OBJECTIVES];
    int k = rw->nobjectives, n = report_pareto_points(R, &l, &pts, &which, &front);
    for (int j = 0; j < k && j < REWARD_MAX_OBJECTIVES; j++) dir[j] = rw->objectives[j].maximize;
    if (n > 0) {
        printf("\nPareto front of stage %d (", stage);
        for (int j = 0; j < k; j++)
            printf("%s%s %s", j ? ", " : "", dir[j] ? "max" : "min", reward_metric_name(rw->objectives[j].metric));
        printf("):\n");
        for (int i = 0; i < n; i++) {
            if (!front[i]) continue;
            printf("  %-14s", l.items[which[i]].arch_id);
            for (int j = 0; j < k; j++) printf(" %12.6g", pts[i * k + j]);
            printf("\n");
        }
        if (k == 2 && rw->objectives[0].has_ref && rw->objectives[1].has_ref) {
            double ref[2] = {rw->objectives[0].ref, rw->objectives[1].ref};
            printf("  hypervolume against the reference point (%g, %g): %.6g\n", ref[0], ref[1],
                   reward_hypervolume2(pts, n, dir, ref));
        }
    }
    free(pts);
    free(which);
    free(front);
    store_trials_free(&l);
}

/* A search that prunes: how many trials it stopped and the epochs that saved. A trial's epochs
 * are its curve's; a pruned one would have run `epochs_planned`. */
static void pruned(Run *R, const RunStage *st)
{
    if (st->search->prune.kind == NAS_PRUNE_NONE) return;
    StoreTrialList l = {0};
    if (load(R, st->number, &l)) return;
    int n = 0, np = 0;
    long long run = 0, planned = 0;
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        if (t->state != TRIAL_DONE && t->state != TRIAL_INFEASIBLE && t->state != TRIAL_PRUNED) continue;
        int e = prune_curve_epochs(t->curve);
        double p = metric(t, "epochs_planned");
        n++;
        run += e;
        planned += t->state == TRIAL_PRUNED && isfinite(p) ? (long long)p : e;
        np += t->state == TRIAL_PRUNED;
    }
    if (n)
        printf("\nstage %d pruned %d of %d trials (%s): %lld of %lld epochs run, %lld saved (%.0f%%)\n", st->number, np,
               n, st->search->prune.kind == NAS_PRUNE_ASHA ? "asha" : "median", run, planned, planned - run,
               planned ? 100.0 * (double)(planned - run) / (double)planned : 0.0);
    store_trials_free(&l);
}

/* After a run: the Pareto fronts of the searches; then each train's results (the last one's
 * best is the answer), or, with no train results, the best of each search. */
void report_summary(Run *R)
{
    const StoreTrial *best = NULL;
    StoreTrialList *tl = calloc((size_t)R->nstages + 1, sizeof *tl);
    if (!tl) return;
    for (int k = 0; k < R->nstages; k++) {
        const RunStage *st = &R->stages[k];
        if (st->search) {
            pareto(R, st->number);
            pruned(R, st);
            continue;
        }
        if (st->tune) continue; /* tune.c reports it, with its sanity checks */
        if (load(R, st->number, &tl[k]) || tl[k].count == 0) continue;
        qsort(tl[k].items, (size_t)tl[k].count, sizeof *tl[k].items, trial_by_reward);
        char title[256];
        report_stage_title(R, st->number, title, sizeof title);
        printf("\nbest architectures after full training, %s, validated on %s.%s:\n", title,
               st->train->has_validate ? st->train->validate.dataset->name : st->train->data.dataset->name,
               st->train->has_validate && !st->train->validate.test ? "train" : "test");
        Layout L = layout(R);
        header(&L);
        for (int i = 0; i < tl[k].count; i++) print_row(&L, &tl[k].items[i], i + 1);
        best = &tl[k].items[0];
    }
    if (!best) {
        report_top(R, 5);
        printf("\nreproduce one: nasrun %s --train-one ID\n", R->o->path);
    } else if (best->state == TRIAL_DONE) {
        printf("\nbest: %s, accuracy %.4f, %.0f parameters (stage %d)\nreproduce: nasrun %s --train-one %s\n",
               best->arch_id, metric(best, "accuracy"), metric(best, "params"), best->stage, R->o->path, best->arch_id);
    }
    for (int k = 0; k < R->nstages; k++) store_trials_free(&tl[k]);
    free(tl);
}
