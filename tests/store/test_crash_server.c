/*
 * test_crash_server.c — a write through the web server killed part-way:
 * `kartoteka serve` with a write token takes a POST /api/import of a large
 * list and is killed (SIGKILL) while the import's pages go into the WAL.
 * The store is then whole and exactly as it was; a new server takes the
 * same import to its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "../web/http.h"
#include "fixture.h"
#include "reliability.h"

static const char token[] = "kt-test-token-7f3a9c";

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static void pause_ms(long ms)
{
    nanosleep(&(struct timespec){.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000}, NULL);
}

/* Starts the server with the write token on a free port; its pid and port. */
static pid_t serve(fixture *f, int *port)
{
    const char *bin = getenv("KARTOTEKA_BIN");
    if (!bin)
        fail_msg("KARTOTEKA_BIN not set (run through make test)");
    char tok[192], log[192];
    snprintf(tok, sizeof tok, "%s/token", f->dir);
    snprintf(log, sizeof log, "%s/serve.log", f->dir);
    FILE *t = fopen(tok, "w");
    assert_non_null(t);
    fprintf(t, "%s\n", token);
    assert_int_equal(fclose(t), 0);
    const char *const args[] = {"--db", f->path, "--write-token-file", tok, "--threads", "2",
                                NULL};
    return http_serve_spawn(bin, log, args, port);
}

static void send_all(int s, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(s, p, n, MSG_NOSIGNAL);
        assert_true(w > 0);
        p += w;
        n -= (size_t)w;
    }
}

/* Sends POST /api/import?source=key with the file at csv as the body; the
 * open socket (the answer not yet read). */
static int post_import(int port, const char *csv, const char *key)
{
    size_t len = (size_t)file_size(csv);
    char *body = malloc(len ? len : 1);
    assert_non_null(body);
    FILE *f = fopen(csv, "rb");
    assert_non_null(f);
    assert_int_equal(fread(body, 1, len, f), len);
    fclose(f);
    int s = http_dial(port, 300); /* the import's answer may take long */
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /api/import?source=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: text/csv\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     key, token, len);
    send_all(s, head, (size_t)n);
    send_all(s, body, len);
    free(body);
    return s;
}

/* The status code of the answer on s, read to its end. */
static int answer_status(int s, char *text, size_t cap)
{
    size_t n = 0;
    ssize_t got;
    while (n + 1 < cap && (got = recv(s, text + n, cap - n - 1, 0)) > 0)
        n += (size_t)got;
    text[n] = '\0';
    close(s);
    int code = 0;
    return sscanf(text, "HTTP/1.%*d %d", &code) == 1 ? code : -1;
}

static void test_server_killed_during_import(void **state)
{
    fixture *f = *state;
    char first[192], csv[192], wal[160];
    kt_error err;
    snprintf(first, sizeof first, "%s/first.csv", f->dir);
    snprintf(csv, sizeof csv, "%s/big.csv", f->dir);
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    rel_write_csv(first, 100, "first");
    rel_write_csv(csv, 150000, "big");
    store *st = rel_open(f->path, 1);
    assert_int_equal(rel_import(st, first, "first", &err), KT_OK);
    char *before = rel_dump(store_db(st));
    int64_t audit = rel_int(store_db(st), "SELECT count(*) FROM audit_log");
    store_close(st);

    int port;
    pid_t server = serve(f, &port);
    off_t wal_before = file_size(wal);
    int s = post_import(port, csv, "big");
    /* wait for 2 MB of the import in the WAL; the answer must not come first */
    int killed = 0;
    for (int tries = 0; tries < 60000 && !killed; tries++) {
        if (file_size(wal) > wal_before + 2000000) {
            rel_child c = {.pid = server, .go = -1};
            rel_child_kill(&c);
            killed = 1;
        } else {
            pause_ms(1);
        }
    }
    if (!killed) {
        kill(server, SIGKILL);
        fail_msg("the import never reached the WAL");
    }
    char text[4096];
    int code = answer_status(s, text, sizeof text);
    assert_int_not_equal(code, 201); /* no answer at all: the server is gone */

    st = rel_open(f->path, 0);
    rel_assert_intact(store_db(st));
    char *now = rel_dump(store_db(st));
    assert_string_equal(now, before);
    free(now);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM audit_log"), audit);
    store_close(st);

    /* a new server takes the same import to its end */
    server = serve(f, &port);
    s = post_import(port, csv, "big");
    code = answer_status(s, text, sizeof text);
    if (code != 201)
        fail_msg("import after the kill: %d %.300s", code, text);
    assert_non_null(strstr(text, "\"records\":150000") ? text : strstr(text, "\"records\": 150000"));
    kill(server, SIGTERM);
    int status;
    assert_int_equal(waitpid(server, &status, 0), server);
    st = rel_open(f->path, 0);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM record"), 150100);
    rel_assert_intact(store_db(st));
    store_close(st);
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_server_killed_during_import, setup, rel_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
