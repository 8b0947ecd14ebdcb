/* ast.h — the syntax tree of a .nas file: built by grammar/nas.y, read by sema and later phases.
 * Every node lives in the compilation's Arena and carries its source range. Lists are
 * arena arrays (items + count); nothing here is freed on its own. */
#ifndef NAS_AST_H
#define NAS_AST_H
#include <stdint.h>
#include <stdbool.h>
#include "arena.h"

/* A source range: 1-based line/column of the first and last character, and the
 * byte offsets [begin, end) in the file text. `file` indexes Source files (diag.h). */
typedef struct Loc {
    int file;
    int line, col;         /* first character */
    int end_line, end_col; /* last character (inclusive) */
    int begin, end;        /* byte offsets, end exclusive */
} Loc;

typedef struct Node Node;
typedef struct NodeList {
    Node **items;
    int count;
} NodeList;

typedef enum NodeKind {
    /* declarations (top level) */
    N_USE,        /* use.path: "std.layers" or "./f.nas"; use.is_file */
    N_EXTERN,     /* fndef with is_extern; decl_kind BLOCK or FN */
    N_DATASET,    /* named body of settings */
    N_LET,        /* let name = value (top level or statement) */
    N_BLOCK,      /* fndef */
    N_MODEL,      /* fndef */
    N_REWARD,     /* named (name may be NULL) body of objectives, constraints, settings */
    N_CONTROLLER, /* named (may be NULL) body of settings */
    N_SEARCH,     /* named body of settings */
    N_TRAIN,      /* named body of settings and N_FROM */
    N_PROXY,      /* named body of settings */
    N_TUNE,       /* named body of settings and N_FROM */
    N_TRAINER,    /* named (may be NULL) body of settings; one-line form has one setting */

    /* items inside declaration bodies */
    N_SETTING,    /* setting.key, setting.values (>= 1), setting.when ("stop when e") */
    N_OBJECTIVE,  /* objective.maximize, objective.metric, objective.ref (may be NULL) */
    N_CONSTRAINT, /* constraint.cond, constraint.soft (args, NULL when hard/none), constraint.hard */
    N_FROM,       /* from.stage (name), from.top (expr) */

    /* statements (in block/model bodies) */
    N_ASSIGN, /* assign.name = assign.value (rebinding) */
    N_RETURN, /* ret.value */
    N_REPEAT, /* repeat.count, repeat.body */
    N_IF,     /* if_.cond, if_.then, if_.els (NULL, or a body; an else-if is a body of one N_IF) */

    /* expressions */
    N_INT,      /* num.i */
    N_FLOAT,    /* num.f */
    N_QUANTITY, /* num.f in base units (s, B, fraction, 1), num.unit as written, num.dim */
    N_STRING,   /* str.value (unescaped), str.len */
    N_BOOL,     /* num.i 0/1 */
    N_NAME,     /* name.id */
    N_LIST,     /* list.items */
    N_CALL,     /* call.callee (expr), call.args (N_ARG) */
    N_ARG,      /* arg.name (NULL if positional), arg.value */
    N_MEMBER,   /* member.object . member.field */
    N_INDEX,    /* index.object [ index.index ]: an element of a list (a subset's picks) */
    N_UNARY,    /* unary.op ('-' or OP_NOT), unary.operand */
    N_BINARY,   /* binary.op, binary.lhs, binary.rhs */
    N_PIPE,     /* pipe.lhs |> pipe.rhs */
    N_SPLIT,    /* split.data split split.ratio (a '/' binary of two quantities) */
    N_CHOICE,   /* a decision; see ChoiceForm */
    N_ONEOF,    /* oneof.name (may be NULL), oneof.alts */

    /* parts */
    N_PARAM, /* param.name, param.type, param.dflt (may be NULL) */
    N_TYPE,  /* type.name ("int", "tensor", ...), type.dims (NULL when no [..]) */
} NodeKind;

typedef enum BinOp {
    OP_ADD = 1,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_AND,
    OP_OR,
    OP_NOT,
    OP_NEG,
} BinOp;

typedef enum UnitDim { DIM_NONE = 0, DIM_TIME, DIM_MEMORY, DIM_RATIO, DIM_COUNT } UnitDim;

typedef enum ChoiceForm {
    CHOICE_LIST,   /* choice [a, b]           : choice.items */
    CHOICE_RANGE,  /* choice lo .. hi [step s] [log] : lo, hi, step (may be NULL), log */
    CHOICE_BOOL,   /* choice bool */
    CHOICE_SUBSET, /* choice k of [a, b, c]   : k, items */
} ChoiceForm;

struct SemaSym;  /* sema.h: what a name or callee resolves to */
struct SemaType; /* sema.h: the type of an expression */

struct Node {
    NodeKind kind;
    int depth; /* expressions: operators on the longest path to a leaf (the parser bounds it) */
    Loc loc;
    struct SemaSym *sym;   /* set by sema for N_NAME and callees; NULL before */
    struct SemaType *type; /* set by sema for expressions; NULL before */
    union {
        struct {
            const char *path;
            bool is_file;
            Loc path_loc;
        } use;   /* path_loc: the path as written */
        struct { /* N_BLOCK, N_MODEL, N_EXTERN */
            const char *name;
            Loc name_loc;
            NodeList params; /* N_PARAM */
            Node *result;    /* N_TYPE, may be NULL */
            NodeList body;   /* statements; empty for extern */
            bool is_extern;
            bool is_fn; /* extern fn vs extern block */
        } fndef;
        struct { /* N_DATASET .. N_TRAINER except N_LET */
            const char *name;
            Loc name_loc; /* name may be NULL */
            NodeList items;
        } decl;
        struct {
            const char *name;
            Loc name_loc;
            Node *value;
        } let; /* N_LET */
        struct {
            const char *key;
            Loc key_loc;
            NodeList values;
            bool when;
        } setting;
        struct {
            bool maximize;
            Node *metric;
            Node *ref;
        } objective;
        struct {
            Node *cond;
            NodeList soft;
            bool is_soft;
            bool hard;
        } constraint;
        struct {
            const char *stage;
            Loc stage_loc;
            Node *top;
        } from;
        struct {
            const char *name;
            Loc name_loc;
            Node *value;
        } assign;
        struct {
            Node *value;
        } ret;
        struct {
            Node *count;
            NodeList body;
        } repeat;
        struct {
            Node *cond;
            NodeList then;
            NodeList els;
            bool has_else;
        } if_;
        struct {
            int64_t i;
            double f;
            const char *unit;
            UnitDim dim;
            const char *text;
        } num; /* text: the literal as written (printer) */
        struct {
            const char *value;
            int len;
        } str;
        struct {
            const char *id;
        } name;
        struct {
            NodeList items;
        } list;
        struct {
            Node *callee;
            NodeList args;
        } call;
        struct {
            const char *name;
            Loc name_loc;
            Node *value;
        } arg;
        struct {
            Node *object;
            const char *field;
            Loc field_loc;
        } member;
        struct {
            Node *object, *index;
        } index;
        struct {
            int op;
            Node *operand;
        } unary;
        struct {
            int op;
            Node *lhs, *rhs;
        } binary;
        struct {
            Node *lhs, *rhs;
        } pipe;
        struct {
            Node *data;
            Node *ratio;
        } split;
        struct {
            ChoiceForm form;
            const char *name;
            Loc name_loc;         /* name may be NULL */
            NodeList items;       /* LIST, SUBSET */
            Node *list_ref;       /* LIST `choice name ops`: the N_NAME of a let holding a list
                                     literal; sema sets items to that list's (shared nodes) */
            Node *lo, *hi, *step; /* RANGE (step may be NULL) */
            bool log;             /* RANGE */
            Node *k;              /* SUBSET */
        } choice;
        struct {
            const char *name;
            Loc name_loc;
            NodeList alts;
        } oneof;
        struct {
            const char *name;
            Loc name_loc;
            Node *type;
            Node *dflt;
        } param;
        struct {
            const char *name;
            NodeList dims;
            bool has_dims;
        } texpr; /* N_TYPE (not `type`: that is the sema type above) */
    };
};

/* A parsed file: the root of one module. */
/* A comment of the source, kept for the printer (nasc fmt): its text is the source's bytes
 * [loc.begin, loc.end). own_line: nothing but blanks before it on its line. */
typedef struct AstComment {
    Loc loc;
    bool own_line;
} AstComment;

typedef struct AstFile {
    int file; /* index in the Source table (diag.h) */
    NodeList decls;
    AstComment *comments; /* in source order */
    int ncomments, capcomments;
} AstFile;

Node *ast_new(Arena *a, NodeKind kind, Loc loc);

/* The deepest expression the parser builds: every phase walks expressions recursively, and a
 * left-associative chain (`1 + 1 + ...`) needs no parser stack, so its depth is counted. */
#define AST_EXPR_DEPTH_MAX 1000
void ast_list_push(Arena *a, NodeList *l, Node *n); /* amortised growth inside the arena */
const char *ast_kind_name(NodeKind k);
const char *ast_op_text(int op); /* "+", "and", ... */

#endif
