/*
 * record_alias.c — a record's other names (store/record_alias.h).
 */
#include "store/record_alias.h"

#include <string.h>

#include "names/othernames.h"

int store_record_alias_add(store *st, store_record_alias *a, kt_error *err)
{
    if (!a->name || !*a->name) {
        kt_error_set(err, "another name of a record cannot be empty");
        return KT_ERR_INPUT;
    }
    int known = 0;
    for (int k = 0; k < NAMES_OTHER_NKINDS && !known; k++)
        known = a->kind && !strcmp(a->kind, names_other_kinds[k]);
    if (!known) {
        kt_error_set(err, "'%s' is not a kind of other name", a->kind ? a->kind : "(none)");
        return KT_ERR_INPUT;
    }
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO record_alias(record_id, name, kind)"
                                    " VALUES (?1, ?2, ?3)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, a->record_id);
        sqlite3_bind_text(s, 2, a->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, a->kind, -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        kt_error_set(err, "adding another name of record %lld: %s", (long long)a->record_id,
                     sqlite3_errmsg(db));
        return KT_ERR;
    }
    a->id = sqlite3_last_insert_rowid(db);
    return KT_OK;
}

int store_record_aliases_each(store *st, int64_t record_id, store_record_alias_fn cb,
                              void *ctx, kt_error *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    const char *sql = record_id > 0
        ? "SELECT id, record_id, name, kind FROM record_alias WHERE record_id = ?1 ORDER BY id"
        : "SELECT id, record_id, name, kind FROM record_alias ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        kt_error_set(err, "reading records' other names: %s", sqlite3_errmsg(db));
        return KT_ERR;
    }
    if (record_id > 0)
        sqlite3_bind_int64(s, 1, record_id);
    int rc = KT_OK, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        store_record_alias a = {
            .id = sqlite3_column_int64(s, 0),
            .record_id = sqlite3_column_int64(s, 1),
            .name = (const char *)sqlite3_column_text(s, 2),
            .kind = (const char *)sqlite3_column_text(s, 3),
        };
        if ((rc = cb(ctx, &a)) != 0)
            break;
    }
    if (rc == KT_OK && step != SQLITE_DONE) {
        kt_error_set(err, "reading records' other names: %s", sqlite3_errmsg(db));
        rc = KT_ERR;
    }
    sqlite3_finalize(s);
    return rc;
}
