/* sema_query.c — the settings table read by tools (sema_query.h). */
#include <string.h>
#include "settings.h"
#include "sema_query.h"

static const SettingSpec *spec(NodeKind decl, const char *key)
{
    const DeclSpec *ds = settings_decl(decl);
    return ds && key ? settings_find(ds, key) : NULL;
}

int sema_query_settings(NodeKind decl, const char **keys, int max)
{
    const DeclSpec *ds = settings_decl(decl);
    if (!ds) return 0;
    for (int i = 0; i < ds->n && i < max; i++) keys[i] = ds->s[i].key;
    return ds->n;
}

int sema_query_options(NodeKind decl, const char *key, const char **names, int max)
{
    const SettingSpec *sp = spec(decl, key);
    if (!sp || sp->kind != SK_OPTION) return 0;
    for (int i = 0; i < sp->nopts && i < max; i++) names[i] = sp->opts[i].name;
    return sp->nopts;
}

int sema_query_option_params(NodeKind decl, const char *key, const char *option, const char **names, int max)
{
    const SettingSpec *sp = spec(decl, key);
    if (!sp || sp->kind != SK_OPTION || !option) return 0;
    for (int i = 0; i < sp->nopts; i++) {
        const Option *o = &sp->opts[i];
        if (strcmp(o->name, option)) continue;
        for (int j = 0; j < o->n && j < max; j++) names[j] = o->params[j].name;
        return o->n;
    }
    return 0;
}
