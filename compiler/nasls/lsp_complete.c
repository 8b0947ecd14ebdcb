/* lsp_complete.c — completion (lsp_complete.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lsp_complete.h"
#include "lsp_query.h"
#include "sema_query.h"
#include "units.h"

enum {
    CK_FUNCTION = 3,
    CK_FIELD = 5,
    CK_VARIABLE = 6,
    CK_CLASS = 7,
    CK_PROPERTY = 10,
    CK_UNIT = 11,
    CK_KEYWORD = 14,
    CK_ENUM_MEMBER = 20,
    CK_STRUCT = 22
};
#define MAX_DEPTH 64

typedef struct Context {
    NodeKind top;            /* the top-level declaration the offset is inside (0: none) */
    int depth;               /* open braces */
    char callee[64];         /* the innermost open '(' follows this name ("" none) */
    bool in_parens, in_list; /* the innermost open bracket is a '(' / a '[' */
    char first[64];          /* the line's first word */
    bool at_first;           /* the offset is in (or at the end of) the line's first word */
    size_t prefix;           /* where the word being typed starts */
    bool number;             /* the word is a number's unit (`20m`) */
} Context;

static bool ident(char c) { return isalnum((unsigned char)c) || c == '_'; }

static NodeKind decl_kind(const char *w)
{
    static const struct {
        const char *w;
        NodeKind k;
    } kw[] = {{"dataset", N_DATASET}, {"reward", N_REWARD},   {"controller", N_CONTROLLER},
              {"search", N_SEARCH},   {"train", N_TRAIN},     {"proxy", N_PROXY},
              {"tune", N_TUNE},       {"trainer", N_TRAINER}, {"block", N_BLOCK},
              {"model", N_MODEL},     {"extern", N_EXTERN}};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (!strcmp(w, kw[i].w)) return kw[i].k;
    return N_USE; /* not a declaration with a body */
}

static void copy_word(char *dst, const char *s, size_t n)
{
    if (n > 63) n = 63;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Scans text[0, off): comments and strings skipped, brackets tracked. */
static Context context(const char *t, size_t off)
{
    Context c = {.top = N_USE};
    char stack[MAX_DEPTH];
    char callees[MAX_DEPTH][64];
    int sp = 0, comment = 0;
    bool line_comment = false, string = false, line_start = true;
    char top_word[64] = "", last[64] = "";
    for (size_t i = 0; i < off; i++) {
        char ch = t[i];
        if (line_comment) {
            if (ch == '\n') line_comment = false, line_start = true;
            continue;
        }
        if (comment) {
            if (ch == '*' && i + 1 < off && t[i + 1] == '/') comment--, i++;
            else if (ch == '/' && i + 1 < off && t[i + 1] == '*') comment++, i++;
            continue;
        }
        if (string) {
            if (ch == '\\') i++;
            else if (ch == '"' || ch == '\n') string = false;
            continue;
        }
        if (ch == '/' && i + 1 < off && t[i + 1] == '/') {
            line_comment = true;
            continue;
        }
        if (ch == '/' && i + 1 < off && t[i + 1] == '*') {
            comment = 1, i++;
            continue;
        }
        if (ch == '"') string = true;
        if (ident(ch)) {
            size_t b = i;
            while (i + 1 < off && ident(t[i + 1])) i++;
            copy_word(last, t + b, i - b + 1);
            if (line_start && c.depth == 0 && sp == 0) copy_word(top_word, t + b, i - b + 1);
            line_start = false;
            continue;
        }
        if (ch == '\n') line_start = true;
        else if (ch != ' ' && ch != '\t' && ch != '\r') line_start = false;
        if (ch == '{') {
            if (c.depth == 0) c.top = decl_kind(top_word);
            c.depth++;
        } else if (ch == '}') {
            if (c.depth > 0 && --c.depth == 0) c.top = N_USE;
            sp = 0; /* a brace closes every bracket left open inside it */
        } else if (ch == '(' || ch == '[') {
            if (sp < MAX_DEPTH) {
                stack[sp] = ch;
                snprintf(callees[sp], sizeof callees[sp], "%s", ch == '(' ? last : "");
                sp++;
            }
        } else if ((ch == ')' || ch == ']') && sp > 0) sp--;
        if (ch != ' ' && ch != '\t') last[0] = '\0'; /* a callee is the name right before '(' */
    }
    if (comment || line_comment || string) c.top = (NodeKind)-1; /* no completion inside these */
    if (sp > 0) {
        c.in_parens = stack[sp - 1] == '(';
        c.in_list = stack[sp - 1] == '[';
        memcpy(c.callee, callees[sp - 1], 64);
    }
    size_t p = off;
    while (p > 0 && ident(t[p - 1])) p--;
    c.prefix = p;
    if (p < off && isdigit((unsigned char)t[p])) { /* a number: the unit is the letters after it */
        c.number = true;
        while (p < off && (isdigit((unsigned char)t[p]) || t[p] == '.')) p++;
        c.prefix = p;
    }
    size_t ls = c.prefix;
    while (ls > 0 && t[ls - 1] != '\n') ls--;
    size_t w = ls;
    while (w < off && (t[w] == ' ' || t[w] == '\t')) w++;
    size_t we = w;
    while (we < off && ident(t[we])) we++;
    copy_word(c.first, t + w, we - w);
    c.at_first = w == c.prefix;
    return c;
}

static cJSON *item(cJSON *items, const char *label, int kind, const char *detail)
{
    cJSON *it = cJSON_CreateObject();
    cJSON_AddStringToObject(it, "label", label);
    cJSON_AddNumberToObject(it, "kind", kind);
    if (detail) cJSON_AddStringToObject(it, "detail", detail);
    cJSON_AddItemToArray(items, it);
    return it;
}

static void markdown(cJSON *it, const char *text)
{
    if (!text || !*text) return;
    cJSON *d = cJSON_AddObjectToObject(it, "documentation");
    cJSON_AddStringToObject(d, "kind", "markdown");
    cJSON_AddStringToObject(d, "value", text);
}

static void units(cJSON *items)
{
    const char *s = UNIT_LIST; /* "us ms s min h, B KB MB GB, %, K M G": the table's units */
    while (*s) {
        while (*s == ' ' || *s == ',') s++;
        size_t n = strcspn(s, " ,");
        if (!n) break;
        char u[16];
        copy_word(u, s, n < 15 ? n : 15);
        const Unit *un = unit_find(u, (int)strlen(u));
        static const char *dims[] = {"", "time", "memory", "ratio", "count"};
        item(items, u, CK_UNIT, un && un->dim <= DIM_COUNT ? dims[un->dim] : NULL);
        s += n;
    }
}

static void settings(cJSON *items, NodeKind k)
{
    const char *keys[64];
    int n = sema_query_settings(k, keys, 64);
    for (int i = 0; i < n && i < 64; i++) {
        cJSON *it = item(items, keys[i], CK_PROPERTY, "setting");
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        if (f) {
            sema_query_setting_doc(f, k, keys[i]);
            fclose(f);
            markdown(it, buf);
            free(buf);
        }
    }
}

static int options(cJSON *items, NodeKind k, const char *key)
{
    const char *names[64];
    int n = sema_query_options(k, key, names, 64);
    for (int i = 0; i < n && i < 64; i++) item(items, names[i], CK_ENUM_MEMBER, key);
    return n;
}

static void keyword_arg(cJSON *items, const char *name, const char *detail)
{
    char ins[80];
    snprintf(ins, sizeof ins, "%s = ", name);
    cJSON *it = item(items, name, CK_FIELD, detail);
    cJSON_AddStringToObject(it, "insertText", ins);
}

static void decl_item(cJSON *items, LspAnalysis *a, const Node *d, const char *from)
{
    char *sig, *doc;
    cJSON *it;
    switch (d->kind) {
    case N_BLOCK:
    case N_EXTERN:
    case N_MODEL:
        sig = lsp_signature(a, d);
        doc = lsp_doc_comment(a, d);
        it = item(items, d->fndef.name, d->kind == N_MODEL ? CK_CLASS : CK_FUNCTION, sig);
        if (doc || from) {
            char *m = NULL;
            size_t size = 0;
            FILE *f = open_memstream(&m, &size);
            if (f) {
                fprintf(f, "%s%s%s%s", doc ? doc : "", doc && from ? "\n\n" : "", from ? "from " : "",
                        from ? from : "");
                fclose(f);
                markdown(it, m);
                free(m);
            }
        }
        free(sig), free(doc);
        break;
    case N_LET: item(items, d->let.name, CK_VARIABLE, "let"); break;
    case N_DATASET: item(items, d->decl.name, CK_STRUCT, "dataset"); break;
    default:
        if (d->kind >= N_REWARD && d->kind <= N_TRAINER && d->decl.name)
            item(items, d->decl.name, CK_VARIABLE, ast_kind_name(d->kind));
    }
}

typedef struct Locals {
    cJSON *items;
    size_t off;
} Locals;

static void locals_visit(Node *n, void *ctx)
{
    Locals *l = ctx;
    if (n->kind == N_PARAM) item(l->items, n->param.name, CK_VARIABLE, "parameter");
    if (n->kind == N_LET && n->let.name_loc.begin >= 0 && (size_t)n->let.name_loc.end <= l->off)
        item(l->items, n->let.name, CK_VARIABLE, "let");
}

static void names(cJSON *items, LspAnalysis *a, bool current, size_t off)
{
    const Program *p = a ? a->c.prog : NULL;
    if (!p || !p->main || !p->main->ast) return;
    NodeList ds = p->main->ast->decls;
    for (int i = 0; i < ds.count; i++) {
        decl_item(items, a, ds.items[i], NULL);
        const Node *d = ds.items[i];
        if (current && (d->kind == N_BLOCK || d->kind == N_MODEL) && (size_t)d->loc.begin <= off &&
            off <= (size_t)d->loc.end) {
            Locals l = {items, off};
            lsp_walk((Node *)d, locals_visit, &l);
        }
    }
    for (int u = 0; u < p->main->nuses; u++) {
        const Module *m = p->main->uses[u];
        for (int i = 0; m->ast && i < m->ast->decls.count; i++) decl_item(items, a, m->ast->decls.items[i], m->name);
    }
}

static void keywords(cJSON *items, bool top)
{
    static const char *const tops[] = {"use",    "let",        "block",  "model", "extern", "dataset",
                                       "reward", "controller", "search", "train", "proxy",  "trainer"};
    static const char *const body[] = {"let", "choice", "oneof", "repeat", "if", "else", "return"};
    const char *const *w = top ? tops : body;
    int n = top ? (int)(sizeof tops / sizeof *tops) : (int)(sizeof body / sizeof *body);
    for (int i = 0; i < n; i++) item(items, w[i], CK_KEYWORD, NULL);
}

/* The call's parameters: an option's (`adam(`) inside a settings declaration, else the
 * block's or layer's the name resolves to. */
static void call_args(cJSON *items, const Context *c, LspAnalysis *a)
{
    const char *ps[64];
    int n = sema_query_option_params(c->top, c->first, c->callee, ps, 64);
    for (int i = 0; i < n && i < 64; i++) keyword_arg(items, ps[i], c->callee);
    if (n || !a || !a->c.prog) return;
    SemaSym *s = sema_lookup_global(a->c.prog, c->callee);
    const Node *fn = s ? s->decl : NULL;
    if (!fn || (fn->kind != N_BLOCK && fn->kind != N_EXTERN && fn->kind != N_MODEL)) return;
    char *sig = lsp_signature(a, fn);
    for (int i = 0; i < fn->fndef.params.count; i++) keyword_arg(items, fn->fndef.params.items[i]->param.name, sig);
    free(sig);
}

cJSON *lsp_complete(const char *text, size_t len, size_t off, LspAnalysis *good, bool good_current)
{
    if (off > len) off = len;
    Context c = context(text, off);
    cJSON *res = cJSON_CreateObject();
    cJSON_AddBoolToObject(res, "isIncomplete", false);
    cJSON *items = cJSON_AddArrayToObject(res, "items");
    if ((int)c.top == -1) return res;
    if (c.number) {
        units(items);
        return res;
    }
    bool settings_decl = sema_query_settings(c.top, NULL, 0) > 0;
    if (c.in_parens && c.callee[0]) call_args(items, &c, good);
    if (settings_decl && !c.in_parens && !c.in_list) {
        if (c.at_first) {
            settings(items, c.top);
            return res;
        }
        if (options(items, c.top, c.first)) return res;
    }
    if (c.depth == 0 && c.at_first && !c.in_parens) keywords(items, true);
    else if (c.depth > 0 && !settings_decl && c.at_first) keywords(items, false);
    if (c.depth > 0 || c.in_parens) names(items, good, good_current, off);
    return res;
}
