/* roundtrip_test.c — the canonical printer against the parser, over every valid .nas file
 * found (at test time) under the directories given: for each file f,
 *   dump(parse(print(parse f))) == dump(parse f)   (trees equal, locations ignored)
 *   print(parse(print(parse f))) == print(parse f)  (the printer is a fixpoint).
 * tests/lang cases that expect an error are skipped, and so are helper modules (under a
 * modules/ directory) that do not parse: the case using them says so. Any other file must
 * parse cleanly. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "parse.h"
#include "print.h"
#include "source.h"

static int checked, failed; /* files */

/* tests/lang directives (tests/lang/README.md) that mark a file as not a valid program. */
static bool expects_error(const char *text)
{
    return strstr(text, "expect: error") || strstr(text, "expect-exit: 1") || strstr(text, "expect-exit: 2") ||
           strstr(text, "expect-roundtrip: off");
}

static void first_difference(const char *what, const char *a, const char *b)
{
    int line = 1;
    while (*a && *a == *b) {
        line += *a == '\n';
        a++;
        b++;
    }
    fprintf(stderr, "  %s differ at line %d:\n    first:  %.80s\n    second: %.80s\n", what, line, a, b);
}

static void check_file(const char *path)
{
    Arena arena;
    arena_init(&arena);
    Diag d;
    diag_init(&d, &arena);
    int file = source_read(&d, path, NULL);
    if (file < 0 || expects_error(d.files[file].text)) goto done; /* not a valid program */
    AstFile *ast1 = parse_file(&arena, &d, file);
    if (d.errors && strstr(path, "/modules/")) {
        printf("skip %s: a helper module with errors on purpose\n", path);
        goto done;
    }
    if (d.errors) {
        fprintf(stderr, "FAIL %s: a file with no `expect: error` does not parse:\n", path);
        diag_print(&d, stderr, DIAG_TEXT, false);
        failed++;
        goto done;
    }
    checked++;
    char *src1 = print_to_string(&d, ast1, true), *dump1 = print_to_string(&d, ast1, false);
    int file2 = source_add_bytes(&d, "(printed)", src1, strlen(src1));
    AstFile *ast2 = file2 >= 0 ? parse_file(&arena, &d, file2) : NULL;
    if (!ast2 || d.errors) {
        fprintf(stderr, "FAIL %s: the printed text does not parse:\n", path);
        diag_print(&d, stderr, DIAG_TEXT, false);
        fprintf(stderr, "--- printed ---\n%s", src1);
        failed++;
    } else {
        char *src2 = print_to_string(&d, ast2, true), *dump2 = print_to_string(&d, ast2, false);
        if (strcmp(dump1, dump2) != 0) {
            fprintf(stderr, "FAIL %s: the printed text parses to a different tree\n", path);
            first_difference("trees", dump1, dump2);
            failed++;
        } else if (strcmp(src1, src2) != 0) {
            fprintf(stderr, "FAIL %s: printing is not a fixpoint\n", path);
            first_difference("texts", src1, src2);
            failed++;
        }
        free(src2);
        free(dump2);
    }
    free(src1);
    free(dump1);
done:
    diag_free(&d);
    arena_free(&arena);
}

static void walk(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) walk(path);
        else if (S_ISREG(st.st_mode) && strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".nas"))
            check_file(path);
    }
    closedir(dp);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: roundtrip_test DIR-or-FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) walk(argv[i]);
        else check_file(argv[i]);
    }
    printf("roundtrip: %d files checked, %d failed\n", checked, failed);
    /* An empty run would prove nothing. */
    return failed || checked == 0 ? 1 : 0;
}
