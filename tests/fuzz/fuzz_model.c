/* fuzz_model.c — libFuzzer target for the phases after the front end: whatever compiles
 * cleanly through sema is lowered to its space (compile.h), and the space is counted, its
 * architectures are sampled, identified, instantiated and checked as a whole (check.h) with a
 * small budget. Built with -DNAS_FUZZ=ON and clang; fuzz_replay runs the same function over
 * tests/fuzz/regress-model/ in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    Compiled c;
    CompileOptions o = {.space_optional = true};
    /* The inputs' `use std.x` resolve in the source tree's stdlib (NAS_STDLIB when set). */
    if (nas_compile_string(&c, "fuzz.nas", text, &o) == 0 && c.space) {
        CheckOptions co = check_defaults();
        co.exhaustive_limit = 16; /* keep an input fast: the budgets bound the work, not the space */
        co.samples = 8;
        co.static_budget = 2000;
        CheckResult r;
        check_space(c.space, &co, &r);
    }
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        diag_print(&c.diag, null, DIAG_TEXT, false);
        fclose(null);
    }
    nas_compile_free(&c);
    free(text);
    return 0;
}
