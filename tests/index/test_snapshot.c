/*
 * test_snapshot.c — the index snapshot beside the database (index_open):
 * written on the first open, mapped on the next and answering exactly as
 * the index built in memory; never used once the store has changed (a
 * record, a link, an alias added); rebuilt when damaged; and a snapshot
 * that cannot be written leaves the search working from memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/index.h"
#include "store/store.h"
#include "../store/fixture.h"

static char snap[160];

static int64_t add_record(store *st, int64_t source_id, const char *key, const char *surname,
                          const char *given, int year)
{
    char raw[160];
    snprintf(raw, sizeof raw, "%s;%s;%s;%d", key, surname, given, year);
    store_record r = {.source_id = source_id, .record_key = key, .surname = surname,
                      .given_names = given, .birth_year = year, .raw = raw, .raw_line = 2};
    kt_error err;
    assert_int_equal(store_record_add(st, &r, &err), KT_OK);
    return r.id;
}

/* A store of a few Cyrillic records, opened in f->st. */
static void make_store(fixture *f)
{
    kt_error err;
    assert_int_equal(store_open(f->path, 1, &f->st, &err), KT_OK);
    store_source src = {.key = "test_list", .title = "Test list", .language = "ru",
                        .script = "Cyrl"};
    assert_int_equal(store_source_add(f->st, &src, &err), KT_OK);
    static const struct {
        const char *key, *surname, *given;
        int year;
    } recs[] = {
        {"R1", "Сморавинский", "Мечислав", 1893}, {"R2", "Бенашевский", "Мечислав", 1901},
        {"R3", "Ковальский", "Станислав", 1905},  {"R4", "Ольшина-Вильчинский", "Юзеф", 1890},
        {"R5", "Свёнтек", "Казимир", 1914},       {"R6", "Козельск", "Иван", 1900},
    };
    for (size_t i = 0; i < sizeof recs / sizeof *recs; i++)
        add_record(f->st, src.id, recs[i].key, recs[i].surname, recs[i].given, recs[i].year);
    snprintf(snap, sizeof snap, "%s%s", f->path, INDEX_SNAPSHOT_SUFFIX);
}

static int snap_teardown(void **state)
{
    fixture *f = *state;
    char p[200];
    snprintf(p, sizeof p, "%s%s", f->path, INDEX_SNAPSHOT_SUFFIX);
    unlink(p);
    rmdir(p);   /* the test that puts a directory there */
    return teardown(state);
}

static const char *const queries[] = {
    "Mieczysław Smorawiński", "Benaszweski", "Kowalski S.", "Olszyna Wilczynski 1890",
    "Kazimierz Swiatek", "Smorawiski", "Иван",
};

/* The same hits, scores and explanations from both indexes. */
static void assert_same_answers(const kt_index *a, const kt_index *b)
{
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        index_hit ha[10], hb[10];
        int na = index_query(a, queries[i], NULL, ha, 10);
        int nb = index_query(b, queries[i], NULL, hb, 10);
        assert_int_equal(na, nb);
        for (int k = 0; k < na; k++) {
            assert_int_equal(ha[k].record_id, hb[k].record_id);
            assert_true(ha[k].score == hb[k].score);
            index_entry ea, eb;
            index_entry_get(a, ha[k].slot, &ea);
            index_entry_get(b, hb[k].slot, &eb);
            assert_string_equal(ea.name, eb.name);
            assert_string_equal(ea.record_key, eb.record_key);
            assert_string_equal(ea.source_key, eb.source_key);
            char wa[8][160], wb[8][160];
            int nwa = index_explain(a, queries[i], ha[k].slot, wa, 8);
            int nwb = index_explain(b, queries[i], hb[k].slot, wb, 8);
            assert_int_equal(nwa, nwb);
            for (int w = 0; w < nwa; w++)
                assert_string_equal(wa[w], wb[w]);
        }
    }
}

static int finds(const kt_index *ix, const char *query, const char *record_key)
{
    index_hit h[5];
    int n = index_query(ix, query, NULL, h, 5);
    for (int i = 0; i < n; i++) {
        index_entry e;
        index_entry_get(ix, h[i].slot, &e);
        if (strcmp(e.record_key, record_key) == 0)
            return 1;
    }
    return 0;
}

static void test_written_then_mapped(void **state)
{
    fixture *f = *state;
    make_store(f);
    kt_error err;
    kt_index *built = NULL, *mapped = NULL;
    assert_int_equal(access(snap, F_OK), -1);
    assert_int_equal(index_open(f->st, &built, &err), KT_OK);
    assert_false(index_from_snapshot(built));
    assert_int_equal(access(snap, F_OK), 0);   /* written beside the database */
    struct stat sb;
    assert_int_equal(stat(snap, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);     /* the owner's, like the names in it */
    assert_int_equal(index_open(f->st, &mapped, &err), KT_OK);
    assert_true(index_from_snapshot(mapped));
    assert_int_equal(index_size(mapped), index_size(built));
    assert_same_answers(built, mapped);
    assert_true(finds(mapped, "Smorawiński", "R1"));
    index_free(built);
    index_free(mapped);
}

/* Every change the index is made of makes the snapshot stale: the next
 * open builds anew, finds what was added, and writes a fresh snapshot. */
static void test_stale_after_change(void **state)
{
    fixture *f = *state;
    make_store(f);
    kt_error err;
    kt_index *ix = NULL;
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(finds(ix, "Szczepkowski", "R7"));
    index_free(ix);

    /* a record added */
    store_source src;
    assert_int_equal(store_source_get(f->st, "test_list", &src, &err), KT_OK);
    int64_t id = add_record(f->st, src.id, "R7", "Щепковский", "Ян", 1910);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(index_from_snapshot(ix));
    assert_true(finds(ix, "Szczepkowski", "R7"));
    index_free(ix);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_true(index_from_snapshot(ix));      /* the fresh one */
    assert_true(finds(ix, "Szczepkowski", "R7"));
    index_free(ix);

    /* a person, a link and an alias: the record is found by the alias */
    int64_t person;
    assert_int_equal(store_person_add(f->st, "Jan Szczepkowski", &person, &err), KT_OK);
    assert_int_equal(store_link_add(f->st, person, id, "review", 1.0, "test", "same man", &err),
                     KT_OK);
    store_alias a = {.person_id = person, .name = "Jan Kowalczyk", .kind = "nom de guerre"};
    assert_int_equal(store_alias_add(f->st, &a, &err), KT_OK);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(index_from_snapshot(ix));
    assert_true(finds(ix, "Jan Kowalczyk", "R7"));
    index_free(ix);

    /* the source deleted (as import --replace does): none of its records */
    assert_int_equal(store_source_delete(f->st, src.id, &err), KT_OK);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(index_from_snapshot(ix));
    assert_int_equal(index_size(ix), 0);
    assert_false(finds(ix, "Smorawiński", "R1"));
    index_free(ix);
}

/* A damaged snapshot (cut short) is not used: the index is built again. */
static void test_damaged_rebuilt(void **state)
{
    fixture *f = *state;
    make_store(f);
    kt_error err;
    kt_index *ix = NULL;
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    index_free(ix);
    struct stat sb;
    assert_int_equal(stat(snap, &sb), 0);
    assert_int_equal(truncate(snap, sb.st_size / 2), 0);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(index_from_snapshot(ix));
    assert_true(finds(ix, "Benaszewski", "R2"));
    index_free(ix);
    FILE *g = fopen(snap, "wb");   /* not a snapshot at all */
    assert_non_null(g);
    fputs("not an index\n", g);
    fclose(g);
    assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
    assert_false(index_from_snapshot(ix));
    assert_true(finds(ix, "Benaszewski", "R2"));
    index_free(ix);
}

/* Where the snapshot cannot be written, the index built in memory serves. */
static void test_unwritable(void **state)
{
    fixture *f = *state;
    make_store(f);
    assert_int_equal(mkdir(snap, 0700), 0);   /* the name taken by a directory */
    kt_error err;
    for (int i = 0; i < 2; i++) {
        kt_index *ix = NULL;
        assert_int_equal(index_open(f->st, &ix, &err), KT_OK);
        assert_false(index_from_snapshot(ix));
        assert_true(finds(ix, "Smorawinski", "R1"));
        index_free(ix);
    }
    /* and an in-memory database has no snapshot */
    store *mem = NULL;
    assert_int_equal(store_open(":memory:", 1, &mem, &err), KT_OK);
    kt_index *ix = NULL;
    assert_int_equal(index_open(mem, &ix, &err), KT_OK);
    assert_int_equal(index_size(ix), 0);
    index_free(ix);
    store_close(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_written_then_mapped, setup, snap_teardown),
        cmocka_unit_test_setup_teardown(test_stale_after_change, setup, snap_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_rebuilt, setup, snap_teardown),
        cmocka_unit_test_setup_teardown(test_unwritable, setup, snap_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
