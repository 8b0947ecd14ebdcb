/* compile.h — the one way from a .nas file (or its text) to what the later phases use:
 * load (program.h) -> sema (sema.h) -> the run configuration (config.h) -> the model lowered
 * to its space (model.h), in that order, each phase only after the previous one was clean.
 * nasc, nasrun and the tests compile through here; the diagnostics of every phase are in
 * one Diag, for the caller to print.
 *
 *     Compiled c;
 *     int rc = nas_compile_string(&c, "t.nas", "use std.layers\nmodel m(x: tensor[1, 8, 8]) {...}", NULL);
 *     ... c.space, c.config ...
 *     nas_compile_free(&c);
 *
 * Ownership: everything in a Compiled lives in its arena (the Space too, freed with it) until
 * nas_compile_free. A Compiled must stay where it was compiled (its Diag points at its arena). */
#ifndef NAS_COMPILE_H
#define NAS_COMPILE_H
#include <stdbool.h>
#include "check.h"
#include "config.h"
#include "feasible.h"
#include "model.h"
#include "program.h"
#include "sema.h"

typedef enum CompilePhase {
    COMPILE_NONE,  /* nothing succeeded: the main file could not be read */
    COMPILE_PARSE, /* the program and its modules are loaded and parsed without errors */
    COMPILE_SEMA,  /* sema accepted it; the configuration is built */
    COMPILE_SPACE, /* the model is lowered to its space */
} CompilePhase;

typedef struct CompileOptions {
    const char *stdlib_dir; /* NULL: program_stdlib_dir() */
    CompilePhase upto;      /* the last phase to run; COMPILE_NONE (0): every phase */
    const char *model;      /* the model to lower; NULL: the file's only model */
    bool space_optional;    /* a file that declares no model and no search (a module of
                                  declarations) has no space, and that is not an error */
    bool skip_feasible;     /* no feasible-set DP (feasible.h): an editor recompiles on every
                                  change and shows no count */
} CompileOptions;

typedef struct Compiled {
    Arena arena;
    Diag diag;            /* every phase's diagnostics */
    Program *prog;        /* NULL when the main file could not be read */
    CompilePhase done;    /* the last phase that succeeded */
    const SemaInfo *sema; /* from COMPILE_SEMA on (== prog->sema) */
    NasConfig *config;    /* from COMPILE_SEMA on */
    ModelSpace *space;    /* at COMPILE_SPACE; NULL before, and with space_optional when
                                  the file has no model */
    /* The reward's hard constraints on params / FLOPs (feasible.h): constrained says there
     * are some; feas, the exact count or why it is not known; feasible, when known, is the
     * space's sampler (every random draw is feasible). */
    bool constrained;
    FeasBound bound;
    FeasInfo feas;
    Feasible *feasible;
} Compiled;

/* Compiles `path` (o NULL: every phase, the default stdlib). Returns what nasc and nasrun
 * exit with: 0 no errors (warnings allowed), 1 errors in the input, 2 the main file could
 * not be read. nas_compile_free must be called in every case. */
int nas_compile(Compiled *c, const char *path, const CompileOptions *o);
/* The same for the main file's text in memory (NUL-terminated), called `name` in messages;
 * its `use "./f.nas"` are relative to name's directory. */
int nas_compile_string(Compiled *c, const char *name, const char *text, const CompileOptions *o);
void nas_compile_free(Compiled *c);

/* The whole-space check of a compiled file (check.h), the one nasc, nasrun and nasls run: every
 * architecture of the space (the feasible set aside: bounds over all of it) at the declared model
 * and at each of a proxy's candidates, memory at the first search's largest batch and its
 * optimizer's slots. Failures are diagnostics in c->diag. co: the options used (for the
 * summary); r: the result; proxies: the candidates' verdicts, "" without any (size bytes). Needs
 * c->space. Returns the errors it reported (0: every architecture builds everywhere). */
int nas_compile_check(Compiled *c, CheckOptions *co, CheckResult *r, char *proxies, size_t size);
#endif
