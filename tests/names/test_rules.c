/*
 * test_rules.c — every rules table loads with no row refused: a malformed
 * row (too few fields, an empty key, a cost that is no number) would be
 * dropped by its loader, and a rule silently missing is a name silently
 * misread. The refusal itself names the file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "names/names.h"
#include "util/tsv.h"

static void test_no_row_refused(void **state)
{
    (void)state;
    kt_error first;
    memset(&first, 0, sizeof first);
    int n = names_rules_check(&first);
    if (n) {
        char buf[2048];
        fail_msg("%d rows refused; the first: %s", n, kt_error_format(&first, buf, sizeof buf));
    }
    /* and the rules did load */
    assert_true(names_rules_count(NAMES_POLISH) > 0);
    assert_true(names_given_class("Jan") >= 0);
}

/* The refusal records where: file and line of the row. */
static void test_refusal_names_the_row(void **state)
{
    (void)state;
    int before = kt_tsv_refusals(NULL);
    kt_tsv c;
    kt_tsv_field f[3];
    int n;
    static const char text[] = "a\tb\n\nbad row\n";
    kt_tsv_init(&c, text, sizeof text - 1, 0);
    assert_true(kt_tsv_next(&c, f, 3, &n));
    assert_true(kt_tsv_next(&c, f, 3, &n));
    assert_int_equal(n, 1);
    kt_tsv_refuse(&c, "expected two fields");
    kt_error first;
    assert_int_equal(kt_tsv_refusals(&first), before + 1);
    if (before == 0) {
        assert_int_equal(first.line, 3);
        assert_non_null(strstr(first.message, "expected two fields"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_row_refused),
        cmocka_unit_test(test_refusal_names_the_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
