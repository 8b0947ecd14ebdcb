/* format.h — the formatter behind `nasc fmt` and the language server's formatting: a file's
 * canonical text (print.h) with its comments, checked to parse to the same program. */
#ifndef NAS_FORMAT_H
#define NAS_FORMAT_H
#include "arena.h"
#include "diag.h"

/* The canonical text of source `file` of d (malloc'd, NUL-terminated), or NULL: it does not
 * parse (its errors are in d), or the printed text would not parse to the same program with
 * the same comments (then d holds no error: a formatter bug, the caller says so). */
char *format_file(Arena *a, Diag *d, int file);
#endif
