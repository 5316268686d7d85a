/*
 * fuzz_web.c — libFuzzer target for the web server's request handling
 * (web/web.h): the router, the API's parameter parsing and the pages,
 * called through web_handle without a socket.
 *
 * An input is an HTTP request as it arrives: "METHOD TARGET" on the first
 * line, "Name: value" header lines, an empty line, the body. The target is
 * split and decoded as libmicrohttpd does it (MHD_http_unescape on the path
 * and on each query argument, '+' as a space), so the handler sees what it
 * sees behind the real listener: NUL bytes and invalid UTF-8 included.
 *
 * The database is made once at start-up in a temporary directory: the
 * bundled history and a small list whose names hold markup, quotes and SQL
 * metacharacters. Requests go to a server started with a write token (32
 * random bytes, never in an input) and to a read-only one; no write can
 * pass, so every run sees the same store.
 *
 * Checks: a status from 100 to 599; a body with a content type; under /api/
 * the body is JSON, an error's {"error":{"status"}} the response's status;
 * no request changes the store. (Whether the token shows in a response or a
 * log line is tested in tests/web/, not here: a check here would hand the
 * token to the fuzzer, whose string hooks learn what they are compared with.)
 */
#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"
#include "store/import.h"
#include "store/store.h"
#include "web/web.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static char dir[64], db[128], token[65];
static web_app *rw, *ro;
static int64_t records;

static const char list[] =
    "record_key,surname,given_names,patronymic,birth_year,camp,note\n"
    "1,\"<script>alert(1)</script>\",Jan,Янович,1900,Козельск,\"\"\"quoted\"\"\"\n"
    "2,O'Brien'); DROP TABLE record;--,Józef,,1895,Starobielsk,<img src=x onerror=alert(2)>\n"
    "3,Смоленский,Иосиф,Иосифович,1893,Осташков,50% _ \\\n";

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    CHECK(*line != '\0');
}

/* At exit: nothing was written, and the temporary directory goes. */
static void finish(void)
{
    web_app_close(rw);
    web_app_close(ro);
    store *st;
    kt_error err;
    CHECK(store_open_readonly(db, &st, &err) == KT_OK);
    CHECK(store_count(st, "record") == records);
    store_close(st);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/kartoteka-fuzz-web-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(db, sizeof db, "%s/k.db", dir);
    FILE *r = fopen("/dev/urandom", "rb");
    unsigned char raw[32];
    CHECK(r && fread(raw, 1, sizeof raw, r) == sizeof raw);
    fclose(r);
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(token + 2 * i, 3, "%02x", raw[i]);
    store *st;
    kt_error err;
    store_import_options opt = {.source_key = "hostile"};
    store_import_result res;
    CHECK(store_open(db, 1, &st, &err) == KT_OK);
    CHECK(history_load(st, NULL, &err) == KT_OK);
    CHECK(store_import_csv_data(st, list, sizeof list - 1, "hostile.csv", &opt, &res, &err) ==
          KT_OK);
    records = store_count(st, "record");
    store_close(st);
    web_config rw_cfg = {.db_path = db, .write_token = token, .search_cache = -1,
                         .log = log_line};
    web_config ro_cfg = {.db_path = db, .search_cache = -1, .log = log_line};
    CHECK(web_app_open(&rw_cfg, &rw, &err) == KT_OK);
    CHECK(web_app_open(&ro_cfg, &ro, &err) == KT_OK);
    atexit(finish);
    return 0;
}

/* The query string split at '&' and '=' and decoded, as MHD does. */
typedef struct args {
    char *name[32], *value[32];
    int n;
} args;

static void plus_to_space(char *s)
{
    for (; *s; s++)
        if (*s == '+')
            *s = ' ';
}

static void parse_args(char *q, args *a)
{
    a->n = 0;
    while (q && *q && a->n < 32) {
        char *amp = strchr(q, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(q, '=');
        if (eq)
            *eq++ = '\0';
        plus_to_space(q);
        MHD_http_unescape(q);
        if (eq) {
            plus_to_space(eq);
            MHD_http_unescape(eq);
        }
        a->name[a->n] = q;
        a->value[a->n] = eq ? eq : "";
        a->n++;
        q = amp ? amp + 1 : NULL;
    }
}

static const char *get_arg(void *ctx, const char *name)
{
    const args *a = ctx;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->name[i], name))
            return a->value[i];
    return NULL;
}

static void check_response(const web_request *req, const web_response *res)
{
    CHECK(res->status >= 100 && res->status <= 599);
    CHECK(res->len == 0 || (res->body && res->content_type));
    if (strncmp(req->path, "/api/", 5) || !res->len)
        return;
    json_error_t e;
    json_t *j = json_loadb(res->body, res->len, 0, &e);
    CHECK(j != NULL);
    json_t *error = json_object_get(j, "error");
    if (res->status >= 400) {
        CHECK(json_is_object(error));
        CHECK(json_integer_value(json_object_get(error, "status")) == res->status);
        CHECK(json_is_string(json_object_get(error, "message")));
    }
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, bytes, size);
    text[size] = '\0';

    /* Head and body at the first empty line. */
    char *body = NULL;
    size_t body_len = 0;
    char *blank = memmem(text, size, "\n\n", 2);
    if (blank) {
        *blank = '\0';
        body = blank + 2;
        body_len = size - (size_t)(body - text);
    }
    web_request req;
    memset(&req, 0, sizeof req);
    char *line = text, *next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    char root[] = "/";
    char *target = strchr(line, ' ');
    if (target)
        *target++ = '\0';
    else
        target = root;
    req.method = *line ? line : "GET";
    char *query = strchr(target, '?');
    if (query)
        *query++ = '\0';
    MHD_http_unescape(target);
    req.path = target;
    args a;
    parse_args(query, &a);
    req.arg = get_arg;
    req.arg_ctx = &a;
    for (line = next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon++ = '\0';
        while (*colon == ' ')
            colon++;
        if (!strcasecmp(line, "accept-language"))
            req.accept_language = colon;
        else if (!strcasecmp(line, "cookie"))
            req.cookie = colon;
        else if (!strcasecmp(line, "if-none-match"))
            req.if_none_match = colon;
        else if (!strcasecmp(line, "authorization"))
            req.authorization = colon;
    }
    req.body = body;
    req.body_len = body_len;

    web_response res;
    web_handle((size & 1) ? ro : rw, &req, &res);
    check_response(&req, &res);
    web_response_free(&res);
    free(text);
    return 0;
}
