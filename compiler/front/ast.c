/* ast.c — constructors and names for the syntax tree (ast.h). */
#include "ast.h"
#include <string.h>

Node *ast_new(Arena *a, NodeKind kind, Loc loc)
{
    Node *n = ARENA_NEW(a, Node);
    n->kind = kind;
    n->loc = loc;
    return n;
}

void ast_list_push(Arena *a, NodeList *l, Node *n)
{
    /* Capacity is implicit: the next power of two >= count (min 4); grow by copying. */
    int cap = 4;
    while (cap < l->count) cap *= 2;
    if (l->count == 0 || l->count == cap) {
        int ncap = l->count == 0 ? 4 : cap * 2;
        Node **items = ARENA_ARRAY(a, Node *, ncap);
        if (l->count) memcpy(items, l->items, sizeof(Node *) * (size_t)l->count);
        l->items = items;
    }
    l->items[l->count++] = n;
}

const char *ast_kind_name(NodeKind k)
{
    switch (k) {
    case N_USE: return "use";
    case N_EXTERN: return "extern";
    case N_DATASET: return "dataset";
    case N_LET: return "let";
    case N_BLOCK: return "block";
    case N_MODEL: return "model";
    case N_REWARD: return "reward";
    case N_CONTROLLER: return "controller";
    case N_SEARCH: return "search";
    case N_TRAIN: return "train";
    case N_PROXY: return "proxy";
    case N_TUNE: return "tune";
    case N_TRAINER: return "trainer";
    case N_SETTING: return "setting";
    case N_OBJECTIVE: return "objective";
    case N_CONSTRAINT: return "constraint";
    case N_FROM: return "from";
    case N_ASSIGN: return "assign";
    case N_RETURN: return "return";
    case N_REPEAT: return "repeat";
    case N_IF: return "if";
    case N_INT: return "int";
    case N_FLOAT: return "float";
    case N_QUANTITY: return "quantity";
    case N_STRING: return "string";
    case N_BOOL: return "bool";
    case N_NAME: return "name";
    case N_LIST: return "list";
    case N_CALL: return "call";
    case N_ARG: return "arg";
    case N_MEMBER: return "member";
    case N_INDEX: return "index";
    case N_UNARY: return "unary";
    case N_BINARY: return "binary";
    case N_PIPE: return "pipe";
    case N_SPLIT: return "split";
    case N_CHOICE: return "choice";
    case N_ONEOF: return "oneof";
    case N_PARAM: return "param";
    case N_TYPE: return "type";
    }
    return "?";
}

const char *ast_op_text(int op)
{
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_AND: return "and";
    case OP_OR: return "or";
    case OP_NOT: return "not";
    case OP_NEG: return "-";
    case '-': return "-";
    }
    return "?";
}
