/*
 * history_query.c — reads the bundled history back for listings: places,
 * events in a date window, figures by quantity, documents.
 *
 * Guarantees: text fields handed to callbacks are never NULL ("" when
 * unknown); orders are stable (ties broken by id) so listings and tests
 * are reproducible.
 */
#include "store/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/history_tsv.h"
#include "util/embedded.h"

static const char *txt(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

static int query_error(store *st, kt_error *err, const char *what)
{
    kt_error_set(err, "%s: %s", what, sqlite3_errmsg(store_db(st)));
    return KT_ERR;
}

/* The caller's callback, whichever of the typed ones it is. */
typedef struct env {
    union {
        history_place_fn place;
        history_event_fn event;
        history_quantity_fn quantity;
        history_figure_fn figure;
        history_document_fn document;
    } cb;
    void *ctx;
} env;

/* Steps s to the end, calling row(s) for each row; stops on a non-zero
 * return. Finalizes s. */
typedef int (*row_fn)(sqlite3_stmt *s, const env *e);

static int walk(store *st, sqlite3_stmt *s, row_fn row, const env *e,
                const char *what, kt_error *err)
{
    int rc, ret = KT_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = row(s, e)) != 0)
            break;
    if (ret == KT_OK && rc != SQLITE_DONE)
        ret = query_error(st, err, what);
    sqlite3_finalize(s);
    return ret;
}

/* ---- places ----------------------------------------------------------- */

static int place_row(sqlite3_stmt *s, const env *e)
{
    history_place p = {
        .id = txt(s, 0), .name_en = txt(s, 1), .name_pl = txt(s, 2),
        .name_ru = txt(s, 3), .kind = txt(s, 4),
        .has_coords = sqlite3_column_type(s, 5) != SQLITE_NULL &&
                      sqlite3_column_type(s, 6) != SQLITE_NULL,
        .latitude = sqlite3_column_double(s, 5),
        .longitude = sqlite3_column_double(s, 6),
        .coord_note = txt(s, 7), .opened = txt(s, 8), .closed = txt(s, 9),
        .description = txt(s, 10), .source_urls = txt(s, 11),
    };
    return e->cb.place(e->ctx, &p);
}

int history_places_each(store *st, const char *kind, history_place_fn cb, void *ctx,
                        kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT id, name_en, name_pl, name_ru, kind, latitude, longitude,"
            " coord_note, opened, closed, description, source_urls FROM place"
            " WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, name_en, id",
            -1, &s, NULL) != SQLITE_OK)
        return query_error(st, err, "reading places");
    if (kind)
        sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    env e = {.cb.place = cb, .ctx = ctx};
    return walk(st, s, place_row, &e, "reading places", err);
}

/* ---- events ----------------------------------------------------------- */

static int event_row(sqlite3_stmt *s, const env *e)
{
    history_event ev = {
        .id = txt(s, 0), .date_start = txt(s, 1), .date_end = txt(s, 2),
        .title = txt(s, 3), .place_ids = txt(s, 4), .description = txt(s, 5),
        .source_urls = txt(s, 6),
    };
    return e->cb.event(e->ctx, &ev);
}

int history_events_each(store *st, const char *from, const char *to,
                        history_event_fn cb, void *ctx, kt_error *err)
{
    /* Dates of different precision are compared on their common prefix:
     * an event dated "1940" overlaps a window starting "1940-04". */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT e.id, e.date_start, e.date_end, e.title,"
            " (SELECT group_concat(place_id, ';') FROM (SELECT place_id FROM"
            "  event_place WHERE event_id = e.id ORDER BY position)),"
            " e.description, e.source_urls FROM event e"
            " WHERE (?1 IS NULL OR"
            "  substr(coalesce(e.date_end, e.date_start), 1, length(?1)) >="
            "  substr(?1, 1, length(coalesce(e.date_end, e.date_start))))"
            " AND (?2 IS NULL OR"
            "  substr(e.date_start, 1, length(?2)) <= substr(?2, 1, length(e.date_start)))"
            " ORDER BY e.date_start, e.id", -1, &s, NULL) != SQLITE_OK)
        return query_error(st, err, "reading events");
    if (from)
        sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
    if (to)
        sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
    env e = {.cb.event = cb, .ctx = ctx};
    return walk(st, s, event_row, &e, "reading events", err);
}

/* ---- figures ---------------------------------------------------------- */

/* A file migrated from a version before the titles has none until the
 * history is loaded again (kartoteka init makes a new file, and a user's
 * own lists are in the old one): its quantities take the titles compiled
 * into this binary, found by key, so that the pages show words rather than
 * keys. t must be freed (htsv_free) after the titles are used. */
static void bundled_titles(const char *quantity, history_quantity *q, htsv *t)
{
    const kt_blob *b = kt_embedded("data/history/quantities.tsv");
    htsv_init(t, b ? b->data : "", b ? b->len : 0);
    while (htsv_next(t) == 1)
        if (t->n == 3 && !strcmp(t->field[0], quantity)) {
            q->title_en = t->field[1];
            q->title_pl = t->field[2];
            return;
        }
}

static int quantity_row(sqlite3_stmt *s, const env *e)
{
    history_quantity q = {
        .quantity = txt(s, 0), .claims = sqlite3_column_int(s, 1),
        .min = sqlite3_column_int64(s, 2), .max = sqlite3_column_int64(s, 3),
        .title_en = txt(s, 4), .title_pl = txt(s, 5),
    };
    if (*q.title_en)
        return e->cb.quantity(e->ctx, &q);
    htsv t;
    bundled_titles(q.quantity, &q, &t);
    int rc = e->cb.quantity(e->ctx, &q);
    htsv_free(&t);
    return rc;
}

/* The quantities with their claims' count and range and their titles;
 * one (?1) or all (?1 NULL). */
static int quantities_walk(store *st, const char *quantity, history_quantity_fn cb,
                           void *ctx, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT f.quantity, count(*), min(coalesce(f.value_low, f.value_high)),"
            " max(coalesce(f.value_high, f.value_low)), q.title_en, q.title_pl"
            " FROM figure f LEFT JOIN quantity q ON q.quantity = f.quantity"
            " WHERE ?1 IS NULL OR f.quantity = ?1"
            " GROUP BY f.quantity ORDER BY f.quantity", -1, &s, NULL) != SQLITE_OK)
        return query_error(st, err, "reading figures");
    if (quantity)
        sqlite3_bind_text(s, 1, quantity, -1, SQLITE_STATIC);
    env e = {.cb.quantity = cb, .ctx = ctx};
    return walk(st, s, quantity_row, &e, "reading figures", err);
}

int history_quantities_each(store *st, history_quantity_fn cb, void *ctx,
                            kt_error *err)
{
    return quantities_walk(st, NULL, cb, ctx, err);
}

static int figure_row(sqlite3_stmt *s, const env *e)
{
    history_figure f = {
        .id = txt(s, 0), .quantity = txt(s, 1),
        .has_low = sqlite3_column_type(s, 2) != SQLITE_NULL,
        .has_high = sqlite3_column_type(s, 3) != SQLITE_NULL,
        .value_low = sqlite3_column_int64(s, 2), .value_high = sqlite3_column_int64(s, 3),
        .as_of = txt(s, 4), .claimant = txt(s, 5), .basis = txt(s, 6),
        .note = txt(s, 7), .source_urls = txt(s, 8),
    };
    return e->cb.figure(e->ctx, &f);
}

/* KT_ERR_NOTFOUND for a quantity no claim counts, naming similar keys. */
static int no_such_quantity(store *st, const char *quantity, kt_error *err)
{
    char similar[5][96];
    int k = history_quantities_similar(st, quantity, similar, 5);
    char list[600] = "";
    size_t len = 0;
    for (int i = 0; i < k; i++)
        len += snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", similar[i]);
    if (k)
        kt_error_set(err, "no figures for '%s'; similar: %s", quantity, list);
    else
        kt_error_set(err, "no figures for '%s' (list them with 'kartoteka figures')",
                     quantity);
    return KT_ERR_NOTFOUND;
}

/* Counts the rows handed on to the caller's callback. */
typedef struct counted {
    history_quantity_fn cb;
    void *ctx;
    int n;
} counted;

static int count_quantity(void *ctx, const history_quantity *q)
{
    counted *c = ctx;
    c->n++;
    return c->cb(c->ctx, q);
}

int history_quantity_get(store *st, const char *quantity, history_quantity_fn cb,
                         void *ctx, kt_error *err)
{
    counted c = {cb, ctx, 0};
    int rc = quantities_walk(st, quantity, count_quantity, &c, err);
    return rc == KT_OK && c.n == 0 ? no_such_quantity(st, quantity, err) : rc;
}

int history_figures_each(store *st, const char *quantity, history_figure_fn cb,
                         void *ctx, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT count(*) FROM figure WHERE quantity = ?1", -1, &s, NULL) != SQLITE_OK)
        return query_error(st, err, "reading figures");
    sqlite3_bind_text(s, 1, quantity, -1, SQLITE_STATIC);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    if (n == 0)
        return no_such_quantity(st, quantity, err);
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT id, quantity, value_low, value_high, as_of, claimant, basis, note,"
            " source_urls FROM figure WHERE quantity = ?1"
            " ORDER BY coalesce(value_low, value_high), coalesce(value_high, value_low),"
            " id", -1, &s, NULL) != SQLITE_OK)
        return query_error(st, err, "reading figures");
    sqlite3_bind_text(s, 1, quantity, -1, SQLITE_STATIC);
    env e = {.cb.figure = cb, .ctx = ctx};
    return walk(st, s, figure_row, &e, "reading figures", err);
}

/* Words of a key: the parts between '_' (keys are ASCII snake_case). */
static int shares_word(const char *a, const char *b)
{
    int shared = 0;
    const char *p = a;
    while (*p) {
        size_t n = strcspn(p, "_");
        if (n >= 3) {
            const char *q = b;
            while (*q) {
                size_t m = strcspn(q, "_");
                if (m == n && !strncmp(p, q, n)) {
                    shared++;
                    break;
                }
                q += m + (q[m] == '_');
            }
        }
        p += n + (p[n] == '_');
    }
    return shared;
}

int history_quantities_similar(store *st, const char *quantity, char out[][96],
                               int max)
{
    sqlite3_stmt *s = NULL;
    if (max <= 0 || sqlite3_prepare_v2(store_db(st),
            "SELECT DISTINCT quantity FROM figure ORDER BY quantity", -1, &s,
            NULL) != SQLITE_OK)
        return 0;
    /* Insertion into out[] kept sorted by score, best first; equal scores
     * keep key order. */
    int scores[max];
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *q = txt(s, 0);
        int score = 2 * shares_word(quantity, q);
        if (*quantity && (strstr(q, quantity) || strstr(quantity, q)))
            score += 3;
        if (score == 0)
            continue;
        int at = n;
        while (at > 0 && scores[at - 1] < score)
            at--;
        if (at == max)
            continue;
        for (int i = (n < max ? n : max - 1); i > at; i--) {
            memcpy(out[i], out[i - 1], sizeof out[0]);
            scores[i] = scores[i - 1];
        }
        snprintf(out[at], sizeof out[0], "%s", q);
        scores[at] = score;
        if (n < max)
            n++;
    }
    sqlite3_finalize(s);
    return n;
}

/* ---- documents -------------------------------------------------------- */

static int document_row(sqlite3_stmt *s, const env *e)
{
    history_document d = {
        .id = txt(s, 0), .date = txt(s, 1), .title = txt(s, 2), .author = txt(s, 3),
        .signatories = txt(s, 4), .archive_or_publication = txt(s, 5),
        .summary = txt(s, 6), .source_urls = txt(s, 7),
    };
    return e->cb.document(e->ctx, &d);
}

int history_documents_each(store *st, history_document_fn cb, void *ctx,
                           kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
            "SELECT id, date, title, author, signatories, archive_or_publication,"
            " summary, source_urls FROM document ORDER BY date, id", -1, &s,
            NULL) != SQLITE_OK)
        return query_error(st, err, "reading documents");
    env e = {.cb.document = cb, .ctx = ctx};
    return walk(st, s, document_row, &e, "reading documents", err);
}
