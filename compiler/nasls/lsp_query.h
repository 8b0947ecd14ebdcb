/* lsp_query.h — what the editor asks about a position of an analysed document, answered from
 * the annotated syntax tree (Node.sym from sema), the space (model.h) and the settings table
 * (sema_query.h): hover, definition, references, document symbols and the quick fixes of
 * diagnostics that carry a "did you mean". Each returns the LSP result (NULL: none). */
#ifndef NAS_LSP_QUERY_H
#define NAS_LSP_QUERY_H
#include <stdbool.h>
#include <cjson/cJSON.h>
#include "lsp_analysis.h"

cJSON *lsp_hover(LspAnalysis *a, size_t offset);
cJSON *lsp_definition(LspAnalysis *a, size_t offset, const char *uri);
cJSON *lsp_references(LspAnalysis *a, size_t offset, const char *uri, bool declaration);
cJSON *lsp_symbols(LspAnalysis *a);
/* Quick fixes for the diagnostics of the main file whose range meets [from, to]. */
cJSON *lsp_code_actions(LspAnalysis *a, size_t from, size_t to, const char *uri);

/* The signature of a block, model or extern declaration as written: "block b(x: tensor) -> tensor"
 * (malloc'd), and the `//` comment lines just above it (malloc'd, NULL if none). */
char *lsp_signature(const LspAnalysis *a, const Node *fn);
char *lsp_doc_comment(const LspAnalysis *a, const Node *decl);

/* Every node below n, declarations included, parents first. */
typedef void (*LspVisit)(Node *n, void *ctx);
void lsp_walk(Node *n, LspVisit f, void *ctx);
#endif
