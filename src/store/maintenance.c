/*
 * maintenance.c — online backup, restore and the store's self-check
 * (store/maintenance.h).
 *
 * Guarantees:
 *  - A backup file exists under its name only once it is complete, checked
 *    and on disk: it is written under a temporary name beside dest and
 *    linked to dest at the end (link(2) refuses an existing dest
 *    atomically, so a backup never overwrites anything). On any failure
 *    the temporary file is removed; one a killed backup left is named
 *    with its writer's process id (util/leftover.h), for the next backup
 *    to the same file to remove.
 *  - The backup is taken in one step (sqlite3_backup_step(-1)), which reads
 *    one snapshot: in WAL mode writers go on meanwhile and none of their
 *    later commits, nor any uncommitted page, is in the copy.
 *  - A restore verifies the backup before it touches the database, and
 *    writes it in one transaction of the destination.
 *  - The check reads one snapshot (a read transaction) and changes nothing.
 *  - Library code: errors go to a kt_error, nothing is printed.
 */
#include "store/maintenance.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/schema.h"
#include "util/leftover.h"

/* ---- small helpers ---------------------------------------------------- */

static int64_t query_int(sqlite3 *db, const char *sql, int64_t fallback)
{
    sqlite3_stmt *s = NULL;
    int64_t v = fallback;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Whether the database on db is a sound kartoteka file: an SQLite file
 * (readable at all), our application id, a schema version this build
 * knows, and PRAGMA quick_check "ok". `what` names it in the error. */
static int verify_copy(sqlite3 *db, const char *what, store_backup_result *res, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
    const char *first = NULL;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        first = (const char *)sqlite3_column_text(s, 0);
    if (!first) {
        kt_error_set(err, "%s cannot be read as a database: %s", what, sqlite3_errmsg(db));
        sqlite3_finalize(s);
        return KT_ERR_INPUT;
    }
    if (strcmp(first, "ok") != 0) {
        kt_error_set(err, "%s is damaged (quick_check: %.300s)", what, first);
        sqlite3_finalize(s);
        return KT_ERR_INPUT;
    }
    sqlite3_finalize(s);
    int64_t app = query_int(db, "PRAGMA application_id", -1);
    int64_t ver = query_int(db, "PRAGMA user_version", -1);
    if (app != SCHEMA_APPLICATION_ID) {
        kt_error_set(err, "%s is not a kartoteka database (application id %lld)", what,
                     (long long)app);
        return KT_ERR_INPUT;
    }
    if (ver < 1 || ver > schema_latest()) {
        kt_error_set(err, "%s has schema version %lld; this kartoteka knows 1 to %d", what,
                     (long long)ver, schema_latest());
        return KT_ERR_INPUT;
    }
    if (res) {
        res->schema_version = (int)ver;
        res->pages = query_int(db, "PRAGMA page_count", 0);
        res->sources = query_int(db, "SELECT count(*) FROM source", 0);
        res->records = query_int(db, "SELECT count(*) FROM record", 0);
    }
    return KT_OK;
}

/* fsync of the directory holding path, so that a new name in it survives
 * a power failure. */
static int sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* ---- backup ----------------------------------------------------------- */

/* Refuses a dest that exists, is the store itself, or is a directory. */
static int check_dest(store *st, const char *dest, kt_error *err)
{
    struct stat d, s;
    if (stat(dest, &d) != 0)
        return errno == ENOENT ? KT_OK : (kt_error_set(err, "cannot use %s: %s", dest,
                                                       strerror(errno)), KT_ERR);
    if (S_ISDIR(d.st_mode)) {
        kt_error_set(err, "%s is a directory; give the backup a file name", dest);
        return KT_ERR_INPUT;
    }
    if (stat(store_path(st), &s) == 0 && s.st_dev == d.st_dev && s.st_ino == d.st_ino) {
        kt_error_set(err, "%s is the database itself; a backup goes to a new file", dest);
        return KT_ERR_INPUT;
    }
    kt_error_set(err, "%s already exists; a backup never overwrites a file", dest);
    return KT_ERR_EXISTS;
}

/* Copies st into the (empty) file tmp and checks the copy. */
static int write_copy(store *st, const char *tmp, store_backup_result *res, kt_error *err)
{
    sqlite3 *dst = NULL;
    int rc = KT_OK;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        kt_error_set(err, "cannot write %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
        sqlite3_close(dst);
        return KT_ERR;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", store_db(st), "main");
    if (!b) {
        kt_error_set(err, "starting the backup: %s", sqlite3_errmsg(dst));
        rc = KT_ERR;
    } else {
        int step = sqlite3_backup_step(b, -1);
        int fin = sqlite3_backup_finish(b);
        if (step != SQLITE_DONE || fin != SQLITE_OK) {
            kt_error_set(err, "copying the database: %s",
                         sqlite3_errstr(step != SQLITE_DONE ? step : fin));
            rc = KT_ERR;
        }
    }
    /* The copy carries the source's WAL flag in its header; a backup is one
     * self-contained file, so it goes back to a rollback journal (which also
     * checkpoints whatever the copy wrote through a WAL). */
    char *msg = NULL;
    if (rc == KT_OK &&
        sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK) {
        kt_error_set(err, "finishing the backup: %s", msg ? msg : sqlite3_errmsg(dst));
        rc = KT_ERR;
    }
    sqlite3_free(msg);
    if (rc == KT_OK && (rc = verify_copy(dst, "the backup copy", res, err)) != KT_OK)
        rc = KT_ERR; /* a copy that fails its check is our failure, not bad input */
    if (sqlite3_close(dst) != SQLITE_OK && rc == KT_OK) {
        kt_error_set(err, "closing the backup copy failed");
        rc = KT_ERR;
    }
    return rc;
}

int store_backup(store *st, const char *dest, store_backup_result *res, kt_error *err)
{
    store_backup_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (!dest || !*dest) {
        kt_error_set(err, "a backup needs a file name");
        return KT_ERR_INPUT;
    }
    if (!sqlite3_get_autocommit(store_db(st))) {
        /* Through this connection the copy would hold uncommitted pages. */
        kt_error_set(err, "cannot back up inside an open transaction");
        return KT_ERR;
    }
    int rc = check_dest(st, dest, err);
    if (rc != KT_OK)
        return rc;

    size_t n = strlen(dest) + 48;
    char *tmp = malloc(n);
    if (!tmp) {
        kt_error_set(err, "out of memory");
        return KT_ERR_NOMEM;
    }
    kt_leftover_name(KT_LEFTOVER_BACKUP, dest, tmp, n); /* fits: n has room */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        kt_error_set(err, "cannot create a file beside %s: %s", dest, strerror(errno));
        free(tmp);
        return KT_ERR;
    }
    close(fd);

    rc = write_copy(st, tmp, res, err);
    struct stat sb;
    if (rc == KT_OK && stat(tmp, &sb) == 0)
        res->bytes = (int64_t)sb.st_size;
    if (rc == KT_OK) {
        /* link(2) fails when dest appeared meanwhile: never overwrite. A
         * file system without hard links gets a rename after one more look. */
        if (link(tmp, dest) != 0) {
            int e = errno;
            if (e == EEXIST) {
                kt_error_set(err, "%s already exists; a backup never overwrites a file", dest);
                rc = KT_ERR_EXISTS;
            } else if ((e == EPERM || e == ENOTSUP || e == EOPNOTSUPP) &&
                       access(dest, F_OK) != 0 && rename(tmp, dest) == 0) {
                rc = KT_OK;
            } else {
                kt_error_set(err, "cannot name the backup %s: %s", dest, strerror(e));
                rc = KT_ERR;
            }
        }
        if (rc == KT_OK && sync_dir_of(dest) != 0) {
            kt_error_set(err, "cannot flush the directory of %s: %s", dest, strerror(errno));
            unlink(dest);
            rc = KT_ERR;
        }
    }
    unlink(tmp); /* after link: the extra name; after a failure: the copy */
    char side[4096];
    snprintf(side, sizeof side, "%s-journal", tmp);
    unlink(side);
    free(tmp);
    if (rc != KT_OK)
        memset(res, 0, sizeof *res);
    return rc;
}

/* ---- restore ---------------------------------------------------------- */

/* Whether the database on db (at path) may be overwritten: a kartoteka
 * database, or an SQLite file in which nothing was ever created. */
static int replaceable(sqlite3 *db, const char *path, kt_error *err)
{
    int64_t app = query_int(db, "PRAGMA application_id", -1);
    if (app == -1) {
        kt_error_set(err, "cannot read %s as a database (%s); if it is damaged beyond "
                     "reading, move it away and restore into its place", path,
                     sqlite3_errmsg(db));
        return KT_ERR_INPUT;
    }
    if (app == SCHEMA_APPLICATION_ID ||
        (app == 0 && query_int(db, "PRAGMA user_version", -1) == 0 &&
         query_int(db, "PRAGMA schema_version", -1) == 0))
        return KT_OK;
    kt_error_set(err, "%s is not a kartoteka database; refusing to overwrite it", path);
    return KT_ERR_INPUT;
}

int store_restore(const char *backup_path, const char *db_path, store_backup_result *res,
                  kt_error *err)
{
    store_backup_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    struct stat bs, ds;
    if (stat(backup_path, &bs) != 0) {
        kt_error_set(err, "cannot read the backup %s: %s", backup_path, strerror(errno));
        return errno == ENOENT ? KT_ERR_NOTFOUND : KT_ERR;
    }
    if (!S_ISREG(bs.st_mode)) {
        kt_error_set(err, "the backup %s is not a regular file", backup_path);
        return KT_ERR_INPUT;
    }
    int exists = stat(db_path, &ds) == 0;
    if (exists && bs.st_dev == ds.st_dev && bs.st_ino == ds.st_ino) {
        kt_error_set(err, "%s is the database itself", backup_path);
        return KT_ERR_INPUT;
    }
    if (exists && !S_ISREG(ds.st_mode)) {
        kt_error_set(err, "%s is not a regular file; refusing to overwrite it", db_path);
        return KT_ERR_INPUT;
    }

    sqlite3 *src = NULL, *dst = NULL;
    char what[600];
    snprintf(what, sizeof what, "the backup %s", backup_path);
    int rc = KT_OK;
    if (sqlite3_open_v2(backup_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kt_error_set(err, "cannot open %s: %s", what, src ? sqlite3_errmsg(src) : "out of memory");
        rc = KT_ERR;
        goto out;
    }
    if ((rc = verify_copy(src, what, res, err)) != KT_OK)
        goto out;
    if (sqlite3_open_v2(db_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        kt_error_set(err, "cannot open %s: %s", db_path,
                     dst ? sqlite3_errmsg(dst) : "out of memory");
        rc = KT_ERR;
        goto out;
    }
    sqlite3_busy_timeout(dst, STORE_BUSY_TIMEOUT_MS); /* as the store waits */
    /* Asked through SQLite, not from the file's header: in WAL mode the
     * newest header may still be in the -wal file. */
    if (exists && (rc = replaceable(dst, db_path, err)) != KT_OK)
        goto out;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        kt_error_set(err, "starting the restore into %s: %s", db_path, sqlite3_errmsg(dst));
        rc = KT_ERR;
        goto out;
    }
    int step = sqlite3_backup_step(b, -1);
    int fin = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE || fin != SQLITE_OK) {
        kt_error_set(err, "restoring into %s: %s (nothing was changed)", db_path,
                     sqlite3_errstr(step != SQLITE_DONE ? step : fin));
        rc = KT_ERR;
        goto out;
    }
    snprintf(what, sizeof what, "%s after the restore", db_path);
    rc = verify_copy(dst, what, res, err);
    if (rc != KT_OK)
        rc = KT_ERR;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}

/* ---- check ------------------------------------------------------------ */

typedef struct checker {
    store_finding_fn cb;
    void *ctx;
    long max, found;
} checker;

static void report(checker *ck, const char *check, const char *table, int64_t id,
                   const char *record_key, const char *problem)
{
    ck->found++;
    if (ck->found > ck->max || !ck->cb)
        return;
    store_finding f = {.check = check, .table = table, .id = id, .record_key = record_key,
                       .problem = problem};
    ck->cb(ck->ctx, &f);
}

/* A hook reports through this, with checker as its ctx. */
static void report_from_hook(void *ctx, const store_finding *f)
{
    report(ctx, f->check, f->table, f->id, f->record_key, f->problem);
}

/* A check that could not finish with status rc: damage is a finding (the
 * check goes on with the next), anything else (busy, I/O) an error. */
static int stopped(sqlite3 *db, checker *ck, const char *check, int rc, kt_error *err)
{
    /* A table-valued pragma reports damage as SQLITE_ERROR; the connection's
     * own code says what it was. */
    int code = (rc & 0xff) == SQLITE_ERROR ? sqlite3_errcode(db) & 0xff : rc & 0xff;
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
        char msg[600];
        snprintf(msg, sizeof msg, "the check stopped: %s", sqlite3_errmsg(db));
        report(ck, check, NULL, 0, NULL, msg);
        return KT_OK;
    }
    kt_error_set(err, "check %s: %s", check, sqlite3_errmsg(db));
    return KT_ERR;
}

/* Runs sql; each row is a finding: column 0 the id, 1 the record_key (or
 * NULL), 2 the problem text. */
static int check_rows(sqlite3 *db, checker *ck, const char *check, const char *table,
                      const char *sql, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            report(ck, check, table, sqlite3_column_int64(s, 0),
                   (const char *)sqlite3_column_text(s, 1),
                   (const char *)sqlite3_column_text(s, 2));
        sqlite3_finalize(s);
        if (rc == SQLITE_DONE)
            return KT_OK;
    }
    return stopped(db, ck, check, rc, err);
}

static int check_identity(sqlite3 *db, checker *ck, store_check_result *res)
{
    int64_t app = query_int(db, "PRAGMA application_id", -1);
    int64_t ver = query_int(db, "PRAGMA user_version", -1);
    char msg[160];
    res->schema_version = (int)ver;
    if (app != SCHEMA_APPLICATION_ID) {
        snprintf(msg, sizeof msg, "application id is %lld, not kartoteka's %d", (long long)app,
                 SCHEMA_APPLICATION_ID);
        report(ck, "identity", NULL, 0, NULL, msg);
    }
    if (ver != schema_latest()) {
        snprintf(msg, sizeof msg, "schema version %lld, this kartoteka's is %d", (long long)ver,
                 schema_latest());
        report(ck, "identity", NULL, 0, NULL, msg);
    }
    return KT_OK;
}

/* integrity_check / quick_check: one row "ok", or one row per problem. */
static int check_integrity(sqlite3 *db, checker *ck, int quick, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    const char *sql = quick ? "PRAGMA quick_check" : "PRAGMA integrity_check";
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(s, 0);
            if (t && strcmp(t, "ok") != 0)
                report(ck, "integrity", NULL, 0, NULL, t);
        }
        sqlite3_finalize(s);
        if (rc == SQLITE_DONE)
            return KT_OK;
    }
    return stopped(db, ck, "integrity", rc, err);
}

int store_check(store *st, const store_check_options *opt, store_finding_fn cb, void *ctx,
                store_check_result *res, kt_error *err)
{
    store_check_options none = {0};
    store_check_result local;
    if (!opt)
        opt = &none;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    sqlite3 *db = store_db(st);
    if (!sqlite3_get_autocommit(db)) {
        kt_error_set(err, "cannot check inside an open transaction");
        return KT_ERR;
    }
    checker ck = {.cb = cb, .ctx = ctx, .max = opt->max_findings > 0 ? opt->max_findings : 1000};
    char *msg = NULL;
    /* One snapshot for every check: the first read fixes it. */
    if (sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, &msg) !=
        SQLITE_OK) {
        kt_error_set(err, "starting the check: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return KT_ERR;
    }
    int rc = check_identity(db, &ck, res);
    res->checks_run++;
    if (rc == KT_OK && (rc = check_integrity(db, &ck, opt->quick, err)) == KT_OK)
        res->checks_run++;
    if (rc == KT_OK &&
        (rc = check_rows(db, &ck, "foreign_keys", NULL,
                         "SELECT f.rowid, CASE WHEN f.\"table\" = 'record' THEN"
                         " (SELECT record_key FROM record WHERE id = f.rowid) END,"
                         " f.\"table\" || ' row ' || f.rowid || ' refers to a missing '"
                         " || f.parent || ' row'"
                         " FROM pragma_foreign_key_check AS f",
                         err)) == KT_OK)
        res->checks_run++;
    if (rc == KT_OK &&
        (rc = check_rows(db, &ck, "raw_rows", "record",
                         "SELECT id, record_key, 'record has no raw source row'"
                         " FROM record WHERE raw IS NULL OR raw = '' ORDER BY id",
                         err)) == KT_OK)
        res->checks_run++;
    if (rc == KT_OK &&
        (rc = check_rows(db, &ck, "sources", "source",
                         "SELECT id, key, 'checksum ''' || checksum || ''' is not a SHA-256'"
                         " FROM source WHERE checksum IS NOT NULL AND (length(checksum) <> 64"
                         " OR checksum GLOB '*[^0-9a-f]*') ORDER BY id",
                         err)) == KT_OK)
        res->checks_run++;
    if (rc == KT_OK &&
        (rc = check_rows(db, &ck, "links", "record",
                         "SELECT r.id, r.record_key, 'linked to person ' || r.person_id ||"
                         " ' without a link row saying why' FROM record AS r"
                         " WHERE r.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                         " person_record AS l WHERE l.record_id = r.id AND l.person_id ="
                         " r.person_id)"
                         " UNION ALL SELECT r.id, r.record_key, 'has ' || count(*) ||"
                         " ' link rows' FROM person_record AS l JOIN record AS r ON r.id ="
                         " l.record_id GROUP BY r.id HAVING count(*) > 1"
                         " UNION ALL SELECT r.id, r.record_key, 'link row ' || l.id ||"
                         " ' names person ' || l.person_id || ' but the record says ' ||"
                         " coalesce(r.person_id, 'none') FROM person_record AS l JOIN record"
                         " AS r ON r.id = l.record_id WHERE r.person_id IS NOT l.person_id",
                         err)) == KT_OK)
        res->checks_run++;
    for (int h = 0; rc == KT_OK && h < opt->nhooks; h++) {
        const store_check_hook *hook = &opt->hooks[h];
        rc = hook->run(st, hook->hook_ctx, report_from_hook, &ck, err);
        if (rc == KT_OK)
            res->checks_run++;
    }
    if (rc == KT_OK) {
        res->sources = query_int(db, "SELECT count(*) FROM source", 0);
        res->records = query_int(db, "SELECT count(*) FROM record", 0);
        res->persons = query_int(db, "SELECT count(*) FROM person", 0);
        res->links = query_int(db, "SELECT count(*) FROM person_record", 0);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    res->findings = ck.found;
    return rc;
}
