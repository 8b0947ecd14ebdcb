/* load.c — program_load: the main file (or text in memory) and every module it uses, each
 * read and parsed once, in dependency order; a missing module or a cycle of `use` is reported
 * at the `use`. Also where the standard library is (program_stdlib_dir). */
#include "program.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "parse.h"
#include "source.h"

typedef struct Seen {
    Module *m;
    const char *real;
    bool loading;
} Seen;
typedef struct Frame {
    Module *m;
    Node *use;
} Frame; /* use: how the parent reached m */

typedef struct Loader {
    Arena *a;
    Diag *d;
    const char *stdlib_dir;
    Seen *seen;
    int nseen, capseen; /* every module, by real path */
    Frame *stack;
    int depth, capstack; /* the chain being loaded, for cycle reports */
    Module **order;
    int norder, caporder; /* post-order: each after what it uses */
} Loader;

/* Arena-backed growth of an array of `count` elements to hold one more. */
static void *reserve(Arena *a, void *old, int count, int *cap, size_t elem)
{
    if (count < *cap) return old;
    int ncap = *cap ? *cap * 2 : 8;
    void *p = arena_alloc(a, elem * (size_t)ncap);
    if (old) memcpy(p, old, elem * (size_t)count);
    *cap = ncap;
    return p;
}

/* `rel` relative to the directory of `file`, without "./" noise: "x/./y" and "./y" read badly. */
static const char *join_dir_of(Arena *a, const char *file, const char *rel)
{
    while (rel[0] == '.' && rel[1] == '/') rel += 2;
    const char *slash = strrchr(file, '/');
    if (!slash) return rel;
    return arena_printf(a, "%.*s/%s", (int)(slash - file), file, rel);
}

/* The file a `use` names, or NULL after reporting that it names none. */
static const char *resolve(Loader *L, const Module *from, const Node *use)
{
    const char *p = use->use.path;
    if (use->use.is_file) return p[0] == '/' ? p : join_dir_of(L->a, from->path, p);
    if (strncmp(p, "std.", 4) != 0 || !p[4]) {
        diag_error(L->d, NAS0004, use->use.path_loc,
                   "unknown module '%s': standard modules are named std.NAME, files are used as \"./file.nas\"", p);
        return NULL;
    }
    char *rel = arena_strdup(L->a, p + 4);
    for (char *c = rel; *c; c++)
        if (*c == '.') *c = '/';
    return arena_printf(L->a, "%s/%s.nas", L->stdlib_dir, rel);
}

/* How messages name a module: std.x by its name, a file by the path it was found at. */
static const char *shown(const Module *m) { return strncmp(m->name, "std.", 4) == 0 ? m->name : m->path; }

/* stack[from].m is being used again by the module on top of the stack, at `closing`. */
static void report_cycle(Loader *L, int from, const Node *closing)
{
    char buf[2048] = "";
    for (int i = from; i <= L->depth; i++) {
        const Module *m = i < L->depth ? L->stack[i].m : L->stack[from].m;
        if (i > from) strncat(buf, " -> ", sizeof buf - strlen(buf) - 1);
        strncat(buf, shown(m), sizeof buf - strlen(buf) - 1);
    }
    int e = diag_error(L->d, NAS0005, closing->use.path_loc, "cycle of `use`: %s", buf);
    for (int i = from; i < L->depth; i++) {
        const Node *u = i + 1 < L->depth ? L->stack[i + 1].use : closing;
        const Module *next = i + 1 < L->depth ? L->stack[i + 1].m : L->stack[from].m;
        diag_note(L->d, e, u->use.path_loc, "%s uses %s here", shown(L->stack[i].m), shown(next));
    }
}

static Module *load_module(Loader *L, const char *path, const char *name, Node *use, const char *text);

static void load_uses(Loader *L, Module *m)
{
    for (int i = 0; i < m->ast->decls.count; i++) {
        Node *u = m->ast->decls.items[i];
        if (u->kind != N_USE) continue;
        const char *path = resolve(L, m, u);
        Module *dep = path ? load_module(L, path, u->use.path, u, NULL) : NULL;
        if (!dep) continue;
        bool again = false;
        for (int j = 0; j < m->nuses; j++) again |= m->uses[j] == dep;
        if (again) continue;
        Module **uses = arena_alloc(L->a, sizeof(Module *) * (size_t)(m->nuses + 1));
        if (m->nuses) memcpy(uses, m->uses, sizeof(Module *) * (size_t)m->nuses);
        uses[m->nuses++] = dep;
        m->uses = uses;
    }
}

/* Loads `path` (called `name` in messages), reached through `use` (NULL: the main file),
 * from `text` when given (the main file's text in memory) else from the file.
 * NULL when it cannot be loaded or closes a cycle (both reported). */
static Module *load_module(Loader *L, const char *path, const char *name, Node *use, const char *text)
{
    struct stat st;
    if (use && stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            diag_error(L->d, NAS0004, use->use.path_loc, "module '%s' not found (looked for %s)", name, path);
        else /* a symlink loop, a path too long, no permission: say so rather than "not found" */
            diag_error(L->d, NAS0001, use->use.path_loc, "cannot read module '%s' (%s): %s", name, path,
                       strerror(errno));
        return NULL;
    }
    char realbuf[PATH_MAX];
    const char *real = realpath(path, realbuf) ? arena_strdup(L->a, realbuf) : path;
    for (int i = 0; i < L->nseen; i++) {
        if (strcmp(L->seen[i].real, real) != 0) continue;
        if (!L->seen[i].loading) return L->seen[i].m;
        for (int s = 0; s < L->depth; s++)
            if (L->stack[s].m == L->seen[i].m) report_cycle(L, s, use);
        return NULL;
    }
    int file = text ? source_add_bytes(L->d, path, text, strlen(text))
                    : source_read(L->d, path, use ? &use->use.path_loc : NULL);
    /* A main file that was read but rejected (bad UTF-8, too large) is an empty module:
     * the error is about the input (exit 1), not about reading it (exit 2). */
    if (file == SOURCE_UNREADABLE || (file < 0 && use)) return NULL;
    Module *m = ARENA_NEW(L->a, Module);
    m->path = path;
    m->name = name;
    if (file >= 0) m->ast = parse_file(L->a, L->d, file);
    else {
        m->ast = ARENA_NEW(L->a, AstFile);
        m->ast->file = L->d->nfiles - 1;
    }

    L->seen = reserve(L->a, L->seen, L->nseen, &L->capseen, sizeof *L->seen);
    int self = L->nseen++;
    L->seen[self] = (Seen){m, real, true};
    L->stack = reserve(L->a, L->stack, L->depth, &L->capstack, sizeof *L->stack);
    L->stack[L->depth++] = (Frame){m, use};
    load_uses(L, m);
    L->depth--;
    L->seen[self].loading = false;
    L->order = reserve(L->a, L->order, L->norder, &L->caporder, sizeof *L->order);
    L->order[L->norder++] = m;
    return m;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *program_stdlib_dir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("NAS_STDLIB");
    if (env && *env) return env;
    if (!found[0]) {
        /* An installed tree: <prefix>/bin/nasc next to <prefix>/share/nas/stdlib. */
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
        if (slash) *slash = 0;
        char candidate[PATH_MAX + 32];
        if (slash) snprintf(candidate, sizeof candidate, "%s/../share/nas/stdlib", exe);
        if (!slash || !realpath(candidate, found) || !is_dir(found))
            snprintf(found, sizeof found, "%s", NAS_STDLIB_DIR);
    }
    return found;
}

static Program *load(Arena *a, Diag *d, const char *path, const char *text, const char *stdlib_dir)
{
    Loader L = {.a = a, .d = d, .stdlib_dir = stdlib_dir ? stdlib_dir : program_stdlib_dir()};
    Module *main = load_module(&L, path, path, NULL, text);
    if (!main) return NULL;
    Program *p = ARENA_NEW(a, Program);
    p->arena = a;
    p->diag = d;
    p->modules = L.order;
    p->nmodules = L.norder;
    p->main = main;
    return p;
}

Program *program_load(Arena *a, Diag *d, const char *path, const char *stdlib_dir)
{
    return load(a, d, path, NULL, stdlib_dir);
}

Program *program_load_string(Arena *a, Diag *d, const char *name, const char *text, const char *stdlib_dir)
{
    return load(a, d, name, text, stdlib_dir);
}
