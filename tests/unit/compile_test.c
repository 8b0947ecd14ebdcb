/* compile_test.c — nas_compile (compile.h) from strings: each phase runs only after a clean
 * one and the status is what nasc and nasrun exit with; a string's diagnostics and relative
 * `use`s are placed by its name; the stdlib lookup order of program_stdlib_dir.
 * (The installed-tree step of the lookup is test unit_stdlib_relative.) */
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(c)                                                                  \
    do {                                                                          \
        if (!(c)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            failures++;                                                           \
        }                                                                         \
    } while (0)

static const char *tiny = "use std.layers\n"
                          "dataset blobs {\n"
                          "    format  synthetic(n = 200, seed = 1)\n"
                          "    input   [16]\n"
                          "    classes 4\n"
                          "}\n"
                          "model mlp(x: tensor[16]) -> tensor[4] {\n"
                          "    let width = choice width [16, 32, 64]\n"
                          "    let depth = choice depth 1 .. 3\n"
                          "    repeat depth { x = x |> dense(width) |> relu }\n"
                          "    return dense(x, 4)\n"
                          "}\n";

/* The first error's code and position, as "NAS0401 at 1:9" (or "" when there is none). */
static const char *first_error(const Compiled *c, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; i < c->diag.count; i++) {
        const Diagnostic *it = &c->diag.items[i];
        if (it->level != DIAG_ERROR) continue;
        snprintf(buf, n, "%s at %d:%d", diag_code_string(it->code), it->loc.line, it->loc.col);
        break;
    }
    return buf;
}

static void test_every_phase(void)
{
    Compiled c;
    CHECK(nas_compile_string(&c, "tiny.nas", tiny, &(CompileOptions){.stdlib_dir = NAS_STDLIB_DIR}) == 0);
    CHECK(c.done == COMPILE_SPACE && c.diag.errors == 0);
    CHECK(c.prog && strcmp(c.prog->main->path, "tiny.nas") == 0 && c.prog->nmodules == 2);
    CHECK(c.sema && c.sema == c.prog->sema);
    CHECK(c.config && c.config->ndatasets == 1 && strcmp(c.config->datasets[0].name, "blobs") == 0);
    CHECK(c.space && space_count(model_space(c.space)) == 2);
    CHECK(c.space && strcmp(model_node(c.space)->fndef.name, "mlp") == 0);
    nas_compile_free(&c);

    /* upto stops after the phase asked for */
    CHECK(nas_compile_string(&c, "tiny.nas", tiny, &(CompileOptions){.upto = COMPILE_PARSE}) == 0);
    CHECK(c.done == COMPILE_PARSE && !c.sema && !c.config && !c.space);
    nas_compile_free(&c);
    CHECK(nas_compile_string(&c, "tiny.nas", tiny, &(CompileOptions){.upto = COMPILE_SEMA}) == 0);
    CHECK(c.done == COMPILE_SEMA && c.sema && c.config && !c.space);
    nas_compile_free(&c);
}

static void test_errors(void)
{
    Compiled c;
    char e[64];
    /* a sema error: located in the string, named by its name; no config, no space */
    CHECK(nas_compile_string(&c, "units.nas", "let bad = 2ms + 64MB\n", NULL) == 1);
    CHECK(c.done == COMPILE_PARSE && !c.config && !c.space);
    CHECK(strcmp(first_error(&c, e, sizeof e), "NAS0401 at 1:11") == 0);
    CHECK(c.diag.count > 0 && strcmp(c.diag.files[c.diag.items[0].loc.file].path, "units.nas") == 0);
    nas_compile_free(&c);

    /* a syntax error stops before sema */
    CHECK(nas_compile_string(&c, "syntax.nas", "let = 1\n", NULL) == 1);
    CHECK(c.prog && c.done == COMPILE_NONE && !c.sema);
    nas_compile_free(&c);

    /* text that is not UTF-8 is an error in the input (1), like such a file, not an I/O error (2) */
    CHECK(nas_compile_string(&c, "latin1.nas", "let s = \"caf\xe9\"\n", NULL) == 1);
    CHECK(c.prog && strncmp(first_error(&c, e, sizeof e), "NAS0002", 7) == 0);
    nas_compile_free(&c);

    /* a main file that cannot be read: 2, no program */
    CHECK(nas_compile(&c, "/nonexistent/dir/x.nas", NULL) == 2);
    CHECK(!c.prog && c.done == COMPILE_NONE && strncmp(first_error(&c, e, sizeof e), "NAS0001", 7) == 0);
    nas_compile_free(&c);

    /* no model: an error unless the space is optional (nasc on a module of declarations) */
    const char *decls = "let width = 16\n";
    CHECK(nas_compile_string(&c, "decls.nas", decls, NULL) == 1);
    CHECK(c.done == COMPILE_SEMA && !c.space && strcmp(first_error(&c, e, sizeof e), "NAS0803 at 1:1") == 0);
    nas_compile_free(&c);
    CHECK(nas_compile_string(&c, "decls.nas", decls, &(CompileOptions){.space_optional = true}) == 0);
    CHECK(c.done == COMPILE_SEMA && !c.space && c.diag.count == 0);
    nas_compile_free(&c);
}

/* `use "./f.nas"` in a string is relative to the directory of its name. */
static void test_relative_use(void)
{
    Compiled c;
    CHECK(nas_compile_string(&c, NAS_STDLIB_DIR "/main.nas", "use \"./layers.nas\"\nlet n = 1\n",
                             &(CompileOptions){.upto = COMPILE_SEMA}) == 0);
    CHECK(c.prog && c.prog->nmodules == 2);
    CHECK(c.prog && strcmp(c.prog->modules[0]->path, NAS_STDLIB_DIR "/layers.nas") == 0);
    CHECK(c.prog && sema_lookup_global(c.prog, "conv2d") != NULL);
    nas_compile_free(&c);
}

/* $NAS_STDLIB first; else (no installed tree beside this test binary) the source tree's. */
static void test_stdlib_lookup(void)
{
    unsetenv("NAS_STDLIB");
    CHECK(strcmp(program_stdlib_dir(), NAS_STDLIB_DIR) == 0);
    setenv("NAS_STDLIB", "", 1); /* empty: as if unset */
    CHECK(strcmp(program_stdlib_dir(), NAS_STDLIB_DIR) == 0);
    setenv("NAS_STDLIB", "/nonexistent/stdlib", 1);
    CHECK(strcmp(program_stdlib_dir(), "/nonexistent/stdlib") == 0);
    Compiled c;
    char e[64];
    CHECK(nas_compile_string(&c, "env.nas", "use std.layers\n", NULL) == 1);
    CHECK(strcmp(first_error(&c, e, sizeof e), "NAS0004 at 1:5") == 0);
    nas_compile_free(&c);
    /* an explicit directory wins over the environment */
    CHECK(nas_compile_string(&c, "env.nas", "use std.layers\n",
                             &(CompileOptions){.stdlib_dir = NAS_STDLIB_DIR, .upto = COMPILE_SEMA}) == 0);
    nas_compile_free(&c);
    unsetenv("NAS_STDLIB");
}

int main(void)
{
    test_every_phase();
    test_errors();
    test_relative_use();
    test_stdlib_lookup();
    if (failures) fprintf(stderr, "compile_test: %d failures\n", failures);
    else printf("compile_test: ok\n");
    return failures ? 1 : 0;
}
