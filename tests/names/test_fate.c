/*
 * test_fate.c — names_find_fate() and names_fate_kind(): a table of texts
 * and the fate, date, place and burial each states (negatives included:
 * texts that name a fate word but state no fate), then the kinds a search
 * filter reads in every language.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "names/fate.h"

typedef struct fate_case {
    const char *text;
    const char *kind; /* NULL: none */
    const char *date, *place, *burial;
} fate_case;

static const fate_case cases[] = {
    /* Memorial's Moscow list, as written (the source's "Рассстрелян") */
    {"род. 1884, латыш, б/п. Адрес: 1-я Авиамоторная ул., д.1, кв. 1. Рассстрелян "
     "17.05.1938. Место захоронения: Бутово.",
     "shot", "1938-05-17", "", "Бутово"},
    {"Рассстреляна 9.12.1937. Место захоронения: Коммунарка.", "shot", "1937-12-09", "",
     "Коммунарка"},
    {"Расстрелян 17.05.1938. Место захоронения: Ваганьковское кладбище.", "shot",
     "1938-05-17", "", "Ваганьковское кладбище"},
    /* a release earlier in the text: the last word is the execution */
    {"Освобожден в 1923 г. Рассстрелян 9.09.1937. Место захоронения: Донское.", "shot",
     "1937-09-09", "", "Донское"},
    /* Polish phrasings */
    {"zamordowany w Katyniu w 1940", "shot", "1940", "Katyniu", ""},
    {"rozstrzelany 3 IV 1940 r. w Charkowie", "shot", "1940-04-03", "Charkowie", ""},
    {"Rozstrzelana w Kalininie, pochowana w Miednoje.", "shot", "", "Kalininie", "Miednoje"},
    {"zm. 1940", "died", "1940", "", ""},
    {"Zmarł 12 kwietnia 1942 w Buzułuku", "died", "1942-04-12", "Buzułuku", ""},
    {"zwolniony z obozu w 1941", "released", "1941", "", ""},
    {"zaginął w 1944", "missing", "1944", "", ""},
    /* Russian */
    {"Умер в лагере 5.03.1942.", "died", "1942-03-05", "", ""},
    {"Пропал без вести в 1941 г.", "missing", "1941", "", ""},
    {"Освобожден 1941.", "released", "1941", "", ""},
    {"Похоронен на Донском кладбище.", NULL, "", "", "Донском кладбище"},
    /* English */
    {"shot 5.04.1940 in Kalinin; buried at Mednoye", "shot", "1940-04-05", "Kalinin",
     "Mednoye"},
    {"executed in April 1940", "shot", "1940-04", "", ""},
    {"zwolniony z pracy w 1938", NULL, "", "", ""},
    {"died 1941", "died", "1941", "", ""},
    /* the date belongs to its own sentence */
    {"Рассстрелян. Арестован 12.01.1937.", "shot", "", "", ""},
    /* negatives: a fate word that states no fate */
    {"Освобожден от должности в 1937", NULL, "", "", ""},
    {"Приговорен к расстрелу, замененному 10 годами ИТЛ.", NULL, "", "", ""},
    {"nie zmarł", NULL, "", "", ""},
    {"не расстрелян", NULL, "", "", ""},
    {"syn zmarłego Jana", NULL, "", "", ""},
    {"brat rozstrzelanego w Katyniu", NULL, "", "", ""},
    {"Пропал кошелек", NULL, "", "", ""},
    {"ur. 1898 w Krakowie, por. rez.", NULL, "", "", ""},
    {"род. 1884, Лифляндская губ.", NULL, "", "", ""},
    {"", NULL, "", "", ""},
};

static void test_fate_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const fate_case *c = &cases[i];
        names_fate f;
        int found = names_find_fate(c->text, &f);
        int ok = (c->kind ? f.kind && !strcmp(f.kind, c->kind) : !f.kind) &&
                 !strcmp(f.date, c->date) && !strcmp(f.place, c->place) &&
                 !strcmp(f.burial, c->burial) &&
                 found == (c->kind != NULL || c->burial[0] != '\0');
        if (!ok) {
            print_error("'%s': got %s / '%s' / '%s' / '%s' (returned %d)\n", c->text,
                        f.kind ? f.kind : "none", f.date, f.place, f.burial, found);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    names_fate f;
    assert_int_equal(names_find_fate(NULL, &f), 0);
}

static void test_fate_kind_in_every_language(void **state)
{
    (void)state;
    static const struct {
        const char *text, *kind;
    } v[] = {
        {"shot", "shot"},           {"расстрелян", "shot"},     {"Rozstrzelany", "shot"},
        {"zamordowany w Katyniu", "shot"}, {"executed", "shot"},  {"РАССТРЕЛЯНА", "shot"},
        {"died", "died"},           {"умер", "died"},           {"zmarł", "died"},
        {"released", "released"},   {"освобожден", "released"}, {"zwolniony", "released"},
        {"missing", "missing"},     {"zaginął", "missing"},     {"пропал без вести", "missing"},
        {"Kozielsk", NULL},         {"", NULL},                 {"расстрел", NULL},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        const char *k = names_fate_kind(v[i].text);
        if (v[i].kind ? !k || strcmp(k, v[i].kind) : k != NULL)
            fail_msg("'%s': got %s", v[i].text, k ? k : "none");
    }
    assert_null(names_fate_kind(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fate_cases),
        cmocka_unit_test(test_fate_kind_in_every_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
