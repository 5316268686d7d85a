/*
 * snapshot_check.c — the index snapshot against the store, as a check of
 * `kartoteka check` (a store_check_hook, store/maintenance.h).
 *
 * A snapshot is trusted when its label matches the store's state (the
 * last ids and counts index_store_state reads), so a change that keeps
 * those — a row edited behind the store's back, a restore to a state with
 * the same numbers, a damaged file whose header survived — would be
 * searched with the wrong index. This check maps the snapshot the way a
 * search would and compares every entry with the store: each record is in
 * it once, under its own record_key, source and year, and every entry
 * names a record the store has. A missing or stale snapshot is not a
 * problem (the next search rebuilds it) and is not reported.
 */
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "index/index_impl.h"

typedef struct store_row {
    int64_t id;
    char *record_key, *source_key;
    int birth_year;
    int seen;
} store_row;

static void rows_free(store_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].record_key);
        free(rows[i].source_key);
    }
    free(rows);
}

static char *dup_text(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return strdup(t ? t : "");
}

/* Every record of the store, in id order. */
static int read_rows(store *st, store_row **out, size_t *n, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    sqlite3 *db = store_db(st);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT r.id, r.record_key, s.key, r.birth_year FROM record AS r"
                               " JOIN source AS s ON s.id = r.source_id ORDER BY r.id",
                           -1, &s, NULL) != SQLITE_OK) {
        kt_error_set(err, "reading the records: %s", sqlite3_errmsg(db));
        return KT_ERR;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap && index_grow((void **)out, &cap, *n + 1, sizeof **out) < 0)
            break;
        store_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(s, 0);
        r->record_key = dup_text(s, 1);
        r->source_key = dup_text(s, 2);
        r->birth_year = sqlite3_column_int(s, 3);
        r->seen = 0;
        if (!r->record_key || !r->source_key)
            break;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return KT_OK;
    if (rc == SQLITE_ROW) {
        kt_error_set(err, "out of memory reading the records");
        return KT_ERR_NOMEM;
    }
    kt_error_set(err, "reading the records: %s", sqlite3_errstr(rc));
    return KT_ERR;
}

static store_row *find_row(store_row *rows, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rows[lo].id == id ? &rows[lo] : NULL;
}

static void say(store_finding_fn report, void *ctx, int64_t id, const char *record_key,
                const char *problem)
{
    store_finding f = {.check = "index", .table = "record", .id = id,
                       .record_key = record_key && *record_key ? record_key : NULL,
                       .problem = problem};
    report(ctx, &f);
}

int index_check_snapshot(store *st, void *hook_ctx, store_finding_fn report, void *ctx,
                         kt_error *err)
{
    (void)hook_ctx;
    const char *db = store_path(st);
    if (!db || !*db || !strcmp(db, ":memory:") || !strncmp(db, "file:", 5))
        return KT_OK;
    char path[4096];
    if (snprintf(path, sizeof path, "%s" INDEX_SNAPSHOT_SUFFIX, db) >= (int)sizeof path)
        return KT_OK;
    uint64_t state[INDEX_STATE_N];
    int rc = index_store_state(st, state, err);
    if (rc != KT_OK)
        return rc;
    kt_index *ix = NULL;
    if (index_snapshot_map(path, state, &ix) != KT_OK)
        return KT_OK; /* none, or stale: the next search builds a new one */

    store_row *rows = NULL;
    size_t n = 0;
    rc = read_rows(st, &rows, &n, err);
    size_t slots = index_size(ix) + index_aliases(ix);
    char msg[512];
    for (size_t slot = 0; rc == KT_OK && slot < slots; slot++) {
        index_entry e;
        index_entry_get(ix, (uint32_t)slot, &e);
        store_row *r = find_row(rows, n, e.record_id);
        if (!r) {
            snprintf(msg, sizeof msg, "the index snapshot has %s for record %lld, which the "
                     "store does not have", e.alias ? "an alias" : "an entry",
                     (long long)e.record_id);
            say(report, ctx, e.record_id, e.record_key, msg);
            continue;
        }
        if (e.alias)
            continue;
        if (r->seen++) {
            say(report, ctx, r->id, r->record_key, "the index snapshot holds this record twice");
            continue;
        }
        if (strcmp(e.record_key, r->record_key) || strcmp(e.source_key, r->source_key) ||
            e.birth_year != r->birth_year) {
            snprintf(msg, sizeof msg, "the index snapshot has it as record_key '%.100s', "
                     "source %.100s, born %d; the store as '%.100s', %.100s, %d",
                     e.record_key, e.source_key, e.birth_year, r->record_key, r->source_key,
                     r->birth_year);
            say(report, ctx, r->id, r->record_key, msg);
        }
    }
    for (size_t i = 0; rc == KT_OK && i < n; i++)
        if (!rows[i].seen)
            say(report, ctx, rows[i].id, rows[i].record_key,
                "not in the index snapshot: a search would not find it");
    rows_free(rows, n);
    index_free(ix);
    return rc;
}
