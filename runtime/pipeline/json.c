/* json.c — the small amount of JSON the pipeline writes (metrics, curves, decisions, exports),
 * and the one reader of trial reports (built-in and external trainers alike), with cJSON. */
#include "pipeline_int.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

void jb_printf(JsonBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) return;
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void jb_string(JsonBuf *b, const char *s)
{
    jb_printf(b, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') jb_printf(b, "\\%c", c);
        else if (c == '\n') jb_printf(b, "\\n");
        else if (c < 0x20) jb_printf(b, "\\u%04x", c);
        else jb_printf(b, "%c", c);
    }
    jb_printf(b, "\"");
}

void jb_number(JsonBuf *b, double v)
{
    if (isfinite(v)) jb_printf(b, "%.9g", v);
    else jb_printf(b, "null");
}

/* Python's json module writes NaN, Infinity and -Infinity, and C's printf writes inf and nan:
 * not JSON, but what a trainer reporting a diverged metric prints. Outside strings they are
 * rewritten to 1e999 (which parses to infinity), so the finite check below names the metric
 * instead of cJSON giving up on the token. Returns a malloc'd copy. */
static char *nonfinite_to_overflow(const char *text)
{
    static const char *words[] = {"Infinity", "NaN", "inf", "nan"};
    size_t n = strlen(text);
    char *out = malloc(n + 1 + n / 2 * 3), *o = out; /* "nan" -> "1e999" grows 3 -> 5 */
    if (!out) return NULL;
    bool in_string = false;
    for (const char *p = text; *p;) {
        if (in_string) {
            if (*p == '\\' && p[1]) *o++ = *p++;
            else if (*p == '"') in_string = false;
            *o++ = *p++;
            continue;
        }
        if (*p == '"') {
            in_string = true;
            *o++ = *p++;
            continue;
        }
        bool hit = false;
        for (int k = 0; k < 4 && !hit; k++) {
            size_t wl = strlen(words[k]);
            if (!strncmp(p, words[k], wl) && !isalnum((unsigned char)p[wl]) &&
                (p == text || !isalnum((unsigned char)p[-1]))) {
                memcpy(o, "1e999", 5);
                o += 5;
                p += wl;
                hit = true;
            }
        }
        if (!hit) *o++ = *p++;
    }
    *o = 0;
    return out;
}

static const char *known_metrics[] = {"accuracy", "loss", "latency", "memory", "params", "flops"};

static void put_metric(RewardMetrics *m, char *names, size_t size, size_t *used, const char *k, double v)
{
    double *slot[] = {&m->accuracy, &m->loss, &m->latency, &m->memory, &m->params, &m->flops};
    for (int i = 0; i < 6; i++)
        if (!strcmp(known_metrics[i], k)) {
            *slot[i] = v;
            return;
        }
    size_t kl = strlen(k);
    if (m->nexternal >= REWARD_MAX_EXTERNAL || *used + kl + 1 > size) return;
    char *name = names + *used;
    memcpy(name, k, kl + 1);
    *used += kl + 1;
    m->external_name[m->nexternal] = name;
    m->external[m->nexternal++] = v;
}

int json_report_parse(const char *text, TrialReport *r, RewardMetrics *m, char *names, size_t names_size)
{
    memset(r, 0, sizeof *r);
    snprintf(r->status, sizeof r->status, "ok");
    char *clean = nonfinite_to_overflow(text);
    if (!clean) {
        snprintf(r->why, sizeof r->why, "out of memory");
        return -1;
    }
    const char *end = NULL;
    /* require_null_terminated: trailing garbage after the object is an error */
    cJSON *o = cJSON_ParseWithOpts(clean, &end, 1);
    if (!o) {
        size_t at = end ? (size_t)(end - clean) : 0;
        snprintf(r->why, sizeof r->why, "invalid JSON at byte %zu: %.60s", at + 1, end ? end : "");
        free(clean);
        return -1;
    }
    free(clean);
    if (!cJSON_IsObject(o)) {
        snprintf(r->why, sizeof r->why, "not a JSON object");
        cJSON_Delete(o);
        return -1;
    }
    int count = 0;
    size_t used = 0;
    for (cJSON *it = o->child, *next; it; it = next) {
        next = it->next;
        const char *k = it->string ? it->string : "";
        if (!strcmp(k, "status") || !strcmp(k, "reason")) { /* the report's own fields */
            if (cJSON_IsString(it))
                snprintf(!strcmp(k, "status") ? r->status : r->reason,
                         !strcmp(k, "status") ? sizeof r->status : sizeof r->reason, "%s", it->valuestring);
            cJSON_Delete(cJSON_DetachItemViaPointer(o, it));
        } else if (!strcmp(k, "curve") && cJSON_IsArray(it)) {
            free(r->curve_json);
            r->curve_json = cJSON_PrintUnformatted(it);
            cJSON_Delete(cJSON_DetachItemViaPointer(o, it));
        } else if (cJSON_IsNumber(it)) {
            if (!isfinite(it->valuedouble)) {
                snprintf(r->why, sizeof r->why, "metric %.60s is not finite", k);
                cJSON_Delete(o);
                free(r->curve_json);
                r->curve_json = NULL;
                return -1;
            }
            if (m) put_metric(m, names, names_size, &used, k, it->valuedouble);
            count++;
        }
        /* other members (strings, arrays like per_class, objects) are kept, not metrics */
    }
    if (count == 0 && !strcmp(r->status, "ok")) {
        snprintf(r->why, sizeof r->why, "no numeric metric in the object");
        cJSON_Delete(o);
        free(r->curve_json);
        r->curve_json = NULL;
        return -1;
    }
    r->metrics_json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return 0;
}

void json_report_free(TrialReport *r)
{
    free(r->metrics_json);
    free(r->curve_json);
    r->metrics_json = r->curve_json = NULL;
}

bool json_get_number(const char *json, const char *key, double *out)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    bool ok = cJSON_IsNumber(v);
    if (ok) *out = v->valuedouble;
    cJSON_Delete(o);
    return ok;
}

bool json_to_metrics(const char *json, RewardMetrics *m, char *names, size_t names_size)
{
    TrialReport r;
    bool ok = json_report_parse(json, &r, m, names, names_size) == 0;
    json_report_free(&r);
    return ok;
}
