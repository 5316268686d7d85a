/*
 * test_rank.c — rank recognition: every written form in data/rules/ranks.tsv
 * is recognised as its own rank and covers itself wholly (so the longest form
 * wins: "st. sierż." is not "sierż."); no form belongs to two ranks; the
 * cases of tests/data/names/rank_*.tsv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "names/rank.h"
#include "names/textfold.h"
#include "names_test_tsv.h"

static int rank_id_by_polish(const char *polish)
{
    if (strcmp(polish, "-") == 0)
        return 0;
    for (int id = 1; id <= names_rank_max(); id++)
        if (strcmp(names_rank_polish(id), polish) == 0)
            return id;
    fail_msg("no rank called %s", polish);
    return -1;
}

static void every_form_matches_its_rank(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("data/rules/ranks.tsv", &t), 0);
    int forms = 0;
    for (int r = 1; r < t.n; r++) {                /* row 0: header */
        assert_int_equal(t.rows[r].n, 5);
        int id = atoi(t.rows[r].f[0]);
        assert_true(id > 0);
        assert_string_equal(names_rank_polish(id), t.rows[r].f[1]);
        char copy[2048];
        snprintf(copy, sizeof copy, "%s", t.rows[r].f[4]);
        for (char *save = NULL, *f = strtok_r(copy, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
            /* alone, and followed by a name */
            char text[256];
            size_t len = 0;
            int got = names_rank_match(f, &len);
            if (got != id || len != strlen(f))
                fail_msg("%s: rank %d over %zu bytes, expected %d over %zu", f, got, len, id,
                         strlen(f));
            snprintf(text, sizeof text, "%s Kowalski", f);
            got = names_rank_match(text, &len);
            if (got != id || len != strlen(f))
                fail_msg("\"%s\": rank %d over %zu bytes, expected %d over %zu", text, got, len,
                         id, strlen(f));
            forms++;
        }
    }
    assert_true(forms >= 150);
    tsv_free(&t);
}

static void no_form_belongs_to_two_ranks(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("data/rules/ranks.tsv", &t), 0);
    static char folded[1024][64];
    static int owner[1024];
    int n = 0;
    for (int r = 1; r < t.n; r++) {
        int id = atoi(t.rows[r].f[0]);
        char copy[2048];
        snprintf(copy, sizeof copy, "%s", t.rows[r].f[4]);
        for (char *save = NULL, *f = strtok_r(copy, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
            char key[64];
            assert_true(names_fold(f, strlen(f), key, sizeof key, NAMES_FOLD_LOOSE) > 0);
            size_t k = strlen(key);
            if (k && key[k - 1] == '.')
                key[k - 1] = '\0';       /* "kpt." and "kpt" are one form */
            for (int i = 0; i < n; i++)
                if (strcmp(folded[i], key) == 0 && owner[i] != id)
                    fail_msg("%s belongs to ranks %d and %d", f, owner[i], id);
            assert_true(n < 1024);
            snprintf(folded[n], sizeof folded[n], "%s", key);
            owner[n++] = id;
        }
    }
    tsv_free(&t);
}

static void rank_cases(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("tests/data/names/rank_cases.tsv", &t), 0);
    int failures = 0;
    for (int i = 1; i < t.n; i++) {
        const char *text = t.rows[i].f[0];
        int want = rank_id_by_polish(tsv_field(&t.rows[i], 1));
        const char *matched = tsv_field(&t.rows[i], 2);
        size_t len = 99;
        int got = names_rank_match(text, &len);
        if (got != want || len != strlen(matched) || strncmp(text, matched, len) != 0) {
            print_error("line %d: \"%s\" gave %d (%s) over %zu bytes, expected %d over \"%s\"\n",
                        t.rows[i].lineno, text, got, names_rank_label(got), len, want, matched);
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

static void rank_fields(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("tests/data/names/rank_fields.tsv", &t), 0);
    int failures = 0;
    for (int i = 1; i < t.n; i++) {
        int want = rank_id_by_polish(tsv_field(&t.rows[i], 1));
        int got = names_rank_of(t.rows[i].f[0]);
        if (got != want) {
            print_error("line %d: \"%s\" gave %d, expected %d\n", t.rows[i].lineno,
                        t.rows[i].f[0], got, want);
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

static void labels(void **state)
{
    (void)state;
    int kpt = rank_id_by_polish("kapitan");
    assert_string_equal(names_rank_label(kpt), "kapitan (капитан)");
    assert_string_equal(names_rank_label(rank_id_by_polish("generał brygady")),
                        "generał brygady (генерал бригады)");
    assert_string_equal(names_rank_label(0), "");
    assert_string_equal(names_rank_label(-3), "");
    assert_string_equal(names_rank_label(names_rank_max() + 1), "");
    assert_int_equal(names_rank_match(NULL, NULL), 0);
    assert_int_equal(names_rank_of(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_form_matches_its_rank),
        cmocka_unit_test(no_form_belongs_to_two_ranks),
        cmocka_unit_test(rank_cases),
        cmocka_unit_test(rank_fields),
        cmocka_unit_test(labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
