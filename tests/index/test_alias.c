/*
 * test_alias.c — other names of a person in the name index: an alias hit
 * returns the person's record, once, first line of its explanation naming
 * the alias and its kind; the entry of the hit is the record's; filters
 * apply to it as to the record; a query that matches no alias gets exactly
 * the results of an index without aliases; bad calls are refused.
 *
 * The records are synthetic except the person the aliases belong to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "index/index.h"
#include "store/store.h"

static const store_record kozielewski_pl = {
    .id = 101, .person_id = 7, .source_key = "pl", .surname = "Kozielewski",
    .given_names = "Jan Romuald", .father_name = "Stefan", .birth_year = 1914,
    .camp = "other",
};
static const store_record kozielewski_ru = {
    .id = 102, .person_id = 7, .source_key = "ru", .surname = "Козелевский",
    .given_names = "Ян", .birth_year = 1914, .camp = "other",
};

static const struct {
    const store_record *rec;
    const char *alias, *kind;
} aliases[] = {
    {&kozielewski_pl, "Jan Karski", "nom de guerre"},
    {&kozielewski_ru, "Ян Карский", "nom de guerre"},
    {&kozielewski_ru, "Ян Каницкий", "pseudonym"},
    /* the record's own name again: the query reaches both entries */
    {&kozielewski_pl, "Jan Kozielewski", "other spelling"},
};
#define NALIAS (sizeof aliases / sizeof aliases[0])

/* Distractors: every surname with every given name, both scripts, and a
 * Karska and a Karaś, near the alias but other people. */
static const char *const lat_sur[] = {"Nowak", "Kowalski", "Wiśniewski", "Karaś",
                                      "Karska", "Kozłowski", "Zieliński", "Hortyński"};
static const char *const lat_giv[] = {"Jan", "Józef", "Anna", "Weronika", "Stefan"};
static const char *const cyr_sur[] = {"Новак", "Ковальский", "Карпов", "Козлов",
                                      "Зелинский"};
static const char *const cyr_giv[] = {"Ян", "Иван", "Николай", "Анна"};

static kt_index *build(int with_aliases)
{
    kt_index *ix = index_new();
    assert_non_null(ix);
    int64_t id = 1000;
    for (size_t y = 0; y < 3; y++) {
        for (size_t s = 0; s < sizeof lat_sur / sizeof *lat_sur; s++)
            for (size_t g = 0; g < sizeof lat_giv / sizeof *lat_giv; g++) {
                store_record r = {.id = id++, .source_key = "pl", .surname = lat_sur[s],
                                  .given_names = lat_giv[g], .birth_year = 1890 + (int)(y * 10 + g)};
                assert_int_equal(index_add(ix, &r), KT_OK);
            }
        for (size_t s = 0; s < sizeof cyr_sur / sizeof *cyr_sur; s++)
            for (size_t g = 0; g < sizeof cyr_giv / sizeof *cyr_giv; g++) {
                store_record r = {.id = id++, .source_key = "ru", .surname = cyr_sur[s],
                                  .given_names = cyr_giv[g], .birth_year = 1895 + (int)(y * 10 + s)};
                assert_int_equal(index_add(ix, &r), KT_OK);
            }
    }
    assert_int_equal(index_add(ix, &kozielewski_pl), KT_OK);
    assert_int_equal(index_add(ix, &kozielewski_ru), KT_OK);
    if (with_aliases)
        for (size_t i = 0; i < NALIAS; i++)
            assert_int_equal(index_add_alias(ix, aliases[i].rec, aliases[i].alias,
                                             aliases[i].kind), KT_OK);
    assert_int_equal(index_finish(ix), KT_OK);
    return ix;
}

static int setup(void **state)
{
    kt_index **ix = calloc(2, sizeof *ix);
    if (!ix)
        return -1;
    ix[0] = build(0);
    ix[1] = build(1);
    *state = ix;
    return 0;
}

static int teardown(void **state)
{
    kt_index **ix = *state;
    index_free(ix[0]);
    index_free(ix[1]);
    free(ix);
    return 0;
}

static void no_record_twice(const index_hit *h, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (h[i].record_id == h[j].record_id)
                fail_msg("record %lld at %d and %d", (long long)h[i].record_id, i + 1, j + 1);
}

static void test_sizes(void **state)
{
    kt_index **ix = *state;
    assert_int_equal(index_size(ix[1]), index_size(ix[0]));
    assert_int_equal(index_aliases(ix[0]), 0);
    assert_int_equal(index_aliases(ix[1]), NALIAS);
    assert_true(index_memory(ix[1]) > index_memory(ix[0]));
}

static void test_alias_hits(void **state)
{
    kt_index **ix = *state;
    static const struct {
        const char *query;
        int64_t record;
        const char *why0, *alias, *kind;
    } cases[] = {
        {"Jan Karski", 101, "known as Jan Karski (nom de guerre) = Jan Karski",
         "Jan Karski", "nom de guerre"},
        {"jan karski", 101, "known as Jan Karski (nom de guerre) = jan karski",
         "Jan Karski", "nom de guerre"},
        {"Karski Jan 1914", 101, "known as Jan Karski (nom de guerre) ≈ Karski Jan 1914",
         "Jan Karski", "nom de guerre"},
        {"Ян Каницкий", 102, "known as Ян Каницкий (pseudonym) = Ян Каницкий",
         "Ян Каницкий", "pseudonym"},
        {"Jan Kanicki", 102, "known as Ян Каницкий (pseudonym) ≈ Jan Kanicki",
         "Ян Каницкий", "pseudonym"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        index_hit h[10];
        int n = index_query(ix[1], cases[i].query, NULL, h, 10);
        assert_true(n > 0);
        if (h[0].record_id != cases[i].record)
            fail_msg("'%s': first record %lld", cases[i].query, (long long)h[0].record_id);
        no_record_twice(h, n);
        index_entry e;
        index_entry_get(ix[1], h[0].slot, &e);
        assert_int_equal(e.record_id, cases[i].record);
        assert_int_equal(e.person_id, 7);
        assert_int_equal(e.birth_year, 1914);
        /* the hit shows the record, not the alias */
        assert_string_equal(e.name, cases[i].record == 101 ? "Kozielewski Jan Romuald"
                                                          : "Козелевский Ян");
        assert_string_equal(e.alias, cases[i].alias);
        assert_string_equal(e.alias_kind, cases[i].kind);
        char why[8][160];
        int nw = index_explain(ix[1], cases[i].query, h[0].slot, why, 8);
        assert_true(nw >= 2);
        assert_string_equal(why[0], cases[i].why0);
        /* then the usual comparison, with the alias's surname */
        if (!strstr(why[1], cases[i].record == 101 ? "Karski" : "Каницкий"))
            fail_msg("'%s': second why line '%s'", cases[i].query, why[1]);
        /* without the alias the person is not first, or not found */
        n = index_query(ix[0], cases[i].query, NULL, h, 10);
        assert_true(n == 0 || h[0].record_id != cases[i].record);
    }
}

/* A record reached by its own name and by an alias is one hit, the best;
 * the other records are those of the index without aliases. */
static void test_once(void **state)
{
    kt_index **ix = *state;
    index_hit a[50], b[50];
    int na = index_query(ix[1], "Jan Kozielewski", NULL, a, 50);
    int nb = index_query(ix[0], "Jan Kozielewski", NULL, b, 50);
    assert_true(na > 2);
    no_record_twice(a, na);
    assert_int_equal(na, nb);
    assert_int_equal(a[0].record_id, 101);
    assert_true(a[0].score >= b[0].score - 1e-9);
    for (int i = 0; i < na; i++) {
        int found = 0;
        for (int j = 0; j < nb && !found; j++)
            found = a[i].record_id == b[j].record_id;
        assert_true(found);
    }
    /* and a limit is filled with distinct records */
    index_hit c[3];
    int nc = index_query(ix[1], "Jan Kozielewski", NULL, c, 3);
    assert_int_equal(nc, 3);
    no_record_twice(c, nc);
}

/* Filters judge an alias hit by its record. */
static void test_filters(void **state)
{
    kt_index **ix = *state;
    index_hit h[10];
    index_filter f = {.born = 1914, .born_tolerance = 1};
    int n = index_query(ix[1], "Jan Karski", &f, h, 10);
    assert_true(n > 0);
    assert_int_equal(h[0].record_id, 101);
    f.born = 1950;
    n = index_query(ix[1], "Jan Karski", &f, h, 10);
    for (int i = 0; i < n; i++)
        assert_true(h[i].record_id != 101);
    index_filter camp = {.camp = "Starobielsk"};
    n = index_query(ix[1], "Jan Karski", &camp, h, 10);
    for (int i = 0; i < n; i++)
        assert_true(h[i].record_id != 101);
}

/* Queries that match no alias: exactly the same hits, scores and why lines. */
static void test_unaffected(void **state)
{
    kt_index **ix = *state;
    static const char *const queries[] = {
        "Nowak Jan", "Kowalski Józef 1901", "Ковальский Иван", "Zielinski",
        "Козлов Николай", "Wisniewska Anna", "Hortyński", "Qxzq",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        index_hit a[10], b[10];
        int na = index_query(ix[1], queries[i], NULL, a, 10);
        int nb = index_query(ix[0], queries[i], NULL, b, 10);
        assert_int_equal(na, nb);
        for (int k = 0; k < na; k++) {
            assert_int_equal(a[k].record_id, b[k].record_id);
            assert_true(a[k].score == b[k].score);
            index_entry e;
            index_entry_get(ix[1], a[k].slot, &e);
            assert_null(e.alias);
            assert_null(e.alias_kind);
            char wa[8][160], wb[8][160];
            int nwa = index_explain(ix[1], queries[i], a[k].slot, wa, 8);
            int nwb = index_explain(ix[0], queries[i], b[k].slot, wb, 8);
            assert_int_equal(nwa, nwb);
            for (int w = 0; w < nwa; w++)
                assert_string_equal(wa[w], wb[w]);
        }
    }
}

static void test_refused(void **state)
{
    (void)state;
    kt_index *ix = index_new();
    assert_int_equal(index_add(ix, &kozielewski_pl), KT_OK);
    assert_int_equal(index_add_alias(ix, &kozielewski_pl, "", "pen name"), KT_ERR);
    assert_int_equal(index_add_alias(ix, &kozielewski_pl, "   ", "pen name"), KT_ERR);
    assert_int_equal(index_add_alias(ix, &kozielewski_pl, "Jan Karski", NULL), KT_ERR);
    assert_int_equal(index_add_alias(ix, NULL, "Jan Karski", "pen name"), KT_ERR);
    /* a one-word alias is a surname alone */
    assert_int_equal(index_add_alias(ix, &kozielewski_pl, " Karski ", "nickname"), KT_OK);
    assert_int_equal(index_finish(ix), KT_OK);
    assert_int_equal(index_add_alias(ix, &kozielewski_pl, "Jan Karski", "pen name"), KT_ERR);
    index_hit h[4];
    assert_int_equal(index_query(ix, "Karski", NULL, h, 4), 1);
    char why[4][160];
    assert_true(index_explain(ix, "Karski", h[0].slot, why, 4) >= 1);
    assert_string_equal(why[0], "known as Karski (nickname) = Karski");
    assert_int_equal(index_size(ix), 1);
    index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_alias_hits),
        cmocka_unit_test(test_once),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_unaffected),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
