/* sema_scope.c — symbol tables, nested scopes, name resolution and "did you mean". */
#include <string.h>
#include <stdlib.h>
#include "sema_int.h"

static unsigned hash_str(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

SemaSym *symtab_find(const SymTab *t, const char *name)
{
    if (!t->cap) return NULL;
    for (unsigned i = hash_str(name) & (unsigned)(t->cap - 1);; i = (i + 1) & (unsigned)(t->cap - 1)) {
        SemaSym *s = t->slots[i];
        if (!s) return NULL;
        if (strcmp(s->name, name) == 0) return s;
    }
}

/* Inserts s; a symbol of the same name is replaced (callers report duplicates first). */
void symtab_put(Arena *a, SymTab *t, SemaSym *s)
{
    if ((t->count + 1) * 2 > t->cap) {
        SymTab n = {.cap = t->cap ? t->cap * 2 : 8};
        n.slots = ARENA_ARRAY(a, SemaSym *, n.cap);
        for (int i = 0; i < t->cap; i++)
            if (t->slots[i]) symtab_put(a, &n, t->slots[i]);
        *t = n;
    }
    for (unsigned i = hash_str(s->name) & (unsigned)(t->cap - 1);; i = (i + 1) & (unsigned)(t->cap - 1)) {
        if (!t->slots[i]) {
            t->slots[i] = s;
            t->count++;
            return;
        }
        if (strcmp(t->slots[i]->name, s->name) == 0) {
            t->slots[i] = s;
            return;
        }
    }
}

SemaSym *sema_new_sym(Sema *S, SemaSymKind k, const char *name, Loc loc, Node *decl)
{
    SemaSym *s = ARENA_NEW(S->a, SemaSym);
    s->kind = k;
    s->name = name;
    s->loc = loc;
    s->decl = decl;
    s->module = S->mod;
    return s;
}

void sema_push_scope(Sema *S)
{
    Scope *sc = ARENA_NEW(S->a, Scope);
    sc->parent = S->scope;
    S->scope = sc;
}

void sema_pop_scope(Sema *S) { S->scope = S->scope->parent; }

static SymTab *module_table(Sema *S, const Module *m)
{
    for (int i = 0; i < S->p->nmodules; i++)
        if (S->p->modules[i] == m) return &S->info->modtabs[i];
    return NULL;
}

/* Looks through the used modules; *other gets a second, different match (ambiguity). */
static SemaSym *find_imported(Sema *S, const char *name, SemaSym **other)
{
    SemaSym *found = NULL;
    *other = NULL;
    for (int i = 0; i < S->mod->nuses; i++) {
        SymTab *t = module_table(S, S->mod->uses[i]);
        SemaSym *s = t ? symtab_find(t, name) : NULL;
        if (!s) continue;
        if (!found) found = s;
        else if (s != found && !*other) *other = s;
    }
    return found;
}

static SemaSym *find_outer(Sema *S, Scope *from, const char *name)
{
    for (Scope *sc = from; sc; sc = sc->parent) {
        SemaSym *s = symtab_find(&sc->tab, name);
        if (s) return s;
    }
    SemaSym *s = symtab_find(&S->info->modtabs[S->modidx], name);
    if (s) return s;
    SemaSym *other;
    return find_imported(S, name, &other);
}

SemaSym *sema_find(Sema *S, const char *name)
{
    if (S->vocab) {
        SemaSym *s = symtab_find(S->vocab, name);
        if (s) return s;
    }
    return find_outer(S, S->scope, name);
}

void sema_declare_local(Sema *S, SemaSym *s)
{
    SemaSym *dup = symtab_find(&S->scope->tab, s->name);
    if (dup) {
        int di = diag_error(S->d, NAS0302, s->loc, "`%s` is already declared in this scope", s->name);
        diag_note(S->d, di, dup->loc, "first declared here");
    } else if (s->kind != SYM_PARAM) {
        /* Parameters are a block's interface: naming one like a top-level declaration
         * (`block stage(x, width)` beside `let width = ...`) is deliberate, not a slip. */
        SemaSym *outer = find_outer(S, S->scope->parent, s->name);
        if (outer) {
            int di = diag_warning(S->d, NAS0303, s->loc, "`%s` shadows an outer declaration", s->name);
            diag_note(S->d, di, outer->loc, "shadowed declaration is here");
        }
    }
    symtab_put(S->a, &S->scope->tab, s);
}

bool sema_loc_before(Loc a, Loc b) { return a.file != b.file ? a.file < b.file : a.begin < b.begin; }

/* A `let name` later in the current block body, for "used before its definition". */
static Node *later_let(NodeList body, const char *name, Loc at)
{
    for (int i = 0; i < body.count; i++) {
        Node *n = body.items[i], *r = NULL;
        if (n->kind == N_LET && strcmp(n->let.name, name) == 0 && sema_loc_before(at, n->let.name_loc)) return n;
        if (n->kind == N_REPEAT) r = later_let(n->repeat.body, name, at);
        if (n->kind == N_IF && !(r = later_let(n->if_.then, name, at))) r = later_let(n->if_.els, name, at);
        if (r) return r;
    }
    return NULL;
}

SemaSym *sema_resolve(Sema *S, const char *name, Loc at)
{
    if (S->vocab) {
        SemaSym *s = symtab_find(S->vocab, name);
        if (s) return s;
    }
    for (Scope *sc = S->scope; sc; sc = sc->parent) {
        SemaSym *s = symtab_find(&sc->tab, name);
        if (s) return s;
    }
    SemaSym *s = symtab_find(&S->info->modtabs[S->modidx], name);
    if (s) return s;
    SemaSym *other;
    s = find_imported(S, name, &other);
    if (s && other) {
        int di = diag_error(S->d, NAS0306, at, "`%s` is declared in more than one used module", name);
        diag_note(S->d, di, s->loc, "one declaration is here");
        diag_note(S->d, di, other->loc, "another is here");
    }
    if (s) return s;
    Node *late = S->fn ? later_let(S->fn->fndef.body, name, at) : NULL;
    if (late) {
        int di = diag_error(S->d, NAS0308, at, "`%s` is used before its definition", name);
        diag_note(S->d, di, late->let.name_loc, "defined here");
        return NULL;
    }
    int di = diag_error(S->d, NAS0301, at, "undefined name `%s`", name);
    for (int i = 0; i < S->p->nmodules; i++) { /* declared in a module this file did not use? */
        SemaSym *o = symtab_find(&S->info->modtabs[i], name);
        if (o && i != S->modidx) {
            diag_note(S->d, di, o->loc, "`%s` is declared in module `%s`, which this file does not `use`", name,
                      S->p->modules[i]->name);
            return NULL;
        }
    }
    sema_suggest_name(S, di, name, at);
    return NULL;
}

int sema_edit_distance(const char *a, const char *b, int limit)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (abs(la - lb) > limit || la > 63 || lb > 63) return limit + 1;
    int prev[64], cur[64];
    for (int j = 0; j <= lb; j++) prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        for (int j = 1; j <= lb; j++) {
            int c = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < c) c = prev[j] + 1;
            if (cur[j - 1] + 1 < c) c = cur[j - 1] + 1;
            cur[j] = c;
        }
        memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
    }
    return prev[lb];
}

/* The accepted distance: 1 for short names, 2 otherwise, never the whole word. */
static int max_distance(const char *name)
{
    int len = (int)strlen(name);
    return len <= 1 ? 0 : len <= 3 ? 1 : 2;
}

typedef struct Best {
    const char *name;
    int dist;
} Best;

static void consider(Best *b, const char *want, const char *cand)
{
    if (strcmp(want, cand) == 0) return;
    int d = sema_edit_distance(want, cand, max_distance(want));
    if (d <= max_distance(want) && d < b->dist) {
        b->name = cand;
        b->dist = d;
    }
}

const char *sema_closest(const char *name, const char *const *cands, int n)
{
    Best b = {NULL, 1 << 20};
    for (int i = 0; i < n; i++) consider(&b, name, cands[i]);
    return b.name;
}

static void consider_table(Best *b, const char *want, const SymTab *t, Loc at)
{
    for (int i = 0; t && i < t->cap; i++) {
        SemaSym *s = t->slots[i];
        /* Locals of the current function count only once declared. */
        if (s && !((s->kind == SYM_LOCAL) && !sema_loc_before(s->loc, at))) consider(b, want, s->name);
    }
}

void sema_suggest_name(Sema *S, int di, const char *name, Loc at)
{
    Best b = {NULL, 1 << 20};
    if (S->vocab) consider_table(&b, name, S->vocab, at);
    for (Scope *sc = S->scope; sc; sc = sc->parent) consider_table(&b, name, &sc->tab, at);
    consider_table(&b, name, &S->info->modtabs[S->modidx], at);
    for (int i = 0; i < S->mod->nuses; i++) consider_table(&b, name, module_table(S, S->mod->uses[i]), at);
    if (b.name) diag_note(S->d, di, at, "did you mean `%s`?", b.name);
}
