/*
 * listing.h — what the listing commands (sources, records, figures, events,
 * places, documents, stats) share: aligned text tables that measure UTF-8
 * by display width, number formatting, JSON output, and the walk from the
 * store to a table, a JSON array or long text (listing_out).
 */
#ifndef KT_CLI_LISTING_H
#define KT_CLI_LISTING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/json.h" /* store_json_str, store_json_urls */
#include "store/store.h"

/* Display columns taken by UTF-8 text (combining marks 0, CJK 2). */
size_t listing_width(const char *s);

/* "190584" -> "190,584". buf of at least 32 bytes. */
const char *listing_number(int64_t n, char *buf, size_t cap);

/* Prints text word-wrapped to `width` columns, every line indented by
 * `indent` spaces (the first one too), ending with a newline. */
void listing_wrap(FILE *out, const char *text, int indent, size_t width);

typedef struct listing_table listing_table;

/* A table with ncols columns and these headers (copied). */
listing_table *listing_table_new(int ncols, const char *const *headers);
/* Cells wider than max are cut with "…" (0 = no limit). */
void listing_table_max(listing_table *t, int col, size_t max);
/* Right-align a column (numbers). */
void listing_table_right(listing_table *t, int col);
/* Appends a row of ncols cells (copied; NULL = ""). 0 or -1 on no memory. */
int listing_table_add(listing_table *t, const char *const *cells);
size_t listing_table_rows(const listing_table *t);
/* Prints the header, a rule and the rows, each line indented by indent
 * spaces, columns two spaces apart; the last column is not padded. */
void listing_table_print(const listing_table *t, FILE *out, int indent);
void listing_table_free(listing_table *t);

/* Prints v (indented, UTF-8 kept) and a newline to stdout and releases it.
 * Returns 0, or -1 when v is NULL or writing failed. */
int listing_json_print(json_t *v);

/* Prints each URL of a " | "-separated list on a line of its own, indented
 * by four spaces (under an entry of long text). */
void listing_urls(const char *urls);

/* One listing on its way out: the store's walk hands each item to the
 * command's callback, which adds it as a JSON object (--json), a table row
 * (the default) or prints it as long text (--long). */
typedef struct listing_out {
    int json, longform;   /* as asked */
    json_t *json_items;   /* --json: the array; NULL otherwise */
    listing_table *table; /* default: the rows; NULL with --json or --long */
    int n;                /* items seen, for the callback to count */
} listing_out;

/* Sets o up: a JSON array with json, nothing with longform, else a table of
 * ncols columns under these headers. A failed allocation shows later, as
 * "out of memory" from the first item added. */
void listing_out_start(listing_out *o, int json, int longform, int ncols,
                       const char *const *headers);
/* Adds j to the JSON array / a row to the table; 0 or KT_ERR_NOMEM, the
 * value for the walk's callback to return. */
int listing_out_json(listing_out *o, json_t *j);
int listing_out_row(listing_out *o, const char *const *cells);
/* After the walk, which returned rc: on failure prints err and returns its
 * exit code; with --json prints the array (o->json_items, which the caller
 * may have wrapped in an object) and returns CLI_EXIT_OK or CLI_EXIT_ERROR;
 * both release o. Otherwise returns CLI_CONTINUE: the text is the caller's
 * to print, and listing_out_free() its to call. */
int listing_out_end(listing_out *o, int rc, kt_error *err);
/* listing_out_end(), then for text: `none` when there were no items, else
 * the table (if any) followed by "\n<n> <footer>\n" when footer is not NULL.
 * Releases o; returns the exit code. */
int listing_out_finish(listing_out *o, int rc, kt_error *err, const char *none,
                       const char *footer);
void listing_out_free(listing_out *o);

#endif
