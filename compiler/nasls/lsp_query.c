/* lsp_query.c — hover, definition, references, symbols and quick fixes (lsp_query.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lsp_query.h"
#include "model.h"
#include "sema.h"
#include "sema_query.h"
#include "space.h"

static void walk_list(NodeList l, LspVisit f, void *ctx)
{
    for (int i = 0; i < l.count; i++) lsp_walk(l.items[i], f, ctx);
}

void lsp_walk(Node *n, LspVisit f, void *ctx)
{
    if (!n) return;
    f(n, ctx);
    switch (n->kind) {
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL:
        walk_list(n->fndef.params, f, ctx);
        lsp_walk(n->fndef.result, f, ctx);
        walk_list(n->fndef.body, f, ctx);
        break;
    case N_DATASET:
    case N_REWARD:
    case N_CONTROLLER:
    case N_SEARCH:
    case N_TRAIN:
    case N_PROXY:
    case N_TUNE:
    case N_TRAINER: walk_list(n->decl.items, f, ctx); break;
    case N_LET: lsp_walk(n->let.value, f, ctx); break;
    case N_SETTING: walk_list(n->setting.values, f, ctx); break;
    case N_OBJECTIVE:
        lsp_walk(n->objective.metric, f, ctx);
        lsp_walk(n->objective.ref, f, ctx);
        break;
    case N_CONSTRAINT:
        lsp_walk(n->constraint.cond, f, ctx);
        walk_list(n->constraint.soft, f, ctx);
        break;
    case N_FROM: lsp_walk(n->from.top, f, ctx); break;
    case N_ASSIGN: lsp_walk(n->assign.value, f, ctx); break;
    case N_RETURN: lsp_walk(n->ret.value, f, ctx); break;
    case N_REPEAT:
        lsp_walk(n->repeat.count, f, ctx);
        walk_list(n->repeat.body, f, ctx);
        break;
    case N_IF:
        lsp_walk(n->if_.cond, f, ctx);
        walk_list(n->if_.then, f, ctx);
        walk_list(n->if_.els, f, ctx);
        break;
    case N_LIST: walk_list(n->list.items, f, ctx); break;
    case N_CALL:
        lsp_walk(n->call.callee, f, ctx);
        walk_list(n->call.args, f, ctx);
        break;
    case N_ARG: lsp_walk(n->arg.value, f, ctx); break;
    case N_MEMBER: lsp_walk(n->member.object, f, ctx); break;
    case N_INDEX:
        lsp_walk(n->index.object, f, ctx);
        lsp_walk(n->index.index, f, ctx);
        break;
    case N_UNARY: lsp_walk(n->unary.operand, f, ctx); break;
    case N_BINARY:
        lsp_walk(n->binary.lhs, f, ctx);
        lsp_walk(n->binary.rhs, f, ctx);
        break;
    case N_PIPE:
        lsp_walk(n->pipe.lhs, f, ctx);
        lsp_walk(n->pipe.rhs, f, ctx);
        break;
    case N_SPLIT:
        lsp_walk(n->split.data, f, ctx);
        lsp_walk(n->split.ratio, f, ctx);
        break;
    case N_CHOICE:
        if (n->choice.list_ref) lsp_walk(n->choice.list_ref, f, ctx); /* its items are the let's */
        else walk_list(n->choice.items, f, ctx);
        lsp_walk(n->choice.lo, f, ctx);
        lsp_walk(n->choice.hi, f, ctx);
        lsp_walk(n->choice.step, f, ctx);
        lsp_walk(n->choice.k, f, ctx);
        break;
    case N_ONEOF: walk_list(n->oneof.alts, f, ctx); break;
    case N_PARAM:
        lsp_walk(n->param.type, f, ctx);
        lsp_walk(n->param.dflt, f, ctx);
        break;
    case N_TYPE: walk_list(n->texpr.dims, f, ctx); break;
    default: break;
    }
}

/* ---- what is at an offset ---- */

typedef enum Part { P_NONE, P_NODE, P_NAME, P_KEY, P_ARG, P_USE } Part;

typedef struct Hit {
    size_t off;
    int file;
    Node *top; /* the top-level declaration being walked */
    Node *node, *in_top;
    Part part;
    int arg;  /* P_ARG: the argument's index in node (a call) */
    int span; /* of the best hit so far */
} Hit;

static void consider(Hit *h, Node *n, Loc l, Part part, int arg)
{
    if (l.file != h->file || l.begin < 0 || l.end < l.begin) return;
    if (h->off < (size_t)l.begin || h->off > (size_t)l.end) return;
    int span = l.end - l.begin;
    if (h->part != P_NONE && span >= h->span) return;
    *h = (Hit){h->off, h->file, h->top, n, h->top, part, arg, span};
}

static const Loc *name_loc(const Node *n)
{
    switch (n->kind) {
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL: return &n->fndef.name_loc;
    case N_DATASET:
    case N_REWARD:
    case N_CONTROLLER:
    case N_SEARCH:
    case N_TRAIN:
    case N_PROXY:
    case N_TUNE:
    case N_TRAINER: return n->decl.name ? &n->decl.name_loc : NULL;
    case N_LET: return &n->let.name_loc;
    case N_ASSIGN: return &n->assign.name_loc;
    case N_PARAM: return &n->param.name_loc;
    case N_CHOICE: return n->choice.name ? &n->choice.name_loc : NULL;
    case N_ONEOF: return n->oneof.name ? &n->oneof.name_loc : NULL;
    default: return NULL;
    }
}

static void find_visit(Node *n, void *ctx)
{
    Hit *h = ctx;
    const Loc *nl = name_loc(n);
    if (nl) consider(h, n, *nl, P_NAME, 0);
    switch (n->kind) {
    case N_NAME:
    case N_CHOICE:
    case N_ONEOF: consider(h, n, n->loc, P_NODE, 0); break;
    case N_SETTING: consider(h, n, n->setting.key_loc, P_KEY, 0); break;
    case N_USE: consider(h, n, n->use.path_loc, P_USE, 0); break;
    case N_CALL:
        for (int i = 0; i < n->call.args.count; i++) {
            Node *a = n->call.args.items[i];
            if (a->arg.name) consider(h, n, a->arg.name_loc, P_ARG, i);
        }
        break;
    default: break;
    }
}

static Hit find(const LspAnalysis *a, size_t off)
{
    Hit h = {.off = off, .file = a->main_file};
    const Program *p = a->c.prog;
    if (!p || !p->main || !p->main->ast || a->main_file < 0) return h;
    NodeList ds = p->main->ast->decls;
    for (int i = 0; i < ds.count; i++) {
        h.top = ds.items[i];
        lsp_walk(ds.items[i], find_visit, &h);
    }
    return h;
}

/* The parameter an argument name names: the callee's N_PARAM, or NULL. */
static Node *arg_param(const Node *call, int i)
{
    const Node *callee = call->call.callee;
    const Node *arg = call->call.args.items[i];
    if (!callee || callee->kind != N_NAME || !callee->sym || !callee->sym->decl) return NULL;
    const Node *fn = callee->sym->decl;
    if (fn->kind != N_BLOCK && fn->kind != N_EXTERN && fn->kind != N_MODEL) return NULL;
    for (int j = 0; j < fn->fndef.params.count; j++)
        if (!strcmp(fn->fndef.params.items[j]->param.name, arg->arg.name)) return fn->fndef.params.items[j];
    return NULL;
}

typedef struct LetOf {
    const Node *value;
    SemaSym *sym;
} LetOf;

static void let_visit(Node *n, void *ctx)
{
    LetOf *l = ctx;
    if (n->kind == N_LET && n->let.value == l->value && n->sym) l->sym = n->sym;
}

/* The symbol a hit names (a use or a declaration), or NULL. A decision stands for the `let`
 * that binds it (`let k = choice kernel [3, 5]`): its uses are the decision's. */
static SemaSym *hit_sym(const Hit *h)
{
    if (!h->node) return NULL;
    if (h->node->kind == N_CHOICE || h->node->kind == N_ONEOF) {
        LetOf l = {h->node, NULL};
        lsp_walk(h->in_top, let_visit, &l);
        return l.sym;
    }
    if (h->part == P_ARG) {
        Node *p = arg_param(h->node, h->arg);
        return p ? p->sym : NULL;
    }
    if (h->part == P_NODE && h->node->kind != N_NAME) return NULL;
    if (h->part != P_NODE && h->part != P_NAME) return NULL;
    SemaSym *s = h->node->sym;
    return s && s->kind != SYM_VOCAB ? s : NULL;
}

static const Module *use_module(const Program *p, const Node *use)
{
    for (int i = 0; p && i < p->nmodules; i++)
        if (p->modules[i]->name && !strcmp(p->modules[i]->name, use->use.path) && p->modules[i]->ast)
            return p->modules[i];
    return NULL;
}

/* ---- definition and references ---- */

cJSON *lsp_definition(LspAnalysis *a, size_t offset, const char *uri)
{
    Hit h = find(a, offset);
    if (h.part == P_USE) {
        const Module *m = use_module(a->c.prog, h.node);
        if (!m) return NULL;
        Loc top = {.file = m->ast->file, .line = 1, .col = 1, .end_line = 1, .end_col = 0};
        return lsp_location(a, top, uri);
    }
    SemaSym *s = hit_sym(&h);
    return s ? lsp_location(a, s->loc, uri) : NULL;
}

typedef struct Refs {
    LspAnalysis *a;
    const SemaSym *sym;
    const char *use; /* a module's path as `use` writes it */
    const char *uri;
    cJSON *out;
} Refs;

static void add_ref(Refs *r, Loc l)
{
    cJSON *loc = lsp_location(r->a, l, r->uri);
    if (loc) cJSON_AddItemToArray(r->out, loc);
}

static void refs_visit(Node *n, void *ctx)
{
    Refs *r = ctx;
    if (r->use) {
        if (n->kind == N_USE && !strcmp(n->use.path, r->use)) add_ref(r, n->use.path_loc);
        return;
    }
    if (n->kind == N_NAME && n->sym == r->sym) add_ref(r, n->loc);
    if (n->kind == N_ASSIGN && n->sym == r->sym) add_ref(r, n->assign.name_loc);
    if (n->kind == N_CALL)
        for (int i = 0; i < n->call.args.count; i++) {
            Node *p = n->call.args.items[i]->arg.name ? arg_param(n, i) : NULL;
            if (p && p->sym == r->sym) add_ref(r, n->call.args.items[i]->arg.name_loc);
        }
}

cJSON *lsp_references(LspAnalysis *a, size_t offset, const char *uri, bool declaration)
{
    Hit h = find(a, offset);
    Refs r = {a, hit_sym(&h), h.part == P_USE ? h.node->use.path : NULL, uri, cJSON_CreateArray()};
    if (!r.sym && !r.use) return cJSON_Delete(r.out), NULL;
    if (r.sym && declaration) add_ref(&r, r.sym->loc);
    const Program *p = a->c.prog;
    for (int i = 0; i < p->nmodules; i++) {
        if (!p->modules[i]->ast) continue;
        NodeList ds = p->modules[i]->ast->decls;
        for (int j = 0; j < ds.count; j++) lsp_walk(ds.items[j], refs_visit, &r);
    }
    return r.out;
}

/* ---- text of declarations ---- */

static const char *slice(const LspAnalysis *a, Loc l, int *n)
{
    const Source *s = l.file >= 0 && l.file < a->c.diag.nfiles ? &a->c.diag.files[l.file] : NULL;
    if (!s || !s->text || l.begin < 0 || l.end > s->len || l.end < l.begin) return *n = 0, "";
    *n = l.end - l.begin;
    return s->text + l.begin;
}

static const char *decl_word(NodeKind k, const Node *n)
{
    switch (k) {
    case N_EXTERN: return n->fndef.is_fn ? "extern fn" : "extern block";
    case N_BLOCK: return "block";
    case N_MODEL: return "model";
    default: return ast_kind_name(k);
    }
}

char *lsp_signature(const LspAnalysis *a, const Node *fn)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f) return NULL;
    fprintf(f, "%s %s(", decl_word(fn->kind, fn), fn->fndef.name ? fn->fndef.name : "?");
    for (int i = 0; i < fn->fndef.params.count; i++) {
        int n;
        const char *t = slice(a, fn->fndef.params.items[i]->loc, &n);
        fprintf(f, "%s%.*s", i ? ", " : "", n, t);
    }
    fputc(')', f);
    if (fn->fndef.result) {
        int n;
        const char *t = slice(a, fn->fndef.result->loc, &n);
        fprintf(f, " -> %.*s", n, t);
    }
    fclose(f);
    return buf;
}

char *lsp_doc_comment(const LspAnalysis *a, const Node *decl)
{
    const Source *s =
        decl->loc.file >= 0 && decl->loc.file < a->c.diag.nfiles ? &a->c.diag.files[decl->loc.file] : NULL;
    if (!s || !s->text || decl->loc.begin <= 0 || decl->loc.begin > s->len) return NULL;
    const char *t = s->text;
    int start = decl->loc.begin; /* walk back over the lines that are `//` comments */
    while (start > 0 && t[start - 1] != '\n') start--;
    int first = start;
    while (first > 0) {
        int ls = first - 1;
        while (ls > 0 && t[ls - 1] != '\n') ls--;
        int p = ls;
        while (p < first && (t[p] == ' ' || t[p] == '\t')) p++;
        if (p + 1 >= first || t[p] != '/' || t[p + 1] != '/') break;
        first = ls;
    }
    if (first == start) return NULL;
    char *out = malloc((size_t)(start - first) + 1), *o = out;
    if (!out) return NULL;
    for (int p = first; p < start;) { /* each line without its `//` */
        while (t[p] == ' ' || t[p] == '\t') p++;
        p += 2;
        if (t[p] == ' ') p++;
        while (p < start && t[p] != '\n') *o++ = t[p++];
        if (p < start) *o++ = ' ', p++;
    }
    *o = '\0';
    return out;
}

/* ---- hover ---- */

typedef struct Text {
    char *buf;
    size_t size;
    FILE *f;
} Text;

static cJSON *hover_result(Text *t, LspAnalysis *a, Loc at)
{
    fclose(t->f);
    cJSON *r = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(r, "contents");
    cJSON_AddStringToObject(c, "kind", "markdown");
    cJSON_AddStringToObject(c, "value", t->buf ? t->buf : "");
    cJSON_AddItemToObject(r, "range", lsp_range(a, at));
    free(t->buf);
    return r;
}

/* The space's decisions made by a `choice` or `oneof` (found by its position), and their size
 * product. */
static void choice_hover(Text *t, LspAnalysis *a, const Node *ch, const Node *top, bool shared)
{
    const Space *sp = a->c.space ? model_space(a->c.space) : NULL;
    const char *path = lsp_loc_path(a, ch->loc);
    int n = 0, first = -1;
    double product = 1;
    bool cont = false, cond = false;
    for (int d = 0; sp && path && d < space_count(sp); d++) {
        const SpaceDecision *sd = space_decision(sp, d);
        if (!sd->loc.file || strcmp(sd->loc.file, path) || sd->loc.line != ch->loc.line || sd->loc.col != ch->loc.col)
            continue;
        if (first < 0) first = d;
        n++;
        product *= sd->continuous ? 1 : sd->arity;
        cont |= sd->continuous;
        cond |= sd->parent >= 0;
    }
    int len;
    const char *src = slice(a, ch->loc, &len);
    const char *name = ch->kind == N_CHOICE ? ch->choice.name : ch->oneof.name;
    fprintf(t->f, "**decision** `%s`\n\n```nas\n%.*s\n```\n", name ? name : "(unnamed)", len > 400 ? 400 : len, src);
    if (first < 0) {
        fputs("\nnot in the space of the model lowered (no model, or not reached from it)\n", t->f);
        return;
    }
    const SpaceDecision *sd = space_decision(sp, first);
    fputs("\nvalues: ", t->f);
    if (sd->continuous) fprintf(t->f, "continuous %g .. %g%s", sd->flo, sd->fhi, sd->log ? " (log)" : "");
    else {
        char v[128];
        for (int i = 0; i < sd->arity && i < 16; i++) {
            space_value_format(sp, first, i, v, sizeof v);
            fprintf(t->f, "%s%s", i ? ", " : "", v);
        }
        if (sd->arity > 16) fputs(", ...", t->f);
        fprintf(t->f, " (%d value%s)", sd->arity, sd->arity == 1 ? "" : "s");
    }
    if (shared) fprintf(t->f, "\n\nshared: one decision `%s`, the same value at every use", sd->name);
    else if (top && top->kind == N_BLOCK)
        fprintf(t->f, "\n\nper instance: %d decision%s, one per instance of block `%s` (`%s`%s)", n, n == 1 ? "" : "s",
                top->fndef.name, sd->name, n > 1 ? ", ..." : "");
    else fprintf(t->f, "\n\none decision `%s`", sd->name);
    fprintf(t->f, "\n\nmultiplies the space by %s%.6g", cond ? "up to " : "", product);
    if (cont) fputs(" (and is continuous: infinitely many values)", t->f);
    fputc('\n', t->f);
}

static void model_hover(Text *t, LspAnalysis *a, const Node *m)
{
    char *sig = lsp_signature(a, m);
    fprintf(t->f, "```nas\n%s\n```\n", sig ? sig : "");
    free(sig);
    if (!a->c.space || model_node(a->c.space) != m) {
        fputs("\nno space: the model was not lowered (see the diagnostics)\n", t->f);
        return;
    }
    const Space *sp = model_space(a->c.space);
    char size[1300];
    bool cont = false;
    if (space_size(sp, size, sizeof size, &cont) != SPACE_OK)
        snprintf(size, sizeof size, "10^%.2f", space_size_log10(sp));
    fprintf(t->f, "\nspace: %d decisions, %s architectures%s\n", space_count(sp), size,
            cont ? " (times continuous decisions: infinite)" : "");
    const CheckResult *r = &a->check;
    if (!a->checked) return;
    CheckBound pa = r->static_bounds ? r->static_params : r->params, ma = r->static_bounds ? r->static_macs : r->macs;
    const char *how = r->static_bounds && r->proven ? "proved over every architecture (static check)"
                      : r->exhaustive               ? "exact: every architecture instantiated"
                      : r->static_bounds            ? "from the static check, not a proof"
                                                    : "sampled, not proved";
    fprintf(t->f, "\nparams: %lld .. %lld\n\nMACs: %lld .. %lld at batch 1\n\nbounds: %s", (long long)pa.min,
            (long long)pa.max, (long long)ma.min, (long long)ma.max, how);
    if (!r->exhaustive && !r->static_bounds) fprintf(t->f, ", %lld architectures", (long long)r->checked);
    fputc('\n', t->f);
}

static void sym_hover(Text *t, LspAnalysis *a, const SemaSym *s)
{
    const Node *d = s->decl;
    Arena *ar = &a->c.arena;
    if (!d) {
        fprintf(t->f, "`%s`\n", s->name);
        return;
    }
    switch (d->kind) {
    case N_BLOCK:
    case N_EXTERN: {
        char *sig = lsp_signature(a, d), *doc = lsp_doc_comment(a, d);
        fprintf(t->f, "```nas\n%s\n```\n", sig ? sig : "");
        if (doc) fprintf(t->f, "\n%s\n", doc);
        if (s->module && s->module->name && s->module != a->c.prog->main)
            fprintf(t->f, "\nfrom `%s`\n", s->module->name);
        free(sig), free(doc);
        break;
    }
    case N_MODEL: model_hover(t, a, d); break;
    case N_LET:
    case N_PARAM: {
        const Node *v = d->kind == N_LET ? d->let.value : NULL;
        const Node *ch = v && v->kind == N_ONEOF ? v : v ? sema_choice_of(v) : NULL;
        if (ch) {
            choice_hover(t, a, ch, NULL, s->kind == SYM_LET);
            break;
        }
        int n;
        const char *src = slice(a, d->loc, &n);
        fprintf(t->f, "```nas\n%s%.*s\n```\n", d->kind == N_PARAM ? "param " : "", n > 400 ? 400 : n, src);
        if (s->type) fprintf(t->f, "\ntype: %s\n", sema_type_name(ar, s->type));
        const SemaValue *cv = v ? sema_const(a->c.prog, v) : NULL;
        if (cv && cv->kind == VAL_INT) fprintf(t->f, "\nvalue: %lld\n", (long long)cv->i);
        else if (cv && (cv->kind == VAL_FLOAT || cv->kind == VAL_QUANTITY)) fprintf(t->f, "\nvalue: %g\n", cv->f);
        break;
    }
    default: {
        fprintf(t->f, "**%s** `%s`\n", ast_kind_name(d->kind), s->name);
        if (s->module && s->module->name && s->module != a->c.prog->main)
            fprintf(t->f, "\nfrom `%s`\n", s->module->name);
    }
    }
}

cJSON *lsp_hover(LspAnalysis *a, size_t offset)
{
    Hit h = find(a, offset);
    if (h.part == P_NONE) return NULL;
    Text t = {0};
    if (!(t.f = open_memstream(&t.buf, &t.size))) return NULL;
    Node *n = h.node;
    Loc at = n->loc;
    if (h.part == P_KEY) {
        at = n->setting.key_loc;
        if (!sema_query_setting_doc(t.f, h.in_top->kind, n->setting.key)) fprintf(t.f, "`%s`\n", n->setting.key);
    } else if (h.part == P_USE) {
        at = n->use.path_loc;
        const Module *m = use_module(a->c.prog, n);
        fprintf(t.f, "module `%s`: %s\n", n->use.path, m ? m->path : "not found");
    } else if (h.part == P_ARG) {
        at = n->call.args.items[h.arg]->arg.name_loc;
        Node *p = arg_param(n, h.arg);
        if (!p) {
            fclose(t.f), free(t.buf);
            return NULL;
        }
        int len;
        const char *src = slice(a, p->loc, &len);
        fprintf(t.f, "```nas\nparam %.*s\n```\n", len, src);
    } else if (n->kind == N_CHOICE || n->kind == N_ONEOF) {
        if (h.part == P_NAME) at = *name_loc(n);
        bool shared = h.in_top->kind != N_BLOCK && h.in_top->kind != N_MODEL;
        choice_hover(&t, a, n, h.in_top, shared);
    } else {
        if (h.part == P_NAME && name_loc(n)) at = *name_loc(n);
        SemaSym *s = hit_sym(&h);
        if (s) sym_hover(&t, a, s);
        else if (h.part == P_NAME && n->kind == N_MODEL) model_hover(&t, a, n);
        else if (h.part == P_NAME && (n->kind == N_BLOCK || n->kind == N_EXTERN)) {
            char *sig = lsp_signature(a, n);
            fprintf(t.f, "```nas\n%s\n```\n", sig ? sig : "");
            free(sig);
        } else {
            fclose(t.f), free(t.buf);
            return NULL;
        }
    }
    return hover_result(&t, a, at);
}

/* ---- document symbols ---- */

enum {
    SYMK_MODULE = 2,
    SYMK_NAMESPACE = 3,
    SYMK_CLASS = 5,
    SYMK_PROPERTY = 7,
    SYMK_ENUM = 10,
    SYMK_FUNCTION = 12,
    SYMK_VARIABLE = 13,
    SYMK_STRUCT = 23
};

static cJSON *symbol(LspAnalysis *a, const char *name, int kind, Loc range, Loc sel, const char *detail)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", name && *name ? name : "?");
    if (detail) cJSON_AddStringToObject(s, "detail", detail);
    cJSON_AddNumberToObject(s, "kind", kind);
    if (sel.begin < range.begin || sel.end > range.end) sel = range; /* selectionRange lies inside range */
    cJSON_AddItemToObject(s, "range", lsp_range(a, range));
    cJSON_AddItemToObject(s, "selectionRange", lsp_range(a, sel));
    return s;
}

typedef struct Children {
    LspAnalysis *a;
    cJSON *list;
} Children;

static void decisions_visit(Node *n, void *ctx)
{
    Children *c = ctx;
    if (n->kind == N_CHOICE && n->choice.name)
        cJSON_AddItemToArray(c->list, symbol(c->a, n->choice.name, SYMK_ENUM, n->loc, n->choice.name_loc, "decision"));
    if (n->kind == N_ONEOF && n->oneof.name)
        cJSON_AddItemToArray(c->list, symbol(c->a, n->oneof.name, SYMK_ENUM, n->loc, n->oneof.name_loc, "decision"));
}

cJSON *lsp_symbols(LspAnalysis *a)
{
    cJSON *out = cJSON_CreateArray();
    const Program *p = a->c.prog;
    if (!p || !p->main || !p->main->ast) return out;
    NodeList ds = p->main->ast->decls;
    for (int i = 0; i < ds.count; i++) {
        Node *d = ds.items[i];
        const Loc *nl = name_loc(d);
        Loc sel = nl ? *nl : d->loc;
        cJSON *s = NULL;
        switch (d->kind) {
        case N_USE: s = symbol(a, d->use.path, SYMK_MODULE, d->loc, d->use.path_loc, "use"); break;
        case N_BLOCK:
        case N_EXTERN:
        case N_MODEL: {
            char *sig = lsp_signature(a, d);
            s = symbol(a, d->fndef.name, d->kind == N_MODEL ? SYMK_CLASS : SYMK_FUNCTION, d->loc, sel, sig);
            free(sig);
            break;
        }
        case N_LET: s = symbol(a, d->let.name, SYMK_VARIABLE, d->loc, sel, "let"); break;
        case N_DATASET: s = symbol(a, d->decl.name, SYMK_STRUCT, d->loc, sel, "dataset"); break;
        default:
            s = symbol(a, d->decl.name ? d->decl.name : ast_kind_name(d->kind), SYMK_NAMESPACE, d->loc, sel,
                       ast_kind_name(d->kind));
        }
        Children c = {a, cJSON_CreateArray()};
        if (d->kind == N_DATASET || (d->kind >= N_REWARD && d->kind <= N_TRAINER))
            for (int j = 0; j < d->decl.items.count; j++) {
                Node *it = d->decl.items.items[j];
                if (it->kind == N_SETTING)
                    cJSON_AddItemToArray(
                        c.list, symbol(a, it->setting.key, SYMK_PROPERTY, it->loc, it->setting.key_loc, "setting"));
            }
        lsp_walk(d, decisions_visit, &c);
        cJSON_AddItemToObject(s, "children", c.list);
        cJSON_AddItemToArray(out, s);
    }
    return out;
}

/* ---- quick fixes ---- */

cJSON *lsp_code_actions(LspAnalysis *a, size_t from, size_t to, const char *uri)
{
    cJSON *out = cJSON_CreateArray();
    static const char prefix[] = "did you mean `";
    for (int i = 0; i < a->c.diag.count; i++) {
        const Diagnostic *g = &a->c.diag.items[i];
        if (g->loc.file != a->main_file || a->main_file < 0) continue;
        if ((size_t)g->loc.end < from || (size_t)g->loc.begin > to) continue;
        for (int j = 0; j < g->nnotes; j++) {
            const DiagNote *nt = &g->notes[j];
            if (strncmp(nt->msg, prefix, sizeof prefix - 1) || nt->loc.file != a->main_file) continue;
            const char *w = nt->msg + sizeof prefix - 1, *e = strchr(w, '`');
            if (!e) continue;
            char *word = strndup(w, (size_t)(e - w));
            if (!word) continue;
            cJSON *act = cJSON_CreateObject();
            char title[200];
            snprintf(title, sizeof title, "Change to `%s`", word);
            cJSON_AddStringToObject(act, "title", title);
            cJSON_AddStringToObject(act, "kind", "quickfix");
            cJSON_AddBoolToObject(act, "isPreferred", true);
            cJSON *diags = cJSON_AddArrayToObject(act, "diagnostics");
            cJSON *d = cJSON_CreateObject();
            cJSON_AddItemToObject(d, "range", lsp_range(a, g->loc));
            cJSON_AddStringToObject(d, "message", g->msg);
            if (g->code != NAS_NONE) cJSON_AddStringToObject(d, "code", diag_code_string(g->code));
            cJSON_AddItemToArray(diags, d);
            cJSON *edit = cJSON_AddObjectToObject(act, "edit");
            cJSON *changes = cJSON_AddObjectToObject(edit, "changes");
            cJSON *edits = cJSON_AddArrayToObject(changes, uri);
            cJSON *te = cJSON_CreateObject();
            cJSON_AddItemToObject(te, "range", lsp_range(a, nt->loc));
            cJSON_AddStringToObject(te, "newText", word);
            cJSON_AddItemToArray(edits, te);
            cJSON_AddItemToArray(out, act);
            free(word);
        }
    }
    return out;
}
