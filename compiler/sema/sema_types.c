/* sema_types.c — the types of nas values: constants, compatibility, names, written types. */
#include <string.h>
#include <stdio.h>
#include "sema_int.h"

const SemaType sema_ty_error = {.kind = TY_ERROR};
const SemaType sema_ty_int = {.kind = TY_INT};
const SemaType sema_ty_float = {.kind = TY_FLOAT};
const SemaType sema_ty_bool = {.kind = TY_BOOL};
const SemaType sema_ty_string = {.kind = TY_STRING};
const SemaType sema_ty_tensor = {.kind = TY_TENSOR};
const SemaType sema_ty_list = {.kind = TY_LIST};
const SemaType sema_ty_data_part = {.kind = TY_DATA_PART};
const SemaType sema_ty_stage = {.kind = TY_STAGE};
const SemaType sema_ty_decl = {.kind = TY_DECL};
const SemaType sema_ty_dataset = {.kind = TY_DATASET};
const SemaType sema_ty_time = {.kind = TY_QUANTITY, .dim = DIM_TIME};
const SemaType sema_ty_memory = {.kind = TY_QUANTITY, .dim = DIM_MEMORY};
const SemaType sema_ty_ratio = {.kind = TY_QUANTITY, .dim = DIM_RATIO};
const SemaType sema_ty_count = {.kind = TY_QUANTITY, .dim = DIM_COUNT};

const SemaType *sema_ty_quantity(UnitDim d)
{
    switch (d) {
    case DIM_TIME: return &sema_ty_time;
    case DIM_MEMORY: return &sema_ty_memory;
    case DIM_RATIO: return &sema_ty_ratio;
    case DIM_COUNT: return &sema_ty_count;
    default: return &sema_ty_float;
    }
}

const SemaType *sema_ty_list_of(Sema *S, const SemaType *elem)
{
    SemaType *t = ARENA_NEW(S->a, SemaType);
    t->kind = TY_LIST;
    t->elem = elem;
    return t;
}

const SemaType *sema_ty_callable(Sema *S, const Node *decl)
{
    SemaType *t = ARENA_NEW(S->a, SemaType);
    t->kind = TY_CALLABLE;
    t->decl = decl;
    return t;
}

bool sema_ty_numeric(const SemaType *t) { return t->kind == TY_INT || t->kind == TY_FLOAT; }

/* Same kind for homogeneity and equality: ints and floats are one kind (numbers),
 * quantities must share a dimension, lists compare their elements. */
bool sema_ty_same_kind(const SemaType *a, const SemaType *b)
{
    if (a->kind == TY_ERROR || b->kind == TY_ERROR) return true;
    if (sema_ty_numeric(a) && sema_ty_numeric(b)) return true;
    if (a->kind != b->kind) return false;
    if (a->kind == TY_QUANTITY) return a->dim == b->dim;
    if (a->kind == TY_LIST && a->elem && b->elem) return sema_ty_same_kind(a->elem, b->elem);
    return true;
}

bool sema_ty_assignable(const SemaType *want, const SemaType *got)
{
    if (want->kind == TY_ERROR || got->kind == TY_ERROR) return true;
    if (want->kind == TY_FLOAT)
        return got->kind == TY_FLOAT || got->kind == TY_INT || (got->kind == TY_QUANTITY && got->dim == DIM_RATIO);
    if (want->kind == TY_QUANTITY && want->dim == DIM_COUNT && got->kind == TY_INT) return true;
    if (want->kind == TY_LIST && got->kind == TY_LIST) {
        if (!want->elem || !got->elem) return true;
        return sema_ty_assignable(want->elem, got->elem);
    }
    if (want->kind != got->kind) return false;
    if (want->kind == TY_QUANTITY) return want->dim == got->dim;
    return true; /* tensor shapes are the graph phase's business */
}

const char *sema_dim_name(UnitDim d)
{
    switch (d) {
    case DIM_TIME: return "time";
    case DIM_MEMORY: return "memory";
    case DIM_RATIO: return "ratio";
    case DIM_COUNT: return "count";
    default: return "number";
    }
}

const char *sema_type_name(Arena *a, const SemaType *t)
{
    switch (t->kind) {
    case TY_ERROR: return "<error>";
    case TY_INT: return "int";
    case TY_FLOAT: return "float";
    case TY_BOOL: return "bool";
    case TY_STRING: return "string";
    case TY_QUANTITY: return sema_dim_name(t->dim);
    case TY_TENSOR: {
        if (!t->has_shape) return "tensor";
        char *s = arena_strdup(a, "tensor[");
        for (int i = 0; i < t->ndims; i++) s = arena_printf(a, "%s%s%lld", s, i ? ", " : "", (long long)t->dims[i]);
        return arena_printf(a, "%s]", s);
    }
    case TY_LIST: return t->elem ? arena_printf(a, "list of %s", sema_type_name(a, t->elem)) : "list";
    case TY_CALLABLE: return "callable (layer or block)";
    case TY_DATASET: return "dataset";
    case TY_DATA_PART: return "dataset part";
    case TY_STAGE: return "stage";
    case TY_DECL: return "declaration";
    }
    return "?";
}

const SemaType *sema_type_of(Sema *S, Node *type)
{
    static const struct {
        const char *name;
        const SemaType *t;
    } names[] = {
        {"int", &sema_ty_int},       {"float", &sema_ty_float}, {"bool", &sema_ty_bool}, {"string", &sema_ty_string},
        {"tensor", &sema_ty_tensor}, {"list", &sema_ty_list},   {"time", &sema_ty_time}, {"memory", &sema_ty_memory},
        {"ratio", &sema_ty_ratio},   {"count", &sema_ty_count},
    };
    enum { N = sizeof names / sizeof names[0] };
    if (!type) return &sema_ty_error;
    /* a block or layer passed as a value (`op: block`): applied with `x |> op` or `op(x)` */
    if (!strcmp(type->texpr.name, "block")) {
        if (type->texpr.has_dims) diag_error(S->d, NAS0310, type->loc, "type `%s` takes no shape; only `tensor[...]` does", type->texpr.name);
        return sema_ty_callable(S, NULL);
    }
    const SemaType *base = NULL;
    for (int i = 0; i < N; i++)
        if (strcmp(names[i].name, type->texpr.name) == 0) base = names[i].t;
    if (!base) {
        const char *cands[N];
        for (int i = 0; i < N; i++) cands[i] = names[i].name;
        int di = diag_error(S->d, NAS0310, type->loc, "unknown type `%s`", type->texpr.name);
        const char *c = sema_closest(type->texpr.name, cands, N);
        if (c) diag_note(S->d, di, type->loc, "did you mean `%s`?", c);
        return &sema_ty_error;
    }
    if (!type->texpr.has_dims) return base;
    if (base->kind != TY_TENSOR) {
        diag_error(S->d, NAS0310, type->loc, "type `%s` takes no shape; only `tensor[...]` does", type->texpr.name);
        return base;
    }
    SemaType *t = ARENA_NEW(S->a, SemaType);
    t->kind = TY_TENSOR;
    t->has_shape = true;
    t->ndims = type->texpr.dims.count;
    int64_t *dims = ARENA_ARRAY(S->a, int64_t, t->ndims ? t->ndims : 1);
    for (int i = 0; i < t->ndims; i++) {
        Node *d = type->texpr.dims.items[i];
        const SemaType *dt = sema_expr(S, d);
        const SemaValue *v = sema_get_const(S, d);
        if (dt->kind == TY_ERROR) {
            t->has_shape = false;
            continue;
        }
        if (dt->kind != TY_INT) {
            diag_error(S->d, NAS0417, d->loc, "tensor dimension must be an int, not %s", sema_type_name(S->a, dt));
            t->has_shape = false;
        } else if (!v) {
            diag_error(S->d, NAS0413, d->loc, "tensor dimension must be a constant");
            t->has_shape = false;
        } else if (v->i <= 0) {
            diag_error(S->d, NAS0417, d->loc, "tensor dimension must be > 0, not %lld", (long long)v->i);
            t->has_shape = false;
        } else {
            dims[i] = v->i;
        }
    }
    t->dims = dims;
    return t;
}
