/* lsp_analysis.h — one analysis of a document's text: nas_compile_string through every phase,
 * then check_space as nasc runs it, so the editor shows nasc's diagnostics (the same codes,
 * ranges and notes); and the conversions from the compiler's Loc to LSP ranges and URIs. */
#ifndef NAS_LSP_ANALYSIS_H
#define NAS_LSP_ANALYSIS_H
#include <stdbool.h>
#include <cjson/cJSON.h>
#include "check.h"
#include "compile.h"
#include "lsp_text.h"

typedef struct LspAnalysis {
    Compiled c;
    CheckResult check;
    bool checked; /* check_space ran (the file has a model that lowered) */
    char *text;   /* the text analysed (a copy) */
    size_t len;
    LspLines lines;   /* of text */
    int main_file;    /* Source index of the main file, -1 if none */
    LspLines *flines; /* line index per Source file, built on first use */
    int nflines;
} LspAnalysis;

/* NULL only when out of memory. `path` names the file (its `use "./f.nas"` are relative to
 * its directory). */
LspAnalysis *lsp_analyse(const char *path, const char *text, size_t len);
void lsp_analysis_free(LspAnalysis *a);

/* The line index of Source file `file` (NULL when there is none). */
const LspLines *lsp_file_lines(LspAnalysis *a, int file);
/* {"start": {...}, "end": {...}} of a Loc, in its own file ((0,0) when it has no place). */
cJSON *lsp_range(LspAnalysis *a, Loc l);
/* The byte offset of LSP position (line, character) of the main file. */
size_t lsp_main_offset(const LspAnalysis *a, long line, long character);
/* A Loc's file path, or NULL. */
const char *lsp_loc_path(const LspAnalysis *a, Loc l);
/* {"uri": ..., "range": ...} of a Loc; main_uri names the main file. NULL when l has no file. */
cJSON *lsp_location(LspAnalysis *a, Loc l, const char *main_uri);

/* The diagnostics of the analysis grouped by file: {uri: [Diagnostic, ...]}, with the main
 * file always present (possibly with no diagnostics). Notes are relatedInformation. */
cJSON *lsp_diagnostics(LspAnalysis *a, const char *main_uri);

/* "file:///a%20b/c.nas" <-> "/a b/c.nas" (malloc'd; NULL when not a file URI). */
char *lsp_uri_to_path(const char *uri);
char *lsp_path_to_uri(const char *path);
#endif
