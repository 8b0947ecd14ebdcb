/* lsp_analysis.c — analysing a document and turning Locs into LSP ranges (lsp_analysis.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "lsp_analysis.h"

LspAnalysis *lsp_analyse(const char *path, const char *text, size_t len)
{
    LspAnalysis *a = calloc(1, sizeof *a);
    if (!a || !(a->text = malloc(len + 1))) return free(a), NULL;
    memcpy(a->text, text, len);
    a->text[len] = '\0';
    a->len = len;
    lsp_lines_init(&a->lines, a->text, len);
    CompileOptions co = {.upto = COMPILE_SPACE, .space_optional = true, .skip_feasible = true};
    nas_compile_string(&a->c, path, a->text, &co);
    if (a->c.space) { /* what nasc does after lowering: every architecture must build */
        CheckOptions opt;
        char res[512];
        nas_compile_check(&a->c, &opt, &a->check, res, sizeof res);
        a->checked = true;
    }
    a->main_file = -1;
    for (int i = 0; i < a->c.diag.nfiles; i++)
        if (!strcmp(a->c.diag.files[i].path, path)) {
            a->main_file = i;
            break;
        }
    a->nflines = a->c.diag.nfiles;
    a->flines = calloc((size_t)(a->nflines ? a->nflines : 1), sizeof *a->flines);
    if (!a->flines) a->nflines = 0;
    return a;
}

void lsp_analysis_free(LspAnalysis *a)
{
    if (!a) return;
    for (int i = 0; i < a->nflines; i++) lsp_lines_free(&a->flines[i]);
    free(a->flines);
    lsp_lines_free(&a->lines);
    nas_compile_free(&a->c);
    free(a->text);
    free(a);
}

const LspLines *lsp_file_lines(LspAnalysis *a, int file)
{
    if (file == a->main_file && file >= 0) return &a->lines;
    if (file < 0 || file >= a->nflines || !a->c.diag.files[file].text) return NULL;
    LspLines *l = &a->flines[file];
    if (!l->start) lsp_lines_init(l, a->c.diag.files[file].text, (size_t)a->c.diag.files[file].len);
    return l->start ? l : NULL;
}

static cJSON *position(int line, int character)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", line);
    cJSON_AddNumberToObject(p, "character", character);
    return p;
}

cJSON *lsp_range(LspAnalysis *a, Loc l)
{
    cJSON *r = cJSON_CreateObject();
    const LspLines *li = lsp_file_lines(a, l.file);
    int sl = 0, sc = 0, el = 0, ec = 0;
    if (li && l.line > 0) {
        size_t b = lsp_loc_offset(li, l.line, l.col);
        /* end_col is the last byte's column: the exclusive end is one byte on */
        size_t e = l.end_line > 0 ? lsp_loc_offset(li, l.end_line, l.end_col + 1) : b;
        if (e < b) e = b;
        lsp_position(li, b, &sl, &sc);
        lsp_position(li, e, &el, &ec);
    }
    cJSON_AddItemToObject(r, "start", position(sl, sc));
    cJSON_AddItemToObject(r, "end", position(el, ec));
    return r;
}

size_t lsp_main_offset(const LspAnalysis *a, long line, long character)
{
    return lsp_offset(&a->lines, line, character);
}

const char *lsp_loc_path(const LspAnalysis *a, Loc l)
{
    return l.file >= 0 && l.file < a->c.diag.nfiles ? a->c.diag.files[l.file].path : NULL;
}

static char *uri_of(const LspAnalysis *a, int file, const char *main_uri)
{
    if (file == a->main_file) return strdup(main_uri);
    if (file < 0 || file >= a->c.diag.nfiles) return NULL;
    return lsp_path_to_uri(a->c.diag.files[file].path);
}

cJSON *lsp_location(LspAnalysis *a, Loc l, const char *main_uri)
{
    char *uri = uri_of(a, l.file, main_uri);
    if (!uri) return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "uri", uri);
    cJSON_AddItemToObject(o, "range", lsp_range(a, l));
    free(uri);
    return o;
}

cJSON *lsp_diagnostics(LspAnalysis *a, const char *main_uri)
{
    cJSON *by = cJSON_CreateObject();
    cJSON_AddItemToObject(by, main_uri, cJSON_CreateArray());
    for (int i = 0; i < a->c.diag.count; i++) {
        const Diagnostic *g = &a->c.diag.items[i];
        /* a diagnostic without a file (none today) is the main file's */
        int file = g->loc.file >= 0 && g->loc.file < a->c.diag.nfiles ? g->loc.file : a->main_file;
        char *uri = uri_of(a, file, main_uri);
        if (!uri) continue;
        cJSON *list = cJSON_GetObjectItemCaseSensitive(by, uri);
        if (!list) list = cJSON_AddArrayToObject(by, uri);
        free(uri);
        cJSON *d = cJSON_CreateObject();
        Loc at = g->loc;
        at.file = file;
        cJSON_AddItemToObject(d, "range", lsp_range(a, at));
        cJSON_AddNumberToObject(d, "severity", g->level == DIAG_ERROR ? 1 : g->level == DIAG_WARNING ? 2 : 3);
        if (g->code != NAS_NONE) cJSON_AddStringToObject(d, "code", diag_code_string(g->code));
        cJSON_AddStringToObject(d, "source", "nasc");
        cJSON_AddStringToObject(d, "message", g->msg);
        if (g->nnotes) {
            cJSON *rel = cJSON_AddArrayToObject(d, "relatedInformation");
            for (int j = 0; j < g->nnotes; j++) {
                Loc nl = g->notes[j].loc;
                if (nl.file < 0 || nl.file >= a->c.diag.nfiles) nl = at;
                cJSON *loc = lsp_location(a, nl, main_uri);
                if (!loc) continue;
                cJSON *ri = cJSON_CreateObject();
                cJSON_AddItemToObject(ri, "location", loc);
                cJSON_AddStringToObject(ri, "message", g->notes[j].msg);
                cJSON_AddItemToArray(rel, ri);
            }
        }
        cJSON_AddItemToArray(list, d);
    }
    return by;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (!uri || strncmp(uri, "file://", 7)) return NULL;
    const char *s = uri + 7;
    while (*s && *s != '/') s++; /* an authority (file://host/...) is dropped */
    char *p = malloc(strlen(s) + 1), *o = p;
    if (!p) return NULL;
    for (; *s; s++) {
        int h, l;
        if (*s == '%' && (h = hexval(s[1])) >= 0 && (l = hexval(s[2])) >= 0 && (h || l))
            *o++ = (char)(h << 4 | l), s += 2;
        else *o++ = *s;
    }
    *o = '\0';
    return p;
}

char *lsp_path_to_uri(const char *path)
{
    char cwd[4096] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *full = malloc(n), *uri = malloc(3 * n + 8);
    if (!full || !uri) return free(full), free(uri), NULL;
    snprintf(full, n, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
    char *o = uri + sprintf(uri, "file://");
    for (const unsigned char *s = (const unsigned char *)full; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("/-._~", *s))
            *o++ = (char)*s;
        else o += sprintf(o, "%%%02X", *s);
    }
    *o = '\0';
    free(full);
    return uri;
}
