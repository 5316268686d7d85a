/*
 * test_quality.c — search quality on real Polish↔Russian name pairs: each of
 * the 26 dev persons (data/names/dev_persons.tsv) hidden among more than
 * 100,000 distractors of the other script (bench/corpus.h says which), found
 * by the index as a user would search.
 *
 * Floors (PRODUCT.md targets): recall@1 >= 0.97 and recall@10 >= 0.995 for
 * (a) the Polish spelling with diacritics, (b) the same in ASCII and (d) the
 * Russian spelling searched among Polish records. (c), every other spelling
 * the sources give (pseudonyms and birth names among them), is reported, not
 * asserted. Every figure is printed, and every miss with its rank and the top
 * hit, so whoever runs the test sees at a glance what failed.
 *
 * The corpora are the benchmark's (bench/corpus.c, compiled in here), built
 * once per program; the two indexes too. The corpus checks run even before
 * the index exists in the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../bench/corpus.c"
#include "index/index.h"

#ifndef HAVE_INDEX
#if __has_include("../../src/index/index.c")
#define HAVE_INDEX 1
#else
#define HAVE_INDEX 0
#endif
#endif

#define MEMORIAL "tests/data/memorial/moscow_shot_1937_1941.csv"
#define TOPK 100

static bench_set set;
static int set_ok;
#if HAVE_INDEX
static kt_index *ix_cyr, *ix_lat;
#endif

static int setup(void **state)
{
    (void)state;
    kt_error err;
    if (bench_set_build(&set, MEMORIAL, &err) != KT_OK) {
        char buf[2048];
        fprintf(stderr, "corpus: %s\n", kt_error_format(&err, buf, sizeof buf));
        return -1;
    }
    set_ok = 1;
#if HAVE_INDEX
    for (int which = 0; which < 2; which++) {
        const bench_corpus *c = which ? &set.lat : &set.cyr;
        kt_index *ix = index_new();
        if (!ix)
            return -1;
        for (size_t i = 0; i < c->n; i++) {
            store_record r;
            bench_rec_to_store(&c->recs[i], which ? "dev_lat" : "dev_cyr", &r);
            if (index_add(ix, &r) != 0) {
                fprintf(stderr, "index_add failed at record %zu\n", i + 1);
                index_free(ix);
                return -1;
            }
        }
        if (index_finish(ix) != 0) {
            index_free(ix);
            return -1;
        }
        *(which ? &ix_lat : &ix_cyr) = ix;
    }
#endif
    return 0;
}

static int teardown(void **state)
{
    (void)state;
#if HAVE_INDEX
    index_free(ix_cyr);
    index_free(ix_lat);
#endif
    if (set_ok)
        bench_set_free(&set);
    return 0;
}

/* ---- the corpus itself (no index needed) ---- */

static void test_fold_ascii(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"Mieczysław Makary Smorawiński", "Mieczyslaw Makary Smorawinski"},
        {"Kazimierz Orlik-Łukoski", "Kazimierz Orlik-Lukoski"},
        {"Kazimierz Świątek", "Kazimierz Swiatek"},
        {"Józef Żółć Dźwięk", "Jozef Zolc Dzwiek"},
        {"Hanka Ordonówna", "Hanka Ordonowna"},
        {"Сморавинский Мечислав", "Сморавинский Мечислав"}, /* Cyrillic stays */
        {"Свёнтек Казимир Янович", "Свёнтек Казимир Янович"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *f = bench_fold_ascii(cases[i][0]);
        assert_non_null(f);
        assert_string_equal(f, cases[i][1]);
        free(f);
    }
}

static void test_corpus_shape(void **state)
{
    (void)state;
    assert_int_equal(set.npersons, 26);
    /* at least 100,000 distractors on each side */
    assert_true(set.cyr.n - set.npersons >= 100000);
    assert_true(set.lat.n - set.npersons >= 100000);
    assert_true(set.cyr.memorial >= 5000);
    for (size_t i = 0; i < set.npersons; i++) {
        const bench_person *p = &set.persons[i];
        /* each person's records are where the queries say they are */
        assert_true(p->cyr_id >= 1 && (size_t)p->cyr_id <= set.cyr.n);
        assert_true(p->lat_id >= 1 && (size_t)p->lat_id <= set.lat.n);
        assert_string_equal(set.cyr.recs[p->cyr_id - 1].surname, p->ru_surname);
        assert_string_equal(set.lat.recs[p->lat_id - 1].surname, p->pl_surname);
        assert_int_equal(set.cyr.recs[p->cyr_id - 1].person, (int)i + 1);
    }
    for (size_t i = 0; i < set.cyr.n; i++)
        assert_int_equal(set.cyr.recs[i].id, (int64_t)i + 1);
    /* every kind has one query per person; (c) has the other spellings */
    int count[4] = {0};
    for (size_t i = 0; i < set.nqueries; i++) {
        const bench_query *q = &set.queries[i];
        assert_true(q->kind >= 'a' && q->kind <= 'k');
        if (q->kind <= 'd')
            count[q->kind - 'a']++;
        assert_true(q->text[0] != '\0');
        assert_true(q->text[0] != ' ');
    }
    assert_int_equal(count[0], 26);
    assert_int_equal(count[1], 26);
    assert_int_equal(count[3], 26);
    assert_true(count[2] >= 40);
}

/* No distractor is an identical twin: same surname and same given name (in
 * the folded comparison of corpus.c) as a dev person's record. */
static void test_no_identical_twins(void **state)
{
    (void)state;
    typedef struct keys {
        char s[128], g[64];
    } keys;
    keys *pl = calloc(set.npersons, sizeof *pl), *ru = calloc(set.npersons, sizeof *ru);
    assert_non_null(pl);
    assert_non_null(ru);
    char g1[128];
    for (size_t i = 0; i < set.npersons; i++) {
        const bench_person *p = &set.persons[i];
        twin_key(p->pl_surname, pl[i].s, sizeof pl[i].s);
        first_word(p->pl_given, g1, sizeof g1);
        twin_key(g1, pl[i].g, sizeof pl[i].g);
        twin_key(p->ru_surname, ru[i].s, sizeof ru[i].s);
        twin_key(p->ru_given, ru[i].g, sizeof ru[i].g);
    }
    for (int side = 0; side < 2; side++) {
        const bench_corpus *c = side ? &set.lat : &set.cyr;
        const keys *dev = side ? pl : ru;
        for (size_t k = 0; k < c->n; k++) {
            const bench_rec *r = &c->recs[k];
            if (r->person)
                continue;
            keys rk;
            twin_key(r->surname, rk.s, sizeof rk.s);
            first_word(r->given, g1, sizeof g1);
            twin_key(g1, rk.g, sizeof rk.g);
            for (size_t i = 0; i < set.npersons; i++)
                if (dev[i].g[0] && strcmp(rk.s, dev[i].s) == 0 &&
                    strcmp(rk.g, dev[i].g) == 0)
                    fail_msg("%s id %lld \"%s\" is a twin of %s", c->script,
                             (long long)r->id, r->name, set.persons[i].id);
        }
    }
    free(pl);
    free(ru);
    /* the rule did bite: the Polish lists hold some dev surnames */
    assert_true(set.lat.twins > 0);
}

/* ---- quality through the index ---- */

#if HAVE_INDEX
/* Rank (1..TOPK) of the true record for one query, 0 when not in the top
 * TOPK; *top is the first hit's slot (or UINT32_MAX). */
static int rank_of(const bench_query *q, uint32_t *top, int *nhits)
{
    static index_hit hits[TOPK];
    const kt_index *ix = strcmp(q->corpus, "cyr") == 0 ? ix_cyr : ix_lat;
    int n = index_query(ix, q->text, NULL, hits, TOPK);
    *nhits = n;
    *top = n > 0 ? hits[0].slot : UINT32_MAX;
    for (int i = 0; i < n; i++)
        if (hits[i].record_id == q->true_id)
            return i + 1;
    return 0;
}

static const char *kind_name(char kind)
{
    switch (kind) {
    case 'a': return "(a) Polish with diacritics -> Russian record";
    case 'b': return "(b) Polish in ASCII -> Russian record";
    case 'c': return "(c) other spellings -> record in the other script";
    case 'd': return "(d) Russian Cyrillic -> Polish record";
    case 'e': return "(e) one keyboard slip in the surname, ASCII -> Russian record";
    case 'f': return "(f) a typist's misreading in the surname, ASCII -> Russian record";
    case 'g': return "(g) an initial for the given name -> Russian record";
    case 'h': return "(h) given name missing, double surname split -> Russian record";
    case 'i': return "(i) Memorial Poles, one slip in the Cyrillic surname -> their record";
    case 'j': return "(j) Memorial Poles spelled in Polish -> their Russian record";
    default: return "(k) the same with a slip, a misreading or an initial -> their record";
    }
}

/* Runs every query of one kind, prints the figures and each miss; fills
 * recall@1, recall@10. Returns the number of queries. */
static int run_kind(char kind, double *r1, double *r10)
{
    int n = 0, hit1 = 0, hit10 = 0, errors = 0;
    double rr = 0;
    char misses[64][600];
    int nmiss = 0;
    for (size_t i = 0; i < set.nqueries; i++) {
        const bench_query *q = &set.queries[i];
        if (q->kind != kind)
            continue;
        uint32_t top;
        int nhits;
        int r = rank_of(q, &top, &nhits);
        n++;
        errors += nhits < 0;
        hit1 += r == 1;
        hit10 += r >= 1 && r <= 10;
        rr += r ? 1.0 / r : 0;
        if (r != 1 && nmiss < 64) {
            const char *pid = q->person ? set.persons[q->person - 1].id : "Memorial";
            const bench_corpus *c = bench_set_corpus(&set, q->corpus);
            const kt_index *ix = strcmp(q->corpus, "cyr") == 0 ? ix_cyr : ix_lat;
            char tophit[200] = "(no hits)";
            if (top != UINT32_MAX) {
                index_entry e;
                index_entry_get(ix, top, &e);
                snprintf(tophit, sizeof tophit, "\"%s\" id %lld", e.name ? e.name : "?",
                         (long long)e.record_id);
            }
            snprintf(misses[nmiss++], sizeof misses[0],
                     "  MISS %s \"%s\" -> \"%s\" id %lld: rank %s%d; top hit %s%s%s",
                     pid, q->text, c->recs[q->true_id - 1].name, (long long)q->true_id,
                     r ? "" : ">", r ? r : TOPK, tophit, q->note[0] ? "  -- " : "",
                     q->note);
        }
    }
    *r1 = n ? (double)hit1 / n : 0;
    *r10 = n ? (double)hit10 / n : 0;
    printf("quality %s: n=%d recall@1=%.3f (%d/%d) recall@10=%.3f (%d/%d) MRR=%.3f%s\n",
           kind_name(kind), n, *r1, hit1, n, *r10, hit10, n, n ? rr / n : 0,
           errors ? " QUERY ERRORS" : "");
    for (int i = 0; i < nmiss; i++)
        printf("%s\n", misses[i]);
    fflush(stdout);
    assert_int_equal(errors, 0);
    return n;
}
#endif

static void check_floor(char kind)
{
#if HAVE_INDEX
    double r1, r10;
    int n = run_kind(kind, &r1, &r10);
    assert_int_equal(n, 26);
    if (r1 < 0.97 || r10 < 0.995)
        fail_msg("%s below the floor: recall@1 %.3f (>= 0.97), recall@10 %.3f "
                 "(>= 0.995)", kind_name(kind), r1, r10);
#else
    (void)kind;
    skip();
#endif
}

static void test_polish(void **state)
{
    (void)state;
    check_floor('a');
}

static void test_ascii(void **state)
{
    (void)state;
    check_floor('b');
}

static void test_cyrillic(void **state)
{
    (void)state;
    check_floor('d');
}

/* (c) is reported, not held to the floor: some of these spellings are other
 * names altogether (pseudonyms, birth names) that no spelling rule reaches. */
static void test_other_spellings(void **state)
{
    (void)state;
#if HAVE_INDEX
    double r1, r10;
    int n = run_kind('c', &r1, &r10);
    assert_true(n >= 40);
#else
    skip();
#endif
}

/* The damaged queries, each kind held to the floor it reaches today (the
 * goal is recall@1 >= 0.95 and recall@10 >= 0.99 for slips and
 * misreadings, >= 0.97 for initials): a change that loses a candidate the
 * engine found before fails here, with every miss listed. */
static void test_damaged(void **state)
{
    (void)state;
#if HAVE_INDEX
    static const struct {
        char kind;
        double r1, r10;
    } floors[] = {
        {'e', 0.97, 0.99},
        {'f', 0.98, 1.00},
        {'g', 1.00, 1.00},
        /* a surname alone ties with every namesake (Романовский Виктор,
         * Романовский Абрам Миронович): which comes first is the
         * evidence's choice, not the name's; recall@10 is what counts */
        {'h', 0.84, 1.00},
        /* real names the rules were not made from (the Memorial list's
         * Poles), with a slip */
        {'i', 0.97, 0.99},
        /* and the same Poles as a Polish family writes them (spelled by
         * tests/data/memorial/make_poles_pl.py, not by the engine): clean,
         * then with one thing wrong; the misses of (k) are namesakes an
         * initial cannot tell apart (J. Ankowski: Ян or Иван), a Russified
         * given name the tables lack (Вячеслав for Wiesław) and a slip on
         * top of ś heard as ш */
        {'j', 0.99, 1.00},
        {'k', 0.98, 0.99},
    };
    for (size_t i = 0; i < sizeof floors / sizeof *floors; i++) {
        double r1, r10;
        assert_true(run_kind(floors[i].kind, &r1, &r10) >= 26);   /* (i): 120 */
        if (r1 < floors[i].r1 - 1e-9 || r10 < floors[i].r10 - 1e-9)
            fail_msg("%s below the floor: recall@1 %.3f (>= %.2f), recall@10 %.3f (>= %.2f)",
                     kind_name(floors[i].kind), r1, floors[i].r1, r10, floors[i].r10);
    }
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_ascii),
        cmocka_unit_test(test_corpus_shape),
        cmocka_unit_test(test_no_identical_twins),
        cmocka_unit_test(test_polish),
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_cyrillic),
        cmocka_unit_test(test_other_spellings),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
