/* svg_test.c — runtime/report: escaping of outside text (markup, quotes, control characters,
 * bytes that are not UTF-8, cutting on a character boundary), round tick values, and the rank
 * correlations against values computed by hand. */
#include "check.h"
#include "rankcorr.h"
#include "svg.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What svg_escape_cut writes for s. */
static char *escaped(const char *s, int max)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    svg_escape_cut(f, s, max);
    fclose(f);
    return buf;
}

static void check_escape(const char *in, int max, const char *want)
{
    char *got = escaped(in, max);
    if (strcmp(got, want)) fprintf(stderr, "escape(\"%s\", %d): got \"%s\", want \"%s\"\n", in, max, got, want);
    CHECK(!strcmp(got, want));
    free(got);
}

int main(void)
{
    check_escape("</title><script>x</script>", -1, "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;");
    check_escape("a & \"b\" 'c'", -1, "a &amp; &quot;b&quot; &#39;c&#39;");
    check_escape("tab\tnl\nbell\a del\x7f", -1, "tab\tnl\nbell del");
    check_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", -1, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    /* a lone byte, an overlong '/', a surrogate, past U+10FFFF, a cut sequence: U+FFFD each byte */
    check_escape("a\xff", -1, "a\xef\xbf\xbd");
    check_escape("\xc0\xaf", -1, "\xef\xbf\xbd\xef\xbf\xbd");
    check_escape("\xed\xa0\x80", -1, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    check_escape("\xf4\x90\x80\x80", -1, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    check_escape("\xe2\x82", -1, "\xef\xbf\xbd\xef\xbf\xbd");
    /* cut after max characters, never inside one */
    check_escape("\xc3\xa9\xc3\xa9\xc3\xa9", 2, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
    check_escape("abc", 3, "abc");
    check_escape("<<<<", 2, "&lt;&lt;\xe2\x80\xa6");

    double lo = 0.13, hi = 0.87, t[16];
    int n = svg_nice(&lo, &hi, 5, t, 16);
    CHECK(lo == 0.0 && fabs(hi - 1.0) < 1e-12 && n == 6 && fabs(t[1] - 0.2) < 1e-12);
    lo = hi = 5; /* a single value: a range around it */
    n = svg_nice(&lo, &hi, 5, t, 16);
    CHECK(lo < 5 && hi > 5 && n >= 2);
    lo = NAN, hi = 1;
    n = svg_nice(&lo, &hi, 5, t, 16);
    CHECK(isfinite(lo) && isfinite(hi) && lo < hi && n >= 2);

    /* x = 1..5, y = 1 3 2 5 4: 8 concordant, 2 discordant pairs; d^2 = 0+1+1+1+1 */
    double x[] = {1, 2, 3, 4, 5}, y[] = {1, 3, 2, 5, 4};
    CHECK(fabs(rankcorr_kendall(x, y, 5) - 0.6) < 1e-12);
    CHECK(fabs(rankcorr_spearman(x, y, 5) - (1 - 6.0 * 4 / (5 * 24))) < 1e-12);
    /* ties: tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)); x ties once, y not: C 5, D 0, n0 6 */
    double xt[] = {1, 1, 2, 3}, yt[] = {1, 2, 3, 4}, r[4];
    CHECK(fabs(rankcorr_kendall(xt, yt, 4) - 5 / sqrt(5.0 * 6.0)) < 1e-12);
    rankcorr_ranks(xt, 4, r);
    CHECK(r[0] == 1.5 && r[1] == 1.5 && r[2] == 3 && r[3] == 4);
    CHECK(isnan(rankcorr_kendall(x, y, 1)) && isnan(rankcorr_spearman(xt, (double[]){2, 2, 2, 2}, 4)));
    double rev[] = {5, 4, 3, 2, 1};
    CHECK(rankcorr_kendall(x, rev, 5) == -1 && fabs(rankcorr_spearman(x, rev, 5) + 1) < 1e-12);
    return failures ? 1 : 0;
}
