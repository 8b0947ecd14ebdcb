/* parse.h — the parser phase: one source file (already in the Diag source table) to an AST.
 * grammar/nas.l + grammar/nas.y do the work; this is their only entry point. */
#ifndef NAS_PARSE_H
#define NAS_PARSE_H
#include "ast.h"
#include "diag.h"

/* Parses d->files[file]. Syntax errors go to d (every one it can recover from, at
 * least the first in each top-level declaration); the AST holds every declaration
 * that parsed. Never NULL. */
AstFile *parse_file(Arena *a, Diag *d, int file);
#endif
