/*
 * store.c — the registry's store on SQLite: opening (with identity and
 * version checks and forward migration), transactions, sources, records,
 * persons and their links, the audit log.
 *
 * Guarantees:
 *  - Every connection runs with foreign keys on, WAL journal and a busy
 *    timeout, so several readers and one writer can share the file. A
 *    read-only connection (store_open_readonly) cannot change anything
 *    (query_only), and reads a file on read-only media as immutable.
 *  - store_open never touches a file that is not a kartoteka database
 *    (application_id), nor one written by a newer schema version; an
 *    older file is migrated step by step, each step in a transaction.
 *  - A linked record has exactly one row in person_record, and it agrees
 *    with record.person_id (store_link_add keeps both in step).
 *  - Deleting a source deletes its records, their links, and the persons
 *    that were only made of those records.
 *  - Library code: errors go to a kt_error, nothing is printed.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/schema.h"

/* Cached prepared statements, one per hot write path: an import of a
 * million records must not re-parse its INSERT a million times. */
enum {
    STMT_SOURCE_ADD,
    STMT_RECORD_ADD,
    STMT_AUDIT,
    STMT_PERSON_ADD,
    STMT_LINK_RECORD,
    STMT_LINK_DROP_OTHERS,
    STMT_LINK_ADD,
    STMT_SOURCE_ID,
    STMT_ALIAS_ADD,
    STMT_COUNT_
};

#define SOURCE_NSTR 11
#define RECORD_NSTR 20

struct store {
    sqlite3 *db;
    char *path;
    int version;
    int depth; /* transaction nesting: 0 = none, 1 = BEGIN, >1 = savepoints */
    int readonly; /* opened by store_open_readonly */
    sqlite3_stmt *stmt[STMT_COUNT_];
    /* Copies behind the strings that store_source_get / store_record_get
     * hand out; freed on the next call of the same getter. */
    char *source_str[SOURCE_NSTR];
    char *record_str[RECORD_NSTR];
};

static int db_error(store *st, kt_error *err, const char *what)
{
    kt_error_set(err, "%s: %s", what, sqlite3_errmsg(st->db));
    return KT_ERR;
}

static int exec_sql(store *st, const char *sql, kt_error *err, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        kt_error_set(err, "%s: %s", what, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return KT_ERR;
    }
    return KT_OK;
}

static sqlite3_stmt *cached(store *st, int slot, const char *sql, kt_error *err)
{
    if (!st->stmt[slot] &&
        sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &st->stmt[slot], NULL) != SQLITE_OK) {
        db_error(st, err, "preparing a statement");
        st->stmt[slot] = NULL;
        return NULL;
    }
    return st->stmt[slot];
}

/* Empty and missing text are both stored as NULL: "unknown". (Binding
 * SQLITE_STATIC instead of copying was measured: no gain on 1,000,000
 * inserts; the index updates dominate.) */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static int pragma_int(store *st, const char *pragma, int *out, kt_error *err)
{
    char sql[64];
    sqlite3_stmt *s = NULL;
    snprintf(sql, sizeof sql, "PRAGMA %s", pragma);
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        return KT_OK;
    }
    sqlite3_finalize(s);
    if ((rc & 0xff) == SQLITE_NOTADB) {
        kt_error_set(err, "%s is not a kartoteka database (not an SQLite file)",
                     st->path);
        return KT_ERR_INPUT;
    }
    return db_error(st, err, "reading the database header");
}

static void strings_free(char **v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i]);
        v[i] = NULL;
    }
}

/* Copies column i of s into slot i of v (NULL stays NULL). */
static const char *keep(char **v, int i, sqlite3_stmt *s, int col, int *oom)
{
    const char *t = col_text(s, col);
    if (!t)
        return NULL;
    v[i] = strdup(t);
    if (!v[i])
        *oom = 1;
    return v[i];
}

/* ---- opening and migrating -------------------------------------------- */

static int apply_step(store *st, const schema_step *step, kt_error *err)
{
    char what[160];
    snprintf(what, sizeof what, "migrating %s to schema version %d", st->path,
             step->version);
    /* IMMEDIATE takes the write lock first, so two processes opening the
     * same old file cannot both apply the step; the loser re-reads. */
    if (exec_sql(st, "BEGIN IMMEDIATE", err, what) != KT_OK)
        return KT_ERR;
    int now = 0;
    int rc = pragma_int(st, "user_version", &now, err);
    if (rc != KT_OK)
        goto fail;
    if (now >= step->version) {
        /* Another process applied it while we waited for the lock. */
        exec_sql(st, "COMMIT", err, what);
        st->version = now;
        return KT_OK;
    }
    if (exec_sql(st, step->sql, err, what) != KT_OK)
        goto fail;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", step->version);
    if (exec_sql(st, sql, err, what) != KT_OK)
        goto fail;
    char detail[256];
    snprintf(detail, sizeof detail, "schema version %d: %s", step->version,
             step->description);
    if (store_audit(st, "migrate", "schema", detail, err) != KT_OK)
        goto fail;
    if (exec_sql(st, "COMMIT", err, what) != KT_OK)
        goto fail;
    st->version = step->version;
    return KT_OK;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return KT_ERR;
}

/* Reads the header and decides: ours, fresh, foreign or too new. */
static int check_identity(store *st, kt_error *err)
{
    int app = 0, ver = 0, rc;
    if ((rc = pragma_int(st, "application_id", &app, err)) != KT_OK)
        return rc;
    if ((rc = pragma_int(st, "user_version", &ver, err)) != KT_OK)
        return rc;
    if (app == 0 && ver == 0) {
        int tables = 0;
        if ((rc = pragma_int(st, "schema_version", &tables, err)) != KT_OK)
            return rc;
        /* schema_version counts schema changes: 0 means no table was ever
         * created, i.e. a new or empty file that we may initialise. */
        if (tables != 0) {
            kt_error_set(err, "%s is an SQLite database but not a kartoteka one; "
                         "refusing to change it", st->path);
            return KT_ERR_INPUT;
        }
        st->version = 0;
        return KT_OK;
    }
    if (app != SCHEMA_APPLICATION_ID) {
        kt_error_set(err, "%s is an SQLite database but not a kartoteka one "
                     "(application id %d); refusing to change it", st->path, app);
        return KT_ERR_INPUT;
    }
    if (ver > schema_latest()) {
        kt_error_set(err, "%s has schema version %d, newer than this kartoteka "
                     "knows (%d); use a newer kartoteka", st->path, ver,
                     schema_latest());
        return KT_ERR_INPUT;
    }
    st->version = ver;
    return KT_OK;
}

/* How open_raw opens the file. */
enum open_mode {
    OPEN_WRITE,     /* read-write, WAL journal */
    OPEN_READ,      /* read-only; shares the WAL with writers */
    OPEN_IMMUTABLE, /* read-only media: no -shm or -wal can be made, so the
                     * file is read as it stands and nothing is locked */
};

static int open_raw(const char *path, int create, enum open_mode mode, store **out,
                    kt_error *err)
{
    *out = NULL;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !create && strcmp(path, ":memory:") != 0) {
        kt_error_set(err, "no database at %s (create one with 'kartoteka init')", path);
        return KT_ERR_NOTFOUND;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        kt_error_set(err, "%s is a directory, not a database file", path);
        return KT_ERR_INPUT;
    }
    /* A device (/dev/null) or a pipe holds no database and takes no WAL. */
    if (exists && !S_ISREG(sb.st_mode)) {
        kt_error_set(err, "%s is not a regular file, so not a database file", path);
        return KT_ERR_INPUT;
    }
    store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        kt_error_set(err, "out of memory opening %s", path);
        return KT_ERR_NOMEM;
    }
    st->readonly = mode != OPEN_WRITE;
    int flags = mode == OPEN_WRITE ? SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
                                   : SQLITE_OPEN_READONLY;
    char *uri = NULL;
    if (mode == OPEN_IMMUTABLE) {
        uri = sqlite3_mprintf("file:%s?immutable=1", path);
        flags |= SQLITE_OPEN_URI;
    }
    if (sqlite3_open_v2(uri ? uri : path, &st->db, flags, NULL) != SQLITE_OK) {
        kt_error_set(err, "cannot open %s: %s", path,
                     st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_free(uri);
        store_close(st);
        return KT_ERR;
    }
    sqlite3_free(uri);
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    int rc = check_identity(st, err);
    if (rc == KT_OK)
        rc = exec_sql(st, "PRAGMA foreign_keys = ON", err, "enabling foreign keys");
    if (rc == KT_OK && mode == OPEN_WRITE)
        rc = exec_sql(st, "PRAGMA journal_mode = WAL", err, "switching to WAL");
    /* In WAL mode NORMAL loses at most the last commits on power failure,
     * never consistency; FULL would make a big import several times slower. */
    if (rc == KT_OK && mode == OPEN_WRITE)
        rc = exec_sql(st, "PRAGMA synchronous = NORMAL", err, "setting synchronous");
    /* A reader must not write even by mistake: SQLite refuses any change. */
    if (rc == KT_OK && mode != OPEN_WRITE)
        rc = exec_sql(st, "PRAGMA query_only = ON", err, "making the connection read-only");
    if (rc != KT_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return KT_OK;
}

static int migrate_to(store *st, int target, kt_error *err)
{
    for (int v = st->version + 1; v <= target; v++)
        if (apply_step(st, schema_step_to(v), err) != KT_OK)
            return KT_ERR;
    return KT_OK;
}

int store_open(const char *path, int create, store **out, kt_error *err)
{
    store *st;
    int rc = open_raw(path, create, OPEN_WRITE, &st, err);
    if (rc != KT_OK)
        return rc;
    if ((rc = migrate_to(st, schema_latest(), err)) != KT_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return KT_OK;
}

int store_open_readonly(const char *path, store **out, kt_error *err)
{
    store *st;
    kt_error first;
    kt_error_clear(&first);
    int rc = open_raw(path, 0, OPEN_READ, &st, &first);
    /* A reader that cannot reach the WAL index (no -shm and no way to make
     * one: a read-only directory or medium) fails on its first read with a
     * plain error (not a refusal); the file is then read as it stands. */
    if (rc == KT_ERR && access(path, R_OK) == 0) {
        kt_error_clear(err);
        rc = open_raw(path, 0, OPEN_IMMUTABLE, &st, err);
    } else if (rc != KT_OK) {
        *err = first;
    }
    if (rc != KT_OK)
        return rc;
    if (st->version < schema_latest()) {
        /* An older file: migrate it once, when it may be written, then read. */
        int version = st->version;
        store_close(st);
        store *w;
        if (access(path, W_OK) != 0 || store_open(path, 0, &w, err) != KT_OK) {
            kt_error_set(err, "%s has schema version %d, older than this kartoteka's "
                         "%d, and cannot be brought up to date here (it is not "
                         "writable); open it once where it is writable",
                         path, version, schema_latest());
            return KT_ERR_INPUT;
        }
        store_close(w);
        return store_open_readonly(path, out, err);
    }
    *out = st;
    return KT_OK;
}

int store_is_readonly(store *st) { return st->readonly; }

int store_create_at_version(const char *path, int version, kt_error *err)
{
    if (version < 1 || version > schema_latest()) {
        kt_error_set(err, "no schema version %d (1..%d)", version, schema_latest());
        return KT_ERR_INPUT;
    }
    store *st;
    int rc = open_raw(path, 1, OPEN_WRITE, &st, err);
    if (rc != KT_OK)
        return rc;
    if (st->version > version) {
        kt_error_set(err, "%s is already at schema version %d", path, st->version);
        rc = KT_ERR_EXISTS;
    } else {
        rc = migrate_to(st, version, err);
    }
    store_close(st);
    return rc;
}

void store_close(store *st)
{
    if (!st)
        return;
    while (st->depth > 0)
        store_rollback(st);
    for (int i = 0; i < STMT_COUNT_; i++)
        sqlite3_finalize(st->stmt[i]);
    strings_free(st->source_str, SOURCE_NSTR);
    strings_free(st->record_str, RECORD_NSTR);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

sqlite3 *store_db(store *st) { return st->db; }
int store_schema_version(store *st) { return st->version; }
int store_schema_latest(void) { return schema_latest(); }
const char *store_path(store *st) { return st->path; }

int store_file_replaceable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char h[100];
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n == 0)
        return 1;
    if (n < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return 0;
    /* The header holds PRAGMA application_id at byte 68, big-endian. */
    uint32_t app = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 |
                   (uint32_t)h[70] << 8 | h[71];
    return app == SCHEMA_APPLICATION_ID;
}

/* ---- transactions ----------------------------------------------------- */

int store_begin(store *st, kt_error *err)
{
    char sql[48];
    if (st->depth == 0)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT kt_%d", st->depth);
    if (exec_sql(st, sql, err, "starting a transaction") != KT_OK) {
        kt_error ignored;
        int ms = 0;
        if ((sqlite3_errcode(st->db) & 0xff) == SQLITE_BUSY &&
            pragma_int(st, "busy_timeout", &ms, &ignored) == KT_OK)
            kt_error_set(err, "%s is locked: another process has been writing to it for "
                         "over %.1f s; nothing was changed, try again when it has finished",
                         st->path, ms / 1000.0);
        return KT_ERR;
    }
    st->depth++;
    return KT_OK;
}

int store_commit(store *st, kt_error *err)
{
    if (st->depth == 0) {
        kt_error_set(err, "commit without a transaction");
        return KT_ERR;
    }
    if (sqlite3_get_autocommit(st->db)) {
        /* SQLite already rolled the whole transaction back (I/O error,
         * disk full): nothing of it was kept, say so. */
        st->depth = 0;
        kt_error_set(err, "the transaction was rolled back by the database");
        return KT_ERR;
    }
    char sql[48];
    if (st->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE kt_%d", st->depth - 1);
    if (exec_sql(st, sql, err, "committing") != KT_OK) {
        store_rollback(st);
        return KT_ERR;
    }
    st->depth--;
    return KT_OK;
}

void store_rollback(store *st)
{
    if (st->depth == 0)
        return;
    if (sqlite3_get_autocommit(st->db)) {
        st->depth = 0;
        return;
    }
    st->depth--;
    if (st->depth == 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        char sql[80];
        snprintf(sql, sizeof sql, "ROLLBACK TO kt_%d; RELEASE kt_%d", st->depth,
                 st->depth);
        sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    }
}

/* ---- audit log -------------------------------------------------------- */

int store_audit(store *st, const char *action, const char *object,
                const char *detail, kt_error *err)
{
    sqlite3_stmt *s = cached(st, STMT_AUDIT,
        "INSERT INTO audit_log(action, object, detail) VALUES (?1, ?2, ?3)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_text(s, 1, action ? action : "", -1, SQLITE_TRANSIENT);
    bind_text(s, 2, object);
    bind_text(s, 3, detail);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? KT_OK : db_error(st, err, "writing the audit log");
}

/* ---- sources ---------------------------------------------------------- */

#define SOURCE_COLS "id, key, title, reference, date, language, script, " \
                    "licence, url, file_name, checksum, imported_at"

static int source_lookup(store *st, const char *sql, const char *arg,
                         store_source *out, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "looking up a source");
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_error(st, err, "looking up a source");
        kt_error_set(err, "no source '%s'", arg);
        return KT_ERR_NOTFOUND;
    }
    strings_free(st->source_str, SOURCE_NSTR);
    int oom = 0;
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    out->key = keep(st->source_str, 0, s, 1, &oom);
    out->title = keep(st->source_str, 1, s, 2, &oom);
    out->reference = keep(st->source_str, 2, s, 3, &oom);
    out->date = keep(st->source_str, 3, s, 4, &oom);
    out->language = keep(st->source_str, 4, s, 5, &oom);
    out->script = keep(st->source_str, 5, s, 6, &oom);
    out->licence = keep(st->source_str, 6, s, 7, &oom);
    out->url = keep(st->source_str, 7, s, 8, &oom);
    out->file_name = keep(st->source_str, 8, s, 9, &oom);
    out->checksum = keep(st->source_str, 9, s, 10, &oom);
    out->imported_at = keep(st->source_str, 10, s, 11, &oom);
    sqlite3_finalize(s);
    if (oom) {
        kt_error_set(err, "out of memory");
        return KT_ERR_NOMEM;
    }
    return KT_OK;
}

int store_source_get(store *st, const char *key, store_source *out, kt_error *err)
{
    return source_lookup(st, "SELECT " SOURCE_COLS " FROM source WHERE key = ?1",
                         key, out, err);
}

int store_source_by_checksum(store *st, const char *checksum, store_source *out,
                             kt_error *err)
{
    return source_lookup(st, "SELECT " SOURCE_COLS " FROM source WHERE checksum = ?1 "
                         "ORDER BY id LIMIT 1", checksum, out, err);
}

int store_sources_each(store *st, store_source_fn cb, void *ctx, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
            "SELECT s.id, s.key, s.title, s.reference, s.date, s.language, s.script,"
            " s.licence, s.url, s.file_name, s.checksum, s.imported_at,"
            " (SELECT count(*) FROM record r WHERE r.source_id = s.id),"
            " (SELECT count(*) FROM record r WHERE r.source_id = s.id"
            "  AND r.person_id IS NOT NULL)"
            " FROM source s ORDER BY s.key", -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "listing sources");
    int rc, ret = KT_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_source src = {
            .id = sqlite3_column_int64(s, 0), .key = col_text(s, 1),
            .title = col_text(s, 2), .reference = col_text(s, 3),
            .date = col_text(s, 4), .language = col_text(s, 5),
            .script = col_text(s, 6), .licence = col_text(s, 7),
            .url = col_text(s, 8), .file_name = col_text(s, 9),
            .checksum = col_text(s, 10), .imported_at = col_text(s, 11),
        };
        if ((ret = cb(ctx, &src, sqlite3_column_int64(s, 12),
                      sqlite3_column_int64(s, 13))) != 0)
            break;
    }
    if (ret == KT_OK && rc != SQLITE_DONE)
        ret = db_error(st, err, "listing sources");
    sqlite3_finalize(s);
    return ret;
}

int store_source_add(store *st, store_source *src, kt_error *err)
{
    if (!src->key || !*src->key) {
        kt_error_set(err, "a source needs a key");
        return KT_ERR_INPUT;
    }
    sqlite3_stmt *s = cached(st, STMT_SOURCE_ADD,
        "INSERT INTO source(key, title, reference, date, language, script, "
        "licence, url, file_name, checksum) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_text(s, 1, src->key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, src->title ? src->title : "", -1, SQLITE_TRANSIENT);
    bind_text(s, 3, src->reference);
    bind_text(s, 4, src->date);
    bind_text(s, 5, src->language);
    bind_text(s, 6, src->script);
    bind_text(s, 7, src->licence);
    bind_text(s, 8, src->url);
    bind_text(s, 9, src->file_name);
    bind_text(s, 10, src->checksum);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        kt_error_set(err, "a source with key '%s' already exists", src->key);
        return KT_ERR_EXISTS;
    }
    if (rc != SQLITE_DONE)
        return db_error(st, err, "adding a source");
    src->id = sqlite3_last_insert_rowid(st->db);
    return KT_OK;
}

int store_source_delete(store *st, int64_t source_id, kt_error *err)
{
    static const char *const steps[] = {
        /* Persons made only of this source's records go with them; a
         * person who also has a record elsewhere stays. */
        "DELETE FROM person WHERE id IN ("
        "  SELECT pr.person_id FROM person_record pr"
        "  JOIN record r ON r.id = pr.record_id WHERE r.source_id = ?1)"
        " AND NOT EXISTS (SELECT 1 FROM person_record pr2"
        "  JOIN record r2 ON r2.id = pr2.record_id"
        "  WHERE pr2.person_id = person.id AND r2.source_id <> ?1)",
        /* Records and their links follow by ON DELETE CASCADE. */
        "DELETE FROM source WHERE id = ?1",
    };
    char key[256] = "";
    int64_t nrec = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT key, (SELECT count(*) FROM record "
                           "WHERE source_id = ?1) FROM source WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "deleting a source");
    sqlite3_bind_int64(s, 1, source_id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        kt_error_set(err, "no source with id %lld", (long long)source_id);
        return KT_ERR_NOTFOUND;
    }
    snprintf(key, sizeof key, "%s", col_text(s, 0));
    nrec = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);

    if (store_begin(st, err) != KT_OK)
        return KT_ERR;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (sqlite3_prepare_v2(st->db, steps[i], -1, &s, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_int64(s, 1, source_id);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            goto fail;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%lld records", (long long)nrec);
    if (store_audit(st, "source_delete", key, detail, err) != KT_OK) {
        store_rollback(st);
        return KT_ERR;
    }
    return store_commit(st, err);
fail:
    db_error(st, err, "deleting a source");
    store_rollback(st);
    return KT_ERR;
}

/* ---- records ---------------------------------------------------------- */

static int source_id_for_key(store *st, const char *key, int64_t *id, kt_error *err)
{
    sqlite3_stmt *s = cached(st, STMT_SOURCE_ID, "SELECT id FROM source WHERE key = ?1",
                             err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_ROW)
        return KT_OK;
    if (rc != SQLITE_DONE)
        return db_error(st, err, "looking up a source");
    kt_error_set(err, "no source '%s'", key);
    return KT_ERR_NOTFOUND;
}

int store_record_add(store *st, store_record *rec, kt_error *err)
{
    if (!rec->raw) {
        kt_error_set(err, "a record needs its raw source row");
        return KT_ERR_INPUT;
    }
    int64_t source_id = rec->source_id;
    if (source_id == 0 && rec->source_key) {
        int rc = source_id_for_key(st, rec->source_key, &source_id, err);
        if (rc != KT_OK)
            return rc;
    }
    sqlite3_stmt *s = cached(st, STMT_RECORD_ADD,
        "INSERT INTO record(source_id, record_key, person_id, surname, given_names,"
        " patronymic, father_name, name, birth_year, birth_date, birth_place, rank,"
        " occupation, camp, fate, fate_date, fate_place, list_position, note, raw,"
        " raw_line, source_urls) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, source_id);
    bind_text(s, 2, rec->record_key);
    if (rec->person_id)
        sqlite3_bind_int64(s, 3, rec->person_id);
    else
        sqlite3_bind_null(s, 3);
    bind_text(s, 4, rec->surname);
    bind_text(s, 5, rec->given_names);
    bind_text(s, 6, rec->patronymic);
    bind_text(s, 7, rec->father_name);
    bind_text(s, 8, rec->name);
    sqlite3_bind_int(s, 9, rec->birth_year);
    bind_text(s, 10, rec->birth_date);
    bind_text(s, 11, rec->birth_place);
    bind_text(s, 12, rec->rank);
    bind_text(s, 13, rec->occupation);
    bind_text(s, 14, rec->camp);
    bind_text(s, 15, rec->fate);
    bind_text(s, 16, rec->fate_date);
    bind_text(s, 17, rec->fate_place);
    bind_text(s, 18, rec->list_position);
    bind_text(s, 19, rec->note);
    sqlite3_bind_text(s, 20, rec->raw, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 21, rec->raw_line);
    bind_text(s, 22, rec->source_urls);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        kt_error_set(err, "record refers to source %lld or person %lld, "
                     "which does not exist", (long long)source_id,
                     (long long)rec->person_id);
        return KT_ERR_NOTFOUND;
    }
    if (rc != SQLITE_DONE)
        return db_error(st, err, "adding a record");
    rec->id = sqlite3_last_insert_rowid(st->db);
    rec->source_id = source_id;
    return KT_OK;
}

/* Column 2 is the source key: joined for single records; the walk leaves
 * it NULL and fills it from a small id -> key table instead: measured on
 * 1,000,000 records, 0.67-0.74 s for the walk against 0.88 s with the join. */
#define RECORD_REST \
    " r.person_id, r.record_key, r.surname," \
    " r.given_names, r.patronymic, r.father_name, r.name, r.birth_year," \
    " r.birth_date, r.birth_place, r.rank, r.occupation, r.camp, r.fate," \
    " r.fate_date, r.fate_place, r.list_position, r.note, r.raw, r.raw_line," \
    " r.source_urls"
#define RECORD_COLS "r.id, r.source_id, s.key," RECORD_REST \
    " FROM record r JOIN source s ON s.id = r.source_id"
#define RECORD_WALK "r.id, r.source_id, NULL," RECORD_REST " FROM record r"

typedef struct source_keys {
    int64_t *id;
    char **key;
    size_t n, last;
} source_keys;

static void source_keys_free(source_keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->key[i]);
    free(k->id);
    free(k->key);
}

static int source_keys_load(store *st, source_keys *k, kt_error *err)
{
    memset(k, 0, sizeof *k);
    int64_t n = store_count(st, "source");
    sqlite3_stmt *s = NULL;
    if (n < 0 || sqlite3_prepare_v2(st->db, "SELECT id, key FROM source ORDER BY id",
                                    -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "reading sources");
    k->id = calloc((size_t)n + 1, sizeof *k->id);
    k->key = calloc((size_t)n + 1, sizeof *k->key);
    while (k->id && k->key && k->n < (size_t)n && sqlite3_step(s) == SQLITE_ROW) {
        k->id[k->n] = sqlite3_column_int64(s, 0);
        if (!(k->key[k->n] = strdup(col_text(s, 1))))
            break;
        k->n++;
    }
    sqlite3_finalize(s);
    if (!k->id || !k->key || k->n < (size_t)n) {
        source_keys_free(k);
        kt_error_set(err, "out of memory");
        return KT_ERR_NOMEM;
    }
    return KT_OK;
}

/* Records come in id order, mostly in long runs of one source. */
static const char *source_key_of(source_keys *k, int64_t id)
{
    if (k->last < k->n && k->id[k->last] == id)
        return k->key[k->last];
    for (size_t i = 0; i < k->n; i++)
        if (k->id[i] == id) {
            k->last = i;
            return k->key[i];
        }
    return NULL;
}

/* Fills rec from a RECORD_COLS row; with v, strings are copied into v
 * (so they outlive the statement), otherwise they point into it. */
static int record_from_row(sqlite3_stmt *s, store_record *rec, char **v)
{
    int oom = 0, slot = 0;
#define TXT(col) (v ? keep(v, slot++, s, (col), &oom) : col_text(s, (col)))
    memset(rec, 0, sizeof *rec);
    rec->id = sqlite3_column_int64(s, 0);
    rec->source_id = sqlite3_column_int64(s, 1);
    rec->source_key = TXT(2);
    rec->person_id = sqlite3_column_int64(s, 3);
    rec->record_key = TXT(4);
    rec->surname = TXT(5);
    rec->given_names = TXT(6);
    rec->patronymic = TXT(7);
    rec->father_name = TXT(8);
    rec->name = TXT(9);
    rec->birth_year = sqlite3_column_int(s, 10);
    rec->birth_date = TXT(11);
    rec->birth_place = TXT(12);
    rec->rank = TXT(13);
    rec->occupation = TXT(14);
    rec->camp = TXT(15);
    rec->fate = TXT(16);
    rec->fate_date = TXT(17);
    rec->fate_place = TXT(18);
    rec->list_position = TXT(19);
    rec->note = TXT(20);
    rec->raw = TXT(21);
    rec->raw_line = (long)sqlite3_column_int64(s, 22);
    rec->source_urls = TXT(23);
#undef TXT
    return oom ? KT_ERR_NOMEM : KT_OK;
}

int store_records_each(store *st, const char *source_key, store_record_fn cb,
                       void *ctx, kt_error *err)
{
    int64_t source_id = 0;
    if (source_key) {
        int rc = source_id_for_key(st, source_key, &source_id, err);
        if (rc != KT_OK)
            return rc;
    }
    source_keys keys;
    int ret = source_keys_load(st, &keys, err);
    if (ret != KT_OK)
        return ret;
    /* Not cached: the callback may itself walk or read the store. */
    sqlite3_stmt *s = NULL;
    const char *sql = source_key
        ? "SELECT " RECORD_WALK " WHERE r.source_id = ?1 ORDER BY r.id"
        : "SELECT " RECORD_WALK " ORDER BY r.id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        source_keys_free(&keys);
        return db_error(st, err, "reading records");
    }
    if (source_key)
        sqlite3_bind_int64(s, 1, source_id);
    int rc;
    store_record rec;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        record_from_row(s, &rec, NULL);
        rec.source_key = source_key_of(&keys, rec.source_id);
        if ((ret = cb(ctx, &rec)) != 0)
            break;
    }
    if (ret == KT_OK && rc != SQLITE_DONE)
        ret = db_error(st, err, "reading records");
    sqlite3_finalize(s);
    source_keys_free(&keys);
    return ret;
}

int store_record_get(store *st, int64_t id, store_record *out, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT " RECORD_COLS " WHERE r.id = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return db_error(st, err, "reading a record");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_error(st, err, "reading a record");
        kt_error_set(err, "no record with id %lld", (long long)id);
        return KT_ERR_NOTFOUND;
    }
    strings_free(st->record_str, RECORD_NSTR);
    rc = record_from_row(s, out, st->record_str);
    sqlite3_finalize(s);
    if (rc != KT_OK)
        kt_error_set(err, "out of memory");
    return rc;
}

int store_record_ids_by_key(store *st, const char *source_key, const char *record_key,
                            size_t skip, int64_t *ids, size_t cap, size_t *n, kt_error *err)
{
    *n = 0;
    if (source_key) {
        store_source src;
        int rc = store_source_get(st, source_key, &src, err);
        if (rc != KT_OK)
            return rc;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT r.id FROM record r JOIN source s ON s.id = r.source_id"
                           " WHERE r.record_key = ?1 AND (?2 IS NULL OR s.key = ?2)"
                           " ORDER BY r.id", -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "finding a record by its key");
    sqlite3_bind_text(s, 1, record_key, -1, SQLITE_STATIC);
    if (source_key)
        sqlite3_bind_text(s, 2, source_key, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n >= skip && *n - skip < cap)
            ids[*n - skip] = sqlite3_column_int64(s, 0);
        ++*n;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_error(st, err, "finding a record by its key");
    return KT_OK;
}

/* ---- persons and links ------------------------------------------------ */

int store_person_add(store *st, const char *label, int64_t *person_id, kt_error *err)
{
    sqlite3_stmt *s = cached(st, STMT_PERSON_ADD,
                             "INSERT INTO person(label) VALUES (?1)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_text(s, 1, label ? label : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return db_error(st, err, "adding a person");
    *person_id = sqlite3_last_insert_rowid(st->db);
    return KT_OK;
}

static int step_once(store *st, sqlite3_stmt *s, kt_error *err, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_DONE)
        return KT_OK;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        kt_error_set(err, "%s: the person does not exist", what);
        return KT_ERR_NOTFOUND;
    }
    return db_error(st, err, what);
}

int store_link_add(store *st, int64_t person_id, int64_t record_id,
                   const char *method, double weight, const char *by,
                   const char *why, kt_error *err)
{
    if (!method || (strcmp(method, "bundled") && strcmp(method, "auto") &&
                    strcmp(method, "review"))) {
        kt_error_set(err, "link method must be bundled, auto or review, not '%s'",
                     method ? method : "(none)");
        return KT_ERR_INPUT;
    }
    sqlite3_stmt *upd = cached(st, STMT_LINK_RECORD,
        "UPDATE record SET person_id = ?1 WHERE id = ?2", err);
    sqlite3_stmt *drop = cached(st, STMT_LINK_DROP_OTHERS,
        "DELETE FROM person_record WHERE record_id = ?2 AND person_id <> ?1", err);
    sqlite3_stmt *ins = cached(st, STMT_LINK_ADD,
        "INSERT INTO person_record(person_id, record_id, method, weight, by, why)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT(person_id, record_id) DO UPDATE SET method = excluded.method,"
        " weight = excluded.weight, by = excluded.by, why = excluded.why,"
        " created_at = excluded.created_at", err);
    if (!upd || !drop || !ins)
        return KT_ERR;
    int rc;
    if (store_begin(st, err) != KT_OK)
        return KT_ERR;
    sqlite3_bind_int64(upd, 1, person_id);
    sqlite3_bind_int64(upd, 2, record_id);
    if ((rc = step_once(st, upd, err, "linking a record")) != KT_OK)
        goto fail;
    if (sqlite3_changes(st->db) == 0) {
        kt_error_set(err, "linking a record: no record with id %lld",
                     (long long)record_id);
        rc = KT_ERR_NOTFOUND;
        goto fail;
    }
    /* A record belongs to one person: a new link replaces the old one. The
     * replaced provenance goes to the audit log. */
    sqlite3_bind_int64(drop, 1, person_id);
    sqlite3_bind_int64(drop, 2, record_id);
    if ((rc = step_once(st, drop, err, "linking a record")) != KT_OK)
        goto fail;
    if (sqlite3_changes(st->db) > 0) {
        char obj[64], detail[160];
        snprintf(obj, sizeof obj, "record %lld", (long long)record_id);
        snprintf(detail, sizeof detail, "moved to person %lld (%s)",
                 (long long)person_id, method);
        if ((rc = store_audit(st, "relink", obj, detail, err)) != KT_OK)
            goto fail;
    }
    sqlite3_bind_int64(ins, 1, person_id);
    sqlite3_bind_int64(ins, 2, record_id);
    sqlite3_bind_text(ins, 3, method, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 4, weight);
    bind_text(ins, 5, by);
    bind_text(ins, 6, why);
    if ((rc = step_once(st, ins, err, "linking a record")) != KT_OK)
        goto fail;
    return store_commit(st, err);
fail:
    store_rollback(st);
    return rc;
}

/* ---- aliases ---------------------------------------------------------- */

const char *const store_alias_kinds[STORE_ALIAS_NKINDS] = {
    "nom de guerre", "pseudonym", "birth name", "maiden name",
    "married name", "pen name", "nickname", "other spelling",
};

int store_alias_add(store *st, store_alias *alias, kt_error *err)
{
    if (!alias->name || !*alias->name) {
        kt_error_set(err, "an alias needs a name");
        return KT_ERR_INPUT;
    }
    int known = 0;
    for (int i = 0; i < STORE_ALIAS_NKINDS && !known; i++)
        known = alias->kind && strcmp(alias->kind, store_alias_kinds[i]) == 0;
    if (!known) {
        kt_error_set(err, "'%s' is not a kind of alias", alias->kind ? alias->kind : "(none)");
        return KT_ERR_INPUT;
    }
    sqlite3_stmt *s = cached(st, STMT_ALIAS_ADD,
        "INSERT INTO person_alias(person_id, name, kind, note, source_urls)"
        " VALUES (?1, ?2, ?3, ?4, ?5)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, alias->person_id);
    bind_text(s, 2, alias->name);
    bind_text(s, 3, alias->kind);
    bind_text(s, 4, alias->note);
    bind_text(s, 5, alias->source_urls);
    int rc = step_once(st, s, err, "adding an alias");
    if (rc == KT_OK)
        alias->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_aliases_each(store *st, int64_t person_id, store_alias_fn cb, void *ctx,
                       kt_error *err)
{
    sqlite3_stmt *s = NULL;
    const char *sql = person_id > 0
        ? "SELECT id, person_id, name, kind, note, source_urls FROM person_alias"
          " WHERE person_id = ?1 ORDER BY id"
        : "SELECT id, person_id, name, kind, note, source_urls FROM person_alias"
          " ORDER BY id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "reading aliases");
    if (person_id > 0)
        sqlite3_bind_int64(s, 1, person_id);
    int rc, ret = KT_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_alias a = {
            .id = sqlite3_column_int64(s, 0),
            .person_id = sqlite3_column_int64(s, 1),
            .name = col_text(s, 2),
            .kind = col_text(s, 3),
            .note = sqlite3_column_type(s, 4) == SQLITE_NULL ? NULL : col_text(s, 4),
            .source_urls = sqlite3_column_type(s, 5) == SQLITE_NULL ? NULL : col_text(s, 5),
        };
        if ((ret = cb(ctx, &a)) != 0)
            break;
    }
    if (ret == KT_OK && rc != SQLITE_DONE)
        ret = db_error(st, err, "reading aliases");
    sqlite3_finalize(s);
    return ret;
}

/* ---- counting --------------------------------------------------------- */

int64_t store_count(store *st, const char *table)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    /* Only names of existing tables reach the SQL text. */
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
                           " AND name = ?1", -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, table, -1, SQLITE_TRANSIENT);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!found)
        return -1;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    if (sql && sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_free(sql);
    return n;
}
