/*
 * test_backup.c — `kartoteka backup`, `check` and `restore` run as a user
 * runs them: a backup of a database with the real Memorial list, damage,
 * check naming the problem, restore, check clean and every record as it
 * was; the refusals and their exit codes.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include "../testutil.h"

static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    test_kt_ok("import tests/data/memorial/moscow_shot_1937_1941.csv --source memorial_moscow"
               " --column name=NAME --column note=BIO --db '%s'", test_db);
    return 0;
}

static char *all_records(void)
{
    test_run r = test_kt("records --limit 0 --json --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    free(r.err);
    return r.out;
}

static void garble(const char *path, long from_end_fraction)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, sb.st_size / from_end_fraction, SEEK_SET);
    for (int i = 0; i < 8192; i++)
        fputc(0x5A ^ i, f);
    assert_int_equal(fclose(f), 0);
}

static void test_backup_damage_restore(void **state)
{
    (void)state;
    char *before = all_records();
    test_run r = test_kt("check --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, ": ok — 7 checks, 3 sources,"));
    test_run_free(&r);

    r = test_kt("backup '%s/b1.db' --db '%s'", test_dir, test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "backed up"));
    assert_non_null(strstr(r.out, "quick_check ok"));
    test_run_free(&r);

    /* damaged: check says where, exit 1 */
    garble(test_db, 2);
    r = test_kt("check --db '%s'", test_db);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "integrity: "));
    assert_non_null(strstr(r.out, "problem"));
    test_run_free(&r);

    r = test_kt("restore '%s/b1.db' --db '%s'", test_dir, test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "restored"));
    test_run_free(&r);
    r = test_kt("check --db '%s' --json", test_db);
    assert_int_equal(r.code, 0);
    json_t *j = test_json_parse(r.out, 0);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_int_equal(json_integer_value(json_object_get(j, "problems")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "findings")), 0);
    json_decref(j);
    test_run_free(&r);
    char *after = all_records();
    assert_string_equal(after, before);
    free(after);

    /* the other way back: the file deleted, the backup copied in its place */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' && cp '%s/b1.db' '%s'", test_db,
             test_db, test_db, test_dir, test_db);
    assert_int_equal(system(cmd), 0);
    test_kt_ok("check --db '%s'", test_db);
    after = all_records();
    assert_string_equal(after, before);
    free(after);
    free(before);
}

static void test_refusals(void **state)
{
    (void)state;
    test_kt_ok("backup '%s/b2.db' --db '%s'", test_dir, test_db);
    struct {
        const char *args;
        int code;
        const char *says;
    } cases[] = {
        {"backup '%s/b2.db' --db '%s'", 4, "already exists"},
        {"backup '%s' --db '%s'", 3, "is a directory"},
        {"backup '%s/no/dir/b.db' --db '%s'", 1, "No such file"},
        {"restore '%s/missing.db' --db '%s'", 5, "missing.db"},
        {"restore '%s' --db '%s'", 3, "not a regular file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char args[1024];
        snprintf(args, sizeof args, cases[i].args, test_dir, test_db);
        test_run r = test_kt("%s", args);
        if (r.code != cases[i].code || !strstr(r.err, cases[i].says))
            fail_msg("%s: exit %d, %s", args, r.code, r.err);
        test_run_free(&r);
    }
    test_run r = test_kt("backup --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);
    r = test_kt("backup '%s' --db '%s'", test_db, test_db);
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.err, "the database itself"));
    test_run_free(&r);
    r = test_kt("check --db '%s/none.db'", test_dir);
    assert_int_equal(r.code, 5);
    test_run_free(&r);
    r = test_kt("backup --help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: kartoteka backup FILE"));
    test_run_free(&r);
    r = test_kt("check --help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "integrity_check"));
    test_run_free(&r);
}

/* The search index snapshot is checked against the store: a record
 * changed behind the store's back (its state, and so the snapshot's label,
 * unchanged) is found. */
static void test_index_snapshot_checked(void **state)
{
    (void)state;
    test_kt_ok("search --db '%s' Kowalski", test_db);
    char snap[160];
    snprintf(snap, sizeof snap, "%s.index", test_db);
    assert_int_equal(access(snap, F_OK), 0);
    test_kt_ok("check --db '%s'", test_db);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(test_db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE record SET birth_year = 1777 WHERE id = 60", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    test_run r = test_kt("check --db '%s' --json", test_db);
    assert_int_equal(r.code, 1);
    json_t *j = test_json_parse(r.out, 0);
    json_t *f = json_array_get(json_object_get(j, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "check")), "index");
    assert_int_equal(json_integer_value(json_object_get(f, "id")), 60);
    assert_non_null(strstr(json_string_value(json_object_get(f, "problem")), "1777"));
    json_decref(j);
    test_run_free(&r);

    /* a snapshot that is not current is not a problem: the next search
     * builds it again */
    test_kt_ok("import tests/data/memorial/moscow_shot_1937_1941.csv --source again"
               " --column name=NAME --replace --db '%s'", test_db);
    test_kt_ok("check --db '%s'", test_db);
    test_kt_ok("search --db '%s' Kowalski", test_db);
    test_kt_ok("check --db '%s'", test_db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_damage_restore),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_index_snapshot_checked),
    };
    return cmocka_run_group_tests(tests, setup, test_teardown);
}
