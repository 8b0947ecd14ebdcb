/* nas.y — the .nas grammar: a pure bison parser whose actions only build AST nodes (ast.h).
 * Conflicts are resolved by precedence declarations (%expect 0); grammar/README.md gives
 * the EBNF and explains each resolution. Errors: friendly messages (parse_syntax_error) and
 * brace-aware resynchronisation at declaration, statement and setting level (parse_recover). */
%code requires {
#include "ast.h"
#include "diag.h"
typedef struct ParseState ParseState;
}

%code {
#include <string.h>
#include "parse_int.h"

/* The token stream and error reporting live in compiler/front/parse.c. */
#define yylex(lval, lloc, ps) parse_next_token((ps), (lval), (lloc))
#define yyerror(loc, ps, msg) parse_syntax_error((ps), (loc), (msg))

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
    do {                                                                \
        if (N) {                                                        \
            (Cur) = YYRHSLOC(Rhs, 1);                                   \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                 \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                   \
            (Cur).end = YYRHSLOC(Rhs, N).end;                           \
        } else {                                                        \
            Loc prev_ = YYRHSLOC(Rhs, 0);                               \
            (Cur) = prev_;                                              \
            (Cur).line = prev_.end_line;                                \
            (Cur).col = prev_.end_col;                                  \
            (Cur).begin = prev_.end;                                    \
        }                                                               \
    } while (0)

#define NEW(kind, loc) ast_new(ps->a, (kind), (loc))
#define PUSH(list, n) ast_list_push(ps->a, &(list), (n))

/* Gives n the depth 1 + d; past AST_EXPR_DEPTH_MAX, one NAS0202 per file. */
static Node *deepen(ParseState *ps, Node *n, int d) {
    n->depth = d + 1;
    if (n->depth == AST_EXPR_DEPTH_MAX + 1 && !ps->too_deep) {
        ps->too_deep = true;
        Loc at = n->loc; /* the node's last character: the whole chain would be the whole line */
        at.line = at.end_line, at.col = at.end_col, at.begin = at.end > at.begin ? at.end - 1 : at.begin;
        diag_error(ps->d, NAS0202, at, "expression nested too deep: more than %d operators on one path "
                   "(a chain like `a + b + ...` counts each operator); split it with `let`", AST_EXPR_DEPTH_MAX);
    }
    return n;
}
static int depth2(const Node *l, const Node *r) {
    int a = l ? l->depth : 0, b = r ? r->depth : 0;
    return a > b ? a : b;
}
static int list_depth(NodeList l) {
    int d = 0;
    for (int i = 0; i < l.count; i++) if (l.items[i] && l.items[i]->depth > d) d = l.items[i]->depth;
    return d;
}
static Node *mk_binary(ParseState *ps, int op, Node *l, Node *r, Loc loc) {
    Node *n = NEW(N_BINARY, loc);
    n->binary.op = op; n->binary.lhs = l; n->binary.rhs = r;
    return deepen(ps, n, depth2(l, r));
}
static Node *mk_unary(ParseState *ps, int op, Node *e, Loc loc) {
    Node *n = NEW(N_UNARY, loc);
    n->unary.op = op; n->unary.operand = e;
    return deepen(ps, n, depth2(e, NULL));
}
static Node *mk_pipe(ParseState *ps, Node *l, Node *r, Loc loc) {
    Node *n = NEW(N_PIPE, loc);
    n->pipe.lhs = l; n->pipe.rhs = r;
    return deepen(ps, n, depth2(l, r));
}
static Node *mk_split(ParseState *ps, Node *data, Node *ratio, Loc loc) {
    Node *n = NEW(N_SPLIT, loc);
    n->split.data = data; n->split.ratio = ratio;
    return deepen(ps, n, depth2(data, ratio));
}
static Node *mk_name(ParseState *ps, const char *id, Loc loc) {
    Node *n = NEW(N_NAME, loc);
    n->name.id = id;
    return n;
}
static Node *mk_call(ParseState *ps, Node *callee, NodeList args, Loc loc) {
    Node *n = NEW(N_CALL, loc);
    n->call.callee = callee; n->call.args = args;
    int d = list_depth(args);
    return deepen(ps, n, callee->depth > d ? callee->depth : d);
}
static Node *mk_member(ParseState *ps, Node *obj, const char *field, Loc field_loc, Loc loc) {
    Node *n = NEW(N_MEMBER, loc);
    n->member.object = obj; n->member.field = field; n->member.field_loc = field_loc;
    return deepen(ps, n, depth2(obj, NULL));
}
static Node *mk_index(ParseState *ps, Node *obj, Node *index, Loc loc) {
    Node *n = NEW(N_INDEX, loc);
    n->index.object = obj; n->index.index = index;
    return deepen(ps, n, depth2(obj, index));
}
static Node *mk_bool(ParseState *ps, bool v, Loc loc) {
    Node *n = NEW(N_BOOL, loc);
    n->num.i = v;
    n->num.text = v ? "true" : "false";
    return n;
}
static Node *mk_list(ParseState *ps, NodeList items, Loc loc) {
    Node *n = NEW(N_LIST, loc);
    n->list.items = items;
    return deepen(ps, n, list_depth(items));
}
/* A decision; name may be NULL. */
static Node *mk_choice(ParseState *ps, ChoiceForm form, const char *name, Loc name_loc, Loc loc) {
    Node *n = NEW(N_CHOICE, loc);
    n->choice.form = form; n->choice.name = name; n->choice.name_loc = name_loc;
    return n;
}
static Node *mk_range(ParseState *ps, const char *name, Loc name_loc, Node *lo, Node *hi,
                      Node *tail, Loc loc) {
    Node *n = mk_choice(ps, CHOICE_RANGE, name, name_loc, loc);
    n->choice.lo = lo; n->choice.hi = hi;
    if (tail) { n->choice.step = tail->choice.step; n->choice.log = tail->choice.log; }
    return n;
}
/* `choice name ops`: the values are the list a `let ops = [...]` holds (sema fills items). */
static Node *mk_named_list(ParseState *ps, const char *name, Loc name_loc, Node *list, Loc loc) {
    Node *n = mk_choice(ps, CHOICE_LIST, name, name_loc, loc);
    if (list->kind != N_NAME)
        diag_error(ps->d, NAS0201, list->loc, "the values of `choice %s` are a list `[...]`, a range `lo .. hi`, "
                   "`bool`, `k of [...]` or the name of a `let` holding a list", name);
    n->choice.list_ref = list;
    return n;
}
static Node *mk_subset(ParseState *ps, const char *name, Loc name_loc, Node *k, Node *list, Loc loc) {
    Node *n = mk_choice(ps, CHOICE_SUBSET, name, name_loc, loc);
    n->choice.k = k; n->choice.items = list->list.items;
    return n;
}
static Node *mk_fndef(ParseState *ps, NodeKind kind, const char *name, Loc name_loc, NodeList params,
                      Node *result, Loc loc) {
    Node *n = NEW(kind, loc);
    n->fndef.name = name; n->fndef.name_loc = name_loc;
    n->fndef.params = params; n->fndef.result = result;
    return n;
}
static Node *mk_decl(ParseState *ps, NodeKind kind, const char *name, Loc name_loc, NodeList items, Loc loc) {
    Node *n = NEW(kind, loc);
    n->decl.name = name; n->decl.name_loc = name_loc; n->decl.items = items;
    return n;
}
static Node *mk_setting(ParseState *ps, const char *key, Loc key_loc, NodeList values, bool when, Loc loc) {
    Node *n = NEW(N_SETTING, loc);
    n->setting.key = key; n->setting.key_loc = key_loc; n->setting.values = values; n->setting.when = when;
    return n;
}
static Node *mk_objective(ParseState *ps, bool maximize, Node *metric, Node *ref, Loc loc) {
    Node *n = NEW(N_OBJECTIVE, loc);
    n->objective.maximize = maximize; n->objective.metric = metric; n->objective.ref = ref;
    return n;
}
static Node *mk_let(ParseState *ps, const char *name, Loc name_loc, Node *value, Loc loc) {
    Node *n = NEW(N_LET, loc);
    n->let.name = name; n->let.name_loc = name_loc; n->let.value = value;
    return n;
}
static Node *mk_if(ParseState *ps, Node *cond, NodeList then, NodeList els, bool has_else, Loc loc) {
    Node *n = NEW(N_IF, loc);
    n->if_.cond = cond; n->if_.then = then; n->if_.els = els; n->if_.has_else = has_else;
    return n;
}
static const NodeList no_nodes;
static const Loc no_loc;
}

%define api.pure full
%define api.location.type {Loc}
%define parse.error detailed
%locations
%expect 0
%parse-param {ParseState *ps}
%lex-param {ParseState *ps}

%initial-action {
    @$ = (Loc){ps->file, 1, 1, 1, 1, 0, 0};
}

%union {
    Node *node;
    NodeList list;
    const char *str;
}

%token <str> IDENT "name"
%token <node> INT "integer" FLOAT "number" QUANTITY "quantity" STRING "string"
%token USE "use" EXTERN "extern" DATASET "dataset" BLOCK "block" MODEL "model" FN "fn"
%token REWARD "reward" CONTROLLER "controller" SEARCH "search" TRAIN "train" PROXY "proxy" TUNE "tune"
%token TRAINER "trainer" LET "let" RETURN "return" CHOICE "choice" ONEOF "oneof"
%token REPEAT "repeat" IF "if" ELSE "else" OF "of" STEP "step" LOG "log" BOOL "bool"
%token TRUE "true" FALSE "false" AND "and" OR "or" NOT "not" MAXIMIZE "maximize"
%token MINIMIZE "minimize" SUBJECT "subject" TO "to" SOFT "soft" HARD "hard" SPLIT "split"
%token WHEN "when" FROM "from" TOP "top" REF "ref"
%token LEXERROR "invalid token"  /* a lexical error, already reported */
%token PIPE "|>" ARROW "->" DOTDOT ".." EQ "==" NE "!=" LE "<=" GE ">="

%type <node> decl fndecl body_decl item stmt if_stmt expr bexpr postfix bpostfix primary bprimary
%type <node> literal decision range_tail opt_ref param type opt_result arg list_lit use_path
%type <list> items stmts block params param_list args arg_list exprs opt_exprs values
%type <str> field keyword opt_name

/* Loosest first. RANGE_TAIL is below every operator so `choice lo .. hi` takes the longest
 * hi (and step) it can. NAME sits between '-' and '(': after `choice x`, a '-' continues the
 * expression x (`choice a - 1 .. 8`), a '(' starts the bound of a decision named x
 * (`choice n (-2) .. 2`; a call is never a valid bound). A '[' after a postfix indexes it
 * (`choice 1 .. n[0]` indexes n), as a call does. */
%precedence RANGE_TAIL
%precedence DOTDOT OF /* `choice w a .. b`, `choice s k of [..]`: not `choice w a` (a named list) */
%precedence STEP LOG
%left SPLIT
%left PIPE
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE
%left '+' '-'
%left '*' '/'
%precedence NEG
%precedence NAME
%precedence '(' '.' '['

%start file

%%

file:
    decls
    ;

decls:
    %empty
  | decls decl                  { PUSH(ps->out->decls, $2); }
  | decls ';'
  | decls error                 { bool ok_ = parse_recover(ps, SYNC_DECL, yychar); yyclearin; if (ok_) yyerrok; }
  ;

decl:
    USE use_path                { $$ = $2; $$->use.path_loc = @2; $$->loc = @$; }
  | LET IDENT '=' expr          { $$ = mk_let(ps, $2, @2, $4, @$); }
  | fndecl
  | body_decl
  ;

use_path:
    STRING                      { $$ = NEW(N_USE, @$); $$->use.path = $1->str.value; $$->use.is_file = true; }
  | IDENT                       { $$ = NEW(N_USE, @$); $$->use.path = $1; }
  | use_path '.' field          { $$ = $1; $$->use.path = arena_printf(ps->a, "%s.%s", $1->use.path, $3); $$->loc = @$; }
  ;

fndecl:
    EXTERN BLOCK IDENT '(' params ')' opt_result
                                { $$ = mk_fndef(ps, N_EXTERN, $3, @3, $5, $7, @$); $$->fndef.is_extern = true; }
  | EXTERN FN IDENT '(' params ')' opt_result
                                { $$ = mk_fndef(ps, N_EXTERN, $3, @3, $5, $7, @$);
                                  $$->fndef.is_extern = true; $$->fndef.is_fn = true; }
  | BLOCK IDENT '(' params ')' opt_result block
                                { $$ = mk_fndef(ps, N_BLOCK, $2, @2, $4, $6, @$); $$->fndef.body = $7; }
  | MODEL IDENT '(' params ')' opt_result block
                                { $$ = mk_fndef(ps, N_MODEL, $2, @2, $4, $6, @$); $$->fndef.body = $7; }
  ;

body_decl:
    DATASET IDENT '{' items '}'       { $$ = mk_decl(ps, N_DATASET, $2, @2, $4, @$); }
  | REWARD opt_name '{' items '}'     { $$ = mk_decl(ps, N_REWARD, $2, @2, $4, @$); }
  | CONTROLLER opt_name '{' items '}' { $$ = mk_decl(ps, N_CONTROLLER, $2, @2, $4, @$); }
  | SEARCH IDENT '{' items '}'        { $$ = mk_decl(ps, N_SEARCH, $2, @2, $4, @$); }
  | TRAIN IDENT '{' items '}'         { $$ = mk_decl(ps, N_TRAIN, $2, @2, $4, @$); }
  | PROXY IDENT '{' items '}'         { $$ = mk_decl(ps, N_PROXY, $2, @2, $4, @$); }
  | TUNE IDENT '{' items '}'          { $$ = mk_decl(ps, N_TUNE, $2, @2, $4, @$); }
  | TRAINER opt_name '{' items '}'    { $$ = mk_decl(ps, N_TRAINER, $2, @2, $4, @$); }
  | TRAINER IDENT values              { NodeList one = {0};
                                        PUSH(one, mk_setting(ps, $2, @2, $3, false, @$));
                                        $$ = mk_decl(ps, N_TRAINER, NULL, no_loc, one, @$); }
  ;

opt_name:
    %empty                      { $$ = NULL; }
  | IDENT
  ;

/* ---- settings, objectives, constraints ---- */

items:
    %empty                      { $$ = no_nodes; }
  | items item                  { $$ = $1; PUSH($$, $2); }
  | items ';'
  | items error                 { $$ = $1; bool ok_ = parse_recover(ps, SYNC_ITEM, yychar); yyclearin; if (ok_) yyerrok; }
  ;

item:
    IDENT values                { $$ = mk_setting(ps, $1, @1, $2, false, @$); }
  | IDENT WHEN expr             { NodeList v = {0}; PUSH(v, $3); $$ = mk_setting(ps, $1, @1, v, true, @$); }
  | MAXIMIZE expr opt_ref       { $$ = mk_objective(ps, true, $2, $3, @$); }
  | MINIMIZE expr opt_ref       { $$ = mk_objective(ps, false, $2, $3, @$); }
  | SUBJECT TO expr             { $$ = NEW(N_CONSTRAINT, @$); $$->constraint.cond = $3; }
  | SUBJECT TO expr HARD        { $$ = NEW(N_CONSTRAINT, @$); $$->constraint.cond = $3; $$->constraint.hard = true; }
  | SUBJECT TO expr SOFT        { $$ = NEW(N_CONSTRAINT, @$); $$->constraint.cond = $3; $$->constraint.is_soft = true; }
  | SUBJECT TO expr SOFT '(' args ')'
                                { $$ = NEW(N_CONSTRAINT, @$); $$->constraint.cond = $3;
                                  $$->constraint.is_soft = true; $$->constraint.soft = $6; }
  | FROM IDENT TOP expr         { $$ = NEW(N_FROM, @$); $$->from.stage = $2; $$->from.stage_loc = @2; $$->from.top = $4; }
  ;

values:
    expr                        { $$ = no_nodes; PUSH($$, $1); }
  | values ',' expr             { $$ = $1; PUSH($$, $3); }
  ;

opt_ref:
    %empty                      { $$ = NULL; }
  | REF expr                    { $$ = $2; }
  ;

/* ---- blocks, models, statements ---- */

params:
    %empty                      { $$ = no_nodes; }
  | param_list
  | param_list ','
  ;

param_list:
    param                       { $$ = no_nodes; PUSH($$, $1); }
  | param_list ',' param        { $$ = $1; PUSH($$, $3); }
  ;

param:
    IDENT ':' type              { $$ = NEW(N_PARAM, @$); $$->param.name = $1; $$->param.name_loc = @1; $$->param.type = $3; }
  | IDENT ':' type '=' expr     { $$ = NEW(N_PARAM, @$); $$->param.name = $1; $$->param.name_loc = @1;
                                  $$->param.type = $3; $$->param.dflt = $5; }
  ;

type:
    IDENT                       { $$ = NEW(N_TYPE, @$); $$->texpr.name = $1; }
  | BOOL                        { $$ = NEW(N_TYPE, @$); $$->texpr.name = "bool"; }
  | IDENT '[' opt_exprs ']'     { $$ = NEW(N_TYPE, @$); $$->texpr.name = $1; $$->texpr.dims = $3; $$->texpr.has_dims = true; }
  ;

opt_result:
    %empty                      { $$ = NULL; }
  | ARROW type                  { $$ = $2; }
  ;

block:
    '{' stmts '}'               { $$ = $2; }
  ;

stmts:
    %empty                      { $$ = no_nodes; }
  | stmts stmt                  { $$ = $1; PUSH($$, $2); }
  | stmts ';'
  | stmts error                 { $$ = $1; bool ok_ = parse_recover(ps, SYNC_STMT, yychar); yyclearin; if (ok_) yyerrok; }
  ;

stmt:
    LET IDENT '=' expr          { $$ = mk_let(ps, $2, @2, $4, @$); }
  | IDENT '=' expr              { $$ = NEW(N_ASSIGN, @$); $$->assign.name = $1; $$->assign.name_loc = @1; $$->assign.value = $3; }
  | RETURN expr                 { $$ = NEW(N_RETURN, @$); $$->ret.value = $2; }
  | REPEAT expr block           { $$ = NEW(N_REPEAT, @$); $$->repeat.count = $2; $$->repeat.body = $3; }
  | if_stmt
  ;

if_stmt:
    IF expr block               { $$ = mk_if(ps, $2, $3, no_nodes, false, @$); }
  | IF expr block ELSE block    { $$ = mk_if(ps, $2, $3, $5, true, @$); }
  | IF expr block ELSE if_stmt  { NodeList e = {0}; PUSH(e, $5); $$ = mk_if(ps, $2, $3, e, true, @$); }
  ;

/* ---- expressions ---- */

expr:
    expr SPLIT expr             { $$ = mk_split(ps, $1, $3, @$); }
  | expr PIPE expr              { $$ = mk_pipe(ps, $1, $3, @$); }
  | expr OR expr                { $$ = mk_binary(ps, OP_OR, $1, $3, @$); }
  | expr AND expr               { $$ = mk_binary(ps, OP_AND, $1, $3, @$); }
  | NOT expr                    { $$ = mk_unary(ps, OP_NOT, $2, @$); }
  | expr EQ expr                { $$ = mk_binary(ps, OP_EQ, $1, $3, @$); }
  | expr NE expr                { $$ = mk_binary(ps, OP_NE, $1, $3, @$); }
  | expr '<' expr               { $$ = mk_binary(ps, OP_LT, $1, $3, @$); }
  | expr LE expr                { $$ = mk_binary(ps, OP_LE, $1, $3, @$); }
  | expr '>' expr               { $$ = mk_binary(ps, OP_GT, $1, $3, @$); }
  | expr GE expr                { $$ = mk_binary(ps, OP_GE, $1, $3, @$); }
  | expr '+' expr               { $$ = mk_binary(ps, OP_ADD, $1, $3, @$); }
  | expr '-' expr               { $$ = mk_binary(ps, OP_SUB, $1, $3, @$); }
  | expr '*' expr               { $$ = mk_binary(ps, OP_MUL, $1, $3, @$); }
  | expr '/' expr               { $$ = mk_binary(ps, OP_DIV, $1, $3, @$); }
  | '-' expr %prec NEG          { $$ = mk_unary(ps, '-', $2, @$); }
  | postfix %prec RANGE_TAIL
  ;

postfix:
    primary
  | postfix '(' args ')'        { $$ = mk_call(ps, $1, $3, @$); }
  | postfix '.' field           { $$ = mk_member(ps, $1, $3, @3, @$); }
  | postfix '[' expr ']'        { $$ = mk_index(ps, $1, $3, @$); }
  ;

primary:
    bprimary
  | list_lit
  ;

/* A range bound or subset size: an expression that does not start with '[' (after
 * `choice`, '[' starts the list form). The same operators as expr, left operand bexpr. */
bexpr:
    bexpr SPLIT expr            { $$ = mk_split(ps, $1, $3, @$); }
  | bexpr PIPE expr             { $$ = mk_pipe(ps, $1, $3, @$); }
  | bexpr OR expr               { $$ = mk_binary(ps, OP_OR, $1, $3, @$); }
  | bexpr AND expr              { $$ = mk_binary(ps, OP_AND, $1, $3, @$); }
  | NOT expr                    { $$ = mk_unary(ps, OP_NOT, $2, @$); }
  | bexpr EQ expr               { $$ = mk_binary(ps, OP_EQ, $1, $3, @$); }
  | bexpr NE expr               { $$ = mk_binary(ps, OP_NE, $1, $3, @$); }
  | bexpr '<' expr              { $$ = mk_binary(ps, OP_LT, $1, $3, @$); }
  | bexpr LE expr               { $$ = mk_binary(ps, OP_LE, $1, $3, @$); }
  | bexpr '>' expr              { $$ = mk_binary(ps, OP_GT, $1, $3, @$); }
  | bexpr GE expr               { $$ = mk_binary(ps, OP_GE, $1, $3, @$); }
  | bexpr '+' expr              { $$ = mk_binary(ps, OP_ADD, $1, $3, @$); }
  | bexpr '-' expr              { $$ = mk_binary(ps, OP_SUB, $1, $3, @$); }
  | bexpr '*' expr              { $$ = mk_binary(ps, OP_MUL, $1, $3, @$); }
  | bexpr '/' expr              { $$ = mk_binary(ps, OP_DIV, $1, $3, @$); }
  | '-' expr %prec NEG          { $$ = mk_unary(ps, '-', $2, @$); }
  | bpostfix %prec RANGE_TAIL
  ;

bpostfix:
    bprimary
  | bpostfix '(' args ')'       { $$ = mk_call(ps, $1, $3, @$); }
  | bpostfix '.' field          { $$ = mk_member(ps, $1, $3, @3, @$); }
  ;

bprimary:
    literal
  | IDENT %prec NAME            { $$ = mk_name(ps, $1, @$); }
  | '(' expr ')'                { $$ = $2; }
  | decision
  ;

literal:
    INT | FLOAT | QUANTITY | STRING
  | TRUE                        { $$ = mk_bool(ps, true, @$); }
  | FALSE                       { $$ = mk_bool(ps, false, @$); }
  ;

list_lit:
    '[' opt_exprs ']'           { $$ = mk_list(ps, $2, @$); }
  ;

opt_exprs:
    %empty                      { $$ = no_nodes; }
  | exprs
  | exprs ','
  ;

exprs:
    expr                        { $$ = no_nodes; PUSH($$, $1); }
  | exprs ',' expr              { $$ = $1; PUSH($$, $3); }
  ;

args:
    %empty                      { $$ = no_nodes; }
  | arg_list
  | arg_list ','
  ;

arg_list:
    arg                         { $$ = no_nodes; PUSH($$, $1); }
  | arg_list ',' arg            { $$ = $1; PUSH($$, $3); }
  ;

arg:
    expr                        { $$ = NEW(N_ARG, @$); $$->arg.value = $1; $$->depth = $1->depth; }
  | IDENT '=' expr              { $$ = NEW(N_ARG, @$); $$->arg.name = $1; $$->arg.name_loc = @1; $$->arg.value = $3; $$->depth = $3->depth; }
  ;

decision:
    CHOICE list_lit             { $$ = mk_choice(ps, CHOICE_LIST, NULL, no_loc, @$); $$->choice.items = $2->list.items; }
  | CHOICE IDENT list_lit       { $$ = mk_choice(ps, CHOICE_LIST, $2, @2, @$); $$->choice.items = $3->list.items; }
  | CHOICE BOOL                 { $$ = mk_choice(ps, CHOICE_BOOL, NULL, no_loc, @$); }
  | CHOICE IDENT BOOL           { $$ = mk_choice(ps, CHOICE_BOOL, $2, @2, @$); }
  | CHOICE bexpr DOTDOT expr range_tail
                                { $$ = mk_range(ps, NULL, no_loc, $2, $4, $5, @$); }
  | CHOICE IDENT bexpr DOTDOT expr range_tail
                                { $$ = mk_range(ps, $2, @2, $3, $5, $6, @$); }
  | CHOICE IDENT bexpr %prec RANGE_TAIL
                                { $$ = mk_named_list(ps, $2, @2, $3, @$); }
  | CHOICE bexpr OF list_lit    { $$ = mk_subset(ps, NULL, no_loc, $2, $4, @$); }
  | CHOICE IDENT bexpr OF list_lit
                                { $$ = mk_subset(ps, $2, @2, $3, $5, @$); }
  | ONEOF list_lit              { $$ = NEW(N_ONEOF, @$); $$->oneof.alts = $2->list.items; }
  | ONEOF IDENT list_lit        { $$ = NEW(N_ONEOF, @$); $$->oneof.name = $2; $$->oneof.name_loc = @2; $$->oneof.alts = $3->list.items; }
  ;

/* The optional `step s` and `log` of a range, carried in a scratch N_CHOICE. */
range_tail:
    %empty %prec RANGE_TAIL     { $$ = NULL; }
  | LOG                         { $$ = mk_choice(ps, CHOICE_RANGE, NULL, no_loc, @$); $$->choice.log = true; }
  | STEP expr %prec RANGE_TAIL  { $$ = mk_choice(ps, CHOICE_RANGE, NULL, no_loc, @$); $$->choice.step = $2; }
  | STEP expr LOG               { $$ = mk_choice(ps, CHOICE_RANGE, NULL, no_loc, @$); $$->choice.step = $2; $$->choice.log = true; }
  ;

/* After '.', any word is a field name: `fashion.train` names a dataset part. */
field:
    IDENT
  | keyword
  ;

keyword:
    USE { $$ = "use"; } | EXTERN { $$ = "extern"; } | DATASET { $$ = "dataset"; }
  | BLOCK { $$ = "block"; } | MODEL { $$ = "model"; } | FN { $$ = "fn"; }
  | REWARD { $$ = "reward"; } | CONTROLLER { $$ = "controller"; } | SEARCH { $$ = "search"; }
  | TRAIN { $$ = "train"; } | PROXY { $$ = "proxy"; } | TUNE { $$ = "tune"; } | TRAINER { $$ = "trainer"; }
  | LET { $$ = "let"; } | RETURN { $$ = "return"; } | CHOICE { $$ = "choice"; }
  | ONEOF { $$ = "oneof"; } | REPEAT { $$ = "repeat"; } | IF { $$ = "if"; } | ELSE { $$ = "else"; }
  | OF { $$ = "of"; } | STEP { $$ = "step"; } | LOG { $$ = "log"; } | BOOL { $$ = "bool"; }
  | TRUE { $$ = "true"; } | FALSE { $$ = "false"; } | AND { $$ = "and"; } | OR { $$ = "or"; }
  | NOT { $$ = "not"; } | MAXIMIZE { $$ = "maximize"; } | MINIMIZE { $$ = "minimize"; }
  | SUBJECT { $$ = "subject"; } | TO { $$ = "to"; } | SOFT { $$ = "soft"; } | HARD { $$ = "hard"; }
  | SPLIT { $$ = "split"; } | WHEN { $$ = "when"; } | FROM { $$ = "from"; } | TOP { $$ = "top"; }
  | REF { $$ = "ref"; }
  ;

%%
