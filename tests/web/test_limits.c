/*
 * test_limits.c — the server under abuse, over HTTP on a free loopback
 * port: the caps on URL, headers and body (414, 431, 413 with a JSON
 * error), the connection limits (503; a refused connection past the
 * per-address limit), slow clients that trickle their headers (closed at
 * the timeout, never holding up other clients), the security headers on
 * every kind of answer, the write token never shown, and hostile input
 * (markup and SQL in names, invalid UTF-8 and NUL bytes, path tricks,
 * nested and huge bodies): a clear answer, no crash, nothing changed.
 *
 * Every loop is bounded; every socket has a receive timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"
#include "store/import.h"
#include "store/store.h"
#include "web/web.h"

#include "http.h"

#define TOKEN "limits-token-0123456789abcdef"

static char dir[64], db[128];
static web_app *app; /* with the token */
static int64_t records;

/* Names a list could hold, to be shown as they are and never run. */
static const char hostile[] =
    "record_key,surname,given_names,note\n"
    "h1,\"<script>alert(1)</script>\",Jan,\"\"\"quoted\"\" 'single'\"\n"
    "h2,O'Brien'); DROP TABLE record;--,Józef,<img src=x onerror=alert(2)>\n";

/* ---- log lines ------------------------------------------------------- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_text[1 << 16];
static size_t log_len;

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    pthread_mutex_lock(&log_lock);
    size_t n = strlen(line);
    if (log_len + n + 2 < sizeof log_text) {
        memcpy(log_text + log_len, line, n);
        log_len += n;
        log_text[log_len++] = '\n';
        log_text[log_len] = '\0';
    }
    pthread_mutex_unlock(&log_lock);
}

/* ---- answers -------------------------------------------------------- */

/* The JSON body of an answer, whose error status must be `status`. */
static void assert_json_error(const char *r, int status)
{
    assert_int_equal(http_status(r), status);
    const char *body = strstr(r, "\r\n\r\n");
    assert_non_null(body);
    json_error_t e;
    json_t *j = json_loads(body + 4, 0, &e);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "error"),
                                                        "status")), status);
    json_decref(j);
}

static web_server *serve(const web_config *extra)
{
    web_config cfg = {.db_path = db, .port = 0, .threads = 2};
    if (extra) {
        cfg.timeout = extra->timeout;
        cfg.max_connections = extra->max_connections;
        cfg.max_per_ip = extra->max_per_ip;
    }
    web_server *srv;
    kt_error err;
    assert_int_equal(web_start(app, &cfg, &srv, &err), KT_OK);
    return srv;
}

/* ---- setup ----------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kartoteka-limits-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof db, "%s/k.db", dir);
    store *st;
    kt_error err;
    store_import_options opt = {.source_key = "hostile"};
    store_import_result res;
    if (store_open(db, 1, &st, &err) != KT_OK || history_load(st, NULL, &err) != KT_OK ||
        store_import_csv_data(st, hostile, sizeof hostile - 1, "hostile.csv", &opt, &res,
                              &err) != KT_OK)
        return -1;
    records = store_count(st, "record");
    store_close(st);
    web_config cfg = {.db_path = db, .write_token = TOKEN, .log = log_line};
    return web_app_open(&cfg, &app, &err) == KT_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    web_app_close(app);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- caps -------------------------------------------------------------- */

static char *request_with(const char *before, size_t fill, char c, const char *after,
                          size_t *len)
{
    size_t a = strlen(before), b = strlen(after);
    char *raw = malloc(a + fill + b + 1);
    assert_non_null(raw);
    memcpy(raw, before, a);
    memset(raw + a, c, fill);
    memcpy(raw + a + fill, after, b + 1);
    *len = a + fill + b;
    return raw;
}

/* URL, headers and body each past its cap: the status that says so, a JSON
 * error where the head fits in memory, and the server serving on after. */
static void test_caps(void **state)
{
    (void)state;
    web_server *srv = serve(NULL);
    int port = web_port(srv);
    static const struct {
        const char *before;
        size_t fill;
        const char *after;
        int status;
        int json; /* answered by kartoteka (JSON), not libmicrohttpd */
    } cases[] = {
        {"GET /api/search?q=", WEB_MAX_URL + 10, " HTTP/1.0\r\n\r\n", 414, 1},
        {"GET /api/search?q=", 1 << 20, " HTTP/1.0\r\n\r\n", 414, 0}, /* a 1 MB query */
        {"GET /", WEB_MAX_URL + 10, " HTTP/1.0\r\n\r\n", 414, 1},
        {"GET /api/stats HTTP/1.0\r\nX-Pad: ", WEB_MAX_HEADERS + 10, "\r\n\r\n", 431, 1},
        {"GET /api/stats HTTP/1.0\r\nX-Pad: ", 200000, "\r\n\r\n", 431, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        char *raw = request_with(cases[i].before, cases[i].fill, 'a', cases[i].after, &len);
        char *r = http_exchange(port, raw, len);
        if (cases[i].json) {
            assert_json_error(r, cases[i].status);
            assert_non_null(strstr(r, "X-Content-Type-Options: nosniff"));
        } else {
            assert_int_equal(http_status(r), cases[i].status);
        }
        free(r);
        free(raw);
    }
    /* A body announced past the cap is refused before it is sent. */
    char head[200];
    snprintf(head, sizeof head, "POST /api/import?source=big HTTP/1.0\r\n"
             "Authorization: Bearer " TOKEN "\r\nContent-Length: %u\r\n\r\n",
             WEB_MAX_BODY + 1);
    char *r = http_get(port, head);
    assert_json_error(r, 413);
    free(r);
    r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_int_equal(http_status(r), 200);
    free(r);
    web_stop(srv);
    assert_int_equal(http_records_in(db), records);
}

/* Past max_connections a request is answered 503; past max_per_ip a
 * connection from the same address is refused; both serve again after. */
static void test_connection_limits(void **state)
{
    (void)state;
    web_config lim = {.timeout = 10, .max_connections = 4};
    web_server *srv = serve(&lim);
    int port = web_port(srv);
    int idle[4];
    for (int i = 0; i < 4; i++)
        idle[i] = http_dial(port, 5);
    usleep(200000); /* the server has taken them */
    char *r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_json_error(r, 503);
    assert_non_null(strstr(r, "Content-Security-Policy:"));
    free(r);
    for (int i = 0; i < 4; i++)
        close(idle[i]);
    usleep(300000);
    r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_int_equal(http_status(r), 200);
    free(r);
    web_stop(srv);

    lim = (web_config){.timeout = 10, .max_per_ip = 3};
    srv = serve(&lim);
    port = web_port(srv);
    for (int i = 0; i < 3; i++)
        idle[i] = http_dial(port, 5);
    usleep(200000);
    r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_int_equal(http_status(r), 0); /* closed without an answer */
    free(r);
    for (int i = 0; i < 3; i++)
        close(idle[i]);
    usleep(300000);
    r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_int_equal(http_status(r), 200);
    free(r);
    web_stop(srv);
}

/* Slow clients open connections and trickle header bytes, one every 0.2 s,
 * for longer than the timeout: the others are served at once all the
 * while, and each slow connection is closed at the timeout (+ the
 * watchdog's step), not when the client stops. */
#define SLOW 16
static void test_slow_clients(void **state)
{
    (void)state;
    web_config lim = {.timeout = 2};
    web_server *srv = serve(&lim);
    int port = web_port(srv);
    int fd[SLOW], open = SLOW;
    double closed_at[SLOW];
    for (int i = 0; i < SLOW; i++) {
        fd[i] = http_dial(port, 1);
        http_send_all(fd[i], "GET /api/stats HTTP/1.1\r\nX-Slow: ", 33);
        closed_at[i] = 0;
    }
    double t0 = http_now(), worst = 0;
    for (int step = 0; step < 30 && open > 0; step++) { /* at most 6 s */
        for (int i = 0; i < SLOW; i++) {
            if (closed_at[i] > 0)
                continue;
            char c = 'a';
            char buf[256];
            ssize_t n = send(fd[i], &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 || recv(fd[i], buf, sizeof buf, MSG_DONTWAIT) == 0 ||
                (n < 0 && errno != EAGAIN)) {
                closed_at[i] = http_now() - t0;
                open--;
            }
        }
        double t = http_now();
        char *r = http_get(port, "GET /api/stats HTTP/1.0\r\n\r\n");
        assert_int_equal(http_status(r), 200);
        free(r);
        if (http_now() - t > worst)
            worst = http_now() - t;
        usleep(200000);
    }
    assert_int_equal(open, 0);
    for (int i = 0; i < SLOW; i++) {
        assert_true(closed_at[i] >= 1.5); /* not before its time */
        assert_true(closed_at[i] < 4.0);  /* timeout 2 s + the watchdog's step */
        close(fd[i]);
    }
    assert_true(worst < 1.0);
    web_stop(srv);
}

/* ---- headers and the token -------------------------------------------- */

static void test_security_headers(void **state)
{
    (void)state;
    web_server *srv = serve(NULL);
    int port = web_port(srv);
    static const struct {
        const char *raw;
        int status;
    } cases[] = {
        {"GET / HTTP/1.0\r\n\r\n", 200},
        {"GET /places HTTP/1.0\r\n\r\n", 200},
        {"GET /api/stats HTTP/1.0\r\n\r\n", 200},
        {"GET /api/records/999999 HTTP/1.0\r\n\r\n", 404},
        {"GET /api/nothing HTTP/1.0\r\n\r\n", 404},
        {"GET /no/such/page HTTP/1.0\r\n\r\n", 404},
        {"POST /api/import?source=x HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 401},
        {"PUT /api/stats HTTP/1.0\r\nAuthorization: Bearer " TOKEN
         "\r\nContent-Length: 0\r\n\r\n", 405},
        {"HEAD /api/stats HTTP/1.0\r\n\r\n", 200},
    };
    static const char *const headers[] = {
        "\r\nContent-Security-Policy: default-src 'self'",
        "frame-ancestors 'none'",
        "\r\nX-Content-Type-Options: nosniff\r\n",
        "\r\nReferrer-Policy: no-referrer\r\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *r = http_get(port, cases[i].raw);
        assert_int_equal(http_status(r), cases[i].status);
        for (size_t h = 0; h < sizeof headers / sizeof *headers; h++)
            assert_non_null(strstr(r, headers[h]));
        /* No inline script allowed: no 'unsafe-inline' anywhere in the policy. */
        assert_null(strstr(r, "unsafe-inline"));
        assert_null(strstr(r, "unsafe-eval"));
        free(r);
    }
    web_stop(srv);
}

/* The token is in no answer and no log line, whether it was right, wrong,
 * or a prefix of the right one. */
static void test_token_never_shown(void **state)
{
    (void)state;
    web_server *srv = serve(NULL);
    int port = web_port(srv);
    static const char *const raws[] = {
        "DELETE /api/sources/nosuch HTTP/1.0\r\nAuthorization: Bearer " TOKEN "\r\n\r\n",
        "DELETE /api/sources/nosuch HTTP/1.0\r\nAuthorization: Bearer limits-token\r\n\r\n",
        "POST /api/import HTTP/1.0\r\nAuthorization: Bearer " TOKEN "\r\n"
        "Content-Length: 3\r\n\r\nx,y",
        "GET /api/stats HTTP/1.0\r\nAuthorization: Bearer " TOKEN "\r\n\r\n",
    };
    pthread_mutex_lock(&log_lock);
    log_len = 0;
    log_text[0] = '\0';
    pthread_mutex_unlock(&log_lock);
    for (size_t i = 0; i < sizeof raws / sizeof *raws; i++) {
        char *r = http_get(port, raws[i]);
        assert_true(http_status(r) >= 200);
        assert_null(strstr(r, TOKEN));
        assert_null(strstr(r, "limits-token"));
        free(r);
    }
    web_stop(srv);
    pthread_mutex_lock(&log_lock);
    assert_true(log_len > 0);
    assert_null(strstr(log_text, "limits-token"));
    pthread_mutex_unlock(&log_lock);
    assert_int_equal(http_records_in(db), records);
}

/* ---- hostile input ----------------------------------------------------- */

/* METHOD url with the extra header lines and the body; the answer. */
static char *post(int port, const char *method, const char *url, const char *headers,
                  const char *body)
{
    size_t blen = strlen(body);
    char head[512];
    int hlen = snprintf(head, sizeof head, "%s %s HTTP/1.0\r\n%sContent-Type: "
                        "application/json\r\nContent-Length: %zu\r\n\r\n",
                        method, url, headers, blen);
    char *raw = malloc((size_t)hlen + blen + 1);
    assert_non_null(raw);
    memcpy(raw, head, (size_t)hlen);
    memcpy(raw + hlen, body, blen + 1);
    char *r = http_exchange(port, raw, (size_t)hlen + blen);
    free(raw);
    return r;
}

static void test_hostile_requests(void **state)
{
    (void)state;
    web_server *srv = serve(NULL);
    int port = web_port(srv);
    static const struct {
        const char *raw;
        int lo, hi; /* the status expected, from lo to hi */
    } cases[] = {
        {"GET /api/search?q=%FF%FE%80 HTTP/1.0\r\n\r\n", 200, 400},
        {"GET /api/search?q=Kowal%00ski HTTP/1.0\r\n\r\n", 200, 400},
        {"GET /api/search?q=%C5 HTTP/1.0\r\n\r\n", 200, 400},
        {"GET /api/records?source=%27%20OR%201%3D1%3B%20DROP%20TABLE%20record%3B-- HTTP/1.0"
         "\r\n\r\n", 404, 404},
        {"GET /api/records?source=%25 HTTP/1.0\r\n\r\n", 404, 404},
        {"GET /api/search?q=%27%20OR%20%271%27%3D%271 HTTP/1.0\r\n\r\n", 200, 200},
        {"GET /api/records?limit=-1&offset=99999999999999999999 HTTP/1.0\r\n\r\n", 400, 400},
        {"GET /api/../../../etc/passwd HTTP/1.0\r\n\r\n", 404, 404},
        {"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.0\r\n\r\n", 404, 404},
        {"GET /api/records/1%2F..%2F2 HTTP/1.0\r\n\r\n", 400, 404},
        {"GET /api/sources/..%2F..%2Fk.db HTTP/1.0\r\n\r\n", 404, 404},
        {"GET /..%5c..%5cetc%5cpasswd HTTP/1.0\r\n\r\n", 404, 404},
        {"GET /api/records/%FF HTTP/1.0\r\n\r\n", 400, 404},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *r = http_get(port, cases[i].raw);
        int s = http_status(r);
        if (s < cases[i].lo || s > cases[i].hi)
            fail_msg("%s: status %d", cases[i].raw, s);
        assert_null(strstr(r, "root:"));
        if (s >= 400 && strstr(cases[i].raw, "/api/"))
            assert_json_error(r, s);
        free(r);
    }
    /* The hostile names come back as they were written, as JSON strings. */
    char *r = http_get(port, "GET /api/records?source=hostile HTTP/1.0\r\n\r\n");
    assert_int_equal(http_status(r), 200);
    assert_non_null(strstr(r, "\"surname\":\"<script>alert(1)</script>\""));
    assert_non_null(strstr(r, "\"surname\":\"O'Brien'); DROP TABLE record;--\""));
    assert_non_null(strstr(r, "\"note\":\"\\\"quoted\\\" 'single'\""));
    free(r);

    /* Deeply nested and huge JSON bodies to the write endpoints, with the
     * token: a clear error, nothing imported, nothing deleted. */
    size_t depth = 200000, len;
    char *nested = request_with("", depth, '[', "", &len);
    char *huge = request_with("{\"a\":\"", 4 << 20, 'x', "\"}", &len);
    const char *bodies[] = {nested, huge};
    for (int b = 0; b < 2; b++) {
        char url[64];
        snprintf(url, sizeof url, "/api/import?source=json%d", b);
        r = post(port, "POST", url, "Authorization: Bearer " TOKEN "\r\n", bodies[b]);
        assert_json_error(r, 400);
        free(r);
        r = post(port, "DELETE", "/api/sources/hostile", "", bodies[b]);
        assert_json_error(r, 401);
        free(r);
    }
    free(nested);
    free(huge);
    web_stop(srv);
    assert_int_equal(http_records_in(db), records);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_connection_limits),
        cmocka_unit_test(test_slow_clients),
        cmocka_unit_test(test_security_headers),
        cmocka_unit_test(test_token_never_shown),
        cmocka_unit_test(test_hostile_requests),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
