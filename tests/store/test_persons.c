/*
 * test_persons.c — the store's side of persons: a person with his records
 * and links, listing by source, the person's JSON (source, record_key, id
 * on every record), decisions, doubtful pairs, and undo of a run restoring
 * links, persons and decisions exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/json.h"
#include "store/persons.h"
#include "store/store.h"

#include "fixture.h"

static int64_t sql_int(store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Everything undo must restore, as one text. */
static char *links_dump(store *st)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 1 << 14, n = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
        "SELECT 'p', id, label, created_at, '', '' FROM person"
        " UNION ALL SELECT 'l', person_id, record_id, method, weight, coalesce(by,'')"
        "  || coalesce(why,'') || created_at FROM person_record"
        " UNION ALL SELECT 'r', id, coalesce(person_id, 0), '', '', '' FROM record"
        " UNION ALL SELECT 'd', record_a, record_b, decision, coalesce(by,''),"
        "  coalesce(why,'') FROM link_decision ORDER BY 1, 2, 3", -1, &s, NULL),
        SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        n += (size_t)snprintf(out + n, cap - n, "%s|%s|%s|%s|%s|%s\n",
                              sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
                              sqlite3_column_text(s, 2), sqlite3_column_text(s, 3),
                              sqlite3_column_text(s, 4), sqlite3_column_text(s, 5));
        assert_true(n < cap);
    }
    sqlite3_finalize(s);
    return out;
}

static int64_t add_record(store *st, const char *source, const char *key,
                          const char *surname, int year)
{
    kt_error err;
    store_source src;
    if (store_source_get(st, source, &src, &err) != KT_OK) {
        store_source add = {.key = source, .title = source};
        assert_int_equal(store_source_add(st, &add, &err), KT_OK);
        src.id = add.id;
    }
    store_record r = {.source_id = src.id, .record_key = key, .surname = surname,
                      .birth_year = year, .raw = surname};
    assert_int_equal(store_record_add(st, &r, &err), KT_OK);
    return r.id;
}

static int count_records(void *ctx, const store_record *r, const store_link *l)
{
    assert_int_equal(r->person_id, l->person_id);
    assert_int_equal(r->id, l->record_id);
    (*(int *)ctx)++;
    return 0;
}

static void test_person_read_and_json(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &f->st, &err), KT_OK);
    store *st = f->st;
    int64_t a = add_record(st, "nkvd", "N-1", "Смоленский", 1900);
    int64_t b = add_record(st, "pck", "P-7", "Smoleński", 1900);
    add_record(st, "pck", "P-8", "Kowalski", 1901);
    int64_t p;
    assert_int_equal(store_person_add(st, "Smoleński", &p, &err), KT_OK);
    assert_int_equal(store_link_add(st, p, a, "auto", 12.5, "kartoteka link", "surname +9",
                                    &err), KT_OK);
    assert_int_equal(store_link_add(st, p, b, "auto", 12.5, "kartoteka link", "surname +9",
                                    &err), KT_OK);
    store_person got;
    assert_int_equal(store_person_get(st, p, &got, &err), KT_OK);
    assert_int_equal(got.nrecords, 2);
    assert_string_equal(got.label, "Smoleński");
    assert_int_equal(store_person_get(st, p + 100, &got, &err), KT_ERR_NOTFOUND);
    int n = 0;
    assert_int_equal(store_person_records_each(st, p, count_records, &n, &err), KT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_persons_count(st, "pck"), 1);
    assert_int_equal(store_persons_count(st, NULL), 1);
    assert_int_equal(store_persons_count(st, "nobody"), 0);

    json_t *j = store_person_json(st, p, &err);
    assert_non_null(j);
    json_t *recs = json_object_get(j, "records");
    assert_int_equal(json_array_size(recs), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *r = json_array_get(recs, i);
        assert_true(json_is_string(json_object_get(r, "source")));
        assert_true(json_is_string(json_object_get(r, "record_key")));
        assert_true(json_is_integer(json_object_get(r, "id")));
        assert_string_equal(json_string_value(json_object_get(
            json_object_get(r, "link"), "method")), "auto");
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0),
                                                          "record_key")), "N-1");
    assert_int_equal(json_array_size(json_object_get(j, "sources")), 2);
    json_decref(j);
    assert_null(store_person_json(st, p + 100, &err));
}

static void test_undo_restores_exactly(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &f->st, &err), KT_OK);
    store *st = f->st;
    int64_t a = add_record(st, "nkvd", "N-1", "Смоленский", 1900);
    int64_t b = add_record(st, "pck", "P-7", "Smoleński", 1900);
    int64_t c = add_record(st, "pck", "P-8", "Kowalski", 1901);
    int64_t d = add_record(st, "nkvd", "N-2", "Ковальский", 1901);
    int64_t p, q, run;
    /* before: a+b one person (bundled), c+d another (auto), a decision */
    assert_int_equal(store_person_add(st, "A", &p, &err), KT_OK);
    assert_int_equal(store_link_add(st, p, a, "bundled", 1, "init", NULL, &err), KT_OK);
    assert_int_equal(store_link_add(st, p, b, "bundled", 1, "init", NULL, &err), KT_OK);
    assert_int_equal(store_person_add(st, "C", &q, &err), KT_OK);
    assert_int_equal(store_link_add(st, q, c, "auto", 9, "link", "x", &err), KT_OK);
    assert_int_equal(store_link_add(st, q, d, "auto", 9, "link", "x", &err), KT_OK);
    assert_int_equal(store_begin(st, &err), KT_OK);
    assert_int_equal(store_run_begin(st, "reject", "ewa", NULL, c, d, &run, &err), KT_OK);
    assert_int_equal(store_run_decide(st, run, d, c, "reject", "ewa", "other father",
                                      &err), KT_OK);
    assert_int_equal(store_commit(st, &err), KT_OK);
    char *before = links_dump(st);

    /* a run that merges c into p, moves d to a new person, empties q */
    assert_int_equal(store_begin(st, &err), KT_OK);
    assert_int_equal(store_run_begin(st, "accept", "jan", "why not", a, c, &run, &err),
                     KT_OK);
    assert_int_equal(store_run_decide(st, run, a, c, "accept", "jan", "same man", &err),
                     KT_OK);
    assert_int_equal(store_run_link(st, run, p, c, "review", 0, "jan", "same man", &err),
                     KT_OK);
    int64_t fresh;
    assert_int_equal(store_run_person_add(st, run, "D", &fresh, &err), KT_OK);
    assert_int_equal(store_run_unlink(st, run, d, &err), KT_OK);
    assert_int_equal(store_run_prune(st, run, &err), KT_OK);
    assert_int_equal(store_commit(st, &err), KT_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM person"), 1); /* q and D gone */
    assert_int_equal(store_run_changes(st, run), 3); /* c, d, q deleted */
    char *mid = links_dump(st);
    assert_string_not_equal(before, mid);

    store_undo_info info;
    assert_int_equal(store_run_undo(st, &info, &err), KT_OK);
    assert_int_equal(info.run_id, run);
    assert_string_equal(info.kind, "accept");
    char *after = links_dump(st);
    assert_string_equal(before, after);
    /* the reject before it undoes too, then nothing is left */
    assert_int_equal(store_run_undo(st, &info, &err), KT_OK);
    assert_int_equal(store_decision_get(st, c, d, &(store_decision){0}, &err),
                     KT_ERR_NOTFOUND);
    assert_int_equal(store_run_undo(st, &info, &err), KT_ERR_NOTFOUND);
    free(before);
    free(mid);
    free(after);
}

static int collect_pair(void *ctx, const store_pair *p)
{
    int64_t *v = ctx;
    v[v[0] + 1] = p->record_a;
    v[0]++;
    return 0;
}

static void test_pairs_and_decisions(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &f->st, &err), KT_OK);
    store *st = f->st;
    int64_t a = add_record(st, "nkvd", "N-1", "Смоленский", 1900);
    int64_t b = add_record(st, "pck", "P-7", "Smoleński", 1900);
    int64_t c = add_record(st, "pck", "P-8", "Smolenski", 1902);
    assert_int_equal(store_pair_add(st, &(store_pair){b, a, 3.5, "surname +6"}, &err),
                     KT_OK);
    assert_int_equal(store_pair_add(st, &(store_pair){a, c, 5.0, "surname +6"}, &err),
                     KT_OK);
    int64_t seen[8] = {0};
    assert_int_equal(store_pairs_each(st, 0, collect_pair, seen, &err), KT_OK);
    assert_int_equal(seen[0], 2); /* highest weight first, smaller id first */
    assert_int_equal(seen[1], a);
    store_pair p;
    assert_int_equal(store_pair_get(st, b, a, &p, &err), KT_OK);
    assert_int_equal(p.record_a, a);
    assert_true(p.weight == 3.5);
    /* a decided pair leaves the list */
    int64_t run;
    assert_int_equal(store_run_begin(st, "accept", "jan", NULL, a, c, &run, &err), KT_OK);
    assert_int_equal(store_run_decide(st, run, c, a, "accept", "jan", NULL, &err), KT_OK);
    memset(seen, 0, sizeof seen);
    assert_int_equal(store_pairs_each(st, 0, collect_pair, seen, &err), KT_OK);
    assert_int_equal(seen[0], 1);
    store_decision d;
    assert_int_equal(store_decision_get(st, c, a, &d, &err), KT_OK);
    assert_string_equal(d.decision, "accept");
    assert_int_equal(d.record_a, a);
    assert_int_equal(store_run_decide(st, run, a, 9999, "accept", "jan", NULL, &err),
                     KT_ERR_NOTFOUND);
}

/* A file of the version before the linkage tables (version 4: step 5 adds
 * them) migrates to them, and every later step, with its persons kept. */
#define BEFORE_LINKAGE 4
static void test_migration_keeps_persons(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_create_at_version(f->path, BEFORE_LINKAGE, &err), KT_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO person(id, label) VALUES (7, 'Kowalski');"
                                      "INSERT INTO source(id, key) VALUES (1, 'nkvd');"
                                      "INSERT INTO record(id, source_id, person_id, surname, raw)"
                                      " VALUES (3, 1, 7, 'Kowalski', 'Kowalski');"
                                      "INSERT INTO person_record(person_id, record_id, method)"
                                      " VALUES (7, 3, 'bundled');", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(f->path, 0, &f->st, &err), KT_OK);
    assert_int_equal(store_schema_version(f->st), store_schema_latest());
    store_person p;
    assert_int_equal(store_person_get(f->st, 7, &p, &err), KT_OK);
    assert_int_equal(p.nrecords, 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM link_run"), 0);
    int64_t run;
    assert_int_equal(store_run_begin(f->st, "link", "test", NULL, 0, 0, &run, &err), KT_OK);
    assert_int_equal(store_run_unlink(f->st, run, 3, &err), KT_OK);
    store_undo_info info;
    assert_int_equal(store_run_undo(f->st, &info, &err), KT_OK);
    assert_int_equal(sql_int(f->st, "SELECT person_id FROM record WHERE id = 3"), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_person_read_and_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_restores_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pairs_and_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_keeps_persons, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
