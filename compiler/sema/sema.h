/* sema.h — semantic analysis: names and scopes, modules, types and units, layer arity
 * and keyword arguments, constant folding, settings of each declaration, NAS lints.
 * Annotates the AST (Node.sym, Node.type) and fills Program.sema for later phases. */
#ifndef NAS_SEMA_H
#define NAS_SEMA_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "program.h"

struct NasConfig; /* config.h */

/* The type of an expression. TY_ERROR means "already reported": every check accepts
 * it silently so one mistake gives one diagnostic. */
typedef enum SemaTypeKind {
    TY_ERROR = 0,
    TY_INT,
    TY_FLOAT,
    TY_BOOL,
    TY_STRING,
    TY_QUANTITY,  /* dim */
    TY_TENSOR,    /* has_shape: dims[ndims] (batch excluded) */
    TY_LIST,      /* elem (NULL for the empty list or "list of anything") */
    TY_CALLABLE,  /* a block, layer or fn value, possibly partially applied: decl */
    TY_DATASET,   /* a dataset declaration */
    TY_DATA_PART, /* dataset.train / dataset.test */
    TY_STAGE,     /* a search or train declaration */
    TY_DECL,      /* any other declaration name (reward, controller, ...) */
} SemaTypeKind;

typedef struct SemaType {
    SemaTypeKind kind;
    UnitDim dim;                 /* TY_QUANTITY */
    const struct SemaType *elem; /* TY_LIST */
    bool has_shape;
    int ndims;
    const int64_t *dims; /* TY_TENSOR */
    const Node *decl;    /* TY_CALLABLE: the N_BLOCK/N_EXTERN/N_MODEL (NULL: several) */
} SemaType;

typedef enum SemaSymKind {
    SYM_LET,   /* top-level let (a constant or a shared decision) */
    SYM_LOCAL, /* let inside a block/model body */
    SYM_PARAM,
    SYM_BLOCK,
    SYM_MODEL,
    SYM_EXTERN_BLOCK,
    SYM_EXTERN_FN,
    SYM_DATASET,
    SYM_SEARCH,
    SYM_TRAIN,
    SYM_REWARD,
    SYM_CONTROLLER,
    SYM_PROXY,
    SYM_TUNE,
    SYM_TRAINER,
    SYM_VOCAB, /* a word of a setting's vocabulary (metric, `failed`, `converged`...) */
} SemaSymKind;

typedef struct SemaSig SemaSig;

/* What a name resolves to. Node.sym of an N_NAME (and of a callee name) points here. */
typedef struct SemaSym {
    SemaSymKind kind;
    const char *name;
    Loc loc;              /* the declaring name */
    Node *decl;           /* the declaration node (N_LET, N_PARAM, N_BLOCK, ...) */
    Module *module;       /* module that declares it (NULL for vocabulary words) */
    const SemaType *type; /* value type; NULL until checked */
    const SemaSig *sig;   /* callables: the checked signature */
    int state;            /* internal: top-level let resolution (0 new, 1 busy, 2 done) */
    bool assigned;        /* a local/param rebound by `name = ...` somewhere */
    bool used;            /* some expression names it */
} SemaSym;

/* A folded constant. */
typedef enum SemaValKind { VAL_NONE = 0, VAL_INT, VAL_FLOAT, VAL_BOOL, VAL_STRING, VAL_QUANTITY } SemaValKind;
typedef struct SemaValue {
    SemaValKind kind;
    int64_t i;     /* VAL_INT, VAL_BOOL */
    double f;      /* VAL_FLOAT, VAL_QUANTITY (base units) */
    UnitDim dim;   /* VAL_QUANTITY */
    const char *s; /* VAL_STRING */
} SemaValue;

/* What sema leaves on the AST for later phases:
 * - Node.sym on every resolved N_NAME (callees and pipeline targets included), on N_ASSIGN,
 *   on each N_PARAM and local N_LET, and on every named top-level declaration.
 * - Node.type on every expression. A choice/oneof item that is a partially applied layer
 *   (`choice [conv2d(16), identity]`) has type TY_CALLABLE; in `x |> choice [...]` the
 *   choice node is TY_CALLABLE and each item has the type of its application to x.
 * - Folded constants, read with sema_const(). */

/* Per-program results, read by later phases through the functions below. */
typedef struct SemaInfo SemaInfo;

/* Checks every module of p (stdlib modules too). All diagnostics go to p->diag.
 * Returns true when no errors were found (warnings allowed). */
bool sema_check(Program *p);

/* The folded value of an expression node, or NULL when it is not a constant.
 * Names of top-level constant lets fold to their value. */
const SemaValue *sema_const(const Program *p, const Node *expr);
bool sema_const_int(const Program *p, const Node *expr, int64_t *out);
bool sema_const_number(const Program *p, const Node *expr, double *out); /* int, float or quantity */

/* The choice an expression is, directly or through top-level lets (`batch bs` with
 * `let bs = choice [32, 64]`), or NULL (a constant, arithmetic over a decision, ...). */
const Node *sema_choice_of(const Node *e);

/* The setting `key` of a declaration (N_DATASET..N_TRAINER), or NULL. */
Node *sema_setting(const Node *decl, const char *key);

/* The argument `name` of an option call such as `adam(lr = 0.01)` or `evolution(64, 16)`:
 * by keyword, else the positional one at `pos`; NULL when not given. */
const Node *sema_option_arg(const Node *option, const char *name, int pos);

/* Top-level declaration `name` of the main module or a module it uses, or NULL. */
SemaSym *sema_lookup_global(const Program *p, const char *name);

/* The model a search trains: the main file's model named `name` (NULL: its first), or NULL;
 * *count: how many models match (more than one without a name: ambiguous). */
const Node *sema_model(const Program *p, const char *name, int *count);

/* The data-model boundary (sema_boundary.c): every dataset a stage of c uses against the
 * model the file searches (`name` as for sema_model; nothing when there is no single one):
 * `input` against its input tensor, `classes` against its result (NAS0613). */
void sema_check_boundary(Program *p, const struct NasConfig *c, const char *name);

/* Called by the space phase once it knows the size of the space: warns (NAS0703)
 * when the space holds more than 10^20 architectures. at: the model's name. */
void sema_lint_space_size(Program *p, double log10_size, Loc at);

/* Writes the settings tables of docs/settings.md, generated from the settings table: each
 * between the lines `<!-- settings: NAME -->` and `<!-- end settings -->` (nasc --settings-doc). */
void sema_write_settings_doc(FILE *out);

/* Text of a type for messages: "tensor[1, 28, 28]", "time", "list of int". */
const char *sema_type_name(Arena *a, const SemaType *t);
#endif
