/*
 * web.h — the registry on the web: a JSON API under /api/ and the pages at
 * /, served by libmicrohttpd with a thread pool.
 *
 * Two layers. A web_app holds what every request reads: the name index
 * (built once at start, shared by all threads, immutable between writes),
 * a pool of read-only store connections (one per request in flight, never
 * shared by two threads at once) and, only when a write token is given, one
 * write connection. web_handle() answers one request as plain data, with no
 * socket, so that the API can be tested and reused as it is; web_start()
 * puts an app behind an HTTP listener.
 *
 * Without a write token the database is opened read-only and never for
 * writing; every write (POST, PUT, DELETE under /api/) answers 401 and
 * changes nothing. With one, a write needs "Authorization: Bearer TOKEN",
 * compared in constant time; the token is never logged.
 *
 * Library code: nothing printed; errors go to a kt_error, and the request
 * log, when wanted, to the caller's log function.
 */
#ifndef KT_WEB_H
#define KT_WEB_H

#include <stddef.h>

#include "util/error.h"

typedef struct web_config {
    const char *db_path;     /* an existing database */
    const char *bind;        /* address to listen on; NULL = 127.0.0.1 */
    int port;                /* 0 = any free port (see web_port) */
    const char *write_token; /* NULL = read-only server */
    int threads;             /* request threads; 0 = one per core */
    int search_cache;        /* answers to /api/search kept: 0 = the default
                                (WEB_SEARCH_CACHE), < 0 = none */
    /* One line per request ("GET /api/search 200 1.2ms"), or NULL. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
    /* Limits of the listener (web_start); 0 = the default below. */
    int timeout;         /* seconds a connection has to send a request's
                            head, and may stay idle (WEB_TIMEOUT) */
    int max_connections; /* open at once; past it a request is answered
                            503 (WEB_MAX_CONNECTIONS) */
    int max_per_ip;      /* open at once from one address; past it the
                            connection is refused (WEB_MAX_PER_IP) */
} web_config;

typedef struct web_app web_app;

/* Opens the database read-only, builds the index; with a write token also
 * opens the one write connection. KT_ERR_NOTFOUND when the database is not
 * there, KT_ERR_INPUT for a token that is empty or not printable ASCII. */
int web_app_open(const web_config *cfg, web_app **out, kt_error *err);
void web_app_close(web_app *app);
/* 1 when the app holds a connection that can write (a token was given). */
int web_app_writable(const web_app *app);
size_t web_app_index_records(const web_app *app);
size_t web_app_index_memory(const web_app *app);

/* One request, as the HTTP layer hands it over. */
typedef struct web_request {
    const char *method;          /* "GET", "HEAD", "POST", ... */
    const char *path;            /* decoded, without the query string */
    /* A query-string argument by name (decoded), or NULL; valid until the
     * request is answered (a handler may hold several at once). */
    const char *(*arg)(void *ctx, const char *name);
    void *arg_ctx;
    const char *accept_language; /* headers, NULL when absent */
    const char *cookie;
    const char *if_none_match;
    const char *authorization;
    const char *body;            /* request body (POST), may be NULL */
    size_t body_len;
} web_request;

typedef struct web_response {
    int status;
    const char *content_type;
    const char *body;          /* len bytes; owned when `owned` is set */
    size_t len;
    int owned;
    char etag[24];             /* "\"<hex>\"" or "" */
    const char *cache_control; /* or NULL */
    const char *www_authenticate; /* set with 401 */
    char set_cookie[64];       /* "" when none */
    const char *content_language; /* pages: "pl" or "en" */
} web_response;

/* Answers req into res (always filled, errors included: JSON
 * {"error":{"status":N,"message":...}} under /api/). Thread-safe. */
void web_handle(web_app *app, const web_request *req, web_response *res);
void web_response_free(web_response *res);

typedef struct web_server web_server;

/* Listens on cfg->bind:cfg->port with a pool of cfg->threads threads,
 * answering with app (which must outlive the server). */
int web_start(web_app *app, const web_config *cfg, web_server **out, kt_error *err);
int web_port(const web_server *srv); /* the port actually bound */
void web_stop(web_server *srv);

#define WEB_SEARCH_CACHE 16384

/* Largest request body accepted (an import's CSV): 64 MiB. */
#define WEB_MAX_BODY (64u << 20)

/* The listener's limits. A request whose URL (path and query) is longer
 * than WEB_MAX_URL bytes is answered 414, one whose headers together are
 * longer than WEB_MAX_HEADERS 431, both with a JSON error; a head past
 * WEB_MAX_HEAD does not fit the connection's memory at all and gets
 * libmicrohttpd's own 414 or 431. A body past WEB_MAX_BODY gets 413. */
#define WEB_TIMEOUT 10
#define WEB_MAX_CONNECTIONS 1024
#define WEB_MAX_PER_IP 256
#define WEB_MAX_URL 8192
#define WEB_MAX_HEADERS 16384
#define WEB_MAX_HEAD (64u << 10)

#endif
