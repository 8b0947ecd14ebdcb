/* format.c — a formatter may move a comment, never lose code: the output is parsed again and
 * compared with the input's tree before anyone writes it. */
#include "format.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "print.h"
#include "source.h"

char *format_file(Arena *a, Diag *d, int file)
{
    AstFile *ast = parse_file(a, d, file);
    if (d->errors) return NULL;
    char *buf = NULL, *tree = print_to_string(d, ast, false);
    size_t len = 0;
    FILE *out = tree ? open_memstream(&buf, &len) : NULL;
    if (!out) {
        free(tree);
        return NULL;
    }
    print_source(out, ast, d->files[file].text);
    fclose(out);
    /* The check's diagnostics (there should be none) stay out of the caller's error count. */
    Diag check;
    diag_init(&check, a);
    int f2 = source_add_bytes(&check, "(formatted)", buf, len);
    AstFile *again = f2 >= 0 ? parse_file(a, &check, f2) : NULL;
    char *tree2 = again && !check.errors ? print_to_string(&check, again, false) : NULL;
    bool same = tree2 && !strcmp(tree, tree2) && again->ncomments == ast->ncomments;
    diag_free(&check);
    free(tree);
    free(tree2);
    if (same) return buf;
    free(buf);
    return NULL;
}
