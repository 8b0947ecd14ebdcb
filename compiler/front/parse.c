/* parse.c — glue between the generated scanner and parser: parse_file, the token stream
 * with push-back, friendly syntax-error messages and brace-aware error resynchronisation. */
#include "parse.h"
#include <string.h>
#include "parse_int.h"
#include "nas.lex.h"

int yyparse(ParseState *ps);

static int raw_token(ParseState *ps, YYSTYPE *lval, Loc *lloc)
{
    int kind = ps->at_eof ? 0 : naslexlex(lval, lloc, ps->scanner);
    if (kind == 0 && ps->cur.kind == 0 && ps->at_eof) *lloc = ps->cur.loc; /* asked again */
    else if (kind == 0) { /* end of file is reported just after the last token (1:1 if none) */ ps->at_eof = true;
        const Loc *last = ps->cur.loc.end > 0 ? &ps->cur.loc : NULL;
        *lloc = last ? (Loc){ps->file,          last->end_line, last->end_col + 1, last->end_line,
                             last->end_col + 1, last->end,      last->end}
                     : (Loc){ps->file, 1, 1, 1, 1, 0, 0};
    }
    ParseTok *t = &ps->cur;
    ps->prev_kind = t->kind;
    t->kind = kind;
    t->val = *lval;
    t->loc = *lloc;
    t->depth = ps->depth;
    t->line_start = lloc->line > ps->last_line;
    ps->last_line = lloc->end_line;
    if (ps->depth == 0 && kind >= USE && kind <= LET) ps->decl_kind = kind;
    if (kind == '{') {
        if (ps->depth < (int)(sizeof ps->open / sizeof ps->open[0])) ps->open[ps->depth] = *lloc;
        ps->depth++;
    } else if (kind == '}' && ps->depth > 0) ps->depth--;
    return kind;
}

int parse_next_token(ParseState *ps, YYSTYPE *lval, Loc *lloc)
{
    if (ps->pushed) {
        ps->pushed = false;
        *lval = ps->cur.val;
        *lloc = ps->cur.loc;
        return ps->cur.kind;
    }
    return raw_token(ps, lval, lloc);
}

static bool is_decl_start(int kind)
{
    switch (kind) {
    case USE:
    case EXTERN:
    case DATASET:
    case LET:
    case BLOCK:
    case MODEL:
    case REWARD:
    case CONTROLLER:
    case SEARCH:
    case TRAIN:
    case PROXY:
    case TUNE:
    case TRAINER: return true;
    }
    return false;
}

/* A token the parser can restart from at the given level, inside the body at depth. */
static bool is_sync(const ParseTok *t, int level, int depth)
{
    if (t->kind == 0) return true;
    if (t->depth != depth) return false;
    if (t->kind == ';' || (t->kind == '}' && level != SYNC_DECL)) return true;
    /* Otherwise only the first token of a line: `let model = 3` must not restart at `model`. */
    if (!t->line_start) return false;
    if (level == SYNC_DECL) return is_decl_start(t->kind);
    if (t->kind == IDENT) return true;
    if (level == SYNC_STMT) return t->kind == LET || t->kind == RETURN || t->kind == REPEAT || t->kind == IF;
    return t->kind == MAXIMIZE || t->kind == MINIMIZE || t->kind == SUBJECT || t->kind == FROM;
}

bool parse_recover(ParseState *ps, int level, int lookahead)
{
    int depth = level == SYNC_DECL ? 0 : lookahead != YYEMPTY ? ps->cur.depth : ps->depth;
    bool reuse = lookahead != YYEMPTY && ps->cur.loc.begin != ps->last_sync && is_sync(&ps->cur, level, depth);
    if (!reuse) {
        YYSTYPE v;
        Loc l;
        do raw_token(ps, &v, &l);
        while (!is_sync(&ps->cur, level, depth));
    }
    ps->pushed = true;
    ps->last_sync = ps->cur.loc.begin;
    /* At end of file the parser gets no second chance: a missing '}' is not re-reported. */
    return ps->cur.kind != 0;
}

/* The text of the offending token, as written (clipped to one line and 32 bytes). */
static const char *found_text(ParseState *ps)
{
    const ParseTok *t = &ps->cur;
    if (t->kind == 0) return "end of file";
    int b = t->loc.begin, e = t->loc.end;
    if (b < 0 || e > ps->len || b >= e) return "this token";
    int n = e - b;
    const char *nl = memchr(ps->text + b, '\n', (size_t)n);
    if (nl) n = (int)(nl - (ps->text + b));
    bool cut = n > 32;
    if (cut) { /* not in the middle of a UTF-8 sequence */
        n = 32;
        while (n > 0 && ((unsigned char)ps->text[b + n] & 0xC0) == 0x80) n--;
    }
    if (t->kind >= USE && t->kind <= REF) return arena_printf(ps->a, "keyword '%.*s'", n, ps->text + b);
    return arena_printf(ps->a, "'%.*s%s'", n, ps->text + b, cut ? "..." : "");
}

/* Bison's expected-token names: char literals come quoted, categories are words (given an
 * article), the rest (keywords, operators) get quotes here. */
static void append_expected(char *out, size_t cap, const char *name, int len)
{
    static const char *const words[][2] = {{"name", "a name"},     {"integer", "an integer"},
                                           {"number", "a number"}, {"quantity", "a quantity"},
                                           {"string", "a string"}, {"end of file", "end of file"}};
    size_t used = strlen(out);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if ((int)strlen(words[i][0]) == len && memcmp(words[i][0], name, (size_t)len) == 0) {
            snprintf(out + used, cap - used, "%s", words[i][1]);
            return;
        }
    if (name[0] == '\'') snprintf(out + used, cap - used, "%.*s", len, name);
    else snprintf(out + used, cap - used, "'%.*s'", len, name);
}

/* Token classes for the messages bison cannot list: what ends an operand, what starts one,
 * and what must be followed by one. */
static bool ends_operand(int k)
{
    return k == IDENT || k == INT || k == FLOAT || k == QUANTITY || k == STRING || k == TRUE || k == FALSE ||
           k == ')' || k == ']';
}
static bool starts_operand(int k)
{
    return k == IDENT || k == INT || k == FLOAT || k == QUANTITY || k == STRING || k == TRUE || k == FALSE ||
           k == '(' || k == '[' || k == CHOICE || k == ONEOF || k == NOT;
}
static bool wants_operand(int k)
{
    switch (k) {
    case '=':
    case '+':
    case '-':
    case '*':
    case '/':
    case '<':
    case '>':
    case EQ:
    case NE:
    case LE:
    case GE:
    case AND:
    case OR:
    case NOT:
    case PIPE:
    case SPLIT:
    case DOTDOT:
    case ',':
    case '(':
    case '[':
    case RETURN:
    case REPEAT:
    case IF:
    case WHEN:
    case TO:
    case REF:
    case TOP:
    case STEP:
    case OF:
    case MAXIMIZE:
    case MINIMIZE: return true;
    }
    return false;
}

void parse_syntax_error(ParseState *ps, const Loc *loc, const char *msg)
{
    if (strstr(msg, "memory exhausted")) {
        diag_error(ps->d, NAS0202, *loc, "nesting too deep: the parser gives up at this point");
        return;
    }
    if (ps->cur.kind == LEXERROR) return; /* the scanner already said what is wrong */
    const char *found = found_text(ps);
    int k = ps->cur.kind;
    /* `epochs = 1`, `batch: 128` in a declaration of settings. */
    bool settings = ps->decl_kind >= DATASET && ps->decl_kind <= TRAINER && ps->decl_kind != BLOCK &&
                    ps->decl_kind != MODEL && ps->decl_kind != FN;
    if ((k == '=' || k == ':') && ps->prev_kind == IDENT && ps->cur.depth > 0 && settings) {
        diag_error(ps->d, NAS0201, *loc,
                   "unexpected %s: a setting is written `name value`, without '=' or ':' "
                   "(for example `epochs 1`)",
                   found);
        return;
    }
    /* A declaration keyword at the start of a line inside braces: a '}' is missing above it. */
    if (ps->cur.line_start && ps->cur.depth > 0 && k != LET && is_decl_start(k)) {
        int e = diag_error(ps->d, NAS0201, *loc,
                           "unexpected %s inside another declaration: a '}' is missing "
                           "before it",
                           found);
        if (ps->cur.depth <= (int)(sizeof ps->open / sizeof ps->open[0]))
            diag_note(ps->d, e, ps->open[ps->cur.depth - 1], "this '{' is not closed");
        return;
    }
    const char *exp = strstr(msg, ", expecting ");
    if (!exp) {
        /* Too many possibilities for bison to list: say what is most likely missing. */
        if (ps->cur.kind == 0 && ps->depth > 0) {
            int e = diag_error(ps->d, NAS0201, *loc, "unexpected end of file: a '{' is never closed");
            if (ps->depth <= (int)(sizeof ps->open / sizeof ps->open[0]))
                diag_note(ps->d, e, ps->open[ps->depth - 1], "this '{' has no matching '}'");
        } else if (ends_operand(ps->prev_kind) && starts_operand(ps->cur.kind) && !ps->cur.line_start)
            diag_error(ps->d, NAS0201, *loc,
                       "unexpected %s: two expressions cannot stand side by side "
                       "(a ',' or an operator is missing)",
                       found);
        else if (wants_operand(ps->prev_kind))
            diag_error(ps->d, NAS0201, *loc, "expected an expression, found %s", found);
        else if (ps->cur.depth == 0 && ps->cur.line_start && ps->cur.kind != 0)
            diag_error(ps->d, NAS0201, *loc,
                       "unexpected %s: a declaration starts with use, extern, dataset, "
                       "let, block, model, reward, controller, search, train, proxy, tune or trainer",
                       found);
        else diag_error(ps->d, NAS0201, *loc, "unexpected %s", found);
        return;
    }
    exp += strlen(", expecting ");
    char list[512] = "";
    bool wants_name = false;
    for (int i = 0; *exp; i++) {
        const char *sep = strstr(exp, " or ");
        int len = sep ? (int)(sep - exp) : (int)strlen(exp);
        if (i > 0) strncat(list, sep ? ", " : " or ", sizeof list - strlen(list) - 1); /* a, b or c */
        append_expected(list, sizeof list, exp, len);
        wants_name |= len == 4 && memcmp(exp, "name", 4) == 0;
        exp += len + (sep ? 4 : 0);
    }
    if (wants_name && ps->cur.kind >= USE && ps->cur.kind <= REF)
        diag_error(ps->d, NAS0201, *loc, "expected %s, found %s (keywords cannot be used as names)", list, found);
    else diag_error(ps->d, NAS0201, *loc, "expected %s, found %s", list, found);
}

void parse_comment(ParseState *ps, Loc loc)
{
    AstFile *f = ps->out;
    if (f->ncomments == f->capcomments) {
        int cap = f->capcomments ? 2 * f->capcomments : 16;
        AstComment *c = ARENA_ARRAY(ps->a, AstComment, cap);
        if (f->ncomments) memcpy(c, f->comments, sizeof *c * (size_t)f->ncomments);
        f->comments = c;
        f->capcomments = cap;
    }
    int p = loc.begin;
    while (p > 0 && (ps->text[p - 1] == ' ' || ps->text[p - 1] == '\t')) p--;
    f->comments[f->ncomments++] = (AstComment){loc, p == 0 || ps->text[p - 1] == '\n'};
}

AstFile *parse_file(Arena *a, Diag *d, int file)
{
    AstFile *out = ARENA_NEW(a, AstFile);
    out->file = file;
    if (file < 0 || file >= d->nfiles) return out;
    const Source *src = &d->files[file];
    ParseState ps = {0};
    ps.a = a;
    ps.d = d;
    ps.file = file;
    ps.text = src->text;
    ps.len = src->len;
    ps.out = out;
    ps.line = ps.col = 1;
    ps.last_sync = -1;
    yyscan_t scanner;
    if (naslexlex_init_extra(&ps, &scanner) != 0) return out;
    ps.scanner = scanner;
    YY_BUFFER_STATE buf = naslex_scan_bytes(src->text, src->len, scanner);
    yyparse(&ps);
    naslex_delete_buffer(buf, scanner);
    naslexlex_destroy(scanner);
    return out;
}
