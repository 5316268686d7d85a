/*
 * test_textfold.c — the one text fold, in its three modes, on the words the
 * engine compares: exact (case, ё→е, stress marks), loose (every diacritic,
 * ł→l, й→и) and Latin (the diacritics of Latin letters only: a Polish name
 * typed without them meets its table form, Cyrillic stays as written).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "names/textfold.h"

static void test_modes(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int mode;
        const char *out;
    } cases[] = {
        {"Józef", NAMES_FOLD_EXACT, "józef"},
        {"Свёнтек", NAMES_FOLD_EXACT, "свентек"},
        {"Ива́н", NAMES_FOLD_EXACT, "иван"},
        {"Józef", NAMES_FOLD_LOOSE, "jozef"},
        {"Łukasz", NAMES_FOLD_LOOSE, "lukasz"},
        {"Андрей", NAMES_FOLD_LOOSE, "андреи"},
        {"Józef", NAMES_FOLD_LATIN, "jozef"},
        {"Władysław", NAMES_FOLD_LATIN, "wladyslaw"},
        {"Zbigniew Świątek", NAMES_FOLD_LATIN, "zbigniew swiatek"},
        {"Андрей", NAMES_FOLD_LATIN, "андрей"},
        {"Пётр", NAMES_FOLD_LATIN, "пётр"},
        {"Станіслаў", NAMES_FOLD_LATIN, "станіслаў"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[64];
        int n = names_fold(cases[i].in, strlen(cases[i].in), out, sizeof out, cases[i].mode);
        assert_int_equal(n, (int)strlen(cases[i].out));
        assert_string_equal(out, cases[i].out);
    }
}

static void test_refused(void **state)
{
    (void)state;
    char out[8];
    /* invalid UTF-8, and a result that does not fit */
    assert_int_equal(names_fold("\xff", 1, out, sizeof out, NAMES_FOLD_LATIN), -1);
    assert_int_equal(names_fold("Władysławowicz", 15, out, sizeof out, NAMES_FOLD_LATIN), -1);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
