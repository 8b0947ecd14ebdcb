/* nasls.c — the nas language server: the Language Server Protocol over stdin/stdout, answered
 * by the compiler library. Every open document is analysed as nasc would check it
 * (lsp_analysis.h): on open and save at once, on change after a quiet period (the debounce),
 * and before any request about it is answered, so answers always match the current text.
 * Edits arrive incrementally (only the changed range), which is what keeps a 10,000-line file
 * cheap to edit; the analysis itself reruns on the whole file (about 40 ms for 10,000 lines:
 * docs/nasls.md). Bad input of any kind is answered with a JSON-RPC error, never a crash. */
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lsp_analysis.h"
#include "lsp_complete.h"
#include "lsp_query.h"
#include "lsp_rpc.h"
#include "lsp_text.h"
#include "format.h"
#include "source.h"

#define OUT STDOUT_FILENO

typedef struct Doc {
    char *uri, *path; /* path: the name the compiler reads it by */
    char *text;
    size_t len;
    double version;
    bool dirty;        /* text changed since the last analysis */
    double due;        /* when to analyse it (ms, monotonic) */
    LspAnalysis *cur;  /* of the current text once analysed */
    LspAnalysis *good; /* the last analysis that got through sema (completion's names) */
    cJSON *published;  /* URIs of other files this document published diagnostics for */
} Doc;

typedef struct Server {
    Doc **docs;
    int ndocs, cap;
    bool initialized, shutdown;
    int debounce_ms;
} Server;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static Doc *doc_find(Server *S, const char *uri)
{
    for (int i = 0; uri && i < S->ndocs; i++)
        if (!strcmp(S->docs[i]->uri, uri)) return S->docs[i];
    return NULL;
}

static void doc_free(Doc *d)
{
    if (d->good != d->cur) lsp_analysis_free(d->good);
    lsp_analysis_free(d->cur);
    cJSON_Delete(d->published);
    free(d->uri), free(d->path), free(d->text);
    free(d);
}

static void publish(const char *uri, double version, cJSON *diags)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", uri);
    if (version >= 0) cJSON_AddNumberToObject(p, "version", version);
    cJSON_AddItemToObject(p, "diagnostics", diags ? diags : cJSON_CreateArray());
    lsp_notify(OUT, "textDocument/publishDiagnostics", p);
}

/* Analyses d's text and publishes its diagnostics: the main file's, and those of the files it
 * uses that are not open themselves (an open file's own analysis speaks for it). */
static void analyse(Server *S, Doc *d)
{
    LspAnalysis *a = lsp_analyse(d->path, d->text, d->len);
    d->dirty = false;
    if (!a) return; /* out of memory: keep the previous analysis */
    LspAnalysis *old_cur = d->cur, *old_good = d->good;
    d->cur = a;
    if (a->c.done >= COMPILE_SEMA) d->good = a;
    else if (old_cur && old_cur->c.done >= COMPILE_SEMA) d->good = old_cur; /* else the older good stays */
    if (old_cur && old_cur != d->good) lsp_analysis_free(old_cur);
    if (old_good && old_good != d->good && old_good != old_cur) lsp_analysis_free(old_good);
    cJSON *by = lsp_diagnostics(a, d->uri);
    cJSON *now = cJSON_CreateArray();
    for (cJSON *f = by ? by->child : NULL; f; f = f->next) {
        bool main = !strcmp(f->string, d->uri);
        if (!main && doc_find(S, f->string)) continue;
        if (!main) cJSON_AddItemToArray(now, cJSON_CreateString(f->string));
        publish(f->string, main ? d->version : -1, cJSON_Duplicate(f, 1));
    }
    for (cJSON *old = d->published ? d->published->child : NULL; old; old = old->next) {
        bool still = false;
        for (cJSON *n = now->child; n && !still; n = n->next) still = !strcmp(n->valuestring, old->valuestring);
        if (!still && !doc_find(S, old->valuestring)) publish(old->valuestring, -1, NULL);
    }
    cJSON_Delete(d->published);
    d->published = now;
    cJSON_Delete(by);
}

/* ---- reading params: every field checked, positions clamped ---- */

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long num_at(const cJSON *o, const char *key, bool *ok)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (!cJSON_IsNumber(v)) return *ok = false, 0;
    double x = v->valuedouble;
    return !(x >= 0) ? 0 : x > 1e9 ? 1000000000L : (long)x;
}

static const char *doc_uri(const cJSON *params)
{
    return str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
}

/* The byte offset of params.position in d's analysed text; false when it is missing. */
static bool position(const cJSON *pos, const LspAnalysis *a, size_t *off)
{
    bool ok = cJSON_IsObject(pos);
    long line = num_at(pos, "line", &ok), ch = num_at(pos, "character", &ok);
    if (ok) *off = lsp_main_offset(a, line, ch);
    return ok;
}

static char *name_for(const char *uri)
{
    char *p = lsp_uri_to_path(uri);
    if (p && *p) return p;
    free(p);
    return strdup("untitled.nas"); /* not a file: its `use "./x"` are relative to the cwd */
}

/* ---- text synchronisation ---- */

static void did_open(Server *S, const cJSON *params)
{
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    const char *uri = str_at(td, "uri"), *text = str_at(td, "text");
    if (!uri || !text) return;
    Doc *d = doc_find(S, uri);
    if (!d) {
        if (S->ndocs == S->cap) {
            int cap = S->cap ? 2 * S->cap : 8;
            Doc **nd = realloc(S->docs, (size_t)cap * sizeof *nd);
            if (!nd) return;
            S->docs = nd, S->cap = cap;
        }
        if (!(d = calloc(1, sizeof *d))) return;
        d->uri = strdup(uri);
        d->path = name_for(uri);
        S->docs[S->ndocs++] = d;
    }
    free(d->text);
    d->text = strdup(text);
    d->len = d->text ? strlen(d->text) : 0;
    if (!d->text) d->text = calloc(1, 1);
    bool ok = true;
    d->version = (double)num_at(td, "version", &ok);
    d->dirty = true;
    d->due = 0; /* at once */
}

static void did_change(Server *S, const cJSON *params)
{
    Doc *d = doc_find(S, doc_uri(params));
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    if (!d || !cJSON_IsArray(changes)) return;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, changes)
    {
        const char *text = str_at(ch, "text");
        if (!text) continue;
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
        size_t from = 0, to = d->len;
        if (cJSON_IsObject(range)) { /* an incremental change: positions in the text as it is now */
            LspLines l;
            lsp_lines_init(&l, d->text, d->len);
            bool ok = true;
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(range, "start");
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(range, "end");
            from = lsp_offset(&l, num_at(s, "line", &ok), num_at(s, "character", &ok));
            to = lsp_offset(&l, num_at(e, "line", &ok), num_at(e, "character", &ok));
            lsp_lines_free(&l);
            if (!ok) continue;
        }
        lsp_splice(&d->text, &d->len, from, to, text, strlen(text));
    }
    bool ok = true;
    long v = num_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "version", &ok);
    if (ok) d->version = (double)v;
    d->dirty = true;
    d->due = now_ms() + S->debounce_ms;
}

static void did_close(Server *S, const cJSON *params)
{
    const char *uri = doc_uri(params);
    for (int i = 0; uri && i < S->ndocs; i++) {
        Doc *d = S->docs[i];
        if (strcmp(d->uri, uri)) continue;
        publish(d->uri, -1, NULL);
        for (cJSON *o = d->published ? d->published->child : NULL; o; o = o->next) publish(o->valuestring, -1, NULL);
        doc_free(d);
        S->docs[i] = S->docs[--S->ndocs];
        return;
    }
}

/* ---- requests ---- */

static cJSON *capabilities(void)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *caps = cJSON_AddObjectToObject(r, "capabilities");
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
    cJSON_AddItemToObject(cJSON_AddObjectToObject(sync, "save"), "includeText", cJSON_CreateFalse());
    cJSON_AddBoolToObject(caps, "hoverProvider", true);
    cJSON_AddBoolToObject(caps, "definitionProvider", true);
    cJSON_AddBoolToObject(caps, "referencesProvider", true);
    cJSON_AddBoolToObject(caps, "documentSymbolProvider", true);
    cJSON *cp = cJSON_AddObjectToObject(caps, "completionProvider");
    cJSON *tc = cJSON_AddArrayToObject(cp, "triggerCharacters");
    cJSON_AddItemToArray(tc, cJSON_CreateString("("));
    cJSON_AddItemToArray(tc, cJSON_CreateString(","));
    cJSON *ca = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(ca, "codeActionKinds"), cJSON_CreateString("quickfix"));
    cJSON_AddBoolToObject(caps, "documentFormattingProvider", true);
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "nasls");
    cJSON_AddStringToObject(info, "version", NAS_VERSION);
    return r;
}

/* textDocument/formatting: one edit replacing the whole text by nasc fmt's (format.h); none
 * when it is formatted already, or does not parse (its diagnostics say why). */
static cJSON *formatting(const Doc *d)
{
    Arena a;
    arena_init(&a);
    Diag dg;
    diag_init(&dg, &a);
    int file = source_add_bytes(&dg, d->uri, d->text, d->len);
    char *text = file >= 0 ? format_file(&a, &dg, file) : NULL;
    cJSON *edits = cJSON_CreateArray();
    if (text && strcmp(text, d->text) != 0) {
        LspLines lines;
        int line = 0, ch = 0;
        if (lsp_lines_init(&lines, d->text, d->len) == 0) lsp_position(&lines, d->len, &line, &ch);
        lsp_lines_free(&lines);
        cJSON *e = cJSON_CreateObject(), *range = cJSON_AddObjectToObject(e, "range");
        cJSON *start = cJSON_AddObjectToObject(range, "start"), *end = cJSON_AddObjectToObject(range, "end");
        cJSON_AddNumberToObject(start, "line", 0);
        cJSON_AddNumberToObject(start, "character", 0);
        cJSON_AddNumberToObject(end, "line", line);
        cJSON_AddNumberToObject(end, "character", ch);
        cJSON_AddStringToObject(e, "newText", text);
        cJSON_AddItemToArray(edits, e);
    }
    free(text);
    diag_free(&dg);
    arena_free(&a);
    return edits;
}

/* The document a request is about, analysed up to its current text. */
static Doc *ready(Server *S, const cJSON *params)
{
    Doc *d = doc_find(S, doc_uri(params));
    if (d && (d->dirty || !d->cur)) analyse(S, d);
    return d && d->cur ? d : NULL;
}

static void request(Server *S, const char *method, const cJSON *id, const cJSON *params)
{
    if (!strcmp(method, "initialize")) {
        S->initialized = true;
        lsp_respond(OUT, id, capabilities());
        return;
    }
    if (!S->initialized) {
        lsp_respond_error(OUT, id, LSP_NOT_INITIALIZED, "the server is not initialized");
        return;
    }
    if (S->shutdown) {
        lsp_respond_error(OUT, id, LSP_INVALID_REQUEST, "the server is shut down");
        return;
    }
    if (!strcmp(method, "shutdown")) {
        S->shutdown = true;
        lsp_respond(OUT, id, NULL);
        return;
    }
    static const char *const about_doc[] = {
        "textDocument/hover",          "textDocument/definition", "textDocument/references", "textDocument/completion",
        "textDocument/documentSymbol", "textDocument/codeAction", "textDocument/formatting"};
    int which = -1;
    for (int i = 0; i < 7; i++)
        if (!strcmp(method, about_doc[i])) which = i;
    if (which < 0) {
        lsp_respond_error(OUT, id, LSP_METHOD_NOT_FOUND, "unknown method");
        return;
    }
    if (!cJSON_IsObject(params) || !doc_uri(params)) {
        lsp_respond_error(OUT, id, LSP_INVALID_PARAMS, "params.textDocument.uri is missing");
        return;
    }
    Doc *d = ready(S, params);
    if (!d) { /* not open: nothing known about it */
        lsp_respond(OUT, id, which == 3 ? NULL : which >= 4 ? cJSON_CreateArray() : NULL);
        return;
    }
    LspAnalysis *a = d->cur;
    size_t off = 0;
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(params, "position");
    if (which <= 3 && !position(pos, a, &off)) {
        lsp_respond_error(OUT, id, LSP_INVALID_PARAMS, "params.position is missing");
        return;
    }
    cJSON *r = NULL;
    switch (which) {
    case 0: r = lsp_hover(a, off); break;
    case 1: r = lsp_definition(a, off, d->uri); break;
    case 2: {
        const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
        const cJSON *decl = cJSON_GetObjectItemCaseSensitive(ctx, "includeDeclaration");
        r = lsp_references(a, off, d->uri, cJSON_IsTrue(decl));
        break;
    }
    case 3: r = lsp_complete(d->text, d->len, off, d->good, d->good == d->cur); break;
    case 4: r = lsp_symbols(a); break;
    case 5: {
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
        size_t from = 0, to = 0;
        if (!position(cJSON_GetObjectItemCaseSensitive(range, "start"), a, &from) ||
            !position(cJSON_GetObjectItemCaseSensitive(range, "end"), a, &to)) {
            lsp_respond_error(OUT, id, LSP_INVALID_PARAMS, "params.range is missing");
            return;
        }
        r = lsp_code_actions(a, from, to, d->uri);
        break;
    }
    case 6: r = formatting(d); break;
    }
    lsp_respond(OUT, id, r);
}

static void notification(Server *S, const char *method, const cJSON *params)
{
    if (!S->initialized || S->shutdown) return; /* (exit is handled by the caller) */
    if (!strcmp(method, "textDocument/didOpen")) did_open(S, params);
    else if (!strcmp(method, "textDocument/didChange")) did_change(S, params);
    else if (!strcmp(method, "textDocument/didClose")) did_close(S, params);
    else if (!strcmp(method, "textDocument/didSave")) {
        /* a saved file may be a module another open document uses: analyse them all */
        for (int i = 0; i < S->ndocs; i++) S->docs[i]->dirty = true, S->docs[i]->due = 0;
    }
}

/* One message. Returns -1 to go on, else the exit status (after `exit`). */
static int message(Server *S, const char *body, size_t len)
{
    cJSON *m = cJSON_ParseWithLength(body, len);
    if (!m) {
        lsp_respond_error(OUT, NULL, LSP_PARSE_ERROR, "the message is not JSON");
        return -1;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
    const char *method = cJSON_IsObject(m) ? str_at(m, "method") : NULL;
    bool has_id = id && (cJSON_IsNumber(id) || cJSON_IsString(id));
    if (!cJSON_IsObject(m) ||
        (!method && !cJSON_GetObjectItemCaseSensitive(m, "result") && !cJSON_GetObjectItemCaseSensitive(m, "error"))) {
        lsp_respond_error(OUT, has_id ? id : NULL, LSP_INVALID_REQUEST, "not a JSON-RPC request or notification");
    } else if (method && !strcmp(method, "exit")) {
        cJSON_Delete(m);
        return S->shutdown ? 0 : 1;
    } else if (method && has_id) {
        request(S, method, id, cJSON_GetObjectItemCaseSensitive(m, "params"));
    } else if (method && id && !cJSON_IsNull(id)) {
        lsp_respond_error(OUT, NULL, LSP_INVALID_REQUEST, "an id is a number or a string");
    } else if (method) {
        notification(S, method, cJSON_GetObjectItemCaseSensitive(m, "params"));
    } /* else a response to a request of ours: we send none */
    cJSON_Delete(m);
    return -1;
}

static void usage(FILE *out)
{
    fputs("usage: nasls [--stdio] [--debounce MS]\n"
          "The nas language server: the Language Server Protocol over stdin and stdout, with\n"
          "nasc's diagnostics, hover, definition, references, completion, symbols and quick fixes.\n"
          "Editors start it themselves (editors/README.md).\n"
          "  --debounce MS   quiet time after an edit before the file is analysed again (default 150)\n",
          out);
}

int main(int argc, char **argv)
{
    Server S = {.debounce_ms = 150};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* what vscode-languageclient may pass */
        if (!strcmp(a, "--stdio") || !strncmp(a, "--clientProcessId", 17)) continue;
        if (!strcmp(a, "--version")) return printf("nasls %s\n", NAS_VERSION), 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 0;
        const char *v = !strncmp(a, "--debounce=", 11)             ? a + 11
                        : !strcmp(a, "--debounce") && i + 1 < argc ? argv[++i]
                                                                   : NULL;
        char *end;
        long ms = v ? strtol(v, &end, 10) : -1;
        if (!v || !*v || *end || ms < 0 || ms > 60000) {
            fprintf(stderr, "nasls: bad argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
        S.debounce_ms = (int)ms;
    }
    signal(SIGPIPE, SIG_IGN); /* a client gone is the end of its input, not a crash */
    LspIn in;
    lsp_in_init(&in, STDIN_FILENO);
    int rc = -1;
    while (rc < 0) {
        double due = INFINITY, t = now_ms();
        for (int i = 0; i < S.ndocs; i++)
            if (S.docs[i]->dirty && S.docs[i]->due < due) due = S.docs[i]->due;
        int timeout = due == INFINITY ? -1 : due <= t ? 0 : (int)(due - t) + 1;
        const char *body;
        size_t len;
        LspRead r = lsp_read(&in, timeout, &body, &len);
        if (r == LSP_EOF) rc = S.shutdown ? 0 : 1;
        else if (r == LSP_BAD_HEADER) lsp_respond_error(OUT, NULL, LSP_PARSE_ERROR, "a header without Content-Length");
        else if (r == LSP_MESSAGE) rc = message(&S, body, len);
        t = now_ms();
        for (int i = 0; rc < 0 && i < S.ndocs; i++)
            if (S.docs[i]->dirty && S.docs[i]->due <= t) analyse(&S, S.docs[i]);
    }
    for (int i = 0; i < S.ndocs; i++) doc_free(S.docs[i]);
    free(S.docs);
    lsp_in_free(&in);
    return rc;
}
