/*
 * test_link_memorial.c — real pairs: Memorial's Moscow list (5,232 real
 * records, Russian) and a Polish-spelled list of its 491 Poles
 * (tests/data/memorial/poles_pl.csv, made by make_poles_pl.py with its own
 * transcription, the truth in its last column), with the bundled persons
 * beside them. Each Polish row links to its own Russian row and to nothing
 * else; the bundled persons keep exactly their two records.
 */
#include "../testutil.h"

#include <sqlite3.h>

#include "db_query.h"

/* The Polish rows with the Memorial line they were made from. */
#define POLES "WITH p AS (SELECT r.id, r.person_id, CAST(substr(r.raw," \
    " length(rtrim(r.raw, '0123456789')) + 1) AS INT) AS truth FROM record r" \
    " JOIN source s ON s.id = r.source_id WHERE s.key = 'poles_pl') "

static void test_poles_link_to_their_records(void **state)
{
    (void)state;
    test_kt_ok("import tests/data/memorial/moscow_shot_1937_1941.csv --source memorial_moscow"
               " --db '%s'", test_db);
    test_kt_ok("import tests/data/memorial/poles_pl.csv --source poles_pl --db '%s'", test_db);
    test_kt_ok("link --db '%s'", test_db);
    int64_t poles = sql_int(POLES "SELECT count(*) FROM p");
    int64_t right = sql_int(POLES "SELECT count(*) FROM p JOIN record m ON m.person_id ="
                            " p.person_id AND m.id <> p.id WHERE m.raw_line = p.truth");
    int64_t wrong = sql_int(POLES "SELECT count(*) FROM p JOIN record m ON m.person_id ="
                            " p.person_id AND m.id <> p.id WHERE m.raw_line <> p.truth");
    assert_int_equal(poles, 491);
    assert_int_equal(wrong, 0);          /* nothing else */
    if (right < poles * 97 / 100)        /* the few left wait in review */
        fail_msg("%lld of %lld Polish rows linked to their Russian row", (long long)right,
                 (long long)poles);
    /* the bundled persons: their two records each, and no one else */
    assert_int_equal(sql_int("SELECT count(*) FROM person_record WHERE person_id IN"
                             " (SELECT person_id FROM person_record WHERE method = 'bundled')"
                             " AND method <> 'bundled'"), 0);
    assert_int_equal(sql_int("SELECT count(DISTINCT person_id) FROM person_record"
                             " WHERE method = 'bundled'"), 26);
    /* and the doubtful ones are there to review */
    test_run r = test_kt("review --db '%s' --limit 3", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "weight"));
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_poles_link_to_their_records, test_setup_db,
                                        test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
