/*
 * test_maintenance.c — backup, restore and check (store/maintenance.h):
 * a backup is a whole, checked copy and never overwrites; a damaged or
 * deleted database is restored from it (by copying the file back, and by
 * store_restore) to exactly the records it held; the check finds each
 * kind of damage and names the row, and runs its hooks in the same
 * snapshot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/stat.h>

#include "store/maintenance.h"
#include "fixture.h"
#include "reliability.h"

/* A store with two imported lists. */
static store *filled(fixture *f)
{
    char csv[192];
    kt_error err;
    f->st = rel_open(f->path, 1);
    for (int i = 0; i < 2; i++) {
        char key[16];
        snprintf(csv, sizeof csv, "%s/list%d.csv", f->dir, i);
        snprintf(key, sizeof key, "list%d", i);
        rel_write_csv(csv, 300 + i, key);
        if (rel_import(f->st, csv, key, &err) != KT_OK)
            fail_msg("import: %s", err.message);
    }
    return f->st;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* Overwrites len bytes at off with garbage. */
static void damage(const char *path, long off, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    for (size_t i = 0; i < len; i++)
        fputc((int)(0xA5 ^ i), f);
    assert_int_equal(fclose(f), 0);
}

typedef struct findings {
    int n;
    char text[16][256];
} findings;

static void collect(void *ctx, const store_finding *f)
{
    findings *fs = ctx;
    if (fs->n < 16)
        snprintf(fs->text[fs->n++], sizeof fs->text[0], "%s|%s|%lld|%s|%s", f->check,
                 f->table ? f->table : "", (long long)f->id, f->record_key ? f->record_key : "",
                 f->problem);
}

static int has_finding(const findings *fs, const char *start, const char *part)
{
    for (int i = 0; i < fs->n; i++)
        if (!strncmp(fs->text[i], start, strlen(start)) && strstr(fs->text[i], part))
            return 1;
    return 0;
}

static long check_findings(store *st, findings *fs)
{
    store_check_result res;
    kt_error err;
    memset(fs, 0, sizeof *fs);
    if (store_check(st, NULL, collect, fs, &res, &err) != KT_OK)
        fail_msg("store_check: %s", err.message);
    return res.findings;
}

static void test_backup_is_a_checked_copy(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    char dest[192];
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    store_backup_result res;
    kt_error err;
    assert_int_equal(store_backup(st, dest, &res, &err), KT_OK);
    assert_int_equal(res.records, 601);
    assert_int_equal(res.sources, 2);
    assert_int_equal(res.schema_version, store_schema_latest());
    struct stat sb;
    assert_int_equal(stat(dest, &sb), 0);
    assert_int_equal(res.bytes, sb.st_size);

    /* one self-contained file, and nothing left beside it */
    char side[256];
    snprintf(side, sizeof side, "%s-wal", dest);
    assert_int_not_equal(access(side, F_OK), 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c partial", f->dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int partial = -1;
    assert_int_equal(fscanf(p, "%d", &partial), 1);
    pclose(p);
    assert_int_equal(partial, 0);

    store *copy = rel_open(dest, 0);
    char *a = rel_dump(store_db(st)), *b = rel_dump(store_db(copy));
    assert_string_equal(a, b);
    free(a);
    free(b);
    findings fs;
    assert_int_equal(check_findings(copy, &fs), 0);
    store_close(copy);
}

static void test_backup_refuses(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    char dest[192];
    kt_error err;
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_OK);
    struct stat before;
    assert_int_equal(stat(dest, &before), 0);

    /* an existing file, the database itself, a directory, no such folder */
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_ERR_EXISTS);
    assert_non_null(strstr(err.message, "never overwrites"));
    assert_int_equal(store_backup(st, f->path, NULL, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "the database itself"));
    assert_int_equal(store_backup(st, f->dir, NULL, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "directory"));
    snprintf(dest, sizeof dest, "%s/no/such/dir/b.db", f->dir);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_ERR);
    assert_non_null(strstr(err.message, "No such file"));
    assert_int_equal(store_backup(st, "", NULL, &err), KT_ERR_INPUT);

    /* inside a transaction the copy would see uncommitted rows */
    snprintf(dest, sizeof dest, "%s/in-tx.db", f->dir);
    assert_int_equal(store_begin(st, &err), KT_OK);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_ERR);
    store_rollback(st);
    assert_int_not_equal(access(dest, F_OK), 0);

    /* the first backup was not touched */
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    struct stat after;
    assert_int_equal(stat(dest, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_int_equal(after.st_mtime, before.st_mtime);
}

/* backup → damage → check finds it → copy the backup back → check passes,
 * every record equal. Then the same with the file deleted. */
static void test_restore_by_copying_back(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    char dest[192];
    kt_error err;
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_OK);
    char *want = rel_dump(store_db(st));
    store_close(st);
    f->st = NULL;

    /* garbage over pages in the middle of the file (the records' b-tree) */
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    damage(f->path, sb.st_size / 2, 3000);
    store *bad = NULL;
    findings fs;
    memset(&fs, 0, sizeof fs);
    if (store_open(f->path, 0, &bad, &err) == KT_OK) {
        assert_true(check_findings(bad, &fs) > 0);
        assert_true(has_finding(&fs, "integrity|", ""));
        store_close(bad);
    }

    for (int round = 0; round < 2; round++) {
        /* round 1: the database is gone altogether */
        rel_remove_db(f->path);
        copy_file(dest, f->path);
        store *back = rel_open(f->path, 0);
        assert_int_equal(check_findings(back, &fs), 0);
        char *got = rel_dump(store_db(back));
        assert_string_equal(got, want);
        free(got);
        store_close(back);
    }
    free(want);
}

static void test_restore_in_place(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    char dest[192], csv[192];
    kt_error err;
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_OK);
    char *want = rel_dump(store_db(st));

    /* later changes: a third list, and one of the two deleted */
    snprintf(csv, sizeof csv, "%s/later.csv", f->dir);
    rel_write_csv(csv, 50, "later");
    assert_int_equal(rel_import(st, csv, "later", &err), KT_OK);
    store_source src;
    assert_int_equal(store_source_get(st, "list0", &src, &err), KT_OK);
    assert_int_equal(store_source_delete(st, src.id, &err), KT_OK);

    /* the restore goes through while this connection stays open */
    store_backup_result res;
    if (store_restore(dest, f->path, &res, &err) != KT_OK)
        fail_msg("store_restore: %s", err.message);
    assert_int_equal(res.records, 601);
    char *got = rel_dump(store_db(st));
    assert_string_equal(got, want);
    free(got);
    findings fs;
    assert_int_equal(check_findings(st, &fs), 0);

    /* into a database that does not exist yet */
    char fresh[192];
    snprintf(fresh, sizeof fresh, "%s/fresh.db", f->dir);
    assert_int_equal(store_restore(dest, fresh, NULL, &err), KT_OK);
    store *copy = rel_open(fresh, 0);
    got = rel_dump(store_db(copy));
    assert_string_equal(got, want);
    free(got);
    store_close(copy);
    free(want);
}

static void test_restore_refuses(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    char *want = rel_dump(store_db(st));
    char dest[192], other[192];
    kt_error err;
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(store_backup(st, dest, NULL, &err), KT_OK);

    /* a damaged backup */
    char broken[192];
    snprintf(broken, sizeof broken, "%s/broken.db", f->dir);
    copy_file(dest, broken);
    struct stat sb;
    assert_int_equal(stat(broken, &sb), 0);
    damage(broken, sb.st_size / 2, 3000);
    assert_int_equal(store_restore(broken, f->path, NULL, &err), KT_ERR_INPUT);
    if (!strstr(err.message, "broken.db"))
        fail_msg("%s", err.message);

    /* not a database at all; a foreign SQLite file; no such file */
    snprintf(other, sizeof other, "%s/list0.csv", f->dir);
    assert_int_equal(store_restore(other, f->path, NULL, &err), KT_ERR_INPUT);
    snprintf(other, sizeof other, "%s/foreign.db", f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_restore(other, f->path, NULL, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "not a kartoteka database"));
    /* ... nor is a foreign file ever overwritten by a good backup */
    assert_int_equal(store_restore(dest, other, NULL, &err), KT_ERR_INPUT);
    assert_int_equal(store_restore("/nonexistent/b.db", f->path, NULL, &err), KT_ERR_NOTFOUND);
    assert_int_equal(store_restore(f->path, f->path, NULL, &err), KT_ERR_INPUT);

    /* nothing changed */
    char *got = rel_dump(store_db(st));
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void test_check_finds_each_problem(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    findings fs;
    assert_int_equal(check_findings(st, &fs), 0);

    sqlite3 *db = store_db(st);
    int64_t p1, p2;
    kt_error err;
    assert_int_equal(store_person_add(st, "one", &p1, &err), KT_OK);
    assert_int_equal(store_person_add(st, "two", &p2, &err), KT_OK);
    assert_int_equal(store_link_add(st, p1, 7, "review", 0, "test", "same man", &err), KT_OK);
    assert_int_equal(check_findings(st, &fs), 0);

    char sql[512];
    snprintf(sql, sizeof sql,
             "PRAGMA foreign_keys = OFF;"
             "UPDATE record SET raw = '' WHERE id = 3;"
             "UPDATE record SET person_id = %lld WHERE id = 7;"
             "UPDATE record SET person_id = %lld WHERE id = 9;"
             "INSERT INTO person_record(person_id, record_id, method) VALUES (4242, 11, 'auto');"
             "UPDATE source SET checksum = 'not-a-sum' WHERE key = 'list1';"
             "PRAGMA foreign_keys = ON;",
             (long long)p2, (long long)p1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    long n = check_findings(st, &fs);
    for (int i = 0; i < fs.n; i++)
        fprintf(stderr, "  finding: %s\n", fs.text[i]);
    assert_true(has_finding(&fs, "raw_rows|record|3|list0-2|", "no raw source row"));
    assert_true(has_finding(&fs, "links|record|7|list0-6|", "link row"));
    assert_true(has_finding(&fs, "links|record|9|list0-8|", "without a link row"));
    assert_true(has_finding(&fs, "links|record|11|list0-10|", "person 4242"));
    assert_true(has_finding(&fs, "foreign_keys|", "person_record row"));
    assert_true(has_finding(&fs, "sources|source|", "not a SHA-256"));
    assert_int_equal(n, fs.n);

    /* a limit on what is reported, not on what is counted */
    store_check_options opt = {.max_findings = 2};
    store_check_result res;
    memset(&fs, 0, sizeof fs);
    assert_int_equal(store_check(st, &opt, collect, &fs, &res, &err), KT_OK);
    assert_int_equal(fs.n, 2);
    assert_int_equal(res.findings, n);
}

/* A hook sees the store inside the check's read transaction, and what it
 * reports is counted with the rest. */
static int hook_run(store *st, void *hook_ctx, store_finding_fn report, void *ctx,
                    kt_error *err)
{
    (void)err;
    int *calls = hook_ctx;
    ++*calls;
    assert_int_equal(sqlite3_get_autocommit(store_db(st)), 0);
    store_finding f = {.check = "index", .table = "record", .id = 5, .record_key = "list0-4",
                       .problem = "missing from the index snapshot"};
    report(ctx, &f);
    return KT_OK;
}

static int hook_fail(store *st, void *hook_ctx, store_finding_fn report, void *ctx,
                     kt_error *err)
{
    (void)st, (void)hook_ctx, (void)report, (void)ctx;
    kt_error_set(err, "no index snapshot to compare");
    return KT_ERR;
}

static void test_check_hooks(void **state)
{
    fixture *f = *state;
    store *st = filled(f);
    int calls = 0;
    store_check_hook hooks[] = {{.name = "index", .run = hook_run, .hook_ctx = &calls}};
    store_check_options opt = {.hooks = hooks, .nhooks = 1, .quick = 1};
    store_check_result res;
    findings fs;
    memset(&fs, 0, sizeof fs);
    kt_error err;
    assert_int_equal(store_check(st, &opt, collect, &fs, &res, &err), KT_OK);
    assert_int_equal(calls, 1);
    assert_int_equal(res.findings, 1);
    assert_string_equal(fs.text[0], "index|record|5|list0-4|missing from the index snapshot");
    assert_int_equal(res.records, 601);
    /* the check leaves no transaction open */
    assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);

    store_check_hook failing[] = {{.name = "index", .run = hook_fail}};
    opt.hooks = failing;
    assert_int_equal(store_check(st, &opt, collect, &fs, &res, &err), KT_ERR);
    assert_string_equal(err.message, "no index snapshot to compare");
    assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_is_a_checked_copy, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_restore_by_copying_back, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_restore_in_place, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_each_problem, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_check_hooks, setup, rel_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
