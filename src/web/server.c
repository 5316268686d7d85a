/*
 * server.c — the app behind HTTP: libmicrohttpd with its own listening
 * thread and a pool of worker threads (MHD_OPTION_THREAD_POOL_SIZE), each
 * of which calls web_handle for the requests of its connections.
 *
 * A request body (only writes have one) is read into memory, up to
 * WEB_MAX_BODY; a write without the right token is answered 401 before its
 * body is read (web_handle is asked first with an empty body), so a
 * stranger's upload is neither kept nor looked at.
 *
 * Limits (web.h): a request's head is checked before anything else — the
 * server too busy (503), the URL (414) or the headers (431) too long —
 * and answered with a JSON error and the connection closed; guard.c
 * closes connections that do not send a head in time.
 */
#include "web/web_internal.h"
#include "web/guard.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct web_server {
    struct MHD_Daemon *daemon;
    web_app *app;
    int port;
    web_guard *guard;
    unsigned max_connections;
};

/* The per-request state of a request without a body: only a mark that
 * its first call has been seen. */
static int no_body;

/* One request's body on its way in. */
typedef struct upload {
    char *data;
    size_t len, cap;
    int too_big;
} upload;

static const char *get_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* Queues r; a body r owns passes to libmicrohttpd, which frees it. */
static enum MHD_Result send_response(struct MHD_Connection *c, web_response *r,
                                     const char *method)
{
    struct MHD_Response *resp;
    if (r->owned) {
        resp = MHD_create_response_from_buffer(r->len, (void *)r->body,
                                               MHD_RESPMEM_MUST_FREE);
        if (resp)
            r->owned = 0;
    } else
        resp = MHD_create_response_from_buffer(r->len, (void *)r->body,
                                               MHD_RESPMEM_PERSISTENT);
    (void)method; /* MHD leaves the body out of a HEAD answer itself */
    if (!resp)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    if (r->etag[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
    if (r->cache_control)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache_control);
    if (r->www_authenticate)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, r->www_authenticate);
    if (r->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    if (r->content_language) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_LANGUAGE, r->content_language);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Language, Cookie");
    }
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self'; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result add_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

/* Bytes of a request's headers or query arguments (decoded), each with
 * its two separators. */
static size_t sum_values(struct MHD_Connection *c, enum MHD_ValueKind kind)
{
    size_t n = 0;
    MHD_get_connection_values(c, kind, add_length, &n);
    return n;
}

/* The Content-Length a request announces, 0 when none. */
static unsigned long long declared_length(struct MHD_Connection *c)
{
    const char *v = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return v ? strtoull(v, NULL, 10) : 0;
}

static void fill(web_request *req, struct MHD_Connection *c, const char *url,
                 const char *method)
{
    memset(req, 0, sizeof *req);
    req->method = method;
    req->path = url;
    req->arg = get_arg;
    req->arg_ctx = c;
    req->accept_language = header(c, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    req->cookie = header(c, MHD_HTTP_HEADER_COOKIE);
    req->if_none_match = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH);
    req->authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *data, size_t *data_size, void **con_cls)
{
    (void)version;
    web_server *srv = cls;
    web_app *app = srv->app;
    int has_body = strcmp(method, "GET") && strcmp(method, "HEAD");
    if (!*con_cls) {
        /* The head is in: off the clock, then within the limits? */
        unsigned open = web_guard_head_in(srv->guard, c);
        web_response res;
        memset(&res, 0, sizeof res);
        if (open > srv->max_connections)
            web_error(&res, 503, "the server is busy (%u connections open); try again "
                      "in a moment", open);
        else if (strlen(url) + sum_values(c, MHD_GET_ARGUMENT_KIND) > WEB_MAX_URL)
            web_error(&res, 414, "the URL is longer than %u bytes", WEB_MAX_URL);
        else if (sum_values(c, MHD_HEADER_KIND) > WEB_MAX_HEADERS)
            web_error(&res, 431, "the headers are longer than %u bytes", WEB_MAX_HEADERS);
        else if (has_body && declared_length(c) > WEB_MAX_BODY)
            web_error(&res, 413, "the body is larger than %u bytes", WEB_MAX_BODY);
        if (res.status) {
            enum MHD_Result ok = send_response(c, &res, method);
            web_response_free(&res);
            return ok;
        }
    }
    if (has_body && !*con_cls) {
        /* Authorised? Asked before the body is read (the first call has
         * the headers only): a refusal is final. */
        if (web_needs_token(method, url) &&
            !web_authorised(app, header(c, MHD_HTTP_HEADER_AUTHORIZATION))) {
            web_response res;
            web_refuse(app, &res);
            enum MHD_Result ok = send_response(c, &res, method);
            web_response_free(&res);
            return ok;
        }
        upload *u = calloc(1, sizeof *u);
        if (!u)
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (!has_body && !*con_cls) {
        /* Answered on the next call, once the request is all in: a
         * response queued on the first call closes the connection. */
        *con_cls = &no_body;
        return MHD_YES;
    }
    web_request req;
    web_response res;
    fill(&req, c, url, method);
    if (has_body) {
        upload *u = *con_cls;
        if (*data_size) {
            if (u->len + *data_size > WEB_MAX_BODY) {
                u->too_big = 1;
            } else {
                if (u->len + *data_size + 1 > u->cap) {
                    size_t cap = (u->len + *data_size + 1) * 2;
                    char *d = realloc(u->data, cap);
                    if (!d)
                        return MHD_NO;
                    u->data = d;
                    u->cap = cap;
                }
                memcpy(u->data + u->len, data, *data_size);
                u->len += *data_size;
            }
            *data_size = 0;
            return MHD_YES;
        }
        if (u->too_big) {
            memset(&res, 0, sizeof res);
            web_error(&res, 413, "the body is larger than %u bytes", WEB_MAX_BODY);
            enum MHD_Result ok = send_response(c, &res, method);
            web_response_free(&res);
            return ok;
        }
        req.body = u->data;
        req.body_len = u->len;
    }
    web_handle(app, &req, &res);
    enum MHD_Result ok = send_response(c, &res, method);
    web_response_free(&res);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    web_server *srv = cls;
    web_guard_done(srv->guard, c);
    upload *u = *con_cls;
    if (u && *con_cls != &no_body) {
        free(u->data);
        free(u);
    }
    *con_cls = NULL;
}

int web_start(web_app *app, const web_config *cfg, web_server **out, kt_error *err)
{
    *out = NULL;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1) {
        kt_error_set(err, "cannot listen on '%s': not an IPv4 address", bind);
        return KT_ERR_INPUT;
    }
    if (cfg->port < 0 || cfg->port > 65535) {
        kt_error_set(err, "port %d is not from 0 to 65535", cfg->port);
        return KT_ERR_INPUT;
    }
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads
                                        : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    web_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return KT_ERR_NOMEM;
    srv->app = app;
    unsigned timeout = cfg->timeout > 0 ? (unsigned)cfg->timeout : WEB_TIMEOUT;
    srv->max_connections = cfg->max_connections > 0 ? (unsigned)cfg->max_connections
                                                    : WEB_MAX_CONNECTIONS;
    unsigned per_ip = cfg->max_per_ip > 0 ? (unsigned)cfg->max_per_ip : WEB_MAX_PER_IP;
    if (!(srv->guard = web_guard_new(timeout))) {
        free(srv);
        return KT_ERR_NOMEM;
    }
    /* Room past max_connections for the 503 answers; libmicrohttpd shares
     * its limit out among the threads. */
    unsigned hard = srv->max_connections + 16 * threads;
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
        (uint16_t)cfg->port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, hard,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_MAX_HEAD,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, web_guard_notify, srv->guard,
        MHD_OPTION_END);
    if (!srv->daemon) {
        web_guard_free(srv->guard);
        free(srv);
        kt_error_set(err, "cannot listen on %s:%d (in use, or not allowed)", bind, cfg->port);
        return KT_ERR;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : cfg->port;
    *out = srv;
    return KT_OK;
}

int web_port(const web_server *srv) { return srv->port; }

void web_stop(web_server *srv)
{
    if (!srv)
        return;
    MHD_stop_daemon(srv->daemon);
    web_guard_free(srv->guard);
    free(srv);
}
