/*
 * test_leftover.c — the temporary names of writers and the sweep of what
 * killed ones left (util/leftover.h): a writer's name carries its process
 * id; a file of a writer gone is removed and reported, one of a writer
 * still running (this process) kept and reported, and nothing that is not
 * exactly the kind's pattern for the target is touched — another target,
 * another kind, a character more or less, a directory, a symbolic link.
 * A writer really killed (SIGKILL) while its file is open is swept too.
 */
#include "../testutil.h"

#include <signal.h>
#include <sys/stat.h>

#include "util/leftover.h"

/* A temporary directory of its own (test_dir); the binary is not needed. */
static void begin(void)
{
    snprintf(test_dir, sizeof test_dir, "/tmp/kartoteka-leftover-XXXXXX");
    assert_non_null(mkdtemp(test_dir));
}

static void test_names(void **state)
{
    (void)state;
    char out[256], want[256];
    long me = (long)getpid();
    static const struct {
        kt_leftover_kind kind;
        const char *fmt;
    } cases[] = {
        {KT_LEFTOVER_INIT, "/srv/k.db.init-%ld-XXXXXX"},
        {KT_LEFTOVER_BACKUP, "/srv/k.db.partial-%ld-XXXXXX"},
        {KT_LEFTOVER_SNAPSHOT, "/srv/k.db.tmp.%ld"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(kt_leftover_name(cases[i].kind, "/srv/k.db", out, sizeof out), 0);
        snprintf(want, sizeof want, cases[i].fmt, me);
        assert_string_equal(out, want);
    }
    assert_int_equal(kt_leftover_name(KT_LEFTOVER_INIT, "/srv/k.db", out, 12), -1);
}

/* What a sweep reported, by path. */
typedef struct seen {
    char paths[32][512];
    int running[32], removed[32];
    int n;
} seen;

static void note(void *ctx, const kt_leftover *l)
{
    seen *s = ctx;
    assert_true(s->n < 32);
    snprintf(s->paths[s->n], sizeof s->paths[0], "%s", l->path);
    s->running[s->n] = l->running;
    s->removed[s->n] = l->removed;
    s->n++;
}

static int find(const seen *s, const char *path)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->paths[i], path))
            return i;
    return -1;
}

enum { GONE, KEPT, UNTOUCHED };

static void test_sweep(void **state)
{
    (void)state;
    begin();
    long dead = test_dead_pid(), me = (long)getpid();
    char target[128];
    snprintf(target, sizeof target, "%s/k.db", test_dir);
    /* {kind swept, name (%1$ld the dead id, %2$ld this process's), what
     * must become of it} */
    static const struct {
        kt_leftover_kind kind;
        const char *fmt;
        int fate;
    } cases[] = {
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cd", GONE},
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cd-wal", GONE},
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cd-shm", GONE},
        {KT_LEFTOVER_INIT, "k.db.init-%2$ld-Zz99Yy", KEPT},
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12C", UNTOUCHED},     /* 5 random */
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cde", UNTOUCHED},   /* 7 random */
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab-2Cd", UNTOUCHED},
        {KT_LEFTOVER_INIT, "k.db.init-0%1$ld-Ab12Cd", UNTOUCHED},   /* not as written */
        {KT_LEFTOVER_INIT, "k.db.init-%1$ldx-Ab12Cd", UNTOUCHED},
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cd.bak", UNTOUCHED},
        {KT_LEFTOVER_INIT, "k.db.init-%1$ld-Ab12Cd-wal2", UNTOUCHED},
        {KT_LEFTOVER_INIT, "k.db.init-Ab12Cd", UNTOUCHED},          /* the old name */
        {KT_LEFTOVER_INIT, "kk.db.init-%1$ld-Ab12Cd", UNTOUCHED},   /* another target */
        {KT_LEFTOVER_INIT, "k.dbx.init-%1$ld-Ab12Cd", UNTOUCHED},
        {KT_LEFTOVER_BACKUP, "k.db.partial-%1$ld-Qw34Er", GONE},
        {KT_LEFTOVER_BACKUP, "k.db.partial-%1$ld-Qw34Er-journal", GONE},
        {KT_LEFTOVER_BACKUP, "k.db.partial-%2$ld-Qw34Er", KEPT},
        {KT_LEFTOVER_BACKUP, "k.db.partial-%1$ld", UNTOUCHED},
        {KT_LEFTOVER_SNAPSHOT, "k.db.tmp.%1$ld", GONE},
        {KT_LEFTOVER_SNAPSHOT, "k.db.tmp.%2$ld", KEPT},
        {KT_LEFTOVER_SNAPSHOT, "k.db.tmp.%1$ld-Ab12Cd", UNTOUCHED},
        {KT_LEFTOVER_SNAPSHOT, "k.db.tmp.", UNTOUCHED},
        {KT_LEFTOVER_SNAPSHOT, "k.db.tmp.99999999999", UNTOUCHED}, /* past any pid */
        {KT_LEFTOVER_SNAPSHOT, "k.db", UNTOUCHED},                  /* the target */
    };
    enum { N = sizeof cases / sizeof *cases };
    char paths[N][256];
    for (size_t i = 0; i < N; i++) {
        char name[128];
        snprintf(name, sizeof name, cases[i].fmt, dead, me);
        snprintf(paths[i], sizeof paths[i], "%s/%s", test_dir, name);
        test_touch(paths[i]);
    }
    /* names of the pattern that are no regular file: never touched */
    char dir[256], link[256];
    snprintf(dir, sizeof dir, "%s/k.db.partial-%ld-Dir000", test_dir, dead);
    snprintf(link, sizeof link, "%s/k.db.partial-%ld-Lnk000", test_dir, dead);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(symlink(paths[N - 1], link), 0);

    seen s = {.n = 0};
    int found = 0;
    for (kt_leftover_kind k = KT_LEFTOVER_INIT; k <= KT_LEFTOVER_SNAPSHOT; k++) {
        kt_error err;
        int n = kt_leftovers_sweep(k, target, note, &s, &err);
        assert_true(n >= 0);
        found += n;
    }
    int expected = 0;
    for (size_t i = 0; i < N; i++) {
        struct stat sb;
        int there = lstat(paths[i], &sb) == 0;
        int at = find(&s, paths[i]);
        if ((cases[i].fate == GONE) == there)
            fail_msg("%s: %s", paths[i], there ? "still there" : "removed");
        if ((cases[i].fate == UNTOUCHED) != (at < 0))
            fail_msg("%s: %sreported", paths[i], at < 0 ? "not " : "");
        if (at >= 0) {
            expected++;
            assert_int_equal(s.removed[at], cases[i].fate == GONE);
            assert_int_equal(s.running[at], cases[i].fate == KEPT);
        }
    }
    assert_int_equal(found, expected);
    assert_int_equal(s.n, expected);
    struct stat sb;
    assert_int_equal(lstat(dir, &sb), 0);
    assert_int_equal(lstat(link, &sb), 0);
    assert_int_equal(test_end(), 0);
}

/* A target with no directory part is looked for in the working directory;
 * one in a directory that does not exist has none. */
static void test_relative_and_missing(void **state)
{
    (void)state;
    begin();
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(test_dir), 0);
    char name[64];
    snprintf(name, sizeof name, "r.db.tmp.%ld", test_dead_pid());
    test_touch(name);
    seen s = {.n = 0};
    kt_error err;
    assert_int_equal(kt_leftovers_sweep(KT_LEFTOVER_SNAPSHOT, "r.db", note, &s, &err), 1);
    assert_string_equal(s.paths[0], name);
    assert_int_equal(access(name, F_OK), -1);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(kt_leftovers_sweep(KT_LEFTOVER_BACKUP, "/nonexistent/dir/b.db", note, &s,
                                        &err), 0);
    assert_int_equal(test_end(), 0);
}

/* A backup writer that made its file and was killed with SIGKILL: the
 * file stays, the sweep removes it and says which process left it. */
static void test_killed_writer(void **state)
{
    (void)state;
    begin();
    char target[128];
    snprintf(target, sizeof target, "%s/b.db", test_dir);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char tmp[256];
        if (kt_leftover_name(KT_LEFTOVER_BACKUP, target, tmp, sizeof tmp) != 0 ||
            mkstemp(tmp) < 0 || write(ready[1], "1", 1) != 1)
            _exit(1);
        for (;;)
            pause(); /* writing, until killed */
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(kill(child, SIGKILL), 0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    close(ready[0]);
    close(ready[1]);
    seen s = {.n = 0};
    kt_error err;
    assert_int_equal(kt_leftovers_sweep(KT_LEFTOVER_BACKUP, target, note, &s, &err), 1);
    assert_true(s.removed[0]);
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s.partial-%ld-", target, (long)child);
    assert_memory_equal(s.paths[0], prefix, strlen(prefix));
    assert_int_equal(access(s.paths[0], F_OK), -1);
    kt_leftover l = {.kind = KT_LEFTOVER_BACKUP, .path = s.paths[0], .pid = child,
                     .removed = 1};
    char line[600], want[600];
    snprintf(want, sizeof want, "removed a partial backup left by process %ld: %s",
             (long)child, s.paths[0]);
    assert_string_equal(kt_leftover_describe(&l, line, sizeof line), want);
    assert_int_equal(test_end(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_relative_and_missing),
        cmocka_unit_test(test_killed_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
