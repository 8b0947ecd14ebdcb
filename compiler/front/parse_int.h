/* parse_int.h — state shared by the scanner (grammar/nas.l), the parser (grammar/nas.y) and
 * parse.c: one ParseState per file, reached through flex's yyextra and bison's parse-param. */
#ifndef NAS_PARSE_INT_H
#define NAS_PARSE_INT_H
#include "ast.h"
#include "diag.h"
#include "nas.tab.h"

/* A token as the error-recovery code sees it. */
typedef struct ParseTok {
    int kind; /* bison token kind, 0 at end of file */
    YYSTYPE val;
    Loc loc;
    int depth;       /* '{' nesting before the token */
    bool line_start; /* first token on its line */
} ParseTok;

struct ParseState {
    Arena *a;
    Diag *d;
    int file;
    const char *text;
    int len;
    void *scanner;
    AstFile *out;
    /* scanner position (next byte) */
    int pos, line, col;
    int comment_depth;
    Loc comment_loc;
    /* token stream seen by the parser */
    int depth;     /* '{' nesting after the last token */
    Loc open[64];  /* where the innermost unclosed '{' are (the first 64 levels) */
    int last_line; /* line of the last token */
    bool at_eof;
    ParseTok cur;  /* the last token read from the scanner */
    int prev_kind; /* the token before it */
    int decl_kind; /* keyword of the top-level declaration being read (0: none yet) */
    bool pushed;   /* cur is to be returned again (error recovery) */
    int last_sync; /* byte offset of the last resynchronisation token */
    bool too_deep; /* NAS0202 for an expression was reported */
};

/* The scanner (flex, prefix naslex). */
int naslexlex(YYSTYPE *lval, Loc *lloc, void *scanner);
/* Error-recovery levels of parse_recover. */
enum { SYNC_DECL, SYNC_STMT, SYNC_ITEM };

/* parse.c: the parser's token source (with one token of push-back for recovery), its
 * syntax-error reporter (bison's message rewritten with token texts), and the
 * resynchronisation run by the `error` rules: skips to the next declaration, statement
 * or setting at the same brace depth. Returns true when the parser may report again. */
int parse_next_token(ParseState *ps, YYSTYPE *lval, Loc *lloc);
void parse_syntax_error(ParseState *ps, const Loc *loc, const char *msg);
/* The scanner met a comment at loc: kept in the AstFile for the printer. */
void parse_comment(ParseState *ps, Loc loc);
bool parse_recover(ParseState *ps, int level, int lookahead);
#endif
