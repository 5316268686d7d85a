/*
 * pool.c — the string pool of pool.h: doubling growth from 64 KiB; the first
 * byte is the NUL of the empty string.
 */
#include "util/pool.h"

#include <stdlib.h>
#include <string.h>

#define POOL_FIRST_CAP (64u << 10)

uint32_t kt_pool_reserve(kt_pool *p, size_t len)
{
    if (!p->text) {
        p->text = malloc(POOL_FIRST_CAP);
        if (!p->text)
            return KT_POOL_NONE;
        p->text[0] = '\0';
        p->len = 1;
        p->cap = POOL_FIRST_CAP;
    }
    if (p->len + len >= (size_t)UINT32_MAX)
        return KT_POOL_NONE;
    if (p->len + len > p->cap) {
        size_t nc = p->cap;
        while (nc < p->len + len)
            nc *= 2;
        char *t = realloc(p->text, nc);
        if (!t)
            return KT_POOL_NONE;
        p->text = t;
        p->cap = nc;
    }
    uint32_t off = (uint32_t)p->len;
    p->len += len;
    return off;
}

uint32_t kt_pool_add(kt_pool *p, const char *s, size_t len)
{
    if (len == 0)
        return p->text || kt_pool_reserve(p, 0) != KT_POOL_NONE ? 0 : KT_POOL_NONE;
    uint32_t off = kt_pool_reserve(p, len + 1);
    if (off == KT_POOL_NONE)
        return off;
    memcpy(p->text + off, s, len);
    p->text[off + len] = '\0';
    return off;
}

void kt_pool_free(kt_pool *p)
{
    free(p->text);
    memset(p, 0, sizeof *p);
}
