/*
 * test_othernames.c — names_other_names(): the names in brackets inside a
 * whole name, each with its kind, and the name without them; cases from
 * Memorial's Moscow list and Polish lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "names/othernames.h"

typedef struct other_case {
    const char *whole;
    int given_first;
    const char *plain;
    const char *others; /* "kind:name;kind:name" with kinds S G P W */
} other_case;

static const other_case cases[] = {
    {"Лещиньский (Ленский) Юлиан Марьянович", 0, "Лещиньский Юлиан Марьянович", "S:Ленский"},
    {"Шидловский Иван (Ян) Антонович", 0, "Шидловский Иван Антонович", "G:Ян"},
    {"Радомский Петр Михайлович (Дорофеевич)", 0, "Радомский Петр Михайлович",
     "P:Дорофеевич"},
    {"Уманский Михаил Васильевич (Гюнсберг Маврикий Карлович)", 0,
     "Уманский Михаил Васильевич", "W:Гюнсберг Маврикий Карлович"},
    {"Осинская (Уншлихт) Софья (Зося) Станиславовна", 0, "Осинская Софья Станиславовна",
     "S:Уншлихт;G:Зося"},
    {"Глебова-Каменева (Афремова, Глебова-Афремова) Татьяна Ивановна", 0,
     "Глебова-Каменева Татьяна Ивановна", "S:Афремова;S:Глебова-Афремова"},
    {"Мюллер Эрнст (Эрнест) Осипович", 0, "Мюллер Эрнст Осипович", "G:Эрнест"},
    {"Jan (Janek) Kowalski", 1, "Jan Kowalski", "G:Janek"},
    {"Jan Kowalski (Kowalewski)", 1, "Jan Kowalski", "S:Kowalewski"},
    {"Kowalski (Kowalewski) Jan", 0, "Kowalski Jan", "S:Kowalewski"},
    {"Крон Арнольд Фрицевич", 0, "Крон Арнольд Фрицевич", ""},
    {"Крон ( ) Арнольд", 0, "Крон Арнольд", ""},
    {"Крон (Кроне", 0, "Крон", "S:Кроне"}, /* an unclosed bracket runs to the end */
    {"", 0, "", ""},
};

static void test_other_names(void **state)
{
    (void)state;
    static const char kinds[] = "SGPW";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const other_case *c = &cases[i];
        names_other o[8];
        char plain[256], got[512] = "";
        size_t n = names_other_names(c->whole, c->given_first, o, 8, plain, sizeof plain);
        for (size_t k = 0; k < n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%c:%s", k ? ";" : "",
                     kinds[o[k].kind], o[k].name);
        if (strcmp(plain, c->plain) || strcmp(got, c->others))
            fail_msg("'%s': got '%s' and '%s'", c->whole, plain, got);
    }
    assert_string_equal(names_other_kinds[NAMES_OTHER_SURNAME], "other surname");
    assert_string_equal(names_other_kinds[NAMES_OTHER_WHOLE], "whole other name");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
