/*
 * test_json.c — a search as JSON (index_hit_json, index_search_json) when
 * the text it shows is not valid UTF-8, as a damaged file could hold it:
 * every key of the shape is there, the bad text null, the rest as given.
 * (Found by fuzz/fuzz_json: such a key used to be left out.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "index/index.h"

static kt_index *index_of(const char *record_key, const char *surname)
{
    kt_index *ix = index_new();
    assert_non_null(ix);
    store_record r;
    memset(&r, 0, sizeof r);
    r.id = 7;
    r.source_key = "test";
    r.record_key = record_key;
    r.surname = surname;
    r.given_names = "Jan";
    r.birth_year = 1900;
    assert_int_equal(index_add(ix, &r), 0);
    assert_int_equal(index_add_alias(ix, &r, "Jan Nowak", "other \xff"), 0);
    assert_int_equal(index_finish(ix), 0);
    return ix;
}

static void test_hit_keys_kept(void **state)
{
    (void)state;
    static const struct {
        const char *record_key, *surname, *query;
        int key_null; /* record_key comes back null */
    } cases[] = {
        {"k1", "Kowalski", "Kowalski Jan", 0},
        {"\xa9" "1", "Kowalski", "Kowalski Jan", 1},  /* a stray continuation byte */
        {"k\xe2\x82", "Kowalski", "Kowalski Jan", 1}, /* cut in the middle */
        {"", "Kowalski", "Kowalski Jan", 1},          /* none */
        {"k2", "Kowalski", "Jan Nowak", 0},           /* found by the alias */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kt_index *ix = index_of(cases[i].record_key, cases[i].surname);
        index_hit hits[4];
        int n = index_query(ix, cases[i].query, NULL, hits, 4);
        assert_true(n >= 1);
        json_t *j = index_hit_json(ix, cases[i].query, &hits[0]);
        assert_non_null(j);
        static const char *const keys[] = {"record_id", "record_key", "source", "person_id",
                                           "score", "name", "birth_year", "why"};
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            assert_non_null(json_object_get(j, keys[k]));
        json_t *key = json_object_get(j, "record_key");
        if (cases[i].key_null)
            assert_true(json_is_null(key));
        else
            assert_string_equal(json_string_value(key), cases[i].record_key);
        assert_int_equal(json_integer_value(json_object_get(j, "record_id")), 7);
        json_t *alias = json_object_get(j, "alias");
        if (alias) { /* its bad kind null, still there */
            assert_string_equal(json_string_value(json_object_get(alias, "name")), "Jan Nowak");
            assert_true(json_is_null(json_object_get(alias, "kind")));
        }
        json_decref(j);

        json_t *all = index_search_json(ix, cases[i].query, NULL, 4);
        assert_non_null(all);
        json_t *rec = json_array_get(
            json_object_get(json_array_get(json_object_get(all, "results"), 0), "records"), 0);
        assert_non_null(rec);
        assert_non_null(json_object_get(rec, "record_key"));
        assert_string_equal(json_string_value(json_object_get(rec, "source")), "test");
        json_decref(all);
        index_free(ix);
    }
}

/* A query that is not UTF-8 is kept as null, not dropped. */
static void test_bad_query(void **state)
{
    (void)state;
    kt_index *ix = index_of("k1", "Kowalski");
    json_t *all = index_search_json(ix, "Kowalski \xff", NULL, 4);
    if (all) {
        assert_non_null(json_object_get(all, "query"));
        json_decref(all);
    }
    index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_keys_kept),
        cmocka_unit_test(test_bad_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
