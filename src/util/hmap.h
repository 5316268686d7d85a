/*
 * hmap.h — a hash map from 64-bit hashes to 32-bit values (open addressing,
 * linear probing), for the index's tables of interned strings, surnames and
 * aliases.
 *
 * A 64-bit hash is not an identity: two keys may share one. The map holds
 * every value added under a hash, and a lookup asks the caller, through an
 * equality callback, which of the values under that hash is the key sought.
 * Keys that are their own hash (an integer id) pass no callback.
 */
#ifndef KT_HMAP_H
#define KT_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct kt_hmap {
    uint64_t *keys;   /* 0 = empty cell (a hash of 0 is stored as another constant) */
    uint32_t *vals;
    size_t cap, n;
} kt_hmap;

/* 1 when value val (stored under the hash looked up) is the key sought. */
typedef int (*kt_hmap_eq)(const void *ctx, uint32_t val);

/* Finds the value of the key with hash h for which eq says yes (any value
 * under h when eq is NULL); 1 and *val when found, 0 otherwise. */
int kt_hmap_find(const kt_hmap *m, uint64_t h, kt_hmap_eq eq, const void *ctx, uint32_t *val);
/* Adds val under h (beside any other value under h); 0, or -1 out of memory. */
int kt_hmap_add(kt_hmap *m, uint64_t h, uint32_t val);
void kt_hmap_free(kt_hmap *m);
size_t kt_hmap_bytes(const kt_hmap *m);

#endif
