/* print.c — the canonical source printer and the AST dump (print.h). */
#include "print.h"
#include <stdint.h>
#include <string.h>

/* ---------------- canonical source ---------------- */

/* Binding levels, loosest first; an operand is parenthesised when its level is below the
 * level its position requires. RANGE is a `choice lo .. hi` (it takes the longest hi). */
enum { L_RANGE, L_SPLIT, L_PIPE, L_OR, L_AND, L_NOT, L_CMP, L_ADD, L_MUL, L_NEG, L_POSTFIX, L_PRIMARY };

static int binop_level(int op)
{
    switch (op) {
    case OP_OR: return L_OR;
    case OP_AND: return L_AND;
    case OP_ADD:
    case OP_SUB: return L_ADD;
    case OP_MUL:
    case OP_DIV: return L_MUL;
    default: return L_CMP;
    }
}

static int level_of(const Node *n)
{
    switch (n->kind) {
    case N_SPLIT: return L_SPLIT;
    case N_PIPE: return L_PIPE;
    case N_BINARY: return binop_level(n->binary.op);
    case N_UNARY: return n->unary.op == OP_NOT ? L_NOT : L_NEG;
    case N_CALL:
    case N_MEMBER:
    case N_INDEX: return L_POSTFIX;
    case N_CHOICE: return n->choice.form == CHOICE_RANGE ? L_RANGE : L_PRIMARY;
    default: return L_PRIMARY;
    }
}

typedef struct Out {
    FILE *f;
    int indent;
    const AstFile *file; /* its comments are printed where they stand (NULL: none) */
    const char *text;    /* the source the comments' locations point into */
    int len;             /* its length */
    int next;            /* the next comment to print */
} Out;

static void expr(Out *o, const Node *n, int need);

static void ind(Out *o)
{
    for (int i = 0; i < o->indent; i++) fputs("    ", o->f);
}

static const AstComment *pending(const Out *o, int before)
{
    const AstComment *c = o->file && o->next < o->file->ncomments ? &o->file->comments[o->next] : NULL;
    return c && c->loc.begin < before ? c : NULL;
}

static void comment_text(Out *o, const AstComment *c)
{
    fwrite(o->text + c->loc.begin, 1, (size_t)(c->loc.end - c->loc.begin), o->f);
    o->next++;
}

/* The comments before source offset `before`, each on its own line at the indentation. */
static void comments_before(Out *o, int before)
{
    for (const AstComment *c; (c = pending(o, before));) {
        ind(o);
        comment_text(o, c);
        fputc('\n', o->f);
    }
}

/* Ends the line of node n: a comment after it on its last line stays there; comments inside
 * it (between the tokens of a multi-line expression) follow it on lines of their own. */
static void end_line(Out *o, const Node *n)
{
    const AstComment *c = pending(o, n->loc.end + 1);
    if (!c) {
        for (int p = n->loc.end; o->file && p < o->len && o->text[p] != '\n'; p++) {
            if (o->text[p] == ' ' || o->text[p] == '\t') continue;
            c = pending(o, p + 1);
            break;
        }
    }
    if (c && !c->own_line && c->loc.line == n->loc.end_line && c->loc.begin >= n->loc.end) {
        fputc(' ', o->f);
        comment_text(o, c);
    }
    fputc('\n', o->f);
    comments_before(o, n->loc.end);
}

/* A blank line in the source between the end of prev and the start of n (or its comments). */
static bool blank_between(const Out *o, const Node *prev, const Node *n)
{
    if (!o->file || !prev) return false;
    int stop = n->loc.begin;
    const AstComment *c = pending(o, stop);
    if (c) stop = c->loc.begin;
    int newlines = 0;
    for (int p = prev->loc.end; p < stop; p++) {
        if (o->text[p] == '\n') newlines++;
        else if (o->text[p] != ' ' && o->text[p] != '\t' && o->text[p] != '\r') newlines = 0;
        if (newlines >= 2) return true;
    }
    return false;
}

static void string_lit(FILE *f, const char *s, int len)
{
    fputc('"', f);
    for (int i = 0; i < len; i++) {
        switch (s[i]) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        default: fputc(s[i], f);
        }
    }
    fputc('"', f);
}

static void expr_list(Out *o, const NodeList *l)
{
    for (int i = 0; i < l->count; i++) {
        if (i) fputs(", ", o->f);
        expr(o, l->items[i], L_RANGE);
    }
}

static void bracket_list(Out *o, const NodeList *l)
{
    fputc('[', o->f);
    expr_list(o, l);
    fputc(']', o->f);
}

static void args(Out *o, const NodeList *l)
{
    fputc('(', o->f);
    for (int i = 0; i < l->count; i++) {
        const Node *a = l->items[i];
        if (i) fputs(", ", o->f);
        if (a->kind == N_ARG && a->arg.name) fprintf(o->f, "%s = ", a->arg.name);
        expr(o, a->kind == N_ARG ? a->arg.value : a, L_RANGE);
    }
    fputc(')', o->f);
}

static bool starts_with_list(const Node *n)
{
    switch (n->kind) {
    case N_LIST: return true;
    case N_BINARY: return starts_with_list(n->binary.lhs);
    case N_PIPE: return starts_with_list(n->pipe.lhs);
    case N_SPLIT: return starts_with_list(n->split.data);
    case N_CALL: return starts_with_list(n->call.callee);
    case N_MEMBER: return starts_with_list(n->member.object);
    case N_INDEX: return starts_with_list(n->index.object);
    default: return false;
    }
}

/* Whether n's text starts with a name followed by '(' (`f(2)`, `f(1).x`). */
static bool starts_with_name_call(const Node *n)
{
    bool call = false;
    for (;;) {
        if (n->kind == N_CALL) {
            call = true;
            n = n->call.callee;
        } else if (n->kind == N_MEMBER || n->kind == N_INDEX) {
            call = false;
            n = n->kind == N_MEMBER ? n->member.object : n->index.object;
        } else return n->kind == N_NAME && call;
    }
}

/* The bound after `choice` (range low end, subset size), parenthesised where the grammar
 * would read it otherwise (grammar/README.md, conflict 4): after a decision's name anything
 * but a postfix expression; without a name, anything with an operator (`choice (a - 1) ..`
 * is not a decision named a) and a call of a name (`choice (f(2)) ..` is not named f). */
static void bound(Out *o, const Node *n, bool named)
{
    bool paren =
        starts_with_list(n) || (named ? level_of(n) < L_POSTFIX : level_of(n) < L_NEG || starts_with_name_call(n));
    if (paren) fputc('(', o->f);
    expr(o, n, paren ? L_RANGE : L_SPLIT);
    if (paren) fputc(')', o->f);
}

static void choice(Out *o, const Node *n)
{
    fputs("choice ", o->f);
    if (n->choice.name) fprintf(o->f, "%s ", n->choice.name);
    switch (n->choice.form) {
    case CHOICE_LIST:
        if (n->choice.list_ref) expr(o, n->choice.list_ref, L_SPLIT);
        else bracket_list(o, &n->choice.items);
        break;
    case CHOICE_BOOL: fputs("bool", o->f); break;
    case CHOICE_SUBSET:
        bound(o, n->choice.k, n->choice.name != NULL);
        fputs(" of ", o->f);
        bracket_list(o, &n->choice.items);
        break;
    case CHOICE_RANGE:
        bound(o, n->choice.lo, n->choice.name != NULL);
        fputs(" .. ", o->f);
        expr(o, n->choice.hi, L_SPLIT);
        if (n->choice.step) {
            fputs(" step ", o->f);
            expr(o, n->choice.step, L_SPLIT);
        }
        if (n->choice.log) fputs(" log", o->f);
        break;
    }
}

static void expr(Out *o, const Node *n, int need)
{
    bool paren = level_of(n) < need;
    if (paren) fputc('(', o->f);
    switch (n->kind) {
    case N_INT:
    case N_FLOAT:
    case N_QUANTITY:
        if (n->num.text) fputs(n->num.text, o->f);
        else if (n->kind == N_INT) fprintf(o->f, "%lld", (long long)n->num.i);
        else fprintf(o->f, "%.17g", n->num.f);
        break;
    case N_BOOL: fputs(n->num.i ? "true" : "false", o->f); break;
    case N_STRING: string_lit(o->f, n->str.value, n->str.len); break;
    case N_NAME: fputs(n->name.id, o->f); break;
    case N_LIST: bracket_list(o, &n->list.items); break;
    case N_CALL:
        expr(o, n->call.callee, L_POSTFIX);
        args(o, &n->call.args);
        break;
    case N_MEMBER:
        expr(o, n->member.object, L_POSTFIX);
        fprintf(o->f, ".%s", n->member.field);
        break;
    case N_INDEX:
        expr(o, n->index.object, L_POSTFIX);
        fputc('[', o->f);
        expr(o, n->index.index, 0);
        fputc(']', o->f);
        break;
    case N_UNARY:
        if (n->unary.op == OP_NOT) {
            fputs("not ", o->f);
            expr(o, n->unary.operand, L_NOT);
        } else {
            const Node *x = n->unary.operand;
            bool neg = x->kind == N_UNARY && x->unary.op != OP_NOT;
            fputs(neg ? "- " : "-", o->f); /* "--x" would read the same, but looks like a typo */
            expr(o, x, L_NEG);
        }
        break;
    case N_BINARY: {
        int lv = binop_level(n->binary.op);
        expr(o, n->binary.lhs, lv == L_CMP ? lv + 1 : lv);
        fprintf(o->f, " %s ", ast_op_text(n->binary.op));
        expr(o, n->binary.rhs, lv + 1);
        break;
    }
    case N_PIPE:
        expr(o, n->pipe.lhs, L_PIPE);
        fputs(" |> ", o->f);
        expr(o, n->pipe.rhs, L_PIPE + 1);
        break;
    case N_SPLIT:
        expr(o, n->split.data, L_SPLIT);
        fputs(" split ", o->f);
        expr(o, n->split.ratio, L_SPLIT + 1);
        break;
    case N_CHOICE: choice(o, n); break;
    case N_ONEOF:
        fputs("oneof ", o->f);
        if (n->oneof.name) fprintf(o->f, "%s ", n->oneof.name);
        bracket_list(o, &n->oneof.alts);
        break;
    case N_ARG:
        if (n->arg.name) fprintf(o->f, "%s = ", n->arg.name);
        expr(o, n->arg.value, L_RANGE);
        break;
    default: fprintf(o->f, "<%s>", ast_kind_name(n->kind)); break;
    }
    if (paren) fputc(')', o->f);
}

static void type(Out *o, const Node *t)
{
    fputs(t->texpr.name, o->f);
    if (t->texpr.has_dims) bracket_list(o, &t->texpr.dims);
}

static void stmts(Out *o, const NodeList *l);

/* A braced body that closes at source offset `end` (its '}'): comments before it stay inside. */
static void body(Out *o, const NodeList *l, int end)
{
    fputs("{\n", o->f);
    o->indent++;
    stmts(o, l);
    comments_before(o, end);
    o->indent--;
    ind(o);
    fputc('}', o->f);
}

static void if_stmt(Out *o, const Node *n)
{
    fputs("if ", o->f);
    expr(o, n->if_.cond, L_RANGE);
    fputc(' ', o->f);
    /* the then-body closes before the else's first statement, or at the if's end */
    int then_end = n->if_.has_else && n->if_.els.count ? n->if_.els.items[0]->loc.begin : n->loc.end;
    body(o, &n->if_.then, then_end);
    if (!n->if_.has_else) return;
    fputs(" else ", o->f);
    if (n->if_.els.count == 1 && n->if_.els.items[0]->kind == N_IF) if_stmt(o, n->if_.els.items[0]);
    else body(o, &n->if_.els, n->loc.end);
}

static void stmt(Out *o, const Node *n)
{
    ind(o);
    switch (n->kind) {
    case N_LET:
        fprintf(o->f, "let %s = ", n->let.name);
        expr(o, n->let.value, L_RANGE);
        break;
    case N_ASSIGN:
        fprintf(o->f, "%s = ", n->assign.name);
        expr(o, n->assign.value, L_RANGE);
        break;
    case N_RETURN:
        fputs("return ", o->f);
        expr(o, n->ret.value, L_RANGE);
        break;
    case N_REPEAT:
        fputs("repeat ", o->f);
        expr(o, n->repeat.count, L_RANGE);
        fputc(' ', o->f);
        body(o, &n->repeat.body, n->loc.end);
        break;
    case N_IF: if_stmt(o, n); break;
    default: fprintf(o->f, "<%s>", ast_kind_name(n->kind)); break;
    }
    end_line(o, n);
}

static void stmts(Out *o, const NodeList *l)
{
    for (int i = 0; i < l->count; i++) {
        if (i && blank_between(o, l->items[i - 1], l->items[i])) fputc('\n', o->f);
        comments_before(o, l->items[i]->loc.begin);
        stmt(o, l->items[i]);
    }
}

/* `key value`; the values of a declaration's settings start in one column (width: its
 * longest key). */
/* The width of an item's head in that column: `key`, `key when`, `from`. */
static int head_width(const Node *n)
{
    return n->kind == N_SETTING ? (int)strlen(n->setting.key) + (n->setting.when ? 5 : 0) : n->kind == N_FROM ? 4 : 0;
}

static void pad(Out *o, const Node *n, int width)
{
    for (int i = head_width(n); i < width; i++) fputc(' ', o->f);
}

static void setting_line(Out *o, const Node *n, int width)
{
    fputs(n->setting.key, o->f);
    if (n->setting.when) fputs(" when", o->f);
    pad(o, n, width);
    fputc(' ', o->f);
    expr_list(o, &n->setting.values);
}

static void item(Out *o, const Node *n, int width)
{
    ind(o);
    switch (n->kind) {
    case N_SETTING: setting_line(o, n, width); break;
    case N_OBJECTIVE:
        fputs(n->objective.maximize ? "maximize " : "minimize ", o->f);
        expr(o, n->objective.metric, L_RANGE);
        if (n->objective.ref) {
            fputs(" ref ", o->f);
            expr(o, n->objective.ref, L_RANGE);
        }
        break;
    case N_CONSTRAINT:
        fputs("subject to ", o->f);
        expr(o, n->constraint.cond, L_RANGE);
        if (n->constraint.hard) fputs(" hard", o->f);
        else if (n->constraint.is_soft) {
            fputs(" soft", o->f);
            if (n->constraint.soft.count) args(o, &n->constraint.soft);
        }
        break;
    case N_FROM:
        fputs("from", o->f);
        pad(o, n, width);
        fprintf(o->f, " %s top ", n->from.stage);
        expr(o, n->from.top, L_RANGE);
        break;
    default: fprintf(o->f, "<%s>", ast_kind_name(n->kind)); break;
    }
    end_line(o, n);
}

static void params(Out *o, const NodeList *l)
{
    fputc('(', o->f);
    for (int i = 0; i < l->count; i++) {
        const Node *p = l->items[i];
        if (i) fputs(", ", o->f);
        fprintf(o->f, "%s: ", p->param.name);
        type(o, p->param.type);
        if (p->param.dflt) {
            fputs(" = ", o->f);
            expr(o, p->param.dflt, L_RANGE);
        }
    }
    fputc(')', o->f);
}

static bool one_line_trainer(const Node *n)
{
    return n->kind == N_TRAINER && !n->decl.name && n->decl.items.count == 1 &&
           n->decl.items.items[0]->kind == N_SETTING && !n->decl.items.items[0]->setting.when;
}

static bool single_line(const Node *n)
{
    return n->kind == N_USE || n->kind == N_LET || n->kind == N_EXTERN || one_line_trainer(n);
}

static void decl(Out *o, const Node *n)
{
    switch (n->kind) {
    case N_USE:
        fputs("use ", o->f);
        if (n->use.is_file) string_lit(o->f, n->use.path, (int)strlen(n->use.path));
        else fputs(n->use.path, o->f);
        break;
    case N_LET:
        fprintf(o->f, "let %s = ", n->let.name);
        expr(o, n->let.value, L_RANGE);
        break;
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL:
        fputs(n->kind == N_EXTERN  ? (n->fndef.is_fn ? "extern fn " : "extern block ")
              : n->kind == N_BLOCK ? "block "
                                   : "model ",
              o->f);
        fputs(n->fndef.name, o->f);
        params(o, &n->fndef.params);
        if (n->fndef.result) {
            fputs(" -> ", o->f);
            type(o, n->fndef.result);
        }
        if (n->kind != N_EXTERN) {
            fputc(' ', o->f);
            body(o, &n->fndef.body, n->loc.end);
        }
        break;
    default:
        fputs(ast_kind_name(n->kind), o->f);
        if (one_line_trainer(n)) {
            fputc(' ', o->f);
            setting_line(o, n->decl.items.items[0], 0);
            break;
        }
        if (n->decl.name) fprintf(o->f, " %s", n->decl.name);
        fputs(" {\n", o->f);
        o->indent++;
        int width = 0;
        for (int i = 0; i < n->decl.items.count; i++) {
            int w = head_width(n->decl.items.items[i]);
            width = w > width ? w : width;
        }
        for (int i = 0; i < n->decl.items.count; i++) {
            const Node *it = n->decl.items.items[i];
            if (i && blank_between(o, n->decl.items.items[i - 1], it)) fputc('\n', o->f);
            comments_before(o, it->loc.begin);
            item(o, it, width);
        }
        comments_before(o, n->loc.end);
        o->indent--;
        fputc('}', o->f);
        break;
    }
    end_line(o, n);
}

void print_source(FILE *out, const AstFile *f, const char *text)
{
    Out o = {out, 0, text ? f : NULL, text, text ? (int)strlen(text) : 0, 0};
    for (int i = 0; i < f->decls.count; i++) {
        const Node *n = f->decls.items[i];
        /* A blank line between declarations, except within a run of one-line ones of a kind
         * (and where the source has one). */
        if (i > 0) {
            const Node *prev = f->decls.items[i - 1];
            if (!(single_line(n) && single_line(prev) && n->kind == prev->kind) || blank_between(&o, prev, n))
                fputc('\n', out);
        }
        comments_before(&o, n->loc.begin);
        decl(&o, n);
    }
    comments_before(&o, INT32_MAX);
}

/* ---------------- AST dump ---------------- */

typedef struct Dump {
    FILE *f;
    const Diag *d;
    bool locs;
} Dump;

static void dump_node(Dump *D, const Node *n, int depth, const char *label);

static void dump_loc(Dump *D, Loc l)
{
    if (D->locs) fprintf(D->f, " @%d:%d-%d:%d", l.line, l.col, l.end_line, l.end_col);
}

static void dump_list(Dump *D, const NodeList *l, int depth, const char *label)
{
    fprintf(D->f, "%*s%s: (%d)\n", depth * 2, "", label, l->count);
    for (int i = 0; i < l->count; i++) dump_node(D, l->items[i], depth + 1, NULL);
}

static void dump_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("-", f);
        return;
    }
    string_lit(f, s, (int)strlen(s));
}

static const char *dim_name(UnitDim d)
{
    static const char *const names[] = {"none", "time", "memory", "ratio", "count"};
    return d >= DIM_NONE && d <= DIM_COUNT ? names[d] : "?";
}

static void dump_node(Dump *D, const Node *n, int depth, const char *label)
{
    FILE *f = D->f;
    fprintf(f, "%*s", depth * 2, "");
    if (label) fprintf(f, "%s: ", label);
    if (!n) {
        fputs("-\n", f);
        return;
    }
    fputs(ast_kind_name(n->kind), f);
    int c = depth + 1;
    switch (n->kind) {
    case N_USE:
        fputc(' ', f);
        dump_str(f, n->use.path);
        fputs(n->use.is_file ? " file" : " std", f);
        dump_loc(D, n->loc);
        fputc('\n', f);
        break;
    case N_EXTERN:
    case N_BLOCK:
    case N_MODEL:
        fprintf(f, " %s%s", n->fndef.name, n->kind == N_EXTERN ? (n->fndef.is_fn ? " fn" : " block") : "");
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_list(D, &n->fndef.params, c, "params");
        dump_node(D, n->fndef.result, c, "result");
        if (n->kind != N_EXTERN) dump_list(D, &n->fndef.body, c, "body");
        break;
    case N_DATASET:
    case N_REWARD:
    case N_CONTROLLER:
    case N_SEARCH:
    case N_TRAIN:
    case N_PROXY:
    case N_TUNE:
    case N_TRAINER:
        fprintf(f, " %s", n->decl.name ? n->decl.name : "-");
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_list(D, &n->decl.items, c, "items");
        break;
    case N_LET:
        fprintf(f, " %s", n->let.name);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->let.value, c, "value");
        break;
    case N_SETTING:
        fprintf(f, " %s%s", n->setting.key, n->setting.when ? " when" : "");
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_list(D, &n->setting.values, c, "values");
        break;
    case N_OBJECTIVE:
        fputs(n->objective.maximize ? " maximize" : " minimize", f);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->objective.metric, c, "metric");
        dump_node(D, n->objective.ref, c, "ref");
        break;
    case N_CONSTRAINT:
        fputs(n->constraint.hard ? " hard" : n->constraint.is_soft ? " soft" : "", f);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->constraint.cond, c, "cond");
        dump_list(D, &n->constraint.soft, c, "soft");
        break;
    case N_FROM:
        fprintf(f, " %s", n->from.stage);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->from.top, c, "top");
        break;
    case N_ASSIGN:
        fprintf(f, " %s", n->assign.name);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->assign.value, c, "value");
        break;
    case N_RETURN:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->ret.value, c, "value");
        break;
    case N_REPEAT:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->repeat.count, c, "count");
        dump_list(D, &n->repeat.body, c, "body");
        break;
    case N_IF:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->if_.cond, c, "cond");
        dump_list(D, &n->if_.then, c, "then");
        if (n->if_.has_else) dump_list(D, &n->if_.els, c, "else");
        break;
    case N_INT:
    case N_FLOAT:
    case N_QUANTITY:
    case N_BOOL:
        fprintf(f, " i=%lld f=%.17g", (long long)n->num.i, n->num.f);
        if (n->kind == N_QUANTITY) fprintf(f, " unit=%s dim=%s", n->num.unit ? n->num.unit : "-", dim_name(n->num.dim));
        dump_loc(D, n->loc);
        fputc('\n', f);
        break;
    case N_STRING:
        fputc(' ', f);
        string_lit(f, n->str.value, n->str.len);
        dump_loc(D, n->loc);
        fputc('\n', f);
        break;
    case N_NAME:
        fprintf(f, " %s", n->name.id);
        dump_loc(D, n->loc);
        fputc('\n', f);
        break;
    case N_LIST:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_list(D, &n->list.items, c, "items");
        break;
    case N_CALL:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->call.callee, c, "callee");
        dump_list(D, &n->call.args, c, "args");
        break;
    case N_ARG:
        fprintf(f, " %s", n->arg.name ? n->arg.name : "-");
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->arg.value, c, "value");
        break;
    case N_MEMBER:
        fprintf(f, " .%s", n->member.field);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->member.object, c, "object");
        break;
    case N_INDEX:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->index.object, c, "object");
        dump_node(D, n->index.index, c, "index");
        break;
    case N_UNARY:
        fprintf(f, " %s", ast_op_text(n->unary.op));
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->unary.operand, c, "operand");
        break;
    case N_BINARY:
        fprintf(f, " %s", ast_op_text(n->binary.op));
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->binary.lhs, c, "lhs");
        dump_node(D, n->binary.rhs, c, "rhs");
        break;
    case N_PIPE:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->pipe.lhs, c, "lhs");
        dump_node(D, n->pipe.rhs, c, "rhs");
        break;
    case N_SPLIT:
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->split.data, c, "data");
        dump_node(D, n->split.ratio, c, "ratio");
        break;
    case N_CHOICE: {
        static const char *const forms[] = {"list", "range", "bool", "subset"};
        fprintf(f, " %s %s%s", forms[n->choice.form], n->choice.name ? n->choice.name : "-",
                n->choice.log ? " log" : "");
        dump_loc(D, n->loc);
        fputc('\n', f);
        if (n->choice.list_ref) dump_node(D, n->choice.list_ref, c, "list");
        else if (n->choice.form == CHOICE_LIST || n->choice.form == CHOICE_SUBSET)
            dump_list(D, &n->choice.items, c, "items");
        if (n->choice.form == CHOICE_SUBSET) dump_node(D, n->choice.k, c, "k");
        if (n->choice.form == CHOICE_RANGE) {
            dump_node(D, n->choice.lo, c, "lo");
            dump_node(D, n->choice.hi, c, "hi");
            dump_node(D, n->choice.step, c, "step");
        }
        break;
    }
    case N_ONEOF:
        fprintf(f, " %s", n->oneof.name ? n->oneof.name : "-");
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_list(D, &n->oneof.alts, c, "alts");
        break;
    case N_PARAM:
        fprintf(f, " %s", n->param.name);
        dump_loc(D, n->loc);
        fputc('\n', f);
        dump_node(D, n->param.type, c, "type");
        dump_node(D, n->param.dflt, c, "default");
        break;
    case N_TYPE:
        fprintf(f, " %s", n->texpr.name);
        dump_loc(D, n->loc);
        fputc('\n', f);
        if (n->texpr.has_dims) dump_list(D, &n->texpr.dims, c, "dims");
        break;
    }
}

void print_ast(FILE *out, const Diag *d, const AstFile *f, bool locations)
{
    Dump D = {out, d, locations};
    const char *path = d && f->file >= 0 && f->file < d->nfiles ? d->files[f->file].path : "-";
    fprintf(out, "file %s (%d declarations)\n", locations ? path : "-", f->decls.count);
    for (int i = 0; i < f->decls.count; i++) dump_node(&D, f->decls.items[i], 1, NULL);
}

char *print_to_string(const Diag *d, const AstFile *f, bool source)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) return NULL;
    if (source) print_source(out, f, NULL); /* the program without its comments: an experiment's identity */
    else print_ast(out, d, f, false);
    fclose(out);
    return buf;
}
