/*
 * export.h — writing a source's records (or all records) out as a list
 * again: CSV that `import` reads back into an equal list (the same fields,
 * the same other names), or JSON (store/json.h's record shape).
 */
#ifndef KT_STORE_EXPORT_H
#define KT_STORE_EXPORT_H

#include <stdio.h>

#include "store/store.h"

enum { STORE_EXPORT_CSV, STORE_EXPORT_JSON };

/* Writes the records of source_key (NULL: all) to out in id order. CSV:
 * a header of the import's field names (store/import.h), one row per
 * record, RFC 4180 quoting, CRLF line ends. JSON: an array of record
 * objects. *count is the records written. KT_ERR_NOTFOUND for an unknown
 * source; KT_ERR for a write or database failure. */
/* One CSV field as the exports write it: quoted when it holds a comma, a
 * semicolon, a quote or a line break. */
void store_export_field(FILE *out, const char *s);

int store_export_records(store *st, const char *source_key, int format, FILE *out,
                         long *count, kt_error *err);

#endif
