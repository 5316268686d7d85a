/*
 * test_query.c — the query parser against tests/data/names/query_cases.tsv:
 * words and their kinds, year, rank, camp, site and father for each query;
 * plus the edges (NULL, invalid UTF-8, over-long text, long words).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "names/camp.h"
#include "names/query.h"
#include "names/rank.h"
#include "names_test_tsv.h"

/* First use from many threads at once: the tables load exactly once and
 * every thread reads the same answer. Must run first in this program. */
#define THREADS 8
static const char *const thread_query =
    "kpt. Stanisław Kowalski s. Jana Kozielsk ur. 1905 Ковальский Станислав Янович";

static void *parse_in_thread(void *arg)
{
    names_query *q = arg;
    for (int i = 0; i < 200; i++)
        names_query_parse(thread_query, q);
    return NULL;
}

static void first_use_from_many_threads(void **state)
{
    (void)state;
    pthread_t th[THREADS];
    static names_query results[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, parse_in_thread, &results[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 1; i < THREADS; i++)
        assert_memory_equal(&results[0], &results[i], sizeof results[0]);
    assert_string_equal(results[0].father, "Jan");
    assert_string_equal(results[0].camp, "kozelsk");
    assert_int_equal(results[0].birth_year, 1905);
    assert_int_equal(results[0].n_words, 6);
    assert_int_equal(results[0].words[5].kind, NAMES_WORD_PATRONYMIC);
}

static char kind_letter(int kind)
{
    switch (kind) {
    case NAMES_WORD_NAME: return 'N';
    case NAMES_WORD_INITIAL: return 'I';
    case NAMES_WORD_PATRONYMIC: return 'P';
    case NAMES_WORD_FATHER: return 'F';
    default: return '?';
    }
}

/* The words of q in the file's notation: "Kowalski/N S/I", or "-". */
static void describe_words(const names_query *q, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < q->n_words && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s/%c", i ? " " : "", q->words[i].text,
                              kind_letter(q->words[i].kind));
    if (q->n_words == 0)
        snprintf(out, cap, "-");
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

static void query_cases(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("tests/data/names/query_cases.tsv", &t), 0);
    assert_true(t.n > 30);
    int failures = 0;
    for (int i = 1; i < t.n; i++) {
        const tsv_row *r = &t.rows[i];
        names_query q;
        int n = names_query_parse(r->f[0], &q);
        char words[1024];
        describe_words(&q, words, sizeof words);
        const char *rank = q.rank ? names_rank_polish(q.rank) : "-";
        int ok = n == q.n_words && strcmp(words, tsv_field(r, 1)) == 0 &&
                 q.birth_year == atoi(tsv_field(r, 2)) && strcmp(rank, tsv_field(r, 3)) == 0 &&
                 strcmp(or_dash(q.camp), tsv_field(r, 4)) == 0 &&
                 strcmp(or_dash(q.site), tsv_field(r, 5)) == 0 &&
                 strcmp(or_dash(q.father), tsv_field(r, 6)) == 0;
        if (!ok) {
            print_error("line %d: \"%s\"\n  got:      %s\t%d\t%s\t%s\t%s\t%s (returned %d)\n"
                        "  expected: %s\t%s\t%s\t%s\t%s\t%s\n",
                        r->lineno, r->f[0], words, q.birth_year, rank, or_dash(q.camp),
                        or_dash(q.site), or_dash(q.father), n, tsv_field(r, 1), tsv_field(r, 2),
                        tsv_field(r, 3), tsv_field(r, 4), tsv_field(r, 5), tsv_field(r, 6));
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

static void bad_input(void **state)
{
    (void)state;
    names_query q;
    memset(&q, 0x55, sizeof q);
    assert_int_equal(names_query_parse(NULL, &q), -1);
    assert_int_equal(q.n_words, 0);           /* still initialised */
    assert_int_equal(q.birth_year, 0);
    assert_string_equal(q.father, "");
    assert_int_equal(names_query_parse("Kowalski", NULL), -1);
    assert_int_equal(names_query_parse("Kowalski \xff\xfe", &q), -1);

    char *longq = malloc(6000);
    assert_non_null(longq);
    memset(longq, 'a', 5999);
    longq[5999] = '\0';
    assert_int_equal(names_query_parse(longq, &q), -1);
    free(longq);
}

static void long_words_are_cut_on_a_character_boundary(void **state)
{
    (void)state;
    char text[400];
    size_t o = 0;
    for (int i = 0; i < 60; i++)               /* 120 bytes of Cyrillic */
        o += (size_t)snprintf(text + o, sizeof text - o, "ж");
    names_query q;
    assert_int_equal(names_query_parse(text, &q), 1);
    size_t len = strlen(q.words[0].text);
    assert_true(len < NAMES_QUERY_WORD_BYTES);
    assert_int_equal(len % 2, 0);              /* whole 2-byte letters only */
}

/* The parser reads the same text the same way every time (tables load once). */
static void parse_is_repeatable(void **state)
{
    (void)state;
    names_query a, b;
    names_query_parse("kpt. Stanisław Kowalski s. Jana Kozielsk 1905", &a);
    names_query_parse("kpt. Stanisław Kowalski s. Jana Kozielsk 1905", &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(a.n_words, 3);
    assert_string_equal(a.father, "Jan");
    assert_string_equal(a.camp, "kozelsk");
    assert_int_equal(a.birth_year, 1905);
}

/* Every spelling of data/rules/camps.tsv names its own key; sites know
 * their camp. */
static void every_camp_spelling(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("data/rules/camps.tsv", &t), 0);
    int spellings = 0;
    for (int r = 1; r < t.n; r++) {
        const tsv_row *row = &t.rows[r];
        assert_int_equal(row->n, 4);
        char copy[2048];
        snprintf(copy, sizeof copy, "%s", row->f[3]);
        for (char *save = NULL, *f = strtok_r(copy, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
            int site = -1;
            const char *key = names_camp_key(f, strlen(f), &site);
            if (!key || strcmp(key, row->f[0]) != 0)
                fail_msg("%s gave %s, expected %s", f, key ? key : "(none)", row->f[0]);
            assert_int_equal(site, strcmp(row->f[1], "site") == 0);
            spellings++;
        }
        const char *camp = names_site_camp(row->f[0]);
        if (row->f[2][0])
            assert_string_equal(camp, row->f[2]);
        else
            assert_null(camp);
    }
    assert_true(spellings >= 80);
    int site;
    assert_string_equal(names_camp_key("OSTASZKOW", 9, &site), "ostashkov");
    assert_int_equal(site, 0);
    assert_string_equal(names_camp_key("Ката́нь", strlen("Ката́нь"), NULL) ? "?" : "none", "none");
    assert_string_equal(names_camp_key("Каты́нь", strlen("Каты́нь"), &site), "katyn");
    assert_int_equal(site, 1);
    assert_null(names_camp_key("Kowalski", 8, NULL));
    assert_null(names_site_camp("nowhere"));
    tsv_free(&t);
}

static void camp_fields(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("tests/data/names/query_camp_fields.tsv", &t), 0);
    int failures = 0;
    for (int i = 1; i < t.n; i++) {
        const char *got = names_camp_of(t.rows[i].f[0]);
        const char *want = tsv_field(&t.rows[i], 1);
        if (strcmp(got ? got : "-", want) != 0) {
            print_error("line %d: \"%s\" gave %s, expected %s\n", t.rows[i].lineno,
                        t.rows[i].f[0], got ? got : "-", want);
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_use_from_many_threads),
        cmocka_unit_test(query_cases),
        cmocka_unit_test(every_camp_spelling),
        cmocka_unit_test(camp_fields),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(long_words_are_cut_on_a_character_boundary),
        cmocka_unit_test(parse_is_repeatable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
