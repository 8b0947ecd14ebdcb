/* cli.c — command-line helpers shared by nasc and nasrun (cli.h). */
#include "cli.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "units.h"

/* Optimal string alignment distance (an edit is an insertion, deletion, substitution or a swap
 * of two neighbours) of two short names. */
static int distance(const char *a, const char *b)
{
    enum { N = 40 };
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la >= N || lb >= N) return N;
    int d[N + 1][N + 1];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *cli_suggest(const struct option *opts, const char *arg)
{
    char name[64];
    while (*arg == '-') arg++;
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    const char *best = NULL;
    int bestd = 1 + (int)strlen(name) / 3; /* a third of the name may be wrong, at least one letter */
    if (bestd < 2) bestd = 2;
    for (const struct option *o = opts; o->name; o++) {
        int d = distance(name, o->name);
        if (d < bestd) {
            bestd = d;
            best = o->name;
        }
    }
    return best;
}

int cli_bad_option(const char *prog, const struct option *opts, int c, char **argv)
{
    /* getopt_long has moved optind past the option it refuses. */
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    char shown[80];
    if (strncmp(arg, "--", 2) != 0 && optopt) snprintf(shown, sizeof shown, "-%c", optopt);
    else snprintf(shown, sizeof shown, "%.*s", (int)strcspn(arg, "="), arg);
    if (c == ':') {
        fprintf(stderr, "%s: %s needs a value (%s=VALUE or %s VALUE)\n", prog, shown, shown, shown);
        return 2;
    }
    const char *near = cli_suggest(opts, shown);
    bool known = false;
    for (const struct option *o = opts; o->name; o++) known |= !strcmp(shown + 2, o->name);
    if (known) /* a value given to an option that takes none */
        fprintf(stderr, "%s: %s takes no value\n", prog, shown);
    else if (near) fprintf(stderr, "%s: unknown option %s (did you mean --%s?)\n", prog, shown, near);
    else fprintf(stderr, "%s: unknown or ambiguous option %s (%s --help lists them)\n", prog, shown, prog);
    return 2;
}

bool cli_duration(const char *text, double *seconds)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0) return false;
    if (!*end) {
        *seconds = v;
        return true;
    }
    const Unit *u = unit_find(end, (int)strlen(end));
    if (!u || u->dim != DIM_TIME) return false;
    *seconds = unit_apply(u, v);
    return true;
}

int cli_colour_mode(const char *text)
{
    return !strcmp(text, "auto") ? -1 : !strcmp(text, "always") ? 1 : !strcmp(text, "never") ? 0 : -2;
}

bool cli_colour(int mode, int fd)
{
    if (mode >= 0) return mode;
    const char *term = getenv("TERM"), *no = getenv("NO_COLOR");
    return isatty(fd) && !(no && *no) && !(term && !strcmp(term, "dumb"));
}
