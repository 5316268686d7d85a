/*
 * reliability.h — (include after fixture.h) for the crash, concurrency and backup tests: a generated
 * CSV list of invented prisoners (synthetic people exist only in tests), a
 * dump of every row of the store's tables for comparing two databases
 * exactly, and one-line helpers around the store.
 *
 * Header-only, static inline functions; include after the cmocka prelude
 * and fixture.h.
 */
#ifndef KT_TEST_STORE_RELIABILITY_H
#define KT_TEST_STORE_RELIABILITY_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/import.h"
#include "store/store.h"

/* Writes a CSV of n invented records to path; `tag` makes the rows (and so
 * the file's checksum) differ between files. */
static inline void rel_write_csv(const char *path, long n, const char *tag)
{
    static const char *const surnames[] = {"Kowalski", "Nowak", "Wiśniewski", "Wójcik",
                                           "Kamiński", "Lewandowski", "Zieliński", "Szymański"};
    static const char *const given[] = {"Jan", "Stanisław", "Józef", "Władysław", "Tadeusz"};
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "record_id,surname,given_names,birth_year,camp,note\n");
    for (long i = 0; i < n; i++)
        fprintf(f, "%s-%ld,%s,%s,%ld,Kozielsk,\"invented row %ld of %s, for a test\"\n", tag, i,
                surnames[i % 8], given[(i / 8) % 5], 1880 + i % 40, i, tag);
    assert_int_equal(fclose(f), 0);
}

static inline store *rel_open(const char *path, int create)
{
    store *st = NULL;
    kt_error err;
    kt_error_clear(&err);
    if (store_open(path, create, &st, &err) != KT_OK)
        fail_msg("store_open %s: %s", path, err.message);
    return st;
}

/* Imports path as source key; returns the status, err filled. */
static inline int rel_import(store *st, const char *path, const char *key, kt_error *err)
{
    store_import_options opt = {.source_key = key};
    store_import_result res;
    kt_error_clear(err);
    return store_import_csv(st, path, &opt, &res, err);
}

/* One integer from raw SQL; -999 when the statement fails. */
static inline int64_t rel_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static inline void rel_append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* Every row of the tables that hold the registry's facts, every column,
 * in id order: two stores with equal dumps hold the same records. */
static inline char *rel_dump(sqlite3 *db)
{
    static const char *const tables[] = {"source", "record", "person", "person_record",
                                         "person_alias", "place", "event", "figure",
                                         "document"};
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    assert_non_null(buf);
    buf[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1", tables[t]);
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        rel_append(&buf, &len, &cap, tables[t]);
        rel_append(&buf, &len, &cap, ":\n");
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *v = (const char *)sqlite3_column_text(s, c);
                rel_append(&buf, &len, &cap, v ? v : "\\N");
                rel_append(&buf, &len, &cap, "\t");
            }
            rel_append(&buf, &len, &cap, "\n");
        }
        sqlite3_finalize(s);
    }
    return buf;
}

/* PRAGMA integrity_check gives exactly "ok". */
static inline void rel_assert_intact(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

/* Removes path and its -wal, -shm and -journal. */
static inline void rel_remove_db(const char *path)
{
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[512];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

/* ---- a child process that stops inside its import ----------------------
 *
 * The child imports a list (or does other work) and, after a given number
 * of rows, stops inside its transaction (an SQLite update hook) and tells
 * the parent so
 * through a pipe; it goes on when the parent writes a byte to it, and can
 * be killed meanwhile. So a test knows exactly where the import stands:
 * no sleeps. */

typedef struct rel_child {
    pid_t pid;
    int go; /* write end: one byte lets the child go on */
} rel_child;

static long rel_stop_after, rel_inserted;
static const char *rel_stop_table;
static int rel_to_parent, rel_from_parent;

static inline void rel_on_insert(void *ctx, int op, const char *db, const char *table,
                                 sqlite3_int64 row)
{
    (void)ctx, (void)db, (void)row;
    if (op != SQLITE_INSERT || strcmp(table, rel_stop_table) || ++rel_inserted != rel_stop_after)
        return;
    char c = 's';
    if (write(rel_to_parent, &c, 1) != 1)
        _exit(3);
    if (read(rel_from_parent, &c, 1) != 1)
        _exit(4); /* the parent went away */
}

/* The work a child does on its store: KT_OK or an error status. */
typedef int (*rel_work_fn)(store *st, void *ctx);

/* Forks a child that opens the store at path and does work(st, ctx),
 * stopping inside it after `after` rows were inserted into `table`;
 * returns once the child has stopped. The child exits 0 when the work
 * succeeds, 1 when it fails. */
static inline rel_child rel_run_and_stop(const char *path, const char *table, long after,
                                         rel_work_fn work, void *ctx)
{
    int up[2], down[2];
    assert_int_equal(pipe(up), 0);
    assert_int_equal(pipe(down), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(up[0]);
        close(down[1]);
        rel_to_parent = up[1];
        rel_from_parent = down[0];
        rel_stop_after = after;
        rel_stop_table = table;
        store *st = NULL;
        kt_error err;
        if (store_open(path, 0, &st, &err) != KT_OK)
            _exit(5);
        sqlite3_update_hook(store_db(st), rel_on_insert, NULL);
        int rc = work(st, ctx);
        store_close(st);
        if (rel_inserted < after)
            _exit(6); /* never stopped: the parent fails the test */
        _exit(rc == KT_OK ? 0 : 1);
    }
    close(up[1]);
    close(down[0]);
    char c = 0;
    ssize_t n = read(up[0], &c, 1);
    close(up[0]);
    if (n != 1) {
        int status;
        waitpid(pid, &status, 0);
        fail_msg("the working child did not stop (exit %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return (rel_child){.pid = pid, .go = down[1]};
}

typedef struct rel_import_job {
    const char *csv, *key;
    int replace;
} rel_import_job;

static inline int rel_import_work(store *st, void *ctx)
{
    rel_import_job *job = ctx;
    store_import_options opt = {.source_key = job->key, .replace = job->replace};
    store_import_result res;
    kt_error err;
    return store_import_csv(st, job->csv, &opt, &res, &err);
}

/* A child importing csv as `key` (replacing when asked), stopped after
 * `after` records. */
static inline rel_child rel_import_and_stop(const char *path, const char *csv, const char *key,
                                            int replace, long after)
{
    static rel_import_job job; /* the child's copy outlives this call */
    job = (rel_import_job){.csv = csv, .key = key, .replace = replace};
    return rel_run_and_stop(path, "record", after, rel_import_work, &job);
}

/* Lets the child go on and waits for it; its exit code. */
static inline int rel_child_finish(rel_child *c)
{
    char b = 'g';
    assert_int_equal(write(c->go, &b, 1), 1);
    close(c->go);
    int status;
    assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Kills the child with SIGKILL where it stands. */
static inline void rel_child_kill(rel_child *c)
{
    assert_int_equal(kill(c->pid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    if (c->go >= 0)
        close(c->go);
}

/* A teardown for tests that leave more files than the database in the
 * fixture's directory (backups, generated lists): removes them all. */
static inline int rel_teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (f->st)
        store_close(f->st);
    f->st = NULL;
    int rc = system(cmd);
    teardown(state); /* frees the fixture; its files are gone already */
    return rc == 0 ? 0 : -1;
}

#endif
