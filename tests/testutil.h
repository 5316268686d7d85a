/*
 * testutil.h — the built binary ($KARTOTEKA_BIN, set by `make test`) run as
 * a user runs it, for the tests of the commands: each run gives its exit
 * code, its standard output and its standard error; a temporary directory
 * holds the databases and files of one test program.
 *
 * Header-only (static inline, so a test that needs only part of it does not
 * warn): the Makefile links each test program alone with the library.
 * Include it after the usual cmocka prelude or on its own; it brings that
 * prelude itself.
 */
#ifndef KT_TESTUTIL_H
#define KT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One run of the binary. */
typedef struct test_run {
    int code;  /* exit status; -1 when it did not exit (a signal) */
    char *out; /* standard output, NUL-terminated */
    char *err; /* standard error, NUL-terminated */
} test_run;

static char test_bin[PATH_MAX]; /* $KARTOTEKA_BIN, absolute */
static char test_dir[64];       /* this program's temporary directory */
static char test_db[96];        /* test_dir/k.db, made by test_setup_db() */

/* Finds $KARTOTEKA_BIN; 0, or -1 when it is not set or not there. */
static inline int test_find_bin(void)
{
    const char *b = getenv("KARTOTEKA_BIN");
    return b && realpath(b, test_bin) && access(test_bin, X_OK) == 0 ? 0 : -1;
}

/* Finds the binary (saying so on stderr when it cannot) and makes the
 * temporary directory /tmp/<name>-XXXXXX; 0 or -1, for a group setup. */
static inline int test_begin(const char *name)
{
    if (test_find_bin()) {
        fprintf(stderr, "KARTOTEKA_BIN not set or missing (run through make test)\n");
        return -1;
    }
    snprintf(test_dir, sizeof test_dir, "/tmp/%s-XXXXXX", name);
    return mkdtemp(test_dir) ? 0 : -1;
}

/* Removes the temporary directory and all in it; 0 or -1. */
static inline int test_end(void)
{
    char cmd[sizeof test_dir + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* All that can be read from f, NUL-terminated. */
static inline char *test_slurp(FILE *f)
{
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    return buf;
}

/* Runs "BIN <args>" through /bin/sh, so args may quote and redirect (a
 * "2>&1" in args puts standard error into out). Standard error goes to an
 * anonymous file rather than a second pipe: the binary can then write as
 * much of it as it likes while we read its output. */
static inline test_run test_ktv(const char *fmt, va_list ap)
{
    char args[4096], cmd[PATH_MAX + sizeof args + 8];
    int n = vsnprintf(args, sizeof args, fmt, ap);
    assert_true(n >= 0 && (size_t)n < sizeof args);
    snprintf(cmd, sizeof cmd, "'%s' %s", test_bin, args);

    FILE *err = tmpfile();
    assert_non_null(err);
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        close(fd[0]);
        close(fd[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *out = fdopen(fd[0], "r");
    assert_non_null(out);
    test_run r;
    r.out = test_slurp(out);
    fclose(out);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    rewind(err);
    r.err = test_slurp(err);
    fclose(err);
    return r;
}

static inline test_run test_kt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline test_run test_kt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    test_run r = test_ktv(fmt, ap);
    va_end(ap);
    return r;
}

static inline void test_run_free(test_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* text parsed as JSON (jansson flags such as JSON_DISABLE_EOF_CHECK for
 * the first of several lines); fails the test when it is not. */
static inline json_t *test_json_parse(const char *text, size_t flags)
{
    json_error_t je;
    json_t *j = json_loads(text, flags, &je);
    if (!j)
        fail_msg("not JSON (%s): %.200s", je.text, text);
    return j;
}

/* Runs "BIN <args>", which must exit 0: else the test (or the group setup
 * it is part of) fails, showing the binary's standard error. */
static inline test_run test_ktv_ok(const char *fmt, va_list ap)
{
    char args[4096];
    va_list again;
    va_copy(again, ap);
    vsnprintf(args, sizeof args, fmt, again);
    va_end(again);
    test_run r = test_ktv(fmt, ap);
    if (r.code != 0)
        fail_msg("kartoteka %s: exit %d\n%s", args, r.code, r.err);
    return r;
}

/* test_ktv_ok() for a step whose output does not matter. */
static inline void test_kt_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void test_kt_ok(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    test_run r = test_ktv_ok(fmt, ap);
    va_end(ap);
    test_run_free(&r);
}

/* test_ktv_ok(), returning the output parsed as one JSON document (new
 * reference). */
static inline json_t *test_kt_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline json_t *test_kt_json(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    test_run r = test_ktv_ok(fmt, ap);
    va_end(ap);
    json_t *j = test_json_parse(r.out, 0);
    test_run_free(&r);
    return j;
}

/* Makes the empty file path (or empties it). */
static inline void test_touch(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot create %s", path);
    assert_int_equal(fclose(f), 0);
}

/* The id of a process that has ended and been reaped: a writer gone, for
 * the files named by their writer's process id (util/leftover.h). */
static inline long test_dead_pid(void)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return (long)pid;
}

/* A cmocka group setup: test_begin(), then `kartoteka init` makes test_db. */
static inline int test_setup_db(void **state)
{
    (void)state;
    if (test_begin("kartoteka-test"))
        return -1;
    snprintf(test_db, sizeof test_db, "%s/k.db", test_dir);
    test_kt_ok("init --db '%s'", test_db);
    return 0;
}

/* A cmocka group teardown: removes the temporary directory. */
static inline int test_teardown(void **state)
{
    (void)state;
    return test_end();
}

#endif
