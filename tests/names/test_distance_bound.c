/*
 * test_distance_bound.c — the bounded distance (names_distance_within) that
 * the index calls for every candidate surname: whatever shortcuts it takes
 * (early exit, the band of cells, the length test), a distance within the
 * bound is the exact one, and one beyond it is reported beyond it.
 * Pairs: hand-picked pivots, and 200,000 deterministic pseudo-random pairs
 * of near and far pivots over the whole pivot alphabet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "names/names.h"

/* Checks one pair at one bound; returns 0 when it holds. */
static int check(const char *a, size_t la, const char *b, size_t lb, double max)
{
    double full = names_distance(a, la, b, lb);
    double w = names_distance_within(a, la, b, lb, max);
    if (full <= max ? w == full : w > max)
        return 0;
    fprintf(stderr, "%.*s / %.*s: distance %.3f, within %.3f gave %.3f\n", (int)la, a,
            (int)lb, b, full, max, w);
    return 1;
}

static void test_hand_picked(void **state)
{
    (void)state;
    static const struct { const char *a, *b; } pairs[] = {
        {"smoravinskij", "smorawinski"}, {"kozak", "kozak"}, {"kacki", "kaczki"},
        {"jakovlev", "jakowlew"}, {"olSyna-vilCinskij", "olSina-vilCinskij"},
        {"a", "abcdefghij"}, {"", "kozak"}, {"kozak", ""}, {"xj", "jx"},
        {"krzyk", "kryk"}, {"tySkevic", "tyszkiewicz"}, {"ja", "jajajajajaja"},
    };
    static const double bounds[] = {0, 0.25, 0.5, 1, 1.5, 2.25, 3, 10, 1e6};
    int bad = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        for (size_t j = 0; j < sizeof bounds / sizeof *bounds; j++) {
            bad += check(pairs[i].a, strlen(pairs[i].a), pairs[i].b, strlen(pairs[i].b), bounds[j]);
            bad += check(pairs[i].b, strlen(pairs[i].b), pairs[i].a, strlen(pairs[i].a), bounds[j]);
        }
    assert_int_equal(bad, 0);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_random_pairs(void **state)
{
    (void)state;
    static const char alphabet[] = "aeiouypbtdkgfvwszlmnrjxhcCSZ-";
    const size_t na = sizeof alphabet - 1;
    uint64_t s = 1940;
    int bad = 0;
    for (int t = 0; t < 200000; t++) {
        char a[NAMES_PIVOT_MAX], b[NAMES_PIVOT_MAX];
        size_t la = 1 + next(&s) % 16;
        size_t lb = la + next(&s) % 9;
        lb = lb > 4 ? lb - 4 : 1;
        for (size_t i = 0; i < la; i++)
            a[i] = alphabet[next(&s) % na];
        /* b: mostly a copy of a with some letters changed (near), or not */
        int near = next(&s) % 4 != 0;
        for (size_t i = 0; i < lb; i++)
            b[i] = near && i < la && next(&s) % 4 ? a[i] : alphabet[next(&s) % na];
        if (lb > 2 && next(&s) % 4 == 0) {
            char x = b[0];
            b[0] = b[1];
            b[1] = x;
        }
        double max = (double)(next(&s) % 120) / 20.0;
        bad += check(a, la, b, lb, max);
        if (bad > 10)
            break;
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_picked),
        cmocka_unit_test(test_random_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
