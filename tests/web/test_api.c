/*
 * test_api.c — the web API answered by web_handle (no socket) and, once,
 * over HTTP: status codes, JSON errors, pagination, ETag/304, the page
 * language, escaping, and writes: 401 without the token with nothing
 * changed, a server without a token that never writes the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"
#include "store/store.h"
#include "web/web.h"

#include "http.h"

#define TOKEN "s3cret-token-for-tests"

static char dir[64], db[128];
static web_app *ro, *rw; /* read-only; with the token */

/* ---- requests ------------------------------------------------------- */

/* Query arguments: "a=1&b=2", already decoded (the tests use no escapes). */
static const char *args_lookup(void *ctx, const char *name)
{
    /* each value its own buffer: a value stays valid while the request is
     * answered, as the server's are (a handler may ask for several) */
    static __thread char values[8][512];
    static __thread unsigned next;
    const char *q = ctx;
    size_t n = strlen(name);
    for (const char *p = q; p && *p;) {
        size_t k = strcspn(p, "&");
        if (k > n && !strncmp(p, name, n) && p[n] == '=') {
            char *value = values[next++ % 8];
            snprintf(value, sizeof values[0], "%.*s", (int)(k - n - 1), p + n + 1);
            return value;
        }
        p += k + (p[k] == '&');
    }
    return NULL;
}

typedef struct req_opts {
    const char *auth, *accept_language, *cookie, *if_none_match, *body;
} req_opts;

/* One request; res must be freed with web_response_free. */
static void request(web_app *app, const char *method, const char *url, const req_opts *o,
                    web_response *res)
{
    char path[512];
    snprintf(path, sizeof path, "%s", url);
    char *q = strchr(path, '?');
    if (q)
        *q++ = '\0';
    web_request req = {.method = method, .path = path, .arg = args_lookup, .arg_ctx = q};
    if (o) {
        req.authorization = o->auth;
        req.accept_language = o->accept_language;
        req.cookie = o->cookie;
        req.if_none_match = o->if_none_match;
        req.body = o->body;
        req.body_len = o->body ? strlen(o->body) : 0;
    }
    web_handle(app, &req, res);
}

/* GET url, expecting `status`; the parsed JSON body (caller frees). */
static json_t *get_json(web_app *app, const char *url, int status)
{
    web_response res;
    request(app, "GET", url, NULL, &res);
    assert_int_equal(res.status, status);
    assert_non_null(strstr(res.content_type, "application/json"));
    json_error_t e;
    json_t *j = json_loadb(res.body, res.len, 0, &e);
    web_response_free(&res);
    assert_non_null(j);
    return j;
}

/* ---- setup ----------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kartoteka-web-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof db, "%s/k.db", dir);
    store *st;
    kt_error err;
    if (store_open(db, 1, &st, &err) != KT_OK || history_load(st, NULL, &err) != KT_OK)
        return -1;
    store_close(st);
    web_config ro_cfg = {.db_path = db};
    web_config rw_cfg = {.db_path = db, .write_token = TOKEN};
    if (web_app_open(&ro_cfg, &ro, &err) != KT_OK || web_app_open(&rw_cfg, &rw, &err) != KT_OK)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    web_app_close(ro);
    web_app_close(rw);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- reads ----------------------------------------------------------- */

/* A Polish spelling finds the man's Cyrillic record, with its source, its
 * key and why; his records come as one result (grouped by person). */
static void test_search_cross_script(void **state)
{
    (void)state;
    json_t *j = get_json(ro, "/api/search?q=Smorawiński", 200);
    json_t *results = json_object_get(j, "results");
    assert_true(json_array_size(results) >= 1);
    json_t *best = json_array_get(results, 0);
    assert_int_equal(json_integer_value(json_object_get(best, "person_id")), 1);
    int cyrillic = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(best, "records"), i, r) {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (strstr(name, "Сморавинский")) {
            cyrillic = 1;
            assert_string_equal(json_string_value(json_object_get(r, "source")), "prisoners_ru");
            assert_string_equal(json_string_value(json_object_get(r, "record_key")), "P001");
            assert_true(json_array_size(json_object_get(r, "why")) >= 1);
        }
    }
    assert_true(cyrillic);
    assert_true(json_is_boolean(json_object_get(j, "truncated")));
    json_decref(j);

    /* Of the man's records, the one in the other script comes first: the
     * Cyrillic for a Polish query (with or without diacritics), the Polish
     * for a Cyrillic one; the result's own name is that record's. */
    static const struct { const char *q, *source; } first[] = {
        {"Smorawinski", "prisoners_ru"},
        {"Smorawiński", "prisoners_ru"},
        {"Сморавинский", "prisoners_pl"},
    };
    for (size_t k = 0; k < sizeof first / sizeof *first; k++) {
        char url[256];
        snprintf(url, sizeof url, "/api/search?q=%s", first[k].q);
        j = get_json(ro, url, 200);
        assert_non_null(j);
        best = json_array_get(json_object_get(j, "results"), 0);
        r = json_array_get(json_object_get(best, "records"), 0);
        assert_string_equal(json_string_value(json_object_get(r, "source")), first[k].source);
        assert_string_equal(json_string_value(json_object_get(best, "source")), first[k].source);
        json_decref(j);
    }
}

/* /api/records?key=: the records a list's own key names, of one source
 * with &source=, paged; the bundled lists share their keys (P001). */
static void test_records_by_key(void **state)
{
    (void)state;
    json_t *j = get_json(ro, "/api/records?key=P001", 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    assert_int_equal(json_array_size(items), 2);
    const char *want[] = {"prisoners_pl", "prisoners_ru"};
    json_int_t last = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *r = json_array_get(items, i);
        assert_string_equal(json_string_value(json_object_get(r, "record_key")), "P001");
        assert_string_equal(json_string_value(json_object_get(r, "source")), want[i]);
        assert_true(json_integer_value(json_object_get(r, "id")) > last);
        last = json_integer_value(json_object_get(r, "id"));
    }
    json_decref(j);
    j = get_json(ro, "/api/records?key=P001&source=prisoners_ru", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(
        json_object_get(j, "items"), 0), "id")), last);
    json_decref(j);
    static const struct { const char *url; int total, items; } pages[] = {
        {"/api/records?key=P001&offset=1&limit=5", 2, 1},
        {"/api/records?key=P001&offset=1000000000", 2, 0},
        {"/api/records?key=no+such+key", 0, 0},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        j = get_json(ro, pages[i].url, 200);
        assert_int_equal(json_integer_value(json_object_get(j, "total")), pages[i].total);
        assert_int_equal(json_array_size(json_object_get(j, "items")), pages[i].items);
        json_decref(j);
    }
    json_decref(get_json(ro, "/api/records?key=P001&source=nope", 404));
}

static void test_status_codes(void **state)
{
    (void)state;
    static const struct { const char *url; int status; } cases[] = {
        {"/api/search", 400},                 /* no q */
        {"/api/search?q=x&limit=0", 400},
        {"/api/search?q=x&limit=abc", 400},
        {"/api/search?q=x&born=3000", 400},
        {"/api/records/1", 200},
        {"/api/records/99999", 404},
        {"/api/records/abc", 400},
        {"/api/records/-1", 400},
        {"/api/records?source=nope", 404},
        {"/api/persons/1", 200},
        {"/api/persons/99999", 404},
        {"/api/sources/prisoners_ru", 200},
        {"/api/sources/nope", 404},
        {"/api/figures/pow_taken_1939", 200},
        {"/api/figures/no_such_quantity", 404},
        {"/api/events?from=1940&to=1940-12", 200},
        {"/api/events?from=April", 400},
        {"/api/places?kind=pow_camp", 200},
        {"/api/places?kind=castle", 400},
        {"/api/places/kozelsk_camp", 200},
        {"/api/places/atlantis", 404},
        {"/api/documents", 200},
        {"/api/stats", 200},
        {"/api/nothing", 404},
        {"/api/records/1/2", 404},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = get_json(ro, cases[i].url, cases[i].status);
        if (cases[i].status != 200) { /* a JSON error that names the status */
            json_t *e = json_object_get(j, "error");
            assert_int_equal(json_integer_value(json_object_get(e, "status")), cases[i].status);
            assert_true(strlen(json_string_value(json_object_get(e, "message"))) > 5);
        }
        json_decref(j);
    }
    web_response res;
    request(ro, "PUT", "/api/records/1", &(req_opts){.auth = "Bearer x"}, &res);
    assert_int_equal(res.status, 401);
    web_response_free(&res);
    request(rw, "PUT", "/api/records/1", &(req_opts){.auth = "Bearer " TOKEN}, &res);
    assert_int_equal(res.status, 405);
    web_response_free(&res);
    request(rw, "GET", "/api/import", NULL, &res);
    assert_int_equal(res.status, 405);
    web_response_free(&res);
}

static void test_pagination(void **state)
{
    (void)state;
    json_t *j = get_json(ro, "/api/records?limit=5&offset=5", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 52);
    assert_int_equal(json_integer_value(json_object_get(j, "offset")), 5);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 6);
    json_decref(j);
    j = get_json(ro, "/api/records?source=prisoners_ru&limit=500", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 26);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 26);
    json_decref(j);
    j = get_json(ro, "/api/places?limit=3&offset=1", 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
    assert_true(json_integer_value(json_object_get(j, "total")) > 30);
    json_decref(j);
    j = get_json(ro, "/api/events?offset=100000", 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    json_decref(get_json(ro, "/api/records?limit=501", 400));
    json_decref(get_json(ro, "/api/records?offset=-1", 400));
}

/* The figures carry what each quantity counts, in English and Polish,
 * beside its key: in the list and for one quantity. */
static void test_figure_titles(void **state)
{
    (void)state;
    json_t *j = get_json(ro, "/api/figures?limit=500", 200);
    json_t *items = json_object_get(j, "items"), *q;
    assert_int_equal(json_array_size(items), 73);
    size_t i;
    int seen = 0;
    json_array_foreach(items, i, q) {
        assert_true(json_string_length(json_object_get(q, "title")) > 0);
        assert_true(json_string_length(json_object_get(q, "title_pl")) > 0);
        if (!strcmp(json_string_value(json_object_get(q, "quantity")), "katyn_victims_total")) {
            assert_string_equal(json_string_value(json_object_get(q, "title")),
                                "Victims of the Katyn massacre, 1940");
            assert_string_equal(json_string_value(json_object_get(q, "title_pl")),
                                "Ofiary zbrodni katyńskiej, 1940");
            seen = 1;
        }
    }
    assert_true(seen);
    json_decref(j);
    j = get_json(ro, "/api/figures/camp_population_kozelsk", 200);
    assert_string_equal(json_string_value(json_object_get(j, "quantity")),
                        "camp_population_kozelsk");
    assert_string_equal(json_string_value(json_object_get(j, "title")),
                        "Prisoners held at the Kozelsk camp");
    assert_string_equal(json_string_value(json_object_get(j, "title_pl")),
                        "Jeńcy w obozie w Kozielsku");
    assert_int_equal(json_array_size(json_object_get(j, "claims")), 3);
    json_decref(j);
}

static void test_etag(void **state)
{
    (void)state;
    static const char *const urls[] = {"/api/records/2", "/api/figures", "/", "/static/app.js"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        web_response a, b, c;
        request(ro, "GET", urls[i], NULL, &a);
        assert_int_equal(a.status, 200);
        assert_true(strlen(a.etag) > 2);
        request(ro, "GET", urls[i], &(req_opts){.if_none_match = a.etag}, &b);
        assert_int_equal(b.status, 304);
        assert_int_equal(b.len, 0);
        assert_string_equal(b.etag, a.etag);
        request(ro, "GET", urls[i], &(req_opts){.if_none_match = "\"0000\""}, &c);
        assert_int_equal(c.status, 200);
        web_response_free(&a);
        web_response_free(&b);
        web_response_free(&c);
    }
}

/* Which language the shell is served in. */
static void test_language(void **state)
{
    (void)state;
    static const struct { const char *url, *accept, *cookie, *lang; int sets_cookie; } cases[] = {
        {"/", "pl-PL,pl;q=0.9,en;q=0.8", NULL, "pl", 0},
        {"/", "en-US,en;q=0.9,pl;q=0.5", NULL, "en", 0},
        {"/", "de-DE,pl;q=0.3", NULL, "pl", 0},
        {"/", "de-DE", NULL, "en", 0},
        {"/", NULL, NULL, "en", 0},
        {"/figures", "en", "x=1; lang=pl", "pl", 0},
        {"/record/2?lang=en", "pl", "lang=pl", "en", 1},
        {"/?lang=<script>", "pl", NULL, "pl", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        web_response res;
        request(ro, "GET", cases[i].url, &(req_opts){.accept_language = cases[i].accept,
                                                     .cookie = cases[i].cookie}, &res);
        assert_int_equal(res.status, 200);
        char want[32];
        snprintf(want, sizeof want, "<html lang=\"%s\">", cases[i].lang);
        assert_non_null(strstr(res.body, want));
        assert_null(strstr(res.body, "<script>\">"));
        assert_int_equal(res.set_cookie[0] != '\0', cases[i].sets_cookie);
        web_response_free(&res);
    }
    web_response res;
    request(ro, "GET", "/static/../Makefile", NULL, &res);
    assert_int_equal(res.status, 404);
    web_response_free(&res);
    request(ro, "GET", "/static/vendor/topojson-client.min.js", NULL, &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.content_type, "javascript"));
    web_response_free(&res);
    request(ro, "GET", "/static/no-such.js", NULL, &res);
    assert_int_equal(res.status, 404);
    assert_non_null(strstr(res.content_type, "text/plain"));
    web_response_free(&res);
}

/* An address that is no page gets the pages' shell (which says so, in
 * the reader's language) with status 404 and no ETag; /search is the
 * search page. */
static void test_no_such_page(void **state)
{
    (void)state;
    static const struct { const char *url; int status; } cases[] = {
        {"/Smorawinski", 404}, {"/no/such/page", 404}, {"/person/1/2", 404},
        {"/search?q=Smorawinski", 200}, {"/person/1", 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        web_response res;
        request(ro, "GET", cases[i].url, &(req_opts){.accept_language = "pl"}, &res);
        assert_int_equal(res.status, cases[i].status);
        assert_non_null(strstr(res.content_type, "text/html"));
        assert_non_null(strstr(res.body, "<html lang=\"pl\">"));
        assert_int_equal(res.etag[0] != '\0', cases[i].status == 200);
        web_response_free(&res);
    }
}

/* ---- writes ---------------------------------------------------------- */

static const char csv[] =
    "record_id,surname,given_names,birth_year,camp\n"
    "W1,\"<img src=x onerror=alert(1)>\",\"Jan \"\"Kowal\"\" & syn\",1901,Kozielsk\n"
    "W2,Zabłockiewicz,Teofil,1902,Starobielsk\n"; /* synthetic */

static void test_writes_need_the_token(void **state)
{
    (void)state;
    int64_t before = http_records_in(db);
    static const char *const auths[] = {NULL, "", "Bearer", "Bearer ", "Bearer wrong",
                                        "Bearer " TOKEN "x", "Basic " TOKEN, "bearer " TOKEN};
    for (size_t i = 0; i < sizeof auths / sizeof auths[0]; i++) {
        web_app *apps[] = {ro, rw};
        for (int a = 0; a < 2; a++) {
            web_response res;
            request(apps[a], "POST", "/api/import?source=w", &(req_opts){.auth = auths[i],
                                                                        .body = csv}, &res);
            assert_int_equal(res.status, 401);
            assert_non_null(res.www_authenticate);
            assert_null(strstr(res.body, TOKEN));
            web_response_free(&res);
            request(apps[a], "DELETE", "/api/sources/prisoners_pl",
                    &(req_opts){.auth = auths[i]}, &res);
            assert_int_equal(res.status, 401);
            web_response_free(&res);
        }
    }
    /* The read-only server refuses the right token too: it has none. */
    web_response res;
    request(ro, "POST", "/api/import?source=w", &(req_opts){.auth = "Bearer " TOKEN,
                                                            .body = csv}, &res);
    assert_int_equal(res.status, 401);
    web_response_free(&res);
    assert_int_equal(http_records_in(db), before);
    assert_false(web_app_writable(ro));
    assert_true(web_app_writable(rw));
}

static void test_write_with_token_and_escaping(void **state)
{
    (void)state;
    int64_t before = http_records_in(db);
    /* asked before the write: an answer without the new record, which the
     * search cache keeps until the write */
    json_t *j = get_json(rw, "/api/search?q=Заблоцкевич", 200);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(j, "results"), i, hit)
        assert_string_not_equal(json_string_value(json_object_get(hit, "source")), "web_upload");
    json_decref(j);
    web_response res;
    request(rw, "POST", "/api/import?source=web_upload", &(req_opts){.auth = "Bearer " TOKEN,
                                                                     .body = csv}, &res);
    assert_int_equal(res.status, 201);
    web_response_free(&res);
    assert_int_equal(http_records_in(db), before + 2);
    /* the same file again: refused, 409, nothing changed */
    request(rw, "POST", "/api/import?source=web_upload2", &(req_opts){.auth = "Bearer " TOKEN,
                                                                      .body = csv}, &res);
    assert_int_equal(res.status, 409);
    web_response_free(&res);
    /* a bad file: 400 naming the line */
    request(rw, "POST", "/api/import?source=bad", &(req_opts){.auth = "Bearer " TOKEN,
                                                             .body = "surname\n\"open"}, &res);
    assert_int_equal(res.status, 400);
    web_response_free(&res);
    assert_int_equal(http_records_in(db), before + 2);

    /* The new record is searchable at once, its markup only ever a string. */
    j = get_json(rw, "/api/records?source=web_upload", 200);
    json_t *r = json_array_get(json_object_get(j, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "surname")),
                        "<img src=x onerror=alert(1)>");
    assert_string_equal(json_string_value(json_object_get(r, "given_names")),
                        "Jan \"Kowal\" & syn");
    json_decref(j);
    /* in the body: a JSON string, quotes escaped, served as JSON only */
    request(rw, "GET", "/api/records?source=web_upload", NULL, &res);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.content_type, "application/json; charset=utf-8");
    assert_non_null(strstr(res.body, "\"Jan \\\"Kowal\\\" & syn\""));
    web_response_free(&res);
    /* and searchable at once: the index was rebuilt after the write */
    j = get_json(rw, "/api/search?q=Заблоцкевич", 200);
    int found = 0;
    json_array_foreach(json_object_get(j, "results"), i, hit)
        found |= !strcmp(json_string_value(json_object_get(hit, "source")), "web_upload");
    json_decref(j);
    assert_true(found);
    j = get_json(ro, "/api/search?q=Заблоцкевич", 200); /* the other app: its own index */
    json_array_foreach(json_object_get(j, "results"), i, hit)
        assert_string_not_equal(json_string_value(json_object_get(hit, "source")), "web_upload");
    json_decref(j);

    request(rw, "DELETE", "/api/sources/web_upload", &(req_opts){.auth = "Bearer " TOKEN}, &res);
    assert_int_equal(res.status, 200);
    web_response_free(&res);
    assert_int_equal(http_records_in(db), before);
    request(rw, "DELETE", "/api/sources/web_upload", &(req_opts){.auth = "Bearer " TOKEN}, &res);
    assert_int_equal(res.status, 404);
    web_response_free(&res);
}

/* A read-only server does not bring an older file up to date (that would
 * write it): it refuses, and the file stays as it was. */
static void test_readonly_never_writes(void **state)
{
    (void)state;
    char old[160];
    snprintf(old, sizeof old, "%s/old.db", dir);
    kt_error err;
    assert_int_equal(store_create_at_version(old, 1, &err), KT_OK);
    web_app *app;
    web_config cfg = {.db_path = old};
    assert_int_equal(web_app_open(&cfg, &app, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "read-only"));
    store *st;
    assert_int_equal(store_open_readonly(old, &st, &err), KT_OK); /* migrates it */
    store_close(st);
    cfg.db_path = "/nonexistent/k.db";
    assert_int_equal(web_app_open(&cfg, &app, &err), KT_ERR_NOTFOUND);
    cfg = (web_config){.db_path = db, .write_token = "with space"};
    assert_int_equal(web_app_open(&cfg, &app, &err), KT_ERR_INPUT);
}

/* ---- over HTTP ------------------------------------------------------- */

static void test_http(void **state)
{
    (void)state;
    web_config cfg = {.db_path = db, .port = 0, .threads = 2};
    web_server *srv;
    kt_error err;
    assert_int_equal(web_start(ro, &cfg, &srv, &err), KT_OK);
    int port = web_port(srv);
    assert_true(port > 0);
    char *r = http_get(port, "GET /api/search?q=%D0%A1%D0%BC%D0%BE%D1%80%D0%B0%D0%B2%D0%B8%D0%BD"
                         "%D1%81%D0%BA%D0%B8%D0%B9 HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.0 200") ? r : strstr(r, "HTTP/1.1 200"));
    assert_non_null(strstr(r, "Smorawiński"));
    assert_non_null(strstr(r, "ETag: \""));
    free(r);
    r = http_get(port, "POST /api/import?source=x HTTP/1.0\r\nContent-Length: 8\r\n\r\nsurname\n");
    assert_non_null(strstr(r, " 401 "));
    assert_non_null(strstr(r, "WWW-Authenticate: Bearer"));
    free(r);
    r = http_get(port, "GET /places HTTP/1.0\r\nAccept-Language: pl\r\n\r\n");
    assert_non_null(strstr(r, "<html lang=\"pl\">"));
    assert_non_null(strstr(r, "Content-Security-Policy: default-src 'self'"));
    free(r);
    web_stop(srv);
    assert_int_equal(http_records_in(db), 52);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_cross_script),
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_figure_titles),
        cmocka_unit_test(test_etag),
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_no_such_page),
        cmocka_unit_test(test_records_by_key),
        cmocka_unit_test(test_writes_need_the_token),
        cmocka_unit_test(test_write_with_token_and_escaping),
        cmocka_unit_test(test_readonly_never_writes),
        cmocka_unit_test(test_http),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
