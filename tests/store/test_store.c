/*
 * test_store.c — the store: creating and opening, identity and version
 * checks, forward migration from an older file, foreign keys, nested
 * transactions, sources, records, persons and links, deleting a source.
 *
 * Every test works in its own temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"

#include "fixture.h"

static store *open_new(fixture *f)
{
    store *st = NULL;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_open(f->path, 1, &st, &err);
    if (rc != KT_OK)
        fail_msg("store_open: %s", err.message);
    return st;
}

/* One integer from raw SQL, for looking behind the store's back. */
static int64_t sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int64_t add_source(store *st, const char *key)
{
    store_source src = {.key = key, .title = "Test list", .language = "pl",
                        .script = "Latn", .checksum = "abc123"};
    kt_error err;
    assert_int_equal(store_source_add(st, &src, &err), KT_OK);
    assert_true(src.id > 0);
    return src.id;
}

static int64_t add_record(store *st, int64_t source_id, const char *surname, int year)
{
    char raw[128];
    snprintf(raw, sizeof raw, "%s;Jan;%d", surname, year);
    store_record r = {.source_id = source_id, .surname = surname,
                      .given_names = "Jan", .birth_year = year, .raw = raw,
                      .raw_line = 2};
    kt_error err;
    assert_int_equal(store_record_add(st, &r, &err), KT_OK);
    assert_true(r.id > 0);
    return r.id;
}

static void test_create_sets_up_schema(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    assert_int_equal(store_schema_version(st), store_schema_latest());
    assert_true(store_schema_latest() >= 2);
    sqlite3 *db = store_db(st);
    assert_int_equal(sql_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(sql_int(db, "PRAGMA application_id"), 0x4B744B61);
    assert_int_equal(sql_int(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    const char *tables[] = {"source", "record", "person", "person_record", "place",
                            "event", "event_place", "figure", "document", "audit_log"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        assert_int_equal(store_count(st, tables[i]),
                         tables[i][0] == 'a' ? store_schema_latest() : 0);
    assert_int_equal(store_count(st, "no_such_table"), -1);
    assert_int_equal(store_count(st, "record; DROP TABLE record"), -1);
    store_close(st);

    /* Reopening an up-to-date file changes nothing. */
    st = open_new(f);
    assert_int_equal(store_count(st, "audit_log"), store_schema_latest());
    store_close(st);
}

static void test_missing_file_without_create(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(f->path, 0, &st, &err), KT_ERR_NOTFOUND);
    assert_null(st);
    assert_non_null(strstr(err.message, "init"));
    assert_int_not_equal(access(f->path, F_OK), 0);
}

static void test_text_file_refused(void **state)
{
    fixture *f = *state;
    const char *text = "surname;given\nKowalski;Jan\n";
    FILE *fp = fopen(f->path, "w");
    fputs(text, fp);
    fclose(fp);
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &st, &err), KT_ERR_INPUT);
    assert_null(st);
    assert_non_null(strstr(err.message, "not a kartoteka database"));
    /* The file is untouched. */
    char buf[128] = "";
    fp = fopen(f->path, "r");
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

static void test_foreign_sqlite_refused(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &st, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "not a kartoteka"));
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
    sqlite3_close(db);
}

static void test_newer_version_refused(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
    assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    store_close(st);
    kt_error err;
    st = NULL;
    assert_int_equal(store_open(f->path, 0, &st, &err), KT_ERR_INPUT);
    assert_null(st);
    assert_non_null(strstr(err.message, "newer"));
}

static void test_migration_from_v1(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_create_at_version(f->path, 1, &err), KT_OK);

    /* A v1 file, written as v1 code would: no record.source_urls yet. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM pragma_table_info('record')"
                                 " WHERE name = 'source_urls'"), 0);
    assert_int_equal(sqlite3_exec(db,
        "INSERT INTO source(id, key, title) VALUES (7, 'old_list', 'Old list');"
        "INSERT INTO person(id, label) VALUES (3, 'Kowalski Jan');"
        "INSERT INTO record(id, source_id, person_id, surname, given_names,"
        " birth_year, raw, raw_line) VALUES (11, 7, 3, 'Kowalski', 'Jan', 1900,"
        " 'Kowalski;Jan;1900', 2);"
        "INSERT INTO person_record(person_id, record_id, method) VALUES (3, 11, 'review');",
        NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    store *st = NULL;
    assert_int_equal(store_open(f->path, 0, &st, &err), KT_OK);
    assert_int_equal(store_schema_version(st), store_schema_latest());
    sqlite3 *sdb = store_db(st);
    assert_int_equal(sql_int(sdb, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(sql_int(sdb, "SELECT count(*) FROM pragma_table_info('record')"
                                  " WHERE name = 'source_urls'"), 1);
    assert_int_equal(sql_int(sdb, "SELECT count(*) FROM sqlite_schema WHERE type ="
                                  " 'index' AND name = 'record_person'"), 1);
    assert_int_equal(sql_int(sdb, "SELECT count(*) FROM audit_log WHERE action ="
                                  " 'migrate' AND detail LIKE 'schema version 2:%'"), 1);
    /* The data survived. */
    store_record r;
    assert_int_equal(store_record_get(st, 11, &r, &err), KT_OK);
    assert_string_equal(r.surname, "Kowalski");
    assert_string_equal(r.source_key, "old_list");
    assert_int_equal(r.person_id, 3);
    assert_int_equal(r.birth_year, 1900);
    assert_null(r.source_urls);
    assert_int_equal(store_count(st, "person_record"), 1);
    /* And the new column works. */
    store_record n = {.source_id = 7, .surname = "Nowak", .raw = "Nowak",
                      .source_urls = "https://example.org/a"};
    assert_int_equal(store_record_add(st, &n, &err), KT_OK);
    assert_int_equal(store_record_get(st, n.id, &r, &err), KT_OK);
    assert_string_equal(r.source_urls, "https://example.org/a");
    store_close(st);

    /* Going back is not possible. */
    assert_int_equal(store_create_at_version(f->path, 1, &err), KT_ERR_EXISTS);
}

/* Several processes opening one old file at once: each step is applied
 * exactly once and every opener ends at the current version. */
static void test_concurrent_migration(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_create_at_version(f->path, 1, &err), KT_OK);
    fflush(NULL);
    pid_t kids[4];
    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0) {
            store *c = NULL;
            kt_error e;
            int ok = store_open(f->path, 0, &c, &e) == KT_OK &&
                     store_schema_version(c) == store_schema_latest();
            store_close(c);
            _exit(ok ? 0 : 1);
        }
    }
    for (int i = 0; i < 4; i++) {
        int status = 0;
        assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    store *st = open_new(f);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM audit_log WHERE"
                                           " action = 'migrate'"), store_schema_latest());
    store_close(st);
}

static void test_foreign_keys_enforced(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;
    store_record r = {.source_id = 4242, .surname = "X", .raw = "X"};
    assert_int_not_equal(store_record_add(st, &r, &err), KT_OK);
    assert_int_equal(store_count(st, "record"), 0);
    /* Also behind the API: raw SQL is held to the same constraints. */
    assert_int_not_equal(sqlite3_exec(store_db(st),
        "INSERT INTO person_record(person_id, record_id, method) VALUES (1, 1, 'auto')",
        NULL, NULL, NULL), SQLITE_OK);
    int64_t sid = add_source(st, "list_a");
    int64_t rid = add_record(st, sid, "Kowalski", 1900);
    assert_int_equal(store_link_add(st, 999, rid, "auto", 0.5, NULL, NULL, &err),
                     KT_ERR_NOTFOUND);
    store_record got;
    assert_int_equal(store_record_get(st, rid, &got, &err), KT_OK);
    assert_int_equal(got.person_id, 0);
    store_close(st);
}

static void test_transactions_roll_back(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;

    assert_int_equal(store_begin(st, &err), KT_OK);
    int64_t sid = add_source(st, "list_a");
    add_record(st, sid, "Kowalski", 1900);
    store_rollback(st);
    assert_int_equal(store_count(st, "source"), 0);
    assert_int_equal(store_count(st, "record"), 0);

    /* Nested: the inner rollback undoes only the inner part. */
    assert_int_equal(store_begin(st, &err), KT_OK);
    sid = add_source(st, "list_a");
    assert_int_equal(store_begin(st, &err), KT_OK);
    add_record(st, sid, "Nowak", 1901);
    store_rollback(st);
    assert_int_equal(store_begin(st, &err), KT_OK);
    add_record(st, sid, "Wiśniewski", 1902);
    assert_int_equal(store_commit(st, &err), KT_OK);
    assert_int_equal(store_commit(st, &err), KT_OK);
    assert_int_equal(store_count(st, "source"), 1);
    assert_int_equal(store_count(st, "record"), 1);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM record WHERE surname"
                                           " = 'Wiśniewski'"), 1);
    assert_int_not_equal(store_commit(st, &err), KT_OK); /* nothing open */

    /* Closing with an open transaction keeps nothing of it. */
    assert_int_equal(store_begin(st, &err), KT_OK);
    add_source(st, "list_b");
    store_close(st);
    st = open_new(f);
    assert_int_equal(store_count(st, "source"), 1);
    store_close(st);
}

static void test_sources(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;
    store_source src = {.key = "memorial_moscow", .title = "Расстрелянные в Москве",
                        .language = "ru", .script = "Cyrl", .url = "https://example.org",
                        .file_name = "moscow.csv", .checksum = "deadbeef"};
    assert_int_equal(store_source_add(st, &src, &err), KT_OK);
    store_source dup = {.key = "memorial_moscow", .title = "again"};
    assert_int_equal(store_source_add(st, &dup, &err), KT_ERR_EXISTS);
    store_source nokey = {.title = "no key"};
    assert_int_equal(store_source_add(st, &nokey, &err), KT_ERR_INPUT);

    store_source got;
    assert_int_equal(store_source_get(st, "memorial_moscow", &got, &err), KT_OK);
    assert_int_equal(got.id, src.id);
    assert_string_equal(got.title, "Расстрелянные в Москве");
    assert_string_equal(got.script, "Cyrl");
    assert_null(got.reference);
    assert_int_equal(store_source_get(st, "nope", &got, &err), KT_ERR_NOTFOUND);
    assert_int_equal(store_source_by_checksum(st, "deadbeef", &got, &err), KT_OK);
    assert_string_equal(got.key, "memorial_moscow");
    assert_int_equal(store_source_by_checksum(st, "cafe", &got, &err), KT_ERR_NOTFOUND);
    store_close(st);
}

typedef struct walk {
    int n;
    int64_t last_id;
    int stop_at;
    char surnames[8][32];
} walk;

static int walk_cb(void *ctx, const store_record *r)
{
    walk *w = ctx;
    if (r->id <= w->last_id)
        return 99; /* out of order */
    w->last_id = r->id;
    if (w->n < 8)
        snprintf(w->surnames[w->n], sizeof w->surnames[0], "%s", r->surname);
    w->n++;
    return w->stop_at && w->n == w->stop_at ? 7 : 0;
}

static void test_records(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;
    int64_t a = add_source(st, "list_a");
    int64_t b = add_source(st, "list_b");
    add_record(st, a, "Kowalski", 1900);
    add_record(st, b, "Сморавинский", 1893);
    add_record(st, a, "Nowak", 1901);

    store_record full = {.source_key = "list_b", .record_key = "17",
                         .surname = "Smorawiński", .given_names = "Mieczysław Makary",
                         .father_name = "Jan", .birth_year = 1893, .birth_place = "Kalisz",
                         .rank = "generał brygady", .camp = "Kozelsk",
                         .fate = "shot Katyn 1940", .note = "", .raw = "P001\tSmorawiński",
                         .raw_line = 2, .source_urls = "https://a | https://b"};
    assert_int_equal(store_record_add(st, &full, &err), KT_OK);
    assert_int_equal(full.source_id, b);
    store_record r;
    assert_int_equal(store_record_get(st, full.id, &r, &err), KT_OK);
    assert_string_equal(r.surname, "Smorawiński");
    assert_string_equal(r.given_names, "Mieczysław Makary");
    assert_string_equal(r.record_key, "17");
    assert_string_equal(r.raw, "P001\tSmorawiński");
    assert_string_equal(r.source_key, "list_b");
    assert_null(r.note); /* "" is stored as unknown */
    assert_null(r.patronymic);
    assert_int_equal(r.raw_line, 2);
    assert_int_equal(store_record_get(st, 12345, &r, &err), KT_ERR_NOTFOUND);

    store_record noraw = {.source_id = a, .surname = "X"};
    assert_int_equal(store_record_add(st, &noraw, &err), KT_ERR_INPUT);
    store_record badkey = {.source_key = "nope", .surname = "X", .raw = "X"};
    assert_int_equal(store_record_add(st, &badkey, &err), KT_ERR_NOTFOUND);

    walk w = {0};
    assert_int_equal(store_records_each(st, NULL, walk_cb, &w, &err), KT_OK);
    assert_int_equal(w.n, 4);
    assert_string_equal(w.surnames[1], "Сморавинский");
    memset(&w, 0, sizeof w);
    assert_int_equal(store_records_each(st, "list_a", walk_cb, &w, &err), KT_OK);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.surnames[0], "Kowalski");
    assert_string_equal(w.surnames[1], "Nowak");
    memset(&w, 0, sizeof w);
    w.stop_at = 2;
    assert_int_equal(store_records_each(st, NULL, walk_cb, &w, &err), 7);
    assert_int_equal(w.n, 2);
    assert_int_equal(store_records_each(st, "nope", walk_cb, &w, &err), KT_ERR_NOTFOUND);
    store_close(st);
}

static int64_t add_keyed(store *st, int64_t source_id, const char *key, const char *surname)
{
    store_record r = {.source_id = source_id, .record_key = key, .surname = surname,
                      .raw = surname, .raw_line = 2};
    kt_error err;
    assert_int_equal(store_record_add(st, &r, &err), KT_OK);
    return r.id;
}

/* A record found by its list's own key: of one source, or of any (where
 * two lists, or one careless list, may share a key); the ids in id order,
 * a page of them past a skip, the count in all; through the index. */
static void test_record_by_key(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    int64_t a = add_source(st, "nkvd"), b = add_source(st, "exhumed");
    int64_t a1 = add_keyed(st, a, "417", "Kowalski");
    add_keyed(st, a, "418", "Nowak");
    int64_t b1 = add_keyed(st, b, "417", "Kowalskij");
    int64_t b2 = add_keyed(st, b, "417", "Kowalsky");   /* the same key twice in one list */
    add_keyed(st, b, NULL, "Zieliński");
    kt_error err;
    kt_error_clear(&err);
    int64_t ids[4] = {0};
    size_t n = 99;
    assert_int_equal(store_record_ids_by_key(st, "nkvd", "417", 0, ids, 4, &n, &err), KT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], a1);
    assert_int_equal(store_record_ids_by_key(st, NULL, "417", 0, ids, 4, &n, &err), KT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], a1);
    assert_int_equal(ids[1], b1);
    assert_int_equal(ids[2], b2);
    /* past a skip, at most cap, the count still of all */
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_record_ids_by_key(st, NULL, "417", 1, ids, 1, &n, &err), KT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], b1);
    assert_int_equal(ids[1], 0);
    assert_int_equal(store_record_ids_by_key(st, "exhumed", "418", 0, ids, 4, &n, &err), KT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_record_ids_by_key(st, NULL, "", 0, ids, 4, &n, &err), KT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_record_ids_by_key(st, "nope", "417", 0, ids, 4, &n, &err),
                     KT_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "nope"));
    /* a lookup among millions must not read them all */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "EXPLAIN QUERY PLAN SELECT id FROM record"
                                        " WHERE record_key = '417'", -1, &s, NULL), SQLITE_OK);
    int indexed = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        indexed |= strstr((const char *)sqlite3_column_text(s, 3), "INDEX record_key") != NULL;
    sqlite3_finalize(s);
    assert_true(indexed);
    store_close(st);
}

static void test_links_and_source_delete(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;
    int64_t a = add_source(st, "list_a");
    int64_t b = add_source(st, "list_b");
    int64_t a1 = add_record(st, a, "Kowalski", 1900);
    int64_t b1 = add_record(st, b, "Ковальский", 1900);
    int64_t a2 = add_record(st, a, "Nowak", 1901);
    int64_t b2 = add_record(st, b, "Новак", 1901);

    int64_t p1, p2;
    assert_int_equal(store_person_add(st, "Kowalski Jan", &p1, &err), KT_OK);
    assert_int_equal(store_person_add(st, "Nowak Jan", &p2, &err), KT_OK);
    assert_int_equal(store_link_add(st, p1, a1, "bundled", 1, "kartoteka init",
                                    "same person in both lists", &err), KT_OK);
    assert_int_equal(store_link_add(st, p1, b1, "bundled", 1, NULL, NULL, &err), KT_OK);
    assert_int_equal(store_link_add(st, p2, a2, "auto", 0.9, NULL, NULL, &err), KT_OK);
    assert_int_equal(store_link_add(st, p2, b2, "guess", 0.9, NULL, NULL, &err),
                     KT_ERR_INPUT);
    assert_int_equal(store_link_add(st, p2, 9999, "auto", 0.9, NULL, NULL, &err),
                     KT_ERR_NOTFOUND);
    store_record r;
    assert_int_equal(store_record_get(st, b1, &r, &err), KT_OK);
    assert_int_equal(r.person_id, p1);
    assert_int_equal(store_count(st, "person_record"), 3);

    /* Linking the same pair again updates the provenance, no duplicate. */
    assert_int_equal(store_link_add(st, p2, a2, "review", 1, "reviewer", "checked",
                                    &err), KT_OK);
    assert_int_equal(store_count(st, "person_record"), 3);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM person_record WHERE"
                                           " method = 'review'"), 1);
    /* Moving a record to another person replaces its link. */
    assert_int_equal(store_link_add(st, p2, b1, "review", 1, NULL, NULL, &err), KT_OK);
    assert_int_equal(store_count(st, "person_record"), 3);
    assert_int_equal(store_record_get(st, b1, &r, &err), KT_OK);
    assert_int_equal(r.person_id, p2);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM audit_log WHERE"
                                           " action = 'relink'"), 1);
    /* p1 = {a1}, p2 = {a2, b1}; b2 unlinked. Deleting list_a removes p1 (only
     * made of list_a) but keeps p2, who still has b1. */
    assert_int_equal(store_source_delete(st, a, &err), KT_OK);
    assert_int_equal(store_count(st, "source"), 1);
    assert_int_equal(store_count(st, "record"), 2);
    assert_int_equal(store_count(st, "person"), 1);
    assert_int_equal(store_count(st, "person_record"), 1);
    assert_int_equal(store_record_get(st, b1, &r, &err), KT_OK);
    assert_int_equal(r.person_id, p2);
    assert_int_equal(store_source_delete(st, a, &err), KT_ERR_NOTFOUND);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM audit_log WHERE"
                                           " action = 'source_delete' AND object ="
                                           " 'list_a' AND detail = '2 records'"), 1);
    store_close(st);
}

/* WAL: a reader sees the last commit, not the writer's open transaction. */
static void test_reader_isolated_from_writer(void **state)
{
    fixture *f = *state;
    store *w = open_new(f), *r = open_new(f);
    kt_error err;
    assert_int_equal(store_begin(w, &err), KT_OK);
    add_source(w, "list_a");
    assert_int_equal(store_count(r, "source"), 0);
    assert_int_equal(store_commit(w, &err), KT_OK);
    assert_int_equal(store_count(r, "source"), 1);
    store_close(r);
    store_close(w);
}

/* A process that dies inside a transaction leaves nothing of it behind. */
static void test_crash_inside_transaction(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    add_source(st, "kept");
    store_close(st);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        kt_error err;
        store *c = NULL;
        if (store_open(f->path, 0, &c, &err) != KT_OK || store_begin(c, &err) != KT_OK)
            _exit(2);
        store_source src = {.key = "lost", .title = "never committed"};
        if (store_source_add(c, &src, &err) != KT_OK)
            _exit(3);
        for (int i = 0; i < 5000; i++) {
            store_record r = {.source_id = src.id, .surname = "X", .raw = "X"};
            if (store_record_add(c, &r, &err) != KT_OK)
                _exit(4);
        }
        _exit(0); /* no commit, no close */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    st = open_new(f);
    kt_error err;
    store_source got;
    assert_int_equal(store_source_get(st, "kept", &got, &err), KT_OK);
    assert_int_equal(store_source_get(st, "lost", &got, &err), KT_ERR_NOTFOUND);
    assert_int_equal(store_count(st, "record"), 0);
    assert_int_equal(sql_int(store_db(st), "SELECT integrity_check = 'ok' FROM"
                                           " pragma_integrity_check"), 1);
    store_close(st);
}

static int count_cb(void *ctx, const store_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* A bulk load in one transaction and a full walk: the paths an import and
 * the index build take. */
static void test_bulk(void **state)
{
    fixture *f = *state;
    store *st = open_new(f);
    kt_error err;
    assert_int_equal(store_begin(st, &err), KT_OK);
    int64_t sid = add_source(st, "bulk");
    char surname[32], raw[64];
    for (int i = 0; i < 20000; i++) {
        snprintf(surname, sizeof surname, "Test%05d", i);
        snprintf(raw, sizeof raw, "%s;%d", surname, 1880 + i % 40);
        store_record r = {.source_id = sid, .surname = surname, .raw = raw,
                          .birth_year = 1880 + i % 40, .raw_line = i + 2};
        assert_int_equal(store_record_add(st, &r, &err), KT_OK);
    }
    assert_int_equal(store_commit(st, &err), KT_OK);
    int n = 0;
    assert_int_equal(store_records_each(st, "bulk", count_cb, &n, &err), KT_OK);
    assert_int_equal(n, 20000);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_sets_up_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_without_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_file_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_sqlite_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions_roll_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_by_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_and_source_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_isolated_from_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_inside_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
