/* print.h — writing an AST back out: the canonical source form (--emit=source, 4-space
 * indent, minimal parentheses; printing what it parses gives the same text) and an indented
 * tree dump (--emit=ast) that shows every field, with or without source locations. */
#ifndef NAS_PRINT_H
#define NAS_PRINT_H
#include <stdbool.h>
#include <stdio.h>
#include "ast.h"
#include "diag.h"

/* text: the source the AST was parsed from, to keep its comments where they stand (and its
 * blank lines between statements); NULL: no comments. */
void print_source(FILE *out, const AstFile *f, const char *text);
/* locations=false leaves out every Loc, for comparing two trees structurally. */
void print_ast(FILE *out, const Diag *d, const AstFile *f, bool locations);
/* print_source without comments (source = true) or print_ast without locations, as a malloc'd
 * string (NULL if out of memory): what the round-trip checks compare, and what an experiment's
 * identity hashes (an edit of a comment is the same experiment). */
char *print_to_string(const Diag *d, const AstFile *f, bool source);
#endif
