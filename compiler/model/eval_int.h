/* eval_int.h — the model interpreter's values, environments and context. The interpreter
 * (eval*.c) is a leaf: it knows none of its clients. Lowering and instantiation (model.c) and
 * the whole-space check (check_static.c) include this header, set up an Eval and install
 * their EvalHooks; the interpreter asks the hooks for what differs between them. */
#ifndef NAS_EVAL_INT_H
#define NAS_EVAL_INT_H
#include <stdbool.h>
#include <stdint.h>
#include "model.h"

typedef enum ValKind {
    V_NONE,
    V_INT,
    V_FLOAT,
    V_BOOL,
    V_STRING,
    V_QUANTITY,
    V_TENSOR, /* graph value id; -1 while lowering (then Value.shape follows its shape) */
    V_LIST,
    V_CALLABLE, /* a block, a layer (extern) or a partial application of one */
    V_SYM,      /* lowering only: a value that depends on decisions (an expression over them) */
    V_DEFERRED, /* whole-space check: a top-level let holding a decision, passed by name to a
                   block and read (forced) only where the block uses it (deferred.decl) */
} ValKind;

typedef struct Value Value;
typedef struct LowShape LowShape; /* eval_shape.c */
struct Value {
    ValKind kind;
    union {
        int64_t i;     /* INT, BOOL */
        double f;      /* FLOAT, QUANTITY */
        const char *s; /* STRING */
        int t;         /* TENSOR */
        struct {
            Value **items;
            int n;
        } list;
        struct {
            const Node *decl;
            Value **args;
            const char **names;
            int nargs;
        } fn;
        struct {
            int op;
            const Value *a, *b, *c;
            int slot;
            Value **vals;
        } sym;
        struct {
            const Node *decl; /* the N_LET */
        } deferred;
        /* sym.op 0: the value of decision `slot`; vals[v] is the language value of slot
         * value v for categorical decisions (NULL: computed from the Space: ranges, bool).
         * 'S': c ? a : b (a variable changed under a decided `if`). 'X': a tensor dimension
         * that depends on several decisions (eval_shape.c); a holds its value when every
         * decision takes its first value. Else a unary (b NULL) or binary operator of ast.h
         * over a and b. */
    };
    UnitDim dim;           /* QUANTITY */
    const LowShape *shape; /* TENSOR while lowering: its dimensions as functions of the decisions */
    /* Whole-space check: the value of a float decision the check only tries at a few points
     * (SAMPLED_SELF), or a number computed from one (SAMPLED_DERIVED). See check_static.c. */
    uint8_t sampled;
};
enum { SAMPLED_NO, SAMPLED_SELF, SAMPLED_DERIVED };

typedef struct Binding {
    const char *name;
    Value *val;
    struct Binding *next;
} Binding;

/* A block instance: where decisions are named from and keyed by. */
typedef struct Frame {
    const char *path; /* "" for the model, "stage[1]" / "stage[1].conv_bn[0]" below */
} Frame;

/* One conjunct of a lowering condition: decision `slot` holds a value in one interval. */
typedef struct CondTerm {
    int slot;
    int n;
    SpaceInterval *iv;
} CondTerm;

/* A lowering condition: a conjunction of terms over distinct decisions, none implied by
 * another (no terms: unconditional). A decision met under it gets one guard per term. */
typedef struct Cond {
    int nterm;
    CondTerm *term;
    bool refused; /* under a branch whose condition over several decisions is no conjunction
                     (an `or`, the `else` of an `and`): a decision here cannot be expressed */
    Loc refused_at;
} Cond;

/* What model.c keeps of a lowering (shared by every instantiation and check). */
struct ModelSpace {
    Program *prog;
    const Node *model;
    Space *space;
    struct KeyMap *keys;
    int *global_slots;
    int nglobal, capglobal; /* decisions of top-level lets */
    Arena *arena;           /* the lowering's: the name table below lives there */
    struct KeyMap *names;   /* top-level name -> declaration (eval_find_decl) */
};

typedef struct Eval Eval;

/* What the interpreter asks of its client. Every client installs the first three (static
 * tables in model.c and check_static.c); `client` in the Eval is theirs. */
typedef struct EvalHooks {
    /* A user block called at `site`, its arguments bound to its parameters (defaults filled
     * in): its result, NULL on failure (E->failed set). eval_call_user runs the body. */
    Value *(*call_block)(Eval *E, const Node *decl, Value **args, const Node *site);
    /* Instantiation: the value of decision `slot` in this run (SPACE_INACTIVE when it has
     * none). *sampled: the client tries this float at a few points only (Value.sampled). */
    int32_t (*decision)(Eval *E, int slot, bool *sampled);
    /* A sampled float (Value.sampled) was observed where its value could change the graph
     * or its validity (a comparison, a layer argument that sets sizes). */
    void (*sampled_observed)(Eval *E);
    /* Whether a top-level let holding a decision, given by name as an argument of a user
     * block, is passed unread (V_DEFERRED) for the callee to read where it uses it. NULL:
     * never (every value is read where it is named). */
    bool defer_shared;
    /* Iterations from..count-1 of the repeat s (a constant count, or decided and already
     * read): 1 the client ran them (env updated), 0 not taken (the interpreter runs them),
     * -1 failed (E->failed set). NULL: never taken. */
    int (*repeat)(Eval *E, Binding **env, const Node *s, int from, int count);
} EvalHooks;

struct Eval {
    Program *prog;
    struct ModelSpace *ms;
    Arena *a; /* values, environments, names */
    bool lowering;
    const EvalHooks *hooks; /* the client's (never NULL) */
    void *client;           /* the client's context: the hooks read it */
    /* lowering */
    Space *space;
    Cond cond;
    Diag *diag;
    bool failed;          /* a diagnostic was reported: stop */
    bool quiet_fail;      /* failed without a message of its own: a hook reported it */
    struct KeyMap *keys;  /* decision key -> slot; instance key -> name (model.c owns it) */
    bool in_global;       /* evaluating a top-level let */
    const Node *let_site; /* the value node of the `let` being evaluated: names its decision */
    const char *let_name;
    /* instantiate */
    Graph *g;
    const int64_t *input; /* the input's dimensions instead of the declared ones (a proxy's
                             resolution: the declared rank), NULL: the declared */
    double width;         /* a proxy's width multiplier of conv2d and pointwise filters (0: full) */
    ModelError *err;
    Loc *origins; /* Graph.origin of a node indexes this: the source of its op */
    int norigins, caporigins;
    /* both */
    Frame *frame;
    char iter[128]; /* repeat iteration chain of the current frame: "" or "1.0" */
    int depth;      /* call depth, bounds recursion */
    struct Globals *globals;
};

/* eval.c */
Value *eval_binop(Eval *E, int op, Value *a, Value *b, Loc loc);
Value *eval_unop(Eval *E, int op, Value *a, Loc loc);
Value *eval_apply(Eval *E, Binding **env, const Node *rhs, Value *input); /* input |> rhs */
Value *eval_expr(Eval *E, Binding **env, const Node *e);
Value *eval_call_user(Eval *E, const Node *decl, Value **args, const Node *site); /* a user block */
Value *eval_call_value(Eval *E, Value *fn, Value **pos, int npos, const char **knames, Value **kvals, int nk,
                       const Node *site);
bool eval_body(Eval *E, Binding **env, const NodeList *body, Value **ret);
/* Iteration i of a repeat's body (E->iter extended by i); iterations from..count-1 of the
 * repeat s, offered to EvalHooks.repeat first. */
bool eval_iteration(Eval *E, Binding **env, const NodeList *body, int i, Value **ret);
bool eval_repeat_from(Eval *E, Binding **env, const Node *s, int from, int count, Value **ret);
Value *eval_new(Eval *E, ValKind k);
Value *eval_int(Eval *E, int64_t i);
void eval_fail(Eval *E, Loc loc, const char *fmt, ...);
const Node *eval_find_decl(Eval *E, const char *name);
/* e evaluated as a top-level let named `name` is: its decisions are shared, unconditional slots. */
Value *eval_at_top(Eval *E, const Node *e, const char *name);
const char *eval_value_kind(const Value *v);

/* eval_decide.c: decisions and instance names, in both modes */
const char *eval_instance_name(Eval *E, const Node *decl, const Node *site);
Value *eval_decision(Eval *E, Binding **env, const Node *e, Value *pipe_input);
/* lowering: the concrete value of sym under the slot assignment `assign` (NULL: unknown) */
Value *eval_sym_value(Eval *E, const Value *v, const int32_t *assign);
/* lowering: the one decision a symbolic value depends on, or -1 (constant), -2 (several) */
int eval_sym_slot(const Value *v);
/* lowering: the distinct decisions a symbolic value depends on, into out (at most max);
 * returns how many there are (more than max: not all stored), or -1 when it reads a value of
 * several decisions that lowering cannot tabulate (a shape, eval_shape.c). */
int eval_sym_slots(const Value *v, int *out, int max);
/* Enters "slot holds an allowed value" (a conjunct of the current condition): 1 entered,
 * 0 no value allowed (skip the code). */
int eval_enter_cond(Eval *E, int slot, const bool *allowed, Cond *saved);
void eval_leave_cond(Eval *E, const Cond *saved);

/* eval_keys.c: string keys -> slots / names, built while lowering, read when instantiating */
struct KeyMap *keymap_new(Arena *a);
intptr_t keymap_get(const struct KeyMap *m, const char *key, bool *found);
void keymap_put(struct KeyMap *m, const char *key, intptr_t val);

/* eval_model.c: the model's body in a prepared Eval. Lowering: the parameters bound (the
 * input a tensor of its declared shape), the body walked; false (E->failed) on failure. Instantiation (or
 * check mode): the graph of the run with the loss attached and shapes inferred; NULL with
 * E->err filled on failure. */
bool eval_model_lower(Eval *E);
Graph *eval_model_graph(Eval *E);
/* ops built from now on come from `loc` (for shape errors); shape inference with the error
 * at its source */
void eval_set_origin(Eval *E, Loc loc);
bool eval_infer(Eval *E);

/* eval_layers.c: built-in layers (extern blocks of std.layers) */
Value *eval_layer(Eval *E, const Node *decl, Value **args, const Node *site);
/* the layer's ops on E->g from concrete arguments: the output value id, -1 (E->failed) */
int eval_layer_op(Eval *E, const Node *decl, Value **args, const Node *site);

/* eval_shape.c: tensor shapes. While lowering each tensor carries a LowShape: these make
 * one for the model input, a layer's output, `a + b` / `a * b` of tensors, a tensor a
 * decision picks (alts[v] for each value v of slot, NULL where no architecture gets), one a
 * subset may replace (every dimension of several decisions) and one not followed (why). */
Value *eval_lowered_input(Eval *E, int rank, const int64_t *dims);
Value *eval_lowered_layer(Eval *E, const Node *decl, Value **args, const Node *site);
Value *eval_lowered_binop(Eval *E, int op, Value *a, Value *b);
Value *eval_lowered_pick(Eval *E, int slot, Value **alts);
Value *eval_lowered_vague(Eval *E, const Value *t);
Value *eval_lowered_opaque(Eval *E, const char *why);
Value *eval_lowered_tensor(Eval *E, const LowShape *s);
/* `obj.channels` / `.height` / `.width` / `.shape` (e an N_MEMBER), in every mode */
Value *eval_member(Eval *E, Value *obj, const Node *e);
#endif
