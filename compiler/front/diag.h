/* diag.h — diagnostics: collected by every phase, printed as
 *   file:line:col: error[NAS0101]: message
 *    12 |     let k = choice kernel [3, 5]
 *       |             ^~~~~~
 *   file:line:col: note: first declared here
 * or as JSON (--diagnostics=json). Also owns the table of loaded source files. */
#ifndef NAS_DIAG_H
#define NAS_DIAG_H
#include <stdio.h>
#include <stdbool.h>
#include "ast.h"

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

/* Codes: one X-macro list (diag_codes.def) gives code, symbol and explanation. */
typedef enum DiagCode {
    NAS_NONE = 0,
#define DIAG(num, sym, summary, explanation) sym = num,
#include "diag_codes.def"
#undef DIAG
} DiagCode;

typedef struct Source {
    const char *path; /* as given, or resolved for modules */
    const char *text; /* NUL-terminated copy of the bytes (owned by the Diag arena) */
    int len;
} Source;

typedef struct DiagNote {
    Loc loc;
    const char *msg;
} DiagNote;

typedef struct Diagnostic {
    DiagLevel level;
    DiagCode code;
    Loc loc;
    const char *msg;
    DiagNote *notes;
    int nnotes;
} Diagnostic;

typedef struct Diag {
    Arena *arena;
    Source *files;
    int nfiles, capfiles;
    Diagnostic *items;
    int count, cap;
    int errors, warnings;
} Diag;

void diag_init(Diag *d, Arena *arena);
void diag_free(Diag *d); /* frees the tables; text lives in the arena */
int diag_add_source(Diag *d, const char *path, const char *text, int len);

/* Report; returns the index of the diagnostic so notes can be attached. */
int diag_error(Diag *d, DiagCode code, Loc loc, const char *fmt, ...);
int diag_warning(Diag *d, DiagCode code, Loc loc, const char *fmt, ...);
void diag_note(Diag *d, int index, Loc loc, const char *fmt, ...);

typedef enum DiagFormat { DIAG_TEXT, DIAG_JSON } DiagFormat;
/* Prints all diagnostics in the order reported (stable sort by file, position
 * within each phase is the phase's business). colour: ANSI colours on/off. */
void diag_print(const Diag *d, FILE *out, DiagFormat fmt, bool colour);

const char *diag_code_string(DiagCode code); /* "NAS0101" */
DiagCode diag_code_parse(const char *s);     /* "NAS0101" or "0101" -> code, NAS_NONE if unknown */
const char *diag_code_explanation(DiagCode code);
const char *diag_code_summary(DiagCode code); /* "syntax error", NULL if unknown */
#endif
