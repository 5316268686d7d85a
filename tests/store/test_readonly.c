/*
 * test_readonly.c — store_open_readonly: a reader cannot change the store,
 * reads a database in a directory it may not write (a published copy,
 * another user's files), and brings an older file up to date first when it
 * may.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "store/schema.h"
#include "store/store.h"
#include "fixture.h"

static void make_db(fixture *f)
{
    kt_error err;
    kt_error_clear(&err);
    store *st;
    assert_int_equal(store_open(f->path, 1, &st, &err), KT_OK);
    store_source src = {.key = "list", .title = "a list"};
    assert_int_equal(store_source_add(st, &src, &err), KT_OK);
    store_record rec = {.source_id = src.id, .surname = "Kowalski", .raw = "Kowalski"};
    assert_int_equal(store_record_add(st, &rec, &err), KT_OK);
    store_close(st);
}

static void reader_cannot_write(void **state)
{
    fixture *f = *state;
    make_db(f);
    kt_error err;
    kt_error_clear(&err);
    assert_int_equal(store_open_readonly(f->path, &f->st, &err), KT_OK);
    assert_true(store_is_readonly(f->st));
    assert_int_equal(store_count(f->st, "record"), 1);
    store_source src;
    assert_int_equal(store_source_get(f->st, "list", &src, &err), KT_OK);
    store_record rec = {.source_id = src.id, .surname = "Nowak", .raw = "Nowak"};
    assert_int_not_equal(store_record_add(f->st, &rec, &err), KT_OK);
    assert_int_equal(store_count(f->st, "record"), 1);
}

static void missing_file_is_not_created(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_error_clear(&err);
    assert_int_equal(store_open_readonly(f->path, &f->st, &err), KT_ERR_NOTFOUND);
    assert_int_not_equal(access(f->path, F_OK), 0);
}

/* Runs in a child that has given up the right to write the directory: as
 * root, by becoming `nobody` (root writes anywhere); otherwise the mode
 * bits are enough. Exits 0 when the store read as expected. */
static int read_as_other_user(const char *path)
{
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
            return 10;
    }
    kt_error err;
    kt_error_clear(&err);
    store *st;
    if (store_open_readonly(path, &st, &err) != KT_OK) {
        fprintf(stderr, "store_open_readonly: %s\n", err.message);
        return 1;
    }
    int64_t n = store_count(st, "record");
    store_close(st);
    return n == 1 ? 0 : 2;
}

static void reads_in_a_readonly_directory(void **state)
{
    fixture *f = *state;
    make_db(f);
    /* No -wal or -shm beside it, and none can be made. */
    assert_int_equal(chmod(f->path, 0444), 0);
    assert_int_equal(chmod(f->dir, 0555), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(read_as_other_user(f->path));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    chmod(f->dir, 0700);
    chmod(f->path, 0600);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
        skip(); /* no user to become */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void older_file_is_brought_up_to_date(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_error_clear(&err);
    assert_int_equal(store_create_at_version(f->path, 1, &err), KT_OK);
    assert_int_equal(store_open_readonly(f->path, &f->st, &err), KT_OK);
    assert_int_equal(store_schema_version(f->st), store_schema_latest());
    assert_true(store_is_readonly(f->st));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reader_cannot_write, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_file_is_not_created, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_in_a_readonly_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(older_file_is_brought_up_to_date, setup, teardown),
    };
    return cmocka_run_group_tests_name("store read-only", tests, NULL, NULL);
}
