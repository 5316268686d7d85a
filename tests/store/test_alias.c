/*
 * test_alias.c — a person's other names: reading the other-spellings
 * column into spellings, remarks and kinds; the person_alias table (kinds
 * checked, walk by person, gone with the person); migration of a version 2
 * file to version 3 with its data kept; the bundled persons' aliases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"
#include "store/spellings.h"
#include "store/store.h"
#include "util/embedded.h"

#include "fixture.h"

static int64_t sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* ---- the column's reading ---------------------------------------------- */

typedef struct collected {
    int n;
    char text[16][128];
    char remark[16][128];
} collected;

static int collect(void *ctx, const char *spelling, const char *remark)
{
    collected *c = ctx;
    if (c->n == 16)
        return 99;
    snprintf(c->text[c->n], 128, "%s", spelling);
    snprintf(c->remark[c->n], 128, "%s", remark);
    c->n++;
    return 0;
}

static void test_spellings_split(void **state)
{
    (void)state;
    static const struct {
        const char *list;
        int n;
        const char *text[4], *remark[4];
    } cases[] = {
        {"", 0, {NULL}, {NULL}},
        {"Mieczyslaw Makary Smorawinski", 1, {"Mieczyslaw Makary Smorawinski"}, {""}},
        {"Jan Karski (nom de guerre, later legal name) = Ян Карский; Ян Каницкий (pseudonym Jan Kanicki)",
         3, {"Jan Karski", "Ян Карский", "Ян Каницкий"},
         {"nom de guerre, later legal name", "nom de guerre, later legal name",
          "pseudonym Jan Kanicki"}},
        {"Gecel (vel Gustaw) Herling (birth name per Polish source); Gerling", 2,
         {"Gecel Herling", "Gerling"}, {"vel Gustaw; birth name per Polish source", ""}},
        {"Казімір Свёнтэк / Казімір Свёнтак (Belarusian) ;  ; Kazimir Sviontak", 3,
         {"Казімір Свёнтэк", "Казімір Свёнтак", "Kazimir Sviontak"},
         {"Belarusian", "Belarusian", ""}},
        {"(a remark alone)", 0, {NULL}, {NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collected c = {0};
        assert_int_equal(spellings_each(cases[i].list, collect, &c), 0);
        if (c.n != cases[i].n)
            fail_msg("case %zu: %d spellings, expected %d", i, c.n, cases[i].n);
        for (int k = 0; k < c.n; k++) {
            assert_string_equal(c.text[k], cases[i].text[k]);
            assert_string_equal(c.remark[k], cases[i].remark[k]);
        }
    }
    /* the callback's non-zero value stops the walk */
    collected c = {.n = 16};
    assert_int_equal(spellings_each("A; B", collect, &c), 99);
}

static void test_spellings_kind(void **state)
{
    (void)state;
    static const struct {
        const char *remark, *kind;
    } cases[] = {
        {"nom de guerre, later legal name", "nom de guerre"},
        {"pseudonym Jan Kanicki", "pseudonym"},
        {"vel Gustaw; birth name per Polish source", "birth name"},
        {"maiden name", "maiden name"},
        {"married name", "married name"},
        {"name after she married", "married name"},
        {"pen name", "pen name"},
        {"nickname", "nickname"},
        {"Ukrainian", "other spelling"},
        {"German machine translation", "other spelling"},
        {"", "other spelling"},
        {NULL, "other spelling"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(spellings_kind(cases[i].remark), cases[i].kind);
    /* every kind the reader gives is one the store accepts */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int known = 0;
        for (int k = 0; k < STORE_ALIAS_NKINDS; k++)
            known |= strcmp(cases[i].kind, store_alias_kinds[k]) == 0;
        assert_true(known);
    }
}

/* ---- the table ------------------------------------------------------------ */

typedef struct walked {
    int n;
    char name[8][64], kind[8][32];
    int64_t person[8];
    int null_note;
} walked;

static int walk(void *ctx, const store_alias *a)
{
    walked *w = ctx;
    if (w->n < 8) {
        snprintf(w->name[w->n], 64, "%s", a->name);
        snprintf(w->kind[w->n], 32, "%s", a->kind);
        w->person[w->n] = a->person_id;
        w->null_note += a->note == NULL;
    }
    w->n++;
    return 0;
}

static void test_alias_table(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &st, &err), KT_OK);
    assert_true(store_schema_latest() >= 3);
    int64_t p1, p2;
    assert_int_equal(store_person_add(st, "Jan Romuald Kozielewski (1914)", &p1, &err), KT_OK);
    assert_int_equal(store_person_add(st, "Hanka Ordonówna (1902)", &p2, &err), KT_OK);

    store_alias a = {.person_id = p1, .name = "Jan Karski", .kind = "nom de guerre",
                     .note = "nom de guerre, later legal name",
                     .source_urls = "https://example.org/karski"};
    assert_int_equal(store_alias_add(st, &a, &err), KT_OK);
    assert_true(a.id > 0);
    store_alias b = {.person_id = p2, .name = "Weronika Hort", .kind = "pen name"};
    assert_int_equal(store_alias_add(st, &b, &err), KT_OK);
    store_alias c = {.person_id = p1, .name = "Ян Каницкий", .kind = "pseudonym"};
    assert_int_equal(store_alias_add(st, &c, &err), KT_OK);

    /* refused: an unknown kind, an empty name, a person who does not exist;
     * the schema refuses an unknown kind too, behind the function's back */
    store_alias bad = {.person_id = p1, .name = "X", .kind = "alias"};
    assert_int_equal(store_alias_add(st, &bad, &err), KT_ERR_INPUT);
    assert_non_null(strstr(err.message, "alias"));
    bad.kind = "pen name";
    bad.name = "";
    assert_int_equal(store_alias_add(st, &bad, &err), KT_ERR_INPUT);
    bad.name = "Nobody";
    bad.person_id = p2 + 100;
    assert_int_equal(store_alias_add(st, &bad, &err), KT_ERR_NOTFOUND);
    assert_int_not_equal(sqlite3_exec(store_db(st),
        "INSERT INTO person_alias(person_id, name, kind) VALUES (1, 'X', 'alias')",
        NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_count(st, "person_alias"), 3);

    walked w = {0};
    assert_int_equal(store_aliases_each(st, 0, walk, &w, &err), KT_OK);
    assert_int_equal(w.n, 3);
    assert_string_equal(w.name[0], "Jan Karski");
    assert_string_equal(w.kind[0], "nom de guerre");
    assert_string_equal(w.name[1], "Weronika Hort");
    assert_int_equal(w.person[1], p2);
    assert_int_equal(w.null_note, 2);
    memset(&w, 0, sizeof w);
    assert_int_equal(store_aliases_each(st, p1, walk, &w, &err), KT_OK);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.name[1], "Ян Каницкий");

    /* the aliases go with their person */
    assert_int_equal(sqlite3_exec(store_db(st), "DELETE FROM person WHERE id = 1",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_count(st, "person_alias"), 1);
    store_close(st);
}

static void test_migration_from_v2(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(store_create_at_version(f->path, 2, &err), KT_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), 2);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'person_alias'"), 0);
    assert_int_equal(sqlite3_exec(db,
        "INSERT INTO source(id, key, title) VALUES (7, 'old_list', 'Old list');"
        "INSERT INTO person(id, label) VALUES (3, 'Kowalski Jan');"
        "INSERT INTO record(id, source_id, person_id, surname, given_names,"
        " birth_year, raw, raw_line, source_urls) VALUES (11, 7, 3, 'Kowalski', 'Jan', 1900,"
        " 'Kowalski;Jan;1900', 2, 'https://example.org/k');"
        "INSERT INTO person_record(person_id, record_id, method) VALUES (3, 11, 'review');",
        NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    store *st = NULL;
    assert_int_equal(store_open(f->path, 0, &st, &err), KT_OK);
    assert_int_equal(store_schema_version(st), store_schema_latest());
    sqlite3 *sdb = store_db(st);
    assert_int_equal(sql_int(sdb, "SELECT count(*) FROM sqlite_schema WHERE type ="
                                  " 'index' AND name = 'person_alias_person'"), 1);
    assert_int_equal(sql_int(sdb, "SELECT count(*) FROM audit_log WHERE action ="
                                  " 'migrate' AND detail LIKE 'schema version 3:%'"), 1);
    /* the data survived */
    store_record r;
    assert_int_equal(store_record_get(st, 11, &r, &err), KT_OK);
    assert_string_equal(r.surname, "Kowalski");
    assert_int_equal(r.person_id, 3);
    assert_string_equal(r.source_urls, "https://example.org/k");
    assert_int_equal(store_count(st, "person_record"), 1);
    assert_int_equal(store_count(st, "person_alias"), 0);
    /* and the new table takes the old person's aliases */
    store_alias a = {.person_id = 3, .name = "Kowal", .kind = "nickname"};
    assert_int_equal(store_alias_add(st, &a, &err), KT_OK);
    store_close(st);
    st = NULL;
    assert_int_equal(store_open(f->path, 0, &st, &err), KT_OK);
    assert_int_equal(store_count(st, "person_alias"), 1);
    store_close(st);
}

/* ---- the bundled persons ------------------------------------------------ */

typedef struct find {
    const char *name;
    char kind[32], note[256], urls[1024];
    int64_t person;
} find;

static int find_cb(void *ctx, const store_alias *a)
{
    find *x = ctx;
    if (strcmp(a->name, x->name) == 0) {
        snprintf(x->kind, sizeof x->kind, "%s", a->kind);
        snprintf(x->note, sizeof x->note, "%s", a->note ? a->note : "");
        snprintf(x->urls, sizeof x->urls, "%s", a->source_urls ? a->source_urls : "");
        x->person = a->person_id;
    }
    return 0;
}

static void test_bundled_aliases(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &st, &err), KT_OK);
    const kt_blob *b = kt_embedded("data/names/dev_persons.tsv");
    assert_non_null(b);
    assert_true(history_load_persons(st, b->path, b->data, b->len, &err) > 0);
    int64_t n = store_count(st, "person_alias");
    assert_true(n >= 40);

    static const struct {
        const char *name, *kind, *person_label, *note_part;
    } want[] = {
        {"Jan Karski", "nom de guerre", "Jan Romuald Kozielewski (1914)", "later legal name"},
        {"Ян Карский", "nom de guerre", "Jan Romuald Kozielewski (1914)", "nom de guerre"},
        {"Ян Каницкий", "pseudonym", "Jan Romuald Kozielewski (1914)", "Jan Kanicki"},
        {"Ян Козєлєвський", "other spelling", "Jan Romuald Kozielewski (1914)", "Ukrainian"},
        {"Janina Dowbor-Muśnicka", "maiden name", "Janina Antonina Lewandowska (1908)", "maiden"},
        {"Weronika Hort", "pen name", "Hanka Ordonówna (1902)", "pen name"},
        {"Maria Anna Pietruszyńska", "birth name", "Hanka Ordonówna (1902)", "birth name"},
        {"Ordonka", "nickname", "Hanka Ordonówna (1902)", "nickname"},
        /* the row gives no remark: no kind is made up for it */
        {"Maria Anna Tyszkiewicz", "other spelling", "Hanka Ordonówna (1902)", ""},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        find x = {.name = want[i].name};
        assert_int_equal(store_aliases_each(st, 0, find_cb, &x, &err), KT_OK);
        if (!x.person)
            fail_msg("no alias '%s'", want[i].name);
        assert_string_equal(x.kind, want[i].kind);
        assert_non_null(strstr(x.note, want[i].note_part));
        assert_non_null(strstr(x.urls, "https://"));
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT label = '%s' FROM person WHERE id = %lld",
                 want[i].person_label, (long long)x.person);
        if (sql_int(store_db(st), sql) != 1)
            fail_msg("alias '%s' is not on %s", want[i].name, want[i].person_label);
    }
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM audit_log WHERE action ="
                                           " 'aliases_load'"), 1);

    /* loading again replaces the aliases with the persons */
    assert_true(history_load_persons(st, b->path, b->data, b->len, &err) > 0);
    assert_int_equal(store_count(st, "person_alias"), n);
    assert_int_equal(sql_int(store_db(st), "SELECT count(*) FROM person_alias a WHERE NOT"
                                           " EXISTS (SELECT 1 FROM record r WHERE"
                                           " r.person_id = a.person_id)"), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings_split),
        cmocka_unit_test(test_spellings_kind),
        cmocka_unit_test_setup_teardown(test_alias_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundled_aliases, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
