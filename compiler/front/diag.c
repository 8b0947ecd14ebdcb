/* diag.c — collecting diagnostics and printing them as text with a caret line, or as JSON. */
#include "diag.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct CodeInfo {
    DiagCode code;
    const char *str, *summary, *explanation;
} CodeInfo;

// clang-format off
static const CodeInfo code_table[] = {
#define DIAG(num, sym, summary, explanation) {sym, #sym, summary, explanation},
#include "diag_codes.def"
#undef DIAG
};
// clang-format on
enum { NCODES = sizeof code_table / sizeof code_table[0] };

static const CodeInfo *code_info(DiagCode code)
{
    for (int i = 0; i < NCODES; i++)
        if (code_table[i].code == code) return &code_table[i];
    return NULL;
}

const char *diag_code_string(DiagCode code)
{
    const CodeInfo *c = code_info(code);
    return c ? c->str : "NAS0000";
}

const char *diag_code_explanation(DiagCode code)
{
    const CodeInfo *c = code_info(code);
    return c ? c->explanation : NULL;
}

const char *diag_code_summary(DiagCode code)
{
    const CodeInfo *c = code_info(code);
    return c ? c->summary : NULL;
}

DiagCode diag_code_parse(const char *s)
{
    if ((s[0] == 'N' || s[0] == 'n') && (s[1] == 'A' || s[1] == 'a') && (s[2] == 'S' || s[2] == 's')) s += 3;
    if (strlen(s) != 4) return NAS_NONE;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)s[i])) return NAS_NONE;
        v = v * 10 + (s[i] - '0');
    }
    return code_info((DiagCode)v) ? (DiagCode)v : NAS_NONE;
}

void diag_init(Diag *d, Arena *arena)
{
    memset(d, 0, sizeof *d);
    d->arena = arena;
}

void diag_free(Diag *d)
{
    free(d->files);
    for (int i = 0; i < d->count; i++) free(d->items[i].notes);
    free(d->items);
    d->files = NULL;
    d->items = NULL;
    d->nfiles = d->capfiles = d->count = d->cap = 0;
}

static void *grow(void *p, int *cap, size_t elem)
{
    int ncap = *cap ? *cap * 2 : 16;
    void *q = realloc(p, elem * (size_t)ncap);
    if (!q) {
        fputs("nas: out of memory\n", stderr);
        abort();
    }
    *cap = ncap;
    return q;
}

int diag_add_source(Diag *d, const char *path, const char *text, int len)
{
    if (d->nfiles == d->capfiles) d->files = grow(d->files, &d->capfiles, sizeof(Source));
    Source *s = &d->files[d->nfiles];
    s->path = arena_strdup(d->arena, path);
    s->text = text ? text : "";
    s->len = text ? len : 0;
    return d->nfiles++;
}

static int add(Diag *d, DiagLevel level, DiagCode code, Loc loc, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (d->count == d->cap) d->items = grow(d->items, &d->cap, sizeof(Diagnostic));
    Diagnostic *g = &d->items[d->count];
    memset(g, 0, sizeof *g);
    g->level = level;
    g->code = code;
    g->loc = loc;
    g->msg = arena_strdup(d->arena, buf);
    if (level == DIAG_ERROR) d->errors++;
    else if (level == DIAG_WARNING) d->warnings++;
    return d->count++;
}

int diag_error(Diag *d, DiagCode code, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int i = add(d, DIAG_ERROR, code, loc, fmt, ap);
    va_end(ap);
    return i;
}

int diag_warning(Diag *d, DiagCode code, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int i = add(d, DIAG_WARNING, code, loc, fmt, ap);
    va_end(ap);
    return i;
}

void diag_note(Diag *d, int index, Loc loc, const char *fmt, ...)
{
    if (index < 0 || index >= d->count) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Diagnostic *g = &d->items[index];
    DiagNote *n = realloc(g->notes, sizeof(DiagNote) * (size_t)(g->nnotes + 1));
    if (!n) {
        fputs("nas: out of memory\n", stderr);
        abort();
    }
    g->notes = n;
    g->notes[g->nnotes].loc = loc;
    g->notes[g->nnotes].msg = arena_strdup(d->arena, buf);
    g->nnotes++;
}

/* ---- text output ---- */

typedef struct Style {
    const char *bold, *level, *caret, *reset;
} Style;

static Style style_for(DiagLevel level, bool colour)
{
    if (!colour) return (Style){"", "", "", ""};
    const char *lv = level == DIAG_ERROR ? "\033[1;31m" : level == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
    return (Style){"\033[1m", lv, "\033[1;32m", "\033[0m"};
}

static const Source *source_of(const Diag *d, Loc loc)
{
    return loc.file >= 0 && loc.file < d->nfiles ? &d->files[loc.file] : NULL;
}

/* Start of line `loc.line`: from the byte offset when it is consistent, else by counting lines. */
static const char *line_start(const Source *s, Loc loc)
{
    const char *t = s->text;
    if (loc.begin >= 0 && loc.begin <= s->len) {
        int p = loc.begin;
        while (p > 0 && t[p - 1] != '\n') p--;
        int line = 1;
        for (int i = 0; i < p; i++) line += t[i] == '\n';
        if (line == loc.line) return t + p;
    }
    int line = 1, p = 0;
    while (line < loc.line && p < s->len) line += t[p++] == '\n';
    return line == loc.line ? t + p : NULL;
}

/* A line longer than this is shown as a window around the caret (generated files can have
 * lines of megabytes). */
#define DIAG_SNIPPET_WIDTH 120

static void print_snippet(const Diag *d, FILE *out, Loc loc, Style st)
{
    const Source *s = source_of(d, loc);
    if (!s || loc.line <= 0 || !s->text) return;
    const char *ls = line_start(s, loc);
    if (!ls) return;
    const char *end = s->text + s->len;
    const char *le = ls;
    while (le < end && *le != '\n') le++;
    int llen = (int)(le - ls);
    if (llen > 0 && ls[llen - 1] == '\r') llen--;
    int start = loc.col - 1 < llen ? loc.col - 1 : llen;
    if (start < 0) start = 0;
    /* The range's bytes on this line: a multi-line range is clipped to its first line. */
    int stop = loc.end_line == loc.line && loc.end_col >= loc.col ? loc.end_col
               : loc.end_line > loc.line                          ? llen
                                                                  : loc.col;
    if (stop > llen) stop = llen;
    int ws = 0, we = llen; /* the window shown, on UTF-8 sequence boundaries */
    if (llen > DIAG_SNIPPET_WIDTH) {
        ws = start > DIAG_SNIPPET_WIDTH / 2 ? start - DIAG_SNIPPET_WIDTH / 2 : 0;
        while (ws > 0 && ((unsigned char)ls[ws] & 0xC0) == 0x80) ws--;
        we = ws + DIAG_SNIPPET_WIDTH < llen ? ws + DIAG_SNIPPET_WIDTH : llen;
        while (we < llen && ((unsigned char)ls[we] & 0xC0) == 0x80) we++;
        if (stop > we) stop = we;
    }
    const char *pre = ws > 0 ? "..." : "", *post = we < llen ? "..." : "";
    fprintf(out, "%5d | %s%.*s%s\n", loc.line, pre, we - ws, ls + ws, post);
    fprintf(out, "      | %s", ws > 0 ? "   " : "");
    /* Columns are byte columns; the caret line has one column per character (a UTF-8
     * sequence is one), and tabs are echoed so the caret stays aligned. */
    for (int i = ws; i < start; i++) {
        unsigned char c = (unsigned char)ls[i];
        if ((c & 0xC0) != 0x80) fputc(c == '\t' ? '\t' : ' ', out);
    }
    int width = 0;
    for (int i = start; i < stop; i++) width += ((unsigned char)ls[i] & 0xC0) != 0x80;
    fputs(st.caret, out);
    fputc('^', out);
    for (int i = 1; i < width; i++) fputc('~', out);
    fputs(st.reset, out);
    fputc('\n', out);
}

static void print_head(const Diag *d, FILE *out, Loc loc, DiagLevel level, DiagCode code, const char *msg, Style st)
{
    const Source *s = source_of(d, loc);
    const char *lv = level == DIAG_ERROR ? "error" : level == DIAG_WARNING ? "warning" : "note";
    fputs(st.bold, out);
    if (s && loc.line > 0) fprintf(out, "%s:%d:%d: ", s->path, loc.line, loc.col);
    else if (s) fprintf(out, "%s: ", s->path);
    fputs(st.reset, out);
    fprintf(out, "%s%s", st.level, lv);
    if (code != NAS_NONE) fprintf(out, "[%s]", diag_code_string(code));
    fprintf(out, ":%s %s%s%s\n", st.reset, st.bold, msg, st.reset);
}

/* ---- JSON output ---- */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_loc(const Diag *d, FILE *out, Loc loc)
{
    const Source *s = source_of(d, loc);
    fputs("\"file\": ", out);
    if (s) json_string(out, s->path);
    else fputs("null", out);
    fprintf(out, ", \"line\": %d, \"col\": %d, \"end_line\": %d, \"end_col\": %d", loc.line, loc.col, loc.end_line,
            loc.end_col);
}

void diag_print(const Diag *d, FILE *out, DiagFormat fmt, bool colour)
{
    if (fmt == DIAG_JSON) {
        fputc('[', out);
        for (int i = 0; i < d->count; i++) {
            const Diagnostic *g = &d->items[i];
            fputs(i ? ",\n {" : "\n {", out);
            json_loc(d, out, g->loc);
            fprintf(out, ", \"severity\": \"%s\", \"code\": ",
                    g->level == DIAG_ERROR     ? "error"
                    : g->level == DIAG_WARNING ? "warning"
                                               : "note");
            if (g->code != NAS_NONE) json_string(out, diag_code_string(g->code));
            else fputs("null", out);
            fputs(", \"message\": ", out);
            json_string(out, g->msg);
            fputs(", \"notes\": [", out);
            for (int j = 0; j < g->nnotes; j++) {
                fputs(j ? ", {" : "{", out);
                json_loc(d, out, g->notes[j].loc);
                fputs(", \"message\": ", out);
                json_string(out, g->notes[j].msg);
                fputc('}', out);
            }
            fputs("]}", out);
        }
        fputs(d->count ? "\n]\n" : "]\n", out);
        return;
    }
    for (int i = 0; i < d->count; i++) {
        const Diagnostic *g = &d->items[i];
        Style st = style_for(g->level, colour);
        print_head(d, out, g->loc, g->level, g->code, g->msg, st);
        print_snippet(d, out, g->loc, st);
        Style ns = style_for(DIAG_NOTE, colour);
        for (int j = 0; j < g->nnotes; j++) {
            print_head(d, out, g->notes[j].loc, DIAG_NOTE, NAS_NONE, g->notes[j].msg, ns);
            print_snippet(d, out, g->notes[j].loc, ns);
        }
    }
}
