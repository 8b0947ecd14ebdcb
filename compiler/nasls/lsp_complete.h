/* lsp_complete.h — completion at a byte offset of a document's current text. The context
 * (inside which declaration, which call's parentheses, after a number) comes from scanning the
 * text itself, so it works while the file does not parse; the names and signatures come from
 * the last analysis that got through sema (`good`, may be NULL), the settings, options and
 * their parameters from the settings table (sema_query.h), the units from units.h. */
#ifndef NAS_LSP_COMPLETE_H
#define NAS_LSP_COMPLETE_H
#include <cjson/cJSON.h>
#include "lsp_analysis.h"

/* `good_current`: good analysed exactly this text (its offsets are this text's). */
cJSON *lsp_complete(const char *text, size_t len, size_t off, LspAnalysis *good, bool good_current);
#endif
