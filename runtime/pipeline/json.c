/* json.c — the small amount of JSON the pipeline writes (metrics, curves, decisions, exports)
 * and reads (metrics lines from an external trainer: flat objects of numbers). */
#include "pipeline_int.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* Scans a flat object: calls back for each "key": number pair. Returns false on text that
 * is not such an object (strings and nested values are skipped, not errors). */
typedef void (*JsonPair)(void *ctx, const char *key, size_t klen, double v);

static bool scan(const char *s, JsonPair fn, void *ctx)
{
    while (isspace((unsigned char)*s)) s++;
    if (*s++ != '{') return false;
    for (;;) {
        while (isspace((unsigned char)*s) || *s == ',') s++;
        if (*s == '}') return true;
        if (*s != '"') return false;
        const char *k = ++s;
        while (*s && *s != '"') s += *s == '\\' && s[1] ? 2 : 1;
        if (!*s) return false;
        size_t klen = (size_t)(s - k);
        s++;
        while (isspace((unsigned char)*s)) s++;
        if (*s++ != ':') return false;
        while (isspace((unsigned char)*s)) s++;
        char *end;
        double v = strtod(s, &end);
        if (end != s) {
            fn(ctx, k, klen, v);
            s = end;
        } else if (*s == '"') {                       /* a string value: skip it */
            s++;
            while (*s && *s != '"') s += *s == '\\' && s[1] ? 2 : 1;
            if (!*s) return false;
            s++;
        } else if (!strncmp(s, "null", 4) || !strncmp(s, "true", 4)) {
            s += 4;
        } else if (!strncmp(s, "false", 5)) {
            s += 5;
        } else {
            return false;                             /* nested values are not metrics */
        }
    }
}

typedef struct Find { const char *key; double v; bool found; } Find;

static void find_pair(void *ctx, const char *k, size_t klen, double v)
{
    Find *f = ctx;
    if (strlen(f->key) == klen && !strncmp(f->key, k, klen)) { f->v = v; f->found = true; }
}

bool json_get_number(const char *json, const char *key, double *out)
{
    Find f = { key, 0, false };
    if (!json || !scan(json, find_pair, &f) || !f.found) return false;
    *out = f.v;
    return true;
}

typedef struct ToMetrics { RewardMetrics *m; char *names; size_t size, used; int count; } ToMetrics;

static void metric_pair(void *ctx, const char *k, size_t klen, double v)
{
    ToMetrics *t = ctx;
    t->count++;
    static const char *known[] = { "accuracy", "loss", "latency", "memory", "params", "flops" };
    double *slot[] = { &t->m->accuracy, &t->m->loss, &t->m->latency, &t->m->memory, &t->m->params,
                       &t->m->flops };
    for (int i = 0; i < 6; i++)
        if (strlen(known[i]) == klen && !strncmp(known[i], k, klen)) { *slot[i] = v; return; }
    if (t->m->nexternal >= REWARD_MAX_EXTERNAL || t->used + klen + 1 > t->size) return;
    char *name = t->names + t->used;
    memcpy(name, k, klen);
    name[klen] = 0;
    t->used += klen + 1;
    t->m->external_name[t->m->nexternal] = name;
    t->m->external[t->m->nexternal++] = v;
}

bool json_to_metrics(const char *json, RewardMetrics *m, char *names, size_t names_size)
{
    ToMetrics t = { m, names, names_size, 0, 0 };
    return scan(json, metric_pair, &t) && t.count > 0;
}
