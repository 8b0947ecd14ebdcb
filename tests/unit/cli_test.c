/* cli_test.c — the command-line helpers of nasc and nasrun (compiler/front/cli.h): durations in
 * the language's units, near-miss option suggestions, the colour modes. */
#include "cli.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static bool dur(const char *s, double want)
{
    double v = -1;
    return cli_duration(s, &v) && fabs(v - want) < 1e-12;
}

int main(void)
{
    CHECK(dur("90", 90) && dur("2.5", 2.5) && dur("30s", 30) && dur("20min", 1200) && dur("1.5h", 5400));
    CHECK(dur("200ms", 0.2) && dur("250us", 250e-6) && dur("0", 0));
    double v;
    CHECK(!cli_duration("", &v) && !cli_duration("min", &v) && !cli_duration("-3s", &v));
    CHECK(!cli_duration("20 min", &v) && !cli_duration("3kg", &v) && !cli_duration("64MB", &v) &&
          !cli_duration("50%", &v));
    CHECK(!cli_duration("nan", &v) && !cli_duration("inf", &v) && !cli_duration("1e400s", &v));

    static const struct option opts[] = {
        {"status", no_argument, NULL, 1},       {"top", required_argument, NULL, 2},
        {"trials", required_argument, NULL, 3}, {"time-limit", required_argument, NULL, 4},
        {"experiments", no_argument, NULL, 5},  {NULL, 0, NULL, 0},
    };
    const char *s;
    CHECK((s = cli_suggest(opts, "--stauts")) && !strcmp(s, "status"));   /* a swap */
    CHECK((s = cli_suggest(opts, "--statu")) && !strcmp(s, "status"));    /* a letter short */
    CHECK((s = cli_suggest(opts, "--trails=3")) && !strcmp(s, "trials")); /* the value is not the name */
    CHECK((s = cli_suggest(opts, "--timelimit")) && !strcmp(s, "time-limit"));
    CHECK((s = cli_suggest(opts, "--experimnets")) && !strcmp(s, "experiments"));
    CHECK(cli_suggest(opts, "--frobnicate") == NULL && cli_suggest(opts, "--x") == NULL);

    CHECK(cli_colour_mode("auto") == -1 && cli_colour_mode("always") == 1 && cli_colour_mode("never") == 0);
    CHECK(cli_colour_mode("yes") == -2);
    CHECK(cli_colour(1, -1) && !cli_colour(0, -1) && !cli_colour(-1, -1)); /* fd -1 is no terminal */
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("cli_test: ok\n");
    return 0;
}
