/* report_csv.c — `--export csv`: a row per trial with a column per metric (every number a
 * trial reported, the built-in ones first) and a column per decision (`decision:NAME`, in the
 * space's order), so a spreadsheet or pandas reads the search without parsing JSON. */
#include "pipeline_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

enum { COLS_MAX = 256 };

typedef struct Cols {
    char *name[COLS_MAX];
    int order[COLS_MAX]; /* the space's index of a decision; COLS_MAX + first seen when unknown */
    int n;
} Cols;

static void add_col(Cols *c, const char *name, int order)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->name[i], name)) return;
    if (c->n < COLS_MAX && (c->name[c->n] = strdup(name))) c->order[c->n++] = order;
}

static void cols_free(Cols *c)
{
    for (int i = 0; i < c->n; i++) free(c->name[i]);
}

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* A column name: quoted only when CSV needs it. */
static void csv_name(const char *s)
{
    if (strpbrk(s, ",\"\r\n")) csv_field(s);
    else fputs(s, stdout);
}

int report_csv(Run *R)
{
    StoreTrialList l = {0};
    StoreError err;
    if (store_trials(R->store, R->experiment, 0, &l, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    static const char *const builtin[] = {"accuracy", "loss", "latency", "params", "flops", "memory"};
    Cols m = {0}, d = {0};
    for (int i = 0; i < 6; i++) add_col(&m, builtin[i], i);
    for (int i = 0; R->reward && i < R->reward->nreport; i++) add_col(&m, R->reward->report[i].name, 0);
    cJSON **met = calloc((size_t)l.count + 1, sizeof *met), **dec = calloc((size_t)l.count + 1, sizeof *dec);
    if (!met || !dec) {
        free(met), free(dec);
        store_trials_free(&l);
        return 2;
    }
    for (int i = 0; i < l.count; i++) {
        met[i] = l.items[i].metrics ? cJSON_Parse(l.items[i].metrics) : NULL;
        dec[i] = l.items[i].decisions ? cJSON_Parse(l.items[i].decisions) : NULL;
        for (cJSON *it = cJSON_IsObject(met[i]) ? met[i]->child : NULL; it; it = it->next)
            if (cJSON_IsNumber(it)) add_col(&m, it->string, 0);
        for (cJSON *it = cJSON_IsObject(dec[i]) ? dec[i]->child : NULL; it; it = it->next) {
            int k = R->space ? space_find(R->space, it->string) : -1;
            add_col(&d, it->string, k >= 0 ? k : COLS_MAX + d.n);
        }
    }
    for (int i = 1; i < d.n; i++) /* the space's order; names it does not know after, as met */
        for (int j = i; j > 0 && d.order[j - 1] > d.order[j]; j--) {
            int o = d.order[j];
            char *s = d.name[j];
            d.order[j] = d.order[j - 1], d.name[j] = d.name[j - 1], d.order[j - 1] = o, d.name[j - 1] = s;
        }
    printf("stage,seq,state,reward");
    for (int k = 0; k < m.n; k++) putchar(','), csv_name(m.name[k]);
    printf(",seconds,attempts,arch_id");
    for (int k = 0; k < d.n; k++) {
        char name[300];
        snprintf(name, sizeof name, "decision:%s", d.name[k]);
        putchar(',');
        csv_name(name);
    }
    printf(",reason\n");
    for (int i = 0; i < l.count; i++) {
        const StoreTrial *t = &l.items[i];
        printf("%d,%lld,%s,%.9g", t->stage, (long long)t->seq, store_state_name(t->state), t->reward);
        for (int k = 0; k < m.n; k++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(met[i], m.name[k]);
            printf(",%.9g", cJSON_IsNumber(v) ? v->valuedouble : NAN);
        }
        printf(",%.3f,%d,", t->finished > 0 ? t->finished - t->started : NAN, t->attempts);
        csv_field(t->arch_id);
        for (int k = 0; k < d.n; k++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(dec[i], d.name[k]);
            putchar(',');
            if (!v) continue; /* inactive in this architecture: an empty cell */
            if (cJSON_IsString(v)) csv_field(v->valuestring);
            else if (cJSON_IsNumber(v) || cJSON_IsBool(v)) { /* a number or a bool as itself */
                char *s = cJSON_PrintUnformatted(v);
                fputs(s ? s : "", stdout);
                free(s);
            } else {
                char *s = cJSON_PrintUnformatted(v);
                csv_field(s);
                free(s);
            }
        }
        putchar(',');
        csv_field(t->reason);
        putchar('\n');
    }
    for (int i = 0; i < l.count; i++) cJSON_Delete(met[i]), cJSON_Delete(dec[i]);
    free(met), free(dec);
    cols_free(&m), cols_free(&d);
    store_trials_free(&l);
    return 0;
}
