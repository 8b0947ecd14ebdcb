/* eval_keys.c — a string-keyed hash map in the arena: decision keys -> slots and block
 * instance keys -> names, filled while lowering and read for every instantiation. */
#include "eval_int.h"
#include <string.h>

typedef struct KeyEntry {
    const char *key;
    uint64_t hash;
    intptr_t val;
} KeyEntry;
struct KeyMap {
    Arena *a;
    KeyEntry *e;
    int cap, count;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct KeyMap *keymap_new(Arena *a)
{
    struct KeyMap *m = ARENA_NEW(a, struct KeyMap);
    m->a = a;
    m->cap = 64;
    m->e = ARENA_ARRAY(a, KeyEntry, m->cap);
    return m;
}

static KeyEntry *slot_for(KeyEntry *e, int cap, const char *key, uint64_t h)
{
    for (int i = (int)(h & (uint64_t)(cap - 1));; i = (i + 1) & (cap - 1))
        if (!e[i].key || (e[i].hash == h && strcmp(e[i].key, key) == 0)) return &e[i];
}

intptr_t keymap_get(const struct KeyMap *m, const char *key, bool *found)
{
    KeyEntry *k = slot_for(m->e, m->cap, key, fnv1a(key));
    *found = k->key != NULL;
    return k->key ? k->val : 0;
}

void keymap_put(struct KeyMap *m, const char *key, intptr_t val)
{
    if (2 * (m->count + 1) > m->cap) { /* keep the load under one half */
        int cap = m->cap * 2;
        KeyEntry *e = ARENA_ARRAY(m->a, KeyEntry, cap);
        for (int i = 0; i < m->cap; i++)
            if (m->e[i].key) *slot_for(e, cap, m->e[i].key, m->e[i].hash) = m->e[i];
        m->e = e;
        m->cap = cap;
    }
    uint64_t h = fnv1a(key);
    KeyEntry *k = slot_for(m->e, m->cap, key, h);
    if (!k->key) {
        k->key = arena_strdup(m->a, key);
        k->hash = h;
        m->count++;
    }
    k->val = val;
}
