/* sema_boundary.c — the data-model boundary: the datasets the stages train and validate on
 * against the declared types of the model they train, so a mismatch is an error of the file
 * (NAS0613) instead of a failure of every trial. */
#include <stdio.h>
#include "config.h"
#include "sema_int.h"

/* Where the dataset declares `key`: its value, else the dataset's name. */
static Loc setting_loc(const Program *p, const NasDataset *ds, const char *key)
{
    const SemaSym *s = sema_lookup_global(p, ds->name);
    const Node *n = s && s->decl->kind == N_DATASET ? sema_setting(s->decl, key) : NULL;
    if (n && n->setting.values.count) return n->setting.values.items[0]->loc;
    return s ? s->loc : (Loc){.file = -1};
}

static void check_dataset(Program *p, const Node *model, const SemaSig *sig, const NasDataset *ds, const char *stage,
                          const char *stage_name)
{
    Arena *a = p->arena;
    const char *used = arena_printf(a, "dataset `%s` (the data of %s `%s`)", ds->name, stage, stage_name);
    const Node *in = model->fndef.params.count ? model->fndef.params.items[0] : NULL;
    const SemaType *t = in && sig->nparams ? sig->params[0].type : NULL;
    if (t && in->param.type && t->kind == TY_TENSOR && t->has_shape &&
        !config_same_shape(t->dims, t->ndims, ds->input, ds->ninput)) {
        char shape[160];
        config_shape_text(ds->input, ds->ninput, shape, sizeof shape);
        int di = diag_error(p->diag, NAS0613, in->param.type->loc, "model `%s` takes %s, but %s has input %s",
                            model->fndef.name, sema_type_name(a, t), used, shape);
        diag_note(p->diag, di, setting_loc(p, ds, "input"), "dataset `%s` declares input %s here", ds->name, shape);
    }
    const SemaType *r = sig->result;
    int64_t classes[1] = {ds->classes};
    if (r && model->fndef.result && r->kind == TY_TENSOR && r->has_shape &&
        !config_same_shape(r->dims, r->ndims, classes, 1)) {
        int di =
            diag_error(p->diag, NAS0613, model->fndef.result->loc,
                       "model `%s` returns %s, but %s has %lld classes: the result must be tensor[%lld]",
                       model->fndef.name, sema_type_name(a, r), used, (long long)ds->classes, (long long)ds->classes);
        diag_note(p->diag, di, setting_loc(p, ds, "classes"), "dataset `%s` declares %lld classes here", ds->name,
                  (long long)ds->classes);
    }
}

/* A proxy's `resolution`: image examples [C, H, W] (the first search's dataset and the model's
 * input), each at most H (NAS0614). */
static void check_resolution(Program *p, const SemaSig *sig, const NasConfig *c)
{
    const NasProxy *px = c->proxy;
    const NasDataset *ds = c->nsearches ? c->searches[0].data.dataset : NULL;
    if (!px || !ds || px->resolution_at[0].file < 0) return;
    const SemaType *t = sig->nparams ? sig->params[0].type : NULL;
    char shape[160];
    config_shape_text(ds->input, ds->ninput, shape, sizeof shape);
    for (int i = 0; i < px->nresolution; i++) {
        int64_t r = px->resolution[i];
        Loc at = px->resolution_at[i];
        if (ds->ninput != 3 || (t && t->kind == TY_TENSOR && t->has_shape && t->ndims != 3)) {
            int di = diag_error(p->diag, NAS0614, at, "`resolution` resizes images [C, H, W], but %s %s",
                                ds->ninput != 3 ? "the first search's dataset has input" : "the model takes",
                                ds->ninput != 3 ? shape : sema_type_name(p->arena, t));
            diag_note(p->diag, di, setting_loc(p, ds, "input"), "dataset `%s` declares input %s here", ds->name, shape);
            return;
        }
        if (r > ds->input[1]) {
            int di = diag_error(p->diag, NAS0614, at,
                                "resolution %lld is larger than the images of dataset `%s` (input %s): a proxy "
                                "only scales them down, to at most %lld",
                                (long long)r, ds->name, shape, (long long)ds->input[1]);
            diag_note(p->diag, di, setting_loc(p, ds, "input"), "dataset `%s` declares input %s here", ds->name, shape);
        }
    }
}

/* Each dataset once: the first stage that uses it names it in the message. */
static bool seen(const NasDataset **done, int *n, const NasDataset *ds)
{
    for (int i = 0; i < *n; i++)
        if (done[i] == ds) return true;
    done[(*n)++] = ds;
    return false;
}

void sema_check_boundary(Program *p, const NasConfig *c, const char *name)
{
    int count;
    const Node *model = sema_model(p, name, &count);
    const SemaSym *self = model ? sema_lookup_global(p, model->fndef.name) : NULL;
    if (!model || count != 1 || !self || self->decl != model || !self->sig) return;
    const NasDataset **done = ARENA_ARRAY(p->arena, const NasDataset *, 2 * c->ntrains + c->nsearches + 1);
    int n = 0;
    for (int i = 0; i < c->nsearches; i++) {
        const NasDataset *ds = c->searches[i].data.dataset;
        if (ds && !seen(done, &n, ds)) check_dataset(p, model, self->sig, ds, "search", c->searches[i].name);
    }
    check_resolution(p, self->sig, c);
    for (int i = 0; i < c->ntrains; i++) {
        const NasTrain *t = &c->trains[i];
        if (t->data.dataset && !seen(done, &n, t->data.dataset))
            check_dataset(p, model, self->sig, t->data.dataset, "train", t->name);
        if (t->has_validate && t->validate.dataset && !seen(done, &n, t->validate.dataset))
            check_dataset(p, model, self->sig, t->validate.dataset, "train", t->name);
    }
}
