/* arch_list.h — an ordered list of architectures with a tag each, found by hash then by
 * value. Private to controller/: the evaluated set and the proposals in flight of the
 * controllers that must not repeat themselves (local, tpe). Linear search over the hashes:
 * a few thousand entries cost microseconds, and the order is the insertion order, so every
 * walk over it is deterministic.
 *
 * Ownership: the list owns its arrays; arch_list_free releases them (not the struct). */
#ifndef NAS_ARCH_LIST_H
#define NAS_ARCH_LIST_H
#include <stdbool.h>
#include <stdint.h>
#include "space.h"

typedef struct ArchList {
    const Space *space;
    int nslots, n, cap;
    int32_t *archs; /* n x nslots, canonical */
    uint64_t *hash; /* n */
    int *tag;       /* n: the caller's label (e.g. which climb proposed it) */
} ArchList;

void arch_list_init(ArchList *l, const Space *s);
void arch_list_free(ArchList *l);
/* Appends a copy; false on out of memory. */
bool arch_list_add(ArchList *l, const int32_t *arch, int tag);
/* Index of the first entry equal to arch, or -1. */
int arch_list_find(const ArchList *l, const int32_t *arch);
/* Removes entry i, keeping the order of the rest. */
void arch_list_remove(ArchList *l, int i);
/* Neither evaluated nor in flight: worth a trial. */
bool arch_fresh(const ArchList *evaluated, const ArchList *flight, const int32_t *arch);
/* A uniform sample, preferably fresh (a few dozen draws, then the last one). */
void arch_sample_fresh(const ArchList *evaluated, const ArchList *flight, SpaceRng *r, int32_t *arch);
static inline const int32_t *arch_list_at(const ArchList *l, int i) { return l->archs + (size_t)i * (size_t)l->nslots; }
#endif
