/* diag_test.c — diagnostics end to end: the exact text and JSON formats (caret, clipping,
 * UTF-8 alignment, escaping, colour), code lookup, and the front end's lexical, syntax and
 * input checks with their codes and positions, including error recovery without cascades. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "source.h"

static int failures;

#define CHECK(cond, ...)                                          \
    do {                                                          \
        if (!(cond)) {                                            \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                         \
            fputc('\n', stderr);                                  \
            failures++;                                           \
        }                                                         \
    } while (0)

static char *printed(const Diag *d, DiagFormat fmt, bool colour)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_print(d, f, fmt, colour);
    fclose(f);
    return buf;
}

static void check_text(const Diag *d, bool colour, const char *want)
{
    char *got = printed(d, DIAG_TEXT, colour);
    CHECK(strcmp(got, want) == 0, "text output\n--- got ---\n%s--- want ---\n%s", got, want);
    free(got);
}

static void test_text_format(void)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    const char *src = "let a = 1\nlet k = choice kernel [3, 5]\n";
    int f = diag_add_source(&d, "x.nas", src, (int)strlen(src));
    Loc at = {f, 2, 9, 2, 14, 18, 24};
    int e = diag_error(&d, NAS0201, at, "expected %s, found '%s'", "']'", "foo");
    diag_note(&d, e, (Loc){f, 1, 5, 1, 5, 4, 5}, "first declared here");
    check_text(&d, false,
               "x.nas:2:9: error[NAS0201]: expected ']', found 'foo'\n"
               "    2 | let k = choice kernel [3, 5]\n"
               "      |         ^~~~~~\n"
               "x.nas:1:5: note: first declared here\n"
               "    1 | let a = 1\n"
               "      |     ^\n");
    char *c = printed(&d, DIAG_TEXT, true);
    CHECK(strstr(c, "\033[1;31merror[NAS0201]") != NULL, "colour: error in red: %s", c);
    free(c);
    diag_free(&d);
    arena_free(&a);
}

static void test_clipping_and_utf8(void)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    /* "é" is two bytes: byte column 11 is the '1' after it. */
    const char *src = "let s = \"\xc3\xa9\" + 1\nlet t = [1,\n  2]\n";
    int f = diag_add_source(&d, "u.nas", src, (int)strlen(src));
    diag_warning(&d, NAS0401, (Loc){f, 1, 14, 1, 14, 13, 14}, "w");
    diag_error(&d, NAS0201, (Loc){f, 2, 9, 3, 4, 27, 37}, "multi");
    check_text(&d, false,
               "u.nas:1:14: warning[NAS0401]: w\n"
               "    1 | let s = \"\xc3\xa9\" + 1\n"
               "      |             ^\n"
               "u.nas:2:9: error[NAS0201]: multi\n"
               "    2 | let t = [1,\n"
               "      |         ^~~\n");
    CHECK(d.errors == 1 && d.warnings == 1, "counts %d %d", d.errors, d.warnings);
    diag_free(&d);
    arena_free(&a);
}

static void test_json(void)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    int f = diag_add_source(&d, "dir/q\"x.nas", "ab\n", 3);
    int e = diag_error(&d, NAS0102, (Loc){f, 1, 2, 1, 3, 1, 3}, "say \"hi\"\\ \n\t\x01");
    diag_note(&d, e, (Loc){f, 1, 1, 1, 1, 0, 1}, "n");
    char *got = printed(&d, DIAG_JSON, true); /* JSON never has colour */
    const char *want =
        "[\n {\"file\": \"dir/q\\\"x.nas\", \"line\": 1, \"col\": 2, \"end_line\": 1, \"end_col\": 3, "
        "\"severity\": \"error\", \"code\": \"NAS0102\", \"message\": \"say \\\"hi\\\"\\\\ \\n\\t\\u0001\", "
        "\"notes\": [{\"file\": \"dir/q\\\"x.nas\", \"line\": 1, \"col\": 1, \"end_line\": 1, \"end_col\": 1, "
        "\"message\": \"n\"}]}\n]\n";
    CHECK(strcmp(got, want) == 0, "json\n--- got ---\n%s--- want ---\n%s", got, want);
    free(got);
    diag_free(&d);
    diag_init(&d, &a);
    got = printed(&d, DIAG_JSON, false);
    CHECK(strcmp(got, "[]\n") == 0, "empty json: %s", got);
    free(got);
    diag_free(&d);
    arena_free(&a);
}

static void test_codes(void)
{
    CHECK(diag_code_parse("NAS0201") == NAS0201, "parse NAS0201");
    CHECK(diag_code_parse("0105") == NAS0105, "parse 0105");
    CHECK(diag_code_parse("nas0001") == NAS0001, "parse nas0001");
    CHECK(diag_code_parse("NAS9999") == NAS_NONE, "unknown code");
    CHECK(diag_code_parse("NAS01") == NAS_NONE, "short code");
    CHECK(diag_code_parse("NAS02x1") == NAS_NONE, "bad digit");
    CHECK(strcmp(diag_code_string(NAS0104), "NAS0104") == 0, "code string");
    const char *x = diag_code_explanation(NAS0105);
    CHECK(x && strstr(x, "unit"), "explanation of NAS0105");
    CHECK(diag_code_summary(NAS0201) && !strcmp(diag_code_summary(NAS0201), "syntax error"), "summary");
    CHECK(diag_code_summary((DiagCode)9999) == NULL && diag_code_explanation((DiagCode)9999) == NULL, "unknown");
}

/* Parses src (len bytes) and checks the diagnostics: `want` is "CODE@line:col " repeated,
 * in order. */
#define check_parse(lit, want) check_parse_n(lit, sizeof(lit) - 1, want)
static void check_parse_n(const char *src, size_t len, const char *want)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    int f = source_add_bytes(&d, "t.nas", src, len);
    if (f >= 0) parse_file(&a, &d, f);
    char got[1024] = "";
    for (int i = 0; i < d.count; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s@%d:%d ", diag_code_string(d.items[i].code), d.items[i].loc.line,
                 d.items[i].loc.col);
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    CHECK(strcmp(got, want) == 0, "source:\n%s\n  got:  %s\n  want: %s", src, got, want);
    diag_free(&d);
    arena_free(&a);
}

static void test_front_end(void)
{
    /* lexical */
    check_parse("let a = 2m\n", "NAS0105@1:10 ");
    check_parse("let a = 1 $ 2\nlet b = 3\n", "NAS0101@1:11 ");
    check_parse("let s = \"abc\nlet b = 3\n", "NAS0102@1:9 ");
    check_parse("let s = \"a\\qb\"\n", "NAS0103@1:11 ");
    check_parse("let a = 1\n/* x /* y */\n", "NAS0104@2:1 ");
    check_parse("let n = 99999999999999999999\n", "NAS0106@1:9 ");
    check_parse("let caf\xc3\xa9 = 1\n", "NAS0101@1:8 ");
    /* input checks */
    check_parse("let a = 1\n\xff\n", "NAS0002@2:1 ");
    check_parse("let a = 1 // \x00\n", "NAS0002@1:14 ");
    /* syntax, with recovery: one error per broken declaration, statement or setting */
    check_parse("let a = )\nlet b = )\nlet c = 1\n", "NAS0201@1:9 NAS0201@2:9 ");
    check_parse("let model = 3\nlet b = 2\n", "NAS0201@1:5 ");
    check_parse("block b(x: tensor) -> tensor {\n    let y = = 1\n    let z = (\n    return y\n}\nlet q = ]\n",
                "NAS0201@2:13 NAS0201@4:5 NAS0201@6:9 ");
    check_parse("search s {\n    epochs ]\n    batch 2\n    seed )\n}\n", "NAS0201@2:12 NAS0201@4:10 ");
    check_parse("model m(x: tensor) -> tensor {\n    return x\n", "NAS0201@2:13 ");
    check_parse("let a = 1 < 2 < 3\n", "NAS0201@1:15 ");
    /* valid: every form, nothing reported */
    check_parse("", "");
    check_parse("// only a comment\n/* and /* nested */ */\n", "");
    check_parse("let x = choice 1 .. 8 step 2\nlet y = choice n 1e-4 .. 1e-1 log\nlet z = choice 2 of [a, b, c]\n"
                "let w = oneof o [a, b]\nlet v = choice bool\nlet u = data split 90% / 10%\n"
                "let t = x |> choice op [f(1, k = 2), g]\n",
                "");
}

/* The first diagnostic's message for src contains `want`. */
static void check_message(const char *src, const char *want)
{
    Arena a;
    arena_init(&a);
    Diag d;
    diag_init(&d, &a);
    int f = source_add_bytes(&d, "m.nas", src, strlen(src));
    if (f >= 0) parse_file(&a, &d, f);
    CHECK(d.count > 0 && strstr(d.items[0].msg, want), "message for:\n%s\n  got:  %s\n  want: ...%s...", src,
          d.count ? d.items[0].msg : "(none)", want);
    diag_free(&d);
    arena_free(&a);
}

static void test_messages(void)
{
    check_message("let model = 3\n", "expected a name, found keyword 'model' (keywords cannot be used as names)");
    check_message("let a = f(1 2)\n", "expected ')', found '2'");
    check_message("search s {\n    epochs 1 2\n}\n", "two expressions cannot stand side by side");
    check_message("block b(x: tensor) -> tensor {\n    let y = x +\n    return y\n}\n",
                  "expected an expression, found keyword 'return'");
    check_message("model m(x: tensor) -> tensor {\n", "unexpected end of file: a '{' is never closed");
    check_message("seed 7\n", "a declaration starts with use, extern");
    check_message("let a = 2 ! 3\n", "did you mean 'not' or '!='?");
    check_message("let a = 5parsecs\n", "unknown unit 'parsecs'");
}

int main(void)
{
    test_text_format();
    test_clipping_and_utf8();
    test_json();
    test_codes();
    test_front_end();
    test_messages();
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    else printf("diag_test: all checks passed\n");
    return failures ? 1 : 0;
}
