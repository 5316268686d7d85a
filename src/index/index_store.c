/*
 * index_store.c — the index fed from the store: every record, and every
 * alias of a person with records (index_build_from_store); and the one
 * entry point the programs use (index_open), which maps the snapshot
 * beside the database when it holds the store's present state, and
 * otherwise builds the index and writes the snapshot for the next time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "index/index.h"
#include "index/index_impl.h"

/* While building from the store: the records linked to a person (to find
 * the record an alias points to) and the aliases, copied out of the walk. */
typedef struct linked {
    int64_t person, record;
    int cyr;
} linked;

typedef struct build_ctx {
    kt_index *ix;
    linked *link;
    size_t nlink, clink;
    store_alias *alias;
    size_t nalias, calias;
    int oom;
} build_ctx;

static int add_cb(void *ctx, const store_record *rec)
{
    build_ctx *b = ctx;
    if (rec->person_id) {
        if (index_grow((void **)&b->link, &b->clink, b->nlink + 1, sizeof *b->link) < 0)
            return KT_ERR_NOMEM;
        b->link[b->nlink++] = (linked){rec->person_id, rec->id, index_has_cyrillic(rec->surname)};
    }
    return index_add(b->ix, rec);
}

static int alias_cb(void *ctx, const store_alias *a)
{
    build_ctx *b = ctx;
    if (index_grow((void **)&b->alias, &b->calias, b->nalias + 1, sizeof *b->alias) < 0)
        return KT_ERR_NOMEM;
    store_alias *c = &b->alias[b->nalias++];
    memset(c, 0, sizeof *c);
    c->person_id = a->person_id;
    c->name = strdup(a->name);
    c->kind = strdup(a->kind);
    if (!c->name || !c->kind)
        return KT_ERR_NOMEM;
    return 0;
}

static int cmp_linked(const void *a, const void *b)
{
    const linked *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return x->record < y->record ? -1 : x->record > y->record;
}

/* Adds every alias of the store, each pointing to its person's record in
 * the alias's script, or else to the person's first record; an alias of a
 * person without records has nothing to find and is left out. */
static int add_store_aliases(store *st, build_ctx *b, kt_error *err)
{
    int rc = store_aliases_each(st, 0, alias_cb, b, err);
    if (rc != KT_OK) {
        if (rc == KT_ERR_NOMEM)
            kt_error_set(err, "out of memory reading aliases");
        return rc;
    }
    if (b->nalias == 0)
        return KT_OK;
    qsort(b->link, b->nlink, sizeof *b->link, cmp_linked);
    for (size_t i = 0; i < b->nalias && rc == KT_OK; i++) {
        const store_alias *a = &b->alias[i];
        size_t lo = 0, hi = b->nlink;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (b->link[mid].person < a->person_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == b->nlink || b->link[lo].person != a->person_id)
            continue;
        int64_t target = b->link[lo].record;
        int cyr = index_has_cyrillic(a->name);
        for (size_t j = lo; j < b->nlink && b->link[j].person == a->person_id; j++)
            if (b->link[j].cyr == cyr) {
                target = b->link[j].record;
                break;
            }
        store_record rec;
        if ((rc = store_record_get(st, target, &rec, err)) != KT_OK)
            break;
        rc = index_add_alias(b->ix, &rec, a->name, a->kind);
    }
    return rc;
}

int index_build_from_store(store *st, kt_index **out, kt_error *err)
{
    kt_index *ix = index_new();
    if (!ix) {
        kt_error_set(err, "out of memory building the name index");
        return KT_ERR_NOMEM;
    }
    build_ctx b = {.ix = ix};
    int rc = store_records_each(st, NULL, add_cb, &b, err);
    if (rc == KT_OK)
        rc = add_store_aliases(st, &b, err);
    if (rc == KT_OK)
        rc = index_add_record_aliases(ix, st, err);
    free(b.link);
    for (size_t i = 0; i < b.nalias; i++) {
        free((char *)b.alias[i].name);
        free((char *)b.alias[i].kind);
    }
    free(b.alias);
    if (rc == KT_OK)
        rc = index_finish(ix);
    if (rc != KT_OK) {
        if (err && !err->message[0])
            kt_error_set(err, "could not build the name index");
        index_free(ix);
        return rc;
    }
    *out = ix;
    return KT_OK;
}


/* ---- the store's state and the snapshot ----------------------------------- */

/* One number from the store: the value of a query of one row and column. */
static int state_value(sqlite3 *db, const char *sql, uint64_t *out, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    int ok = sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
             sqlite3_step(s) == SQLITE_ROW;
    if (ok)
        *out = (uint64_t)sqlite3_column_int64(s, 0);
    else
        kt_error_set(err, "reading the store's state (%s): %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return ok ? KT_OK : KT_ERR;
}

/* What the index is made of, and how each change to it shows: records,
 * links and persons are only inserted (a new last id) or deleted with
 * their source, and a source deletion and a relink write the audit log
 * (a new last id there); aliases and sources are few, so they are also
 * counted. Counting the records instead would cost a scan of the table:
 * 50-100 ms at a million records, the whole budget of a search. */
static const char *const state_sql[INDEX_STATE_N - 1] = {
    "SELECT coalesce(max(id), 0) FROM record",
    "SELECT coalesce(max(id), 0) FROM person_record",
    "SELECT coalesce(max(id), 0) FROM person",
    "SELECT coalesce(max(id), 0) FROM person_alias",
    "SELECT count(*) FROM person_alias",
    "SELECT coalesce(max(id), 0) FROM source",
    "SELECT count(*) FROM source",
    "SELECT coalesce(max(id), 0) FROM audit_log",
};

int index_store_state(store *st, uint64_t state[INDEX_STATE_N], kt_error *err)
{
    for (int i = 0; i < INDEX_STATE_N - 1; i++)
        if (state_value(store_db(st), state_sql[i], &state[i], err) != KT_OK)
            return KT_ERR;
    state[INDEX_STATE_N - 1] = (uint64_t)store_schema_version(st);
    return KT_OK;
}

/* The snapshot's path beside the database ("kartoteka.db" → "kartoteka.db.index"),
 * or 0 for a database with no file. */
static int snapshot_path(store *st, char *out, size_t cap)
{
    const char *db = store_path(st);
    if (!db || !*db || strcmp(db, ":memory:") == 0 || strncmp(db, "file:", 5) == 0)
        return 0;
    return snprintf(out, cap, "%s" INDEX_SNAPSHOT_SUFFIX, db) < (int)cap;
}

int index_snapshot_sweep(store *st, kt_leftover_fn fn, void *ctx, kt_error *err)
{
    char path[4096];
    if (!snapshot_path(st, path, sizeof path))
        return 0;
    return kt_leftovers_sweep(KT_LEFTOVER_SNAPSHOT, path, fn, ctx, err);
}

int index_open(store *st, kt_index **out, kt_error *err)
{
    /* the state is read before the records: a write in between makes the
     * snapshot look older than it is (rebuilt next time), never newer */
    uint64_t state[INDEX_STATE_N];
    int rc = index_store_state(st, state, err);
    if (rc != KT_OK)
        return rc;
    char path[4096];
    int have_path = snapshot_path(st, path, sizeof path);
    if (have_path && index_snapshot_map(path, state, out) == KT_OK)
        return KT_OK;
    rc = index_build_from_store(st, out, err);
    if (rc != KT_OK)
        return rc;
    /* a directory that cannot be written (a read-only copy, a full disk)
     * only costs the next start the build: the index in memory serves */
    if (have_path)
        index_snapshot_write(*out, path, state, NULL);
    return KT_OK;
}
