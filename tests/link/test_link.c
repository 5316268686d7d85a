/*
 * test_link.c — the linkage in memory: conflicts resolved (A=B, B=C, A≠C),
 * one record of each list per man, kept links and decisions respected, the
 * same result every time, a rank glued to a surname, and the quality on
 * generated lists with known truth (bench/gen_lists.c) at the realistic
 * noise level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "link/link.h"

#include "../../bench/gen_lists.c"

static link_result run(const link_input *in, size_t n, const link_decision *dec,
                       size_t ndec, link_set **set_out)
{
    link_set *set = link_set_build(in, n, 2);
    assert_non_null(set);
    link_options o;
    link_options_default(&o);
    o.threads = 2;
    link_result r;
    kt_error err;
    assert_int_equal(link_compute(set, &o, dec, ndec, &r, &err), KT_OK);
    if (set_out)
        *set_out = set;
    else
        link_set_free(set);
    return r;
}

#define REC(src, sur, giv, pat, fat, year) \
    {.id = 0, .source = (src), .surname = (sur), .given = (giv), .patronymic = (pat), \
     .father = (fat), .birth_year = (year)}

static void test_one_man_three_lists(void **state)
{
    (void)state;
    link_input in[] = {
        REC(0, "Сморавинский", "Мечислав", "Янович", NULL, 1893),
        REC(1, "Smorawiński", "Mieczysław", NULL, "s. Jana", 1893),
        REC(2, "Smorawinski", "M.", NULL, NULL, 1893),
        REC(1, "Kowalczyk", "Józef", NULL, "s. Piotra", 1901),
    };
    link_result r = run(in, 4, NULL, 0, NULL);
    assert_int_equal(r.cluster[0], r.cluster[1]);
    assert_int_equal(r.cluster[0], r.cluster[2]);
    assert_int_not_equal(r.cluster[0], r.cluster[3]);
    assert_int_equal(r.nlinked, 3);
    link_result_free(&r);
}

static void test_conflict_resolved(void **state)
{
    (void)state;
    /* A and C, both close to B, were said by a person to be two men: B goes
     * with one of them, never with both */
    link_input in[] = {
        REC(0, "Wróblewski", "Jan", "Янович", NULL, 1900),
        REC(1, "Wróblewski", "Jan", NULL, "s. Jana", 1900),
        REC(2, "Wroblewski", "Jan", NULL, NULL, 1900),
    };
    link_decision reject = {0, 2, 0};
    link_result r = run(in, 3, &reject, 1, NULL);
    assert_int_not_equal(r.cluster[0], r.cluster[2]);
    assert_true(r.cluster[1] == r.cluster[0] || r.cluster[1] == r.cluster[2]);
    link_result_free(&r);
    /* without the decision all three are one man */
    r = run(in, 3, NULL, 0, NULL);
    assert_int_equal(r.cluster[0], r.cluster[2]);
    assert_int_equal(r.cluster[1], r.cluster[2]);
    link_result_free(&r);
    /* an accept joins what the weights would not */
    link_input far[] = {
        REC(0, "Nowak", "Jan", NULL, NULL, 1900),
        REC(1, "Szymański", "Piotr", NULL, NULL, 1910),
    };
    link_decision accept = {1, 0, 1};
    r = run(far, 2, &accept, 1, NULL);
    assert_int_equal(r.cluster[0], r.cluster[1]);
    link_result_free(&r);
}

static void test_one_to_one(void **state)
{
    (void)state;
    /* one NKVD entry, two namesakes in the other list: it links to one */
    link_input in[] = {
        REC(0, "Ковальский", "Ян", "Янович", NULL, 1900),
        REC(1, "Kowalski", "Jan", NULL, "s. Jana", 1900),
        REC(1, "Kowalski", "Jan", NULL, "s. Jana", 1901),
    };
    link_result r = run(in, 3, NULL, 0, NULL);
    assert_int_not_equal(r.cluster[1], r.cluster[2]);
    assert_int_equal(r.cluster[0], r.cluster[1]); /* the same year wins */
    link_result_free(&r);
}

static void test_kept_links_stay(void **state)
{
    (void)state;
    /* two records kept together by hand stay together, whatever they say */
    link_input in[] = {
        REC(0, "Nowak", "Jan", NULL, NULL, 1900),
        REC(1, "Karski", "Jan", NULL, NULL, 1914),
    };
    in[0].person_id = in[1].person_id = 7;
    in[0].fixed = in[1].fixed = 1;
    link_result r = run(in, 2, NULL, 0, NULL);
    assert_int_equal(r.cluster[0], r.cluster[1]);
    link_result_free(&r);
}

static void test_rank_glued(void **state)
{
    (void)state;
    link_input in[] = {
        REC(0, "Ковальский", "Ян", NULL, NULL, 0),
        REC(1, "Hptm.Kowalski", "Jan", NULL, NULL, 0),
    };
    in[0].rank = "капитан";
    link_set *set;
    link_result r = run(in, 2, NULL, 0, &set);
    uint8_t level[LINK_NFIELDS];
    link_compare(set, 0, 1, level);
    assert_int_equal(level[LINK_F_SURNAME], 0);
    assert_int_equal(level[LINK_F_RANK], 0); /* Hptm. = капитан */
    char why[1024];
    link_explain(set, &r.model, 0, 1, why, sizeof why);
    assert_non_null(strstr(why, "surname: exact"));
    assert_non_null(strstr(why, "rank: same"));
    link_result_free(&r);
    link_set_free(set);
}

/* Pairwise precision and recall of a clustering against the truth. */
static void pairwise(const gen_lists *g, const uint32_t *cluster, double *p, double *r)
{
    uint64_t tp = 0, pred = 0, truth = 0;
    for (size_t i = 0; i < g->n; i++)
        for (size_t j = i + 1; j < g->n; j++) {
            int same = g->rec[i].person == g->rec[j].person;
            int joined = cluster[i] == cluster[j];
            tp += same && joined;
            pred += joined;
            truth += same;
        }
    *p = pred ? (double)tp / (double)pred : 1;
    *r = truth ? (double)tp / (double)truth : 1;
}

static void test_quality_and_determinism(void **state)
{
    (void)state;
    gen_options o;
    gen_options_realistic(&o, 0.25, 1.0);
    gen_lists g;
    assert_int_equal(gen_lists_make(&o, &g), 0);
    link_input *in = gen_lists_inputs(&g);
    link_result a = run(in, g.n, NULL, 0, NULL);
    link_result b = run(in, g.n, NULL, 0, NULL);
    assert_memory_equal(a.cluster, b.cluster, g.n * sizeof *a.cluster);
    assert_int_equal(a.npairs, b.npairs);
    double p, r;
    pairwise(&g, a.cluster, &p, &r);
    if (p < 0.97 || r < 0.95)
        fail_msg("precision %.4f recall %.4f on %zu generated records", p, r, g.n);
    /* with no noise at all, nearly perfect */
    link_result_free(&a);
    link_result_free(&b);
    free(in);
    gen_lists_free(&g);
    gen_options_realistic(&o, 0.25, 0.0);
    assert_int_equal(gen_lists_make(&o, &g), 0);
    in = gen_lists_inputs(&g);
    a = run(in, g.n, NULL, 0, NULL);
    pairwise(&g, a.cluster, &p, &r);
    if (p < 0.99 || r < 0.98)
        fail_msg("noise 0: precision %.4f recall %.4f", p, r);
    link_result_free(&a);
    free(in);
    gen_lists_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_man_three_lists),
        cmocka_unit_test(test_conflict_resolved),
        cmocka_unit_test(test_one_to_one),
        cmocka_unit_test(test_kept_links_stay),
        cmocka_unit_test(test_rank_glued),
        cmocka_unit_test(test_quality_and_determinism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
