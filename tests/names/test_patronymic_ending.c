/*
 * test_patronymic_ending.c — names_is_patronymic and names_father_classes
 * over tests/data/names/patronymic_endings.tsv: both read Russian, Ukrainian
 * and Belarusian endings with the patronymic reader (patronymic.h), so a
 * feminine -ична finds the father (Ильинична → Илья, not a woman's name
 * that "Ильина" resembles) and a bare -ич the table does not know names no
 * father at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "names/names.h"
#include "names/patronymic.h"
#include "names_test_tsv.h"

static void table_cases(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load("tests/data/names/patronymic_endings.tsv", &t), 0);
    assert_true(t.n > 20);
    int failures = 0;
    for (int r = 1; r < t.n; r++) {                /* row 0: header */
        assert_int_equal(t.rows[r].n, 3);
        const char *word = tsv_field(&t.rows[r], 0);
        int want_pat = atoi(tsv_field(&t.rows[r], 1));
        const char *want_father = tsv_field(&t.rows[r], 2);
        int pat = names_is_patronymic(word, 0);
        uint16_t c[NAMES_CLASSES_MAX];
        int n = names_father_classes(word, 0, c);
        const char *father = n > 0 ? names_class_label(c[0]) : "-";
        if (pat != want_pat || strcmp(father, want_father) != 0) {
            print_error("line %d: %s: patronymic %d (want %d), father %s (want %s)\n",
                        t.rows[r].lineno, word, pat, want_pat, father, want_father);
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

/* The ending predicate itself: NUL-terminated, any case, NULL safe. */
static void ending_predicate(void **state)
{
    (void)state;
    assert_true(names_patronymic_ending("Янович"));
    assert_true(names_patronymic_ending("ЯНОВНА"));
    assert_false(names_patronymic_ending("Бич"));
    assert_false(names_patronymic_ending(""));
    assert_false(names_patronymic_ending(NULL));
    assert_false(names_patronymic_ending("Yanovich"));   /* Cyrillic only */
    /* len counts: the first 12 bytes of "Яновичи" are "Янович" */
    assert_int_equal(names_is_patronymic("Яновичи", 0), 0);
    assert_int_equal(names_is_patronymic("Яновичи", strlen("Янович")), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_cases),
        cmocka_unit_test(ending_predicate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
