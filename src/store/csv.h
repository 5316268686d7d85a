/*
 * csv.h — an RFC 4180 CSV reader over a UTF-8 buffer in memory.
 *
 * Reads: fields separated by commas (or semicolons or tabs: see
 * store_csv_open_with); fields in double quotes may hold commas,
 * line breaks and "" (one quote); rows end in CRLF or LF; a UTF-8 byte order
 * mark at the start is skipped; the last row may lack its line break; empty
 * lines between rows are skipped. The first row is the header: it must not be
 * empty and its names must differ (compared without case).
 *
 * Refuses, naming the line: a quoted field that never closes (the line where
 * it opened — also when a later quote seems to close it but is followed by
 * text, the mark of a missing closing quote), a quote inside an unquoted
 * field, text after a closing quote, a row with more or fewer fields than the
 * header.
 *
 * Each row also gives its raw text — the bytes as they stand in the buffer,
 * without the line terminator — and the line it starts on.
 */
#ifndef KT_STORE_CSV_H
#define KT_STORE_CSV_H

#include <stddef.h>

#include "util/error.h"

typedef struct store_csv store_csv;

typedef struct store_csv_row {
    size_t nfields;        /* always the header's field count */
    const char *const *fields; /* NUL-terminated, unquoted field texts */
    const char *raw;       /* the row as written, NOT NUL-terminated */
    size_t raw_len;
    long line;             /* 1-based line where the row starts */
} store_csv_row;

/* Starts reading `data` (len bytes, UTF-8, kept by the caller until
 * store_csv_close) and reads the header row. `file` names the input in
 * errors. Errors: KT_ERR_INPUT (empty file, bad header), KT_ERR_NOMEM. */
int store_csv_open(const char *data, size_t len, const char *file, store_csv **out,
                   kt_error *err);
/* The same with a separator: ',', ';' or '\t', or 0 to tell it from the
 * file: one that the header line and the first row use equally often
 * (outside quotes), the most used of those; else the one the header uses
 * most; a comma when the header has none. */
int store_csv_open_with(const char *data, size_t len, const char *file, char delim,
                        store_csv **out, kt_error *err);
void store_csv_close(store_csv *csv);
/* The separator in use. */
char store_csv_delimiter(const store_csv *csv);

/* The header: field count and names (valid until store_csv_close). */
size_t store_csv_columns(const store_csv *csv);
const char *store_csv_column(const store_csv *csv, size_t i);

/* Reads the next row into *row (valid until the next call). Returns 1 for a
 * row, 0 at the end, or a KT_ERR_* code with err naming file and line. */
int store_csv_next(store_csv *csv, store_csv_row *row, kt_error *err);

#endif
