/*
 * record_alias.h — the other names a record's own source gives it, in
 * brackets inside the name ("Лещиньский (Ленский) Юлиан Марьянович"): the
 * record_alias table (schema step 4). Unlike a person's aliases they are
 * the source's word about this record, and go with the record.
 */
#ifndef KT_STORE_RECORD_ALIAS_H
#define KT_STORE_RECORD_ALIAS_H

#include <stdint.h>

#include "store/store.h"

typedef struct store_record_alias {
    int64_t id;
    int64_t record_id;
    const char *name; /* as written, without the brackets */
    const char *kind; /* one of names_other_kinds (names/othernames.h) */
} store_record_alias;

/* Adds one (id filled in). KT_ERR_INPUT for an empty name or an unknown
 * kind; KT_ERR for a database failure (a record that does not exist). */
int store_record_alias_add(store *st, store_record_alias *a, kt_error *err);

/* Calls cb for each other name of one record (record_id > 0) or of all, in
 * id order. Strings valid during the call only; a non-zero return from cb
 * stops the walk and is returned. */
typedef int (*store_record_alias_fn)(void *ctx, const store_record_alias *a);
int store_record_aliases_each(store *st, int64_t record_id, store_record_alias_fn cb,
                              void *ctx, kt_error *err);

#endif
