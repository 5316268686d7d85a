/*
 * listing.h — what the listing commands (sources, records, figures, events,
 * places, documents, stats, init) share: opening the database with a
 * printed error, aligned text tables that measure UTF-8 by display width,
 * number formatting, and JSON output.
 */
#ifndef KT_CLI_LISTING_H
#define KT_CLI_LISTING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

/* Opens an existing database; on failure prints why and sets *exit_code. */
store *listing_open(const char *path, int *exit_code);

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

/* " | "-separated URLs as a JSON array of strings (new reference). */
json_t *listing_json_urls(const char *urls);
/* A string, or null when s is NULL or "" (new reference). */
json_t *listing_json_str(const char *s);
/* Prints v (indented, UTF-8 kept) and a newline to stdout and releases it.
 * Returns 0, or -1 when v is NULL or writing failed. */
int listing_json_print(json_t *v);

#endif
