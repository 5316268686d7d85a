/*
 * test_hmap.c — the hash map keeps two keys that share a 64-bit hash apart
 * (the caller's equality decides), survives growth, and a hash of 0 is a
 * hash like any other; the string pool gives stable offsets as it grows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/hmap.h"
#include "util/pool.h"

static const char *const names[] = {"Kowalski", "Kowalska", "Nowak", "Wiśniewski"};

static int name_eq(const void *ctx, uint32_t val)
{
    return strcmp(names[val], ctx) == 0;
}

static void test_collisions_kept_apart(void **state)
{
    (void)state;
    kt_hmap m = {0};
    /* every name under the same hash, and under 0 */
    for (uint64_t h = 0; h < 2; h++)
        for (uint32_t i = 0; i < 4; i++)
            assert_int_equal(kt_hmap_add(&m, h * 42, i), 0);
    for (uint64_t h = 0; h < 2; h++)
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t v = 99;
            assert_int_equal(kt_hmap_find(&m, h * 42, name_eq, names[i], &v), 1);
            assert_int_equal(v, i);
        }
    uint32_t v;
    assert_int_equal(kt_hmap_find(&m, 42, name_eq, "Zieliński", &v), 0);
    assert_int_equal(kt_hmap_find(&m, 7, NULL, NULL, &v), 0);
    /* growth: many keys, all still found */
    for (uint32_t i = 0; i < 5000; i++)
        assert_int_equal(kt_hmap_add(&m, 1000 + (uint64_t)i * 0x9E3779B97F4A7C15ULL, i), 0);
    for (uint32_t i = 0; i < 5000; i++) {
        assert_int_equal(kt_hmap_find(&m, 1000 + (uint64_t)i * 0x9E3779B97F4A7C15ULL, NULL, NULL, &v), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(kt_hmap_find(&m, 0, name_eq, "Nowak", &v), 1);
    assert_int_equal(v, 2);
    kt_hmap_free(&m);
}

static void test_pool_offsets(void **state)
{
    (void)state;
    kt_pool p = {0};
    assert_int_equal(kt_pool_add(&p, "", 0), 0);
    uint32_t off[3000];
    char buf[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(buf, sizeof buf, "name %d", i);
        off[i] = kt_pool_add(&p, buf, strlen(buf));
        assert_true(off[i] != KT_POOL_NONE && off[i] > 0);
    }
    for (int i = 0; i < 3000; i++) {
        snprintf(buf, sizeof buf, "name %d", i);
        assert_string_equal(kt_pool_str(p.text, off[i]), buf);
    }
    assert_string_equal(kt_pool_str(p.text, 0), "");
    kt_pool_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collisions_kept_apart),
        cmocka_unit_test(test_pool_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
