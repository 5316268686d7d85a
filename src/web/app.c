/*
 * app.c — the web app: what every request shares (the index, the store
 * connections, the write lock) and web_handle, which checks a write's token
 * before anything else and then hands the request to the API or the pages.
 *
 * Invariants:
 *  - Without a token no connection that can write is ever opened: every
 *    connection comes from store_open_readonly, and an older file that
 *    would have to be migrated (written) first is refused instead.
 *  - A write (any method but GET and HEAD under /api/) is authorised before
 *    its body is looked at; without the right token it changes nothing.
 *  - The token is compared in constant time and never copied into a log
 *    line or a response.
 *  - A store connection is used by one request at a time (the pool).
 */
#include "web/web_internal.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The file's schema version read without writing anything, or -1 when it
 * cannot be read this way (store_open_readonly then says why). */
static int file_version(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* A file a killed snapshot writer left, told to the request log. */
static void log_leftover(void *ctx, const kt_leftover *l)
{
    web_app *app = ctx;
    char line[8192];
    if (app->log && !l->running)
        app->log(app->log_ctx, kt_leftover_describe(l, line, sizeof line));
}

/* After index_open on st: an index built here was written as the
 * snapshot, and the next writer removes what a killed one left. */
static void sweep_after_build(web_app *app, store *st, const kt_index *ix)
{
    if (!index_from_snapshot(ix))
        index_snapshot_sweep(st, log_leftover, app, NULL);
}

static int token_ok(const char *t)
{
    if (!*t)
        return 0;
    for (const char *p = t; *p; p++)
        if (*p <= ' ' || *p > '~')
            return 0;
    return 1;
}

int web_app_open(const web_config *cfg, web_app **out, kt_error *err)
{
    *out = NULL;
#ifdef __GLIBC__
    /* Blocks of 128 KiB and more (an index's tables, a search answer's
     * text) come from mmap and go back when freed. Left to itself glibc
     * raises that threshold to the size of each such block freed, up to
     * 32 MiB, and then serves the next index from the arenas of whichever
     * threads built and read it, where a server that rebuilds its index
     * while searches run keeps the pages (make soak: +17.5 % in ten
     * minutes, flat under searches alone or imports alone). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    if (access(cfg->db_path, F_OK) != 0) {
        kt_error_set(err, "%s: no such database (create one with: kartoteka init --db %s)",
                     cfg->db_path, cfg->db_path);
        return KT_ERR_NOTFOUND;
    }
    if (cfg->write_token && !token_ok(cfg->write_token)) {
        kt_error_set(err, "the write token must be printable ASCII without spaces, "
                     "and not empty");
        return KT_ERR_INPUT;
    }
    if (!cfg->write_token) {
        int v = file_version(cfg->db_path);
        if (v > 0 && v < store_schema_latest()) {
            kt_error_set(err, "%s has schema version %d, older than this kartoteka's %d; "
                         "a read-only server does not migrate it (open it once with a "
                         "writing command, or serve it with --write-token-file)",
                         cfg->db_path, v, store_schema_latest());
            return KT_ERR_INPUT;
        }
    }
    web_app *app = calloc(1, sizeof *app);
    if (!app || !(app->db_path = strdup(cfg->db_path))) {
        free(app);
        return KT_ERR_NOMEM;
    }
    app->log = cfg->log;
    app->log_ctx = cfg->log_ctx;
    pthread_rwlock_init(&app->ix_lock, NULL);
    pthread_mutex_init(&app->pool_lock, NULL);
    pthread_mutex_init(&app->write_lock, NULL);
    pthread_mutex_init(&app->counts_lock, NULL);
    int rc = KT_OK;
    if (cfg->write_token) {
        app->token = strdup(cfg->write_token);
        app->token_len = app->token ? strlen(app->token) : 0;
        rc = app->token ? store_open(cfg->db_path, 0, &app->writer, err) : KT_ERR_NOMEM;
    }
    store *st = NULL;
    if (rc == KT_OK)
        st = web_store_get(app, err);
    if (rc == KT_OK && !st)
        rc = KT_ERR;
    if (rc == KT_OK)
        rc = index_open(st, &app->ix, err); /* the snapshot beside the database, or built */
    if (rc == KT_OK)
        sweep_after_build(app, st, app->ix);
    if (rc == KT_OK)
        index_prefault(app->ix);            /* its page faults now, not in the first queries */
    if (rc == KT_OK && cfg->search_cache >= 0 &&
        !(app->search_cache = web_cache_new(cfg->search_cache ? (size_t)cfg->search_cache
                                                              : WEB_SEARCH_CACHE)))
        rc = KT_ERR_NOMEM;
    if (st)
        web_store_put(app, st);
    if (rc != KT_OK) {
        web_app_close(app);
        return rc;
    }
    *out = app;
    return KT_OK;
}

void web_app_close(web_app *app)
{
    if (!app)
        return;
    for (int i = 0; i < app->npool; i++)
        store_close(app->pool[i]);
    free(app->pool);
    store_close(app->writer);
    if (app->token) {
        memset(app->token, 0, app->token_len);
        free(app->token);
    }
    index_free(app->ix);
    web_cache_free(app->search_cache);
    json_decref(app->camp_counts);
    pthread_rwlock_destroy(&app->ix_lock);
    pthread_mutex_destroy(&app->pool_lock);
    pthread_mutex_destroy(&app->write_lock);
    pthread_mutex_destroy(&app->counts_lock);
    free(app->db_path);
    free(app);
}

int web_app_writable(const web_app *app) { return app->writer != NULL; }
size_t web_app_index_records(const web_app *app) { return index_size(app->ix); }
size_t web_app_index_memory(const web_app *app) { return index_memory(app->ix); }

store *web_store_get(web_app *app, kt_error *err)
{
    pthread_mutex_lock(&app->pool_lock);
    store *st = app->npool > 0 ? app->pool[--app->npool] : NULL;
    pthread_mutex_unlock(&app->pool_lock);
    if (!st && store_open_readonly(app->db_path, &st, err) != KT_OK)
        return NULL;
    return st;
}

void web_store_put(web_app *app, store *st)
{
    pthread_mutex_lock(&app->pool_lock);
    if (app->npool == app->cappool) {
        int cap = app->cappool ? app->cappool * 2 : 8;
        store **p = realloc(app->pool, (size_t)cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&app->pool_lock);
            store_close(st);
            return;
        }
        app->pool = p;
        app->cappool = cap;
    }
    app->pool[app->npool++] = st;
    pthread_mutex_unlock(&app->pool_lock);
}

int web_app_refresh(web_app *app, kt_error *err)
{
    kt_index *ix;
    int rc = index_open(app->writer, &ix, err);
    if (rc != KT_OK)
        return rc;
    sweep_after_build(app, app->writer, ix);
    pthread_rwlock_wrlock(&app->ix_lock);
    kt_index *old = app->ix;
    app->ix = ix;
    web_cache_clear(app->search_cache); /* under the lock: no old answer is put after */
    pthread_rwlock_unlock(&app->ix_lock);
    index_free(old);
#ifdef __GLIBC__
    /* The old index and the build's scratch were many large blocks: give
     * the freed pages back, or a long-running server's memory ratchets up
     * with each write (make soak). */
    malloc_trim(0);
#endif
    pthread_mutex_lock(&app->counts_lock);
    json_decref(app->camp_counts);
    app->camp_counts = NULL;
    pthread_mutex_unlock(&app->counts_lock);
    return KT_OK;
}

/* ---- responses ------------------------------------------------------ */

void web_set_etag(web_response *res)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < res->len; i++) {
        h ^= (unsigned char)res->body[i];
        h *= 1099511628211ull;
    }
    snprintf(res->etag, sizeof res->etag, "\"%016llx\"", (unsigned long long)h);
}

void web_json(web_response *res, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                             JSON_REAL_PRECISION(10)) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}";
        res->status = 500;
        res->body = oom;
        res->len = sizeof oom - 1;
        res->owned = 0;
        res->content_type = "application/json; charset=utf-8";
        return;
    }
    res->status = status;
    res->body = text;
    res->len = strlen(text);
    res->owned = 1;
    res->content_type = "application/json; charset=utf-8";
    if (status == 200)
        web_set_etag(res);
}

void web_error(web_response *res, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_object();
    json_object_set_new(e, "status", json_integer(status));
    json_t *m = json_string(msg); /* NULL when a quoted argument cut UTF-8 */
    json_object_set_new(e, "message", m ? m : json_string("(the message is not UTF-8)"));
    json_t *top = json_object();
    json_object_set_new(top, "error", e);
    web_json(res, status, top);
}

int web_status_for(int kt_status)
{
    switch (kt_status) {
    case KT_OK: return 200;
    case KT_ERR_INPUT: return 400;
    case KT_ERR_NOTFOUND: return 404;
    case KT_ERR_EXISTS: return 409;
    default: return 500;
    }
}

/* ---- the request ---------------------------------------------------- */

/* Constant time in the length of the given token: every byte is looked at
 * whatever the first difference. */
int web_authorised(const web_app *app, const char *auth)
{
    if (!app->token || !auth || strncmp(auth, "Bearer ", 7) != 0)
        return 0;
    const char *given = auth + 7;
    size_t n = strlen(given);
    unsigned diff = (unsigned)(n ^ app->token_len);
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)app->token[i % (app->token_len ? app->token_len : 1)];
    return diff == 0;
}

static int is_read(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

int web_needs_token(const char *method, const char *path)
{
    return (!strncmp(path, "/api/", 5) || !strcmp(path, "/api")) && !is_read(method);
}

void web_refuse(const web_app *app, web_response *res)
{
    memset(res, 0, sizeof *res);
    res->www_authenticate = "Bearer realm=\"kartoteka\"";
    web_error(res, 401, app->writer
              ? "this needs the write token: Authorization: Bearer TOKEN"
              : "this server is read-only (started without --write-token-file)");
}

static int etag_listed(const char *if_none_match, const char *etag)
{
    if (!if_none_match || !*etag)
        return 0;
    if (!strcmp(if_none_match, "*"))
        return 1;
    return strstr(if_none_match, etag) != NULL;
}

void web_handle(web_app *app, const web_request *req, web_response *res)
{
    memset(res, 0, sizeof *res);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int api = !strncmp(req->path, "/api/", 5) || !strcmp(req->path, "/api");
    if (web_needs_token(req->method, req->path) && !web_authorised(app, req->authorization)) {
        web_refuse(app, res);
    } else if (api) {
        web_api(app, req, res);
    } else {
        web_assets(app, req, res);
    }
    if (res->status == 200 && is_read(req->method) &&
        etag_listed(req->if_none_match, res->etag)) {
        web_response_free(res);
        char etag[sizeof res->etag];
        memcpy(etag, res->etag, sizeof etag);
        const char *cc = res->cache_control, *ct = res->content_type;
        memset(res, 0, sizeof *res);
        memcpy(res->etag, etag, sizeof etag);
        res->cache_control = cc;
        res->content_type = ct;
        res->status = 304;
    }
    if (app->log) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        char line[600];
        /* Method, path and status only: never a header (the token). */
        snprintf(line, sizeof line, "%s %.500s %d %.1fms", req->method, req->path,
                 res->status, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
        app->log(app->log_ctx, line);
    }
}

void web_response_free(web_response *res)
{
    if (res->owned)
        free((char *)res->body);
    res->body = NULL;
    res->owned = 0;
    res->len = 0;
}
