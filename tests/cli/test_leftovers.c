/*
 * test_leftovers.c — nothing left behind by a killed command, as a user
 * sees it: the files a killed `backup`, `init` or index snapshot writer
 * left beside its target (named with its process id; here made with the
 * id of a process that has ended) are removed by the next run of the same
 * kind, which says so on standard error; the file of a writer still
 * running (this test program) is kept; a name that is not exactly the
 * pattern for that target is never touched. `check` reports them all and
 * removes only the dead writers' ones. One backup is really killed
 * (SIGKILL) while it writes.
 */
#include "../testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

static long dead, me;

static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    dead = test_dead_pid();
    me = (long)getpid();
    return 0;
}

/* test_dir/NAME with %1$ld the dead writer's id and %2$ld this process's. */
static void at(char *out, size_t cap, const char *fmt)
{
    char name[160];
    snprintf(name, sizeof name, fmt, dead, me);
    snprintf(out, cap, "%s/%s", test_dir, name);
}

static void touch(const char *fmt)
{
    char path[256];
    at(path, sizeof path, fmt);
    test_touch(path);
}

static int exists(const char *fmt)
{
    char path[256];
    at(path, sizeof path, fmt);
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The line a command prints for a file it removed. */
static void assert_said_removed(const char *err, const char *what, const char *fmt)
{
    char path[256], line[400];
    at(path, sizeof path, fmt);
    snprintf(line, sizeof line, "removed %s left by process %ld: %s\n", what, dead, path);
    if (!strstr(err, line))
        fail_msg("not said: %s\nin: %s", line, err);
}

static void test_backup(void **state)
{
    (void)state;
    touch("b.db.partial-%1$ld-AbCd12");
    touch("b.db.partial-%1$ld-AbCd12-journal");
    touch("b.db.partial-%2$ld-Running");
    touch("b.db.partial-%1$ld-AbCd1");         /* not the pattern */
    touch("other.db.partial-%1$ld-AbCd12");    /* another target */
    test_run r = test_kt("backup '%s/b.db' --db '%s'", test_dir, test_db);
    if (r.code != 0)
        fail_msg("backup: exit %d: %s", r.code, r.err);
    assert_said_removed(r.err, "a partial backup", "b.db.partial-%1$ld-AbCd12");
    assert_said_removed(r.err, "a partial backup", "b.db.partial-%1$ld-AbCd12-journal");
    assert_null(strstr(r.err, "Running"));
    test_run_free(&r);
    assert_false(exists("b.db.partial-%1$ld-AbCd12"));
    assert_false(exists("b.db.partial-%1$ld-AbCd12-journal"));
    assert_true(exists("b.db.partial-%2$ld-Running"));
    assert_true(exists("b.db.partial-%1$ld-AbCd1"));
    assert_true(exists("other.db.partial-%1$ld-AbCd12"));
    assert_true(exists("b.db"));
    /* and the backup's own temporary file is gone: only the live one stays */
    r = test_kt("backup '%s/b2.db' --db '%s'", test_dir, test_db);
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "");
    test_run_free(&r);
}

static void test_init(void **state)
{
    (void)state;
    touch("n.db.init-%1$ld-Xy98Zw");
    touch("n.db.init-%1$ld-Xy98Zw-wal");
    touch("n.db.init-%2$ld-Alive0");
    touch("n.db.init-Xy98Zw"); /* the name before the process id: kept */
    test_run r = test_kt("init --db '%s/n.db'", test_dir);
    if (r.code != 0)
        fail_msg("init: exit %d: %s", r.code, r.err);
    assert_said_removed(r.err, "an unfinished new database", "n.db.init-%1$ld-Xy98Zw");
    assert_said_removed(r.err, "an unfinished new database", "n.db.init-%1$ld-Xy98Zw-wal");
    test_run_free(&r);
    assert_false(exists("n.db.init-%1$ld-Xy98Zw"));
    assert_false(exists("n.db.init-%1$ld-Xy98Zw-wal"));
    assert_true(exists("n.db.init-%2$ld-Alive0"));
    assert_true(exists("n.db.init-Xy98Zw"));
    assert_true(exists("n.db"));
}

/* A search that builds the index (none current beside the database)
 * writes the snapshot, and removes what a killed writer of it left. */
static void test_search_snapshot(void **state)
{
    (void)state;
    char snap[256];
    at(snap, sizeof snap, "k.db.index");
    unlink(snap);
    touch("k.db.index.tmp.%1$ld");
    touch("k.db.index.tmp.%2$ld");
    test_run r = test_kt("search --db '%s' Smorawinski", test_db);
    assert_int_equal(r.code, 0);
    assert_said_removed(r.err, "an unfinished index snapshot", "k.db.index.tmp.%1$ld");
    test_run_free(&r);
    assert_false(exists("k.db.index.tmp.%1$ld"));
    assert_true(exists("k.db.index.tmp.%2$ld"));
    assert_true(exists("k.db.index"));
    char live[256];
    at(live, sizeof live, "k.db.index.tmp.%2$ld");
    unlink(live);
}

/* Whether test_dir holds a file whose name starts with prefix. */
static int has_file(const char *prefix)
{
    DIR *d = opendir(test_dir);
    assert_non_null(d);
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)))
        found = !strncmp(e->d_name, prefix, strlen(prefix));
    closedir(d);
    return found;
}

/* The real binary killed with SIGKILL while it writes a backup (of 100,000
 * records, so that the copy takes a while): its partial file stays; the
 * next backup to the same file removes it, names the process, and makes
 * the backup. */
static void test_backup_killed(void **state)
{
    (void)state;
    char csv[128], big[128];
    snprintf(csv, sizeof csv, "%s/big.csv", test_dir);
    snprintf(big, sizeof big, "%s/big.db", test_dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("record_key,surname,given_names,birth_year\n", f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, "r%d,Kowalski%d,Jan%d,%d\n", i, i % 977, i % 53, 1880 + i % 40);
    assert_int_equal(fclose(f), 0);
    test_kt_ok("init --db '%s'", big);
    test_kt_ok("import '%s' --source big --db '%s'", csv, big);

    char dest[128], prefix[64];
    snprintf(dest, sizeof dest, "%s/killed.db", test_dir);
    pid_t child = 0;
    int caught = 0;
    for (int attempt = 0; attempt < 10 && !caught; attempt++) {
        fflush(NULL);
        child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            execl(test_bin, test_bin, "backup", dest, "--db", big, (char *)NULL);
            _exit(127);
        }
        snprintf(prefix, sizeof prefix, "killed.db.partial-%ld-", (long)child);
        for (int ms = 0; ms < 5000 && !caught; ms++) {
            if (has_file(prefix)) {
                kill(child, SIGKILL);
                caught = 1;
            } else {
                usleep(1000);
            }
        }
        int status;
        assert_int_equal(waitpid(child, &status, 0), child);
        /* it ended on its own first, or was killed just after naming the
         * backup (a whole one): try again */
        if (caught && (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
                       access(dest, F_OK) == 0))
            caught = 0;
        if (!caught)
            unlink(dest);
    }
    if (!caught)
        fail_msg("no backup was caught writing in 10 attempts");
    assert_true(has_file(prefix)); /* killed: its partial file, and no backup */

    test_run r = test_kt("backup '%s' --db '%s'", dest, big);
    if (r.code != 0)
        fail_msg("backup: exit %d: %s", r.code, r.err);
    char said[200];
    snprintf(said, sizeof said, "removed a partial backup left by process %ld: %s/%s",
             (long)child, test_dir, prefix);
    if (!strstr(r.err, said))
        fail_msg("not said: %s\nin: %s", said, r.err);
    test_run_free(&r);
    assert_false(has_file(prefix));
    assert_false(has_file("killed.db.partial-"));
    assert_int_equal(access(dest, F_OK), 0);
}

/* check reports each leftover beside the database: the dead writers'
 * removed, the running one's kept; the exit code is the database's. */
static void test_check(void **state)
{
    (void)state;
    touch("k.db.init-%1$ld-Ch3ck1");
    touch("k.db.index.tmp.%1$ld");
    touch("k.db.init-%2$ld-Ch3ck2");
    test_run r = test_kt("check --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    char line[400], path[256];
    at(path, sizeof path, "k.db.init-%1$ld-Ch3ck1");
    snprintf(line, sizeof line, "leftover: removed an unfinished new database left by "
             "process %ld: %s\n", dead, path);
    assert_non_null(strstr(r.out, line));
    at(path, sizeof path, "k.db.index.tmp.%1$ld");
    snprintf(line, sizeof line, "leftover: removed an unfinished index snapshot left by "
             "process %ld: %s\n", dead, path);
    assert_non_null(strstr(r.out, line));
    at(path, sizeof path, "k.db.init-%2$ld-Ch3ck2");
    snprintf(line, sizeof line, "leftover: kept an unfinished new database being written "
             "by process %ld (still running): %s\n", me, path);
    assert_non_null(strstr(r.out, line));
    test_run_free(&r);
    assert_false(exists("k.db.init-%1$ld-Ch3ck1"));
    assert_false(exists("k.db.index.tmp.%1$ld"));
    assert_true(exists("k.db.init-%2$ld-Ch3ck2"));

    /* as JSON: the running writer's file, once more, and nothing else */
    json_t *j = test_kt_json("check --db '%s' --json", test_db);
    json_t *l = json_object_get(j, "leftovers");
    assert_int_equal(json_array_size(l), 1);
    json_t *one = json_array_get(l, 0);
    assert_string_equal(json_string_value(json_object_get(one, "file")), path);
    assert_int_equal(json_integer_value(json_object_get(one, "pid")), me);
    assert_true(json_is_true(json_object_get(one, "running")));
    assert_true(json_is_false(json_object_get(one, "removed")));
    assert_true(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_backup_killed),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_search_snapshot),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, setup, test_teardown);
}
