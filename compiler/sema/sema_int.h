/* sema_int.h — what the sema_*.c files share: symbol tables, scopes, the checker state. */
#ifndef NAS_SEMA_INT_H
#define NAS_SEMA_INT_H
#include "sema.h"

/* A hash table of symbols by name (open addressing, arena-grown). */
typedef struct SymTab {
    SemaSym **slots;
    int cap, count;
} SymTab;

typedef struct Scope {
    struct Scope *parent; /* NULL: the next outer level is the module */
    SymTab tab;
} Scope;

typedef struct SemaParam {
    const char *name;
    Loc loc;
    bool has_loc;
    const SemaType *type;
    bool has_default;
} SemaParam;

/* A call signature: an extern, a block, or a setting option such as sgd(lr, momentum). */
struct SemaSig {
    const char *name;
    Loc loc;
    bool has_loc; /* where "signature" notes point; builtin options have none */
    SemaParam *params;
    int nparams;
    const SemaType *result;
};

typedef struct ValEntry {
    const Node *key;
    SemaValue v;
} ValEntry;

struct SemaInfo {
    SymTab *modtabs; /* top-level names declared by p->modules[i] */
    ValEntry *vals;
    int vcap, vcount;
};

typedef struct Sema {
    Program *p;
    Arena *a;
    Diag *d;
    SemaInfo *info;
    int modidx;
    Module *mod;
    Scope *scope;     /* innermost local scope; NULL at top level */
    Node *fn;         /* block/model being checked, NULL at top level */
    SymTab *vocab;    /* words of the setting being checked, looked up first; or NULL */
    bool has_trainer; /* a trainer is declared: unknown metrics are its reports */
} Sema;

/* Common types (sema_types.c). */
extern const SemaType sema_ty_error, sema_ty_int, sema_ty_float, sema_ty_bool, sema_ty_string, sema_ty_tensor,
    sema_ty_list, sema_ty_data_part, sema_ty_time, sema_ty_memory, sema_ty_ratio, sema_ty_count, sema_ty_stage,
    sema_ty_decl, sema_ty_dataset;
const SemaType *sema_ty_quantity(UnitDim d);
const SemaType *sema_ty_list_of(Sema *S, const SemaType *elem);
const SemaType *sema_ty_callable(Sema *S, const Node *decl);
bool sema_ty_numeric(const SemaType *t); /* int or float */
bool sema_ty_assignable(const SemaType *want, const SemaType *got);
bool sema_ty_same_kind(const SemaType *a, const SemaType *b);
const char *sema_dim_name(UnitDim d);
/* A written type (N_TYPE) to a SemaType; reports unknown names and bad dims. */
const SemaType *sema_type_of(Sema *S, Node *type);

/* Symbol tables and scopes (sema_scope.c). */
SemaSym *symtab_find(const SymTab *t, const char *name);
void symtab_put(Arena *a, SymTab *t, SemaSym *s);
SemaSym *sema_new_sym(Sema *S, SemaSymKind k, const char *name, Loc loc, Node *decl);
void sema_push_scope(Sema *S);
void sema_pop_scope(Sema *S);
/* Declares a local or parameter in the innermost scope (duplicate: error; shadowing: warning). */
void sema_declare_local(Sema *S, SemaSym *s);
/* Resolves a name at use site `at`; reports undefined/ambiguous; NULL when not found. */
SemaSym *sema_resolve(Sema *S, const char *name, Loc at);
/* Finds without reporting (locals, module, imports). */
SemaSym *sema_find(Sema *S, const char *name);
/* The closest (edit distance <= 2) of `n` candidate words, or NULL. */
const char *sema_closest(const char *name, const char *const *cands, int n);
int sema_edit_distance(const char *a, const char *b, int limit);
/* Appends "did you mean `x`?" to diagnostic `di` when a visible name is close. */
void sema_suggest_name(Sema *S, int di, const char *name, Loc at);
bool sema_loc_before(Loc a, Loc b);

/* Expressions (sema_expr.c). */
const SemaType *sema_expr(Sema *S, Node *e);
/* A pipeline target or a choice item used as one: applies `input` (may be NULL). */
const SemaType *sema_apply(Sema *S, Node *target, const SemaType *input, Loc input_loc);
void sema_set_const(Sema *S, const Node *n, SemaValue v);
const SemaValue *sema_get_const(const Sema *S, const Node *n);
/* Checks that a top-level let is resolved (types and folds it on first use). */
void sema_check_global_let(Sema *S, SemaSym *s);

/* Calls (sema_call.c). */
const SemaSig *sema_sig_of(Sema *S, SemaSym *callee);
/* Checks the arguments of a call against sig. `input`: a pipeline's left side, prepended
 * as the first positional argument (NULL: none). `partial`: the first parameter is left
 * open (a callable value). report=false: only answers whether it would pass. */
bool sema_check_args(Sema *S, const SemaSig *sig, Node *call, const SemaType *input, Loc input_loc, bool partial,
                     bool report);
SemaSig *sema_sig_builtin(Arena *a, const char *name, const SemaType *result, int n, const char *const *names,
                          const SemaType *const *types, const bool *has_default);

/* Pre-order walk over the statements and expressions below n (sema_lint.c); the visitor
 * returns true to stop. */
typedef bool (*SemaVisit)(Node *n, void *ctx);
bool sema_walk(Node *n, SemaVisit f, void *ctx);
bool sema_walk_list(NodeList l, SemaVisit f, void *ctx);
/* Whether e holds a choice or oneof, directly or through top-level lets. */
bool sema_has_decision(Node *e);

/* Statements and declarations. */
void sema_check_fndef(Sema *S, Node *fn);          /* sema_body.c */
void sema_check_settings(Sema *S, Node *decl);     /* sema_settings.c */
void sema_lint_program(Sema *S);                   /* sema_lint.c */
void sema_check_limits(Sema *S, const Node *decl); /* sema_limits.c */
#endif
