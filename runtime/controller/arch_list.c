/* arch_list.c — see arch_list.h. */
#include "arch_list.h"
#include <stdlib.h>
#include <string.h>

enum { FRESH_TRIES = 64 };

void arch_list_init(ArchList *l, const Space *s)
{
    memset(l, 0, sizeof *l);
    l->space = s;
    l->nslots = space_count(s);
}

void arch_list_free(ArchList *l)
{
    free(l->archs);
    free(l->hash);
    free(l->tag);
    l->archs = NULL;
    l->hash = NULL;
    l->tag = NULL;
    l->n = l->cap = 0;
}

bool arch_list_add(ArchList *l, const int32_t *arch, int tag)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        size_t slots = (size_t)(l->nslots ? l->nslots : 1);
        int32_t *a = realloc(l->archs, sizeof *a * slots * (size_t)cap);
        if (a) l->archs = a;
        uint64_t *h = realloc(l->hash, sizeof *h * (size_t)cap);
        if (h) l->hash = h;
        int *t = realloc(l->tag, sizeof *t * (size_t)cap);
        if (t) l->tag = t;
        if (!a || !h || !t) return false;
        l->cap = cap;
    }
    memcpy(l->archs + (size_t)l->n * (size_t)l->nslots, arch, sizeof *arch * (size_t)l->nslots);
    l->hash[l->n] = space_arch_hash(l->space, arch);
    l->tag[l->n] = tag;
    l->n++;
    return true;
}

int arch_list_find(const ArchList *l, const int32_t *arch)
{
    uint64_t h = space_arch_hash(l->space, arch);
    for (int i = 0; i < l->n; i++)
        if (l->hash[i] == h && space_arch_equal(l->space, arch_list_at(l, i), arch)) return i;
    return -1;
}

bool arch_fresh(const ArchList *evaluated, const ArchList *flight, const int32_t *arch)
{
    return arch_list_find(evaluated, arch) < 0 && arch_list_find(flight, arch) < 0;
}

void arch_sample_fresh(const ArchList *evaluated, const ArchList *flight, SpaceRng *r, int32_t *arch)
{
    for (int i = 0; i < FRESH_TRIES; i++) {
        space_sample(evaluated->space, r, arch);
        if (arch_fresh(evaluated, flight, arch)) return;
    }
}

void arch_list_remove(ArchList *l, int i)
{
    size_t slots = (size_t)l->nslots, rest = (size_t)(l->n - i - 1);
    memmove(l->archs + (size_t)i * slots, l->archs + (size_t)(i + 1) * slots, sizeof *l->archs * slots * rest);
    memmove(l->hash + i, l->hash + i + 1, sizeof *l->hash * rest);
    memmove(l->tag + i, l->tag + i + 1, sizeof *l->tag * rest);
    l->n--;
}
