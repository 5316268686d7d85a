/*
 * test_listing.c — the shared listing output: display width of UTF-8 text,
 * thousands separators, cutting cells without splitting a character, table
 * alignment, URL lists as JSON arrays, word wrapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/listing.h"

static void test_width(void **state)
{
    (void)state;
    static const struct { const char *s; size_t w; } cases[] = {
        {"", 0},
        {"Kowalski", 8},
        {"Smorawiński", 11},                 /* ń is two bytes, one column */
        {"Сморавинский", 12},                /* Cyrillic: 24 bytes */
        {"Сморави\xcc\x81нский", 12},        /* combining acute: no column */
        {"\xe4\xb8\xad\xe6\x96\x87", 4},     /* two wide CJK characters */
        {"230,000\xe2\x80\x93" "450,000", 15}, /* en dash */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (listing_width(cases[i].s) != cases[i].w)
            fail_msg("width('%s') = %zu, want %zu", cases[i].s,
                     listing_width(cases[i].s), cases[i].w);
}

static void test_number(void **state)
{
    (void)state;
    static const struct { int64_t n; const char *s; } cases[] = {
        {0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {21857, "21,857"},
        {190584, "190,584"}, {1000000, "1,000,000"}, {-4421, "-4,421"},
        {INT64_MIN, "-9,223,372,036,854,775,808"},
    };
    char buf[40];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(listing_number(cases[i].n, buf, sizeof buf), cases[i].s);
}

/* Prints t into a string. */
static char *render(listing_table *t, int indent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    listing_table_print(t, f, indent);
    fclose(f);
    return buf;
}

static void test_table(void **state)
{
    (void)state;
    static const char *const headers[] = {"SURNAME", "N", "NOTE"};
    listing_table *t = listing_table_new(3, headers);
    listing_table_max(t, 0, 8);
    listing_table_right(t, 1);
    const char *r1[] = {"Olszyna-Wilczyński", "1", "a"};
    const char *r2[] = {"Ńńńńńńńńńń", "22", NULL};
    const char *r3[] = {"Перек", "333", "last"};
    assert_int_equal(listing_table_add(t, r1), 0);
    assert_int_equal(listing_table_add(t, r2), 0);
    assert_int_equal(listing_table_add(t, r3), 0);
    assert_int_equal(listing_table_rows(t), 3);
    char *out = render(t, 2);
    const char *want =
        "  SURNAME     N  NOTE\n"
        "  --------  ---  ----\n"
        "  Olszyna\xe2\x80\xa6    1  a\n"
        "  Ńńńńńńń\xe2\x80\xa6   22\n"
        "  Перек     333  last\n";
    assert_string_equal(out, want);
    free(out);
    listing_table_free(t);
}

static void test_json_urls(void **state)
{
    (void)state;
    json_t *a = store_json_urls("https://a.org/x | http://b.org/?q=1 | https://c.org");
    assert_int_equal(json_array_size(a), 3);
    assert_string_equal(json_string_value(json_array_get(a, 1)), "http://b.org/?q=1");
    json_decref(a);
    a = store_json_urls("");
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    a = store_json_urls(NULL);
    assert_true(json_is_array(a));
    json_decref(a);
    json_t *s = store_json_str("");
    assert_true(json_is_null(s));
    json_decref(s);
    s = store_json_str("\xff\xfe"); /* not UTF-8: null, not a crash */
    assert_true(json_is_null(s));
    json_decref(s);
}

static void test_wrap(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    listing_wrap(f, "Kozelsk prisoners shot in the Katyn forest", 2, 16);
    fclose(f);
    assert_string_equal(buf, "  Kozelsk\n  prisoners shot\n  in the Katyn\n  forest\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_json_urls),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
