/* fmt.c — nasc fmt. The output must parse to the same tree as the input, or nothing is
 * written: a formatter may move a comment, never lose code. */
#include "fmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "parse.h"
#include "print.h"
#include "source.h"

/* The canonical text of file `file` of d, or NULL when it does not survive the round trip. */
static char *formatted(Arena *a, Diag *d, const AstFile *ast)
{
    char *buf = NULL, *tree = print_to_string(d, ast, false);
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out || !tree) {
        free(tree);
        if (out) fclose(out);
        return NULL;
    }
    print_source(out, ast, d->files[ast->file].text);
    fclose(out);
    int f2 = source_add_bytes(d, "(formatted)", buf, len);
    AstFile *again = f2 >= 0 ? parse_file(a, d, f2) : NULL;
    char *tree2 = again && !d->errors ? print_to_string(d, again, false) : NULL;
    bool same = tree2 && !strcmp(tree, tree2) && again->ncomments == ast->ncomments;
    free(tree);
    free(tree2);
    if (same) return buf;
    free(buf);
    return NULL;
}

static int write_file(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.fmt-tmp", path);
    struct stat st;
    FILE *f = fopen(tmp, "w");
    bool ok = f && fputs(text, f) >= 0;
    ok = f && fclose(f) == 0 && ok;
    if (ok && stat(path, &st) == 0) chmod(tmp, st.st_mode & 07777);
    if (!ok || rename(tmp, path) != 0) {
        perror(path);
        remove(tmp);
        return 2;
    }
    return 0;
}

static int fmt_one(const char *path, bool check)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    int rc = 0, file = source_read(&d, path, NULL);
    AstFile *ast = file >= 0 ? parse_file(&a, &d, file) : NULL;
    if (!ast || d.errors) {
        diag_print(&d, stderr, DIAG_TEXT, false);
        rc = file == SOURCE_UNREADABLE ? 2 : 1;
    } else {
        char *text = formatted(&a, &d, ast);
        if (!text) {
            fprintf(stderr,
                    "nasc fmt: %s: the formatted text would not parse to the same program; left as it is "
                    "(please report this file)\n",
                    path);
            rc = 1;
        } else if (strcmp(text, d.files[file].text) != 0) {
            if (check) {
                printf("%s: not formatted\n", path);
                rc = 1;
            } else rc = write_file(path, text);
        }
        free(text);
    }
    diag_free(&d);
    arena_free(&a);
    return rc;
}

int nasc_fmt(int argc, char **argv)
{
    bool check = false;
    int files = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--check")) check = true;
        else if (!strcmp(argv[i], "--help")) {
            puts("usage: nasc fmt [--check] FILE.nas...\n"
                 "Rewrites each file in the canonical form (4-space indent, one statement or setting a line,\n"
                 "settings' values in one column), keeping comments and blank lines between statements.\n"
                 "--check: change nothing; list the files that are not formatted and exit 1 if any.");
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "nasc fmt: unknown option %s (nasc fmt --help)\n", argv[i]);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        files++;
        int r = fmt_one(argv[i], check);
        rc = r > rc ? r : rc;
    }
    if (!files) {
        fputs("usage: nasc fmt [--check] FILE.nas...\n", stderr);
        return 2;
    }
    return rc;
}
