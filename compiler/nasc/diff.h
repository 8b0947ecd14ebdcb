/* diff.h — `nasc --diff OLD NEW` (diff.c): the decisions added, removed or changed between two
 * spaces, and which architectures of the old space are still architectures of the new one
 * (their IDs there). */
#ifndef NAS_NASC_DIFF_H
#define NAS_NASC_DIFF_H
#include <stdbool.h>
#include <stdio.h>
#include "model.h"

/* Writes the comparison as text or JSON; returns the number of decisions that differ. */
int nasc_diff(const ModelSpace *old_space, const ModelSpace *new_space, bool json, FILE *out);
#endif
