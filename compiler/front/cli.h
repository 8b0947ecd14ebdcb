/* cli.h — what the command lines of nasc and nasrun share: getopt_long with `--opt=value` and
 * `--opt value`, unknown options answered with the nearest one ("did you mean --status?"),
 * durations in the language's units, and when to colour (NO_COLOR, TERM=dumb, --color). */
#ifndef NAS_CLI_H
#define NAS_CLI_H
#include <getopt.h>
#include <stdbool.h>

/* The getopt_long loop's answer to '?' or ':' (the optstring must begin with ':'): a message
 * naming the option, with the nearest long option when it is a near miss. Returns 2, the
 * usage exit status. */
int cli_bad_option(const char *prog, const struct option *opts, int c, char **argv);
/* The long option nearest to `arg` ("--stauts", "--top=3" as given), or NULL when none is close. */
const char *cli_suggest(const struct option *opts, const char *arg);

/* A duration: a number of seconds, or a number with a time unit as in a .nas file (20min,
 * 30s, 1.5h, 200ms). false when it is neither, or negative. */
bool cli_duration(const char *text, double *seconds);

/* --color=auto|always|never: -1, 1, 0; -2 for anything else. */
int cli_colour_mode(const char *text);
/* Whether to colour what goes to `fd`: always, never, or (mode -1) when it is a terminal and
 * neither NO_COLOR is set nor TERM=dumb. */
bool cli_colour(int mode, int fd);
#endif
