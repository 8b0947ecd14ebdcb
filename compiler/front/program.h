/* program.h — a loaded program: the main file and every module it uses, each parsed once.
 * Built by program_load (load.c), checked by sema_check (sema.c), read by later phases. */
#ifndef NAS_PROGRAM_H
#define NAS_PROGRAM_H
#include "ast.h"
#include "diag.h"

typedef struct Module {
    const char *path; /* resolved file path */
    const char *name; /* "std.layers", or the path as written in `use` */
    AstFile *ast;
    struct Module **uses;
    int nuses; /* direct dependencies, in source order */
} Module;

typedef struct Program {
    Arena *arena;
    Diag *diag;
    Module **modules;
    int nmodules; /* dependency order: each after all it uses; main last */
    Module *main;
    struct SemaInfo *sema; /* sema.h; NULL until sema_check ran */
} Program;

/* Reads and parses `path` and, transitively, every `use`d module (std.x from
 * stdlib_dir, NULL: program_stdlib_dir(); "./f.nas" relative to the using file).
 * I/O problems, a missing module and a `use` cycle are diagnostics. Returns NULL
 * only when the main file itself cannot be read (then nasc exits 2). */
Program *program_load(Arena *a, Diag *d, const char *path, const char *stdlib_dir);

/* The same with the main file's text in memory (NUL-terminated), called `name` in
 * messages; its `use "./f.nas"` are relative to name's directory. It gets the checks
 * of a file (UTF-8, no NUL, size), so it never returns NULL. */
Program *program_load_string(Arena *a, Diag *d, const char *name, const char *text, const char *stdlib_dir);

/* Where `use std.x` looks: $NAS_STDLIB when set and not empty, else
 * <directory of the running program>/../share/nas/stdlib when that is a directory (an
 * installed tree), else the source tree's stdlib/ (NAS_STDLIB_DIR, compiled in). */
const char *program_stdlib_dir(void);
#endif
