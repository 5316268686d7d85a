/*
 * test_concurrency.c — several processes on one store: two imports at
 * once never both half-land (the second waits for the first, or fails
 * cleanly when the wait is too long); the same file imported twice at
 * once lands once; readers during an import see the store before it or
 * after it, never between; a backup during an import is one of the two;
 * every connection has its busy timeout.
 *
 * Processes, not threads, as the CLI and the web server are; where an
 * order matters, the importing child stops at a known point inside its
 * transaction (reliability.h) instead of racing a sleep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <time.h>

#include "store/maintenance.h"
#include "fixture.h"
#include "reliability.h"

static const char *bin(void)
{
    const char *b = getenv("KARTOTEKA_BIN");
    if (!b)
        fail_msg("KARTOTEKA_BIN not set (run through make test)");
    return b;
}

/* The store with one small list; the path of a second list of n rows. */
static void prepared(fixture *f, char *csv, size_t cap, const char *tag, long n)
{
    char first[192];
    kt_error err;
    snprintf(first, sizeof first, "%s/first.csv", f->dir);
    rel_write_csv(first, 50, "first");
    store *st = rel_open(f->path, 1);
    if (rel_import(st, first, "first", &err) != KT_OK)
        fail_msg("import: %s", err.message);
    store_close(st);
    snprintf(csv, cap, "%s/%s.csv", f->dir, tag);
    rel_write_csv(csv, n, tag);
}

static int64_t count_of(sqlite3 *db, const char *key)
{
    char sql[192];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM record r JOIN source s ON s.id ="
             " r.source_id WHERE s.key = '%s'", key);
    return rel_int(db, sql);
}

/* Runs BIN args... in a child with stdout and stderr to files; its pid. */
static pid_t spawn(const char *out, const char *errfile, const char *const *args)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(out, "w", stdout) || !freopen(errfile, "w", stderr))
            _exit(126);
        execv(bin(), (char *const *)args);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *s = calloc(1, 65536);
    assert_non_null(s);
    size_t n = fread(s, 1, 65535, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* ---- readers ------------------------------------------------------------ */

static void test_readers_see_before_or_after(void **state)
{
    fixture *f = *state;
    char csv[192];
    prepared(f, csv, sizeof csv, "second", 40000);
    store *st = rel_open(f->path, 0);
    char *before = rel_dump(store_db(st));
    store_close(st);

    /* a reader whose snapshot starts before the import commits */
    store *early = NULL;
    kt_error err;
    assert_int_equal(store_open_readonly(f->path, &early, &err), KT_OK);

    rel_child c = rel_import_and_stop(f->path, csv, "second", 0, 25000);
    /* mid-import: 25,000 rows written, none visible, to any reader */
    store *mid = NULL;
    assert_int_equal(store_open_readonly(f->path, &mid, &err), KT_OK);
    char *seen = rel_dump(store_db(mid));
    assert_string_equal(seen, before);
    free(seen);
    store_close(mid);
    {
        char out[192], errf[192];
        snprintf(out, sizeof out, "%s/out.txt", f->dir);
        snprintf(errf, sizeof errf, "%s/err.txt", f->dir);
        const char *args[] = {bin(), "records", "--source", "second", "--db", f->path, NULL};
        assert_int_equal(wait_exit(spawn(out, errf, args)), 5); /* no such source yet */
        const char *args2[] = {bin(), "check", "--db", f->path, NULL};
        assert_int_equal(wait_exit(spawn(out, errf, args2)), 0);
    }
    assert_int_equal(sqlite3_exec(store_db(early), "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count_of(store_db(early), "second"), 0);

    assert_int_equal(rel_child_finish(&c), 0);

    /* the early reader's snapshot still shows the store before the import */
    assert_int_equal(count_of(store_db(early), "second"), 0);
    assert_int_equal(sqlite3_exec(store_db(early), "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    /* its next read, and any new reader, the store after it */
    assert_int_equal(count_of(store_db(early), "second"), 40000);
    store_close(early);
    free(before);
}

/* A reader polling as fast as it can through a whole import, without any
 * coordination: every count it sees is all or nothing. */
static void test_polling_reader(void **state)
{
    fixture *f = *state;
    char csv[192];
    prepared(f, csv, sizeof csv, "second", 60000);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) {
        close(ready[0]);
        store *st = NULL;
        kt_error err;
        if (store_open_readonly(f->path, &st, &err) != KT_OK)
            _exit(10);
        if (write(ready[1], "r", 1) != 1)
            _exit(11);
        long zero = 0;
        for (long reads = 0;; reads++) {
            int64_t n = count_of(store_db(st), "second");
            if (n == 0) {
                zero++;
            } else if (n == 60000) {
                store_close(st);
                _exit(zero > 0 ? 0 : 12);
            } else {
                _exit(13); /* a half-landed import */
            }
            if (reads > 50000000)
                _exit(14);
        }
    }
    close(ready[1]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    store *st = rel_open(f->path, 0);
    kt_error err;
    assert_int_equal(rel_import(st, csv, "second", &err), KT_OK);
    store_close(st);
    int code = wait_exit(reader);
    if (code != 0)
        fail_msg("the reader saw %s", code == 13 ? "a part of the import" : "something wrong");
}

/* ---- writers ------------------------------------------------------------ */

static int busy_told;
static int busy_fd;

/* A busy handler that tells the parent once that it waits, then retries
 * every millisecond for up to 10 s. */
static int tell_and_wait(void *ctx, int n)
{
    (void)ctx;
    if (!busy_told) {
        busy_told = 1;
        if (write(busy_fd, "b", 1) != 1)
            return 0;
    }
    nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    return n < 10000;
}

/* The second import starts while the first is inside its transaction: it
 * waits, then lands after the first, both whole. */
static void test_second_import_waits(void **state)
{
    fixture *f = *state;
    char csv1[192], csv2[192];
    prepared(f, csv1, sizeof csv1, "one", 20000);
    snprintf(csv2, sizeof csv2, "%s/two.csv", f->dir);
    rel_write_csv(csv2, 15000, "two");

    rel_child first = rel_import_and_stop(f->path, csv1, "one", 0, 10000);
    int told[2];
    assert_int_equal(pipe(told), 0);
    fflush(NULL);
    pid_t second = fork();
    assert_true(second >= 0);
    if (second == 0) {
        close(told[0]);
        busy_fd = told[1];
        store *st = NULL;
        kt_error err;
        if (store_open(f->path, 0, &st, &err) != KT_OK)
            _exit(5);
        sqlite3_busy_handler(store_db(st), tell_and_wait, NULL);
        int rc = rel_import(st, csv2, "two", &err);
        store_close(st);
        _exit(rc == KT_OK ? (busy_told ? 0 : 7) : 1);
    }
    close(told[1]);
    char c;
    /* the second import is waiting for the lock */
    assert_int_equal(read(told[0], &c, 1), 1);
    close(told[0]);
    assert_int_equal(rel_child_finish(&first), 0);
    assert_int_equal(wait_exit(second), 0);

    store *st = rel_open(f->path, 0);
    assert_int_equal(count_of(store_db(st), "one"), 20000);
    assert_int_equal(count_of(store_db(st), "two"), 15000);
    rel_assert_intact(store_db(st));
    /* one after the other in the audit log, the waiting one second */
    assert_int_equal(rel_int(store_db(st), "SELECT (SELECT id FROM audit_log WHERE object ="
                                           " 'one' AND action = 'import') < (SELECT id FROM"
                                           " audit_log WHERE object = 'two' AND action ="
                                           " 'import')"),
                     1);
    store_close(st);
}

/* When the lock is held past the busy timeout, the import fails with a
 * clear error and changes nothing; the binary says so and exits 1. */
static void test_locked_too_long(void **state)
{
    fixture *f = *state;
    char csv1[192], csv2[192];
    prepared(f, csv1, sizeof csv1, "one", 20000);
    snprintf(csv2, sizeof csv2, "%s/two.csv", f->dir);
    rel_write_csv(csv2, 500, "two");
    store *st = rel_open(f->path, 0);
    char *before = rel_dump(store_db(st));
    store_close(st);

    rel_child holder = rel_import_and_stop(f->path, csv1, "one", 0, 10000);
    st = rel_open(f->path, 0);
    sqlite3_busy_timeout(store_db(st), 100); /* not the store's 5 s, in a test */
    kt_error err;
    int rc = rel_import(st, csv2, "two", &err);
    assert_int_equal(rc, KT_ERR);
    fprintf(stderr, "  locked: %s\n", err.message);
    assert_non_null(strstr(err.message, "locked"));
    store_close(st);

    /* the binary, with the store's own busy timeout */
    char out[192], errf[192];
    snprintf(out, sizeof out, "%s/out.txt", f->dir);
    snprintf(errf, sizeof errf, "%s/err.txt", f->dir);
    const char *args[] = {bin(), "import", csv2, "--source", "two", "--db", f->path, NULL};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(wait_exit(spawn(out, errf, args)), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    char *said = slurp_file(errf);
    fprintf(stderr, "  binary: %s", said);
    assert_non_null(strstr(said, "locked"));
    free(said);
    /* it waited for the lock before giving up */
    assert_true(t1.tv_sec - t0.tv_sec >= STORE_BUSY_TIMEOUT_MS / 1000 - 1);

    rel_child_kill(&holder);
    st = rel_open(f->path, 0);
    char *now = rel_dump(store_db(st));
    assert_string_equal(now, before);
    free(now);
    free(before);
    store_close(st);
}

/* Two binaries importing at once, uncoordinated: each lands whole or, if
 * it waited too long, not at all and says so. The same file twice at once
 * under two keys lands once. */
static void test_two_binaries_at_once(void **state)
{
    fixture *f = *state;
    char csv1[192], csv2[192];
    prepared(f, csv1, sizeof csv1, "one", 60000);
    snprintf(csv2, sizeof csv2, "%s/two.csv", f->dir);
    rel_write_csv(csv2, 60000, "two");
    char out[2][192], errf[2][192];
    for (int i = 0; i < 2; i++) {
        snprintf(out[i], sizeof out[i], "%s/out%d.txt", f->dir, i);
        snprintf(errf[i], sizeof errf[i], "%s/err%d.txt", f->dir, i);
    }
    int one_landed = 0;
    for (int round = 0; round < 2; round++) {
        /* round 0: two different files; round 1: one file under two keys */
        const char *keys[2][2] = {{"one", "two"}, {"again1", "again2"}};
        const char *files[2][2] = {{csv1, csv2}, {csv1, csv1}};
        const char *a0[] = {bin(), "import", files[round][0], "--source", keys[round][0],
                            "--db", f->path, NULL};
        const char *a1[] = {bin(), "import", files[round][1], "--source", keys[round][1],
                            "--db", f->path, NULL};
        pid_t p0 = spawn(out[0], errf[0], a0), p1 = spawn(out[1], errf[1], a1);
        int code[2] = {wait_exit(p0), wait_exit(p1)};
        store *st = rel_open(f->path, 0);
        int landed = 0;
        for (int i = 0; i < 2; i++) {
            int64_t n = count_of(store_db(st), keys[round][i]);
            char *said = slurp_file(errf[i]);
            if (code[i] == 0) {
                assert_int_equal(n, 60000);
                landed++;
                one_landed |= round == 0 && i == 0;
            } else {
                assert_int_equal(n, 0);
                /* locked too long (1), or the same file already there (4) */
                if (!((code[i] == 1 && strstr(said, "locked")) ||
                      (code[i] == 4 && strstr(said, "already imported"))))
                    fail_msg("import %d: exit %d: %s", i, code[i], said);
            }
            free(said);
        }
        if (round == 1)
            assert_true(landed <= 1);
        rel_assert_intact(store_db(st));
        store_close(st);
        if (round == 0)
            continue;
        /* when "one" holds csv1 already, neither "again" import lands;
         * else (it waited too long, as under a sanitizer) exactly one */
        assert_int_equal(landed, one_landed ? 0 : 1);
    }
}

/* A backup taken while an import is inside its transaction is the store
 * before it; and it does not wait for the import. */
static void test_backup_during_import(void **state)
{
    fixture *f = *state;
    char csv[192], dest[192];
    prepared(f, csv, sizeof csv, "second", 30000);
    store *st = rel_open(f->path, 0);
    char *before = rel_dump(store_db(st));
    store_close(st);

    rel_child c = rel_import_and_stop(f->path, csv, "second", 0, 20000);
    st = NULL;
    kt_error err;
    assert_int_equal(store_open_readonly(f->path, &st, &err), KT_OK);
    snprintf(dest, sizeof dest, "%s/during.db", f->dir);
    if (store_backup(st, dest, NULL, &err) != KT_OK)
        fail_msg("backup during an import: %s", err.message);
    store_close(st);
    assert_int_equal(rel_child_finish(&c), 0);

    store *copy = rel_open(dest, 0);
    char *got = rel_dump(store_db(copy));
    assert_string_equal(got, before);
    free(got);
    store_close(copy);
    free(before);
}

static void test_busy_timeouts_are_set(void **state)
{
    fixture *f = *state;
    store *st = rel_open(f->path, 1);
    assert_int_equal(rel_int(store_db(st), "PRAGMA busy_timeout"), STORE_BUSY_TIMEOUT_MS);
    store_close(st);
    st = NULL;
    kt_error err;
    assert_int_equal(store_open_readonly(f->path, &st, &err), KT_OK);
    assert_int_equal(rel_int(store_db(st), "PRAGMA busy_timeout"), STORE_BUSY_TIMEOUT_MS);
    store_close(st);
    assert_true(STORE_BUSY_TIMEOUT_MS >= 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers_see_before_or_after, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_polling_reader, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_second_import_waits, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_locked_too_long, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_two_binaries_at_once, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_backup_during_import, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_busy_timeouts_are_set, setup, rel_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
