/*
 * api.c — the JSON API under /api/. Every object has the shape the CLI's
 * --json gives it (store/json.h, index_hit_json); lists are pages:
 *   {"total": N, "offset": O, "limit": L, "items": [...]}
 * Errors are {"error": {"status": S, "message": "..."}} with the HTTP
 * status S: 400 a bad argument (named), 404 nothing there, 405 a method the
 * resource does not take, 409 refused (an import already there), 500.
 *
 *   GET    /api/search?q=&limit=&born=&tolerance=&camp=&fate=   (results
 *          grouped by person, as `kartoteka search --json` gives them)
 *   GET    /api/records?source=&key=&offset=&limit= GET /api/records/ID
 *   GET    /api/persons?offset=&limit=              GET /api/persons/ID
 *   GET    /api/sources                             GET /api/sources/KEY
 *   GET    /api/figures                             GET /api/figures/QUANTITY
 *   GET    /api/events?from=&to=
 *   GET    /api/places?kind=                        GET /api/places/ID
 *   GET    /api/documents
 *   GET    /api/stats
 *   POST   /api/import?source=KEY&title=&encoding=  (body: the CSV)   write
 *   DELETE /api/sources/KEY                                           write
 * Writes reach this file only with the right token (app.c).
 */
#include "web/web_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names/camp.h"
#include "store/history.h"
#include "store/import.h"
#include "store/json.h"
#include "store/persons.h"

#define SEARCH_LIMIT 20
#define SEARCH_MAX 100
#define PAGE_LIMIT 50
#define PAGE_MAX 500
#define CAMP_SAMPLE 50 /* records listed under a place */

static const char *arg(const web_request *req, const char *name)
{
    const char *v = req->arg ? req->arg(req->arg_ctx, name) : NULL;
    return v && *v ? v : NULL;
}

/* An integer argument: *out = def when absent; 0, or -1 having answered 400. */
static int int_arg(const web_request *req, web_response *res, const char *name,
                   long def, long lo, long hi, long *out)
{
    const char *v = arg(req, name);
    *out = def;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi) {
        web_error(res, 400, "%s wants a whole number from %ld to %ld, not '%.40s'",
                  name, lo, hi, v);
        return -1;
    }
    *out = n;
    return 0;
}

static int64_t id_of(const char *s)
{
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    return errno || *end || end == s || n <= 0 ? -1 : (int64_t)n;
}

/* The page [offset, offset + limit) of a whole list (a small one: the
 * history tables, the sources). Takes items. */
/* The envelope of every list: {"total", "offset", "limit", "items"}
 * (items taken over). */
static json_t *envelope(json_t *items, int64_t total, long offset, long limit)
{
    json_t *top = json_object();
    json_object_set_new(top, "total", json_integer((json_int_t)total));
    json_object_set_new(top, "offset", json_integer(offset));
    json_object_set_new(top, "limit", json_integer(limit));
    json_object_set_new(top, "items", items);
    return top;
}

static json_t *page_of(json_t *items, long offset, long limit)
{
    size_t total = json_array_size(items);
    json_t *page = json_array();
    for (size_t i = (size_t)offset; i < total && i < (size_t)(offset + limit); i++)
        json_array_append(page, json_array_get(items, i));
    json_decref(items);
    return envelope(page, (int64_t)total, offset, limit);
}

static int page_args(const web_request *req, web_response *res, long *offset, long *limit)
{
    return int_arg(req, res, "offset", 0, 0, 1000000000L, offset) ||
           int_arg(req, res, "limit", PAGE_LIMIT, 1, PAGE_MAX, limit) ? -1 : 0;
}

/* Collects the walk's objects into an array. */
typedef struct collect {
    json_t *items;
} collect;

static int add_item(collect *c, json_t *j)
{
    return j && json_array_append_new(c->items, j) == 0 ? 0 : KT_ERR_NOMEM;
}

static int on_source(void *ctx, const store_source *s, int64_t records, int64_t linked)
{
    return add_item(ctx, store_source_json(s, records, linked));
}
static int on_quantity(void *ctx, const history_quantity *q)
{
    return add_item(ctx, store_quantity_json(q));
}
static int on_figure(void *ctx, const history_figure *f)
{
    return add_item(ctx, store_figure_json(f));
}
static int on_event(void *ctx, const history_event *e)
{
    return add_item(ctx, store_event_json(e));
}
static int on_place(void *ctx, const history_place *p)
{
    return add_item(ctx, store_place_json(p));
}
static int on_document(void *ctx, const history_document *d)
{
    return add_item(ctx, store_document_json(d));
}

/* Answers with a walk's result: the page, or the error. */
static void answer_walk(web_response *res, int rc, kt_error *err, json_t *items,
                        long offset, long limit)
{
    if (rc != KT_OK) {
        json_decref(items);
        web_error(res, web_status_for(rc), "%s", err->message[0] ? err->message
                                                                  : "out of memory");
        return;
    }
    web_json(res, 200, page_of(items, offset, limit));
}

/* ---- search ---------------------------------------------------------- */

static void api_search(web_app *app, const web_request *req, web_response *res)
{
    const char *q = arg(req, "q");
    if (!q) {
        web_error(res, 400, "q is missing: what to search for, e.g. ?q=Smorawi%%C5%%84ski");
        return;
    }
    if (strlen(q) > 1000) {
        web_error(res, 400, "q is too long (at most 1000 bytes)");
        return;
    }
    long limit, born, tol;
    if (int_arg(req, res, "limit", SEARCH_LIMIT, 1, SEARCH_MAX, &limit) ||
        int_arg(req, res, "born", 0, 1800, 2000, &born) ||
        int_arg(req, res, "tolerance", 2, 0, 50, &tol))
        return;
    index_filter f = {.born = (int)born, .born_tolerance = (int)tol,
                      .camp = arg(req, "camp"), .fate = arg(req, "fate")};
    /* The answer depends on these arguments only (and on the index). */
    char key[1400];
    snprintf(key, sizeof key, "%s\x1f%ld\x1f%ld\x1f%ld\x1f%.150s\x1f%.150s", q, limit, born,
             tol, f.camp ? f.camp : "", f.fate ? f.fate : "");
    if (web_cache_get(app->search_cache, key, res))
        return;
    pthread_rwlock_rdlock(&app->ix_lock);
    json_t *top = index_search_json(app->ix, q, &f, (int)limit);
    if (!top) {
        pthread_rwlock_unlock(&app->ix_lock);
        web_error(res, 400, "the query could not be read");
        return;
    }
    web_json(res, 200, top);
    /* Kept under the index's lock: a write that swaps the index clears
     * the cache after every answer from the old one is in. */
    web_cache_put(app->search_cache, key, res);
    pthread_rwlock_unlock(&app->ix_lock);
}

/* ---- records and persons -------------------------------------------- */

/* The record's JSON, or NULL with *rc set. */
static json_t *record_json(store *st, int64_t id, int *rc, kt_error *err)
{
    store_record r;
    *rc = store_record_get(st, id, &r, err);
    return *rc == KT_OK ? store_record_json(&r) : NULL;
}

/* Runs `sql` (one int64 column of record ids, parameters bound by bind)
 * and appends each record's JSON to items. */
static int records_by_sql(store *st, const char *sql, const char *text, int64_t a,
                          int64_t b, json_t *items, kt_error *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        kt_error_set(err, "%s", sqlite3_errmsg(store_db(st)));
        return KT_ERR;
    }
    int k = 1;
    if (text)
        sqlite3_bind_text(s, k++, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, k++, a);
    sqlite3_bind_int64(s, k, b);
    int64_t ids[PAGE_MAX];
    int n = 0, rc;
    while (n < PAGE_MAX && (rc = sqlite3_step(s)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *j = record_json(st, ids[i], &rc, err);
        if (!j)
            return rc == KT_OK ? KT_ERR_NOMEM : rc;
        json_array_append_new(items, j);
    }
    return KT_OK;
}

static int64_t count_sql(store *st, const char *sql, const char *text)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (text)
        sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* The records whose list's own key is key (of one source when given):
 * the key people hold, which several records may share. */
static void records_by_key(store *st, const char *source, const char *key, long offset,
                           long limit, web_response *res)
{
    kt_error err;
    kt_error_clear(&err);
    size_t total;
    int64_t ids[PAGE_MAX];
    int rc = store_record_ids_by_key(st, source, key, (size_t)offset, ids, (size_t)limit,
                                     &total, &err);
    json_t *items = json_array();
    for (size_t i = 0; rc == KT_OK && (size_t)offset + i < total && i < (size_t)limit; i++) {
        json_t *j = record_json(st, ids[i], &rc, &err);
        if (!j) {
            if (rc == KT_OK)
                rc = KT_ERR_NOMEM;
            break;
        }
        json_array_append_new(items, j);
    }
    if (rc != KT_OK) {
        json_decref(items);
        web_error(res, web_status_for(rc), "%s", err.message[0] ? err.message : "out of memory");
        return;
    }
    web_json(res, 200, envelope(items, (int64_t)total, offset, limit));
}

static void api_records(store *st, const web_request *req, web_response *res)
{
    long offset, limit;
    if (page_args(req, res, &offset, &limit))
        return;
    const char *source = arg(req, "source"), *key = arg(req, "key");
    kt_error err;
    kt_error_clear(&err);
    store_source src;
    if (source && store_source_get(st, source, &src, &err) != KT_OK) {
        web_error(res, 404, "no source '%.100s' (see /api/sources)", source);
        return;
    }
    if (key) {
        records_by_key(st, source, key, offset, limit, res);
        return;
    }
    json_t *items = json_array();
    int rc = source
        ? records_by_sql(st, "SELECT r.id FROM record r JOIN source s ON s.id = r.source_id"
                         " WHERE s.key = ?1 ORDER BY r.id LIMIT ?2 OFFSET ?3",
                         source, limit, offset, items, &err)
        : records_by_sql(st, "SELECT id FROM record ORDER BY id LIMIT ?1 OFFSET ?2",
                         NULL, limit, offset, items, &err);
    int64_t total = source
        ? count_sql(st, "SELECT count(*) FROM record r JOIN source s ON s.id = r.source_id"
                    " WHERE s.key = ?1", source)
        : store_count(st, "record");
    if (rc != KT_OK) {
        json_decref(items);
        web_error(res, web_status_for(rc), "%s", err.message);
        return;
    }
    web_json(res, 200, envelope(items, total, offset, limit));
}

/* The source of a record, as an object (null when it cannot be read). */
static json_t *source_json_of(store *st, const char *key)
{
    collect c = {json_array()};
    kt_error err;
    kt_error_clear(&err);
    store_sources_each(st, on_source, &c, &err);
    json_t *found = json_null();
    size_t i;
    json_t *s;
    json_array_foreach(c.items, i, s) {
        const char *k = json_string_value(json_object_get(s, "key"));
        if (k && key && !strcmp(k, key)) {
            json_decref(found);
            found = json_incref(s);
        }
    }
    json_decref(c.items);
    return found;
}

static void api_record(store *st, const char *idtext, web_response *res)
{
    int64_t id = id_of(idtext);
    if (id < 0) {
        web_error(res, 400, "a record id is a whole number > 0, not '%.40s'", idtext);
        return;
    }
    kt_error err;
    kt_error_clear(&err);
    int rc;
    json_t *r = record_json(st, id, &rc, &err);
    if (!r) {
        web_error(res, web_status_for(rc), "no record %lld", (long long)id);
        return;
    }
    json_t *top = json_object();
    json_object_set_new(top, "record", r);
    json_object_set_new(top, "source", source_json_of(st, json_string_value(
                                                              json_object_get(r, "source"))));
    json_int_t pid = json_integer_value(json_object_get(r, "person_id"));
    json_t *person = pid ? store_person_json(st, pid, &err) : NULL;
    json_object_set_new(top, "person", person ? person : json_null());
    web_json(res, 200, top);
}

typedef struct person_page {
    long skip;
    json_t *ids;
} person_page;

static int on_person(void *ctx, const store_person *p)
{
    person_page *pg = ctx;
    if (pg->skip > 0) {
        pg->skip--;
        return 0;
    }
    return json_array_append_new(pg->ids, json_integer(p->id)) ? KT_ERR_NOMEM : 0;
}

/* A page of persons, each as store_person_json gives him (the shape of
 * `kartoteka persons --json`); ?source=KEY: those with a record in it. */
static void api_persons(store *st, const web_request *req, web_response *res)
{
    long offset, limit;
    if (page_args(req, res, &offset, &limit))
        return;
    const char *source = arg(req, "source");
    kt_error err;
    kt_error_clear(&err);
    person_page pg = {.skip = offset, .ids = json_array()};
    int rc = store_persons_each(st, source, offset + limit, on_person, &pg, &err);
    json_t *items = json_array();
    size_t i;
    json_t *id;
    json_array_foreach(pg.ids, i, id) {
        json_t *p = rc == KT_OK ? store_person_json(st, json_integer_value(id), &err) : NULL;
        if (!p && rc == KT_OK)
            rc = KT_ERR;
        if (p)
            json_array_append_new(items, p);
    }
    json_decref(pg.ids);
    if (rc != KT_OK) {
        json_decref(items);
        web_error(res, web_status_for(rc), "%s", err.message);
        return;
    }
    web_json(res, 200, envelope(items, store_persons_count(st, source), offset, limit));
}

static void api_person(store *st, const char *idtext, web_response *res)
{
    int64_t id = id_of(idtext);
    if (id < 0) {
        web_error(res, 400, "a person id is a whole number > 0, not '%.40s'", idtext);
        return;
    }
    kt_error err;
    kt_error_clear(&err);
    store_person p;
    int rc = store_person_get(st, id, &p, &err);
    json_t *j = rc == KT_OK ? store_person_json(st, id, &err) : NULL;
    if (!j)
        web_error(res, rc == KT_OK ? 500 : web_status_for(rc), "%s", rc == KT_ERR_NOTFOUND
                  ? "no such person" : err.message);
    else
        web_json(res, 200, j);
}

/* ---- what the registry counts --------------------------------------- */

typedef struct camp_walk {
    json_t *camps;
} camp_walk;

static int on_record_camp(void *ctx, const store_record *r)
{
    camp_walk *w = ctx;
    const char *key = r->camp ? names_camp_of(r->camp) : NULL;
    if (!key)
        return 0;
    json_t *c = json_object_get(w->camps, key);
    if (!c) {
        c = json_object();
        json_object_set_new(c, "records", json_integer(0));
        json_object_set_new(c, "sample", json_array());
        json_object_set_new(w->camps, key, c);
    }
    json_t *n = json_object_get(c, "records");
    json_integer_set(n, json_integer_value(n) + 1);
    json_t *sample = json_object_get(c, "sample");
    if (json_array_size(sample) < CAMP_SAMPLE)
        json_array_append_new(sample, json_integer(r->id));
    return 0;
}

/* {"kozelsk": {"records": N, "sample": [ids]}, ...}: a new reference, or
 * NULL. Counted once (a walk over every record) and kept until a write. */
static json_t *camp_counts(web_app *app, store *st)
{
    pthread_mutex_lock(&app->counts_lock);
    if (!app->camp_counts) {
        camp_walk w = {json_object()};
        kt_error err;
        kt_error_clear(&err);
        if (store_records_each(st, NULL, on_record_camp, &w, &err) == KT_OK)
            app->camp_counts = w.camps;
        else
            json_decref(w.camps);
    }
    json_t *c = json_incref(app->camp_counts);
    pthread_mutex_unlock(&app->counts_lock);
    return c;
}

/* The one camp (not a killing site) a quantity's key names, or NULL:
 * "camp_population_kozelsk" -> "kozelsk"; "katyn_victims_three_camps" -> NULL. */
static const char *quantity_camp(const char *quantity)
{
    const char *found = NULL;
    for (const char *p = quantity; *p;) {
        size_t n = strcspn(p, "_");
        int site = 0;
        const char *k = n ? names_camp_key(p, n, &site) : NULL;
        if (k && !site) {
            if (found && strcmp(found, k))
                return NULL;
            found = k;
        }
        p += n + (p[n] == '_');
    }
    return found;
}

static void api_figures(web_app *app, store *st, const char *quantity,
                        const web_request *req, web_response *res)
{
    kt_error err;
    kt_error_clear(&err);
    collect c = {json_array()};
    if (!quantity) {
        long offset, limit;
        if (page_args(req, res, &offset, &limit)) {
            json_decref(c.items);
            return;
        }
        int rc = history_quantities_each(st, on_quantity, &c, &err);
        answer_walk(res, rc, &err, c.items, offset, limit);
        return;
    }
    json_t *top = json_object();
    json_object_set_new(top, "quantity", json_string(quantity));
    int rc = history_quantity_get(st, quantity, store_quantity_titles, top, &err);
    if (rc == KT_OK)
        rc = history_figures_each(st, quantity, on_figure, &c, &err);
    if (rc != KT_OK) {
        json_decref(top);
        json_decref(c.items);
        web_error(res, web_status_for(rc), "%s", err.message);
        return;
    }
    /* Beside the claims, what the registry's own records hold. */
    json_t *reg = json_object();
    json_object_set_new(reg, "records", json_integer(store_count(st, "record")));
    json_object_set_new(reg, "persons", json_integer(store_count(st, "person")));
    const char *camp = quantity_camp(quantity);
    json_t *counts = camp ? camp_counts(app, st) : NULL;
    if (camp) {
        json_t *cc = json_object_get(counts, camp);
        json_object_set_new(reg, "camp", json_string(camp));
        json_object_set_new(reg, "camp_records",
                            json_integer(cc ? json_integer_value(json_object_get(cc, "records")) : 0));
    }
    json_decref(counts);
    json_object_set_new(top, "claims", c.items);
    json_object_set_new(top, "registry", reg);
    web_json(res, 200, top);
}

/* ---- places ---------------------------------------------------------- */

typedef struct place_find {
    const char *id;
    json_t *place;  /* the place, when found */
    json_t *events; /* events at it */
} place_find;

static int find_place(void *ctx, const history_place *p)
{
    place_find *f = ctx;
    if (!strcmp(p->id, f->id))
        f->place = store_place_json(p);
    return 0;
}

static int events_at(void *ctx, const history_event *e)
{
    place_find *f = ctx;
    size_t n = strlen(f->id);
    for (const char *p = e->place_ids; *p;) {
        size_t k = strcspn(p, ";");
        if (k == n && !strncmp(p, f->id, n))
            return add_item(&(collect){f->events}, store_event_json(e));
        p += k + (p[k] == ';');
    }
    return 0;
}

/* The camp or site key of a place, from any of its names. */
static const char *place_camp(json_t *place)
{
    static const char *const names[] = {"name_pl", "name_ru", "name_en", "id"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *s = json_string_value(json_object_get(place, names[i]));
        const char *k = s ? names_camp_of(s) : NULL;
        if (k)
            return k;
    }
    return NULL;
}

static void api_place(web_app *app, store *st, const char *id, web_response *res)
{
    kt_error err;
    kt_error_clear(&err);
    place_find f = {.id = id, .events = json_array()};
    int rc = history_places_each(st, NULL, find_place, &f, &err);
    if (rc == KT_OK && !f.place) {
        json_decref(f.events);
        web_error(res, 404, "no place '%.100s' (see /api/places)", id);
        return;
    }
    if (rc == KT_OK)
        rc = history_events_each(st, NULL, NULL, events_at, &f, &err);
    if (rc != KT_OK) {
        json_decref(f.place);
        json_decref(f.events);
        web_error(res, web_status_for(rc), "%s", err.message);
        return;
    }
    /* Records whose camp is this place (a camp), or, for a killing site,
     * whose camp sent its prisoners there. */
    json_t *records = json_array();
    int64_t nrecords = 0;
    const char *camp = place_camp(f.place);
    if (camp && names_site_camp(camp))
        camp = names_site_camp(camp);
    json_t *counts = camp ? camp_counts(app, st) : NULL;
    json_t *cc = json_object_get(counts, camp ? camp : "");
    if (cc) {
        nrecords = json_integer_value(json_object_get(cc, "records"));
        size_t i;
        json_t *idj;
        json_array_foreach(json_object_get(cc, "sample"), i, idj) {
            json_t *r = record_json(st, json_integer_value(idj), &rc, &err);
            if (r)
                json_array_append_new(records, r);
        }
    }
    json_decref(counts);
    json_t *top = json_object();
    json_object_set_new(top, "place", f.place);
    json_object_set_new(top, "camp", camp ? json_string(camp) : json_null());
    json_object_set_new(top, "events", f.events);
    json_object_set_new(top, "records_total", json_integer(nrecords));
    json_object_set_new(top, "records", records);
    web_json(res, 200, top);
}

/* ---- stats ----------------------------------------------------------- */

static void api_stats(web_app *app, store *st, web_response *res)
{
    static const char *const tables[] = {"source", "record", "person", "person_alias",
                                         "place", "event", "figure", "document"};
    json_t *top = json_object(), *counts = json_object();
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        json_object_set_new(counts, tables[i], json_integer(store_count(st, tables[i])));
    json_object_set_new(top, "counts", counts);
    pthread_rwlock_rdlock(&app->ix_lock);
    json_object_set_new(top, "index_records", json_integer((json_int_t)index_size(app->ix)));
    json_object_set_new(top, "index_aliases", json_integer((json_int_t)index_aliases(app->ix)));
    json_object_set_new(top, "index_bytes", json_integer((json_int_t)index_memory(app->ix)));
    pthread_rwlock_unlock(&app->ix_lock);
    json_object_set_new(top, "schema_version", json_integer(store_schema_version(st)));
    json_object_set_new(top, "writable", json_boolean(app->writer != NULL));
    web_json(res, 200, top);
}

/* ---- writes ---------------------------------------------------------- */

static void api_import(web_app *app, const web_request *req, web_response *res)
{
    const char *key = arg(req, "source");
    if (!key) {
        web_error(res, 400, "source is missing: the key of the new source, ?source=KEY");
        return;
    }
    store_import_options opt = {.source_key = key, .title = arg(req, "title"),
                                .encoding = arg(req, "encoding"),
                                .replace = arg(req, "replace") != NULL};
    store_import_result r;
    memset(&r, 0, sizeof r);
    kt_error err;
    kt_error_clear(&err);
    char file[160];
    snprintf(file, sizeof file, "%.100s (uploaded)", arg(req, "file") ? arg(req, "file") : key);
    pthread_mutex_lock(&app->write_lock);
    int rc = store_import_csv_data(app->writer, req->body ? req->body : "", req->body_len,
                                   file, &opt, &r, &err);
    if (rc == KT_OK)
        rc = web_app_refresh(app, &err);
    pthread_mutex_unlock(&app->write_lock);
    if (rc != KT_OK) {
        char msg[1400];
        web_error(res, web_status_for(rc), "%s", kt_error_format(&err, msg, sizeof msg));
        return;
    }
    json_t *top = json_object();
    json_object_set_new(top, "source", json_string(key));
    json_object_set_new(top, "source_id", json_integer(r.source_id));
    json_object_set_new(top, "records", json_integer(r.records));
    json_object_set_new(top, "with_year", json_integer(r.with_year));
    json_object_set_new(top, "checksum", json_string(r.checksum));
    json_object_set_new(top, "replaced", store_json_str(r.replaced));
    web_json(res, 201, top);
}

static void api_source_delete(web_app *app, const char *key, web_response *res)
{
    kt_error err;
    kt_error_clear(&err);
    store_source src;
    pthread_mutex_lock(&app->write_lock);
    int rc = store_source_get(app->writer, key, &src, &err);
    int64_t id = rc == KT_OK ? src.id : 0;
    if (rc == KT_OK && (rc = store_begin(app->writer, &err)) == KT_OK) {
        rc = store_source_delete(app->writer, id, &err);
        if (rc == KT_OK)
            rc = store_audit(app->writer, "source.delete", key, "web", &err);
        if (rc == KT_OK)
            rc = store_commit(app->writer, &err);
        else
            store_rollback(app->writer);
    }
    if (rc == KT_OK)
        rc = web_app_refresh(app, &err);
    pthread_mutex_unlock(&app->write_lock);
    if (rc != KT_OK) {
        web_error(res, web_status_for(rc), "%s", rc == KT_ERR_NOTFOUND
                  ? "no such source" : err.message);
        return;
    }
    json_t *top = json_object();
    json_object_set_new(top, "deleted", json_string(key));
    web_json(res, 200, top);
}

/* ---- routing --------------------------------------------------------- */

/* "/api/records/12" with prefix "/api/records" -> "12"; NULL when the path
 * is the prefix itself; "" when it does not match. */
static const char *sub(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n))
        return "";
    if (path[n] == '\0' || (path[n] == '/' && path[n + 1] == '\0'))
        return NULL;
    if (path[n] != '/' || strchr(path + n + 1, '/'))
        return "";
    return path + n + 1;
}

#define MATCH(prefix, var) ((var = sub(req->path, prefix)) == NULL || *var)

void web_api(web_app *app, const web_request *req, web_response *res)
{
    const char *m = req->method, *rest;
    int get = !strcmp(m, "GET") || !strcmp(m, "HEAD");
    /* Writes first: they need the write connection, not a reader. */
    if (!strcmp(req->path, "/api/import")) {
        if (!strcmp(m, "POST"))
            api_import(app, req, res);
        else
            web_error(res, 405, "/api/import takes POST (the CSV as the body)");
        return;
    }
    if (!strcmp(m, "DELETE") && (rest = sub(req->path, "/api/sources")) && *rest) {
        api_source_delete(app, rest, res);
        return;
    }
    if (!get) {
        web_error(res, 405, "%.300s takes GET", req->path);
        return;
    }
    kt_error err;
    kt_error_clear(&err);
    if (!strcmp(req->path, "/api/search")) { /* the index only */
        api_search(app, req, res);
        return;
    }
    store *st = web_store_get(app, &err);
    if (!st) {
        web_error(res, 500, "the database cannot be read: %s", err.message);
        return;
    }
    collect c = {json_array()};
    long offset = 0, limit = PAGE_MAX;
    if (MATCH("/api/records", rest)) {
        if (rest)
            api_record(st, rest, res);
        else
            api_records(st, req, res);
    } else if (MATCH("/api/persons", rest)) {
        if (rest)
            api_person(st, rest, res);
        else
            api_persons(st, req, res);
    } else if (MATCH("/api/sources", rest)) {
        if (rest) {
            json_t *s = source_json_of(st, rest);
            if (json_is_null(s))
                web_error(res, 404, "no source '%.100s'", rest);
            else
                web_json(res, 200, json_incref(s));
            json_decref(s);
        } else if (!page_args(req, res, &offset, &limit)) {
            answer_walk(res, store_sources_each(st, on_source, &c, &err), &err,
                        json_incref(c.items), offset, limit);
        }
    } else if (MATCH("/api/figures", rest)) {
        api_figures(app, st, rest, req, res);
    } else if (!strcmp(req->path, "/api/events")) {
        const char *from = arg(req, "from"), *to = arg(req, "to");
        if ((from && !history_date_valid(from)) || (to && !history_date_valid(to)))
            web_error(res, 400, "from and to want YYYY, YYYY-MM or YYYY-MM-DD");
        else if (!page_args(req, res, &offset, &limit))
            answer_walk(res, history_events_each(st, from, to, on_event, &c, &err), &err,
                        json_incref(c.items), offset, limit);
    } else if (MATCH("/api/places", rest)) {
        const char *kind = arg(req, "kind");
        const char *const *k = history_place_kinds();
        while (kind && *k && strcmp(*k, kind))
            k++;
        if (rest)
            api_place(app, st, rest, res);
        else if (kind && !*k)
            web_error(res, 400, "no place kind '%.60s'", kind);
        else if (!page_args(req, res, &offset, &limit))
            answer_walk(res, history_places_each(st, kind, on_place, &c, &err), &err,
                        json_incref(c.items), offset, limit);
    } else if (!strcmp(req->path, "/api/documents")) {
        if (!page_args(req, res, &offset, &limit))
            answer_walk(res, history_documents_each(st, on_document, &c, &err), &err,
                        json_incref(c.items), offset, limit);
    } else if (!strcmp(req->path, "/api/stats")) {
        api_stats(app, st, res);
    } else {
        web_error(res, 404, "no such API resource: %.300s (see /api/stats, /api/search?q=)",
                  req->path);
    }
    json_decref(c.items);
    web_store_put(app, st);
}
