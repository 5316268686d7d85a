/*
 * test_serve_options.c — `kartoteka serve --timeout, --max-connections,
 * --max-per-address` as a user runs them: the binary started on a free
 * loopback port with each limit set low, then held to it over real
 * sockets (a connection past the limit answered 503 while those within
 * it are served; a second connection from the same address refused; a
 * client that sends half a request line closed well before the default
 * timeout), and a value out of range refused with exit 2 naming the
 * option, before anything is served. And a server that builds the index
 * removes, and logs, the snapshot file a killed writer left.
 *
 * Every read has a timeout; no assertion is a timing number, only bounds
 * far from the limits being told apart.
 */
#include "../testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "http.h"

static pid_t server; /* the running server, killed after a failed test */

/* Starts `kartoteka serve --db test_db --quiet ARGS...` as `server`; its
 * port. */
static void serve(const char *const *args, int *port)
{
    const char *argv[16] = {"--db", test_db, "--quiet", "--threads", "2"};
    int n = 5;
    for (int i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char log[sizeof test_dir + 16];
    snprintf(log, sizeof log, "%s/serve.log", test_dir);
    server = http_serve_spawn(test_bin, log, argv, port);
}

/* Stops the server as Ctrl-C would; it must exit 0. */
static void stop(void)
{
    assert_int_equal(kill(server, SIGTERM), 0);
    int status;
    assert_int_equal(waitpid(server, &status, 0), server);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    server = 0;
}

/* After each test: a server a failed test left running is killed. */
static int kill_server(void **state)
{
    (void)state;
    if (server > 0) {
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
        server = 0;
    }
    return 0;
}

static const char stats[] = "GET /api/stats HTTP/1.0\r\n\r\n";

/* Out of range, not a number, or empty: exit 2, the option named. */
static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *args, *option;
    } cases[] = {
        {"--timeout 0", "--timeout"},
        {"--timeout 3601", "--timeout"},
        {"--timeout 1s", "--timeout"},
        {"--max-connections 0", "--max-connections"},
        {"--max-connections 100001", "--max-connections"},
        {"--max-connections -2", "--max-connections"},
        {"--max-per-address 0", "--max-per-address"},
        {"--max-per-address many", "--max-per-address"},
        {"--max-per-address ''", "--max-per-address"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        test_run r = test_kt("serve --db '%s' --port 0 %s", test_db, cases[i].args);
        if (r.code != 2 || !strstr(r.err, cases[i].option))
            fail_msg("serve %s: exit %d, %s", cases[i].args, r.code, r.err);
        assert_null(strstr(r.out, "serving")); /* refused before it listens */
        test_run_free(&r);
    }
}

/* With --max-connections 2, two idle connections fill the server: a third
 * is answered 503 (a JSON error), and the two are served after it. */
static void test_max_connections(void **state)
{
    (void)state;
    int port;
    serve((const char *const[]){"--max-connections", "2", NULL}, &port);
    int within[2];
    for (int i = 0; i < 2; i++)
        within[i] = http_dial(port, 5);
    usleep(300000); /* the server has taken them */
    char *r = http_get(port, stats);
    assert_int_equal(http_status(r), 503);
    assert_non_null(strstr(r, "\"status\":503") ? r : strstr(r, "\"status\": 503"));
    free(r);
    usleep(200000); /* the refused one is closed and counted out */
    for (int i = 0; i < 2; i++) {
        http_send_all(within[i], stats, sizeof stats - 1);
        r = http_read_all(within[i]);
        assert_int_equal(http_status(r), 200);
        free(r);
        close(within[i]);
    }
    stop();
}

/* With --max-per-address 1, a second connection from 127.0.0.1 is closed
 * unanswered while the first is served. */
static void test_max_per_address(void **state)
{
    (void)state;
    int port;
    serve((const char *const[]){"--max-per-address", "1", NULL}, &port);
    int first = http_dial(port, 5);
    usleep(300000);
    char *r = http_get(port, stats);
    assert_int_equal(http_status(r), 0);
    free(r);
    http_send_all(first, stats, sizeof stats - 1);
    r = http_read_all(first);
    assert_int_equal(http_status(r), 200);
    free(r);
    close(first);
    stop();
}

/* With --timeout 1, a client that sends half a request line and then
 * nothing is closed long before the default (WEB_TIMEOUT, 10 s) would
 * close it, and unanswered; the server serves on. */
static void test_timeout(void **state)
{
    (void)state;
    int port;
    serve((const char *const[]){"--timeout", "1", NULL}, &port);
    int fd = http_dial(port, 9); /* a read gives up after 9 s */
    http_send_all(fd, "GET /api/sta", 12);
    double t0 = http_now();
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    int e = errno;
    double waited = http_now() - t0;
    if (n < 0 && (e == EAGAIN || e == EWOULDBLOCK))
        fail_msg("still open after %.1f s", waited);
    assert_true(n <= 0); /* closed (or reset), with no answer */
    assert_true(waited < 6.0);
    close(fd);
    char *r = http_get(port, stats);
    assert_int_equal(http_status(r), 200);
    free(r);
    stop();
}

/* A server that builds the index writes its snapshot, and removes (and
 * logs) what a killed writer of it left: the file of a process gone. */
static void test_snapshot_leftover(void **state)
{
    (void)state;
    char snap[sizeof test_dir + 32], left[sizeof test_dir + 64], log[sizeof test_dir + 16];
    snprintf(snap, sizeof snap, "%s/k.db.index", test_dir);
    snprintf(left, sizeof left, "%s.tmp.%ld", snap, test_dead_pid());
    snprintf(log, sizeof log, "%s/serve.log", test_dir);
    unlink(snap);
    test_touch(left);
    int port;
    server = http_serve_spawn(test_bin, log, (const char *const[]){"--db", test_db, NULL},
                              &port);
    stop();
    FILE *l = fopen(log, "r");
    assert_non_null(l);
    char *text = test_slurp(l);
    fclose(l);
    char line[sizeof left + 64];
    snprintf(line, sizeof line, "removed an unfinished index snapshot left by process %s",
             strrchr(left, '.') + 1);
    if (!strstr(text, line) || !strstr(text, left))
        fail_msg("not logged: %s\nin: %s", line, text);
    free(text);
    assert_int_equal(access(left, F_OK), -1);
    assert_int_equal(access(snap, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test_teardown(test_max_connections, kill_server),
        cmocka_unit_test_teardown(test_max_per_address, kill_server),
        cmocka_unit_test_teardown(test_timeout, kill_server),
        cmocka_unit_test_teardown(test_snapshot_leftover, kill_server),
    };
    return cmocka_run_group_tests(tests, test_setup_db, test_teardown);
}
