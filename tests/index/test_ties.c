/*
 * test_ties.c — results of equal score come out by evidence, never by
 * their place in the list or their ids: a record found by an alias of its
 * person before one found by its own name alone ("Karski": Kozielewski,
 * known as Jan Karski, before Карский Николай), a person with more records
 * before a lone record, a record with a year before one without, one with
 * a father before one without. Each case is added in both orders, with
 * the ids reversed too, and must come out the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "index/index.h"

typedef struct trec {
    const char *key, *surname, *given, *patronymic;
    int year;
    int64_t person;
    const char *alias;   /* an alias of the person, kind "nom de guerre" */
} trec;

typedef struct tcase {
    const char *what, *query;
    trec recs[4];
    const char *order[4];   /* record keys, best first (any of "A B" there) */
    int not_tie;            /* the scores differ: the order is the score's */
} tcase;

static const tcase cases[] = {
    {"an alias that found the record", "Karski",
     {{"A1", "Карский", "Николай", NULL, 0, 0, NULL},
      {"A2", "Козелевский", "Ян", NULL, 0, 5, "Jan Karski"}},
     {"A2", "A1"}, 0},
    {"the records of a person", "Benaszewski Mieczysław",
     {{"B1", "Бенашевский", "Мечислав", NULL, 0, 0, NULL},
      {"B2", "Бенашевский", "Мечислав", NULL, 0, 9, NULL},
      {"B3", "Бенашевский", "Мечислав", NULL, 0, 9, NULL}},
     {"B2 B3", "B2 B3", "B1"}, 0},   /* his two records alike: either first */
    {"a year", "Kowalski Stanisław",
     {{"C1", "Ковальский", "Станислав", NULL, 0, 0, NULL},
      {"C2", "Ковальский", "Станислав", NULL, 1905, 0, NULL}},
     {"C2", "C1"}, 0},
    {"a father", "Smorawiński Mieczysław",
     {{"D1", "Сморавинский", "Мечислав", NULL, 0, 0, NULL},
      {"D2", "Сморавинский", "Мечислав", "Янович", 0, 0, NULL}},
     {"D2", "D1"}, 0},
    /* not a tie any more: Крюк is Kriuk (a soft r), so the closer reading
     * wins over a record with more evidence (a patronymic) */
    {"the closer reading before more evidence", "W. Kruk",
     {{"E1", "Крюк", "Виктор", "Казимирович", 0, 0, NULL},
      {"E2", "Крук", "Вацлав", NULL, 0, 0, NULL}},
     {"E2", "E1"}, 1},
};

static int nrecs(const tcase *c)
{
    int n = 0;
    while (n < 4 && c->recs[n].key)
        n++;
    return n;
}

/* Builds the case's index with the records in the given order (reverse:
 * last first, with ids counting down instead of up). */
static kt_index *build(const tcase *c, int reverse)
{
    kt_index *ix = index_new();
    assert_non_null(ix);
    int n = nrecs(c);
    for (int k = 0; k < n; k++) {
        int i = reverse ? n - 1 - k : k;
        const trec *t = &c->recs[i];
        store_record r = {.id = reverse ? 100 - k : k + 1, .source_key = "test_list",
                          .record_key = t->key, .surname = t->surname, .given_names = t->given,
                          .patronymic = t->patronymic, .birth_year = t->year,
                          .person_id = t->person};
        assert_int_equal(index_add(ix, &r), 0);
        if (t->alias)
            assert_int_equal(index_add_alias(ix, &r, t->alias, "nom de guerre"), 0);
    }
    assert_int_equal(index_finish(ix), 0);
    return ix;
}

static void test_ties_by_evidence(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const tcase *c = &cases[i];
        for (int reverse = 0; reverse < 2; reverse++) {
            kt_index *ix = build(c, reverse);
            index_hit h[4];
            int n = index_query(ix, c->query, NULL, h, 4);
            assert_int_equal(n, nrecs(c));
            for (int k = 0; k < n; k++) {
                index_entry e;
                index_entry_get(ix, h[k].slot, &e);
                /* the scores tie: only the evidence orders them */
                if (k > 0 && !c->not_tie && h[k].score != h[0].score)
                    fail_msg("%s: '%s' scores %.4f and %.4f, not a tie", c->what, c->query,
                             h[0].score, h[k].score);
                if (k > 0 && c->not_tie && !(h[k].score < h[0].score))
                    fail_msg("%s: '%s' scores %.4f twice", c->what, c->query, h[0].score);
                if (!strstr(c->order[k], e.record_key))
                    fail_msg("%s (%s order): '%s' gives %s at %d, expected %s", c->what,
                             reverse ? "reversed" : "given", c->query, e.record_key, k + 1,
                             c->order[k]);
            }
            index_free(ix);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_by_evidence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
