/*
 * http.h — what the tests of the web server share: a small HTTP client on
 * a loopback socket (raw requests, so that a test can send what no
 * well-behaved client would), the status of an answer, the records a
 * database holds (to show that a refused write changed nothing), and
 * `kartoteka serve` started as a child process on a free port.
 *
 * Header-only (static inline, so a test that needs only part of it does
 * not warn), like tests/testutil.h: the Makefile links each test program
 * alone with the library. Include it after the cmocka prelude. Every read
 * has a timeout, so no test waits for ever on a server that keeps quiet.
 */
#ifndef KT_TEST_HTTP_H
#define KT_TEST_HTTP_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

/* Seconds on a monotonic clock. */
static inline double http_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A connection to 127.0.0.1:port, reads timing out after `secs`. */
static inline int http_dial(int port, int secs)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {.tv_sec = secs};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends all of data, or stops where the server closed (a cap may close a
 * connection early: its answer tells). */
static inline void http_send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

/* Everything the server sends until it closes (or the read timeout
 * passes), NUL-terminated; at most 1 MiB. */
static inline char *http_read_all(int fd)
{
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    ssize_t n;
    while (len + 1 < cap && (n = read(fd, buf + len, cap - len - 1)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    return buf;
}

/* One request of len bytes, as written (HTTP/1.0: the server closes after
 * answering); the answer, head and body (caller frees). */
static inline char *http_exchange(int port, const char *raw, size_t len)
{
    int fd = http_dial(port, 5);
    http_send_all(fd, raw, len);
    char *r = http_read_all(fd);
    close(fd);
    return r;
}

/* http_exchange() of a NUL-terminated request. */
static inline char *http_get(int port, const char *raw)
{
    return http_exchange(port, raw, strlen(raw));
}

/* The status code of an answer; 0 when there was none (closed unanswered). */
static inline int http_status(const char *answer)
{
    int s = 0;
    return sscanf(answer, "HTTP/1.%*d %d", &s) == 1 ? s : 0;
}

/* The records the database at db holds, read through a connection of its
 * own. */
static inline int64_t http_records_in(const char *db)
{
    store *st;
    kt_error err;
    assert_int_equal(store_open_readonly(db, &st, &err), KT_OK);
    int64_t n = store_count(st, "record");
    store_close(st);
    return n;
}

/* Starts `BIN serve --port 0 ARGS...` (args ends with NULL) with its
 * standard output and error in the file log; waits until it says where it
 * listens (on any line of the log) and puts the port in *port. Returns its pid; fails the test when
 * it does not start within 10 s (killing it). */
static inline pid_t http_serve_spawn(const char *bin, const char *log, const char *const *args,
                                     int *port)
{
    const char *argv[32] = {bin, "serve", "--port", "0"};
    int n = 4;
    for (int i = 0; args[i]; i++) {
        assert_true(n < 31);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    unlink(log);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(log, "w", stdout) || dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    for (int tries = 0; tries < 1000; tries++) {
        FILE *l = fopen(log, "r");
        char line[512];
        const char *at = NULL;
        while (l && !at && fgets(line, sizeof line, l))
            if ((at = strstr(line, "http://127.0.0.1:")) && !strchr(at, '\n'))
                at = NULL; /* the line is not whole yet */
        if (l)
            fclose(l);
        if (at) {
            *port = atoi(at + strlen("http://127.0.0.1:"));
            return pid;
        }
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    }
    kill(pid, SIGKILL);
    fail_msg("kartoteka serve did not start (see %s)", log);
    return -1;
}

#endif
