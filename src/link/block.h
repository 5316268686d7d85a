/*
 * block.h — internal to src/link/: candidate pairs by blocking (block.c).
 */
#ifndef KT_LINK_BLOCK_H
#define KT_LINK_BLOCK_H

#include "link/set.h"

/* The distinct candidate pairs of the set, each as (a << 32 | b), a < b,
 * sorted: records of different lists sharing a surname key, birth years
 * at most LINK_YEAR_WINDOW apart or unknown, not already one person by a
 * kept link. *pairs is malloc'd; -1 when out of memory. */
int link_block(const link_set *s, int threads, uint64_t **pairs, size_t *npairs);

/* Sorts n 64-bit numbers (LSD radix); -1 when out of memory. */
int link_sort_u64(uint64_t *v, size_t n);

#endif
