/*
 * hmap.c — the hash map of hmap.h. Capacity is a power of two, at most half
 * full; a hash of 0 is stored as a fixed odd constant, since 0 marks an empty
 * cell (the values under it are told apart by the caller's equality, like any
 * other two values sharing a hash).
 */
#include "util/hmap.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY_STANDIN 0x9E3779B97F4A7C15ULL
#define FIRST_CAP 1024

static uint64_t fix_hash(uint64_t h)
{
    return h ? h : EMPTY_STANDIN;
}

int kt_hmap_find(const kt_hmap *m, uint64_t h, kt_hmap_eq eq, const void *ctx, uint32_t *val)
{
    if (!m->cap)
        return 0;
    h = fix_hash(h);
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask; m->keys[i]; i = (i + 1) & mask)
        if (m->keys[i] == h && (!eq || eq(ctx, m->vals[i]))) {
            *val = m->vals[i];
            return 1;
        }
    return 0;
}

static int rehash(kt_hmap *m, size_t nc)
{
    uint64_t *nk = calloc(nc, sizeof *nk);
    uint32_t *nv = malloc(nc * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = (size_t)m->keys[i] & (nc - 1);
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = m->keys[i];
            nv[j] = m->vals[i];
        }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
    return 0;
}

int kt_hmap_add(kt_hmap *m, uint64_t h, uint32_t val)
{
    if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : FIRST_CAP) < 0)
        return -1;
    h = fix_hash(h);
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    while (m->keys[i])
        i = (i + 1) & mask;
    m->keys[i] = h;
    m->vals[i] = val;
    m->n++;
    return 0;
}

void kt_hmap_free(kt_hmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

size_t kt_hmap_bytes(const kt_hmap *m)
{
    return m->cap * (sizeof(uint64_t) + sizeof(uint32_t));
}
