/*
 * test_search_snapshot.c — `kartoteka search` with its index snapshot
 * beside the database: the first search writes it, and a search after an
 * import finds the imported people (the snapshot of the store before the
 * import is never used), then writes a fresh one.
 */
#include "../testutil.h"

static char snap[160];

static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    snprintf(snap, sizeof snap, "%s.index", test_db);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_search_after_import(void **state)
{
    (void)state;
    assert_int_equal(access(snap, F_OK), -1);
    test_run r = test_kt("search --db '%s' Jan Szczepkowski", test_db);
    assert_int_equal(r.code, 0);
    assert_null(strstr(r.out, "Щепковский"));
    test_run_free(&r);
    assert_int_equal(access(snap, F_OK), 0);   /* written by the first search */

    char csv[160];
    snprintf(csv, sizeof csv, "%s/new.csv", test_dir);
    write_file(csv, "record_id,surname,given_names,birth_year\n"
                    "N-1,Щепковский,Ян,1910\n");
    test_kt_ok("import '%s' --source new_list --db '%s'", csv, test_db);

    /* twice: the rebuilt index, then the fresh snapshot */
    for (int i = 0; i < 2; i++) {
        r = test_kt("search --db '%s' --limit 1 Jan Szczepkowski", test_db);
        assert_int_equal(r.code, 0);
        assert_non_null(strstr(r.out, "Щепковский Ян  1910  [new_list, key N-1, record "));
        test_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_after_import),
    };
    return cmocka_run_group_tests(tests, setup, test_teardown);
}
