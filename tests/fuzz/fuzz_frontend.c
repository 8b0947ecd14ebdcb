/* fuzz_frontend.c — libFuzzer target for the front end: arbitrary bytes through the input
 * checks, the parser, sema, and the printer (whatever parses must print to text that parses
 * again, to the same tree). Built with -DNAS_FUZZ=ON and clang; fuzz_replay.c runs the same
 * function over tests/fuzz/regress/ in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "print.h"
#include "program.h"
#include "sema.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: report it the way libFuzzer notices (abort), with the evidence. */
static void fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_frontend: %s\n--- first ---\n%s\n--- second ---\n%s\n", what, a, b ? b : "");
    abort();
}

static void check_roundtrip(Arena *arena, Diag *d, const AstFile *ast)
{
    char *src1 = print_to_string(d, ast, true), *dump1 = print_to_string(d, ast, false);
    int errors = d->errors;
    int f2 = source_add_bytes(d, "(printed)", src1, strlen(src1));
    AstFile *ast2 = f2 >= 0 ? parse_file(arena, d, f2) : NULL;
    if (!ast2 || d->errors != errors) fail("printed text does not parse", src1, NULL);
    char *dump2 = print_to_string(d, ast2, false);
    if (strcmp(dump1, dump2) != 0) fail("printed text parses to another tree", dump1, dump2);
    free(dump2);
    free(dump1);
    free(src1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena arena;
    arena_init(&arena);
    Diag d;
    diag_init(&d, &arena);
    int file = source_add_bytes(&d, "fuzz.nas", (const char *)data, size);
    if (file >= 0) {
        AstFile *ast = parse_file(&arena, &d, file);
        if (d.errors == 0) {
            check_roundtrip(&arena, &d, ast);
            /* One module, no `use` loading: sema sees the file on its own. */
            Module m = {.path = "fuzz.nas", .name = "fuzz.nas", .ast = ast};
            Module *mods[1] = {&m};
            Program p = {.arena = &arena, .diag = &d, .modules = mods, .nmodules = 1, .main = &m};
            sema_check(&p);
        }
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            diag_print(&d, null, DIAG_TEXT, true);
            diag_print(&d, null, DIAG_JSON, false);
            fclose(null);
        }
    }
    diag_free(&d);
    arena_free(&arena);
    return 0;
}
