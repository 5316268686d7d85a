/*
 * pool.h — a pool of NUL-terminated strings in one growable block, each
 * found by its 32-bit offset. Offsets stay valid as the pool grows (the
 * block may move), and the block can be written to a file and mapped back
 * as it is: the index keeps its names here so that its snapshot holds no
 * pointers. Offset 0 is always the empty string.
 */
#ifndef KT_POOL_H
#define KT_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct kt_pool {
    char *text;
    size_t len, cap;
} kt_pool;

#define KT_POOL_NONE UINT32_MAX   /* returned when the pool cannot grow */

/* Copies len bytes of s and a NUL into the pool; returns the offset, or
 * KT_POOL_NONE out of memory or past 4 GiB. Empty text is offset 0. */
uint32_t kt_pool_add(kt_pool *p, const char *s, size_t len);
/* Room for len bytes (no NUL added); the offset, or KT_POOL_NONE. */
uint32_t kt_pool_reserve(kt_pool *p, size_t len);
static inline const char *kt_pool_str(const char *text, uint32_t off)
{
    return text + off;
}
void kt_pool_free(kt_pool *p);

#endif
