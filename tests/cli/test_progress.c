/*
 * test_progress.c — the progress line of a long import or search batch
 * (cli_progress_*): written to stderr only when it is a terminal, only
 * after the first second, rewritten in place and cleared at the end. The
 * terminal is a pseudo-terminal; the second is the progress's own clock,
 * set back rather than waited for.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>

#include "../testutil.h"

#include "cli/cli.h"

/* Runs a progress with stderr on fd: started, 512 rows of half the bytes
 * reported (two seconds after the start when late is set), ended. */
static void run(int fd, int late, cli_progress *p)
{
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    fflush(stderr);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    cli_progress_start(p, "importing", "rows");
    if (late) {
        p->start -= 2.0;
        p->last -= 2.0;
    }
    cli_progress_rows(p, 512, 50, 100);
    cli_progress_end(p);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static size_t drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    while (n + 1 < cap && poll(&pf, 1, 100) > 0) {
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    return n;
}

static void test_on_a_terminal(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) {
        skip(); /* no pseudo-terminals here */
    }
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    cli_progress p;
    char buf[512];

    /* within the first second: nothing */
    run(slave, 0, &p);
    assert_int_equal(drain(master, buf, sizeof buf), 0);

    /* later: the line, then cleared */
    run(slave, 1, &p);
    drain(master, buf, sizeof buf);
    assert_non_null(strstr(buf, "\rimporting: 512 rows, 50%\033[K"));
    assert_non_null(strstr(buf, "\r\033[K"));
    close(slave);
    close(master);
}

static void test_not_on_a_pipe(void **state)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    cli_progress p;
    run(fd[1], 1, &p);
    close(fd[1]);
    char buf[64];
    ssize_t n = read(fd[0], buf, sizeof buf);
    assert_int_equal(n, 0); /* nothing written: stderr was no terminal */
    close(fd[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_a_terminal),
        cmocka_unit_test(test_not_on_a_pipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
