/*
 * json.h — the store's objects as JSON (jansson), one shape for every
 * reader: the CLI's --json and the web API give the same fields under the
 * same names, so a tool written against one reads the other.
 *
 * Every builder returns a new reference (NULL only when out of memory).
 * Text that is not valid UTF-8 (it cannot be, after import, but a damaged
 * file could hold it) becomes null rather than failing the whole object.
 */
#ifndef KT_STORE_JSON_H
#define KT_STORE_JSON_H

#include <jansson.h>

#include "store/history.h"
#include "store/persons.h"
#include "store/store.h"

/* A string, or null when s is NULL or "". */
json_t *store_json_str(const char *s);
/* " | "-separated URLs as an array of strings ([] for NULL). */
json_t *store_json_urls(const char *urls);
/* One record: id, source, record_key, person_id, every parsed field, the
 * URLs where its row can be seen, the raw row and its line. */
json_t *store_record_json(const store_record *r);
/* A record's link to its person: method, weight, by, why, created_at. */
json_t *store_link_json(const store_link *l);
/* One person as every reader shows him: id, label, created_at, his records
 * (each the record's object with its "link"), his aliases, and the sources
 * his records come from. NULL with err set when there is no such person or
 * the store fails. */
json_t *store_person_json(store *st, int64_t person_id, kt_error *err);

/* One source with its number of records and of those linked to a person. */
json_t *store_source_json(const store_source *s, int64_t records, int64_t linked);

/* The bundled history, one object per row (source URLs as arrays). A
 * quantity has its key, its titles ("title" in English, "title_pl" in
 * Polish; null when the store has none), its number of claims and their
 * lowest and highest value. */
json_t *store_quantity_json(const history_quantity *q);
/* A history_quantity_fn (history_quantity_get): sets "title" and
 * "title_pl" of q on the JSON object `object`; returns 0. */
int store_quantity_titles(void *object, const history_quantity *q);
json_t *store_figure_json(const history_figure *f);
json_t *store_event_json(const history_event *e);   /* place ids as an array */
json_t *store_place_json(const history_place *p);   /* null coordinates when unknown */
json_t *store_document_json(const history_document *d);

/* A figure's value as people read it: "190,584", "230,000–450,000",
 * "up to 125,000", "more than 254,500". Returns buf. */
const char *store_figure_value_text(const history_figure *f, char *buf, size_t cap);

#endif
