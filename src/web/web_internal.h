/*
 * web_internal.h — what the files of src/web/ share (not a public header:
 * readers outside src/web/ use web.h).
 *
 *   app.c     the app: index, store connections, write lock, web_handle
 *   cache.c   answers to /api/search kept for the next identical request
 *   api.c     the JSON API under /api/
 *   assets.c  the pages and their files, embedded from web/
 *   i18n.c    the page language (Accept-Language, ?lang=, cookie)
 *   server.c  libmicrohttpd
 */
#ifndef KT_WEB_INTERNAL_H
#define KT_WEB_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "index/index.h"
#include "store/store.h"
#include "web/web.h"

/* Answers to /api/search by their arguments (cache.c). */
typedef struct web_cache web_cache;
web_cache *web_cache_new(size_t nslots);
void web_cache_free(web_cache *c);
/* 1 and res filled (a copy) when key's answer is there and current. */
int web_cache_get(web_cache *c, const char *key, web_response *res);
void web_cache_put(web_cache *c, const char *key, const web_response *res);
/* Forgets every answer (after a write). */
void web_cache_clear(web_cache *c);

struct web_app {
    char *db_path;
    void (*log)(void *ctx, const char *line);
    void *log_ctx;

    /* The index: read-locked by every search, write-locked only to swap in
     * a new one after a write. */
    pthread_rwlock_t ix_lock;
    kt_index *ix;

    /* Read-only connections not in use; one is taken per request. */
    pthread_mutex_t pool_lock;
    store **pool;
    int npool, cappool;

    /* Writing: NULL / empty unless started with a token. */
    store *writer;
    pthread_mutex_t write_lock;
    char *token;
    size_t token_len;

    /* Records per camp (names_camp_of), counted on first use, recounted
     * after a write: what the registry itself holds beside each figure. */
    pthread_mutex_t counts_lock;
    json_t *camp_counts; /* {"kozelsk": N, ...}, NULL until counted */

    web_cache *search_cache; /* NULL when turned off */
};

/* A read-only connection from the pool (opened when none is free), and back. */
store *web_store_get(web_app *app, kt_error *err);
void web_store_put(web_app *app, store *st);

/* Rebuilds the index from the write connection and swaps it in; drops the
 * camp counts. Called with write_lock held. */
int web_app_refresh(web_app *app, kt_error *err);

/* Writes: any method but GET and HEAD under /api/ needs the token;
 * web_authorised compares "Bearer TOKEN" in constant time; web_refuse
 * fills the 401. */
int web_needs_token(const char *method, const char *path);
int web_authorised(const web_app *app, const char *authorization);
void web_refuse(const web_app *app, web_response *res);

/* Responses. The JSON is dumped compact with its keys in order; the ETag
 * is a hash of the body. */
void web_json(web_response *res, int status, json_t *body);
void web_error(web_response *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets res->etag from a hash of the body. */
void web_set_etag(web_response *res);
/* The HTTP status for a library status (KT_ERR_NOTFOUND -> 404, ...). */
int web_status_for(int kt_status);

/* /api/...: the JSON API. */
void web_api(web_app *app, const web_request *req, web_response *res);
/* Anything else: a page or a file of the pages. */
void web_assets(web_app *app, const web_request *req, web_response *res);

/* "pl" or "en": ?lang= first, then the "lang" cookie, then Accept-Language
 * (by q-value), else "en". *from_arg is set when ?lang= chose it. */
const char *web_language(const web_request *req, int *from_arg);

#endif
