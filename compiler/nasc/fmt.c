/* fmt.c — nasc fmt: format.h's text written over each file that differs (nothing is written
 * for a file that does not parse, or whose formatted text would not be the same program). */
#include "fmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "format.h"
#include "source.h"

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
    char *text = file >= 0 ? format_file(&a, &d, file) : NULL;
    if (file < 0 || d.errors) {
        diag_print(&d, stderr, DIAG_TEXT, false);
        rc = file == SOURCE_UNREADABLE ? 2 : 1;
    } else if (!text) {
        fprintf(stderr, "nasc fmt: %s: the formatted text would not parse to the same program; left as it is\n", path);
        rc = 1;
    } else if (strcmp(text, d.files[file].text) != 0) {
        if (check) {
            printf("%s: not formatted\n", path);
            rc = 1;
        } else rc = write_file(path, text);
    }
    free(text);
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
