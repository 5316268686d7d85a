/*
 * history.h — the bundled history (places, events, figures, documents) and
 * the bundled real persons, loaded from the data files compiled into the
 * binary, and read back for listings (CLI, web).
 *
 * Loading replaces the previous bundled copy: the history tables are
 * emptied and refilled, the bundled person sources are deleted and
 * re-imported. Data imported by users is not touched. Every loader runs in
 * one transaction: on error nothing changes.
 *
 * Where a row cites its sources, source_urls is the list of URLs separated
 * by " | " (the data files' convention); history_url_next splits it.
 */
#ifndef KT_HISTORY_H
#define KT_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Source keys of the bundled persons. */
#define HISTORY_PERSONS_PL "prisoners_pl"
#define HISTORY_PERSONS_RU "prisoners_ru"

typedef struct history_counts {
    int places, events, event_places, figures, quantities, documents;
    int persons, person_records;
} history_counts;

/* Loads everything bundled: data/history/{places,events,figures,quantities,
 * documents}.tsv and data/names/dev_persons.tsv. counts may be NULL. */
int history_load(store *st, history_counts *counts, kt_error *err);

/* Loads one history table from TSV text. `path` names the file in errors
 * and chooses the table by its base name (places.tsv, events.tsv,
 * figures.tsv, quantities.tsv, documents.tsv); the table's previous rows
 * are replaced. Returns rows loaded (>= 0) or a KT_ERR_* code. Places must
 * be loaded before events (events refer to them), figures before
 * quantities (a title must be for a quantity the figures count, and every
 * quantity they count must have one). */
int history_load_tsv(store *st, const char *path, const char *data, size_t len,
                     kt_error *err);

/* Loads the persons TSV (dev_persons.tsv layout): for each row, one record
 * in Polish spelling (source HISTORY_PERSONS_PL), one in Russian spelling
 * (HISTORY_PERSONS_RU), both linked to one new person ("bundled").
 * Returns persons loaded (>= 0) or a KT_ERR_* code. */
int history_load_persons(store *st, const char *path, const char *data, size_t len,
                         kt_error *err);

/* Splits a " | "-separated URL list: copies the next URL into buf and
 * advances *p; returns 0 when there is none left. */
int history_url_next(const char **p, char *buf, size_t cap);

/* ---- reading back --------------------------------------------------- */

typedef struct history_place {
    const char *id, *name_en, *name_pl, *name_ru, *kind;
    int has_coords;
    double latitude, longitude;
    const char *coord_note, *opened, *closed, *description, *source_urls;
} history_place;

typedef struct history_event {
    const char *id, *date_start, *date_end, *title;
    const char *place_ids; /* ";"-separated, "" when none */
    const char *description, *source_urls;
} history_event;

typedef struct history_figure {
    const char *id, *quantity;
    int has_low, has_high; /* no low: "up to high"; no high: "more than low" */
    int64_t value_low, value_high;
    const char *as_of, *claimant, *basis, *note, *source_urls;
} history_figure;

typedef struct history_quantity {
    const char *quantity;
    /* What it counts, in words (quantities.tsv). A file migrated from
     * before the titles, whose history has not been loaded since, takes
     * the titles compiled into the program; "" when neither has one. */
    const char *title_en, *title_pl;
    int claims;
    int64_t min, max; /* over all stated bounds */
} history_quantity;

typedef struct history_document {
    const char *id, *date, *title, *author, *signatories;
    const char *archive_or_publication, *summary, *source_urls;
} history_document;

/* Walks, in a stable order, calling cb for each row; strings are valid
 * during the call only; a non-zero return from cb stops the walk and is
 * returned. Text fields that are unknown are "" (never NULL). */
typedef int (*history_place_fn)(void *ctx, const history_place *p);
typedef int (*history_event_fn)(void *ctx, const history_event *e);
typedef int (*history_figure_fn)(void *ctx, const history_figure *f);
typedef int (*history_quantity_fn)(void *ctx, const history_quantity *q);
typedef int (*history_document_fn)(void *ctx, const history_document *d);

/* kind NULL = all kinds; ordered by kind, then English name. */
int history_places_each(store *st, const char *kind, history_place_fn cb, void *ctx,
                        kt_error *err);
/* Events overlapping [from, to] (either may be NULL); dates are ISO with
 * reduced precision allowed ("1940", "1940-04"), compared at the coarser
 * of the two precisions. Ordered by date. */
int history_events_each(store *st, const char *from, const char *to,
                        history_event_fn cb, void *ctx, kt_error *err);
/* Ordered by quantity key. */
int history_quantities_each(store *st, history_quantity_fn cb, void *ctx,
                            kt_error *err);
/* One quantity, as history_quantities_each gives it: cb is called once;
 * KT_ERR_NOTFOUND (similar keys named in err) when no claim counts it. */
int history_quantity_get(store *st, const char *quantity, history_quantity_fn cb,
                         void *ctx, kt_error *err);
/* The claims about one quantity, lowest first; KT_ERR_NOTFOUND (with the
 * similar keys named in err) when there is none. */
int history_figures_each(store *st, const char *quantity, history_figure_fn cb,
                         void *ctx, kt_error *err);
/* Up to max quantity keys that resemble `quantity` (substring either way,
 * or sharing a word), best first; returns how many were written. */
int history_quantities_similar(store *st, const char *quantity, char out[][96],
                               int max);
/* Ordered by date. */
int history_documents_each(store *st, history_document_fn cb, void *ctx,
                           kt_error *err);

/* The kinds a place may have (data/history/README.md), NULL-terminated. */
const char *const *history_place_kinds(void);

/* 1 when s is an ISO date of reduced precision: YYYY, YYYY-MM or YYYY-MM-DD. */
int history_date_valid(const char *s);

#endif
