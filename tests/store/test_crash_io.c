/*
 * test_crash_io.c — a full disk and failing I/O give a clear error and
 * lose nothing: the import stops, the store is whole and exactly as it
 * was, and the same import succeeds once the fault is gone.
 *
 * Faults come from three places: PRAGMA max_page_count (the database may
 * not grow), a real small file system (a 3 MB tmpfs, when this process
 * may mount one; skipped otherwise) and a VFS shim that wraps SQLite's own
 * and fails the Nth write, sync or read. The shim sweeps the point of
 * failure through a whole import, commit and checkpoint included, as
 * SQLite's own I/O-error tests do: at every point the import either
 * lands whole or not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fixture.h"
#include "reliability.h"

/* ---- a VFS that fails on request --------------------------------------- */

enum fault { FAULT_NONE, FAULT_WRITE, FAULT_SYNC, FAULT_READ };

static sqlite3_vfs *real_vfs;
static sqlite3_vfs faulty_vfs;
static enum fault fault_kind;
static long fault_after; /* operations of that kind still allowed */
static long faults;      /* operations failed */

typedef struct faulty_file {
    sqlite3_file base;
    sqlite3_file *real;
} faulty_file;

#define REAL(f) (((faulty_file *)(f))->real)

static int fault_now(enum fault kind)
{
    if (fault_kind != kind)
        return 0;
    if (fault_after > 0) {
        fault_after--;
        return 0;
    }
    faults++;
    return 1;
}

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods->xClose(REAL(f));
    sqlite3_free(REAL(f));
    return rc;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    if (fault_now(FAULT_READ))
        return SQLITE_IOERR_READ;
    return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    if (fault_now(FAULT_WRITE))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    if (fault_now(FAULT_SYNC))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods faulty_io = {
    .iVersion = 3, .xClose = f_close, .xRead = f_read, .xWrite = f_write,
    .xTruncate = f_truncate, .xSync = f_sync, .xFileSize = f_size, .xLock = f_lock,
    .xUnlock = f_unlock, .xCheckReservedLock = f_reserved, .xFileControl = f_control,
    .xSectorSize = f_sector, .xDeviceCharacteristics = f_device, .xShmMap = f_shm_map,
    .xShmLock = f_shm_lock, .xShmBarrier = f_shm_barrier, .xShmUnmap = f_shm_unmap,
    .xFetch = f_fetch, .xUnfetch = f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                  int *out_flags)
{
    (void)vfs;
    faulty_file *ff = (faulty_file *)file;
    ff->base.pMethods = NULL;
    ff->real = sqlite3_malloc(real_vfs->szOsFile);
    if (!ff->real)
        return SQLITE_NOMEM;
    memset(ff->real, 0, (size_t)real_vfs->szOsFile);
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK || !ff->real->pMethods) {
        sqlite3_free(ff->real);
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    ff->base.pMethods = &faulty_io;
    return SQLITE_OK;
}

/* Makes the shim every connection's VFS (the store opens with the default). */
static int install_shim(void **state)
{
    (void)state;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return -1;
    faulty_vfs = *real_vfs; /* the unix VFS's other methods ignore their vfs */
    faulty_vfs.zName = "kt_faulty";
    faulty_vfs.szOsFile = (int)sizeof(faulty_file);
    faulty_vfs.xOpen = f_open;
    faulty_vfs.pNext = NULL;
    return sqlite3_vfs_register(&faulty_vfs, 1) == SQLITE_OK ? 0 : -1;
}

static void set_fault(enum fault kind, long after)
{
    fault_kind = kind;
    fault_after = after;
    faults = 0;
}

/* ---- the checks --------------------------------------------------------- */

/* The store at f->path with one list; its dump and audit count. */
static char *prepared(fixture *f, int64_t *audit)
{
    char csv[192];
    kt_error err;
    snprintf(csv, sizeof csv, "%s/first.csv", f->dir);
    rel_write_csv(csv, 200, "first");
    store *st = rel_open(f->path, 1);
    if (rel_import(st, csv, "first", &err) != KT_OK)
        fail_msg("import: %s", err.message);
    char *dump = rel_dump(store_db(st));
    *audit = rel_int(store_db(st), "SELECT count(*) FROM audit_log");
    store_close(st);
    return dump;
}

/* With no fault: whole and holding exactly `want`. */
static void assert_holds(const char *path, const char *want, int64_t audit)
{
    set_fault(FAULT_NONE, 0);
    store *st = rel_open(path, 0);
    rel_assert_intact(store_db(st));
    char *now = rel_dump(store_db(st));
    assert_string_equal(now, want);
    free(now);
    assert_int_equal(rel_int(store_db(st), "SELECT count(*) FROM audit_log"), audit);
    store_close(st);
}

static int64_t records_of(const char *path, const char *key)
{
    set_fault(FAULT_NONE, 0);
    store *st = rel_open(path, 0);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM record r JOIN source s ON s.id ="
             " r.source_id WHERE s.key = '%s'", key);
    int64_t n = rel_int(store_db(st), sql);
    store_close(st);
    return n;
}

static void test_database_may_not_grow(void **state)
{
    fixture *f = *state;
    int64_t audit;
    char *before = prepared(f, &audit);
    char csv[192];
    snprintf(csv, sizeof csv, "%s/big.csv", f->dir);
    rel_write_csv(csv, 30000, "big");

    store *st = rel_open(f->path, 0);
    int64_t pages = rel_int(store_db(st), "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 40);
    assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    kt_error err;
    int rc = rel_import(st, csv, "big", &err);
    assert_int_equal(rc, KT_ERR);
    char msg[2048];
    kt_error_format(&err, msg, sizeof msg);
    fprintf(stderr, "  full: %s\n", msg);
    assert_non_null(strstr(msg, "full"));
    assert_non_null(strstr(msg, "big.csv"));
    store_close(st);
    assert_holds(f->path, before, audit);

    st = rel_open(f->path, 0);
    assert_int_equal(rel_import(st, csv, "big", &err), KT_OK);
    store_close(st);
    assert_int_equal(records_of(f->path, "big"), 30000);
    free(before);
}

/* The binary on a real, small file system that fills up. */
static void test_full_file_system(void **state)
{
    fixture *f = *state;
    const char *bin = getenv("KARTOTEKA_BIN");
    assert_non_null(bin);
    char mnt[128], db[192], csv[192], cmd[1024];
    snprintf(mnt, sizeof mnt, "%s/small", f->dir);
    assert_int_equal(mkdir(mnt, 0700), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=3m") != 0) {
        fprintf(stderr, "  skipped: cannot mount a 3 MB tmpfs here (%s); the full disk is "
                "tested through max_page_count only\n", strerror(errno));
        skip();
    }
    snprintf(db, sizeof db, "%s/k.db", mnt);
    snprintf(csv, sizeof csv, "%s/big.csv", f->dir);
    rel_write_csv(csv, 60000, "big");
    snprintf(cmd, sizeof cmd, "'%s' init --db '%s' >/dev/null", bin, db);
    int init = system(cmd);
    char *before = NULL;
    int64_t audit = 0;
    if (init == 0) {
        set_fault(FAULT_NONE, 0);
        store *st = rel_open(db, 0);
        before = rel_dump(store_db(st));
        audit = rel_int(store_db(st), "SELECT count(*) FROM audit_log");
        store_close(st);
        snprintf(cmd, sizeof cmd, "'%s' import '%s' --source big --db '%s' 2>'%s/err.txt'",
                 bin, csv, db, f->dir);
        int rc = system(cmd);
        snprintf(cmd, sizeof cmd, "%s/err.txt", f->dir);
        FILE *e = fopen(cmd, "r");
        assert_non_null(e);
        char said[1024] = "";
        size_t n = fread(said, 1, sizeof said - 1, e);
        said[n] = '\0';
        fclose(e);
        fprintf(stderr, "  tmpfs full: exit %d: %s", WEXITSTATUS(rc), said);
        assert_int_equal(WEXITSTATUS(rc), 1);
        assert_non_null(strstr(said, "full"));
        assert_holds(db, before, audit);
        /* a small list still fits in the space the failed one gave back */
        snprintf(csv, sizeof csv, "%s/small.csv", f->dir);
        rel_write_csv(csv, 100, "small");
        snprintf(cmd, sizeof cmd, "'%s' import '%s' --source small --db '%s' >/dev/null", bin,
                 csv, db);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(records_of(db, "small"), 100);
    }
    free(before);
    assert_int_equal(umount(mnt), 0);
    assert_int_equal(init, 0);
}

/* How many operations of `kind` the import of csv into a copy of the
 * store at path makes. */
static long operations(fixture *f, const char *csv, enum fault kind)
{
    char copy[192], cmd[512];
    snprintf(copy, sizeof copy, "%s/count.db", f->dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", f->path, copy);
    assert_int_equal(system(cmd), 0);
    set_fault(FAULT_NONE, 0);
    store *st = rel_open(copy, 0);
    set_fault(kind, 1L << 40);
    kt_error err;
    assert_int_equal(rel_import(st, csv, "second", &err), KT_OK);
    long used = (1L << 40) - fault_after;
    set_fault(FAULT_NONE, 0);
    store_close(st);
    rel_remove_db(copy);
    return used;
}

/* The point of failure swept through a whole import: the first write (or
 * sync) failing, the second, the 4th, 8th, ..., and each of the last few
 * (the commit). At every point the import is all or nothing; with every
 * operation allowed it lands. */
static void sweep(fixture *f, enum fault kind)
{
    int64_t audit;
    char *before = prepared(f, &audit); /* closed: no -wal left behind */
    char csv[192];
    snprintf(csv, sizeof csv, "%s/second.csv", f->dir);
    rel_write_csv(csv, 8000, "second");
    long used = operations(f, csv, kind);
    assert_true(used > 10);
    long points[64];
    int np = 0;
    for (long after = 0; after < used - 6; after = after ? after * 2 : 1)
        points[np++] = after;
    for (long k = 6; k >= 0; k--)
        points[np++] = used - k;
    int failed = 0;
    for (int i = 0; i < np; i++) {
        set_fault(FAULT_NONE, 0);
        store *st = rel_open(f->path, 0);
        set_fault(kind, points[i]);
        kt_error err;
        int rc = rel_import(st, csv, "second", &err);
        long hit = faults;
        set_fault(FAULT_NONE, 0);
        store_close(st);
        if (rc == KT_OK) {
            assert_int_equal(points[i], used); /* only with all it needs */
            assert_int_equal(records_of(f->path, "second"), 8000);
            st = rel_open(f->path, 0);
            rel_assert_intact(store_db(st));
            store_close(st);
            break;
        }
        /* the failure was ours, and said so */
        assert_true(hit > 0);
        assert_int_equal(rc, KT_ERR);
        assert_non_null(strstr(err.message, "I/O error"));
        if (!failed++)
            fprintf(stderr, "  fault at the first: %s\n", err.message);
        assert_holds(f->path, before, audit);
    }
    fprintf(stderr, "  %d points of failure among %ld operations: each import absent; with "
            "all of them, whole\n", failed, used);
    assert_int_equal(failed, np - 1);
    free(before);
}

static void test_write_errors(void **state) { sweep(*state, FAULT_WRITE); }

static void test_sync_errors(void **state)
{
    /* In WAL mode with synchronous=NORMAL a commit does not sync; the
     * checkpoint does. A failed checkpoint loses nothing committed. */
    fixture *f = *state;
    int64_t audit;
    char *before = prepared(f, &audit);
    char csv[192];
    snprintf(csv, sizeof csv, "%s/second.csv", f->dir);
    rel_write_csv(csv, 8000, "second");
    store *st = rel_open(f->path, 0);
    set_fault(FAULT_SYNC, 0);
    kt_error err;
    int rc = rel_import(st, csv, "second", &err);
    store_close(st);
    if (rc == KT_OK)
        assert_int_equal(records_of(f->path, "second"), 8000);
    else
        assert_holds(f->path, before, audit);
    set_fault(FAULT_NONE, 0);
    st = rel_open(f->path, 0);
    rel_assert_intact(store_db(st));
    store_close(st);
    free(before);
}

static void test_read_error_is_clear(void **state)
{
    fixture *f = *state;
    int64_t audit;
    char *before = prepared(f, &audit);
    set_fault(FAULT_READ, 0);
    store *st = NULL;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_open(f->path, 0, &st, &err);
    set_fault(FAULT_NONE, 0);
    assert_int_not_equal(rc, KT_OK);
    assert_null(st);
    fprintf(stderr, "  read fault: %s\n", err.message);
    assert_non_null(strstr(err.message, "I/O error"));
    assert_holds(f->path, before, audit);
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_database_may_not_grow, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_full_file_system, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_write_errors, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_sync_errors, setup, rel_teardown),
        cmocka_unit_test_setup_teardown(test_read_error_is_clear, setup, rel_teardown),
    };
    return cmocka_run_group_tests(tests, install_shim, NULL);
}
