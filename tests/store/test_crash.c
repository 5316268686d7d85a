/*
 * test_crash.c — an import killed part-way (SIGKILL, no chance to clean
 * up) loses nothing and leaves nothing half-done: the database passes
 * PRAGMA integrity_check, holds exactly what it held before (no source, no
 * record, no audit entry of the killed import; a source being replaced is
 * still there, whole), and the same import run again succeeds.
 *
 * The kill comes at a known point: the importing child stops inside its
 * transaction after a given number of records (an SQLite update hook) and
 * waits on a pipe until the parent kills it; by then pages of the
 * uncommitted transaction are in the -wal file, which the test checks.
 * One more test kills the real binary while its -wal file grows; another
 * kills a linkage run while it writes its persons and links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "fixture.h"
#include "link/link.h"
#include "reliability.h"

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* The store at f->path with one list imported ("first"); its dump. */
static char *prepared(fixture *f, long rows)
{
    char csv[192];
    kt_error err;
    snprintf(csv, sizeof csv, "%s/first.csv", f->dir);
    rel_write_csv(csv, rows, "first");
    store *st = rel_open(f->path, 1);
    if (rel_import(st, csv, "first", &err) != KT_OK)
        fail_msg("import: %s", err.message);
    char *dump = rel_dump(store_db(st));
    store_close(st);
    return dump;
}

/* After the kill: whole, and exactly as before (audit log included). */
static void assert_as_before(const char *path, const char *before, int64_t audit_before)
{
    store *st = rel_open(path, 0);
    rel_assert_intact(store_db(st));
    char *now = rel_dump(store_db(st));
    assert_string_equal(now, before);
    free(now);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM audit_log"), audit_before);
    store_close(st);
}

static int64_t audit_rows(const char *path)
{
    store *st = rel_open(path, 0);
    int64_t n = rel_int(store_db(st), "SELECT count(*) FROM audit_log");
    store_close(st);
    return n;
}

static void test_kill_during_import(void **state)
{
    fixture *f = *state;
    char *before = prepared(f, 100);
    int64_t audit = audit_rows(f->path);
    char csv[192], wal[160];
    snprintf(csv, sizeof csv, "%s/second.csv", f->dir);
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    rel_write_csv(csv, 60000, "second");

    rel_child c = rel_import_and_stop(f->path, csv, "second", 0, 40000);
    /* the transaction has spilled pages into the WAL: there is something
     * half-written on disk for the recovery to ignore */
    assert_true(file_size(wal) > 1000000);
    rel_child_kill(&c);
    assert_as_before(f->path, before, audit);

    /* the same import, run again, goes through whole */
    store *st = rel_open(f->path, 0);
    kt_error err;
    if (rel_import(st, csv, "second", &err) != KT_OK)
        fail_msg("import after the kill: %s", err.message);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM record r JOIN source s ON"
                                           " s.id = r.source_id WHERE s.key = 'second'"),
                     60000);
    rel_assert_intact(store_db(st));
    store_close(st);
    free(before);
}

/* Killed while replacing a source: the old source is still there, whole. */
static void test_kill_during_replace(void **state)
{
    fixture *f = *state;
    char *before = prepared(f, 30000);
    int64_t audit = audit_rows(f->path);
    char csv[192];
    snprintf(csv, sizeof csv, "%s/first-v2.csv", f->dir);
    rel_write_csv(csv, 50000, "first-v2");

    rel_child c = rel_import_and_stop(f->path, csv, "first", 1, 35000);
    rel_child_kill(&c);
    assert_as_before(f->path, before, audit);

    store *st = rel_open(f->path, 0);
    kt_error err;
    store_import_options opt = {.source_key = "first", .replace = 1};
    store_import_result res;
    if (store_import_csv(st, csv, &opt, &res, &err) != KT_OK)
        fail_msg("replace after the kill: %s", err.message);
    assert_int_equal(res.records, 50000);
    assert_int_equal(res.replaced_records, 30000);
    store_close(st);
    free(before);
}

/* The real binary, killed while its -wal file grows. */
static void test_kill_the_binary(void **state)
{
    fixture *f = *state;
    const char *bin = getenv("KARTOTEKA_BIN");
    if (!bin) {
        fprintf(stderr, "KARTOTEKA_BIN not set (run through make test)\n");
        fail();
    }
    char *before = prepared(f, 10);
    int64_t audit = audit_rows(f->path);
    char csv[192], wal[160];
    snprintf(csv, sizeof csv, "%s/big.csv", f->dir);
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    rel_write_csv(csv, 400000, "big");

    off_t wal_before = file_size(wal);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execl(bin, bin, "import", csv, "--source", "big", "--db", f->path, (char *)NULL);
        _exit(127);
    }
    /* Wait for 2 MB of uncommitted pages, or the end of the import. */
    int status, exited = 0;
    for (;;) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = 1;
            break;
        }
        if (file_size(wal) > wal_before + 2000000)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    if (exited)
        fail_msg("the import finished (exit %d) before it could be killed",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    rel_child bin_child = {.pid = pid, .go = -1};
    rel_child_kill(&bin_child);
    assert_as_before(f->path, before, audit);

    /* and again, to its end */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' import '%s' --source big --db '%s' >/dev/null", bin, csv,
             f->path);
    assert_int_equal(system(cmd), 0);
    store *st = rel_open(f->path, 0);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM record"), 400010);
    store_close(st);
    free(before);
}

/* A list of n invented men, each with a name of his own, as `tag`: two
 * such lists hold the same men, for the linkage to find. */
static void write_people(const char *path, long n, const char *tag)
{
    static const char *const roots[] = {"Kowal", "Nowak", "Wiśniew", "Wójcik", "Kamień",
                                        "Lewandow", "Zieliń", "Szyman", "Woźniak", "Dąbrow",
                                        "Kozłow", "Jankow", "Mazur", "Kwiatkow", "Krawczyk",
                                        "Piotrow"};
    static const char *const endings[] = {"ski", "owski", "ewicz", "czyk", "ak", "ek", "iński",
                                          "ała"};
    static const char *const given[] = {"Jan", "Stanisław", "Józef", "Władysław", "Tadeusz"};
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "record_id,surname,given_names,birth_year,camp\n");
    for (long i = 0; i < n; i++)
        fprintf(f, "%s-%ld,%s%s,%s,%ld,Kozielsk\n", tag, i, roots[i % 16], endings[(i / 16) % 8],
                given[(i / 128) % 5], 1880 + (i / 640) % 40);
    assert_int_equal(fclose(f), 0);
}

static int link_work(store *st, void *ctx)
{
    (void)ctx;
    link_report rep;
    kt_error err;
    return link_store_run(st, NULL, 0, "test", &rep, &err);
}

/* Killed in the middle of writing its links: no person, link or review
 * pair of the run is left, and the run again links the lists. */
static void test_kill_during_link(void **state)
{
    fixture *f = *state;
    char a[192], b[192];
    kt_error err;
    snprintf(a, sizeof a, "%s/list_a.csv", f->dir);
    snprintf(b, sizeof b, "%s/list_b.csv", f->dir);
    write_people(a, 2000, "a");
    write_people(b, 2000, "b");
    store *st = rel_open(f->path, 1);
    assert_int_equal(rel_import(st, a, "list_a", &err), KT_OK);
    assert_int_equal(rel_import(st, b, "list_b", &err), KT_OK);
    char *before = rel_dump(store_db(st));
    int64_t audit = rel_int(store_db(st), "SELECT count(*) FROM audit_log");
    store_close(st);

    rel_child c = rel_run_and_stop(f->path, "person_record", 1000, link_work, NULL);
    rel_child_kill(&c);
    assert_as_before(f->path, before, audit);

    st = rel_open(f->path, 0);
    link_report rep;
    if (link_store_run(st, NULL, 0, "test", &rep, &err) != KT_OK)
        fail_msg("link after the kill: %s", err.message);
    assert_true(rep.links >= 1500);
    rel_assert_intact(store_db(st));
    assert_true(rel_int(store_db(st), "SELECT count(*) FROM person_record") >= 3000);
    store_close(st);
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill_during_import, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_kill_during_replace, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_kill_the_binary, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_kill_during_link, setup, rel_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
