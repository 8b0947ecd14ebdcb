/* sema_query.h — the settings table (settings.h) read by tools such as nasls: which settings a
 * declaration takes, each one's documentation line (the row of docs/settings.md), the options a
 * setting's value names (the controller algorithms, the optimizers, ...) and their parameters.
 * Read-only, no allocation: the strings are the table's. */
#ifndef NAS_SEMA_QUERY_H
#define NAS_SEMA_QUERY_H
#include <stdbool.h>
#include <stdio.h>
#include "ast.h"

/* The keys of the settings declaration kind `decl` takes, in the table's order: fills up to
 * `max` of them and returns how many there are (0: a kind without settings). */
int sema_query_settings(NodeKind decl, const char **keys, int max);

/* Writes the documentation of setting `key` of `decl` as docs/settings.md shows it (value,
 * required, decision, default), in Markdown. false (nothing written) when there is no such
 * setting. */
bool sema_query_setting_doc(FILE *out, NodeKind decl, const char *key);

/* The option names setting `key` of `decl` takes (`algorithm`: random, evolution, ...), or 0
 * when its value is not an option. */
int sema_query_options(NodeKind decl, const char *key, const char **names, int max);

/* The parameter names of option `option` of setting `key` (`adam`: lr, beta1, ...). */
int sema_query_option_params(NodeKind decl, const char *key, const char *option, const char **names, int max);
#endif
